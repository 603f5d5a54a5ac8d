"""Reading documents: the PDF reader (document.pdf), page furniture, and the renderer that draws an
extracted-text report as a ruled-table PDF (document.render, a development tool)."""

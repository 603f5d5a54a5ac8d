"""Read a PDF report (部门决算公开) into the same :class:`~xinzhou_fiscal.read.source.SourceDocument`
the text reader produces, so the table parsers and the narrative parsers never know the difference.

The flow, one module per step (see docs/pdf.md for the long version):

1. ``open``: the file is checked and opened, by PDFium (``pdfium``, the default) or pdfplumber (the
   reference, and the fallback for what PDFium cannot take; an owner-password PDF is decrypted in
   memory first); ``XF_PDF_READER`` or ``reader=`` chooses;
2. ``page``: every page's characters come from the text layer; ruled tables are found from the
   drawn lines (``rulings`` on PDFium pages); a character whose centre lies in a table belongs to
   that table;
3. ``lines``: characters are grouped into visual lines by vertical overlap (digits set ~0.4 em
   lower in a Latin font stay on their line);
4. ``paragraphs``: visual lines are joined into logical lines when a line runs to the right margin
   and the next starts at the left margin without indent or list marker;
5. ``grid``: each table becomes rows of cells, wrapped cell lines joined, 类 | 款 | 项 code columns
   merged into one code cell;
6. ``titles`` and ``assemble``: a table is identified by the title printed above it, continued
   across pages (no title and only page furniture between; a running header in the page margin or
   its header rows printed again on the next page; or its own title / a （续） title on a later
   page), header rows repeated on continuation pages dropped; ``lines`` holds every logical line
   in reading order, table rows once (cells joined by tabs, like the text reader).
"""
from xinzhou_fiscal.read.pdf.open import read_pdf_document

__all__ = ["read_pdf_document"]

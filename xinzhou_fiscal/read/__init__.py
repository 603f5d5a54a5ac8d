"""read — from a file to lines of text with their pages: the first stage of the flow.

* :mod:`.source` — an extracted-text report (UTF-8 or GB18030) into a
  :class:`~xinzhou_fiscal.read.source.SourceDocument`: numbered lines, table blocks, the amount unit;
* :mod:`.pdf` — a PDF report into the same SourceDocument (pdfplumber; one module per step);
* :mod:`.formats` — which reader reads a file (content and suffix), and a report over several files;
* :mod:`.structured` — paragraphs and tables of cells (Word, Excel, HTML) → the same SourceDocument;
* :mod:`.office` (Word: python-docx; .doc/.rtf through LibreOffice), :mod:`.sheets` (Excel: openpyxl,
  xlrd), :mod:`.html` (web pages: html.parser);
* :mod:`.furniture` — what a page prints besides its content (page numbers);
* :mod:`.render` — draws an extracted-text report as a ruled-table PDF (a development and test tool).

Imports point down: this stage uses the base modules (errors, numbers) and the templates' table
specs, never a later stage.
"""

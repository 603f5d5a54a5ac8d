"""report — the parsed report: a file read, its template detected, its tables and text parsed.

* :mod:`.parse` — :func:`~xinzhou_fiscal.report.parse.read_report`, one input file → a Report;
* :mod:`.model` — :class:`~xinzhou_fiscal.report.model.Report`: metadata, tables, tidy facts (万元),
  and the text-derived datasets, computed lazily;
* :mod:`.metadata` — department, year, kind and unit from the cover and the first lines;
* :mod:`.previous_year` — the previous year's figures the narrative's year-on-year statements imply.

Above read, templates, tables and text; below the audit, which reads a Report.
"""

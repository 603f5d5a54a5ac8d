"""publish — what a reader sees: charts with Chinese text, and the department notebook's displays.

* :mod:`.charts` — the one chart style (bundled Noto Sans CJK; a missing glyph is an error);
* :mod:`.figures` — one function per chart of the department notebook (:data:`FIGURES`);
* :mod:`.views` — :class:`~xinzhou_fiscal.publish.views.Page`: summary, tables and charts rendered
  once per report and code version and served from the cache.

Above analysis; below the batch and the CLI.
"""

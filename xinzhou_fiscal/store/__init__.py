"""store — where reports and their datasets are kept, by id.

* :mod:`.catalogue` — the catalogue of raw files (data/catalog.json): ids, sha256, provenance;
* :mod:`.cache` — the one "report by id" path (:func:`~xinzhou_fiscal.store.cache.parsed`): the raw
  file verified once, parsed and audited once, kept in a pickle across processes;
* :mod:`.add` — cataloguing a new raw file;
* :mod:`.schemas` — pandera schemas of every tidy dataset (types, units, headers);
* :mod:`.export` — CSV, Parquet, Excel, a Frictionless data package, a DuckDB database;
* :mod:`.sql` — a DuckDB query over every catalogued report.

Above the audit (the cache keeps the audit run); below analysis and publish, which read reports
from here. What else to prepare before caching a report is the caller's to say.
"""

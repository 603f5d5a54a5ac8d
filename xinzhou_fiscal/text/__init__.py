"""The text around the tables: parts of the report, paragraphs, narrative claims and their ledger,
the 概况 (overview), the 名词解释 (glossary) and the performance self-evaluations.

* :mod:`.parts` — where each part (概况, 决算表, 情况说明, 名词解释, 附件) begins and ends;
* :mod:`.paragraphs` — lines joined into headings and paragraphs;
* :mod:`.narrative` — claims from the phrasing families of the 情况说明, and the ledger that
  accounts for every numeric token;
* :mod:`.overview` — 人员编制数, unit type, units included, glossary;
* :mod:`.performance` — the self-evaluation tables (绩效自评表).
"""

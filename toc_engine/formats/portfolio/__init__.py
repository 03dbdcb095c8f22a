"""`toc portfolio`: many programmes scored and compared, in every output format.

`run.py` finds, loads and scores the programmes (worker processes, `cache.py`);
`toc_engine.scoring.portfolio` compares them; `data.py` is the one serializer, which
`tables.py` (CSV, Markdown), `html.py` and `workbook.py` (Excel) render.
"""

"""`toc serve`: a local web app over one programme folder, for people who record data
but do not edit YAML. The files stay the truth: every page is made from them, every save
writes back to them (`record.py`), and nothing else is kept.

Starlette, Jinja2 and uvicorn come with the optional extra `toc-engine[serve]`; nothing
here is imported by the core or by `toc --help`.
"""

INSTALL_HINT = "toc serve needs the web extra: pip install 'toc-engine[serve]'"

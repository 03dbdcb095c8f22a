"""Excel workbooks: the scored framework as a logframe workbook (`toc export xlsx`) and a
programme skeleton read from a donor's logframe (`toc import logframe`).

Both directions share one vocabulary of logframe headers (`layouts.py`), so what the
export writes is what the import recognises."""

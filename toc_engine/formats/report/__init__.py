"""Outputs people read and formats donors take (issue #4).

One module per output: `html` (self-contained report), `markdown`, `charts`
(one figure per indicator), `tocgraph` (the theory of change drawn),
`iati` (IATI 2.03 result XML), `pirs` (indicator reference sheets),
`csv_export` (the scored indicator table) and `community` (a one-page,
pictorial feedback sheet per site); `inputs` loads, checks and scores a
programme for them. `toc_engine.cli.report_commands` wires them to `toc`.

Matplotlib is imported only inside `charts`, `tocgraph` and `mpl`, and those
are imported only by the commands that draw.
"""

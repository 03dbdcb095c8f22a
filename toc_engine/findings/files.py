"""TOC0xx: reading files and YAML. These findings are produced by the loader."""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import HEADER, VALID

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

YAML_SYNTAX = declare(
    "TOC001",
    "yaml-syntax",
    E,
    "The file is not valid YAML.",
    """
    The YAML parser could not read the file. Nothing after a syntax error can be
    trusted, so the other checks do not run on this file.
    """,
    HEADER + "results:\n  - id: a\n    level: impact\n    statement: [unclosed\n",
    VALID,
    fail_at="10:1",
)

DUPLICATE_KEY = declare(
    "TOC002",
    "duplicate-key",
    E,
    "A key appears twice in one mapping.",
    """
    YAML keeps one value per key. Older tools silently kept the last one, so an
    edit could vanish without a trace; here it is an error.
    """,
    HEADER.replace("  title: Demo programme\n", "  title: Demo\n  title: Demo again\n")
    + "results: []\n",
    VALID,
    fail_at="5:3",
)

TAB_INDENT = declare(
    "TOC003",
    "tab-indentation",
    E,
    "A tab is used for indentation.",
    """
    YAML indentation must be spaces. Editors often insert tabs; configure yours to
    insert spaces for .yaml files.
    """,
    HEADER + "results:\n\t- id: a\n",
    VALID,
    fail_at="7:1",
)

NOT_UTF8 = declare(
    "TOC004",
    "not-utf8",
    E,
    "The file is not UTF-8 text.",
    """
    Programme files must be UTF-8 (a byte-order mark and CRLF line ends are fine).
    The finding names the first byte that is not UTF-8 and where it is; re-save the
    file as UTF-8 in your editor.
    """,
    {"programme.yaml.bytes": "746f633a20310a7469746c653a20e90a"},
    VALID,
    fail_at="2:8",
)

EMPTY_FILE = declare(
    "TOC005",
    "empty-file",
    E,
    "The file is empty or holds only comments.",
    """
    An empty programme is almost always a mistake (a failed save or export).
    """,
    "# nothing here yet\n",
    VALID,
    fail_at="1:1",
)

NOT_MAPPING = declare(
    "TOC006",
    "top-level-not-mapping",
    E,
    "The top level is not a mapping of keys to values.",
    """
    A programme file starts with `toc: 1` and the other sections as keys; a list or
    a single value at the top level cannot be a programme.
    """,
    "- toc: 1\n- programme: demo\n",
    VALID,
    fail_at="1:1",
)

FORBIDDEN_TAG = declare(
    "TOC007",
    "forbidden-tag",
    E,
    "A YAML tag other than the plain-data ones is used.",
    """
    Tags such as `!!python/object` ask a loader to build program objects, which can
    run code. The engine reads plain data only (strings, numbers, booleans, null,
    lists, mappings) and refuses any other tag without constructing it.
    """,
    HEADER + "results: !!python/object:os.system []\n",
    VALID,
    fail_at="6:10",
)

ALIAS_BOMB = declare(
    "TOC008",
    "alias-expansion",
    E,
    "Aliases expand to far more data than the file holds.",
    """
    Anchors and aliases (`&a`, `*a`) may be nested so that a small file expands to
    gigabytes ("billion laughs"). Expansion is capped at the size of the file.
    """,
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    ),
    VALID,
)

TOO_DEEP = declare(
    "TOC009",
    "nesting-too-deep",
    E,
    "The YAML nests deeper than the engine accepts.",
    """
    No programme needs more than a handful of levels of nesting. Very deep nesting
    is refused before it can exhaust the parser's stack.
    """,
    "a: " + "[" * 100 + "]" * 100 + "\n",
    VALID,
    fail_at="1:",
)

FILE_TOO_LARGE = declare(
    "TOC010",
    "file-too-large",
    E,
    "The programme file is larger than the size limit.",
    """
    Files above the limit (20 MB by default; `--max-size`) are refused before they
    are read. Large observation sets belong in CSV files listed under `data:`,
    which load about ten times faster and use a fifth of the memory.
    """,
    {"programme.yaml": VALID + "# " + "x" * 200 + "\n", "--max-size": "100"},
    VALID,
    fail_at="1:1",
)

PATH_OUTSIDE = declare(
    "TOC011",
    "path-outside-folder",
    E,
    "An `include:` or `data:` path, or a library entry, leads outside the programme's folder.",
    """
    Included YAML, CSV data and the programme's own indicator library (an
    `indicators/` folder beside it) must live in the programme's folder or below
    it. A path such as `../../etc/passwd`, an absolute path, or a symbolic link
    that leads out (of a file or of the whole `indicators/` folder) is refused and
    never opened, so a programme from an untrusted pull request cannot make the
    engine read other files. The library shipped with toc-engine is trusted.
    """,
    VALID + "data:\n  - ../../etc/passwd\n",
    VALID,
    fail_at="41:5",
)

FILE_MISSING = declare(
    "TOC012",
    "file-not-found",
    E,
    "A file named under `include:` or `data:` does not exist or cannot be read.",
    """
    Check the spelling and that the path is relative to the programme file. Only
    regular files are read: a folder, a named pipe (FIFO), a socket or a device is
    reported here without being read from, since reading one could wait forever.
    """,
    VALID + "data:\n  - data/missing.csv\n",
    VALID,
    fail_at="41:5",
)

BINARY = declare(
    "TOC013",
    "binary-content",
    E,
    "The file contains binary data (NUL bytes).",
    """
    The file is not text: perhaps a spreadsheet or a compressed file saved with a
    .yaml name.
    """,
    {"programme.yaml.bytes": "746f633a20310a00ff00"},
    VALID,
    fail_at="2:1",
)

MULTIPLE_DOCUMENTS = declare(
    "TOC014",
    "multiple-documents",
    E,
    "The file holds more than one YAML document.",
    """
    A `---` line starts a new YAML document; one programme file holds one programme.
    """,
    VALID + "---\ntoc: 1\n",
    VALID,
    fail_at="40:1",
)

CSV_STRUCTURE = declare(
    "TOC015",
    "csv-structure",
    E,
    "A CSV data file cannot be read as observations.",
    """
    CSV data files need a header row with at least `indicator`, `period` and
    `value` columns, comma separated. Optional columns: `site`, `source`,
    `sample_size`, `note`, `missing` (why a row's empty value is missing), and one
    column per disaggregation dimension (e.g. `sex`).
    """,
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator;period;value\nmeetings;2012;4\n",
    },
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value\nmeetings,2012,4\n",
    },
    fail_at="1:1",
)

CSV_VALUE = declare(
    "TOC016",
    "csv-bad-value",
    E,
    "A cell in a CSV data file has a value that cannot be used.",
    """
    The `value` column holds numbers (or ordinal scale entries), `sample_size`
    whole numbers, and `period` a period such as 2012, 2012-Q4 or 2012-11.
    Findings give the CSV file, row and column.

    A value that was not collected is never written as 0, `n/a` or `-`: leave the
    `value` cell empty and say why in a `missing` column (`missing: reason` in the
    YAML). Such a row is not counted and is listed in the score and the reports. A
    row with both a value and a `missing` reason is refused: keep one.
    """,
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value,sample_size\nmeetings,2012,4,many\n",
    },
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value\nmeetings,2012,4\n",
    },
    fail_at="2:17",
)

EMPTY_DATA = declare(
    "TOC017",
    "empty-data-file",
    W,
    "A CSV data file has a header but no rows.",
    """
    A file listed under `data:` that holds only its header adds no observation, so
    every indicator it was meant to feed scores "no data". Usually the export was
    made before the data was synchronised, or the wrong file was saved. Export
    again with the rows, or take the file out of `data:`.
    """,
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value\n",
    },
    {
        "programme.yaml": VALID + "data:\n  - data/obs.csv\n",
        "data/obs.csv": "indicator,period,value\nmeetings,2012,4\n",
    },
    fail_at="1:1",
)

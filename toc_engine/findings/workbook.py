"""TOC7xx: the findings of `toc import logframe`, about a workbook rather than a programme.

They are reported while a workbook is read (`formats/xlsx/`), located at the cell they are
about (the file, its row and column, and `Sheet!D14` in the message), and declared here so
that `toc rules`, `toc explain` and docs/rules.md list them with the others. Their examples
are workbooks described cell by cell (`WorkbookExample`), built from `LOGFRAME`."""

from __future__ import annotations

from .catalogue import declare
from .diagnostic import Severity
from .examples import LOGFRAME

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

NOT_A_WORKBOOK = declare(
    "TOC701", "not-a-workbook", E,
    "The file is not an .xlsx workbook.",
    """
    `toc import logframe` reads Excel workbooks saved as .xlsx (Office Open XML). A file
    saved as .xls, .ods or CSV, or renamed to .xlsx, cannot be read, and nothing is written.

    Open the file in Excel or LibreOffice and save it as "Excel Workbook (.xlsx)".
    """,
    LOGFRAME.replace(raw="Results chain,Intervention logic,Indicators\n"
                     "Impact,People in the village feel safe,Residents who feel safe\n"),
    LOGFRAME,
)

WORKBOOK_TOO_LARGE = declare(
    "TOC702", "workbook-too-large", E,
    "The workbook would unpack to more than the limit.",
    """
    An .xlsx file is a zip archive. Before anything is read, the sizes its parts declare
    are checked: a workbook that would unpack to more than 200 MB, or one part packed
    more than 200 to 1 (the mark of a zip bomb), is refused, and nothing is written.

    A logframe is a few hundred rows: copy the logframe sheet alone into a new workbook
    (without images or embedded files) and import that.
    """,
    LOGFRAME.replace(members={"xl/media/padding.bin": ("0", 2_000_000)}),
    LOGFRAME,
)

MACROS_IGNORED = declare(
    "TOC703", "macros-ignored", W,
    "The workbook carries macros; they are never run.",
    """
    The import reads the values saved in the cells and never runs a macro. When macros
    fill cells, the saved values are what the workbook showed when it was last saved.

    If the macros compute cells of the logframe, open the workbook in Excel, let them run,
    and save it as .xlsx (without macros); otherwise nothing needs doing.
    """,
    LOGFRAME.replace(members={"xl/vbaProject.bin": ("Attribute VB_Name", 1)}),
    LOGFRAME,
)

EXTERNAL_LINKS = declare(
    "TOC704", "external-links", W,
    "The workbook links to other files; they are not opened.",
    """
    Cells that take their value from another workbook show the value saved with this one;
    the linked files are never opened (they may not exist here, or may not be safe).

    Paste the values over the links (Copy, then Paste Special > Values) before importing.
    """,
    LOGFRAME.replace(members={"xl/externalLinks/externalLink1.xml": ("<externalLink/>", 1)}),
    LOGFRAME,
)

HIDDEN_SHEET = declare(
    "TOC705", "hidden-sheet", INFO,
    "A hidden sheet was not read.",
    """
    The logframe is looked for on the visible sheets, in their order. A hidden sheet is
    skipped, and said so, in case it is the one meant.

    To read a hidden sheet, name it: `--sheet NAME`; or unhide it in the workbook.
    """,
    LOGFRAME.replace(cells={"Notes!A1": "Figures to check with the district office"},
                     hidden=("Notes",)),
    LOGFRAME.replace(cells={"Notes!A1": "Figures to check with the district office"}),
)

ROWS_CUT = declare(
    "TOC706", "rows-cut", W,
    "The sheet has more rows than are read.",
    """
    At most `--max-rows` rows of a sheet are read (5,000 unless told), so a sheet of a
    million formatted but empty rows cannot stall the import. Rows past the limit are not
    imported; the message names the first of them.

    Delete the empty or unrelated rows below the logframe, or raise `--max-rows`.
    """,
    LOGFRAME.replace(args=("--max-rows", "2")),
    LOGFRAME.replace(args=("--max-rows", "3")),
    fail_at="3:1",
)

FORMULA_CELL = declare(
    "TOC707", "formula-cell", W,
    "A cell holds a formula instead of a value.",
    """
    Formulas are never computed by the import: the value the workbook saved with the
    formula is read, and a formula saved without a value (a workbook written by a program
    rather than Excel) reads as an empty cell.

    Paste values over the formulas (Copy, then Paste Special > Values), or open and save
    the workbook in Excel or LibreOffice so that each formula saves its value.
    """,
    LOGFRAME.replace(cells={"Logframe!G3": "=10+2"}),
    LOGFRAME,
    fail_at="3:7",
)

UNREADABLE_VALUE = declare(
    "TOC708", "unreadable-value", W,
    "A baseline, milestone, target or achieved value is not a number, a percentage or "
    "either with its year.",
    """
    A value cell is read when it holds a number, a percentage, or either with its year
    (`41% (2013)`, `40% by 2016`, a number cell formatted as a percentage), with its year
    in the cell or in the year column. Anything else (`approx. 40%`, `at least half`, a
    range) is not guessed at: programme.yaml gets a comment naming the cell and its text,
    and the value is left out.

    Write the value as a number in the workbook and import again, or write it in
    programme.yaml where the comment names the cell.
    """,
    LOGFRAME.replace(cells={"Logframe!E2": "approx. 40%"}),
    LOGFRAME,
    fail_at="2:5",
)

LAYOUT_UNKNOWN = declare(
    "TOC709", "layout-not-recognised", E,
    "No sheet has the headers of a known logframe layout.",
    """
    The import recognises the EU Logical Framework Matrix (a results-chain or intervention
    logic column, Indicators, Baseline, Target) and the FCDO/DFID logframe (IMPACT, OUTCOME
    and OUTPUT blocks with Baseline and Target columns), by their headers, ignoring case,
    spacing and the usual synonyms. When no visible sheet has them, nothing is written.

    Rename the headers to the layout's, name the sheet with `--sheet`, or describe the
    layout in a map file (`--map map.yaml`: which sheet, which header row, which column
    holds what; docs/reports.md has an example).
    """,
    LOGFRAME.replace(cells={"Logframe!A1": "Level", "Logframe!C1": "Measures"}),
    LOGFRAME,
)

NOT_IN_WORKBOOK = declare(
    "TOC710", "not-in-workbook", W,
    "Something the programme needs is not in the workbook; a placeholder was written and "
    "marked.",
    """
    programme.yaml needs some things a logframe often leaves out: an indicator's unit and
    direction, the years of its values, which outcome an output serves, a level for each
    results-chain label. Where the workbook is silent, the import writes a placeholder
    with a comment naming the cell (`# not in the workbook: ...`), or leaves the item out,
    and says so here.

    Fill in what the message names, in the workbook (and import again) or in
    programme.yaml where the comment is.
    """,
    LOGFRAME.replace(cells={"Logframe!D3": None}),
    LOGFRAME,
    fail_at="3:3",
)

BAD_MAP = declare(
    "TOC711", "bad-map", E,
    "The --map file cannot be used.",
    """
    A map file describes a layout the import does not know: `sheet:` (optional),
    `header_row:` (1 unless told), `columns:` (a role, such as indicator, statement,
    chain, baseline, target, unit, direction, source or assumptions, to a column letter
    or header text) and optionally `levels:` (results-chain labels to levels). A map that
    cannot be read, or names an unknown role or a column that is not there, stops the
    import and nothing is written.

    Correct the map as the message says (it lists the roles); docs/reports.md has an
    example map.
    """,
    LOGFRAME.replace(args=("--map", "map.yaml"), files={"map.yaml": """\
columns: {chain: A, statement: B, indicator: C, value: E}
"""}),
    LOGFRAME.replace(args=("--map", "map.yaml"), files={"map.yaml": """\
columns: {chain: A, statement: B, indicator: C, unit: D, baseline: E, baseline year: F,
          target: G, target year: H, source: I, assumptions: J}
"""}),
)

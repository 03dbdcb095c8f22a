"""Matplotlib, set up for reproducible output: Agg, fixed SVG ids, no dates in files.

Only the drawing modules import this, and only when a command draws.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib

from ..safe_text import for_xml

matplotlib.use("Agg", force=True)

from matplotlib import rc_context
from matplotlib.figure import Figure

RC: dict[str, Any] = {
    "svg.hashsalt": "toc-engine",
    "svg.fonttype": "none",  # text stays text: searchable, small, and the browser's fonts
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "pdf.fonttype": 42,
    "path.simplify": False,
}

FORMATS = ("svg", "png", "pdf")
METADATA: dict[str, dict[str, Any]] = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}


@contextmanager
def style() -> Iterator[None]:
    # Text is measured with DejaVu Sans on every machine, so a drawing is the same bytes
    # wherever it is made; in SVG the reader's browser draws the letters with its own fonts
    # (Devanagari, Bengali), so a letter DejaVu lacks is no problem worth a warning.
    with rc_context(RC), warnings.catch_warnings():  # type: ignore[arg-type]
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        yield


def new_figure(width: float, height: float) -> Figure:
    """A figure not registered with pyplot (no global state, nothing to close)."""
    with style():
        return Figure(figsize=(width, height), dpi=100, layout=None)


def render(figure: Figure, fmt: str = "svg", dpi: int = 100) -> bytes:
    """The figure as bytes in `fmt`; the same figure always gives the same bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown figure format {fmt!r}: use one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with style():
        figure.savefig(buffer, format=fmt, metadata=METADATA[fmt], dpi=dpi)
    if fmt == "svg":  # labels are the user's text: nothing XML forbids may reach the file
        return for_xml(buffer.getvalue().decode("utf-8")).encode("utf-8")
    return buffer.getvalue()


def inline_svg(figure: Figure) -> str:
    """SVG markup for embedding in HTML: no XML declaration, no DOCTYPE."""
    text = render(figure, "svg").decode("utf-8")
    start = text.find("<svg")
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text[start:], flags=re.S).strip()

"""What `toc score` prints: text, `--explain`, and JSON."""

from .json import to_json, to_json_chunks, to_json_text
from .text import explain, render_text, render_text_chunks

__all__ = [
    "explain",
    "render_text",
    "render_text_chunks",
    "to_json",
    "to_json_chunks",
    "to_json_text",
]

"""`python -m toc_engine` is the `toc` command."""

from .cli import entry

entry()

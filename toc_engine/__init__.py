"""toc-engine: check, score and report theory-of-change results frameworks."""
__version__ = "0.1.0"

"""reader: a terminal reader for a folder of Markdown blog posts."""

__version__ = "0.2.0"  # the package's version (pyproject.toml reads it from here)

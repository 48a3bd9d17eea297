"""reader: a terminal reader for a folder of Markdown blog posts."""

__version__ = "0.1.0"

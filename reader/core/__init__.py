"""The headless core: posts, front matter, links, analysis, index, search.

Nothing under this package may import Textual or Rich; a test enforces it.
"""

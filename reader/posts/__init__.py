"""Files to posts: discovery, decoding, front matter, one parse per post, links, taxonomy, site.

Imports neither the search package nor the UI (an import-linter contract checks it).
"""

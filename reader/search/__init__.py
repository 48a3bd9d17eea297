"""Posts to hits: Korean analysis, the query language, the Whoosh index and the searcher.

The only package that imports Whoosh (an import-linter contract checks it).
"""

"""Running a search: parse, compile, rank, fall back, and cut highlighted snippets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from reader.core.compile import Compiler
from reader.core.discovery import Found
from reader.core.highlight import Matcher, Snippet, snippet
from reader.core.index import SearchIndex
from reader.core.manifest import post_meta
from reader.core.post import Post, load_post
from reader.core.query import InvalidQuery, Node, parse, positive_words
from reader.core.verify import matches, needs_check

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000


@dataclass
class SearchHit:
    path: str
    title: str
    date: str | None
    categories: list[str]
    tags: list[str]
    score: float
    snippet: str
    highlights: list[tuple[int, int]]
    title_highlights: list[tuple[int, int]] = field(default_factory=list)
    draft: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "title": self.title, "date": self.date, "categories": self.categories,
            "tags": self.tags, "score": round(self.score, 4), "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights], "draft": self.draft,
        }


@dataclass
class SearchResult:
    query: str
    total: int
    approximate: bool
    took_ms: float
    hits: list[SearchHit]
    matcher: Matcher = field(default_factory=lambda: Matcher(None))
    messages: list[str] = field(default_factory=list)  # about the index (rebuilt, …)

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query, "total": self.total, "approximate": self.approximate,
            "took_ms": round(self.took_ms, 2), "hits": [h.to_json() for h in self.hits],
            "messages": self.messages,
        }


def run_search(index: SearchIndex, text: str, limit: int = DEFAULT_LIMIT,
               include_drafts: bool = True, post_loader: Any = None) -> SearchResult:
    """Search the index. Raises InvalidQuery for a query that cannot run.

    `post_loader(path) -> Post | None` gives a hit's text for its snippet
    and its check (reader.core.verify); by default the post file is read,
    because the files are the truth and the index only a cache.

    `total` counts the posts the index matched; where some needed a check
    on their text, the ones found wanting among those looked at are taken
    off (all of them were looked at when fewer than `limit` hits remain).
    """
    started = time.perf_counter()
    limit = max(1, min(limit, MAX_LIMIT))
    node = parse(text)
    if node is None:
        return SearchResult(text, 0, False, 0.0, [])
    loader = post_loader or (lambda path: _load(index, path))
    with index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        reader = searcher.reader()
        approximate = False
        found, total, extra_terms = _run(searcher, Compiler(reader).compile(node), limit, include_drafts, node,
                                         loader)
        if total == 0:
            loose = Compiler(reader, loose=True).compile(node)
            found, total, extra_terms = _run(searcher, loose, limit, include_drafts, None, loader)
            approximate = total > 0
        matcher = Matcher.for_words(positive_words(node), extra_terms if approximate else ())
        hits = [_hit(index, path, score, post, matcher) for path, score, post in found]
    took = (time.perf_counter() - started) * 1000
    messages, index.messages = index.messages, []
    return SearchResult(text, total, approximate, took, hits, matcher, messages)


def _run(searcher: Any, q: Any, limit: int, include_drafts: bool, node: Node | None,
         loader: Any) -> tuple[list[tuple[str, float, Post | None]], int, list[str]]:
    """Ranked hits that pass the text check, with the total and the terms a fuzzy query used."""
    mask = None if include_drafts else wq.Term("draft", True)
    check = node is not None and needs_check(node)
    window = limit * 2 if check else limit
    found: list[tuple[str, float, Post | None]] = []
    rejected = 0
    looked = 0
    while True:
        results = searcher.search(q, limit=window, mask=mask, terms=False)
        total = len(results)
        for hit in list(results)[looked:]:
            looked += 1
            path = searcher.stored_fields(hit.docnum)["path"]
            post = loader(path)
            if check and post is not None and not matches(node, post):
                rejected += 1
                continue
            found.append((path, float(hit.score or 0.0), post))
            if len(found) >= limit:
                break
        if len(found) >= limit or looked >= total or not check:
            break
        window = min(total, window * 4)
    total -= rejected
    extra: list[str] = []
    if total:
        # Fuzzy terms matched spellings the query did not write; highlight those.
        for fieldname, term in q.existing_terms(searcher.reader(), expand=True):
            if fieldname in ("title", "body", "tags", "categories"):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                if value.isascii() and value.isalpha():
                    extra.append(value)
    return found, total, extra


def _load(index: SearchIndex, path: str) -> Post | None:
    file = index.root / path
    if not file.is_file():
        return None
    return load_post(Found(file, path), index.tz, index.hierarchical)


def _hit(index: SearchIndex, path: str, score: float, post: Post | None, matcher: Matcher) -> SearchHit:
    cut = snippet(post.body, matcher) if post is not None else Snippet("", [])
    if post is not None:
        meta = post_meta(post)
    else:  # the file went away since the index was written: what the index knew
        meta = (index.manifest.meta(path) if index.manifest else None) or {"title": path}
    return SearchHit(
        path=path,
        title=meta["title"],
        date=meta.get("date"),
        categories=meta.get("categories", []),
        tags=meta.get("tags", []),
        score=score,
        snippet=cut.text,
        highlights=cut.highlights,
        title_highlights=matcher.spans(meta["title"]),
        draft=bool(meta.get("draft")),
    )


__all__ = ["InvalidQuery", "Node", "SearchHit", "SearchResult", "run_search"]

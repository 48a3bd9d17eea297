"""Running a search: parse, compile, rank, fall back, and cut highlighted snippets."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from reader.core.analysis import is_hangul
from reader.core.compile import Compiler
from reader.core.discovery import Found
from reader.core.highlight import Matcher, Snippet, snippet
from reader.core.index import IndexUnavailable, SearchIndex
from reader.core.manifest import post_meta
from reader.core.post import Post, load_post
from reader.core.query import And, InvalidQuery, Node, Word, parse, positive_words
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
    total_exact: bool = True  # False: `total` is Whoosh's upper-bound estimate

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query, "total": self.total, "approximate": self.approximate,
            "took_ms": round(self.took_ms, 2), "hits": [h.to_json() for h in self.hits],
            "messages": self.messages, "total_exact": self.total_exact,
        }


def run_search(index: SearchIndex, text: str, limit: int = DEFAULT_LIMIT,
               include_drafts: bool = True, post_loader: Any = None) -> SearchResult:
    """Search; an index that breaks while searching is rebuilt and searched again, once."""
    try:
        return _search(index, text, limit, include_drafts, post_loader)
    except (InvalidQuery, IndexUnavailable):
        raise
    except Exception as exc:  # a damaged cache file can fail in any of Whoosh's readers
        index.close()
        report = index.sync(rebuild=True)
        index.messages.extend([f"index damaged ({type(exc).__name__}: {exc}); rebuilt", *report.messages])
        return _search(index, text, limit, include_drafts, post_loader)


def _search(index: SearchIndex, text: str, limit: int, include_drafts: bool, post_loader: Any) -> SearchResult:
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
        extra_terms: list[str] = []
        found, total, exact = _run(searcher, Compiler(reader).compile(node), limit, include_drafts, node, loader)
        if not found:
            loose = Compiler(reader, loose=True).compile(node)
            found, total, exact = _run(searcher, loose, limit, include_drafts, None, loader)
            approximate = bool(found)
            if approximate:
                extra_terms = _expanded_terms(loose, reader)
        matcher = Matcher.for_words(positive_words(node), extra_terms if approximate else ())
        hits = [_hit(index, path, score, post, matcher) for path, score, post in found]
    took = (time.perf_counter() - started) * 1000
    messages, index.messages = index.messages, []
    return SearchResult(text, total if hits else 0, approximate, took, hits, matcher, messages, exact or not hits)


def _run(searcher: Any, q: Any, limit: int, include_drafts: bool, node: Node | None,
         loader: Any) -> tuple[list[tuple[str, float, Post | None]], int, bool]:
    """Ranked hits that pass the text check, with the total and whether it is exact."""
    mask = None if include_drafts else wq.Term("draft", True)
    check = node is not None and needs_check(node)
    joined = joined_form(node)
    window = max(limit * 3, 30) if joined else limit * 2 if check else limit
    found: list[tuple[str, float, Post | None]] = []
    rejected = 0
    looked = 0
    while True:
        results = searcher.search(q, limit=window, mask=mask, terms=False)
        # Counting every match costs as much as ranking them (0.4 s for a
        # word in 9k of 10k posts); Whoosh's estimate is an upper bound.
        exact = results.has_exact_length()
        total = len(results) if exact else results.estimated_length()
        available = results.scored_length()
        for hit in results[looked:]:  # not list(results): list() asks len(), a full count
            looked += 1
            path = searcher.stored_fields(hit.docnum)["path"]
            post = loader(path)
            if check and post is not None and not matches(node, post):
                rejected += 1
                continue
            found.append((path, float(hit.score or 0.0), post))
            if len(found) >= (window if joined else limit):
                break
        if len(found) >= limit or looked >= available or available < window or not check:
            break
        window *= 4
    total -= rejected
    if joined is not None:
        found = _prefer_joined(found, joined, limit)
    return found, total, exact and not rejected


def _expanded_terms(q: Any, reader: Any) -> list[str]:
    """The spellings a looser query matched that the user did not write; highlighted too."""
    extra: list[str] = []
    for fieldname, term in q.existing_terms(reader, expand=True):
        if fieldname in ("title", "text"):
            value = term.decode("utf-8") if isinstance(term, bytes) else term
            if value.isascii() and value.isalpha():
                extra.append(value)
    return extra


def joined_form(node: Node | None) -> Matcher | None:
    """For `자연어 처리` (Korean words only), a matcher for `자연어처리` and `자연어 처리`."""
    if not isinstance(node, And):
        return None
    words = [c.text for c in node.children if isinstance(c, Word) and c.field is None and not c.prefix]
    if len(words) < 2 or not all(is_hangul(w) for w in words):
        return None
    return Matcher.for_words([Word("".join(words))])


def _prefer_joined(found: list[tuple[str, float, Post | None]], joined: Matcher,
                   limit: int) -> list[tuple[str, float, Post | None]]:
    """Posts that write the words together (or with one space) first; score order otherwise.

    Done on the ranked candidates rather than as an optional query clause:
    Whoosh's AndMaybe cannot skip blocks, which cost 0.4 s on 10k posts.
    """
    def together(item: tuple[str, float, Post | None]) -> bool:
        post = item[2]
        return post is not None and bool(joined.spans(post.title) or joined.spans(post.body))

    ranked = sorted(found, key=lambda item: not together(item))  # stable: keeps score order
    return ranked[:limit]


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

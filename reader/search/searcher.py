"""Running a search: plan, rank, check on the text, fall back, and cut highlighted snippets."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from reader.posts.post import Post
from reader.search.highlight import Matcher, snippet
from reader.search.index import SearchIndex
from reader.search.manifest import post_meta
from reader.search.plan import QueryPlan, make_plan
from reader.search.query import InvalidQuery, Node, parse

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
PostFor = Callable[[str], "Post | None"]  # a hit's path -> its post (None: the file is gone)


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
            "path": self.path,
            "title": self.title,
            "date": self.date,
            "categories": self.categories,
            "tags": self.tags,
            "score": round(self.score, 4),
            "snippet": self.snippet,
            "highlights": [list(h) for h in self.highlights],
            "draft": self.draft,
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
            "query": self.query,
            "total": self.total,
            "approximate": self.approximate,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_json() for h in self.hits],
            "messages": self.messages,
            "total_exact": self.total_exact,
        }


def run_search(
    index: SearchIndex, text: str, post_for: PostFor, limit: int = DEFAULT_LIMIT, include_drafts: bool = True
) -> SearchResult:
    """Search the index. Raises InvalidQuery for a query that cannot run.

    `post_for(path)` gives a hit's post for its check and its snippet (from
    the library snapshot, or read); None when its file is gone, and then the
    hit is dropped. `total` counts the posts the index matched; where some
    needed a check on their text or were gone, those found among the ones
    looked at are taken off.

    Errors are not caught here: the caller asks the index whether one means
    damage (see SearchIndex.diagnose).
    """
    started = time.perf_counter()
    limit = max(1, min(limit, MAX_LIMIT))
    node = parse(text)
    if node is None:
        return SearchResult(text, 0, False, 0.0, [])
    with index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        reader = searcher.reader()
        plan = make_plan(node, reader)
        approximate = False
        extra_terms: list[str] = []
        found, total, exact = _run(searcher, plan.strict(), limit, include_drafts, plan, post_for)
        if not found:
            loose = plan.loose()
            found, total, exact = _run(searcher, loose, limit, include_drafts, None, post_for)
            approximate = bool(found)
            if approximate:
                extra_terms = _expanded_terms(loose, reader)
        matcher = Matcher.for_words(plan.words, extra_terms) if extra_terms else plan.matcher
        hits = [_hit(path, score, post, matcher) for path, score, post in found]
    took = (time.perf_counter() - started) * 1000
    messages, index.messages = index.messages, []
    return SearchResult(text, total if hits else 0, approximate, took, hits, matcher, messages, exact or not hits)


def _run(
    searcher: Any, q: Any, limit: int, include_drafts: bool, plan: QueryPlan | None, post_for: PostFor
) -> tuple[list[tuple[str, float, Post]], int, bool]:
    """Ranked hits that pass the text check, with the total and whether it is exact."""
    mask = None if include_drafts else wq.Term("draft", True)
    check = plan is not None and plan.check is not None
    joined = plan.joined if plan is not None else None
    window = max(limit * 3, 30) if joined else limit * 2 if check else limit
    found: list[tuple[str, float, Post]] = []
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
            post = post_for(path)
            if post is None:  # the file is gone since it was indexed: never show it
                rejected += 1
                continue
            if check and plan is not None and not plan.accepts(post):
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


def _prefer_joined(found: list[tuple[str, float, Post]], joined: Matcher, limit: int) -> list[tuple[str, float, Post]]:
    """Posts that write the words together (or with one space) first; score order otherwise.

    Done on the ranked candidates rather than as an optional query clause:
    Whoosh's AndMaybe cannot skip blocks, which cost 0.4 s on 10k posts.
    """

    def together(item: tuple[str, float, Post]) -> bool:
        post = item[2]
        return bool(joined.spans(post.title) or joined.spans(post.body))

    ranked = sorted(found, key=lambda item: not together(item))  # stable: keeps score order
    return ranked[:limit]


def _hit(path: str, score: float, post: Post, matcher: Matcher) -> SearchHit:
    cut = snippet(post.body, matcher)
    meta = post_meta(post)
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

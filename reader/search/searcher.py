"""Running a search: resolve 초성, plan, rank, check the candidates, count them, suggest, make hits.

A query that finds nothing is answered honestly: the words no post holds
are named (`missing`), and when the index holds a close spelling of them
the search is run again for it (`corrected`, `approximate`), labelled. A
word no post holds and nothing close to it gives no hits at all.

The parts a search uses: reader.search.initials reads 초성, reader.search.respell
counts words and finds close spellings (did you mean), reader.search.filecheck
checks candidates on their files before their posts are loaded, and
reader.search.rewrite replaces words in the query.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from reader.posts.post import Post
from reader.search.filecheck import FileCheck
from reader.search.highlight import LaterSnippet, Matcher, Proximity
from reader.search.index import SearchIndex
from reader.search.initials import initials_runs, resolve_initials, split_like
from reader.search.kept import kept_metas, kept_texts
from reader.search.manifest import post_meta
from reader.search.markup import searchable
from reader.search.plan import QueryPlan, make_plan
from reader.search.postings import Postings, for_searcher
from reader.search.query import InvalidQuery, Node, Word, parse, within
from reader.search.respell import MAX_SUGGESTIONS, Spellings
from reader.search.rewrite import positive_words, replace_words, rewrite
from reader.search.scores import newest_first, ranked
from reader.search.sources import file_size, quick_texts
from reader.search.suggest import Vocabulary

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
POOL = 30  # candidates ranked by proximity before the first `limit` are kept
CHECK_ALL = 1000  # at most this many candidates needing a text check: all checked, for an exact total
READ_TO_COUNT = 16  # posts read from disk only to make a total exact, at most
# Candidates whose files are read only to count them, at most: past it, the count is estimated
# from so many spread over them (1,000 posts, `데이터를`: its 869 candidates' files were read
# for a total that was an upper bound anyway, 150 ms of a 155 ms search).
COUNT_FROM_FILES = 100
KEPT_TIERS = 100_000  # posts' proximity tiers kept per searcher (forgotten all at once past it)
TOGETHER, NEAR, SCATTERED, NOT_TOGETHER, UNKNOWN = 0, 1, 2, 3, 4  # a post's proximity tier, as far as known
SLOW_POST_S = 0.0003  # a post that takes longer was read from disk (one in memory: ~10 µs)
FILES_FIRST_AFTER = 8  # slow posts before a search reads files first
PostFor = Callable[[str], "Post | None"]  # a hit's path -> its post (None: the file is gone)
FIELDS = ("title", "body", "tags", "categories")  # the texts a check reads (reader.search.plan.post_texts)


@dataclass
class SearchHit:
    path: str
    title: str
    date: str | None
    categories: list[str]
    tags: list[str]
    score: float
    cut: LaterSnippet = field(repr=False)  # the snippet, cut when first read
    title_highlights: list[tuple[int, int]] = field(default_factory=list)
    draft: bool = False

    @property
    def snippet(self) -> str:
        return self.cut.get().text

    @property
    def highlights(self) -> list[tuple[int, int]]:
        return self.cut.get().highlights

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
    approximate: bool  # True: the hits are for `corrected`, a spelling the user did not type
    took_ms: float
    hits: list[SearchHit]
    matcher: Matcher = field(default_factory=lambda: Matcher(None))
    messages: list[str] = field(default_factory=list)  # about the index (rebuilt, …)
    total_exact: bool = True  # False: `total` is an estimate (a very common word)
    corrected: str | None = None  # the query the hits are for, when not the one typed
    suggestions: list[str] = field(default_factory=list)  # other queries the index can answer
    missing: list[str] = field(default_factory=list)  # words of the query no post holds
    # Spellings of a typo that only posts outside the search's scope hold (a typo within a
    # filter): offered, not searched.
    elsewhere: list[str] = field(default_factory=list)
    scanned: bool = False  # True: answered by reading the posts (the index was not ready)
    # A scan still under way: (posts read, posts to read); its hits are the best found so far.
    read_so_far: tuple[int, int] | None = None

    def cut_snippets(self, count: int) -> None:
        """Cut the first `count` hits' snippets now (the rest are cut when first read)."""
        for hit in self.hits[:count]:
            hit.cut.get()

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "total_exact": self.total_exact,
            "approximate": self.approximate,
            "corrected": self.corrected,
            "suggestions": self.suggestions,
            "missing": self.missing,
            "scanned": self.scanned,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_json() for h in self.hits],
            "messages": self.messages,
        }


def run_search(
    index: SearchIndex,
    text: str,
    post_for: PostFor,
    limit: int = DEFAULT_LIMIT,
    include_drafts: bool = True,
    scope: Node | None = None,
    listed: Any = None,
) -> SearchResult:
    """Search the index. Raises InvalidQuery for a query that cannot run.

    `post_for(path)` gives a hit's post for its check and its snippet (from
    the library snapshot, or read); None when its file is gone, and then the
    hit is dropped. `total` is exact when the candidates are few enough to
    count (and check); otherwise an estimate, and `total_exact` is False.
    `scope` (a tag, a category, a date range) limits the search to the posts
    in it, as if it were part of the query. `listed`: the listing the caller's
    posts come from (reader.posts.listing), if it read one: used, not read again.

    Errors are not caught here: the caller asks the index whether one means
    damage (see SearchIndex.diagnose).
    """
    started = time.perf_counter()
    limit = max(1, min(limit, MAX_LIMIT))
    node = parse(text)
    if node is None:
        return SearchResult(text, 0, False, 0.0, [])
    everywhere, node = (node if scope is not None else None), within(node, scope)
    with index.searcher() as searcher:
        manifest = index.manifest  # loaded by now: it names the searcher's generation
        root = str(index.root)
        quick = kept_files = utf8 = None  # no files' texts without the index's metadata
        metas = kept_metas(searcher)
        if manifest is not None:
            metas.offer(manifest, listed)
        meta = metas.reader(manifest) if manifest is not None else None
        kept = kept_texts(searcher)
        if meta is not None:  # the files' texts, kept between searches (reader.search.kept)
            quick = kept.reader(root, quick_texts(root, meta))
            kept_files, utf8 = kept.kept(root), kept.is_utf8(root)
        postings = _postings(searcher)
        listed = metas.files(manifest) if manifest is not None else None
        files = FileCheck(root, quick, kept_files, utf8, listed, postings.held)
        session = _Session(postings, post_for, include_drafts, files, file_size(root), meta)
        if manifest is not None:
            session.date_key = partial(metas.date_key, manifest)
        result = session.search(text, node, limit, everywhere)
    result.took_ms = (time.perf_counter() - started) * 1000
    result.messages, index.messages = index.messages, []
    return result


def prepare(index: SearchIndex) -> None:
    """Open the searcher and read what every search of it needs, so that the first one typed
    does not wait for it (the app, once its index is ready; off its UI thread). The modules a
    search imports are imported by then too (~0.2 s at the app's first search)."""
    with index.searcher() as searcher:
        _postings(searcher).prepare()


def _postings(searcher: Any) -> Postings:
    """The searcher's postings cache, the searcher scoring as every search scores."""
    searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
    return for_searcher(searcher)


Found = list[tuple[str, float, Post]]
Ordered = Sequence[tuple[int, float]]  # (docnum, score) best first: scores.Ranked, arrays.RankedArrays
DateKey = Callable[[Iterable[int], Callable[[int], str]], Callable[[int], str] | None]  # KeptMetas.date_key


class _Session:
    """One search against one searcher: the query, its 초성 and its corrections."""

    def __init__(
        self,
        postings: Postings,
        post_for: PostFor,
        include_drafts: bool,
        files: FileCheck,
        size: Callable[[str], int] | None = None,
        meta: Callable[[str], dict[str, Any] | None] | None = None,
    ) -> None:
        self.post_for = post_for
        self.files = files  # the candidates' files, checked before their posts are loaded
        self.size = size  # a post's file size: spellings are counted on the small ones first
        self.meta = meta  # the index's metadata of a post
        self.date_key: DateKey | None = None  # the candidates' dates, from the index's listing
        self.files_first = False  # set once posts prove slow to get (not in memory)
        self._slow = 0  # posts that were slow to get
        self.mask = None if include_drafts else wq.Term("draft", True)
        self.postings = postings  # the searcher's, kept across its searches (reader.search.postings)
        self.terms = self.postings.terms  # the reader, its document frequencies kept
        self.words = self.postings.vocabulary("text", Vocabulary)
        self.titles = self.postings.vocabulary("title", Vocabulary)
        self.spellings = Spellings(self, self.words)  # counts, and did-you-mean
        self._masked: set[int] | frozenset[int] | None = None  # drafts, when they are left out
        self.verdicts: dict[Node, dict[int, Post | None]] = {}  # per query tree: run() and count() share

    def search(self, text: str, node: Node, limit: int, everywhere: Node | None = None) -> SearchResult:
        """`node` is the query within its scope; `everywhere` the query without it (None: no scope)."""
        count = self.spellings.count
        node, replaced, alternatives = resolve_initials(node, self.titles, self.words, count)
        corrected = rewrite(text, replaced) if replaced else None
        plan = make_plan(node, self.terms)
        found, total, exact = self.run(plan, limit)
        suggestions = [rewrite(text, alt) for alt in alternatives]
        missing: list[str] = []
        absent: list[Word] = []
        approximate = False
        if not found:
            absent = [w for w in positive_words(node) if not count(w, enough=1)]
            missing = [w.text for w in absent]
            for alt_replaced, alt_plan in self.spellings.respellings(absent, node):
                suggestion = rewrite(text, {**replaced, **alt_replaced})
                if not found:
                    found, total, exact = self.run(alt_plan, limit)
                    if found:
                        plan, corrected, approximate = alt_plan, suggestion, True
                elif self.exists(alt_plan):  # another spelling to offer: one post is enough to know
                    suggestions.append(suggestion)
        elsewhere: list[str] = []
        if not found and absent and everywhere is not None:
            # A typo within a scope (the sidebar's filter) whose posts hold none of its spellings:
            # the spellings the posts outside it hold, as a search of every post corrects it.
            for alt_replaced, alt_plan in self.spellings.respellings(absent, replace_words(everywhere, replaced)):
                if self.exists(alt_plan):
                    elsewhere.append(rewrite(text, {**replaced, **alt_replaced}))
        hits = [make_hit(path, score, post, plan.matcher) for path, score, post in found]
        return SearchResult(
            text,
            total if hits else 0,
            approximate,
            0.0,
            hits,
            plan.matcher,
            total_exact=exact or not hits,
            corrected=corrected,
            suggestions=[s for s in dict.fromkeys(suggestions) if s != corrected][:MAX_SUGGESTIONS],
            missing=missing,
            elsewhere=elsewhere,
        )

    # --- running a plan --------------------------------------------------------------------

    def run(
        self, plan: QueryPlan, limit: int, count: bool = True, max_checks: int | None = None
    ) -> tuple[Found, int, bool]:
        """Ranked hits that pass the text check, with the total and whether it is exact.

        Candidates are checked best first, a window at a time (the first twice the
        pool when a check is needed, then four times wider), until the pool is full
        or a window ends with `limit` hits: the proximity pool need not be full.
        """
        ordered = self.ranked(plan)
        check = plan.check is not None
        pool = max(limit * 3, POOL) if plan.proximity is not None else limit
        window = pool * 2 if check else pool
        verdicts = self.verdicts.setdefault(plan.node, {})  # count() of a one-word query reuses them
        found: Found = []
        for looked, (docnum, score) in enumerate(ordered, start=1):
            if looked > window:
                if len(found) >= limit:
                    break
                window *= 4
            post = self.accept(docnum, plan, verdicts)
            if post is not None:
                found.append((post.path, score, post))
                if len(found) >= pool:
                    break
            if max_checks is not None and looked >= max_checks:
                break
        found = self.rank(found, plan, limit)
        if not count:
            return found, len(found), False
        total, exact = self.total(ordered, plan, verdicts)
        return found, max(total, len(found)), exact

    def ranked(self, plan: QueryPlan) -> Ordered:
        """The candidates of a plan, best first (drafts left out when asked); of filters alone
        (a tag, a category, dates), whose scores rank by nothing a reader sees, newest first."""
        arrays = self.postings.arrays()
        if arrays is not None and (plan.words or self.date_key is None):
            return arrays.ranked(plan.strict(), self.masked())  # a big index: scored with numpy
        scores = self.postings.scores(plan.strict())
        if not plan.words and self.date_key is not None:
            key = self.date_key(scores, self.postings.path)
            if key is not None:
                return newest_first(scores, key, self.masked())
        return ranked(scores, self.masked())

    def masked(self) -> set[int] | frozenset[int]:
        if self._masked is None:
            self._masked = set(self.postings.docs(self.mask)) if self.mask is not None else frozenset()
        return self._masked

    def accept(self, docnum: int, plan: QueryPlan, verdicts: dict[int, Post | None]) -> Post | None:
        """The post of a candidate when it really matches: its file is there and its text passes."""
        if docnum not in verdicts:
            path = self.postings.path(docnum)
            check = plan.check
            if (
                check is not None
                and self.files_first
                and not self.files.might_hold(
                    path, lambda text: check(dict.fromkeys(FIELDS, text)), self.files.needles(plan)
                )
            ):
                verdicts[docnum] = None  # not even in its file: no need to load the post
                return None
            post = self.post(path)  # None: the file is gone since it was indexed
            verdicts[docnum] = post if post is not None and plan.accepts(post) else None
        return verdicts[docnum]

    def post(self, path: str) -> Post | None:
        started = time.perf_counter()
        post = self.post_for(path)
        if time.perf_counter() - started > SLOW_POST_S:
            self._slow += 1
            # Posts are read from disk: reading a file's bytes first is cheaper, once a search
            # goes past the few hits most queries need. Not a share of the posts asked for:
            # those the library keeps (its last 64 read) are quick, and a repeated search
            # asking for them never reached half (읽은다섯: 84 of 173 posts read whole, warm).
            self.files_first = self._slow >= FILES_FIRST_AFTER
        return post

    def exists(self, plan: QueryPlan) -> bool:
        """Whether any post matches the plan (what `run` finds, short of ranking it)."""
        verdicts = self.verdicts.setdefault(plan.node, {})
        return any(self.accept(docnum, plan, verdicts) is not None for docnum in self.docs(plan.strict()))

    def docs(self, q: Any) -> Iterator[int]:
        """The docnums `q` matches, in index order, drafts left out when asked; found as they
        are read (a count stops at a few, "does any post match" at the first)."""
        masked = self.masked()
        found = self.postings.in_order(q)
        return (d for d in found if d not in masked) if masked else found

    def total(self, ordered: Ordered, plan: QueryPlan, verdicts: dict[int, Post | None]) -> tuple[int, bool]:
        """How many posts match: every candidate counted; where a text check is needed,
        every candidate checked up to CHECK_ALL of them, beyond that an upper bound; of those
        not checked yet and on disk, more than COUNT_FROM_FILES estimated from that many.

        While posts are read from disk (not in memory), a candidate whose body, as the
        file's bytes hold it, holds the words (see surely_holds) is counted without
        loading its post; one whose file holds them elsewhere or otherwise is loaded,
        unless there are more than READ_TO_COUNT of those: the total is then an upper
        bound, and not exact (1.5 ms a post; 128 of them cost 0.2 s).
        """
        rejected = sum(1 for post in verdicts.values() if post is None)
        if plan.check is None or len(verdicts) == len(ordered):
            return len(ordered) - rejected, True
        if len(ordered) > CHECK_ALL:
            return len(ordered) - rejected, False
        held, unknown = 0, []
        for docnum, _ in ordered:
            if docnum in verdicts:
                held += verdicts[docnum] is not None
            elif not self.files_first and self.files.surely_holds(self.postings.path(docnum), plan, True):
                held += 1  # counted unread by an earlier search, and its file unchanged
            else:
                unknown.append(docnum)
        passed = 0
        unread: list[int] = []
        for at, docnum in enumerate(unknown):
            if self.files_first and len(unknown) - at > COUNT_FROM_FILES:
                # Posts come from disk: the rest is estimated from so many files spread over
                # it (those ranked first hold the words more often than the others).
                rest = unknown[at:]
                sample = [rest[i * len(rest) // COUNT_FROM_FILES] for i in range(COUNT_FROM_FILES)]
                more, maybe = self._on_files(sample, plan, verdicts)
                estimate = round((more + len(maybe)) * len(rest) / len(sample))  # a file that may hold them counts
                return held + passed + len(unread) + estimate, False
            if self.files_first:
                more, maybe = self._on_files([docnum], plan, verdicts)
                passed += more
                unread += maybe
            else:
                passed += self.accept(docnum, plan, verdicts) is not None
        if len(unread) > READ_TO_COUNT:
            return held + passed + len(unread), False
        return held + passed + sum(1 for docnum in unread if self.accept(docnum, plan, verdicts) is not None), True

    def _on_files(self, docnums: list[int], plan: QueryPlan, verdicts: dict[int, Post | None]) -> tuple[int, list[int]]:
        """Of candidates counted on their files: how many surely pass, and those that may (their
        posts must be loaded to know); those that cannot are turned down."""
        check = plan.check
        assert check is not None
        passed, maybe = 0, []
        for docnum in docnums:
            path = self.postings.path(docnum)
            if not self.files.might_hold(
                path, lambda text: check(dict.fromkeys(FIELDS, text)), self.files.needles(plan)
            ):
                verdicts[docnum] = None
            elif self.files.surely_holds(path, plan):
                passed += 1  # its body holds the words: counted without loading the post
            else:
                maybe.append(docnum)
        return passed, maybe

    def rank(self, found: Found, plan: QueryPlan, limit: int) -> Found:
        """Posts holding the words together first, then near each other, then the rest; score order within.

        Done on the ranked candidates rather than as an optional query clause:
        the index has no positions, and Whoosh's AndMaybe cannot skip blocks
        (it cost 0.4 s on 10k posts).
        """
        proximity = plan.proximity
        if proximity is None:
            return found[:limit]
        kept = self.postings.tiers
        if len(kept) >= KEPT_TIERS:
            kept.clear()
        words, blank = proximity.together.pattern, plan.reads_markup
        return by_proximity(found, limit, lambda post, near: self._tier(words, post, proximity, near, blank))

    def _tier(self, words: str, post: Post, proximity: Proximity, near: bool, blank: bool) -> int:
        """TOGETHER, NOT_TOGETHER (when `near` is not asked), NEAR or SCATTERED: kept per
        searcher for a post read from a file (its digest names its text). `blank`: the body
        read with its tags' markup blanked (a query that markup could match)."""
        kept = self.postings.tiers
        key = (words, post.path, post.digest)
        tier = kept.get(key, UNKNOWN) if post.digest else UNKNOWN
        body = (searchable(post.body) if blank else post.body) if tier == UNKNOWN or near else ""
        if tier == UNKNOWN:
            tier = TOGETHER if proximity.together_in(post.title, body) else NOT_TOGETHER
        if tier == NOT_TOGETHER and near:
            tier = NEAR if proximity.near_in(post.title, body) else SCATTERED
        if post.digest:
            kept[key] = tier
        return tier


def by_proximity(found: Found, limit: int, tier: Callable[[Post, bool], int]) -> Found:
    """The first `limit` of `found` (in score order) sorted by proximity tier, stable.

    Every candidate is asked whether it holds the words together (`tier(post, False)`:
    TOGETHER or not); whether they are near each other only until the hits are filled
    (`tier(post, True)`: NEAR or SCATTERED): the posts after that cannot be shown. The
    tiers of a two-word search of the app (200 hits from 600 candidates) took ~26 ms of
    its 30-60 ms at 10k posts, every candidate asked both.
    """
    together: Found = []
    others: Found = []
    for item in found:
        (together if tier(item[2], False) == TOGETHER else others).append(item)
    near: Found = []
    scattered: Found = []
    wanted = limit - len(together)
    for item in others:
        if len(near) >= wanted:
            break
        (near if tier(item[2], True) == NEAR else scattered).append(item)
    return (together + near + scattered)[:limit]


def make_hit(path: str, score: float, post: Post, matcher: Matcher) -> SearchHit:
    """A hit; its snippet is cut when first read (see LaterSnippet)."""
    meta = post_meta(post)
    return SearchHit(
        path=path,
        title=meta["title"],
        date=meta.get("date"),
        categories=meta.get("categories", []),
        tags=meta.get("tags", []),
        score=score,
        cut=LaterSnippet(post.body, matcher),
        title_highlights=matcher.spans(meta["title"]),
        draft=bool(meta.get("draft")),
    )


__all__ = [
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "InvalidQuery",
    "Node",
    "SearchHit",
    "SearchResult",
    "initials_runs",
    "make_hit",
    "positive_words",
    "replace_words",
    "rewrite",
    "run_search",
    "split_like",
]

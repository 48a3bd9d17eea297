"""Running a search: resolve 초성, plan, rank, check on the text, count, suggest, cut snippets.

A query that finds nothing is answered honestly: the words no post holds
are named (`missing`), and when the index holds a close spelling of them
the search is run again for it (`corrected`, `approximate`), labelled. A
word no post holds and nothing close to it gives no hits at all.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from whoosh import query as wq
from whoosh import scoring

from reader.posts.post import MAX_POST_BYTES, Post
from reader.search import hangul
from reader.search.analysis import MAX_WORD, is_hangul, shape
from reader.search.highlight import LaterSnippet, Matcher
from reader.search.index import SearchIndex
from reader.search.kept import is_utf8, kept_metas, kept_texts
from reader.search.manifest import post_meta
from reader.search.plan import QueryPlan, make_plan, post_texts
from reader.search.postings import Ranked, for_searcher, ranked
from reader.search.query import And, InvalidQuery, Node, Not, Or, Phrase, Word, parse, within
from reader.search.sources import file_size, quick_texts
from reader.search.suggest import Vocabulary

DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
POOL = 30  # candidates ranked by proximity before the first `limit` are kept
CHECK_ALL = 1000  # at most this many candidates needing a text check: all checked, for an exact total
MAX_VERIFY_CHECKS = 300  # texts read to learn whether a suggested word occurs at all
COUNT_BYTES = 2_000_000  # of posts read to count a spelling (the smallest first)
MAX_COUNTED = 30  # posts counted for a candidate spelling: enough to rank a few
MAX_SUGGESTIONS = 3
KEPT_HELD = 100_000  # files' verdicts of surely_holds kept per searcher (forgotten all at once past it)
READ_TO_COUNT = 16  # posts read from disk only to make a total exact, at most
SLOW_POST_S = 0.0003  # a post that takes longer was read from disk (one in memory: ~10 µs)
FILES_FIRST_AFTER = 8  # slow posts before a search reads files first
PostFor = Callable[[str], "Post | None"]  # a hit's path -> its post (None: the file is gone)
Needles = tuple["re.Pattern[bytes]", ...]  # per word, its spellings' bytes (see _Session.needles)
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
    scanned: bool = False  # True: answered by reading the posts (the index was not ready)

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
) -> SearchResult:
    """Search the index. Raises InvalidQuery for a query that cannot run.

    `post_for(path)` gives a hit's post for its check and its snippet (from
    the library snapshot, or read); None when its file is gone, and then the
    hit is dropped. `total` is exact when the candidates are few enough to
    count (and check); otherwise an estimate, and `total_exact` is False.
    `scope` (a tag, a category, a date range) limits the search to the posts
    in it, as if it were part of the query.

    Errors are not caught here: the caller asks the index whether one means
    damage (see SearchIndex.diagnose).
    """
    started = time.perf_counter()
    limit = max(1, min(limit, MAX_LIMIT))
    node = parse(text)
    if node is None:
        return SearchResult(text, 0, False, 0.0, [])
    node = within(node, scope)
    with index.searcher() as searcher:
        manifest = index.manifest  # loaded by now: it names the searcher's generation
        root = str(index.root)
        quick = None
        metas = kept_metas(searcher)
        meta = metas.reader(manifest) if manifest is not None else None
        kept = kept_texts(searcher)
        if meta is not None:  # the files' texts, kept between searches (reader.search.kept)
            quick = kept.reader(root, quick_texts(root, meta))
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        session = _Session(searcher, post_for, include_drafts, quick, file_size(root), root)
        session.meta = meta
        session.files = metas.files(manifest) if manifest is not None else None
        if quick is not None:
            session.kept, session.utf8 = kept.kept(root), kept.is_utf8(root)
        result = session.search(text, node, limit)
    result.took_ms = (time.perf_counter() - started) * 1000
    result.messages, index.messages = index.messages, []
    return result


Found = list[tuple[str, float, Post]]


class _Session:
    """One search against one searcher: the query, its 초성 and its corrections."""

    def __init__(
        self,
        searcher: Any,
        post_for: PostFor,
        include_drafts: bool,
        quick: Callable[[str], str | None] | None = None,
        size: Callable[[str], int] | None = None,
        root: str | None = None,
    ) -> None:
        self.searcher = searcher
        self.post_for = post_for
        self.quick = quick
        self.size = size  # a post's file size: spellings are counted on the small ones first
        self.root = root
        self.meta: Callable[[str], dict[str, Any] | None] | None = None  # the index's metadata of a post
        self.files: Callable[[str], tuple[int, int, int] | None] | None = None  # (size, mtime_ns, body line)
        self._bytes: dict[str, bytes] = {}  # path -> its file's bytes, this search only
        self._bytes_kept = 0
        self._files_first = False  # set once posts prove slow to get (not in memory)
        self._slow = 0  # posts that were slow to get
        self._gets = 0  # posts asked for
        self.mask = None if include_drafts else wq.Term("draft", True)
        self.postings = for_searcher(searcher)
        self.terms = self.postings.terms  # the reader, its document frequencies kept
        self.words = self.postings.vocabulary("text", Vocabulary)
        self.titles = self.postings.vocabulary("title", Vocabulary)
        self._counts: dict[tuple[Word, str | None], tuple[int, bool]] = {}
        self._masked: set[int] | frozenset[int] | None = None  # drafts, when they are left out
        self._verdicts: dict[Node, dict[int, Post | None]] = {}  # per query tree: run() and count() share
        self._needles: dict[Node, Needles] = {}
        self._sure: dict[Node, Needles] = {}
        self._utf8: dict[str, bool] = {}  # path -> whether its file's bytes are UTF-8, this search only
        self.kept: Callable[[str], str | None] | None = None  # a file's text kept by an earlier search
        self.utf8: Callable[[str, bytes], bool] | None = None  # (path, bytes) -> UTF-8, kept per file

    def search(self, text: str, node: Node, limit: int) -> SearchResult:
        node, replaced, alternatives = self.resolve_initials(node)
        corrected = rewrite(text, replaced) if replaced else None
        plan = make_plan(node, self.terms)
        found, total, exact = self.run(plan, limit)
        suggestions = [rewrite(text, alt) for alt in alternatives]
        missing: list[str] = []
        approximate = False
        if not found:
            absent = [w for w in positive_words(node) if not self.count(w, enough=1)]
            missing = [w.text for w in absent]
            for alt_replaced, alt_plan in self.respellings(absent, node):
                suggestion = rewrite(text, {**replaced, **alt_replaced})
                if not found:
                    found, total, exact = self.run(alt_plan, limit)
                    if found:
                        plan, corrected, approximate = alt_plan, suggestion, True
                elif self.exists(alt_plan):  # another spelling to offer: one post is enough to know
                    suggestions.append(suggestion)
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
        verdicts = self._verdicts.setdefault(plan.node, {})  # count() of a one-word query reuses them
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

    def ranked(self, plan: QueryPlan) -> Ranked:
        """The candidates of a plan, best first (drafts left out when asked)."""
        return ranked(self.postings.scores(plan.strict()), self.masked())

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
                and self._files_first
                and not self.might_hold(path, lambda text: check(dict.fromkeys(FIELDS, text)), self.needles(plan))
            ):
                verdicts[docnum] = None  # not even in its file: no need to load the post
                return None
            post = self.post(path)  # None: the file is gone since it was indexed
            verdicts[docnum] = post if post is not None and plan.accepts(post) else None
        return verdicts[docnum]

    def post(self, path: str) -> Post | None:
        started = time.perf_counter()
        post = self.post_for(path)
        self._gets += 1
        if time.perf_counter() - started > SLOW_POST_S:
            self._slow += 1
            # Posts are read from disk: reading a file's bytes first is cheaper, once a search
            # goes past the few hits most queries need. Not a share of the posts asked for:
            # those the library keeps (its last 64 read) are quick, and a repeated search
            # asking for them never reached half (읽은다섯: 84 of 173 posts read whole, warm).
            self._files_first = self._slow >= FILES_FIRST_AFTER
        return post

    def might_hold(self, path: str, test: Callable[[str], object], needles: Needles = ()) -> bool:
        """False when `test` fails on everything the post's text could hold (see reader.search.sources).

        `needles` (see `needles`), all in the file's bytes, tell it holds without decoding it:
        a compound's candidates are long posts (규칙일째: 47 of them, ~35 ms decoded)."""
        if self.quick is None:
            return True
        if needles:
            kept = self.kept(path) if self.kept is not None else None
            if kept is not None:  # decoded by an earlier search: looked for in its text
                return bool(test(kept))
            data = self.file_bytes(path)
            if data is not None and all(word.search(data) for word in needles) and not _RECOMPOSED.search(data):
                # UTF-8 holding them decodes to a text holding them (NFC changes a syllable only
                # before conjoining jamo); bytes that are not UTF-8 have no quick text: True too.
                return True
        text = self.quick(path)
        return text is None or bool(test(text))

    def surely_holds(self, path: str, plan: QueryPlan, known_only: bool = False) -> bool:
        """True when the post's body surely passes the plan's check, told from its file's bytes
        without loading it: each word's pattern (see sure_needles) found after the line its
        body starts on, in the unchanged file the index read (size and time as listed), a
        UTF-8 file whose decoding changes none of it (no CR, no control bytes, no conjoining
        jamo, no JSON front matter ending mid-line). False when it cannot be told so, or,
        `known_only`, when no search on this searcher has told it yet (nothing is read).
        (규칙일째 at 10k: 56 posts read, ~36 ms, to make a total of 56 exact.)"""
        needles = self.sure_needles(plan)
        listed = self.files(path) if self.files is not None and needles else None
        if listed is None or self.root is None:
            return False
        size, mtime_ns, body_line = listed
        key = (path, tuple(needle.pattern for needle in needles))
        known = self.postings.held.get(key)
        if known is None and known_only:
            return False
        try:
            stat = os.stat(os.path.join(self.root, path))
        except OSError:
            return False
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
            return False  # changed since the index read it
        if known is None:
            known = self._surely_holds(path, needles, size, body_line)
            if len(self.postings.held) >= KEPT_HELD:
                self.postings.held.clear()
            self.postings.held[key] = known
        return known

    def _surely_holds(self, path: str, needles: Needles, size: int, body_line: int) -> bool:
        data = self.file_bytes(path)
        if data is None or body_line < 1 or len(data) != size or size > MAX_POST_BYTES:
            return False
        if (
            b"\r" in data
            or data.startswith(_JSON_OPENINGS)
            or len(data[:8192].translate(None, _CONTROL_BYTES)) != len(data[:8192])
            or _RECOMPOSED.search(data)
            or not self.is_utf8(path, data)
        ):
            return False
        start = 0
        for _ in range(body_line - 1):
            start = data.find(b"\n", start) + 1
            if start == 0:
                return False  # the front matter ends the file: no body
        return all(needle.search(data, start) for needle in needles)

    def sure_needles(self, plan: QueryPlan) -> Needles:
        """For a query of Hangul words alone (any field, none a prefix, each one piece), each
        word's bytes as its check's pattern surely matches them: with or without a space
        between syllables for three or more, as typed for fewer (see reader.search.highlight).
        () for any other query."""
        found = self._sure.get(plan.node)
        if found is None:
            words = [w for w in plan.words if isinstance(w, Word) and w.field is None and not w.prefix]
            whole = len(words) == len(plan.words) and all(_syllables(w.text) and _one_piece(w.text) for w in words)
            found = self._sure[plan.node] = tuple(map(_sure_spelling, words)) if whole else ()
        return found

    def needles(self, plan: QueryPlan) -> Needles:
        """For each word of a query of Hangul words alone, a pattern of its UTF-8 bytes as
        typed, with or without a space between its syllables: a text holding each word so
        passes the plan's check (a word's pattern matches it so, see reader.search.highlight;
        `규칙일째` is found in `규칙 일째`). () for any other query."""
        found = self._needles.get(plan.node)
        if found is None:
            words = [w for w in plan.words if isinstance(w, Word) and w.field is None and not w.prefix]
            hangul_only = len(words) == len(plan.words) and all(_syllables(w.text) for w in words)
            found = self._needles[plan.node] = tuple(map(_spellings, words)) if hangul_only else ()
        return found

    def total(self, ordered: Ranked, plan: QueryPlan, verdicts: dict[int, Post | None]) -> tuple[int, bool]:
        """How many posts match: every candidate counted; where a text check is needed,
        every candidate checked up to CHECK_ALL of them, beyond that an upper bound.

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
        check = plan.check
        held, unread = 0, []
        for docnum, _ in ordered:
            if (
                docnum not in verdicts
                and not self._files_first
                and self.surely_holds(self.postings.path(docnum), plan, True)
            ):
                held += 1  # counted unread by an earlier search, and its file unchanged
                continue
            if docnum not in verdicts and self._files_first:
                path = self.postings.path(docnum)
                if not self.might_hold(path, lambda text: check(dict.fromkeys(FIELDS, text)), self.needles(plan)):
                    verdicts[docnum] = None
                elif self.surely_holds(path, plan):
                    held += 1  # its body holds the words: counted without loading the post
                else:
                    unread.append(docnum)
                continue
            held += self.accept(docnum, plan, verdicts) is not None
        if len(unread) > READ_TO_COUNT:
            return held + len(unread), False
        return held + sum(1 for docnum in unread if self.accept(docnum, plan, verdicts) is not None), True

    def rank(self, found: Found, plan: QueryPlan, limit: int) -> Found:
        """Posts holding the words together first, then near each other, then the rest; score order within.

        Done on the ranked candidates rather than as an optional query clause:
        the index has no positions, and Whoosh's AndMaybe cannot skip blocks
        (it cost 0.4 s on 10k posts).
        """
        proximity = plan.proximity
        if proximity is None:
            return found[:limit]
        tiers = {path: proximity.tier(post.title, post.body) for path, _, post in found}
        return sorted(found, key=lambda item: tiers[item[0]])[:limit]  # stable: score order within a tier

    def count(self, word: Word, literal: re.Pattern[str] | None = None, enough: int = MAX_COUNTED) -> int:
        """How many posts hold `word` (or, given, `literal` written as it is), up to `enough` of them.

        Enough to rank a few candidate spellings, or (`enough=1`) to know
        whether any post holds the word; never every candidate of a common word.
        """
        key = (word, literal.pattern if literal else None)
        known = self._counts.get(key)
        if known is not None and (known[0] >= enough or known[1]):
            return min(known[0], enough)
        plan = make_plan(word, self.terms)
        names = [word.field] if word.field else ["title", "body", "tags", "categories"]
        holders = literal_holders(word, literal, plan) if literal is not None else None
        if holders is not None:
            # Every post the index finds for it holds it as written: no text to read.
            held = min(enough, len(self.docs(holders)))
            self._counts[key] = (held, held < enough)
            return held
        verdicts = self._verdicts.setdefault(word, {}) if literal is None else {}
        candidates = list(islice(self.docs(plan.strict()), MAX_VERIFY_CHECKS))
        sizes: dict[int, int] = {}
        if literal is not None and self.size is not None and len(candidates) > 1:
            # A spelling to rank: the smallest posts first, and COUNT_BYTES of them at most.
            # One no post holds has the longest posts for candidates (they hold its every
            # trigram somewhere): at 10k, 읽은다섯's five respellings had 166, most over 100 KB.
            sizes = {d: self.size(self.postings.path(d)) for d in candidates}
            candidates.sort(key=sizes.__getitem__)
        # Counted on the files, as read or kept, in the app as in the CLI: the posts a count
        # reads are rarely the ones a search has loaded (the longest hold every trigram).
        files = literal is not None and word.field is None
        needle = literal_bytes(literal) if files and literal is not None else None
        held, looked, read = 0, 0, 0
        for docnum in candidates:
            if sizes:
                read += sizes[docnum]
                if read > COUNT_BYTES and looked:
                    looked = MAX_VERIFY_CHECKS  # not all looked at
                    break
            looked += 1
            if literal is None:
                held += self.accept(docnum, plan, verdicts) is not None
            else:
                path = self.postings.path(docnum)
                data = self.file_bytes(path) if needle is not None else None
                if needle is not None and data is not None and not _RECOMPOSED.search(data):
                    # Looked for in the file's bytes first: no decoding, most files do not hold
                    # it (읽은다섯's five respellings: 85 files, 3 MB, 70 ms decoded). A miss
                    # counts only for a UTF-8 file whose indexed title, tags and categories lack
                    # it too (a CP949 file, a title made from the file name: read on).
                    if needle in data:
                        held += 1
                        if held >= enough:
                            break
                        continue
                    if self.is_utf8(path, data) and not _in_meta(self.meta, path, literal):
                        continue
                text = self.quick(path) if self.quick is not None and files else None
                if text is not None:
                    # Counted on the file's text (what the post could hold): a count only ranks
                    # spellings, and loading each post cost ~1.5 ms (30 for each of 5 spellings).
                    held += literal.search(text) is not None
                    if held >= enough:
                        break
                    continue
                if self._files_first and not self.might_hold(path, literal.search):
                    continue
                post = self.post(path)
                if post is not None:
                    texts = post_texts(post)
                    held += any(literal.search(texts[name]) for name in names)
            if held >= enough:
                break
        self._counts[key] = (held, held < enough and looked < MAX_VERIFY_CHECKS)  # (found, all looked at)
        return held

    def file_bytes(self, path: str) -> bytes | None:
        """A post's file as bytes (kept for this search: spellings share their long posts)."""
        if self.root is None:
            return None
        if path not in self._bytes:
            try:
                with open(os.path.join(self.root, path), "rb") as file:
                    data = file.read()
            except OSError:
                return None
            if data.startswith(_WIDE_BOMS):
                return None
            if self._bytes_kept + len(data) > COUNT_BYTES * 4:
                return data
            self._bytes[path] = data
            self._bytes_kept += len(data)
        return self._bytes[path]

    def is_utf8(self, path: str, data: bytes) -> bool:
        """Whether a file's bytes are UTF-8 (known once a search: each spelling counted reads
        the same long posts, 112 decodes for 읽은다섯's five; and kept per unchanged file)."""
        known = self._utf8.get(path)
        if known is None:
            known = self._utf8[path] = self.utf8(path, data) if self.utf8 is not None else is_utf8(data)
        return known

    def exists(self, plan: QueryPlan) -> bool:
        """Whether any post matches the plan (what `run` finds, short of ranking it)."""
        verdicts = self._verdicts.setdefault(plan.node, {})
        return any(self.accept(docnum, plan, verdicts) is not None for docnum in self.docs(plan.strict()))

    def docs(self, q: Any) -> list[int]:
        """The docnums `q` matches, in index order, drafts left out when asked."""
        masked = self.masked()
        found = self.postings.docs(q)
        return sorted(d for d in found if d not in masked) if masked else sorted(found)

    # --- 초성 ------------------------------------------------------------------------------

    def resolve_initials(self, node: Node) -> tuple[Node, dict[str, str], list[dict[str, str]]]:
        """The query with each 초성 word replaced by the word the posts most often hold for it.

        Consecutive 초성 words are first tried as one (`ㅈㅇㅇ ㅊㄹ` -> 자연어 처리),
        which keeps a compound together. Returns the new tree, what replaced
        what, and up to MAX_SUGGESTIONS other readings.
        """
        words = [w for w in positive_words(node) if hangul.is_initials(w.text)]
        if not words:
            return node, {}, []
        replaced: dict[str, str] = {}
        alternatives: list[dict[str, str]] = []
        for run in initials_runs(node, words):
            readings = self.read_initials(run)
            if readings:
                replaced.update(readings[0])
                alternatives.extend(readings[1:])
        if not replaced:
            return node, {}, []
        return replace_words(node, replaced), replaced, [{**replaced, **alt} for alt in alternatives]

    def read_initials(self, run: list[Word]) -> list[dict[str, str]]:
        """Readings of a run of 초성 words, best first: {typed word: word read}."""
        if len(run) > 1:
            joined = "".join(w.text for w in run)
            for word in self.initials_candidates(Word(joined, run[0].field), [len(w.text) for w in run]):
                return [dict(zip([w.text for w in run], split_like(word, run), strict=True))]
        readings: list[dict[str, str]] = []
        for typed in run:
            candidates = self.initials_candidates(typed)
            if candidates:
                readings.append({typed.text: candidates[0]})
                readings.extend({typed.text: other} for other in candidates[1:MAX_SUGGESTIONS])
        if len(run) > 1 and readings:
            best: dict[str, str] = {}
            for reading in readings:
                for key, value in reading.items():
                    best.setdefault(key, value)
            return [best]
        return readings

    def initials_candidates(self, typed: Word, parts: list[int] | None = None) -> list[str]:
        """Words that `typed` stands for and posts really hold, most posts first.

        Titles first: their words are topics, where a post's text also holds
        every phrase that happens to share the letters (`ㅎㄱㅇ`: 한국어, not 하기의).
        A word counts where it is written whole; typed as `parts` (`ㅈㅇㅇ ㅊㄹ`),
        with or without a space between them.
        """

        def literal(word: str) -> re.Pattern[str]:
            pieces, at = [], 0
            for size in parts or [len(word)]:
                pieces.append(re.escape(word[at : at + size]))
                at += size
            return re.compile(r"(?<![\uac00-\ud7a3])" + r"[^\S\n]?".join(pieces))  # at a word's start

        phases = [(self.titles, "title"), (self.words, typed.field)] if typed.field in (None, "title") else []
        for vocabulary, where in phases or [(self.words, typed.field)]:
            counted = {c: self.count(Word(c, where), literal(c)) for c in vocabulary.initials(typed.text)}
            held = sorted((c for c in counted if counted[c]), key=lambda c: -counted[c])
            if held:
                return held
        return []

    # --- did you mean ----------------------------------------------------------------------

    def respellings(self, absent: list[Word], node: Node) -> Iterator[tuple[dict[str, str], QueryPlan]]:
        """Queries with the absent words spelt as the posts spell them, best first (whether
        they find anything is for the caller to learn)."""
        options = {w.text: self.close_words(w) for w in absent}
        if not absent or not all(options.values()):
            return
        best = {typed: spellings[0] for typed, spellings in options.items()}
        tried: list[dict[str, str]] = [best]
        for typed, spellings in options.items():
            tried.extend({**best, typed: other} for other in spellings[1:])
        for replaced in tried[:MAX_SUGGESTIONS]:
            yield replaced, make_plan(replace_words(node, replaced), self.terms)

    def close_words(self, word: Word) -> list[str]:
        """Spellings of `word` the posts hold, one typo away, most posts first."""
        parsed = shape(word.text)
        if parsed is None or word.prefix:
            return []
        spellings: list[str] = []
        cores: dict[str, str] = {}  # a spelling -> the part that must be written whole
        if parsed.stems:  # `머신러닌을`: respell the stem, keep the particle (`머신러닝에서` counts too)
            stem = parsed.stems[0]
            ending = parsed.pieces[0][len(stem) :]
            cores = {s + ending: s for s in self.words.suggest(stem)}
            spellings = list(cores) or self.words.suggest(parsed.pieces[0])
        else:
            lowered = word.text.lower()
            for piece in parsed.pieces:
                if len(parsed.pieces) > 1 and self.count(Word(piece, word.field), enough=1):
                    continue  # `gpt모델`: respell only the part no post holds
                at = lowered.find(piece)
                if at < 0:
                    continue
                spellings += [word.text[:at] + s + word.text[at + len(piece) :] for s in self.words.suggest(piece)]
        # Counted where written whole: `뜬구는` must not count `뜬 구는`.
        counted = {
            s: self.count(Word(s, word.field), re.compile(re.escape(cores.get(s, s)), re.IGNORECASE))
            for s in dict.fromkeys(spellings)
        }
        # Same length first (a mistyped letter is likelier than a missing syllable), then most posts.
        held = [s for s in counted if counted[s]]
        same_length = [s for s in held if len(s) == len(word.text)]
        return sorted(same_length or held, key=lambda s: -counted[s])[:MAX_SUGGESTIONS]


def _spellings(word: Word) -> re.Pattern[bytes]:
    """`word` in UTF-8, with or without one space between each two syllables."""
    return re.compile(b" ?".join(re.escape(syllable.encode("utf-8")) for syllable in word.text))


def _sure_spelling(word: Word) -> re.Pattern[bytes]:
    """`word` in UTF-8 as its pattern surely matches it: a space or none between syllables
    for three or more (the pattern allows any one space), as typed for fewer."""
    between = b" ?" if len(word.text) >= 3 else b""
    return re.compile(between.join(re.escape(syllable.encode("utf-8")) for syllable in word.text))


def _one_piece(text: str) -> bool:
    parsed = shape(text)
    return parsed is not None and list(parsed.pieces) == [text]


def _syllables(text: str) -> bool:
    """Whether `text` is made of precomposed Hangul syllables alone."""
    return bool(text) and all("\uac00" <= c <= "\ud7a3" for c in text)


def _in_meta(meta_for: Callable[[str], dict[str, Any] | None] | None, path: str, literal: re.Pattern[str]) -> bool:
    """Whether the index's title, tags or categories of `path` hold `literal` (True: not known)."""
    meta = meta_for(path) if meta_for is not None else None
    if meta is None:
        return True
    words = [str(meta.get("title") or ""), *map(str, meta.get("tags") or ()), *map(str, meta.get("categories") or ())]
    return any(literal.search(word) for word in words)


_RECOMPOSED = re.compile(rb"\xe1[\x84-\x87]")  # conjoining jamo (U+1100-U+11FF): NFC may make syllables of them
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32: its bytes are not UTF-8's
_JSON_OPENINGS = (b"{", b"\xef\xbb\xbf{")  # JSON front matter: its body may start mid-line
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 27))  # what decoding may replace


def literal_bytes(literal: re.Pattern[str]) -> bytes | None:
    """The UTF-8 bytes of a literal made of Hangul syllables alone (no case to ignore), else None.

    Found in a file's bytes where its text holds it, in a file decoded as UTF-8
    without conjoining jamo; a file in another encoding (CP949) does not count
    it: the count only ranks spellings."""
    text = literal.pattern
    if not text or not all("\uac00" <= c <= "\ud7a3" for c in text):
        return None
    return text.encode("utf-8")


def literal_holders(word: Word, literal: re.Pattern[str], plan: QueryPlan) -> wq.Query | None:
    """A query for exactly the posts holding `literal` as written, when the index can tell:
    the word's own plan (see index_holds_literally), or, for a word whose `literal` is a
    two-syllable stem (`그램` of a respelt `그램을`), that stem's plain bigram, made only
    where its syllables stand together. None when the texts must be read."""
    if index_holds_literally(word, literal):
        return plan.strict()
    if word.field is not None or word.prefix:
        return None
    parsed = shape(word.text)
    if parsed is None or not any(literal.pattern == re.escape(stem) for stem in parsed.stems):
        return None
    stem = next(stem for stem in parsed.stems if literal.pattern == re.escape(stem))
    if not (is_hangul(stem) and len(stem) == 2):
        return None
    return wq.Or([wq.Term("title", stem), wq.Term("text", stem)])


def index_holds_literally(word: Word, literal: re.Pattern[str]) -> bool:
    """Whether every post the index finds for `word` holds `literal` as written: a word of
    two syllables is one plain bigram term, made only where they stand together; a Latin
    word is one whole-word term (`literal` ignoring case). Any field, no particle."""
    if word.field is not None or word.prefix:
        return False
    parsed = shape(word.text)
    if parsed is None or parsed.stems or len(parsed.pieces) != 1:
        return False
    piece = parsed.pieces[0]
    if is_hangul(piece):
        return len(piece) == 2 and literal.pattern == re.escape(piece)
    return (
        piece.isascii()
        and len(piece) < MAX_WORD
        and bool(literal.flags & re.IGNORECASE)
        and literal.pattern.lower() == re.escape(piece)
        and unicodedata.normalize("NFC", word.text).lower() == piece
    )


def positive_words(node: Node) -> list[Word]:
    """The plain words of the query that must (or may) be found: not under NOT, not prefixes."""
    if isinstance(node, Word):
        return [] if node.prefix else [node]
    if isinstance(node, And | Or):
        return [w for child in node.children for w in positive_words(child)]
    return []


def initials_runs(node: Node, words: list[Word]) -> list[list[Word]]:
    """The 초성 words grouped into runs that stand next to each other in one AND."""
    runs: list[list[Word]] = []
    chosen = set(map(id, words))

    def walk(n: Node) -> None:
        if isinstance(n, And):
            current: list[Word] = []
            for child in n.children:
                if isinstance(child, Word) and id(child) in chosen and (not current or current[0].field == child.field):
                    current.append(child)
                    continue
                if current:
                    runs.append(current)
                current = [child] if isinstance(child, Word) and id(child) in chosen else []
                if not current:
                    walk(child)
            if current:
                runs.append(current)
        elif isinstance(n, Or):
            for child in n.children:
                walk(child)
        elif isinstance(n, Word) and id(n) in chosen:
            runs.append([n])

    walk(node)
    return runs


def split_like(word: str, run: list[Word]) -> list[str]:
    """`자연어처리` split as `ㅈㅇㅇ ㅊㄹ` was typed: [자연어, 처리]."""
    out, at = [], 0
    for typed in run:
        out.append(word[at : at + len(typed.text)])
        at += len(typed.text)
    return out


def replace_words(node: Node, replaced: dict[str, str]) -> Node:
    if isinstance(node, Word):
        return Word(replaced[node.text], node.field, node.prefix) if node.text in replaced else node
    if isinstance(node, And):
        return And(tuple(replace_words(c, replaced) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(replace_words(c, replaced) for c in node.children))
    if isinstance(node, Not | Phrase):
        return node
    return node


def rewrite(text: str, replaced: dict[str, str]) -> str:
    """The query as typed with some words replaced (each where it first stands alone)."""
    out = unicodedata.normalize("NFC", text)
    for typed, new in replaced.items():
        at = re.search(rf"(?<![^\s(:]){re.escape(typed)}(?![^\s)])", out)
        if at is not None:
            out = out[: at.start()] + new + out[at.end() :]
    return out


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


__all__ = ["InvalidQuery", "Node", "SearchHit", "SearchResult", "run_search"]

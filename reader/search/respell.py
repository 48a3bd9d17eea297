"""Did you mean: how many posts hold a word, and the spellings the posts hold for a word none holds.

A count only ranks spellings, or tells whether any post holds a word at all
(`enough=1`): it stops at `enough`, reads the smallest posts first and at
most COUNT_BYTES of them, and looks in the files' bytes before decoding them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Protocol

from whoosh import query as wq

from reader.posts.post import Post
from reader.search.analysis import MAX_WORD, is_hangul, shape
from reader.search.filecheck import RECOMPOSED, FileCheck
from reader.search.plan import QueryPlan, make_plan, post_texts
from reader.search.postings import Postings
from reader.search.query import Node, Word
from reader.search.rewrite import replace_words
from reader.search.suggest import Vocabulary

MAX_VERIFY_CHECKS = 300  # texts read to learn whether a suggested word occurs at all
COUNT_BYTES = 2_000_000  # of posts read to count a spelling (the smallest first)
MAX_COUNTED = 30  # posts counted for a candidate spelling: enough to rank a few
MAX_SUGGESTIONS = 3


class Candidates(Protocol):
    """What a count uses of its search (reader.search.searcher's session): its candidates and their checks."""

    terms: Any  # the index's terms, their document frequencies kept (for make_plan)
    postings: Postings
    files: FileCheck
    files_first: bool  # posts are slow to get: their files are read first
    size: Callable[[str], int] | None  # a post's file size
    meta: Callable[[str], dict[str, Any] | None] | None  # the index's metadata of a post
    verdicts: dict[Node, dict[int, Post | None]]  # per query tree, per candidate: its post when it matches

    def docs(self, q: Any) -> Iterator[int]: ...

    def accept(self, docnum: int, plan: QueryPlan, verdicts: dict[int, Post | None]) -> Post | None: ...

    def post(self, path: str) -> Post | None: ...


class Spellings:
    """Words counted in the posts, and close spellings of words none holds, for one search."""

    def __init__(self, search: Candidates, words: Vocabulary) -> None:
        self.search = search
        self.words = words  # the words of the posts' text
        self._counts: dict[tuple[Word, str | None], tuple[int, bool]] = {}

    def respellings(self, absent: list[Word], node: Node) -> Iterator[tuple[dict[str, str], QueryPlan]]:
        """Queries with the absent words spelt as the posts spell them, best first (whether
        they find anything is for the caller to learn)."""
        options: dict[str, list[str]] = {}
        for word in absent:
            options[word.text] = self.close_words(word)
            if not options[word.text]:
                return  # nothing to respell one of them with: no query to offer (the others not counted)
        if not options:
            return
        best = {typed: spellings[0] for typed, spellings in options.items()}
        tried: list[dict[str, str]] = [best]
        for typed, spellings in options.items():
            tried.extend({**best, typed: other} for other in spellings[1:])
        for replaced in tried[:MAX_SUGGESTIONS]:
            yield replaced, make_plan(replace_words(node, replaced), self.search.terms)

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

    def count(self, word: Word, literal: re.Pattern[str] | None = None, enough: int = MAX_COUNTED) -> int:
        """How many posts hold `word` (or, given, `literal` written as it is), up to `enough` of them.

        Enough to rank a few candidate spellings, or (`enough=1`) to know
        whether any post holds the word; never every candidate of a common word.
        """
        key = (word, literal.pattern if literal else None)
        known = self._counts.get(key)
        if known is not None and (known[0] >= enough or known[1]):
            return min(known[0], enough)
        search, files = self.search, self.search.files
        plan = make_plan(word, search.terms)
        names = [word.field] if word.field else ["title", "body", "tags", "categories"]
        holders = literal_holders(word, literal, plan) if literal is not None else None
        if holders is not None:
            # Every post the index finds for it holds it as written: no text to read.
            held = sum(1 for _ in islice(search.docs(holders), enough))
            self._counts[key] = (held, held < enough)
            return held
        verdicts = search.verdicts.setdefault(word, {}) if literal is None else {}
        found = islice(search.docs(plan.strict()), MAX_VERIFY_CHECKS)
        candidates: Iterable[int] = found  # walked as checked: `enough=1` stops at the first post holding it
        sizes: dict[int, int] = {}
        if literal is not None and search.size is not None:
            smallest = list(found)
            # A spelling to rank: the smallest posts first, and COUNT_BYTES of them at most.
            # One no post holds has the longest posts for candidates (they hold its every
            # trigram somewhere): at 10k, 읽은다섯's five respellings had 166, most over 100 KB.
            paths = dict(zip(smallest, search.postings.paths_of(smallest), strict=True))
            sizes = {d: search.size(paths[d]) for d in smallest}
            candidates = sorted(smallest, key=sizes.__getitem__)
        # Counted on the files, as read or kept, in the app as in the CLI: the posts a count
        # reads are rarely the ones a search has loaded (the longest hold every trigram).
        in_files = literal is not None and word.field is None
        needle = literal_bytes(literal) if in_files and literal is not None else None
        held, looked, read = 0, 0, 0
        for docnum in candidates:
            if sizes:
                read += sizes[docnum]
                if read > COUNT_BYTES and looked:
                    looked = MAX_VERIFY_CHECKS  # not all looked at
                    break
            looked += 1
            if literal is None:
                held += search.accept(docnum, plan, verdicts) is not None
            else:
                path = search.postings.path(docnum)
                data = files.file_bytes(path) if needle is not None else None
                if needle is not None and data is not None and not RECOMPOSED.search(data):
                    # Looked for in the file's bytes first: no decoding, most files do not hold
                    # it (읽은다섯's five respellings: 85 files, 3 MB, 70 ms decoded). A miss
                    # counts only for a UTF-8 file whose indexed title, tags and categories lack
                    # it too (a CP949 file, a title made from the file name: read on).
                    if needle in data:
                        held += 1
                        if held >= enough:
                            break
                        continue
                    if files.is_utf8(path, data) and not _in_meta(search.meta, path, literal):
                        continue
                text = files.quick(path) if files.quick is not None and in_files else None
                if text is not None:
                    # Counted on the file's text (what the post could hold): a count only ranks
                    # spellings, and loading each post cost ~1.5 ms (30 for each of 5 spellings).
                    held += literal.search(text) is not None
                    if held >= enough:
                        break
                    continue
                if search.files_first and not files.might_hold(path, literal.search):
                    continue
                post = search.post(path)
                if post is not None:
                    texts = post_texts(post)
                    held += any(literal.search(texts[name]) for name in names)
            if held >= enough:
                break
        self._counts[key] = (held, held < enough and looked < MAX_VERIFY_CHECKS)  # (found, all looked at)
        return held


def _in_meta(meta_for: Callable[[str], dict[str, Any] | None] | None, path: str, literal: re.Pattern[str]) -> bool:
    """Whether the index's title, tags or categories of `path` hold `literal` (True: not known)."""
    meta = meta_for(path) if meta_for is not None else None
    if meta is None:
        return True
    words = [str(meta.get("title") or ""), *map(str, meta.get("tags") or ()), *map(str, meta.get("categories") or ())]
    return any(literal.search(word) for word in words)


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

"""Did you mean: how many posts hold a word, and the spellings the posts hold for a word none holds.

A count only ranks spellings, or tells whether any post holds a word at all
(`enough=1`): it stops at `enough`, reads the smallest posts first and at
most COUNT_BYTES of them, and looks in the files' bytes before decoding them.

A spelling is offered only where some post writes it as a word (as_written):
the index holds syllable pairs, and a respelling made of them may be a piece
of longer words (`임베딩드` -> `임베딩되` of `임베딩되는`, `임베딩으` of `임베딩으로`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, Protocol

from whoosh import query as wq

from reader.posts.post import Post
from reader.search.analysis import MAX_WORD, PARTICLES, shape, strip_particle
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

# Endings a verb's stem takes more often than a noun (사용하고, 작성하며, 있으나): a spelling a post
# writes only before one of them is likely a stem cut from a verb (임베딩되 of 임베딩되고), no word.
# 는 and 은 follow verbs too (쓰이는, 괜찮은), but nouns as often (서버관리는): they stay particles.
VERB_ENDINGS = frozenset({"고", "며", "나"})
MAX_PARTICLE = max(map(len, PARTICLES))  # syllables


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
        # Counted where written as a word, whole: `뜬구는` must not count `뜬 구는`, nor
        # `임베딩되` the posts' `임베딩되는`.
        counted = {s: self.count(Word(s, word.field), as_written(cores.get(s, s))) for s in dict.fromkeys(spellings)}
        # Same length first (a mistyped letter is likelier than a missing syllable), then most posts.
        held = [s for s in counted if counted[s]]
        same_length = [s for s in held if len(s) == len(word.text)]
        return sorted(same_length or held, key=lambda s: -counted[s])[:MAX_SUGGESTIONS]

    def count(self, word: Word, literal: Literal | None = None, enough: int = MAX_COUNTED) -> int:
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
        if holders is not None and not isinstance(literal, Written):
            # Every post the index finds for it holds it as written: no text to read.
            held = sum(1 for _ in islice(search.docs(holders), enough))
            self._counts[key] = (held, held < enough)
            return held
        verdicts = search.verdicts.setdefault(word, {}) if literal is None else {}
        found = islice(search.docs(holders if holders is not None else plan.strict()), MAX_VERIFY_CHECKS)
        candidates: Iterable[int] = found  # walked as checked: `enough=1` stops at the first post holding it
        measure: Callable[[int], int] | None = None  # a candidate's file size: COUNT_BYTES of them read
        size_of = search.size
        if holders is not None and size_of is not None:
            # Posts that hold a two-syllable spelling as written, most of them as a word: walked
            # in index order to the first `enough` (모댈을's five respellings at 10k: collecting
            # and sorting 300 candidates each cost ~60 ms more).

            def measure(docnum: int) -> int:
                return size_of(search.postings.path(docnum))

        elif literal is not None and size_of is not None:
            smallest = list(found)
            # A spelling to rank: the smallest posts first, and COUNT_BYTES of them at most.
            # One no post holds has the longest posts for candidates (they hold its every
            # trigram somewhere): at 10k, 읽은다섯's five respellings had 166, most over 100 KB.
            paths = dict(zip(smallest, search.postings.paths_of(smallest), strict=True))
            sizes = {d: size_of(paths[d]) for d in smallest}
            candidates = sorted(smallest, key=sizes.__getitem__)
            measure = sizes.__getitem__
        # Counted on the files, as read or kept, in the app as in the CLI: the posts a count
        # reads are rarely the ones a search has loaded (the longest hold every trigram).
        in_files = literal is not None and word.field is None
        needle = literal.in_bytes if in_files and isinstance(literal, Written) and literal.data else None
        held, looked, read = 0, 0, 0
        for docnum in candidates:
            if measure is not None:
                read += measure(docnum)
                if read > COUNT_BYTES and looked:
                    looked = MAX_VERIFY_CHECKS  # not all looked at
                    break
            looked += 1
            if literal is None:
                held += search.accept(docnum, plan, verdicts) is not None
            else:
                path = search.postings.path(docnum)
                raw = files.file_bytes(path) if needle is not None else None
                if needle is not None and raw is not None and not RECOMPOSED.search(raw):
                    # Looked for in the file's bytes first: no decoding, most files do not hold
                    # it (읽은다섯's five respellings: 85 files, 3 MB, 70 ms decoded). A miss
                    # counts only for a UTF-8 file whose indexed title, tags and categories lack
                    # it too (a CP949 file, a title made from the file name: read on).
                    if needle(raw):
                        held += 1
                        if held >= enough:
                            break
                        continue
                    if files.is_utf8(path, raw) and not _in_meta(search.meta, path, literal):
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


def _in_meta(meta_for: Callable[[str], dict[str, Any] | None] | None, path: str, literal: Literal) -> bool:
    """Whether the index's title, tags or categories of `path` hold `literal` (True: not known)."""
    meta = meta_for(path) if meta_for is not None else None
    if meta is None:
        return True
    words = [str(meta.get("title") or ""), *map(str, meta.get("tags") or ()), *map(str, meta.get("categories") or ())]
    return any(literal.search(word) for word in words)


class Written:
    """A spelling where a post writes it as a word of its own, case ignored: where it starts
    or ends with Hangul, a word starts or ends there, or a particle follows that leaves it
    whole as strip_particle reads it (`임베딩` in `임베딩으로`; not `임베딩으`, nor `임베딩되` in
    `임베딩되는`: its particle is `되는`), none of VERB_ENDINGS.

    Looked for as its plain text, its edges checked where it is found: a pattern with a
    class of Hangul syllables costs 2 ms to compile, 9 ms ignoring case, for each spelling
    (`reader search` is a new process each time), and one that starts with a look-behind
    is tried at every position of a file (34 ms in 440 KB, where `in` takes 0.6 ms)."""

    def __init__(self, spelling: str) -> None:
        self.spelling = spelling
        self.pattern = "as written: " + spelling  # what a count is kept under
        self.flags = re.IGNORECASE
        self.data = spelling.encode("utf-8") if all(map(_is_syllable, spelling)) else None  # no case
        self._text = re.compile(re.escape(spelling), re.IGNORECASE)
        self._starts, self._ends = _is_syllable(spelling[:1]), _is_syllable(spelling[-1:])

    def search(self, text: str) -> re.Match[str] | None:
        """Where `text` first holds the spelling as a word (None: nowhere), as a pattern's search."""
        for match in self._text.finditer(text):
            start, end = match.span()
            if not (self._starts and start and _is_syllable(text[start - 1])) and self._ends_word(
                text[end : end + MAX_PARTICLE + 1]
            ):
                return match
        return None

    def in_bytes(self, data: bytes) -> bool:
        """Whether a file's UTF-8 `data` holds it as a word, for a spelling of Hangul syllables
        alone (`data`). Found in a file's bytes where its text holds it, in a file decoded as
        UTF-8 without conjoining jamo; a file in another encoding (CP949) does not count it:
        the count only ranks spellings."""
        needle = self.data
        assert needle is not None
        at = data.find(needle)
        while at >= 0:
            before = data[max(at - 3, 0) : at].decode("utf-8", "ignore")  # a syllable is 3 bytes
            after = data[at + len(needle) : at + len(needle) + 3 * (MAX_PARTICLE + 1)].decode("utf-8", "ignore")
            if not _is_syllable(before[-1:]) and self._ends_word(after):
                return True
            at = data.find(needle, at + 1)
        return False

    def _ends_word(self, after: str) -> bool:
        """Whether what follows the spelling (MAX_PARTICLE + 1 characters) ends its word."""
        if not self._ends:
            return True
        rest = after[: next((i for i, c in enumerate(after) if not _is_syllable(c)), len(after))]
        return not rest or (
            len(rest) <= MAX_PARTICLE
            and rest not in VERB_ENDINGS
            and strip_particle(self.spelling + rest) == self.spelling
        )


Literal = re.Pattern[str] | Written  # what a count looks for in a post's text


def as_written(spelling: str) -> Literal:
    """What a count of `spelling` looks for: itself as a word (Written) where it has Hangul
    at an edge; a Latin word as it is, ignoring case (the index's terms are whole words)."""
    if _is_syllable(spelling[:1]) or _is_syllable(spelling[-1:]):
        return Written(spelling)
    return re.compile(re.escape(spelling), re.IGNORECASE)


def _is_syllable(char: str) -> bool:
    return len(char) == 1 and "\uac00" <= char <= "\ud7a3"


def literal_holders(word: Word, literal: Literal, plan: QueryPlan) -> wq.Query | None:
    """A query for exactly the posts holding `literal` as written, when the index can tell:
    the word's own plan (see index_holds_literally), or, for a two-syllable spelling (`그램`,
    of a respelt `그램을` too), its plain bigram, made only where its syllables stand together.
    Whether they write it as a word is for their texts to tell (Written). None when it cannot."""
    if index_holds_literally(word, literal):
        return plan.strict()
    if word.field is not None or word.prefix or not isinstance(literal, Written):
        return None
    spelling, parsed = literal.spelling, shape(word.text)
    if parsed is None or len(spelling) != 2 or literal.data is None:
        return None
    if spelling != word.text and spelling not in parsed.stems:
        return None
    return wq.Or([wq.Term("title", spelling), wq.Term("text", spelling)])


def index_holds_literally(word: Word, literal: Literal) -> bool:
    """Whether every post the index finds for `word` holds `literal` as written: a Latin
    word is one whole-word term (`literal` ignoring case). Any field, no particle. (A
    Hangul word's terms are syllable pairs: whether a post writes it as a word is read.)"""
    if word.field is not None or word.prefix:
        return False
    parsed = shape(word.text)
    if parsed is None or parsed.stems or len(parsed.pieces) != 1:
        return False
    piece = parsed.pieces[0]
    return (
        piece.isascii()
        and len(piece) < MAX_WORD
        and bool(literal.flags & re.IGNORECASE)
        and literal.pattern.lower() == re.escape(piece)
        and unicodedata.normalize("NFC", word.text).lower() == piece
    )

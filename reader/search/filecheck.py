"""Checks on a post's file before its post is loaded: might it hold the words, does its body surely hold them.

A search whose posts come from disk checks its candidates on their files
first (reader.search.searcher): a file's bytes are searched without decoding
them, its text (reader.search.sources) without parsing its front matter.
Everything here is for one search; what outlives it is kept on the searcher
(reader.search.kept, and the verdicts of `surely_holds` in the postings cache).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from reader.posts.post import MAX_POST_BYTES
from reader.search.analysis import shape
from reader.search.kept import is_utf8
from reader.search.plan import QueryPlan
from reader.search.query import Node, Word

KEPT_HELD = 100_000  # files' verdicts of surely_holds kept per searcher (forgotten all at once past it)
KEPT_BYTES = 8_000_000  # of files' bytes kept for one search (four counts' worth, see reader.search.respell)
Needles = tuple["re.Pattern[bytes]", ...]  # per word, its spellings' bytes (see FileCheck.needles)

RECOMPOSED = re.compile(rb"\xe1[\x84-\x87]")  # conjoining jamo (U+1100-U+11FF): NFC may make syllables of them
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32: its bytes are not UTF-8's
_JSON_OPENINGS = (b"{", b"\xef\xbb\xbf{")  # JSON front matter: its body may start mid-line
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 27))  # what decoding may replace


class FileCheck:
    """The files of one search's candidates, read as bytes or as text, and what they tell."""

    def __init__(
        self,
        root: str | None,
        quick: Callable[[str], str | None] | None,
        kept: Callable[[str], str | None] | None,
        utf8: Callable[[str, bytes], bool] | None,
        listed: Callable[[str], tuple[int, int, int] | None] | None,
        held: dict[tuple[str, tuple[bytes, ...]], bool],
    ) -> None:
        self.root = root
        self.quick = quick  # a file's text, what its post could hold (None: not known)
        self.kept = kept  # a file's text kept by an earlier search
        self.utf8 = utf8  # (path, bytes) -> UTF-8, kept per file
        self.listed = listed  # (size, mtime_ns, body line) of the file the index read
        self.held = held  # (path, needles) -> surely_holds, kept per searcher
        self._bytes: dict[str, bytes] = {}  # path -> its file's bytes, this search only
        self._bytes_kept = 0
        self._utf8: dict[str, bool] = {}  # path -> whether its file's bytes are UTF-8, this search only
        self._needles: dict[Node, Needles] = {}
        self._sure: dict[Node, Needles] = {}

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
            if data is not None and all(word.search(data) for word in needles) and not RECOMPOSED.search(data):
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
        listed = self.listed(path) if self.listed is not None and needles else None
        if listed is None or self.root is None:
            return False
        size, mtime_ns, body_line = listed
        key = (path, tuple(needle.pattern for needle in needles))
        known = self.held.get(key)
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
            if len(self.held) >= KEPT_HELD:
                self.held.clear()
            self.held[key] = known
        return known

    def _surely_holds(self, path: str, needles: Needles, size: int, body_line: int) -> bool:
        data = self.file_bytes(path)
        if data is None or body_line < 1 or len(data) != size or size > MAX_POST_BYTES:
            return False
        if (
            b"\r" in data
            or data.startswith(_JSON_OPENINGS)
            or len(data[:8192].translate(None, _CONTROL_BYTES)) != len(data[:8192])
            or RECOMPOSED.search(data)
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
            if self._bytes_kept + len(data) > KEPT_BYTES:
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

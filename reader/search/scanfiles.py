"""The scan search's reading of posts whose bodies are not held: ruled out on their files' bytes
before decoding, or decoded for their bodies alone.

A big blog's first build leaves its posts stubs (reader.library), and a search typed meanwhile
reads every file (reader.search.scan): 100k posts, 25-50 s a query, most of it decoding and
cleaning text that holds no word of the query. A query's words have known UTF-8 bytes; a file
whose bytes hold none of a word's forms, and whose title, tags and categories do not match,
cannot match, and is let go undecoded. Only what the bytes surely tell is used: a file changed
since it was listed, not UTF-8 (UTF-16, CP949), or holding conjoining jamo (NFC makes
syllables of them) is read as before.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from reader.posts.post import FileState, Post, read_unchanged
from reader.search import hangul
from reader.search.analysis import shape, split_word
from reader.search.filecheck import RECOMPOSED
from reader.search.query import And, DateRange, Facet, Node, Not, Or, Phrase, Word

Texts = dict[str, str]
Test = Callable[[Post, Texts], bool]
Check = Callable[[Post, Texts, "FileBytes"], bool]  # False: the post cannot match

# What `\s` matches (tests/test_scan.py checks it on every code point): a Hangul word's pattern
# allows one between syllables (reader.search.highlight); `\r\n` is one newline once decoded.
SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_SPACE = b"(?:\r\n|" + b"|".join(re.escape(c.encode()) for c in SPACES) + b")?"
# Not ASCII, but matched by an ASCII letter under IGNORECASE (İ ı ſ K) or made ASCII by NFC
# (; ` K): a file holding one may hold a Latin word its bytes do not show (checked in the tests).
ASCII_LIKE = "\u0130\u0131\u017f\u037e\u1fef\u212a"
_ASCII_LIKE = tuple(c.encode() for c in ASCII_LIKE)
_ASCII_LIKE_LEADS = tuple({c[:1] for c in _ASCII_LIKE} - {b"\xe2"})  # rare in Korean text, found by memchr
_KELVIN = re.compile(re.escape("\u212a".encode()))  # `in` is slower for it (its lead byte opens punctuation)


class FileBytes:
    """A stub's file as bytes, read when first asked (a post its tags rule out is not read), and
    what is asked of them once."""

    __slots__ = ("_ascii_like", "_data", "_jamo", "_lower", "_read", "listed")

    def __init__(self, listed: Post, data: bytes | None = None) -> None:
        self.listed = listed
        self._read = data is not None  # given: read already
        self._data = data
        self._lower: bytes | None = None
        self._jamo: bool | None = None
        self._ascii_like: bool | None = None

    def data(self) -> bytes | None:
        """The file's bytes, None when they cannot tell (see read_unchanged): read whole then."""
        if not self._read:
            self._data, self._read = read_unchanged(self.listed), True
        return self._data

    def unchanged(self) -> bool:
        """Whether the file is as listed: what was read, or its state (size, times, inode)."""
        if self._read:
            return self._data is not None
        try:
            return FileState.of(os.stat(self.listed.file)) == self.listed.state
        except OSError:
            return False

    def lower(self, data: bytes) -> bytes:
        if self._lower is None:
            self._lower = data.lower()  # ASCII letters alone, as a Latin word's needle is
        return self._lower

    def jamo(self, data: bytes) -> bool:
        """Conjoining jamo: NFC may make syllables of them that the bytes do not show."""
        if self._jamo is None:
            self._jamo = b"\xe1" in data and RECOMPOSED.search(data) is not None
        return self._jamo

    def ascii_like(self, data: bytes) -> bool:
        if self._ascii_like is None:
            if any(lead in data for lead in _ASCII_LIKE_LEADS):
                self._ascii_like = any(c in data for c in _ASCII_LIKE)
            else:
                self._ascii_like = _KELVIN.search(data) is not None
        return self._ascii_like


Needle = Callable[[FileBytes], bool]  # False: the decoded text cannot hold the piece


def prefilter(node: Node, exact: Callable[[Node], Test]) -> Check | None:
    """A check that is False only for a post that cannot match `node`: the fields held on a
    stub (title, tags, categories, date) tested as the scan tests them (`exact`), the body told
    from its file's bytes. None when nothing can be ruled out so (a NOT alone, a 초성 word,
    a word of other letters than Hangul syllables and ASCII)."""
    if isinstance(node, Word | Phrase):
        test = exact(node)
        if node.field in ("title", "tags", "categories"):
            return lambda post, texts, file: test(post, texts)
        if isinstance(node, Word) and hangul.is_initials(node.text):
            return None  # matched as any syllables with those consonants
        body = _body_needle(node)
        if body is None:
            return None
        return lambda post, texts, file: test(post, texts) or body(file)
    if isinstance(node, Facet | DateRange):
        test = exact(node)
        return lambda post, texts, file: test(post, texts)
    if isinstance(node, Not):
        return None  # a post that cannot hold the words may still match its negation
    children = [prefilter(child, exact) for child in node.children]
    if isinstance(node, And):
        known = [c for c in children if c is not None]
        return (lambda post, texts, file: all(c(post, texts, file) for c in known)) if known else None
    if isinstance(node, Or) and all(c is not None for c in children):
        anyof = [c for c in children if c is not None]
        return lambda post, texts, file: any(c(post, texts, file) for c in anyof)
    return None


def _body_needle(word: Word | Phrase) -> Needle | None:
    """False when a text cannot hold `word` as its pattern matches it (reader.search.highlight):
    each alternative (the pieces, or a stem without its particle) has all its pieces' bytes."""
    if isinstance(word, Phrase):
        forms = [[piece for chunk in word.text.split() for piece in split_word(chunk)]]
    elif word.prefix:
        forms = [[word.text.lower()]]
    else:
        parsed = shape(word.text)
        if parsed is None:
            return None
        forms = [list(parsed.pieces), *([stem] for stem in parsed.stems)]
    alternatives: list[list[Needle]] = []
    for pieces in forms:
        needles = [_piece_needle(piece) for piece in pieces]
        if not needles or any(n is None for n in needles):
            return None
        alternatives.append([n for n in needles if n is not None])
    return lambda file: any(all(n(file) for n in needles) for needles in alternatives)


def _piece_needle(piece: str) -> Needle | None:
    if piece and all("\uac00" <= c <= "\ud7a3" for c in piece):
        # As typed; of three syllables or more, with a space between any two (a pattern of two
        # allows none): the regex only where `in` (~5x faster) does not find it written whole.
        joined = piece.encode()
        spaced = re.compile(_SPACE.join(re.escape(c.encode()) for c in piece)) if len(piece) >= 3 else None

        def hangul(file: FileBytes) -> bool:
            data = file.data()
            if data is None or joined in data:
                return True
            if spaced is not None and spaced.search(data) is not None:
                return True
            return file.jamo(data)

        return hangul
    if piece and piece.isascii():
        lowered = piece.lower().encode()

        def latin(file: FileBytes) -> bool:
            data = file.data()
            return data is None or lowered in file.lower(data) or file.ascii_like(data)

        return latin
    return None

"""Korean-aware analysis: text to index terms, and query words to term shapes.

Hangul runs become overlapping syllable bigrams (a one-syllable run, a
unigram), plus a cross-space bigram `~xy` between two Hangul runs separated
only by spaces. A plain term query never matches a `~` term, so `인구` does
not match `기반인 구조`, while `자연어처리` can match `자연어 처리` by
accepting `~어처` in place of `어처`. Latin words and numbers are lowercased
whole words; a particle glued to them is split off by the script change.
No stemming, no stop words, NFC on both sides.

A second field holds syllable trigrams (`trigrams`), with the whitespace
between Hangul runs taken out first, so that `자연어처리` and `자연어 처리`
both hold `연어처`. They rank nothing: a word of three or more syllables
must hold its trigrams, which turns down the posts that hold its bigrams
in another order without reading them (`쿼리로그` in posts about 쿼리 and
로그: 3,000 candidates read and checked at 10k posts before). Folding
syllables to fewer letters (64³ possible terms) measured 64k terms at 10k
posts instead of 381k, but let the long posts through: they hold 40% of
the folded trigrams, and `쿼리로그` kept 138 candidates (12 MB of text to
check) where the real trigrams leave none.

The brief's design also indexed a word-start marker per run. Measured on
ratsgo it made up 31% of the vocabulary (37k of 122k terms) and Whoosh's
commit cost is per term, while the quality harness meets its targets
without it (see tests/quality): so it is left out.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from operator import add

MARK_CROSS = "~"

# Hangul syllables and compatibility jamo; Han and kana are split the same way.
_CJK_RANGES = (("\u3040", "\u30ff"), ("\u3131", "\u318e"), ("\u4e00", "\u9fff"), ("\uac00", "\ud7a3"))
_CJK = "".join(f"{low}-{high}" for low, high in _CJK_RANGES)
# The ranges' edges in order: a character is CJK when an odd number of edges are <= it.
_CJK_EDGES = tuple(edge for low, high in _CJK_RANGES for edge in (low, chr(ord(high) + 1)))

# A query's words are read without a pattern of the CJK ranges: compiling one such class costs
# 1-3 ms (Python's regex compiler walks its 32k characters one by one), and a cold `reader
# search` paid for three (~10 ms) to read a few syllables. Each character becomes one letter
# (_kinds): `h` CJK, `w` any other letter or digit (`[^\W_]`, CJK aside), `s` whitespace
# (`\s`), `+` and `#` themselves, `.` anything else; patterns over those letters then find
# what the character patterns would. A run of CJK, or a Latin word keeping a trailing `+`/`#`
# (C++, C#) unless a word goes on after it (Ctrl+B: ctrl, b):
_TOKEN_KINDS = re.compile(r"(h+)|(w+(?:[+#]++(?!w))?)")
_SPAN_KINDS = re.compile(r"h+(?:s+h+)*")  # CJK runs separated only by whitespace
# A post's text (and a query longer than this) is read with the character patterns
# (_term_patterns, _cjk_spans): over long text their C loop beats a Python step a character.
_SHORT = 1000


def _is_cjk(char: str) -> bool:
    return bisect_right(_CJK_EDGES, char) % 2 == 1


def _kinds(text: str) -> str:
    """One class letter per character of `text` (see _TOKEN_KINDS)."""
    return "".join(
        ["h" if _is_cjk(c) else "s" if c.isspace() else "w" if c.isalnum() else c if c in "+#" else "." for c in text]
    )


CUT = "\x01"  # before a `tri` value: the post's text goes on past what was indexed
CUT_TERM = "+cut"  # the `tri` term of such a post: it may hold any word (reader.search.plan)

_SPACES_ONLY = re.compile(r"[ \t]+")
MAX_WORD = 64  # longer "words" (hashes, base64) are cut: they are never searched whole

# Particles and endings a Korean query word often carries. Longest first.
_PARTICLE_LIST = (
    "을",
    "를",
    "이",
    "가",
    "은",
    "는",
    "에",
    "에서",
    "에게",
    "에게서",
    "으로",
    "로",
    "와",
    "과",
    "의",
    "도",
    "만",
    "까지",
    "부터",
    "이나",
    "나",
    "이랑",
    "랑",
    "처럼",
    "보다",
    "한테",
    "께서",
    "께",
    "이며",
    "며",
    "이고",
    "고",
    "으로서",
    "로서",
    "으로써",
    "로써",
    "라는",
    "이라는",
    "란",
    "이란",
    "에는",
    "에서는",
    "으로는",
    "로는",
    "와의",
    "과의",
    "에의",
    "이다",
    "입니다",
    "하기",
    "하는",
    "하다",
    "했다",
    "된",
    "되는",
    "한",
)
PARTICLES = tuple(sorted(_PARTICLE_LIST, key=len, reverse=True))
_PARTICLE_SET = frozenset(_PARTICLE_LIST)


def is_hangul(text: str) -> bool:
    return bool(text) and all(map(_is_cjk, text))


def bigrams(run: str) -> list[str]:
    """Overlapping syllable pairs of a Hangul run; a single syllable stays whole."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _latin(word: str) -> str:
    return word.lower()[:MAX_WORD]


_SEPARATOR = "\x00"


@cache
def _term_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Runs, lone syllables, cross-space pairs and Latin words: compiled when indexing first
    needs them (each CJK class costs ~2 ms to compile; a search from the CLI uses none)."""
    return (
        re.compile(rf"[{_CJK}]+"),
        re.compile(rf"(?<![{_CJK}])[{_CJK}](?![{_CJK}])"),
        re.compile(rf"([{_CJK}])[ \t]+(?=([{_CJK}]))"),
        re.compile(rf"[^\W_{_CJK}]+(?:[+#]++(?![^\W_{_CJK}]))?"),  # as _TOKEN_KINDS's `w` words
    )


def term_counts(text: str) -> Counter[str]:
    """Every term of `text` with how often it occurs: the whole analysis for indexing.

    No positions: the index does not store them (see reader.search.store).
    Everything is counted by C code (regex `findall`, `Counter` over
    `map(add, s, s[1:])`), with no Python step per token: four times faster
    than a loop over tokens, which is what keeps a 10k-post build in budget.
    """
    run_re, single_re, cross_re, words_re = _term_patterns()
    text = unicodedata.normalize("NFC", text)
    runs = _SEPARATOR.join(run_re.findall(text))
    counts: Counter[str] = Counter(map(add, runs, runs[1:]))
    for key in [k for k in counts if _SEPARATOR in k]:
        del counts[key]
    counts.update(single_re.findall(text))
    counts.update(MARK_CROSS + a + b for a, b in cross_re.findall(text))
    counts.update(word.lower()[:MAX_WORD] for word in words_re.findall(text))
    return counts


# Any whitespace, newlines too: as lenient as the text check's `\s?` and a phrase's `\s+`
# (reader.search.highlight), so a post the check accepts always holds the trigrams.
@cache
def _cjk_spans() -> re.Pattern[str]:
    return re.compile(rf"[{_CJK}]+(?:\s+[{_CJK}]+)*")  # as _SPAN_KINDS


_SPACES = re.compile(r"\s+")
_THREES = re.compile(rf"(?=([^{_SEPARATOR}]{{3}}))")  # every three in a row, found by C code


def trigrams(text: str) -> set[str]:
    """The syllable trigrams of `text`'s Hangul, runs separated only by whitespace joined.

    For the index (every post's text) and for a query word or phrase alike:
    a post holds every trigram of a query word it really holds, however
    that word is spaced in it.
    """
    text = unicodedata.normalize("NFC", text)
    if len(text) <= _SHORT:  # a query's word: no CJK class compiled (see _TOKEN_KINDS)
        spans = [text[m.start() : m.end()] for m in _SPAN_KINDS.finditer(_kinds(text))]
    else:
        spans = _cjk_spans().findall(text)
    return set(_THREES.findall(_SPACES.sub("", _SEPARATOR.join(spans)))) if spans else set()


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """The CJK runs and Latin words of `text` (NFC) in order, each as (run, "") or ("", word)."""
    text = unicodedata.normalize("NFC", text)
    for match in _TOKEN_KINDS.finditer(_kinds(text)):
        start, end = match.span(1)
        if start >= 0:
            yield text[start:end], ""
        else:
            yield "", text[match.start(2) : match.end(2)]


def plain_tokens(text: str) -> list[str]:
    """The plain terms of `text` in order (no cross bigrams): for phrases and tests."""
    out: list[str] = []
    for run, word in _tokens(text):
        out.extend(bigrams(run) if run else [_latin(word)])
    return out


@dataclass(frozen=True)
class WordShape:
    """How one query word is matched, before any field or index is involved.

    `pieces` are the word's runs in order; each is Hangul (matched by its
    bigrams) or Latin (matched whole). `stems` are alternative forms with a
    trailing particle removed.
    """

    text: str
    pieces: tuple[str, ...]
    stems: tuple[str, ...] = ()


def split_word(word: str) -> list[str]:
    """A query word's runs: `Django를` -> [`django`, `를`], `C++` -> [`c++`]."""
    return [run if run else _latin(latin) for run, latin in _tokens(word)]


def strip_particle(run: str) -> str | None:
    """`데이터를` -> `데이터`; None when nothing (or too little) would remain."""
    for particle in PARTICLES:
        if run.endswith(particle) and len(run) - len(particle) >= 2:
            return run[: -len(particle)]
    return None


def shape(word: str) -> WordShape | None:
    """The shape of one query word; None if it holds nothing searchable."""
    pieces = split_word(word)
    if not pieces:
        return None
    # A particle glued to a Latin word (`Django를`) is not part of the search.
    if len(pieces) > 1 and not is_hangul(pieces[-2]) and pieces[-1] in _PARTICLE_SET:
        pieces = pieces[:-1]
    stems: tuple[str, ...] = ()
    if len(pieces) == 1 and is_hangul(pieces[0]):
        stem = strip_particle(pieces[0])
        if stem:
            stems = (stem,)
    return WordShape(word, tuple(pieces), stems)

"""Finding the matched words in a post's own text, and cutting snippets around them.

Whoosh's highlighter re-analyses text into bigrams and marks any bigram that
matched (`딥[러닝]` for the query 머신러닝). We match whole query words on
the text itself instead, with the same rules as the search: a compound may
be written with a space (`자연어 처리` for 자연어처리), a two-syllable word
never straddles a space, a Latin word is matched whole (case-insensitive)
even with a Korean particle glued on.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from reader.search.analysis import PARTICLES, is_hangul, shape, split_word
from reader.search.markup import searchable
from reader.search.plain import CODE_EDGE_LINE, LINK_ADDRESS, LIQUID_TAG, Code, plain, tag_arguments, whole_pieces
from reader.search.query import Phrase, Word

SNIPPET_CHARS = 160
LEAD_CHARS = 16  # context before the first match: a narrow list still shows the match
_LATIN_EDGE = r"[0-9A-Za-z\u00c0-\u024f]"
_LATIN_EDGE_BEFORE = rf"(?<!{_LATIN_EDGE})"
_LATIN_EDGE_AFTER = rf"(?!{_LATIN_EDGE})"
_BETWEEN_PIECES = r"[^0-9A-Za-z\uac00-\ud7a3\n]{0,2}"  # `scikit-learn`, `GPT 모델`, `GPT모델`
# Characters IGNORECASE matches to an ASCII letter beside its two cases (tests/test_highlight_patterns.py
# checks this against every code point).
_MORE_CASES = {"i": "\u0131\u0130", "k": "\u212a", "s": "\u017f"}


@dataclass(frozen=True)
class Alternative:
    """One alternative of a query's pattern: `text`, the regex as matched under IGNORECASE, and
    the same split at its first character. `lead` is the characters that may open a match (what
    goes between a class's brackets, matched as written), `rest` what follows, ignoring case.

    A pattern that opens with a look-behind, or with a letter under IGNORECASE, is tried at
    every position of the text; one that opens with a literal or a caseless class skips in C
    to where it may start (the scan while the first index is built, `hugo` over 10k posts:
    3.9 s -> 1.5 s). `lead` is None where the first character's other cases are not known
    here (a non-ASCII letter): `text` is matched then.
    """

    text: str
    lead: str | None
    rest: str


def _cases(char: str) -> str | None:
    """The characters `char` matches under IGNORECASE, for a class (None: not known here)."""
    if char.isascii():
        if char.isalpha():
            low = char.lower()
            return low + low.upper() + _MORE_CASES.get(low, "")
        return re.escape(char)
    if is_hangul(char):  # Hangul, Han, kana: no case
        return char
    return None


def _piece_pattern(piece: str, prefix: bool = False) -> Alternative:
    if is_hangul(piece):
        between = r"\s?" if len(piece) >= 3 else ""
        return Alternative(
            between.join(re.escape(c) for c in piece), piece[0], "".join(between + re.escape(c) for c in piece[1:])
        )
    after = r"[0-9A-Za-z]*" if prefix else _LATIN_EDGE_AFTER
    text = _LATIN_EDGE_BEFORE + re.escape(piece) + after
    if not piece:
        return Alternative(text, None, "")
    # The edge before the piece, checked once its first character is found.
    return Alternative(text, _cases(piece[0]), rf"(?<!{_LATIN_EDGE}[\s\S])" + re.escape(piece[1:]) + after)


def _opening_with(first: Alternative, text: str) -> Alternative:
    """`text`, which opens with `first`'s pattern, split where `first` is."""
    return Alternative(text, first.lead, first.rest + text[len(first.text) :])


def _word_alternatives(word: Word | Phrase) -> list[Alternative]:
    if isinstance(word, Phrase):
        chunks = [[_piece_pattern(p) for p in split_word(c)] for c in word.text.split()]
        if not chunks:
            return []
        text = r"\s+".join(r"[^\S\n]*".join(a.text for a in chunk) for chunk in chunks)
        return [_opening_with(chunks[0][0], text) if chunks[0] else Alternative(text, None, "")]
    if word.prefix:
        return [_piece_pattern(word.text.lower(), prefix=True)]
    parsed = shape(word.text)
    if parsed is None:
        return []
    pieces = [_piece_pattern(p) for p in parsed.pieces]
    alternatives = [_opening_with(pieces[0], _BETWEEN_PIECES.join(a.text for a in pieces))]
    alternatives.extend(_piece_pattern(stem) for stem in parsed.stems)
    return alternatives


def _word_patterns(word: Word | Phrase) -> list[str]:
    return [a.text for a in _word_alternatives(word)]


def word_alternatives(words: Iterable[Word | Phrase], extra_terms: Iterable[str] = ()) -> list[Alternative]:
    """The alternatives of the words' patterns, longest first (`데이터를` wins over its stem `데이터`)."""
    alternatives = [a for w in words for a in _word_alternatives(w)]
    alternatives.extend(_piece_pattern(t) for t in extra_terms)
    return sorted(alternatives, key=lambda a: len(a.text), reverse=True)


def compile_alternatives(alternatives: Sequence[Alternative], tail: str = "") -> re.Pattern[str]:
    """`(?:a|b|…)tail` under IGNORECASE, the first one that matches winning, written to open with
    a class of the alternatives' first characters when they are all known, so that the search
    skips to them."""
    if any(a.lead is None for a in alternatives):
        return re.compile("(?:" + "|".join(f"(?:{a.text})" for a in alternatives) + ")" + tail, re.IGNORECASE)
    leads = list(dict.fromkeys(a.lead for a in alternatives if a.lead is not None))
    opening = "[" + "".join(leads) + "]"
    if len(leads) == 1:  # one first character (or class) for all: nothing to tell them apart by
        body = "(?i:" + "|".join(f"(?:{a.rest})" for a in alternatives) + ")"
    else:  # each alternative checks the character found is one of its own
        body = "(?:" + "|".join(f"(?<=[{a.lead}])(?i:{a.rest})" for a in alternatives) + ")"
    return re.compile(opening + body + (f"(?i:{tail})" if tail else ""))


@dataclass(frozen=True)
class Matcher:
    """Finds the spans of the query's words in any text."""

    pattern: re.Pattern[str] | None

    @classmethod
    def for_words(cls, words: Iterable[Word | Phrase], extra_terms: Iterable[str] = ()) -> Matcher:
        return cls.of(word_alternatives(words, extra_terms))

    @classmethod
    def of(cls, alternatives: Sequence[Alternative]) -> Matcher:
        """The alternatives tried in their order (see word_alternatives)."""
        return cls(compile_alternatives(alternatives) if alternatives else None)

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is None:
            return []
        return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]


# Between two query words "standing together": a particle, a space or two, or nothing.
_GAP = "(?:" + "|".join(re.escape(p) for p in PARTICLES) + r")?[^\S\n]{0,2}"
NEAR_CHARS = 60  # all the words within this many characters: near, if not together
MAX_SPANS = 2000  # per word, for the nearness sweep of a huge post


@dataclass(frozen=True)
class Proximity:
    """How closely a text holds several query words: together, near, or scattered.

    Together: in the query's order with only particles and spaces between
    (`모두를 위한 딥러닝` in `모두의 위한 딥러닝`, `자연어 처리` in `자연어처리`).
    Near: every word within NEAR_CHARS characters, in any order.
    """

    together: re.Pattern[str]
    words: tuple[re.Pattern[str], ...]

    @classmethod
    def for_words(cls, words: Iterable[Word | Phrase]) -> Proximity | None:
        alternatives = [a for a in (word_alternatives([w]) for w in words) if a]
        if len(alternatives) < 2:
            return None
        # The first word found first; the others after it, each as written (see compile_alternatives).
        others = "".join(_GAP + "(?:" + "|".join(f"(?:{a.text})" for a in alts) + ")" for alts in alternatives[1:])
        return cls(
            compile_alternatives(alternatives[0], others),
            tuple(compile_alternatives(alts) for alts in alternatives),
        )

    def tier(self, *texts: str) -> int:
        """0 together, 1 near, 2 scattered (the best over `texts`)."""
        if self.together_in(*texts):
            return 0
        return 1 if self.near_in(*texts) else 2

    def together_in(self, *texts: str) -> bool:
        return any(self.together.search(text) for text in texts)

    def near_in(self, *texts: str) -> bool:
        return any(self._near(text) for text in texts)

    def _near(self, text: str) -> bool:
        if len(self.words) == 2:
            return _pair_near(text, *self.words)
        starts: list[list[int]] = []
        for pattern in self.words:
            found = [match.start() for match in islice(pattern.finditer(text), MAX_SPANS)]
            if not found:
                return False
            starts.append(found)
        events = sorted((start, index) for index, found in enumerate(starts) for start in found)
        # The smallest window holding one of each word: a two-pointer sweep.
        counts = [0] * len(self.words)
        missing, left = len(self.words), 0
        for position, index in events:
            counts[index] += 1
            missing -= counts[index] == 1
            while missing == 0:
                if position - events[left][0] <= NEAR_CHARS:
                    return True
                first = events[left][1]
                counts[first] -= 1
                missing += counts[first] == 0
                left += 1
        return False


def _pair_near(text: str, first: re.Pattern[str], second: re.Pattern[str]) -> bool:
    """Two words near: the first word's starts listed (none: done), then the second's read as
    the text is searched, each looked up among them, done at the first within reach. (A merge
    of both words' starts, each read in Python, took 1.2-3.2x as long over 1,500 posts of the
    10k blog, the most where few posts held both words.)"""
    starts = [match.start() for match in islice(first.finditer(text), MAX_SPANS)]
    if not starts:
        return False
    count = len(starts)
    for match in islice(second.finditer(text), MAX_SPANS):
        position = match.start()
        at = bisect_left(starts, position - NEAR_CHARS)
        if at < count and starts[at] <= position + NEAR_CHARS:
            return True
    return False


@dataclass(frozen=True)
class Snippet:
    text: str
    highlights: list[tuple[int, int]]


def snippet(body: str, matcher: Matcher, width: int = SNIPPET_CHARS) -> Snippet:
    """The best window of `body` around the matches, with offsets into it.

    The window is chosen on the raw text (cheap on a 500 KB post), then only
    that part is turned into plain text and matched again, so the offsets
    are exactly those of the returned text.
    """
    shown = searchable(body)  # what search reads: an HTML tag's markup is none of it
    spans = matcher.spans(shown)
    if spans:
        start = _best_window(body, spans, width * 3)
        opened, ended = max(0, start - width), start + width * 4
    else:
        start, opened, ended = 0, 0, width * 6
    raw = body[opened:ended]
    opened, ended = whole_pieces(body, opened, min(ended, len(body)))
    code = Code.at(body, opened)
    text = plain(body[opened:ended], code.copy())
    found = matcher.spans(text)
    if spans and not found:
        # The words are only in what plain text leaves out: a Liquid tag's arguments (a quote's
        # source), shown as text without the tag's markup; a link's address, shown after its
        # text; what an HTML tag shows or leads to (`alt`, `title`, `href`, `src`), its markup
        # left out; else the raw text. Never a code fence's opening line or a code tag (```` ```python
        # ````, `lang:python`): a word only there leaves the plain text as it is, unmarked.
        window = body[opened:ended]
        for fallback in (
            lambda: plain(LIQUID_TAG.sub(tag_arguments, window), code.copy()),
            lambda: plain(LINK_ADDRESS.sub(r"\1 \2", window), code.copy()),
            lambda: plain(searchable(body, addresses=False)[opened:ended], code.copy()),
            lambda: plain(shown[opened:ended], code.copy()),
            lambda: re.sub(r"\s+", " ", CODE_EDGE_LINE.sub("", raw)).strip(),
        ):
            tried = fallback()
            found = matcher.spans(tried)
            if found:
                text = tried
                break
    if found:
        first = _best_window(text, found, width - LEAD_CHARS)
        lo = max(0, first - LEAD_CHARS)
        # Start at a word boundary so the snippet does not open mid-word.
        if lo > 0:
            space = text.rfind(" ", 0, lo)
            if space >= 0 and lo - space < 20:
                lo = space + 1
            elif space < 0 and lo < 20:
                lo = 0  # the text's first word: whole (`우선 …` lost its first syllable)
    else:
        lo = 0
    hi = min(len(text), lo + width)
    if hi < len(text):
        space = text.rfind(" ", lo + width // 2, hi)
        hi = space if space > 0 else hi
    prefix = "…" if lo > 0 or opened > 0 else ""
    suffix = "…" if hi < len(text) or len(body) > ended else ""
    window = text[lo:hi]
    shift = len(prefix) - lo
    highlights = [(a + shift, b + shift) for a, b in found if a >= lo and b <= hi]
    return Snippet(prefix + window + suffix, highlights)


class LaterSnippet:
    """A hit's snippet, cut the first time it is read: the app lists up to 200 hits and a
    screen shows some 20 to 50 (at 10k posts, two words: 159 -> 81 ms median without the
    others). The same snippet as `snippet(body, matcher)`; cut once, unless two threads race
    to it (then twice, the same)."""

    __slots__ = ("_body", "_cut", "_matcher")

    def __init__(self, body: str, matcher: Matcher) -> None:
        self._body = body
        self._matcher = matcher
        self._cut: Snippet | None = None

    def get(self) -> Snippet:
        cut = self._cut
        if cut is None:
            cut = self._cut = snippet(self._body, self._matcher)
        return cut

    @property
    def done(self) -> bool:
        """Whether the snippet has been cut yet."""
        return self._cut is not None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LaterSnippet) and self.get() == other.get()

    __hash__ = None  # type: ignore[assignment]  # equal by value, and not immutable until cut


def _best_window(text: str, spans: list[tuple[int, int]], width: int) -> int:
    """Start of the window holding the most distinct matched words."""
    best_start, best_score = spans[0][0], 0
    right = 0
    for left in range(len(spans)):
        while right < len(spans) and spans[right][1] - spans[left][0] <= width:
            right += 1
        words = {text[a:b].lower().replace(" ", "") for a, b in spans[left:right]}
        score = len(words) * 100 + (right - left)
        if score > best_score:
            best_start, best_score = spans[left][0], score
        if left > 200:  # enough: a huge post does not need every window tried
            break
    return best_start

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
from collections.abc import Iterable
from dataclasses import dataclass

from reader.search.analysis import PARTICLES, is_hangul, shape, split_word
from reader.search.query import Phrase, Word

SNIPPET_CHARS = 160
LEAD_CHARS = 16  # context before the first match: a narrow list still shows the match
_LATIN_EDGE_BEFORE = r"(?<![0-9A-Za-z\u00c0-\u024f])"
_LATIN_EDGE_AFTER = r"(?![0-9A-Za-z\u00c0-\u024f])"
_BETWEEN_PIECES = r"[^0-9A-Za-z\uac00-\ud7a3\n]{0,2}"  # `scikit-learn`, `GPT 모델`, `GPT모델`


def _piece_pattern(piece: str, prefix: bool = False) -> str:
    if is_hangul(piece):
        if len(piece) >= 3:
            return r"\s?".join(re.escape(c) for c in piece)
        return re.escape(piece)
    after = r"[0-9A-Za-z]*" if prefix else _LATIN_EDGE_AFTER
    return _LATIN_EDGE_BEFORE + re.escape(piece) + after


def _word_patterns(word: Word | Phrase) -> list[str]:
    if isinstance(word, Phrase):
        chunks = [r"[^\S\n]*".join(_piece_pattern(p) for p in split_word(c)) for c in word.text.split()]
        return [r"\s+".join(chunks)] if chunks else []
    if word.prefix:
        return [_piece_pattern(word.text.lower(), prefix=True)]
    parsed = shape(word.text)
    if parsed is None:
        return []
    patterns = [_BETWEEN_PIECES.join(_piece_pattern(p) for p in parsed.pieces)]
    patterns.extend(_piece_pattern(stem) for stem in parsed.stems)
    return patterns


@dataclass(frozen=True)
class Matcher:
    """Finds the spans of the query's words in any text."""

    pattern: re.Pattern[str] | None

    @classmethod
    def for_words(cls, words: Iterable[Word | Phrase], extra_terms: Iterable[str] = ()) -> Matcher:
        patterns = [p for w in words for p in _word_patterns(w)]
        patterns.extend(_piece_pattern(t) for t in extra_terms)
        if not patterns:
            return cls(None)
        # Longest alternatives first so `데이터를` wins over its stem `데이터`.
        patterns.sort(key=len, reverse=True)
        return cls(re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE))

    def spans(self, text: str) -> list[tuple[int, int]]:
        if self.pattern is None:
            return []
        return [m.span() for m in self.pattern.finditer(text) if m.end() > m.start()]


# Between two query words "standing together": a particle, a space or two, or nothing.
_GAP = "(?:" + "|".join(re.escape(p) for p in PARTICLES) + r")?[^\S\n]{0,2}"
NEAR_CHARS = 60  # all the words within this many characters: near, if not together
MAX_SPANS = 2000  # per word, for the nearness sweep of a huge post


def _alternation(word: Word | Phrase) -> str | None:
    patterns = sorted(_word_patterns(word), key=len, reverse=True)
    return "(?:" + "|".join(f"(?:{p})" for p in patterns) + ")" if patterns else None


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
        parts = [a for a in (_alternation(w) for w in words) if a]
        if len(parts) < 2:
            return None
        return cls(
            re.compile(_GAP.join(parts), re.IGNORECASE),
            tuple(re.compile(p, re.IGNORECASE) for p in parts),
        )

    def tier(self, *texts: str) -> int:
        """0 together, 1 near, 2 scattered (the best over `texts`)."""
        if any(self.together.search(text) for text in texts):
            return 0
        return 1 if any(self._near(text) for text in texts) else 2

    def _near(self, text: str) -> bool:
        events: list[tuple[int, int]] = []
        for index, pattern in enumerate(self.words):
            found = 0
            for match in pattern.finditer(text):
                events.append((match.start(), index))
                found += 1
                if found >= MAX_SPANS:
                    break
            if not found:
                return False
        events.sort()
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


# --- plain text for snippets ------------------------------------------------------

_MD_RULES = [
    (re.compile(r"^\s{0,3}(```|~~~).*$", re.M), ""),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<[^>\n]{1,200}>"), " "),
    (re.compile(r"\{%.*?%\}"), " "),
    (re.compile(r"^\s{0,3}(#{1,6}|>+|[-*+]|\d+[.)])\s+", re.M), ""),
    (re.compile(r"(\*\*|__|~~|`+)"), ""),
    (re.compile(r"^\s*\|?[-:| ]+\|[-:| ]*$", re.M), " "),
    (re.compile(r"\s+"), " "),
]


def plain(markdown: str) -> str:
    """Markdown to one line of readable text, for snippets only."""
    text = markdown
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text.strip()


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
    spans = matcher.spans(body)
    if spans:
        start = _best_window(body, spans, width * 3)
        raw = body[max(0, start - width) : start + width * 4]
    else:
        start, raw = 0, body[: width * 6]
    text = plain(raw)
    found = matcher.spans(text)
    if spans and not found:  # the words are only in what plain text leaves out (a link's URL): show it raw
        text = re.sub(r"\s+", " ", raw).strip()
        found = matcher.spans(text)
    if found:
        first = _best_window(text, found, width - LEAD_CHARS)
        lo = max(0, first - LEAD_CHARS)
        # Start at a word boundary so the snippet does not open mid-word.
        if lo > 0:
            space = text.rfind(" ", 0, lo)
            lo = space + 1 if space >= 0 and lo - space < 20 else lo
    else:
        lo = 0
    hi = min(len(text), lo + width)
    if hi < len(text):
        space = text.rfind(" ", lo + width // 2, hi)
        hi = space if space > 0 else hi
    prefix = "…" if lo > 0 or (spans and start - width > 0) else ""
    suffix = "…" if hi < len(text) or len(body) > len(raw) + max(0, start - width) else ""
    window = text[lo:hi]
    shift = len(prefix) - lo
    highlights = [(a + shift, b + shift) for a, b in found if a >= lo and b <= hi]
    return Snippet(prefix + window + suffix, highlights)


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

"""CJK-friendly emphasis: `**임베딩(embedding)**은` is bold, as kramdown and Hexo show it.

CommonMark's flanking rule leaves the asterisks of `**…(x)**은` literal: the
closing run follows punctuation and is followed by a letter. Korean writers
put bold right before a particle all the time. This follows the CommonMark
CJK-friendly amendment (tats-u/markdown-cjk-friendly, `specification.md`):
in the flanking rules only *non-CJK* punctuation counts as punctuation, and
a CJK character on the outside of a run counts like whitespace. Everything
that is not next to CJK text parses exactly as CommonMark says.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from types import MethodType
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import emphasis, strikethrough
from markdown_it.rules_inline.state_inline import Scanned, StateInline

_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF))
# Wide characters that are shown as emoji by default are not CJK text (UTS #51); the
# blocks below hold the wide ones among them.
_EMOJI = ((0x231A, 0x231B), (0x23E9, 0x23F3), (0x25FD, 0x25FE), (0x2600, 0x27BF), (0x2B1B, 0x2B55), (0x1F000, 0x1FAFF))


def _in(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def is_cjk(char: str) -> bool:
    """A CJK character: East Asian width W, F or H and not an emoji, or any Hangul."""
    code = ord(char)
    if _in(code, _HANGUL):
        return True
    return unicodedata.east_asian_width(char) in ("W", "F", "H") and not _in(code, _EMOJI)


def _variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0E or 0xE0100 <= code <= 0xE01EF


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def scan_delims(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """StateInline.scanDelims with the CJK-friendly flanking rules."""
    src, maximum = state.src, state.posMax
    marker = src[start]
    last = src[start - 1] if start > 0 else " "
    if _variation_selector(last) and start > 1:  # `。︀**` : the selector belongs to the character
        last = src[start - 2]
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    next_char = src[pos] if pos < maximum else " "

    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(next_char))
    last_punct, next_punct = _punct(last), _punct(next_char)
    last_cjk, next_cjk = is_cjk(last), is_cjk(next_char)
    last_plain_punct = last_punct and not last_cjk  # "non-CJK punctuation"
    next_plain_punct = next_punct and not next_cjk

    left_flanking = not next_space and (not next_plain_punct or last_space or last_plain_punct or last_cjk)
    right_flanking = not last_space and (not last_plain_punct or next_space or next_plain_punct or next_cjk)
    can_open = left_flanking and (can_split_word or not right_flanking or last_punct)
    can_close = right_flanking and (can_split_word or not left_flanking or next_punct)
    return Scanned(can_open, can_close, pos - start)


def scan_delims_kramdown(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """kramdown's rule (Jekyll's renderer), which knows no flanking: a run opens unless
    whitespace follows and closes unless whitespace precedes it; `_` does not open after a
    letter or `-`, nor close before a letter or digit. So `A**+**B` and `Secretariat**/NNP**`
    are bold on a Jekyll site, and here."""
    src, maximum = state.src, state.posMax
    marker = src[start]
    last = src[start - 1] if start > 0 else " "
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    next_char = src[pos] if pos < maximum else " "
    can_open = not isWhiteSpace(ord(next_char))
    can_close = not isWhiteSpace(ord(last))
    if marker == "_":
        can_open = can_open and not (last.isalpha() or last == "-")
        can_close = can_close and not next_char.isalnum()
    return Scanned(can_open, can_close, pos - start)


Scan = Callable[[StateInline, int, bool], Scanned]


def _with_flanking(rule: Callable[..., Any], scan: Scan) -> Callable[..., Any]:
    def wrapped(state: StateInline, silent: bool) -> Any:
        state.scanDelims = MethodType(scan, state)  # type: ignore[method-assign]
        return rule(state, silent)

    return wrapped


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    """Use the CJK-friendly flanking rules for `*`, `_` and `~~` runs in this parser only."""
    md.inline.ruler.at("emphasis", _with_flanking(emphasis.tokenize, scan_delims))
    md.inline.ruler.at("strikethrough", _with_flanking(strikethrough.tokenize, scan_delims))


def kramdown_emphasis_plugin(md: MarkdownIt) -> None:
    """Emphasis as kramdown parses it (Jekyll sites); `~~` stays CJK-friendly CommonMark."""
    md.inline.ruler.at("emphasis", _with_flanking(emphasis.tokenize, scan_delims_kramdown))
    md.inline.ruler.at("strikethrough", _with_flanking(strikethrough.tokenize, scan_delims))

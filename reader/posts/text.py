"""Turning a post's bytes into clean, NFC-normalised text."""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from reader.posts.messages import say

# C0 and C1 controls except tab and newline, DEL, and the bidi overrides that
# can disguise text. ESC is the important one: it starts terminal sequences.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class BinaryFileError(ValueError):
    """The file does not hold text."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    controls: int = 0  # control characters replaced
    kinds: tuple[str, ...] = ()  # which ones, each once, in the order first met

    def controls_warning(self) -> str:
        """What was replaced, named: `7 control characters (backspace U+0008) replaced with �`."""
        names = ", ".join(control_name(c) for c in self.kinds[:MAX_NAMED])
        if len(self.kinds) > MAX_NAMED:
            names += ", …"
        if self.controls == 1:
            return say("{count} control character ({names}) replaced with \ufffd", count=1, names=names)
        return say("{count} control characters ({names}) replaced with \ufffd", count=self.controls, names=names)


MAX_NAMED = 4  # kinds of control character a warning names
# The C0 controls a post is likely to hold, by the names editors and terminals give them.
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "ESC",
    "\x7f": "DEL",
}


def control_name(char: str) -> str:
    """`backspace U+0008`, `ESC U+001B`, `right-to-left override U+202E`, `U+0001`."""
    code = f"U+{ord(char):04X}"
    name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "").lower()
    return f"{name} {code}" if name else code


def nfc(text: str) -> str:
    """NFC-normalise; macOS file names and some editors write NFD Hangul."""
    return unicodedata.normalize("NFC", text)


def scrub_controls(text: str) -> str:
    """Replace control characters (but tab and newline) with U+FFFD.

    Post text is data: an ESC byte must never reach the terminal, and a
    visible replacement tells the reader something was there.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("\ufffd", text)


def has_controls(text: str) -> bool:
    """Whether `scrub_controls` would change anything but line ends."""
    return _CONTROL.search(text) is not None


def clean(text: str) -> str:
    """The normal form of every string taken from a post."""
    return nfc(scrub_controls(text))


# Everything that must not reach a terminal or a line-oriented output as is:
# C0 (tab and newline included: one value, one line), DEL, C1, the bidi
# embeddings, overrides, isolates and marks that can reorder what is shown, and
# the line and paragraph separators (see LINE_SEPARATORS).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Line breaks to Unicode, to Python's `splitlines` and to JavaScript, which split a piped row
# at them; nothing to a terminal (tmux drops them: `줄\u2028다음` showed as `줄다음`). Decoding
# keeps them: in a post's body each is the line break it means (reader.ui.render).
LINE_SEPARATORS = "\u2028\u2029"
# The bidi marks (left-to-right, right-to-left, Arabic letter): invisible, and in their place in
# an Arabic or Hebrew quote, so decoding keeps them; but on a terminal that orders bidi text they
# reorder what follows them on the line, the columns we draw after them too.
BIDI_MARKS = re.compile("[\u061c\u200e\u200f]")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """`text` made safe for one line of a terminal: every control character,
    bidi control and line break replaced with something visible.

    The one sanitizer for everything from a post or a file name (titles,
    paths, link texts, decoded URLs, anchors) on its way to the screen, the
    CLI's plain output or a warning. Post text is data, never a command.
    """
    return _UNPRINTABLE.sub(_visible, text)


def printable_spans(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`printable(text)`, and `spans` of `text` (the highlights of a search) moved onto the same
    characters in it: a stand-in such as `<U+200F>` is longer than the character it replaces."""
    return _stand_ins(_UNPRINTABLE, text, spans)


def marks_shown(text: str, spans: Iterable[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """`text` with its bidi marks (BIDI_MARKS) replaced by their stand-ins (`<U+200F>`) and
    nothing else, and `spans` of `text` moved with them, as `printable_spans` does."""
    return _stand_ins(BIDI_MARKS, text, spans)


def _stand_ins(
    pattern: re.Pattern[str], text: str, spans: Iterable[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    out: list[str] = []
    ends: list[int] = []  # the offset after each character replaced
    extra: list[int] = []  # the characters added by the stand-ins up to it
    last = added = 0
    for match in pattern.finditer(text):
        shown = _visible(match)
        out += (text[last : match.start()], shown)
        last = match.end()
        added += len(shown) - 1
        ends.append(last)
        extra.append(added)
    if not ends:
        return text, list(spans)
    out.append(text[last:])

    def moved(offset: int) -> int:
        before = bisect_right(ends, offset)  # replaced characters wholly before `offset`
        return offset + (extra[before - 1] if before else 0)

    return "".join(out), [(moved(start), moved(end)) for start, end in spans]


# C0 bytes other than tab, newline, form feed, carriage return and escape.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    # Many C0 bytes (other than whitespace) mean this is not text in any
    # encoding a blogger would use. Counted in C (a Python loop over the
    # bytes was 0.4 ms a post: 4 s of a 10k-post build).
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bool(sample) and controls / len(sample) > 0.05


# What `_CONTROL` finds, as UTF-8 bytes: C0 (CR too) and DEL, C1 (U+0080-U+009F), the bidi controls.
_C0_BYTES = bytes([*range(9), *range(11, 32), 127])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_BIDI_UTF8 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")


def _plain(data: bytes) -> bool:
    """No byte of a control character in UTF-8 (no CR either): told on the bytes, ~3x faster
    than `_CONTROL` on the decoded text (the scan search decodes every post of a big blog)."""
    if len(data.translate(None, _C0_BYTES)) != len(data):
        return False
    return _C1_UTF8.search(data) is None and _BIDI_UTF8.search(data) is None


def decode(data: bytes) -> DecodedText:
    """Decode a post: BOM first, then UTF-8, CP949, then a detector.

    Raises BinaryFileError when the bytes are not text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _decoded(data.decode(codec), codec.removesuffix("-sig"))
            except UnicodeDecodeError:
                break
    if _plain(data):
        try:  # the common case: nothing for `_decoded` to replace
            return DecodedText(nfc(data.decode("utf-8")), "utf-8")
        except UnicodeDecodeError:
            pass
    if _looks_binary(data):
        raise BinaryFileError(say("binary content (NUL or control bytes)"))
    try:
        return _decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # CP949 is a superset of EUC-KR: most old Korean posts are one of them.
        return _decoded(data.decode("cp949"), "cp949")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only paid for on odd files

    best = from_bytes(data).best()
    if best is None:
        raise BinaryFileError(say("not text in any known encoding"))
    return _decoded(str(best), best.encoding)


def _decoded(text: str, encoding: str) -> DecodedText:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = _CONTROL.findall(text)
    if not found:
        return DecodedText(nfc(text), encoding)
    return DecodedText(nfc(_CONTROL.sub("\ufffd", text)), encoding, len(found), tuple(dict.fromkeys(found)))


_JOINER = "\u200d"  # ZWJ: the character after it joins the one before (👨‍👩‍👧 is one emoji)
_EMOJI_STYLE = "\ufe0f"  # VS16: the character before it drawn as an emoji, two cells (❤️)
# Drawn inside the cells of what they follow: a skin tone (👍🏽), Hangul's conjoining vowels
# and finals (a syllable written as its jamo), Hangul's filler.
_ZERO_WIDTH = re.compile("[\U0001f3fb-\U0001f3ff\u1160-\u11ff\ud7b0-\ud7ff\u3164]")


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: East Asian wide and fullwidth take two, marks and format
    characters none; an emoji joined by ZWJ, a skin tone, or one with VS16 as Rich counts
    them (and so as the app lays them out), two."""
    if text.isascii():
        return len(text)
    if _JOINER not in text and _EMOJI_STYLE not in text:
        return sum(map(_char_width, text))
    return sum(width for _, width in char_widths(text))


def char_widths(text: str) -> list[tuple[str, int]]:
    """Each character of `text` with the cells it adds (see `cell_width`)."""
    if _JOINER not in text and _EMOJI_STYLE not in text:
        return [(char, _char_width(char)) for char in text]
    out: list[tuple[str, int]] = []
    joined = False  # the character before was a ZWJ
    for char in text:
        width = 0 if joined else _char_width(char)
        if char == _EMOJI_STYLE and out and out[-1][1] == 1 and out[-1][0] != _EMOJI_STYLE:
            width = 1  # widens the one before to two
        joined = char == _JOINER and not joined
        out.append((char, width))
    return out


@lru_cache(maxsize=8192)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf") or _ZERO_WIDTH.match(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """Cut or pad `text` to exactly `width` cells, marking a cut with `…`."""
    if cell_width(text) <= width:
        return text + " " * (width - cell_width(text))
    out, used = [], 0
    for char, w in char_widths(text):
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…" + " " * (width - used - 1)

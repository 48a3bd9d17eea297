"""Decoding and cleaning post text."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.posts.text import BinaryFileError, _decoded, _looks_binary, cell_width, decode, fit

KOREAN = "한국어 글: 데이터를 읽는다"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (KOREAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + KOREAN.encode("utf-8"), "utf-8"),
        (KOREAN.encode("utf-16"), "utf-16"),  # with BOM, native order
        (codecs.BOM_UTF16_BE + KOREAN.encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF16_LE + KOREAN.encode("utf-16-le"), "utf-16"),
        (KOREAN.encode("cp949"), "cp949"),
        (KOREAN.encode("euc-kr"), "cp949"),
    ],
)
def test_decodes_every_encoding_a_korean_blog_uses(data, encoding):
    decoded = decode(data)
    assert decoded.text == KOREAN
    assert decoded.encoding == encoding


def test_line_endings_become_newlines():
    assert decode(b"a\r\nb\rc\n").text == "a\nb\nc\n"


def test_nfd_hangul_becomes_nfc():
    nfd = unicodedata.normalize("NFD", "머신러닝")
    assert nfd != "머신러닝"
    assert decode(nfd.encode()).text == "머신러닝"


@pytest.mark.parametrize(
    "raw",
    ["\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\x1b]8;;https://x\x1b\\", "\x9b31m", "\u202eevil"],
)
def test_control_sequences_are_made_harmless(raw):
    decoded = decode(f"before {raw} after".encode())
    assert "\x1b" not in decoded.text and "\x07" not in decoded.text and "\x9b" not in decoded.text
    assert "\u202e" not in decoded.text
    assert decoded.controls >= 1
    assert decoded.text.startswith("before ") and decoded.text.endswith(" after")


def test_tabs_and_newlines_survive():
    assert decode(b"a\tb\nc").text == "a\tb\nc"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(0, 32)) * 10])
def test_binary_is_refused(data):
    with pytest.raises(BinaryFileError):
        decode(data)


@pytest.mark.parametrize(("text", "cells"), [("abc", 3), ("한국", 4), ("a한b", 4), ("", 0), ("ｆｕｌｌ", 8)])
def test_cell_width_counts_wide_characters_twice(text, cells):
    assert cell_width(text) == cells


@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("가\u200b나", 4),  # a zero-width space takes no cell
        ("❤\ufe0f", 2),  # VS16: drawn as an emoji, two cells
        ("👨\u200d👩\u200d👧", 2),  # joined by ZWJ: one emoji
        ("👍🏽", 2),  # a skin tone is drawn on the hand
        ("🖼", 1),  # no emoji style of its own: one cell, as the image mark is drawn
        ("\u1112\u1161\u11ab", 2),  # a syllable written as its jamo
    ],
)
def test_cell_width_counts_emoji_and_invisible_characters_as_drawn(text, cells):
    assert cell_width(text) == cells


def test_fit_never_cuts_a_joined_emoji_apart_from_its_width():
    cut = fit("👨\u200d👩\u200d👧👨\u200d👩\u200d👧 가족", 6)
    assert cell_width(cut) == 6 and cut.startswith("👨\u200d👩\u200d👧")


def test_fit_pads_and_cuts_by_cells():
    assert fit("한국어", 10) == "한국어    "
    cut = fit("한국어 제목이 깁니다", 7)
    assert cell_width(cut) == 7 and cut.rstrip().endswith("…")


SPECIAL = [
    KOREAN,
    unicodedata.normalize("NFD", KOREAN),
    *["\r\n", "\r", "\x00", "\x1b", "\x0b", "\x7f", "\x85", "\x9f", "\xa0", "\u202e", "\u2066", "\u2069", "\u2028"],
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(SPECIAL))))
def test_utf8_told_plain_on_its_bytes_decodes_as_the_text_is_cleaned(pieces):
    """UTF-8 with no control byte skips the cleaning of the text: what it gives is the same."""
    data = "".join(pieces).encode("utf-8")
    if _looks_binary(data):
        return
    assert decode(data) == _decoded(data.decode("utf-8"), "utf-8")

"""The Korean analyser: what is indexed, and how a query word is shaped."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.analysis import index_terms, plain_tokens, shape, split_word, strip_particle


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("머신러닝", {"머신": [0], "신러": [1], "러닝": [2]}),
        ("책", {"책": [0]}),
        ("자연어 처리", {"자연": [0], "연어": [1], "~어처": [2], "처리": [3]}),
        ("기반인 구조", {"기반": [0], "반인": [1], "~인구": [2], "구조": [3]}),
        ("Django를 설치", {"django": [0], "를": [1], "~를설": [2], "설치": [3]}),
        ("데이터, 처리", {"데이": [0], "이터": [1], "처리": [2]}),  # punctuation: no cross bigram
        ("Hello World 2020", {"hello": [0], "world": [1], "2020": [2]}),
        ("scikit-learn", {"scikit": [0], "learn": [1]}),
        ("C++ and C#", {"c++": [0], "and": [1], "c#": [2]}),
        ("", {}),
    ],
)
def test_index_terms(text, expected):
    assert index_terms(text) == expected


def test_nfd_input_is_indexed_as_nfc():
    import unicodedata

    assert index_terms(unicodedata.normalize("NFD", "한국")) == {"한국": [0]}


def test_positions_are_consecutive_across_a_space():
    terms = index_terms("한국어 자연어 처리")
    by_pos = sorted((p, t) for t, ps in terms.items() for p in ps)
    assert [t for _, t in by_pos] == ["한국", "국어", "~어자", "자연", "연어", "~어처", "처리"]


@pytest.mark.parametrize(
    ("word", "pieces", "stems"),
    [
        ("머신러닝", ("머신러닝",), ()),
        ("데이터를", ("데이터를",), ("데이터",)),
        ("머신러닝에서", ("머신러닝에서",), ("머신러닝",)),
        ("학교", ("학교",), ()),  # too short to lose a syllable
        ("Django를", ("django",), ()),
        ("GPT모델", ("gpt", "모델"), ()),
        ("python3", ("python3",), ()),
    ],
)
def test_shape(word, pieces, stems):
    parsed = shape(word)
    assert parsed is not None
    assert (parsed.pieces, parsed.stems) == (pieces, stems)


def test_shape_of_punctuation_is_none():
    assert shape("!!!") is None


@pytest.mark.parametrize(
    ("run", "stem"), [("데이터에서", "데이터"), ("모델을", "모델"), ("책을", None), ("처리", None)]
)
def test_strip_particle(run, stem):
    assert strip_particle(run) == stem


def test_split_word():
    assert split_word("Node.js와") == ["node", "js", "와"]


@given(st.text(max_size=200))
def test_index_terms_never_fails_and_positions_are_increasing(text):
    terms = index_terms(text)
    positions = sorted(p for ps in terms.values() for p in ps)
    assert positions == list(range(len(positions)))
    assert len(plain_tokens(text)) <= len(positions)

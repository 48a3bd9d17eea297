"""The Korean analyser: what is indexed, and how a query word is shaped."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.search.analysis import plain_tokens, shape, split_word, strip_particle, term_counts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("머신러닝", {"머신": 1, "신러": 1, "러닝": 1}),
        ("책", {"책": 1}),
        ("자연어 처리", {"자연": 1, "연어": 1, "~어처": 1, "처리": 1}),
        ("기반인 구조", {"기반": 1, "반인": 1, "~인구": 1, "구조": 1}),
        ("Django를 설치", {"django": 1, "를": 1, "~를설": 1, "설치": 1}),
        ("데이터, 처리", {"데이": 1, "이터": 1, "처리": 1}),  # punctuation: no cross bigram
        ("Hello World 2020 hello", {"hello": 2, "world": 1, "2020": 1}),
        ("scikit-learn", {"scikit": 1, "learn": 1}),
        ("C++ and C#", {"c++": 1, "and": 1, "c#": 1}),
        ("Ctrl+B, a+b", {"ctrl": 1, "b": 2, "a": 1}),  # a `+` inside a word is no C++
        ("데이터 데이터", {"데이": 2, "이터": 2, "~터데": 1}),
        ("", {}),
    ],
)
def test_term_counts(text, expected):
    assert dict(term_counts(text)) == expected


def test_nfd_input_is_indexed_as_nfc():
    import unicodedata

    assert dict(term_counts(unicodedata.normalize("NFD", "한국"))) == {"한국": 1}


def _slow_counts(text: str) -> Counter:
    """The obvious token loop, to check the C-speed version against."""
    import re

    counts: Counter = Counter()
    previous = None
    for match in re.finditer(r"([가-힣]+)|([^\W_가-힣]+(?:[+#]++(?![^\W_가-힣]))?)", text):
        run, word = match.groups()
        if run:
            if previous and previous[0] and re.fullmatch(r"[ \t]+", text[previous[1] : match.start()]):
                counts["~" + previous[0][-1] + run[0]] += 1
            counts.update([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
            previous = (run, match.end())
        else:
            counts[word.lower()] += 1
            previous = ("", match.end())
    return counts


@given(st.text(alphabet=st.sampled_from(list("가나다라 마바\t.,abcAB1+#\n")), max_size=80))
def test_fast_counts_equal_the_obvious_loop(text):
    assert term_counts(text) == _slow_counts(text)


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
def test_term_counts_never_fails_and_counts_every_plain_token(text):
    counts = term_counts(text)
    assert all(n > 0 for n in counts.values())
    assert len(plain_tokens(text)) <= sum(counts.values())

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


# The query side reads words without compiling a class of the CJK ranges (analysis._kinds); these
# are the character patterns it stands for, the ones the index side compiles.
_EDGE_CHARS = (
    "\u303f\u3040\u30fb\u30ff\u3100\u3130\u3131\u3164\u318e\u318f\u4dff\u4e00\u9fff\ua000\uabff\uac00\ud7a3\ud7a4"
)
_QUERY_CHARS = st.sampled_from(
    list(_EDGE_CHARS + "가나다 한글 語かカ\u1100\u1161\u11a8\u0301 aZé1²٣_+#-.:\"'\t\n\u3000\x1c\xa0")
)


def _character_patterns():
    import re

    from reader.search.analysis import _CJK

    token = re.compile(rf"([{_CJK}]+)|([^\W_{_CJK}]+(?:[+#]++(?![^\W_{_CJK}]))?)")
    return token, re.compile(rf"[{_CJK}]"), re.compile(rf"[{_CJK}]+(?:\s+[{_CJK}]+)*")


def _regex_reading(text: str) -> tuple[list[str], list[str], set[str]]:
    """plain_tokens, split_word and trigrams as the character patterns read `text`."""
    import re
    import unicodedata

    from reader.search.analysis import bigrams

    token, _, spans = _character_patterns()
    text = unicodedata.normalize("NFC", text)
    found = [(m.group(1), m.group(2)) for m in token.finditer(text)]
    plain = [t for run, word in found for t in (bigrams(run) if run else [word.lower()[:64]])]
    words = [run if run else word.lower()[:64] for run, word in found]
    joined = re.sub(r"\s+", "", "\x00".join(spans.findall(text)))
    return plain, words, {joined[i : i + 3] for i in range(len(joined) - 2) if "\x00" not in joined[i : i + 3]}


@given(st.one_of(st.text(_QUERY_CHARS, max_size=40), st.text(max_size=40)))
def test_a_query_is_read_as_the_character_patterns_read_it(text):
    from reader.search.analysis import is_hangul, trigrams

    assert (plain_tokens(text), split_word(text), trigrams(text)) == _regex_reading(text)
    cjk = _character_patterns()[1]
    assert is_hangul(text) == (bool(text) and all(cjk.fullmatch(c) for c in text))


@given(st.text(_QUERY_CHARS, min_size=1, max_size=40))
def test_a_posts_trigrams_are_a_query_words(text):
    """A post's text (long: the compiled pattern) and a query word (short: the kinds) agree."""
    from reader.search.analysis import _SHORT, trigrams

    long = (text + " ") * (_SHORT // (len(text) + 1) + 1)
    assert len(long) > _SHORT
    assert trigrams(long) == _regex_reading(long)[2] == trigrams((text + " ") * 3)  # a trigram spans 3 copies at most

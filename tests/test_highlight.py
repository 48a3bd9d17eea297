"""Highlights cover exactly the matched words, in text we show."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.search.highlight import plain, snippet
from reader.search.plan import make_plan
from reader.search.query import parse


def marked(query: str, text: str) -> list[str]:
    matcher = make_plan(parse(query)).matcher
    return [text[a:b] for a, b in matcher.spans(text)]


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("머신러닝", "딥러닝과 머신러닝에서 머신 러닝을", ["머신러닝", "머신 러닝"]),  # never 딥[러닝]
        ("자연어처리", "자연어 처리와 자연어처리", ["자연어 처리", "자연어처리"]),
        ("인구", "기반인 구조와 인구 통계", ["인구"]),
        ("데이터를", "데이터를 나누고 데이터에서", ["데이터를", "데이터"]),
        ("django", "Django를 설치하고 djangoproject", ["Django"]),
        ("pyth*", "Python and pythonic", ["Python", "pythonic"]),
        ('"자연어 처리"', "자연어 처리와 자연어처리", ["자연어 처리"]),
        ("-머신러닝 딥러닝", "머신러닝 딥러닝", ["딥러닝"]),
        ("tag:python", "python", []),
    ],
)
def test_spans(query, text, expected):
    assert marked(query, text) == expected


def test_plain_strips_markdown_but_keeps_words():
    text = "## 제목\n**굵게** [링크](http://x) ![그림](a.png) `코드`\n> 인용"
    assert plain(text) == "제목 · 굵게 링크 그림 코드 인용"


def test_snippet_offsets_point_at_the_words():
    body = ("앞부분 " * 200) + "여기에서 **머신러닝**에서 배운 것 " + ("뒷부분 " * 200)
    cut = snippet(body, make_plan(parse("머신러닝")).matcher)
    assert cut.text.startswith("…") and cut.text.endswith("…")
    assert [cut.text[a:b] for a, b in cut.highlights] == ["머신러닝"]
    assert len(cut.text) <= 170


@given(
    st.lists(
        st.sampled_from(["머신러닝", "데이터를", "자연어 처리", "Django", "기반인", "구조", "의", " "]), max_size=60
    )
)
def test_every_highlight_is_a_match_of_a_query_word(parts):
    body = " ".join(parts)
    matcher = make_plan(parse("머신러닝 데이터 자연어처리 django")).matcher
    cut = snippet(body, matcher)
    for a, b in cut.highlights:
        word = cut.text[a:b].replace(" ", "").lower()
        assert word in ("머신러닝", "데이터", "자연어처리", "django")

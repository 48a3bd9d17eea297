"""The query language and its limits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.query import (
    MAX_QUERY_CHARS,
    And,
    DateRange,
    Facet,
    IncompleteQuery,
    InvalidQuery,
    Not,
    Or,
    Phrase,
    Word,
    parse,
)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("머신러닝", Word("머신러닝")),
        ("머신러닝 데이터", And((Word("머신러닝"), Word("데이터")))),
        ('"자연어 처리"', Phrase("자연어 처리")),
        ('"한단어"', Word("한단어")),
        ("-초안 검색", And((Not(Word("초안")), Word("검색")))),
        ("tag:Python", Facet("tag", "python")),
        ("tags:#파이썬", Facet("tag", "파이썬")),
        ("category:공부/머신러닝", Facet("category", "공부/머신러닝")),
        ("title:검색", Word("검색", "title")),
        ('title:"검색 문법"', Phrase("검색 문법", "title")),
        ("date:2020", DateRange(20200101, 20201231)),
        ("date:2020-02", DateRange(20200201, 20200229)),
        ("date:2019..2021", DateRange(20190101, 20211231)),
        ("date:2020-06-27", DateRange(20200627, 20200627)),
        ("a OR b", Or((Word("a"), Word("b")))),
        ("(a OR b) c", And((Or((Word("a"), Word("b"))), Word("c")))),
        ("pyth*", Word("pyth", prefix=True)),
        ("scikit-learn", Word("scikit-learn")),
        ("http://x.org", And((Word("http:"), Word("//x.org")))),
        ("", None),
        ("!!! ???", None),
    ],
)
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("*abc", "cannot start"),
        ("a*b", "only end"),
        ("a?", "only end"),
        ("p*", "at least two"),
        ("(" * 20 + "a" + ")" * 20, "nested"),
        ("(a b", "missing"),
        ("a b)", "unbalanced"),
        ("date:어제", "YYYY"),
        ("date:2020-13", "no month"),
        ("date:2021..2019", "ends before"),
        ("x" * (MAX_QUERY_CHARS + 1), "longer than"),
        (" ".join(f"w{i}" for i in range(40)), "more than"),
    ],
)
def test_invalid(text, message):
    with pytest.raises(InvalidQuery, match=message):
        parse(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tag:", "tag: needs a value after the colon, as in tag:python"),
        ("머신러닝 tag:", "tag: needs a value"),
        ("tag: python", "tag: needs a value"),  # the value goes right after the colon
        ("-tag:", "tag: needs a value"),
        ("(tag:)", "tag: needs a value"),
        ('tag:"', "tag: needs a value"),  # a quote just opened
        ("tag:#", "tag: needs a value"),  # on the way to tag:#python
        ("Category:", "category: needs a value after the colon, as in category:공부"),
        ("cat:", "cat: needs a value after the colon, as in category:공부"),
        ("title:", "title: needs a value after the colon, as in title:검색"),
        ("date:", "date: needs a value after the colon, as in date:2020"),
    ],
)
def test_a_field_with_no_value_is_incomplete_not_a_word(text, message):
    """`tag:` searched the word "tag": it is a filter still being typed (the app keeps its list)."""
    with pytest.raises(IncompleteQuery, match=message):
        parse(text)


def test_an_unknown_field_with_no_value_is_still_a_word():
    assert parse("note: 검색") == And((Word("note:"), Word("검색")))


@pytest.mark.timeout(120)  # 300 examples of at most 500 characters: a blow-up would be minutes, not a slow CI
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('()"-*?: OR AND 가나다abc\\\x00\x1b')), max_size=MAX_QUERY_CHARS))
def test_hostile_queries_parse_or_fail_clearly(text):
    try:
        parse(text)
    except InvalidQuery as exc:
        assert str(exc)

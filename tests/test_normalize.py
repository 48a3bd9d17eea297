"""Dates, booleans and taxonomy terms: table-driven and property-based."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.posts.normalize import (
    date_from_filename,
    normalize_categories,
    normalize_tags,
    parse_bool,
    parse_date,
)

KST = timezone(timedelta(hours=9))
UTC = UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-06-27 12:00:00 +0900", datetime(2020, 6, 27, 12, 0, tzinfo=KST)),
        ("2020-06-27 12:00:00 -0500", datetime(2020, 6, 27, 12, 0, tzinfo=timezone(timedelta(hours=-5)))),
        ("2020.06.27 12:00:00", datetime(2020, 6, 27, 12, 0, tzinfo=KST)),
        ("2020/6/7", datetime(2020, 6, 7, tzinfo=KST)),
        ("2020-06-27", datetime(2020, 6, 27, tzinfo=KST)),
        ("2020-06-27T12:00:00Z", datetime(2020, 6, 27, 12, tzinfo=UTC)),
        ("2020-06-27T12:00:00+09:00", datetime(2020, 6, 27, 12, tzinfo=KST)),
        ("2020-06-27T12:00:00.123456+09:00", datetime(2020, 6, 27, 12, 0, 0, 123456, tzinfo=KST)),
        ("2020-06-27 9:05", datetime(2020, 6, 27, 9, 5, tzinfo=KST)),
        (date(2020, 6, 27), datetime(2020, 6, 27, tzinfo=KST)),
        (datetime(2020, 6, 27, 1, 2), datetime(2020, 6, 27, 1, 2, tzinfo=KST)),
        (datetime(2020, 6, 27, 1, 2, tzinfo=UTC), datetime(2020, 6, 27, 1, 2, tzinfo=UTC)),
        ("2020-02-30", None),
        ("2020-13-01", None),
        ("어제", None),
        ("", None),
        (None, None),
        (2020, None),
        ("2020-06-27 12:00:00 +2500", None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value, KST) == expected


def test_parsed_dates_are_always_aware():
    assert parse_date("2020-01-01", KST).tzinfo is not None


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(lambda d: d.replace(microsecond=0))
)
def test_every_written_style_round_trips(moment):
    aware = moment.replace(tzinfo=KST)
    for text in (
        moment.strftime("%Y-%m-%d %H:%M:%S +0900"),
        moment.strftime("%Y.%m.%d %H:%M:%S"),
        aware.isoformat(),
        moment.strftime("%Y-%m-%dT%H:%M:%S") + "+09:00",
    ):
        assert parse_date(text, KST) == aware, text


@given(st.text(max_size=60))
def test_parse_date_never_raises(text):
    result = parse_date(text, KST)
    assert result is None or result.tzinfo is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("2018-05-15-slug.md", datetime(2018, 5, 15, tzinfo=KST)), ("2018-02-30-x.md", None), ("slug.md", None)],
)
def test_date_from_filename(name, expected):
    assert date_from_filename(name, KST) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("yes", True), ("false", False), ("Off", False), (0, False), ("maybe", None), (None, None)],
)
def test_parse_bool(value, expected):
    assert parse_bool(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["python", "파이썬"], ["python", "파이썬"]),
        ("jekyll blog 한국어", ["jekyll", "blog", "한국어"]),
        ("a, b c, d", ["a", "b c", "d"]),
        ("python", ["python"]),
        (["yes", "2020", None, "", "  "], ["yes", "2020"]),
        ([True, 2020, 1.5, 3.0], ["true", "2020", "1.5", "3"]),
        (["#first", "#second"], ["first", "second"]),
        (["dup", "dup", "x"], ["dup", "x"]),
        ([["nested", "list"]], ["nested", "list"]),
        (None, []),
        ({"a": 1}, []),
        (["a\x1b[31m"], ["a\ufffd[31m"]),
    ],
)
def test_normalize_tags(value, expected):
    assert normalize_tags(value) == expected


@pytest.mark.parametrize(
    ("value", "hierarchical", "expected"),
    [
        ("daily", False, [("daily",)]),
        ("deep learning", False, [("deep",), ("learning",)]),
        ("deep learning", True, [("deep learning",)]),
        ("개발/파이썬", False, [("개발", "파이썬")]),
        (["a", "b"], False, [("a",), ("b",)]),
        (["a", "b"], True, [("a", "b")]),
        ([["개발", "블로그"], ["일상"]], False, [("개발", "블로그"), ("일상",)]),
        ([["개발", "블로그"], "일상"], True, [("개발", "블로그"), ("일상",)]),
        (["Dev/Terminal"], False, [("Dev", "Terminal")]),
        ([None, ""], False, []),
        (None, False, []),
        (2020, False, [("2020",)]),
    ],
)
def test_normalize_categories(value, hierarchical, expected):
    assert normalize_categories(value, hierarchical) == expected


taxonomy_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5),
    max_leaves=20,
)


@given(taxonomy_values)
def test_tags_are_unique_clean_strings(value):
    tags = normalize_tags(value)
    assert all(isinstance(t, str) and t and t == t.strip() for t in tags)
    assert len(tags) == len(set(tags))
    assert normalize_tags(tags) == tags or any("," in t or " " in t for t in tags)


@given(taxonomy_values, st.booleans())
def test_categories_are_unique_nonempty_paths(value, hierarchical):
    paths = normalize_categories(value, hierarchical)
    assert len(paths) == len(set(paths))
    for path in paths:
        assert path and all(isinstance(p, str) and p for p in path)

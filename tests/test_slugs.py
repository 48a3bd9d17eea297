"""Heading slugs, GitHub- and Jekyll-compatible, Korean included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.posts.slugs import SlugMap, github_slug, kramdown_slug, loose_key


@pytest.mark.parametrize(
    ("heading", "slug"),
    [
        ("고려대 DSBA", "고려대-dsba"),
        ("Hello, World!", "hello-world"),
        ("처음 열었을 때", "처음-열었을-때"),
        ("C++ & Rust", "c--rust"),
        ("snake_case 이름", "snake_case-이름"),
        ("1. 시작", "1-시작"),
        ("  앞뒤 공백  ", "앞뒤-공백"),
        ("Emoji 🎉 제목", "emoji--제목"),
    ],
)
def test_github_slug(heading, slug):
    assert github_slug(heading) == slug


def test_kramdown_drops_leading_non_letters():
    assert kramdown_slug("1. 시작") == "시작"


def test_duplicates_get_numbered_suffixes():
    slugs = SlugMap()
    assert [slugs.add(h) for h in ["예제", "예제", "예제"]] == ["예제", "예제-1", "예제-2"]


@pytest.mark.parametrize(
    ("fragment", "target"),
    [
        ("#고려대-dsba", "고려대-dsba"),
        ("#%EA%B3%A0%EB%A0%A4%EB%8C%80-dsba", "고려대-dsba"),
        ("#고려대-DSBA", "고려대-dsba"),
        ("#시작", "1-시작"),  # kramdown's form of "1. 시작"
        ("#없음", None),
    ],
)
def test_resolve_fragments(fragment, target):
    slugs = SlugMap()
    slugs.add("고려대 DSBA")
    slugs.add("1. 시작")
    assert slugs.resolve(fragment) == target


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1. Travis CI에 연결하기", "1travisci에연결하기"),
        ("1.-Travis-CI에-연결하기", "1travisci에연결하기"),
        ("-Guidelines", "guidelines"),
        ("snake_case 이름", "snakecase이름"),
        ("C++ & Rust!", "crust"),
        ("STRASSE Straße", "strassestrasse"),  # casefold, not lower
        ("\u1100\u1161 가", "가가"),  # NFC: conjoining jamo compose
        ("🎉 --- _", ""),
    ],
)
def test_loose_key_keeps_letters_and_numbers_only(text, key):
    assert loose_key(text) == key


def test_loose_matches_come_after_every_exact_one():
    slugs = SlugMap()
    for heading in ["A-B", "A B", "A_B", "AB"]:
        slugs.add(heading)
    assert slugs.slugs == ["a-b", "a-b-1", "a_b", "ab"]
    fragments = {"#a-b": "a-b", "#a-b-1": "a-b-1", "#a_b": "a_b", "#ab": "ab", "#A.B": "a-b", "#a--b--1": "a-b-1"}
    assert {fragment: slugs.resolve(fragment) for fragment in fragments} == fragments


_HEADING = st.text(st.sampled_from("가나다라한글 abcXYZ019.-_,:!?()&'"), min_size=1, max_size=30)


@given(_HEADING)
def test_any_heading_is_found_by_its_slug_and_by_a_notion_style_fragment(heading):
    slugs = SlugMap()
    slug = slugs.add(heading)
    assert slugs.resolve("#" + slug) == (slug or None)  # a heading of punctuation only has no anchor
    if loose_key(heading):
        assert slugs.resolve("#" + heading.strip().replace(" ", "-")) == slug

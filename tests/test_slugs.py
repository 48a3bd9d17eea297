"""Heading slugs, GitHub- and Jekyll-compatible, Korean included."""

from __future__ import annotations

import pytest

from reader.posts.slugs import SlugMap, github_slug, kramdown_slug


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

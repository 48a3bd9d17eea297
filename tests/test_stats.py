"""Counting posts: the core's counts and sparkline, and `reader stats` (JSON and the text chart)."""

from __future__ import annotations

import json

import pytest

from reader.posts.stats import Stats, sparkline

SITE = {
    "_config.yml": "title: t\n",
    "_posts/2024-03-10-a.md": (
        "---\ntitle: A\ndate: 2024-03-10\ncategories: [공부, 머신러닝]\ntags: [Python]\n---\n하나 둘 셋\n"
    ),
    "_posts/2024-03-20-b.md": "---\ntitle: B\ndate: 2024-03-20\ncategories: [공부]\ntags: [python, ml]\n---\n"
    "four five\n",
    "_posts/2024-11-01-c.md": "---\ntitle: C\ndate: 2024-11-01\ncategories: [일상]\n---\n한 문장.\n",
    "_posts/2026-01-05-d.md": "---\ntitle: D\ndate: 2026-01-05\ntags: [ML]\n---\n끝\n",
    "_drafts/2026-02-01-e.md": "---\ntitle: E\n---\n초안 글\n",
}


@pytest.mark.parametrize(
    ("values", "top", "expected"),
    [
        ([0, 1, 2, 4, 8], None, "·▁▂▄█"),
        ([3, 1], None, "█▃"),  # any post shows: 1 of 3 is at least the lowest block
        ([1, 1], 100, "▁▁"),
        ([0, 0], None, "··"),
        ([], None, ""),
    ],
)
def test_sparkline(values, top, expected):
    assert sparkline(values, top) == expected


def test_months_and_years_are_continuous_from_the_newest_post(write_tree):
    from reader.library import Library

    library = Library(write_tree(SITE))
    library.adopt(library.read())
    stats = Stats.of(library.snapshot.posts)
    assert stats.last_months(4) == [0, 0, 1, 1]  # Nov 2025 … Feb 2026
    assert len(stats.last_months(100)) == 24  # Mar 2024 … Feb 2026, no further back
    assert [year for year, _ in stats.year_rows()] == [2026, 2025, 2024]
    assert stats.year_rows()[2][1] == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    assert stats.tag("PYTHON") == 2 and stats.category(("공부",)) == 2 and stats.month("2024-03") == 2
    assert stats.month("2024") == 3 and stats.month("spring") == 0


def test_stats_json_counts_everything(cli, write_tree):
    root = write_tree(SITE)
    result = cli("stats", "--posts", str(root), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "root": str(root),
        "posts": 5,
        "drafts": 1,
        "undated": 0,
        "words": 10,  # 하나 둘 셋 · four five · 한 문장. · 끝 · 초안 글
        "characters": 20,
        "years": {"2026": 2, "2024": 3},
        "months": {"2026-02": 1, "2026-01": 1, "2024-11": 1, "2024-03": 2},
        "tags": {"ML": 2, "Python": 2},  # merged by case, as the sidebar shows them
        "categories": {"공부": 2, "머신러닝": 1, "일상": 1},  # Jekyll: two categories, not a path
    }


def test_stats_text_has_a_bar_chart_of_posts_per_month(cli, write_tree):
    result = cli("stats", "--posts", str(write_tree(SITE)))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "5 posts (1 draft), 10 words, 20 characters"
    assert "posts per month (█ = 2)" in lines and "      JFMAMJJASOND" in lines
    assert "2026  ▄▄··········  2" in lines  # Jan and Feb: one post each
    assert "2025  no posts" in lines
    assert "2024  ··█·······▄·  3" in lines
    assert "  #ML      2" in lines and "  머신러닝  1" in lines

"""The taxonomy: tags merged up to case, the date archive, and the filters the post list uses."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from reader.library import Library
from reader.posts.post import Post
from reader.posts.taxonomy import ArchiveMonth, ArchiveYear, Taxonomy, has_tag, in_month
from tests.conftest import KST


def post(path: str, date: datetime | None = None, tags: tuple[str, ...] = (), draft: bool = False) -> Post:
    return Post(path, Path(path), path, date, None, (), tags, draft, "", 1)


def day(year: int, month: int, date: int = 1) -> datetime:
    return datetime(year, month, date, 9, tzinfo=KST)


def test_tags_differing_only_in_case_are_one_entry_under_the_most_used_spelling():
    posts = [post(f"g{n}.md", tags=("Graph",)) for n in range(3)]
    posts += [post("lower.md", tags=("graph", "Python")), post("py.md", tags=("python",))]
    taxonomy = Taxonomy.build(posts)
    assert taxonomy.sorted_tags() == [("Graph", 4), ("Python", 2)]  # the tie goes to the first sorted


def test_nfc_and_nfd_spellings_of_a_tag_are_one_entry():
    nfd = "\u1100\u1173\u1105\u1162\u1111\u1173"  # 그래프, decomposed
    taxonomy = Taxonomy.build([post("a.md", tags=("그래프",)), post("b.md", tags=(nfd,))])
    assert taxonomy.sorted_tags() == [("그래프", 2)]  # shown composed


def test_a_post_spelling_a_tag_two_ways_counts_once():
    taxonomy = Taxonomy.build([post("a.md", tags=("ML", "ml")), post("b.md", tags=("ml",))])
    assert taxonomy.sorted_tags() == [("ml", 2)]


def test_the_merged_tag_filters_every_spelling(write_tree):
    root = write_tree(
        {
            "a.md": "---\ntags: [Graph]\n---\n",
            "b.md": "---\ntags: [Graph]\n---\n",
            "c.md": "---\ntags: [graph]\n---\n",
            "d.md": "---\ntags: [GRAPHQL]\n---\n",
        }
    )
    library = Library.open(root, KST)
    assert library.taxonomy.sorted_tags() == [("Graph", 3), ("GRAPHQL", 1)]
    shown, count = library.taxonomy.sorted_tags()[0]
    assert sorted(p.path for p in library.filter(tag=shown)) == ["a.md", "b.md", "c.md"]
    assert len(library.filter(tag=shown)) == count
    assert has_tag(post("x.md", tags=("graph",)), "#Graph")


def test_archive_years_and_months_newest_first_with_counts():
    posts = [
        post("a.md", day(2020, 5, 3)),
        post("b.md", day(2020, 6, 1)),
        post("c.md", day(2020, 5, 30), draft=True),  # drafts count, as they do for tags
        post("d.md", day(2019, 12, 31)),
        post("e.md", day(2021, 1, 2)),
        post("undated.md", None),
    ]
    assert Taxonomy.build(posts).archive == (
        ArchiveYear(2021, 1, (ArchiveMonth(2021, 1, 1),)),
        ArchiveYear(2020, 3, (ArchiveMonth(2020, 6, 1), ArchiveMonth(2020, 5, 2))),
        ArchiveYear(2019, 1, (ArchiveMonth(2019, 12, 1),)),
    )


def test_archive_of_no_dated_posts_is_empty():
    assert Taxonomy.build([post("a.md")]).archive == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020", True),
        ("2020-06", True),
        ("2020-6", True),
        (" 2020/06 ", True),
        ("2020-05", False),
        ("2021", False),
        ("2019-06", False),
    ],
)
def test_in_month_matches_the_year_or_the_year_and_month(value, expected):
    assert in_month(post("a.md", day(2020, 6, 15)), value) is expected


def test_in_month_skips_undated_posts_and_refuses_what_is_no_month():
    assert not in_month(post("a.md"), "2020")
    for value in ["June", "20-06", "2020-06-01", ""]:
        with pytest.raises(ValueError, match="not a year or a month"):
            in_month(post("a.md", day(2020, 6)), value)


def test_the_list_filters_by_an_archive_entry(write_tree):
    root = write_tree(
        {
            "2020-06-01-a.md": "---\ntitle: a\n---\n",
            "2020-06-20-b.md": "---\ntitle: b\ndraft: true\n---\n",
            "2020-05-01-c.md": "---\ntitle: c\n---\n",
            "2019-06-01-d.md": "---\ntitle: d\n---\n",
        }
    )
    library = Library.open(root, KST)
    june = library.taxonomy.archive[0].months[0]
    assert (june.value, june.count) == ("2020-06", 2)
    assert [p.path for p in library.filter(month=june.value)] == ["2020-06-20-b.md", "2020-06-01-a.md"]
    assert [p.path for p in library.filter(month=june.value, drafts=False)] == ["2020-06-01-a.md"]
    assert len(library.filter(month=library.taxonomy.archive[0].value)) == library.taxonomy.archive[0].count == 3

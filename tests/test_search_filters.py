"""Searching by category, tag and date as a user types them: `reader search` in a real process,
and the scan a search runs before the index is built."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from reader.posts.post import Post
from reader.search.query import facet
from reader.search.scan import scan_search


def _post(title: str, date: str, categories: str, tags: str = "[]") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ncategories: {categories}\ntags: {tags}\n---\n{title} 본문입니다.\n"


# File names in another order than the dates: a list in index order is not newest first.
POSTS = {
    "a-leaf.md": _post("잎글", "2021-01-01", "ML/용어", "[Big Data]"),
    "b-spaced.md": _post("띄운글", "2023-05-01", "[Machine Learning]", "[big data, python]"),
    "c-deeper.md": _post("깊은글", "2022-03-01", "ML/용어/심화"),
    "d-top.md": _post("위글", "2020-07-01", "용어"),
    "e-tips.md": _post("팁글", "2024-02-01", "Tips & Refs/Tips"),
    "f-other.md": _post("딴글", "2019-02-01", "Python/books", "[python]"),
}


@pytest.fixture
def search(reader_cmd, write_tree, tmp_path):
    site = write_tree(POSTS)
    env = {
        **os.environ,
        "GEULBAT_POSTS": str(site),
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_SERVER": "off",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TZ": "Asia/Seoul",
    }

    def titles(query: str) -> list[str]:
        done = subprocess.run(
            [*reader_cmd, "search", query, "--json"], capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return [hit["title"] for hit in json.loads(done.stdout)["hits"]]

    return titles


def test_a_category_is_found_by_its_own_name_at_any_depth(search):
    assert search("category:용어") == ["깊은글", "잎글", "위글"]  # ML/용어, ML/용어/심화 and the top 용어
    assert search("category:심화") == ["깊은글"]
    assert search("category:Tips") == ["팁글"]  # Tips & Refs/Tips
    assert search("category:ml/용어") == ["깊은글", "잎글"]  # a path from the top, as before
    assert search("category:용어/심화") == ["깊은글"]  # a path from the middle
    assert search("category:books 딴글") == ["딴글"]
    assert search("category:ml/심화") == []  # a path is contiguous


def test_a_name_with_spaces_is_written_in_quotes(search):
    assert search('category:"Machine Learning"') == ["띄운글"]
    assert search('category:"tips & refs"') == ["팁글"]
    assert search('tag:"big data"') == ["띄운글", "잎글"]


def test_filters_alone_list_the_newest_first(search):
    assert search("date:2019..2024") == ["팁글", "띄운글", "깊은글", "잎글", "위글", "딴글"]
    assert search("tag:python") == ["띄운글", "딴글"]
    assert search("category:용어 -깊은글") == ["잎글", "위글"]


def _posts(site) -> list[Post]:
    from reader.library import Library

    library = Library(site, index_dir=site.parent / "no-index")
    library.load()
    return list(library.snapshot.posts)


def test_the_scan_before_the_index_filters_and_orders_the_same(write_tree):
    posts = _posts(write_tree(POSTS))

    def titles(query: str, scope=None) -> list[str]:
        return [hit.title for hit in scan_search(posts, query, scope=scope).hits]

    assert titles("category:용어") == ["깊은글", "잎글", "위글"]
    assert titles('category:"machine learning"') == ["띄운글"]
    assert titles("tag:python") == ["띄운글", "딴글"]
    # The sidebar's category is the path from the top, as the sidebar lists it.
    assert titles("본문입니다", scope=facet("category", "용어")) == ["위글"]


def test_the_sidebars_category_stays_the_path_from_the_top(write_tree, tmp_path):
    """Search inside the sidebar's `용어` (the top category) finds what that list holds, not
    the posts of `ML/용어` a typed `category:용어` finds."""
    from reader.library import Library

    library = Library(write_tree(POSTS), index_dir=tmp_path / "index")
    library.load()
    library.sync_index()
    assert [h.title for h in library.search("본문입니다", scope=facet("category", "용어")).hits] == ["위글"]
    assert {h.title for h in library.search("본문입니다 category:용어").hits} == {"깊은글", "잎글", "위글"}

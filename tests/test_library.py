"""Loading the bundled posts: every dialect normalised into one Post."""

from __future__ import annotations

import os
import time
from datetime import datetime

import pytest

from reader.library import Library
from tests.conftest import KST, POSTS


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.open(POSTS, KST)


def test_bundled_posts_count_and_order(library):
    assert 15 <= len(library) <= 30
    dates = [p.date for p in library.posts]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("path", "title", "date", "categories", "tags", "draft"),
    [
        (
            "2026-01-05-welcome.md",
            "reader에 오신 것을 환영합니다",
            datetime(2026, 1, 12, 9, tzinfo=KST),
            ["안내서"],
            ["reader", "시작하기", "guide"],
            False,
        ),
        (
            "2026-01-08-configuration.md",
            "Configuration",
            datetime(2026, 1, 8, 9, tzinfo=KST),
            ["안내서", "Settings"],
            ["reader", "config", "설정"],
            False,
        ),
        (
            "2026-01-09-front-matter-dialects.md",
            "머리말 형식들 (Front matter dialects)",
            datetime(2026, 1, 9, 9, tzinfo=KST),
            ["안내서"],
            ["front matter", "jekyll", "hexo", "hugo"],
            False,
        ),
        (
            "hexo-style-post.md",
            "Hexo 스타일 글",
            datetime(2020, 6, 27, 12, tzinfo=KST),
            ["개발/블로그", "일상"],
            ["hexo", "블로그"],
            False,
        ),
        (
            "2025-10-02-자연어-처리.md",
            "자연어 처리 노트",
            datetime(2025, 10, 2, tzinfo=KST),
            ["공부/자연어처리"],
            ["형태소", "토큰화", "NLP"],
            False,
        ),
        (
            "2025-01-15-yaml-coercions.md",
            "2020",
            datetime(2025, 1, 15, 12, tzinfo=KST),
            ["Notes"],
            ["yes", "2020", "C++", "1.10", "on"],
            False,
        ),
        (
            "2024-08-15-hugo-draft.md",
            "Hugo에서 온 글",
            datetime(2024, 8, 15, tzinfo=KST),
            ["개발"],
            ["hugo", "toml"],
            True,
        ),
        (
            "2025-03-03-unpublished.md",
            "공개하지 않은 메모",
            datetime(2025, 3, 3, 12, tzinfo=KST),
            ["메모"],
            ["초안"],
            True,
        ),
        (
            "_drafts/2026-02-01-next-features.md",
            "다음에 만들 기능 (초안)",
            datetime(2026, 2, 1, tzinfo=KST),
            ["안내서"],
            ["reader", "계획"],
            True,
        ),
        (
            "broken/python-colon.md",
            "Python: 시작하기",
            datetime(2025, 9, 14, 10, tzinfo=KST),
            ["개발"],
            ["python", "입문"],
            False,
        ),
        (
            "broken/unclosed-bracket.md",
            "닫히지 않은 대괄호",
            datetime(2025, 9, 16, tzinfo=KST),
            [],
            ["python", "파이썬"],
            False,
        ),
        ("broken/cp949-post.md", "CP949로 저장한 글", datetime(2015, 3, 1, tzinfo=KST), ["옛글"], [], False),
    ],
)
def test_post_fields(library, path, title, date, categories, tags, draft):
    post = library.get(path)
    assert (post.title, post.date, post.category_names, list(post.tags), post.draft) == (
        title,
        date,
        categories,
        tags,
        draft,
    )


def test_updated_dates(library):
    assert library.get("2026-01-08-configuration.md").updated == datetime(2026, 1, 20, 18, 30, tzinfo=KST)
    assert library.get("2025-08-01-django-tutorial.md").updated == datetime(2025, 8, 3, 10, tzinfo=KST)


@pytest.mark.parametrize(
    ("path", "fragment"),
    [
        ("broken/python-colon.md", "broken/python-colon.md:2:14: invalid YAML"),
        ("broken/unclosed-bracket.md", "broken/unclosed-bracket.md:4:"),
        ("broken/2025-09-17-list-front-matter.md", "front matter is a list"),
        ("broken/cp949-post.md", "decoded as cp949"),
        ("broken/escape-sequences.md", "control characters"),
    ],
)
def test_broken_posts_are_listed_with_a_warning_naming_file_and_line(library, path, fragment):
    post = library.get(path)
    assert any(fragment in w for w in post.warnings), post.warnings


def test_title_falls_back_to_first_heading_then_file_name(library, write_tree):
    assert library.get("broken/2025-09-17-list-front-matter.md").title == "목록 머리말"
    root = write_tree({"2020-01-02-my-slug.md": "no heading\n", "x.md": "```\n# not this\n```\nTitle\n=====\n"})
    other = Library.open(root, KST)
    assert other.get("2020-01-02-my-slug.md").title == "my-slug"
    assert other.get("x.md").title == "Title"


def test_binary_files_are_not_listed_but_warned(library):
    assert "broken/binary.md" not in library
    assert any("broken/binary.md" in w and "binary" in w for w in library.warnings)


def test_markup_and_control_characters_are_plain_text(library):
    assert library.get("broken/markup-title.md").title.startswith("[/Python] [@click=app.quit]")
    escaped = library.get("broken/escape-sequences.md")
    assert "\x1b" not in escaped.title + escaped.body and "\x07" not in escaped.body


def test_filters_and_taxonomy(library):
    assert {p.path for p in library.filter(tag="PYTHON")} >= {
        "2025-11-20-머신러닝-입문.md",
        "2025-08-01-django-tutorial.md",
        "broken/python-colon.md",
    }
    assert {p.path for p in library.filter(category="개발")} >= {"hexo-style-post.md", "2023-05-20-some-post.md"}
    assert [p.path for p in library.filter(category="개발/블로그")] == ["hexo-style-post.md"]
    tree = library.taxonomy.categories
    assert tree.count == len(library)
    assert tree.children["개발"].children["블로그"].count == 1
    assert tree.children["개발"].count >= 4
    assert dict(library.taxonomy.sorted_tags())["reader"] >= 6
    assert all(not p.draft for p in library.filter(drafts=False))


def test_date_falls_back_to_mtime(write_tree):
    root = write_tree({"undated.md": "본문\n"})
    post = Library.open(root, KST).posts[0]
    assert post.date is not None and post.date.tzinfo is not None


def test_unreadable_date_warns_and_falls_back(write_tree):
    root = write_tree({"2020-03-04-x.md": "---\ndate: 어제\n---\n"})
    post = Library.open(root, KST).posts[0]
    assert post.date == datetime(2020, 3, 4, tzinfo=KST)
    assert any("unreadable date" in w for w in post.warnings)


def test_cached_listing_from_the_index_then_bodies_on_demand(tmp_path):
    Library(POSTS, KST, index_dir=tmp_path / "ix").sync_index()
    cached = Library(POSTS, KST, index_dir=tmp_path / "ix")
    listed = cached.read_cached()
    assert listed is not None and not listed.complete
    cached.adopt(listed)
    full = Library.open(POSTS, KST)
    assert [p.path for p in cached.posts] == [p.path for p in full.posts]
    assert [p.title for p in cached.posts] == [p.title for p in full.posts]
    assert all(p.stub and p.body == "" for p in cached.posts)
    post = cached.get("2026-01-05-welcome.md")
    assert not post.stub and "처음 열었을 때" in post.body
    assert cached.taxonomy.categories.children["개발"].children["블로그"].count == 1


def test_no_cached_listing_without_an_index(tmp_path):
    assert Library(POSTS, KST, index_dir=tmp_path / "none").read_cached() is None


def test_each_post_file_is_read_once_per_load_and_sync(write_tree, tmp_path, monkeypatch):
    root = write_tree({f"p{n}.md": f"---\ntitle: 글 {n}\n---\n본문 {n}\n" for n in range(12)})
    an_hour_ago = time.time() - 3600  # older than the two seconds in which an edit could hide
    for path in root.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    opened: list[str] = []
    real_open = os.open

    def counting(path, flags, *args, **kwargs):
        if str(path).endswith(".md"):
            opened.append(os.path.basename(str(path)))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", counting)
    library = Library(root, KST, index_dir=tmp_path / "index")
    library.load()  # the app's way: read every post, then index from that snapshot
    library.sync_index(library.snapshot)
    assert sorted(opened) == sorted(f"p{n}.md" for n in range(12))
    opened.clear()
    cli = Library(root, KST, index_dir=tmp_path / "index2")
    cli.sync_index()  # the CLI's way: no snapshot; a first build reads each file once
    cli.search("본문")  # the hits' text comes from those reads
    assert sorted(opened) == sorted(f"p{n}.md" for n in range(12))
    opened.clear()
    (root / "p3.md").write_text("---\ntitle: 바뀜\n---\n새 본문\n", encoding="utf-8")
    library.adopt(library.read(library.snapshot))  # a reload reads the changed file only…
    library.sync_index(library.snapshot)  # …and the index takes it from the snapshot
    assert opened == ["p3.md"]


def test_the_apps_snapshot_holds_metadata_and_reads_bodies_when_wanted(write_tree, tmp_path):
    links = "".join(f"[{n}](https://me.example/2020/01/0{n}/p{n}/) " for n in range(1, 5))
    root = write_tree(
        {
            **{f"2020-01-0{n}-p{n}.md": f"---\ntitle: 글 {n}\ntags: [a]\n---\n본문 {n} {links}\n" for n in range(1, 5)},
            "2020-02-01-away.md": "---\ntitle: 멀리\n---\n[그곳](https://me.example/2020/01/01/p1/)\n",
        }
    )
    an_hour_ago = time.time() - 3600
    for path in root.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    Library(root, KST, index_dir=tmp_path / "ix").sync_index()
    app_library = Library(root, KST, index_dir=tmp_path / "ix", hold_bodies=False)
    assert app_library.read_cached() is not None  # the app lists from the index first
    app_library.load()
    snapshot = app_library.snapshot
    assert snapshot.complete and all(p.stub and p.body == "" for p in snapshot.posts)
    assert snapshot.get("2020-01-02-p2.md").tags == ("a",)
    assert "본문 2" in app_library.get("2020-01-02-p2.md").body
    # the site's own host is still found from the links, without the bodies held
    assert snapshot.post_for_url("https://me.example/2020/01/01/p1/") == "2020-01-01-p1.md"
    assert [b.path for b in app_library.backlinks("2020-01-01-p1.md")] == [
        "2020-01-02-p2.md",
        "2020-01-03-p3.md",
        "2020-01-04-p4.md",
        "2020-02-01-away.md",
    ]
    # an edit is read again for the index, which finds its new words
    (root / "2020-01-03-p3.md").write_text("---\ntitle: 글 3\n---\n새로운 낱말\n", "utf-8")
    app_library.load()
    assert app_library.sync_index(app_library.snapshot).updated == 1
    assert [h.path for h in app_library.search("새로운").hits] == ["2020-01-03-p3.md"]
    assert app_library.snapshot.get("2020-01-03-p3.md").stub


def test_without_an_index_the_apps_snapshot_holds_the_bodies_for_the_first_build(tmp_path):
    library = Library(POSTS, KST, index_dir=tmp_path / "none", hold_bodies=False)
    assert library.read_cached() is None
    library.load()
    assert all(not p.stub for p in library.posts)
    assert "처음 열었을 때" in library.snapshot.get("2026-01-05-welcome.md").body


def test_a_big_read_is_kept_out_of_the_cyclic_collector_and_a_few_changes_are_not(write_tree, monkeypatch):
    """The posts of a whole read of a big blog are frozen (a full collection walked them all,
    ~50 ms at 10k posts, inside a search); a reload that changed one post freezes nothing."""
    import gc

    import reader.posts.loading as snapshot_module

    monkeypatch.setattr(snapshot_module, "FREEZE_FROM", 5)
    collecting = []  # whether the collector ran during each read of files
    real = snapshot_module.read_all
    monkeypatch.setattr(
        snapshot_module, "read_all", lambda *a, **k: (collecting.append(gc.isenabled()), real(*a, **k))[1]
    )
    root = write_tree({f"2020-01-{day:02}-p.md": f"# 글 {day}\n\n본문\n" for day in range(1, 9)})
    past = time.time_ns() - 100 * 10**9  # not written just now: a reload reads only what changed
    for file in root.iterdir():
        os.utime(file, ns=(past, past))
    try:
        library = Library.open(root, KST)
        tracked = {id(o) for o in gc.get_objects()}
        assert all(id(post) not in tracked for post in library.posts)
        (root / "2020-01-03-p.md").write_text("# 고친 글\n\n본문\n", encoding="utf-8")
        os.utime(root / "2020-01-03-p.md", ns=(past + 10**9, past + 10**9))
        library.load()
        changed = next(post for post in library.posts if post.path == "2020-01-03-p.md")
        assert changed.title == "고친 글"
        assert id(changed) in {id(o) for o in gc.get_objects()}
        assert collecting == [False, True] and gc.isenabled()
    finally:
        gc.unfreeze()

"""Files changed on disk applied one by one to a snapshot: the same as reading the folder again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reader.library import Library
from reader.posts.delta import CHANGES_AT_ONCE
from reader.posts.snapshot import Snapshot
from tests.sites import write_blog


def post(title: str, date: str = "2021-01-01", tags: str = "[파이썬]", body: str = "본문 https://example.org/x") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ntags: {tags}\n---\n{body}\n"


FILES = {
    "_posts/2020-01-01-a.md": post("가", "2020-01-01"),
    "_posts/2020-02-01-b.md": post("나", "2020-02-01"),
    "_posts/sub/2020-03-01-c.md": post("다", "2020-03-01"),
    "_posts/z/2020-04-01-d.md": post("라", "2020-04-01"),
    "_drafts/e.md": post("마", "2020-05-01"),
    "_config.yml": "title: blog\n",
}


def assert_same(applied: Snapshot, read: Snapshot) -> None:
    assert list(applied.files) == list(read.files)  # the scan's order too
    assert dict(applied.files) == dict(read.files)
    assert [p.path for p in applied.posts] == [p.path for p in read.posts]
    assert dict(applied.by_path) == dict(read.by_path)
    assert dict(applied.urls) == dict(read.urls)
    assert applied.warnings == read.warnings
    for field in ("added", "updated", "removed"):  # a full read lists them as its threads finish
        assert sorted(getattr(applied.changes, field)) == sorted(getattr(read.changes, field)), field
    assert applied.taxonomy == read.taxonomy


@pytest.fixture(params=[True, False], ids=["bodies", "stubs"])
def library(request, tmp_path) -> Library:
    root = write_blog(tmp_path / "site", FILES)
    library = Library(root, index_dir=tmp_path / "index", hold_bodies=request.param)
    if not request.param:
        library.sync_index(library.read())  # stubs once an index exists
    library.adopt(library.read())
    _ = library.snapshot.posts, library.snapshot.by_path, library.snapshot.taxonomy  # derived, as the app asks
    return library


def edit(root: Path) -> list[Path]:
    """A title and a date changed, a post added in a new sub folder, one deleted, one renamed,
    a binary file where a post was, and files the scan never reads."""
    changed = [
        root / "_posts/2020-01-01-a.md",
        root / "_posts/2020-02-01-b.md",
        root / "_posts/new/2022-01-01-f.md",
        root / "_posts/sub/2020-03-01-c.md",
        root / "_posts/z/2020-04-01-d.md",
        root / "_posts/z/moved.md",
        root / "_drafts/e.md",
        root / "_posts/.hidden.md",
        root / "_posts/notes.txt",
        root / "_site/x.md",
    ]
    changed[0].write_text(post("새 제목"), encoding="utf-8")
    changed[1].write_text(post("나", "2019-01-01", "[자바]"), encoding="utf-8")
    changed[2].parent.mkdir()
    changed[2].write_text(post("바", "2022-01-01", body="새 본문 https://other.example/y"), encoding="utf-8")
    changed[3].unlink()
    changed[4].rename(changed[5])
    changed[6].write_bytes(b"\x00\x01\x02binary" * 100)
    for path in changed[7:]:
        path.parent.mkdir(exist_ok=True)
        path.write_text("x", encoding="utf-8")
    return changed


def test_applying_the_changed_files_equals_reading_the_folder_again(library):
    before = library.snapshot
    changed = edit(library.root)
    delta = library.read_changes(str(p) for p in changed)
    assert delta is not None
    applied = library.apply_changes(delta)
    read = library.read(before)
    assert_same(applied, read)
    assert set(applied.changes.updated) == {"_posts/2020-01-01-a.md", "_posts/2020-02-01-b.md", "_drafts/e.md"}
    assert applied.by_path["_posts/2020-01-01-a.md"].title == "새 제목"
    assert "_drafts/e.md" not in applied.by_path  # binary now: a file, not a post


def test_only_the_changed_files_are_read(library, monkeypatch):
    from reader.posts import loading as module

    read: list[str] = []
    real = module.load_post
    monkeypatch.setattr(module, "load_post", lambda found, *a: read.append(found.rel) or real(found, *a))
    (library.root / "_posts/2020-01-01-a.md").write_text(post("바뀐 제목", "2020-01-01"), encoding="utf-8")
    delta = library.read_changes([str(library.root / "_posts/2020-01-01-a.md")])
    assert delta is not None
    assert read == ["_posts/2020-01-01-a.md"]
    applied = library.apply_changes(delta)
    assert applied.changes.updated == ("_posts/2020-01-01-a.md",)
    assert applied.taxonomy is library.snapshot.taxonomy  # a title: the same taxonomy, not built again


def test_a_delta_applies_to_a_snapshot_adopted_after_its_base(library):
    """The app reads changes from one snapshot while another (a full read) is adopted."""
    base = library.snapshot
    (library.root / "_posts/2020-01-01-a.md").write_text(post("첫째"), encoding="utf-8")
    delta = library.read_changes([str(library.root / "_posts/2020-01-01-a.md")], base)
    (library.root / "_posts/2020-02-01-b.md").unlink()
    newer = library.read(base)
    assert delta is not None
    applied = library.apply_changes(delta, newer)
    assert applied.by_path["_posts/2020-01-01-a.md"].title == "첫째"
    assert "_posts/2020-02-01-b.md" not in applied.by_path


@pytest.mark.parametrize(
    "what",
    ["config", "new folder", "folder gone", "too many", "a skipped file"],
)
def test_changes_the_scan_must_see_fall_back_to_reading_everything(library, what):
    root = library.root
    if what == "config":
        paths = [root / "_config.yml"]
        paths[0].write_text("title: other\n", encoding="utf-8")
    elif what == "new folder":  # moved in whole: its files give no events of their own
        paths = [root / "_posts/moved-in"]
        paths[0].mkdir()
    elif what == "folder gone":
        shutil.rmtree(root / "_posts/sub")
        paths = [root / "_posts/sub"]
    elif what == "too many":
        paths = [root / f"_posts/2021-01-01-{n}.md" for n in range(CHANGES_AT_ONCE + 1)]
    else:
        paths = [root / "_posts/fifo.md"]
        os.mkfifo(paths[0])
    assert library.read_changes(str(p) for p in paths) is None


def test_changes_outside_the_posts_are_nothing(library):
    (library.root / "README.txt").write_text("x", encoding="utf-8")
    (library.root / "_site").mkdir()
    delta = library.read_changes([str(library.root / "README.txt"), str(library.root / "_site"), "/elsewhere/a.md"])
    assert delta is not None and not delta.loaded and not delta.removed
    assert not library.apply_changes(delta).changes

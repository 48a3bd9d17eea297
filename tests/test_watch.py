"""The folder watch that lets a process that stays up skip the scan when nothing changed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reader.library import Library
from reader.posts.discovery import detect_layout, scan_states
from reader.posts.watch import FolderWatch, file_system

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify")


def _site(root: Path) -> Path:
    (root / "_posts" / "2020").mkdir(parents=True)
    (root / "_config.yml").write_text("title: t\n", "utf-8")
    (root / "_posts" / "2020-01-01-a.md").write_text("---\ntitle: 가\n---\n데이터\n", "utf-8")
    (root / "_posts" / "2020" / "2020-02-01-b.md").write_text("---\ntitle: 나\n---\n모델\n", "utf-8")
    return root


@pytest.fixture
def watched(tmp_path):
    root = _site(tmp_path / "site")
    watch = FolderWatch.start(str(root))
    if watch is None:
        pytest.skip(f"no inotify on {file_system(str(root))}")
    layout = detect_layout(root)
    yield root, watch, lambda: scan_states(layout, watch)
    watch.close()


def test_quiet_only_after_a_scan_and_until_any_change(watched):
    root, watch, scan = watched
    assert not watch.quiet()  # nothing scanned yet: no promise
    scan()
    assert watch.quiet() and watch.quiet()
    changes = [
        lambda: (root / "_posts" / "2020" / "2020-02-01-b.md").write_text("---\ntitle: 나\n---\n무델\n", "utf-8"),
        lambda: os.utime(root / "_posts" / "2020-01-01-a.md", (1, 1)),  # the same bytes, another time
        lambda: (root / "_posts" / "2020-01-01-a.md").rename(root / "_posts" / "2020-01-01-c.md"),
        lambda: (root / "_posts" / "2020-01-01-c.md").unlink(),
        lambda: (root / "_posts" / "new").mkdir(),
        lambda: (root / "_posts" / "new" / "2021-01-01-d.md").write_text("새 글\n", "utf-8"),  # watched since the scan
    ]
    for change in changes:
        change()
        assert not watch.quiet(), change
        assert not watch.quiet()  # said once is not forgotten: still no promise until a scan
        scan()
        assert watch.quiet()


def test_a_symlinked_post_is_never_vouched_for(watched):
    """Its target may be in a folder no watch covers: every sync scans."""
    root, watch, scan = watched
    (root / "elsewhere.md").write_text("본문\n", "utf-8")
    (root / "_posts" / "2020-03-01-link.md").symlink_to(root / "elsewhere.md")
    found = scan()
    assert "_posts/2020-03-01-link.md" in found.rows.paths
    assert not watch.quiet()


def test_a_file_system_whose_changes_may_come_from_elsewhere_is_not_watched():
    assert file_system("/proc/self") == "proc"
    assert FolderWatch.start("/proc/self") is None


def test_a_watched_library_finds_every_change_and_scans_only_after_one(tmp_path, monkeypatch):
    import reader.library as library_module

    root = _site(tmp_path / "site")
    library = Library(root, index_dir=tmp_path / "index")
    if not library.watch_folders():
        pytest.skip("no inotify here")
    scans = []
    real = library_module.scan_states
    monkeypatch.setattr(library_module, "scan_states", lambda *a: scans.append(1) or real(*a))
    hits = lambda word: [h.path for h in library.search(word).hits]  # noqa: E731

    library.sync_index()
    assert hits("데이터") == ["_posts/2020-01-01-a.md"] and len(scans) == 1
    assert library.sync_index().unchanged == 2 and len(scans) == 1  # nothing changed: no scan
    post = root / "_posts" / "2020-01-01-a.md"
    post.write_text(post.read_text("utf-8").replace("데이터", "양자역학"), "utf-8")
    report = library.sync_index()
    assert report.updated == 1 and len(scans) == 2
    assert hits("양자역학") == ["_posts/2020-01-01-a.md"] and hits("데이터") == []
    library.sync_index()
    assert len(scans) == 2
    library.close()


def test_a_folder_swapped_in_by_renames_above_it_is_noticed(tmp_path):
    """A watch follows a folder, not its path: `mv site site.old; mv site.new site` raises no
    event in the old `_posts`, so the root and the post folders are looked at again."""
    outer = tmp_path / "outer"
    root = _site(outer / "site")
    replacement = _site(tmp_path / "next" / "site")
    watch = FolderWatch.start(str(root))
    if watch is None:
        pytest.skip("no inotify here")
    scan_states(detect_layout(root), watch)
    assert watch.quiet()
    outer.rename(tmp_path / "outer.old")
    (tmp_path / "next").rename(outer)
    assert not watch.quiet()
    watch.close()
    assert (replacement.parent.name, (root / "_posts").is_dir()) == ("next", True)  # the same path, another folder


def test_a_posts_link_pointed_elsewhere_is_noticed(tmp_path):
    root = _site(tmp_path / "site")
    (root / "_posts").rename(tmp_path / "posts-a")
    (tmp_path / "posts-b").mkdir()
    (root / "_posts").symlink_to(tmp_path / "posts-a")
    watch = FolderWatch.start(str(root))
    if watch is None:
        pytest.skip("no inotify here")
    scan_states(detect_layout(root), watch)
    assert watch.quiet()
    (root / "_posts").unlink()
    (root / "_posts").symlink_to(tmp_path / "posts-b")
    assert not watch.quiet()
    watch.close()


def test_a_hard_linked_post_is_never_vouched_for(watched):
    """Written through its other name, in a folder no watch covers: every sync scans."""
    root, watch, scan = watched
    os.link(root / "_posts" / "2020-01-01-a.md", root / "other-name.md")
    scan()
    assert not watch.quiet()

"""Small segments are merged by reading their posts again, not by Whoosh's posting-at-a-time merge."""

from __future__ import annotations

import os
import time

from reader.library import Library
from reader.search import indexer
from reader.search.store import storage
from tests.conftest import KST


def _segments(library: Library) -> int:
    manifest = library.index.manifest
    assert manifest is not None and manifest.generation is not None
    index = storage(str(manifest.generation)).open_index()
    try:
        return len(index._segments())
    finally:
        index.close()


def test_syncs_that_add_segments_get_them_merged_from_the_files(tmp_path, monkeypatch):
    root = tmp_path / "posts"
    root.mkdir()
    for n in range(40):
        (root / f"p{n:02}.md").write_text(f"---\ntitle: 글 {n}\n---\n자연어처리 본문 {n}\n", encoding="utf-8")
    library = Library.open(root, KST, index_dir=tmp_path / "index")
    library.sync_index()
    merged = []
    original = indexer._reindex_small
    monkeypatch.setattr(indexer, "_reindex_small", lambda *args: merged.append(len(args[3])) or original(*args))
    most = 0
    for n in range(12):  # one small segment a sync, until a merge folds them into the new one
        (root / f"p{n:02}.md").write_text(f"---\ntitle: 고친 글 {n}\n---\n형태소분석기 {n}\n", encoding="utf-8")
        (root / f"new{n:02}.md").write_text(f"---\ntitle: 새 글 {n}\n---\n쿼리로그 {n}\n", encoding="utf-8")
        library.load()
        library.sync_index()
        most = max(most, _segments(library))
    assert merged and most > _segments(library)  # segments went up, then a merge brought them down
    assert library.search("형태소분석기").total == 12
    assert library.search("쿼리로그").total == 12
    assert library.search("자연어처리").total == 28
    assert library.index.manifest is not None and library.index.manifest.doc_count == 52
    rebuilt = Library.open(root, KST, index_dir=tmp_path / "fresh")
    rebuilt.sync_index()
    for query in ("형태소분석기", "쿼리로그", "자연어처리", "글", "고친"):
        # The same posts (equal scores may come in another order: documents are numbered otherwise).
        assert sorted(h.path for h in library.search(query, limit=100).hits) == sorted(
            h.path for h in rebuilt.search(query, limit=100).hits
        ), query


def test_a_post_that_cannot_be_read_during_a_merge_is_read_again_later(tmp_path, monkeypatch):
    """A merge reads its segments' posts again; one that fails to read then (a full file table)
    is not indexed empty: it is forgotten and the next sync reads it as new."""
    import reader.posts.post as post_module

    root, index_dir = tmp_path / "posts", tmp_path / "index"
    root.mkdir()
    for n in range(40):
        (root / f"p{n:02}.md").write_text(f"본문 {n}\n", encoding="utf-8")

    def sync() -> Library:  # as the CLI syncs: a scan, posts read from their files
        library = Library(root, KST, index_dir=index_dir)
        library.sync_index()
        return library

    sync()
    (root / "keep.md").write_text("알파카 이야기\n", encoding="utf-8")  # its own small segment
    an_hour_ago = time.time() - 3600
    os.utime(root / "keep.md", (an_hour_ago, an_hour_ago))  # not "just written": a sync trusts its state
    assert sync().search("알파카").total == 1
    real_read = post_module.read_file

    def failing(path, *args, **kwargs):
        if path.name == "keep.md":
            raise OSError(24, "Too many open files")
        return real_read(path, *args, **kwargs)

    monkeypatch.setattr(post_module, "read_file", failing)
    counts = []
    for n in range(12):  # until a merge: it takes the smallest segments, keep.md's among them
        (root / f"new{n}.md").write_text(f"새 글 {n}\n", encoding="utf-8")
        counts.append(_segments(sync()))
        if len(counts) > 1 and counts[-1] < counts[-2]:
            break
    else:
        raise AssertionError(f"no merge: segments {counts}")
    monkeypatch.setattr(post_module, "read_file", real_read)
    assert [h.path for h in sync().search("알파카").hits] == ["keep.md"]

"""Small segments are merged by reading their posts again, not by Whoosh's posting-at-a-time merge."""

from __future__ import annotations

from reader.library import Library
from reader.search import indexer
from reader.search.segments import storage
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

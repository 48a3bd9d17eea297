"""The persistent index: incremental sync, damage, locking, read-only caches."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import unicodedata

import filelock
import pytest

from reader.library import Library
from reader.posts.listing import LISTING_NAME
from reader.posts.listing import read as read_listing
from reader.search.manifest import Manifest
from reader.search.schema import SCHEMA_VERSION
from reader.search.store import Busy, IndexStore, IndexUnavailable
from tests.conftest import KST, ROOT

POST = "---\ntitle: {title}\n---\n{body}\n"


@pytest.fixture
def site(write_tree):
    return write_tree(
        {
            "a.md": POST.format(title="사과", body="사과는 빨갛다"),
            "b.md": POST.format(title="바나나", body="바나나는 노랗다"),
            "c.md": POST.format(title="체리", body="체리는 작다"),
        }
    )


@pytest.fixture
def index_dir(tmp_path):
    return tmp_path / "cache" / "index"


def open_library(root, index_dir):
    return Library(root, KST, index_dir=index_dir)


def titles(library, query):
    return sorted(h.title for h in library.search(query, limit=50).hits)


def test_first_sync_builds_and_second_changes_nothing(site, index_dir):
    first = open_library(site, index_dir).sync_index()
    assert (first.added, first.rebuilt, first.posts) == (3, True, 3)
    second = open_library(site, index_dir).sync_index()
    assert (second.added, second.updated, second.removed, second.unchanged, second.rebuilt) == (0, 0, 0, 3, False)
    assert oct(index_dir.stat().st_mode & 0o777) == "0o700"


def test_add_edit_delete_rename(site, index_dir):
    open_library(site, index_dir).sync_index()
    (site / "d.md").write_text(POST.format(title="포도", body="포도는 보라색"), encoding="utf-8")
    (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록색도 있다"), encoding="utf-8")
    (site / "b.md").unlink()
    (site / "c.md").rename(site / "cherry.md")
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert (report.added, report.updated, report.removed, report.unchanged) == (2, 1, 2, 0)
    assert titles(library, "초록색") == ["사과"]
    assert titles(library, "바나나") == []
    assert [h.path for h in library.search("체리").hits] == ["cherry.md"]
    assert titles(library, "포도") == ["포도"]


def test_an_edit_that_keeps_size_and_mtime_is_caught(site, index_dir):
    open_library(site, index_dir).sync_index()
    path = site / "a.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("빨갛다", "파랗다")
    assert len(text.encode()) == before.st_size
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    library = open_library(site, index_dir)
    assert library.sync_index().updated == 1
    assert titles(library, "파랗다") == ["사과"]


def test_touch_without_change_is_not_an_update(site, index_dir):
    open_library(site, index_dir).sync_index()
    os.utime(site / "a.md")
    assert open_library(site, index_dir).sync_index().updated == 0


def test_schema_change_rebuilds_into_a_new_generation(site, index_dir):
    open_library(site, index_dir).sync_index()
    old = (index_dir / "CURRENT").read_text()
    manifest = index_dir / old / "state.json"
    head, rows = manifest.read_text().split("\n", 1)
    data = json.loads(head)
    data["schema"] = SCHEMA_VERSION - 1
    manifest.write_text(json.dumps(data) + "\n" + rows)
    report = open_library(site, index_dir).sync_index()
    assert report.rebuilt and any("schema" in m for m in report.messages)
    new = (index_dir / "CURRENT").read_text()
    assert new != old and not (index_dir / old).exists()


def _generation(index_dir):
    return index_dir / (index_dir / "CURRENT").read_text()


@pytest.mark.parametrize("damage", ["truncate", "delete", "zero", "garbage"])
def test_damaged_index_files_are_rebuilt(site, index_dir, damage):
    open_library(site, index_dir).sync_index()
    gen = _generation(index_dir)
    # The manifest's JSON and the listing (reader.posts.listing) are ours, not Whoosh's.
    ours = (".json", LISTING_NAME)
    targets = [p for p in gen.iterdir() if not p.name.endswith(ours) and "LOCK" not in p.name]
    assert targets
    for target in targets:
        shutil.rmtree(index_dir / "CURRENT", ignore_errors=True)
        open_library(site, index_dir).sync_index(rebuild=True)
        gen = _generation(index_dir)
        target = (
            gen / target.name
            if (gen / target.name).exists()
            else next(p for p in gen.iterdir() if p.suffix == target.suffix)
        )
        size = target.stat().st_size
        if damage == "truncate":
            target.write_bytes(target.read_bytes()[: size // 2])
        elif damage == "delete":
            target.unlink()
        elif damage == "zero":
            target.write_bytes(b"\0" * size)
        else:
            target.write_bytes(os.urandom(size + 7))
        library = open_library(site, index_dir)
        report = library.sync_index()
        result = library.search("사과")
        # A file that changed size is caught by the sync; one zeroed in place
        # when Whoosh opens it at the first search. Either way: rebuilt, said.
        messages = report.messages + result.messages
        assert any("damaged" in m for m in messages), (damage, target.name, messages)
        assert [h.title for h in result.hits] == ["사과"]


def test_missing_or_garbage_current_and_manifest(site, index_dir):
    open_library(site, index_dir).sync_index()
    (index_dir / "CURRENT").write_text("../../etc")
    assert open_library(site, index_dir).sync_index().rebuilt
    (_generation(index_dir) / "state.json").write_text("{not json")
    library = open_library(site, index_dir)
    assert library.sync_index().rebuilt
    assert titles(library, "체리") == ["체리"]


def test_a_second_writer_searches_the_last_commit_and_says_busy(site, index_dir):
    open_library(site, index_dir).sync_index()
    (site / "d.md").write_text(POST.format(title="포도", body="포도"), encoding="utf-8")
    with filelock.FileLock(str(index_dir / "write.lock")):
        library = open_library(site, index_dir)
        report = library.sync_index()
        assert report.busy and any("busy" in m for m in report.messages)
        assert titles(library, "사과") == ["사과"]
        assert titles(library, "포도") == []  # not indexed yet: the other writer has the lock
    library = open_library(site, index_dir)
    library.sync_index()
    assert titles(library, "포도") == ["포도"]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_cache_keeps_search_working(site, index_dir):
    open_library(site, index_dir).sync_index()
    (site / "d.md").write_text(POST.format(title="포도", body="포도"), encoding="utf-8")
    index_dir.chmod(0o500)
    try:
        library = open_library(site, index_dir)
        report = library.sync_index()
        assert any("cannot update" in m for m in report.messages)
        assert titles(library, "사과") == ["사과"]
    finally:
        index_dir.chmod(0o700)


def test_unwritable_cache_uses_a_memory_index(site, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    library = open_library(site, blocker / "index")
    report = library.sync_index()
    assert any("in-memory" in m for m in report.messages)
    assert titles(library, "사과") == ["사과"]


def test_index_inside_the_posts_folder_is_refused(site):
    with pytest.raises(IndexUnavailable, match="inside the posts folder"):
        open_library(site, site / ".index").sync_index()


def test_permission_denied_cache_keeps_search_working(site, index_dir, monkeypatch):
    open_library(site, index_dir).sync_index()
    (site / "d.md").write_text(POST.format(title="포도", body="포도"), encoding="utf-8")

    def refuse(self, timeout=0.0):
        raise PermissionError(13, "Permission denied", str(self.dir / "write.lock"))

    monkeypatch.setattr("reader.search.store.IndexStore.write_lock", refuse)  # as opening the lock file would
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert any("cannot update" in m and "Permission denied" in m for m in report.messages)
    assert titles(library, "사과") == ["사과"]
    assert titles(library, "포도") == []


def test_flipped_bytes_are_caught_by_a_verifying_sync(site, index_dir):
    open_library(site, index_dir).sync_index()

    def index_files():
        return sorted(
            p
            for p in _generation(index_dir).iterdir()
            if not p.name.endswith((".json", LISTING_NAME)) and "LOCK" not in p.name
        )

    for i in range(len(index_files())):
        target = index_files()[i]  # each rebuild writes new files: pick the i-th of the live ones
        data = bytearray(target.read_bytes())
        data[len(data) // 2] ^= 0xFF  # same size: Whoosh would not notice
        stat = target.stat()
        target.write_bytes(bytes(data))
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # bit rot: no write to be seen
        library = open_library(site, index_dir)
        report = library.sync_index(verify=True)
        assert report.rebuilt and any("does not hold what was written" in m for m in report.messages)
        assert titles(library, "사과") == ["사과"]


def test_a_search_on_silently_damaged_files_never_raises(site, index_dir):
    open_library(site, index_dir).sync_index()
    gen = _generation(index_dir)
    for target in gen.iterdir():
        if not target.name.endswith(".json") and "LOCK" not in target.name:
            data = bytearray(target.read_bytes())
            for i in range(16, len(data), 7):
                data[i] ^= 0x5A
            target.write_bytes(bytes(data))
    library = open_library(site, index_dir)
    report = library.sync_index()  # no verify: the hashes are not read, but the writes are seen
    result = library.search("사과")
    assert [h.title for h in result.hits] == ["사과"]
    assert report.rebuilt and any("written after the index was" in m for m in report.messages + result.messages)


def test_a_search_meeting_another_processs_commit_waits_for_it_instead_of_rebuilding(site, index_dir, monkeypatch):
    """The reader opens the manifest between the writer's Whoosh commit and its manifest save:
    the files do not match, and the writer holds the lock. That is busy, not damaged."""
    open_library(site, index_dir).sync_index()
    current = (index_dir / "CURRENT").read_text()
    (site / "d.md").write_text(POST.format(title="포도", body="포도는 보라색"), encoding="utf-8")
    reader = open_library(site, index_dir)  # another process: its own SearchIndex and file lock
    saw_busy = threading.Event()
    real_is_busy = IndexStore.is_busy

    def is_busy(self):
        busy = real_is_busy(self)
        if busy:
            saw_busy.set()
        return busy

    monkeypatch.setattr(IndexStore, "is_busy", is_busy)
    results: list = []
    threads: list[threading.Thread] = []
    real_save = Manifest.save

    def save_after_the_reader_looked(self, generation, index_written=True):
        if index_written and not saw_busy.is_set():  # the commit is on disk, the manifest not yet
            thread = threading.Thread(target=lambda: results.append(reader.search("포도")))
            thread.start()
            threads.append(thread)
            assert saw_busy.wait(30), "the reader never met the commit in progress"
        return real_save(self, generation, index_written)

    monkeypatch.setattr(Manifest, "save", save_after_the_reader_looked)
    writer = open_library(site, index_dir)
    writer.sync_index()
    threads[0].join(30)  # the reader's search ends
    result = results[0]
    assert [h.title for h in result.hits] == ["포도"]  # it waited for the commit and found the new post
    assert not any("damaged" in m for m in result.messages)
    assert (index_dir / "CURRENT").read_text() == current  # nothing was rebuilt


def test_a_hit_whose_file_is_gone_is_never_shown(site, index_dir):
    library = open_library(site, index_dir)
    library.sync_index()
    (site / "b.md").unlink()  # gone after indexing, before searching
    result = library.search("바나나")
    assert result.hits == [] and result.total == 0
    loaded = Library.open(site, KST, index_dir=index_dir)  # the app's way: posts from a snapshot
    (site / "c.md").unlink()
    assert loaded.search("체리", snapshot=loaded.snapshot).hits == []


def _age(site, seconds=3600):
    """Files written long before the index: outside the racy window, so the fast path applies."""
    then = time.time() - seconds
    for path in site.rglob("*.md"):
        os.utime(path, (then, then))


def test_a_no_change_sync_reads_only_the_manifest_head(site, index_dir):
    _age(site)
    open_library(site, index_dir).sync_index()
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert (report.unchanged, report.updated, report.added) == (3, 0, 0)
    assert library.index.manifest._rows is None  # the rows line was never decoded
    (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록색"), encoding="utf-8")
    assert open_library(site, index_dir).sync_index().updated == 1


def test_a_file_skipped_by_one_sync_is_indexed_by_the_next(site, index_dir, monkeypatch):
    _age(site)
    open_library(site, index_dir).sync_index()
    (site / "d.md").write_text(POST.format(title="포도", body="포도는 보라색"), encoding="utf-8")
    _age(site)
    real = Library._reader_for

    def skipping(self, by_path):  # as if d.md could not be had when the sync read it
        read = real(self, by_path)
        return lambda path: None if path == "d.md" else read(path)

    monkeypatch.setattr(Library, "_reader_for", skipping)
    assert open_library(site, index_dir).sync_index().added == 0
    monkeypatch.setattr(Library, "_reader_for", real)
    library = open_library(site, index_dir)
    assert library.sync_index().added == 1
    assert titles(library, "포도") == ["포도"]


def test_damaged_manifest_rows_are_seen_on_load(site, index_dir):
    open_library(site, index_dir).sync_index()
    state = _generation(index_dir) / "state.json"
    head, rows = state.read_text().split("\n", 1)
    state.write_text(head + "\n" + rows.replace("a.md", "x.md"))
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert report.rebuilt and any("damaged" in m for m in report.messages)
    assert titles(library, "사과") == ["사과"]


def test_a_manifest_of_the_previous_version_is_read_not_rebuilt(site, index_dir):
    open_library(site, index_dir).sync_index()
    state = _generation(index_dir) / "state.json"
    head, rows = state.read_text().split("\n", 1)
    data = json.loads(head)
    data["rows"] = json.loads(rows)
    del data["rows_hash"], data["scan_key"], data["warnings"]
    state.write_text(json.dumps(data))  # one line, as before the head/rows split
    report = open_library(site, index_dir).sync_index()
    assert (report.rebuilt, report.unchanged) == (False, 3)


DATED = "---\ntitle: {title}\ndate: 2024-05-01\n---\n{body}\n"


def test_metadata_is_rewritten_only_when_it_changed(site, index_dir):
    (site / "a.md").write_text(DATED.format(title="사과", body="사과는 빨갛다"), encoding="utf-8")
    open_library(site, index_dir).sync_index()
    meta = _generation(index_dir) / "meta.json"
    before = meta.stat().st_mtime_ns, meta.read_text()
    (site / "a.md").write_text(DATED.format(title="사과", body="사과는 초록색도 있다"), encoding="utf-8")
    library = open_library(site, index_dir)
    assert library.sync_index().updated == 1
    assert (meta.stat().st_mtime_ns, meta.read_text()) == before  # the body alone changed
    assert titles(library, "초록색") == ["사과"]
    (site / "a.md").write_text(DATED.format(title="풋사과", body="사과는 초록색도 있다"), encoding="utf-8")
    library = open_library(site, index_dir)
    assert library.sync_index().updated == 1
    assert "풋사과" in meta.read_text()
    assert titles(library, "초록색") == ["풋사과"]
    (site / "a.md").unlink()
    assert open_library(site, index_dir).sync_index().removed == 1
    assert "풋사과" not in meta.read_text()


def test_a_no_change_sync_needs_no_write_lock(site, index_dir):
    """Nothing changed: the sync (and the search after it) answers while another process holds
    the write lock, without saying busy; a change still waits for the lock."""
    _age(site)
    open_library(site, index_dir).sync_index()
    with filelock.FileLock(str(index_dir / "write.lock")):
        library = open_library(site, index_dir)
        report = library.sync_index()
        assert (report.busy, report.unchanged, report.messages) == (False, 3, [])
        assert titles(library, "사과") == ["사과"]
        (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록색"), encoding="utf-8")
        assert open_library(site, index_dir).sync_index().busy


def test_a_killed_builds_leftover_goes_at_a_no_change_sync(site, index_dir):
    _age(site)
    open_library(site, index_dir).sync_index()
    leftover = index_dir / "g-1234abcd-abcdef"
    leftover.mkdir()
    (leftover / "MAIN_x.seg").write_bytes(b"half a segment")
    report = open_library(site, index_dir).sync_index()
    assert (report.unchanged, report.rebuilt) == (3, False)
    assert not leftover.exists()


def test_metadata_looked_up_one_post_at_a_time_is_the_decoded_metadata(write_tree, index_dir):
    """A title may hold what looks like another post's key in meta.json: each lookup finds
    the post's own, before and after the file is decoded whole."""
    tricky = 'b.md":{"title":"가짜"}, "c.md'
    root = write_tree(
        {
            "a.md": POST.format(title=json.dumps(tricky, ensure_ascii=False), body="사과"),
            "b.md": POST.format(title="바나나", body="바나나"),
            "c.md": POST.format(title="체리", body="체리"),
            "한글 이름.md": POST.format(title="한글", body="한글"),
        }
    )
    open_library(root, index_dir).sync_index()
    whole = json.loads(next(index_dir.glob("g-*/meta.json")).read_text("utf-8"))
    assert whole["a.md"]["title"] == tricky
    manifest = open_library(root, index_dir).index
    assert manifest.load_manifest() and manifest.manifest is not None
    looked_up = [manifest.manifest.meta(path) for path in [*whole, "missing.md"] * 6]  # past the first few
    assert looked_up == [*whole.values(), None] * 6
    assert manifest.manifest.metas() == whole


def test_a_marker_another_process_is_writing_is_ours_not_a_foreign_file(tmp_path):
    """Two processes claiming a new index folder at once: one finds the other's marker still
    under write_atomic's temporary name (test_two_processes_building_a_new_index_at_once
    failed so, ~1 run in 40 with two copies running), and must not call the folder foreign."""
    index_dir = tmp_path / "index"
    index_dir.mkdir()
    (index_dir / f"reader-index.{os.urandom(16).hex()}.tmp").write_text("", encoding="utf-8")
    IndexStore(index_dir, tmp_path).claim()
    assert (index_dir / "reader-index").is_file()
    (index_dir / "notes.txt").write_text("mine", encoding="utf-8")
    other = tmp_path / "other"
    other.mkdir()
    (other / "reader-index.notes.tmp").write_text("", encoding="utf-8")
    with pytest.raises(IndexUnavailable):
        IndexStore(other, tmp_path).claim()


def test_aged_files_edited_in_place_or_renamed_are_seen_by_their_state_key(site, index_dir):
    """Files written long before the index (the no-change key decides): an edit that keeps the
    size and the mtime (a new ctime), and a rename that keeps the bytes, are both seen."""
    _age(site)
    open_library(site, index_dir).sync_index()
    path = site / "a.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8").replace("빨갛다", "파랗다")
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    library = open_library(site, index_dir)
    assert library.sync_index().updated == 1
    assert titles(library, "파랗다") == ["사과"]
    (site / "c.md").rename(site / "cherry.md")
    _age(site)
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert (report.added, report.removed, report.updated) == (1, 1, 0)
    assert [h.path for h in library.search("체리").hits] == ["cherry.md"]


def _saved(index_dir):
    """What the live generation holds: its rows, its metadata and its listing (without the save key)."""
    generation = _generation(index_dir)
    manifest = Manifest.load(generation)
    listed = read_listing(generation, manifest.written_ns)
    assert listed is not None
    columns = {name: getattr(listed, name) for name in listed.__dataclass_fields__ if name != "key"}
    return manifest.rows, json.loads((generation / "meta.json").read_text("utf-8")), columns


def test_a_sync_of_a_few_posts_saves_the_manifest_a_rebuild_would(site, index_dir, tmp_path):
    """A sync of a few changes splices their rows and metadata into the manifest's JSON instead
    of encoding every post again: what it saves is what a whole save of the same files holds."""
    tricky = 'b.md":{"title":"가짜"},"c.md'
    (site / "q.md").write_text(POST.format(title=json.dumps(tricky, ensure_ascii=False), body="따옴표"), "utf-8")
    (site / "sub").mkdir()
    (site / "sub" / "한글 이름.md").write_text(DATED.format(title="한글", body="한글"), "utf-8")
    _age(site)
    open_library(site, index_dir).sync_index()
    (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록색도 있다"), encoding="utf-8")  # body
    (site / "b.md").write_text(DATED.format(title="큰 바나나", body="바나나는 노랗다"), encoding="utf-8")  # meta
    (site / "c.md").unlink()
    (site / "sub" / "한글 이름.md").rename(site / "sub" / "새 이름.md")
    (site / "d.md").write_text(POST.format(title="포도", body="포도는 보라색"), encoding="utf-8")
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert (report.added, report.updated, report.removed) == (2, 2, 2)
    manifest = library.index.manifest
    assert manifest is not None and manifest._meta is None  # spliced: never decoded whole
    spliced = _saved(index_dir)
    other = tmp_path / "other-index"
    assert open_library(site, other).sync_index(rebuild=True).added == 5
    whole = _saved(other)
    assert spliced == whole
    assert spliced[1]["b.md"]["title"] == "큰 바나나" and spliced[1]["q.md"]["title"] == tricky
    assert set(spliced[1]) == {"a.md", "b.md", "d.md", "q.md", "sub/새 이름.md"}
    assert titles(open_library(site, index_dir), "포도") == ["포도"]


def test_an_nfd_named_post_keeps_its_key_until_it_is_edited(site, index_dir):
    """A file named in NFD (as macOS writes Hangul) is keyed by its NFC post path: a no-change
    sync finds nothing to do, and an edit to it that keeps its size and mtime is seen."""
    nfd = unicodedata.normalize("NFD", "한글 글.md")
    (site / nfd).write_text(POST.format(title="한글", body="자모로 쓴 이름"), encoding="utf-8")
    _age(site)
    open_library(site, index_dir).sync_index()
    library = open_library(site, index_dir)
    report = library.sync_index()
    assert (report.unchanged, report.updated, report.added) == (4, 0, 0)
    assert library.index.manifest is not None and library.index.manifest._rows is None  # by the key alone
    path = site / nfd
    before = path.stat()
    path.write_text(POST.format(title="한글", body="자모로 쓴 제목"), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    hashed = Manifest.load(_generation(index_dir)).rows["한글 글.md"].hash
    assert open_library(site, index_dir).sync_index().updated == 1
    assert Manifest.load(_generation(index_dir)).rows["한글 글.md"].hash != hashed


def test_metadata_decoded_by_a_search_in_the_middle_of_a_sync_keeps_the_syncs_changes(site, index_dir, monkeypatch):
    """The app may decode the manifest's metadata (a search) while a sync puts posts: changes
    put before and after the decode are both saved."""
    _age(site)
    open_library(site, index_dir).sync_index()
    (site / "a.md").write_text(POST.format(title="풋사과", body="사과"), encoding="utf-8")
    (site / "b.md").write_text(POST.format(title="큰 바나나", body="바나나"), encoding="utf-8")
    real_put, puts = Manifest.put, []

    def put_then_search(self, post):
        real_put(self, post)
        puts.append(post.path)
        if len(puts) == 1:
            assert self._meta is None  # one change pending on the text, decoded now
            assert self.metas()[post.path]["title"] == "풋사과"

    monkeypatch.setattr(Manifest, "put", put_then_search)
    assert open_library(site, index_dir).sync_index().updated == 2
    saved = json.loads((_generation(index_dir) / "meta.json").read_text("utf-8"))
    assert puts == ["a.md", "b.md"]
    assert (saved["a.md"]["title"], saved["b.md"]["title"], saved["c.md"]["title"]) == ("풋사과", "큰 바나나", "체리")


def test_an_update_from_a_library_loads_nothing_whoosh_imports_but_never_uses_here(site, index_dir):
    """A library's sync that writes the index (not only `reader`'s CLI) imports Whoosh without
    its download helper, English morphology or asyncio, and takes its lock without filelock."""
    unused = ("urllib.request", "whoosh.lang.morph_en", "asyncio", "filelock")
    code = (
        "import sys\nfrom pathlib import Path\nfrom reader.library import Library\n"
        f"posts, index = Path({str(site)!r}), Path({str(index_dir)!r})\n"
        "assert Library(posts, index_dir=index).sync_index().rebuilt\n"
        "(posts / 'd.md').write_text('---\\ntitle: 포도\\n---\\n포도는 보라색\\n', encoding='utf-8')\n"
        "(posts / 'a.md').unlink()\n"
        "library = Library(posts, index_dir=index)\n"
        "report = library.sync_index()\n"
        "assert (report.added, report.removed, report.rebuilt) == (1, 1, False), report\n"
        "assert [h.title for h in library.search('보라색').hits] == ['포도']\n"
        f"print(' '.join(m for m in {unused!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_our_write_lock_and_filelocks_exclude_each_other(index_dir):
    """The write lock is taken without filelock, on the same flock: another process's (or a
    test's) FileLock on write.lock waits for ours, and ours for it."""
    store = IndexStore(index_dir, index_dir.parent / "posts")
    store.claim()
    other = filelock.FileLock(str(index_dir / "write.lock"), timeout=0)
    with store.write_lock():
        assert store.is_busy()
        with pytest.raises(filelock.Timeout):
            other.acquire()
    with other:
        assert store.is_busy()
        with pytest.raises(Busy), store.write_lock(timeout=0.1):
            pass
    assert not store.is_busy()
    with store.write_lock():  # taken again once released
        assert (index_dir / "write.lock").exists()


def test_a_library_kept_open_follows_another_processs_commits(site, index_dir):
    """The app (or `reader serve`) keeps its index open while `reader index` in another shell
    updates it in place: the kept one reads that commit, not its own memory of the one before
    (it took the other's files for damage and rebuilt)."""
    kept, other = open_library(site, index_dir), open_library(site, index_dir)
    kept.sync_index()
    assert titles(kept, "사과") == ["사과"]
    (site / "d.md").write_text(POST.format(title="두리안", body="두리안은 냄새가 난다"), "utf-8")
    assert other.sync_index().added == 1
    (site / "d.md").unlink()
    (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록이기도 하다"), "utf-8")
    report = kept.sync_index()
    assert (report.removed, report.updated, report.rebuilt, report.messages) == (1, 1, False, [])
    assert titles(kept, "두리안") == [] and titles(kept, "초록") == ["사과"]
    assert titles(other, "초록") == ["사과"]  # and the other follows this one's


@pytest.mark.parametrize("few", [64, 0])
def test_a_small_update_runs_with_the_collector_held_and_gives_it_back(site, index_dir, monkeypatch, few):
    """A sync of a few changed posts holds the cyclic collector off while it writes (its objects
    are not garbage in cycles); a bigger change, and every sync once it ends, has it as it was."""
    import gc

    from reader.search import index as index_module
    from reader.search import indexer

    _age(site)
    open_library(site, index_dir).sync_index()
    monkeypatch.setattr(index_module, "FEW_CHANGES", few)
    seen, real_update = [], indexer.update

    def update(*args, **kwargs):
        seen.append(gc.isenabled())
        return real_update(*args, **kwargs)

    monkeypatch.setattr(indexer, "update", update)
    (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록색"), encoding="utf-8")
    assert gc.isenabled()
    assert open_library(site, index_dir).sync_index().updated == 1
    assert seen == [few == 0]  # held (disabled) for a change of one post, unless no change counts as few
    assert gc.isenabled()
    (site / "b.md").write_text(POST.format(title="바나나", body="바나나"), encoding="utf-8")
    monkeypatch.setattr(indexer, "update", lambda *args, **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        open_library(site, index_dir).sync_index()
    assert gc.isenabled()  # given back when the update fails too


def test_the_scans_columns_and_file_pairs_compare_alike():
    """`compare` reads the library's scan as its columns (no pair or FileState a file) and finds
    what it finds in (path, FileState) pairs: new, changed, racy and removed files."""
    from reader.library import _ScannedFiles
    from reader.posts.discovery import FileRows
    from reader.posts.post import FileState
    from reader.search.indexer import compare
    from reader.search.manifest import Row
    from reader.search.report import RACY_NS

    written = 10 * RACY_NS
    manifest = Manifest(schema=SCHEMA_VERSION, root="/", written_ns=written)
    for n, path in enumerate(["a.md", "b.md", "c.md", "gone.md"]):
        manifest.rows[path] = Row(10, 100 + n, 100 + n, n, "h", False, [])
    scanned = FileRows(
        ["a.md", "b.md", "c.md", "new.md"],
        [(10, 100, 100, 0), (11, 101, 101, 1), (10, written - 1, written - 1, 2), (5, 1, 1, 9)],
    )
    pairs = [(path, FileState(*state)) for path, state in zip(scanned.paths, scanned.states, strict=True)]
    by_columns, by_pairs = compare(manifest, _ScannedFiles(scanned)), compare(manifest, pairs)
    assert by_columns == by_pairs
    assert (by_columns.changed, by_columns.removed, by_columns.unchanged) == (
        ("b.md", "c.md", "new.md"),
        ("gone.md",),
        1,
    )


def test_a_site_time_zone_changed_in_its_config_rebuilds_the_index(write_tree, index_dir):
    """A post dated by its file name alone is dated in the site's time zone: after
    `_config.yml` names another, the index's dates (the list from the index, the hits) are
    the new zone's, as a fresh read's are; the index said the old ones until a rebuild."""
    site = write_tree(
        {
            "_config.yml": "timezone: Asia/Seoul\n",
            "_posts/2020-01-02-a.md": POST.format(title="사과", body="사과는 빨갛다"),
        }
    )
    first = Library(site, index_dir=index_dir)
    assert first.sync_index().rebuilt
    assert [h.date for h in first.search("사과").hits] == ["2020-01-02T00:00:00+09:00"]
    (site / "_config.yml").write_text("timezone: America/New_York\n", "utf-8")
    after = Library(site, index_dir=index_dir)
    report = after.sync_index()
    assert report.rebuilt and any("time zone" in m for m in report.messages)
    assert [h.date for h in after.search("사과").hits] == ["2020-01-02T00:00:00-05:00"]
    listed = after.read_cached()
    assert listed is not None and [p.date.isoformat() for p in listed.posts] == ["2020-01-02T00:00:00-05:00"]
    again = Library(site, index_dir=index_dir).sync_index()
    assert not again.rebuilt and again.unchanged == 1  # the same settings: nothing to do


def test_an_index_that_never_recorded_its_site_is_kept_and_records_it(site, index_dir):
    """An index from before the site was recorded is not rebuilt for it: its next save records it."""
    library = open_library(site, index_dir)
    library.sync_index()
    state = next(index_dir.glob("g-*/state.json"))
    head, _, rows = state.read_text("utf-8").partition("\n")
    data = json.loads(head)
    del data["site"]
    state.write_text(json.dumps(data) + "\n" + rows, "utf-8")
    (site / "a.md").write_text(POST.format(title="사과", body="사과는 초록"), "utf-8")
    report = open_library(site, index_dir).sync_index()
    assert (report.rebuilt, report.updated) == (False, 1)
    assert json.loads(next(index_dir.glob("g-*/state.json")).read_text("utf-8").partition("\n")[0])["site"]

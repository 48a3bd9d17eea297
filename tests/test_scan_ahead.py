"""A cold `reader search` scans the folder in a forked child while it searches (reader.procs
.fork_call, Library.scan_ahead): its hits stand only when that scan finds nothing changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import reader.library as library_module
from reader.library import Library
from reader.procs import fork_call
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2, reason="forks on Linux with 2+ cores"
)


def zombies() -> list[int]:
    """Children of this process that ended and were never waited for."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if state == "Z" and int(ppid) == os.getpid():
                found.append(int(entry))
    return found


def test_a_forked_call_gives_the_childs_value_and_leaves_no_child_behind():
    forked = fork_call(lambda: {"pid": os.getpid(), "words": ["사과", "배"]})
    assert forked is not None
    value = forked.result()
    assert value["words"] == ["사과", "배"] and value["pid"] != os.getpid()  # worked out in another process
    assert forked.result() is value and zombies() == []


def test_a_failing_child_gives_none_and_says_nothing(capfd):
    def fail() -> None:
        raise ValueError("no")

    forked = fork_call(fail)
    assert forked is not None and forked.result() is None
    assert capfd.readouterr() == ("", "")  # no traceback from the child
    assert zombies() == []


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert fork_call(lambda: 1) is None  # a fork would copy this thread alone
    finally:
        stop.set()
        other.join()


def write(path: Path, word: str) -> None:
    """A post about `word`, written an hour ago: outside the window in which a file written
    as the index was may change again unseen (such a file is always read again)."""
    path.write_text(f"---\ntitle: {path.stem}\n---\n{word}를 심었다.\n", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    for n, word in enumerate(["사과나무", "배나무", "감나무"]):
        write(root / f"post-{n}.md", word)
    return root


def test_with_nothing_changed_the_sync_takes_the_childs_scan_and_scans_nothing_itself(tmp_path, monkeypatch):
    root = site(tmp_path)
    os.mkfifo(root / "pipe.md")  # not a file: skipped, with a warning the child's scan must pass on
    Library(root, index_dir=tmp_path / "index").sync_index()
    library = Library(root, index_dir=tmp_path / "index")
    assert library.scan_ahead()

    def no_scan_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("the folder was scanned in this process")

    monkeypatch.setattr(library_module, "scan_states", no_scan_here)  # here, not in the child forked before
    report = library.sync_index()
    assert report.nothing_changed and (report.posts, report.unchanged) == (3, 3)
    assert any("pipe.md" in warning for warning in report.warnings)


def test_a_change_since_the_index_is_synced_here_and_a_failed_child_changes_nothing(tmp_path, monkeypatch):
    root = site(tmp_path)
    Library(root, index_dir=tmp_path / "index").sync_index()
    write(root / "post-1.md", "포도나무")
    library = Library(root, index_dir=tmp_path / "index")
    assert library.scan_ahead()
    report = library.sync_index()
    assert (report.updated, report.nothing_changed) == (1, False)
    assert [hit.path for hit in library.search("포도나무").hits] == ["post-1.md"]

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("the child's scan failed")

    with monkeypatch.context() as patch:
        patch.setattr(library_module, "scan_states", broken)  # in the child only: forked with it
        assert library.scan_ahead()
    report = library.sync_index()  # scanned here instead
    assert report.nothing_changed and report.unchanged == 3


def reader_search(root: Path, index: Path, *words: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(index)}
    command = [sys.executable, "-m", "reader", "search", *words, "--json", "--posts", str(root)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def hits(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The posts that hold the words (none when the search fell back to others: a word missing)."""
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    return [] if found["missing"] else [hit["path"] for hit in found["hits"]]


def test_the_command_finds_what_was_written_removed_or_added_since_the_last_search(tmp_path):
    """The real command (it forks its scan): each search after a change shows the change."""
    root, index = site(tmp_path), tmp_path / "index"
    assert hits(reader_search(root, index, "배나무")) == ["post-1.md"]  # builds the index
    assert hits(reader_search(root, index, "배나무")) == ["post-1.md"]  # nothing changed: the early hits
    write(root / "post-1.md", "포도나무")
    assert hits(reader_search(root, index, "배나무")) == []
    assert hits(reader_search(root, index, "포도나무")) == ["post-1.md"]
    (root / "post-1.md").unlink()
    write(root / "post-9.md", "포도나무")
    assert hits(reader_search(root, index, "포도나무")) == ["post-9.md"]
    invalid = reader_search(root, index, "ab\udcff*")
    assert invalid.returncode == 1 and "not valid UTF-8" in invalid.stderr and "Traceback" not in invalid.stderr

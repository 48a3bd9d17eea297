"""Faults while writing the index: a killed writer, a full disk. The files are the truth."""

from __future__ import annotations

import errno
import json
import os
import random
import select
import signal
import subprocess
import sys

import pytest

from reader.library import Library
from tests.conftest import KST


def _blog(write_tree, count: int):
    words = ["사과", "바나나", "체리", "포도", "머신러닝", "데이터", "python", "검색"]
    rng = random.Random(3)
    return write_tree(
        {
            f"post-{n:04d}.md": f"---\ntitle: 글 {n}\ndate: 2020-01-01\n---\n"
            + " ".join(rng.choice(words) + rng.choice(["", "을", "에서"]) for _ in range(400))
            + f"\n고유어{n}\n"
            for n in range(count)
        }
    )


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
@pytest.mark.parametrize("at", [1, 100, 250, 400])
def test_a_writer_killed_mid_build_leaves_a_usable_index(write_tree, tmp_path, at):
    """kill -9 of a rebuild when it has indexed `at` of 400 posts (400: all handed over, before the commit)."""
    root = _blog(write_tree, 400)
    index_dir = tmp_path / "index"
    Library(root, KST, index_dir=index_dir).sync_index()  # a good index exists
    (root / "post-0000.md").write_text("---\ntitle: 바뀐 글\n---\n새로운단어\n", encoding="utf-8")
    code = (
        "import sys, threading; from pathlib import Path; from reader.library import Library\n"
        "def progress(done, total):\n"
        "    if done == int(sys.argv[3]):\n"
        "        print('at', done, flush=True)\n"
        "        threading.Event().wait()  # the parent kills us here; never wakes\n"
        "Library(Path(sys.argv[1]), index_dir=Path(sys.argv[2])).sync_index(rebuild=True, progress=progress)\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(root), str(index_dir), str(at)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == f"at {at}"  # the event: the build is there
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL  # it really died, by our kill
    library = Library(root, KST, index_dir=index_dir)
    report = library.sync_index()
    assert report.posts == 400
    assert [h.path for h in library.search("새로운단어").hits] == ["post-0000.md"]
    assert [h.path for h in library.search("고유어123").hits] == ["post-0123.md"]
    generations = [p for p in index_dir.iterdir() if p.name.startswith("g-")]
    assert len(generations) == 1  # the killed build's leftover went at the next sync (it held the lock)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _wait_for_exit(pid: int) -> None:
    """Until the process `pid` (not our child) has exited: its pidfd turns readable then. The
    timeout only ends a run that hangs; the caller asserts what it finds."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # gone already
    try:
        select.select([fd], [], [], 60)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead, only not reaped
    except OSError:
        return False


def _cmdline(pid: int) -> str:
    with open(f"/proc/{pid}/cmdline", "rb") as handle:
        return handle.read().replace(b"\0", b" ").decode()


def _status_kb(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith(field + ":"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
def test_the_parallel_builds_workers_die_with_their_parent(write_tree, tmp_path):
    """The workers run niced, start without their parent's heap (the app's first build runs
    while it holds the posts it read, which a forked worker would hold again), die with it,
    and leave nothing to say on the terminal when it is killed."""
    root = _blog(write_tree, 300)
    code = (
        "import sys, threading; from pathlib import Path; import reader.search.indexer as indexer\n"
        "from reader.library import Library\n"
        "indexer.PARALLEL_BUILD_FROM = 10  # the two worker processes of a big build, on a small one\n"
        "heap = b'x' * (256 << 20)  # the parent's heap: 256 MB, every page resident\n"
        "def progress(done, total):\n"
        "    if done == 250:\n"
        "        print('at', done, flush=True)\n"
        "        threading.Event().wait()  # until the parent kills us\n"
        "Library(Path(sys.argv[1]), index_dir=Path(sys.argv[2])).sync_index(rebuild=True, progress=progress)\n"
    )
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(root), str(tmp_path / "index")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stdout.readline().strip() == "at 250"
    assert _status_kb(writer.pid, "VmRSS") > 256 << 10  # the heap is there to inherit
    children = _children(writer.pid)
    # Besides the two workers, multiprocessing's resource tracker (a spawn starts it).
    workers = [pid for pid in children if "resource_tracker" not in _cmdline(pid)]
    assert len(workers) == 2, [_cmdline(pid) for pid in children]  # the worker processes are running
    # Background work: they yield the cores to the process they build for (the app's keys).
    parent = os.getpriority(os.PRIO_PROCESS, writer.pid)
    assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in workers] == [min(parent + 10, 19)] * len(workers)
    # A fresh interpreter each: a forked one counts every inherited page in its RSS from the start.
    assert all(_status_kb(pid, "VmHWM") < 160 << 10 for pid in workers), [_status_kb(p, "VmHWM") for p in workers]
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL
    for pid in children:
        _wait_for_exit(pid)
    assert not [pid for pid in children if _alive(pid)], "a worker outlived its parent"
    assert writer.stderr is not None
    said = writer.stderr.read()  # to its end: every process that held it (the tracker too) is gone
    assert said == "", said  # no traceback, no "leaked semaphore objects to clean up"


def test_a_full_disk_during_an_update_keeps_the_last_index(write_tree, tmp_path, monkeypatch):
    root = _blog(write_tree, 20)
    index_dir = tmp_path / "index"
    Library(root, KST, index_dir=index_dir).sync_index()
    generation = index_dir / (index_dir / "CURRENT").read_text()
    before = sorted(p.name for p in generation.iterdir())
    (root / "post-0001.md").write_text("---\ntitle: 새 글\n---\n디스크가득\n", encoding="utf-8")

    import whoosh.filedb.structfile as structfile

    real_write = structfile.StructFile.write

    def full_disk(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(structfile.StructFile, "write", full_disk)
    library = Library(root, KST, index_dir=index_dir)
    report = library.sync_index()
    monkeypatch.setattr(structfile.StructFile, "write", real_write)
    assert any("No space left" in m for m in report.messages)
    assert sorted(p.name for p in generation.iterdir() if not p.name.endswith(".lock")) == [
        n for n in before if not n.endswith(".lock")
    ]  # nothing half-written left behind
    assert [h.path for h in library.search("고유어5").hits] == ["post-0005.md"]  # the last good index
    later = Library(root, KST, index_dir=index_dir)
    later.sync_index()  # space again: the update goes through
    assert [h.path for h in later.search("디스크가득").hits] == ["post-0001.md"]


def test_two_processes_building_a_new_index_at_once(write_tree, tmp_path):
    root = _blog(write_tree, 300)
    index_dir = tmp_path / "index"
    code = (
        "import sys, json; from pathlib import Path; from reader.library import Library;"
        "lib = Library(Path(sys.argv[1]), index_dir=Path(sys.argv[2])); r = lib.sync_index();"
        "print(json.dumps({'busy': r.busy, 'hits': [h.path for h in lib.search('고유어42').hits]}))"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(root), str(index_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    import json

    results = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert all(r["hits"] == ["post-0042.md"] for r in results), [err[-500:] for _, err in outputs]
    library = Library(root, KST, index_dir=index_dir)
    report = library.sync_index(verify=True)
    assert report.posts == 300 and not report.rebuilt  # the one that got the lock finished the index


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MB file system (tmpfs), where the machine lets us mount one (root, Linux)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a small file system here ({done.stderr.strip()}); the mocked full disk above stands in"
        )
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mounts a tmpfs")
def test_a_really_full_disk_during_a_parallel_rebuild(write_tree, small_disk, tmp_path):
    """A rebuild (both worker processes) that runs out of space: `reader index` says so in one
    line and exits 1, no traceback from any process, no half-written generation left, and
    the index that was there still answers."""
    root = _blog(write_tree, 300)
    index_dir = small_disk / "index"
    code = (
        "import sys; import reader.search.indexer as indexer; from reader.cli.run import main\n"
        "indexer.PARALLEL_BUILD_FROM = 10  # the parallel writer, on a blog that fits the disk once\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )

    def reader(*args):
        return subprocess.run(
            [sys.executable, "-c", code, "--posts", str(root), "--index-dir", str(index_dir), *args],
            capture_output=True,
            text=True,
            timeout=300,
        )

    first = reader("index")
    assert first.returncode == 0, first.stderr
    live = (index_dir / "CURRENT").read_text()
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * max(0, free - 64 * 1024))  # leave too little for a second generation
    second = reader("index", "--rebuild")
    assert second.returncode == 1
    assert "No space left" in second.stderr and "Traceback" not in second.stderr, second.stderr
    assert "posts indexed" not in second.stdout
    assert (index_dir / "CURRENT").read_text() == live
    assert [p.name for p in index_dir.iterdir() if p.name.startswith("g-")] == [live]
    filler.unlink()
    found = reader("search", "고유어42", "--json")
    assert found.returncode == 0, found.stderr
    assert [h["path"] for h in json.loads(found.stdout)["hits"]] == ["post-0042.md"]

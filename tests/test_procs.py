"""Helper processes (reader.procs) and the first read of a big blog shared with them."""

from __future__ import annotations

import multiprocessing

import pytest

from reader.library import Library
from reader.posts import loading as snapshots
from reader.procs import HelperFailed, run_in_helpers
from tests.app_fixtures import helper_chunks
from tests.conftest import KST


def double(n: int) -> int:
    return n * 2


def fail_on(n: int, bad: int) -> int:
    if n == bad:
        raise ValueError(f"no {n}")
    return n


def test_helpers_do_every_job_once():
    assert sorted(run_in_helpers(double, ((n,) for n in range(50)), 2, None)) == [n * 2 for n in range(50)]
    assert multiprocessing.active_children() == []  # none left behind


def test_a_helpers_failure_is_raised_with_its_error_and_ends_them_all():
    with pytest.raises(HelperFailed, match="ValueError: no 7"):
        list(run_in_helpers(fail_on, ((n, 7) for n in range(20)), 2, None))
    assert multiprocessing.active_children() == []


def test_helpers_stop_when_cancelled():
    seen: list[int] = []
    for value in run_in_helpers(double, ((n,) for n in range(1000)), 2, lambda: len(seen) >= 3):
        seen.append(value)
    assert 3 <= len(seen) < 1000
    assert multiprocessing.active_children() == []


def _blog(root, count: int) -> None:
    """Posts of every kind a read meets: front matter, none, broken YAML, a link, binary."""
    folder = root / "_posts"
    folder.mkdir(parents=True)
    for n in range(count):
        text = f"---\ntitle: 글 {n}\ntags: [t{n % 3}]\n---\n본문 {n} https://example.com/{n} 링크.\n"
        if n % 7 == 0:
            text = f"제목 없는 글 {n}\n"
        if n % 11 == 0:
            text = f"---\ntitle: [깨진: {n}\n---\n본문\n"
        (folder / f"2024-01-{1 + n % 28:02d}-post-{n:03d}.md").write_text(text, encoding="utf-8")
    (folder / "2024-02-01-binary.md").write_bytes(bytes(range(256)) * 4)


def _read(root, tmp_path, monkeypatch, processes: bool, bodies: bool):
    monkeypatch.setattr(snapshots, "PROCESSES_FROM", 10 if processes else 10**9)
    monkeypatch.setattr(snapshots, "READ_CHUNK", 7)
    monkeypatch.setattr(snapshots, "PARTIAL_AFTER", 20)
    library = Library(root, KST, index_dir=tmp_path / "index", hold_bodies=bodies)
    partial: list[set[str]] = []
    snapshot = library.read(partial=lambda s: partial.append(set(s.files)))
    return snapshot, partial


@pytest.mark.parametrize("bodies", [True, False])
def test_a_big_first_read_in_helpers_gives_the_threads_snapshot(tmp_path, monkeypatch, bodies):
    """Many posts: read in helper processes, the same posts (bodies held or stubs, their links'
    URLs, warnings, states) and one early part of at least PARTIAL_AFTER posts."""
    _blog(tmp_path / "site", 60)
    if not bodies:
        monkeypatch.setattr("reader.library.BODIES_HELD_UP_TO", 1)  # stubs, as a big blog's are
    threads, _ = _read(tmp_path / "site", tmp_path, monkeypatch, processes=False, bodies=bodies)
    chunks = helper_chunks(monkeypatch)
    helpers, partial = _read(tmp_path / "site", tmp_path, monkeypatch, processes=True, bodies=bodies)
    assert sum(chunks) == 61 and max(chunks) == 7  # every post read in a helper, 7 at a time
    assert dict(helpers.files) == dict(threads.files)
    assert list(helpers.files) == list(threads.files) and len(helpers.files) == 61  # the binary one too (warned)
    assert helpers.warnings == threads.warnings and helpers.warned == threads.warned > 0
    assert helpers.urls == threads.urls and all(p.stub is not bodies for p in helpers.files.values() if not p.binary)
    # Shown early, once: the first posts in the order they are read (the newest by name first),
    # whole chunks in order, however the helpers finish them.
    read_order = list(reversed(helpers.files))
    assert len(partial) == 1 and partial[0] == set(read_order[: len(partial[0])]) and len(partial[0]) >= 20
    assert multiprocessing.active_children() == []


def test_a_read_whose_helpers_fail_reads_the_rest_on_threads(tmp_path, monkeypatch):
    """A helper that cannot start or dies: the posts it did not give are read here; none lost."""
    _blog(tmp_path / "site", 60)
    real = snapshots.run_in_helpers

    def failing(work, jobs, count, cancelled):
        for n, value in enumerate(real(work, jobs, count, cancelled)):
            if n == 2:
                raise HelperFailed("a helper process ended")
            yield value

    monkeypatch.setattr(snapshots, "run_in_helpers", failing)
    threads, _ = _read(tmp_path / "site", tmp_path, monkeypatch, processes=False, bodies=True)
    helpers, partial = _read(tmp_path / "site", tmp_path, monkeypatch, processes=True, bodies=True)
    assert dict(helpers.files) == dict(threads.files) and len(partial) == 1


def test_a_cancelled_read_in_helpers_stops_and_leaves_no_process(tmp_path, monkeypatch):
    _blog(tmp_path / "site", 60)
    monkeypatch.setattr(snapshots, "PROCESSES_FROM", 10)
    monkeypatch.setattr(snapshots, "READ_CHUNK", 5)
    library = Library(tmp_path / "site", KST, index_dir=tmp_path / "index")
    counts: list[int] = []
    with pytest.raises(snapshots.Cancelled):
        library.read(cancelled=lambda: bool(counts) and counts[-1] >= 10, progress=lambda done, _: counts.append(done))
    assert counts and counts[-1] < 61
    assert multiprocessing.active_children() == []

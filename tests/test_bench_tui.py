"""The app's benchmark stage (bench.tui) never waits forever: a state that does not come, or an app
that failed, ends the wait with a report of the state awaited, the app's and every thread's stack."""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
import time

import pytest

from bench import stall, tui
from reader.library import Library
from reader.ui.app import build_app
from reader.ui.main_screen import MainScreen
from reader.ui.post_list import PostList
from tests.sites import write_blog
from tests.waiting import ready, until

FILES = {
    "a.md": "---\ntitle: 첫째 글\ndate: 2020-01-01\n---\n본문입니다.\n",
    "b.md": "---\ntitle: 둘째 글\ndate: 2021-01-01\n---\n본문입니다.\n",
    "c.md": "---\ntitle: 셋째 글\ndate: 2022-01-01\n---\n" + "긴 본문. " * 50 + "\n",
}
STACKS = "(most recent call first)"  # faulthandler's header of each thread's stack


def child_env(**extra: str) -> dict[str, str]:
    """The child's environment: the tests' private user folders (conftest), and `extra`."""
    return {**os.environ, **extra}


def test_a_state_that_never_comes_is_named_at_its_deadline_with_the_apps_state(tmp_path, monkeypatch):
    """A post asked for that the app will never show: the child names the state it waited for,
    the app's (the post it has open, its workers, its status line) and every thread's stack."""
    root = write_blog(tmp_path / "site", FILES)
    monkeypatch.setattr(tui, "REPORTS", tmp_path / "reports")
    extra = json.dumps({"5kb": "no-such-post.md"})
    with pytest.raises(RuntimeError) as failed:
        tui._child([str(root), str(tmp_path / "index"), extra], child_env(BENCH_TUI_STATE_S="4"), 120)
    report = str(failed.value)
    waited = "stalled waiting for no-such-post.md parsed and a screen of it drawn"
    assert f"{waited}: not reached in 4 s with the status line unchanged" in report
    assert "open post, request: (None," in report and "workers: [" in report and "status: " in report
    assert STACKS in report
    saved = list((tmp_path / "reports").glob("tui-failed-*.log"))
    assert len(saved) == 1 and str(saved[0]) in report
    assert saved[0].read_text("utf-8").count(STACKS) >= 2  # the main thread and the workers'


def test_a_child_stuck_past_its_timeout_is_aborted_and_its_stacks_reported(tmp_path, monkeypatch):
    """A child that never ends by itself (its state deadline far away): at the parent's timeout it
    is sent SIGABRT and the error holds every thread's stack, not a bare timeout."""
    root = write_blog(tmp_path / "site", FILES)
    monkeypatch.setattr(tui, "REPORTS", tmp_path / "reports")
    extra = json.dumps({"5kb": "no-such-post.md"})
    with pytest.raises(RuntimeError) as failed:
        tui._child([str(root), str(tmp_path / "index"), extra], child_env(BENCH_TUI_STATE_S="600"), 5)
    report = str(failed.value)
    assert "bench.tui: stalled: no result in 5 s; sent SIGABRT" in report
    assert "Fatal Python error: Aborted" in report and STACKS in report


def test_an_index_that_cannot_be_used_ends_the_wait_at_once(tmp_path, monkeypatch):
    """The index states never come when no index can be used: the child says so at once instead
    of waiting for `index ready` until its deadline."""
    root = write_blog(tmp_path / "site", FILES)
    monkeypatch.setattr(tui, "REPORTS", tmp_path / "reports")
    not_a_folder = tmp_path / "index"
    not_a_folder.write_text("a file where the index folder should be\n")
    with pytest.raises(RuntimeError) as failed:
        tui._child([str(root), str(not_a_folder), "{}"], child_env(BENCH_TUI_STATE_S="600"), 120)
    report = str(failed.value)
    # Whichever state it was waiting for then (the first post may still be being parsed).
    assert re.search(r"stalled waiting for [^:]+: the app can use no index: .* it is not a folder", report)


@pytest.mark.timeout(120)
async def test_a_worker_that_failed_ends_the_wait_with_its_error(tmp_path, monkeypatch, capfd):
    """The index sync raises (as a module edited under a running process did: an ImportError):
    the wait for the index ends at once, the report holds the worker's traceback."""

    def failing(self, *args, **kwargs):
        raise ImportError("cannot import name 'storage' from 'reader.search.store'")

    monkeypatch.setattr(Library, "sync_index", failing)
    root = write_blog(tmp_path / "site", FILES)
    with pytest.raises(stall.Stalled, match="the app logged an error: indexing failed"):
        await asyncio.wait_for(tui.child(root, tmp_path / "index", {}), 60)
    report = capfd.readouterr().err
    assert re.search(r"bench.tui: stalled waiting for [^:]+: the app logged an error: indexing failed", report)
    assert "ImportError: cannot import name 'storage'" in report and "in failing" in report  # its traceback
    # The app's workers are listed (the failed index worker only while it is still winding up:
    # it logs its error before it ends, so the report may come after it is gone).
    assert "workers: [" in report
    assert STACKS in report


async def test_the_writes_end_once_the_title_written_back_is_on_its_row(tmp_path):
    """The app edits a row in place when only its title changed: the wait for the title written
    back must look for that title, not for the row's (which the edits changed)."""
    root = write_blog(tmp_path / "site", FILES)
    app = stall.measured(
        build_app(root, index_dir=tmp_path / "index", watch=True, settings_path=tmp_path / "config.toml")
    )
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: app.main._watching, "watching")
        post_list = app.main.query_one(PostList)
        assert (post_list.rows[0].path, post_list.rows[0].title) == ("c.md", "셋째 글")
        times = await tui.writes_to_rows(root, post_list)
        assert len(times) == tui.WRITES
        assert (post_list.rows[0].path, post_list.rows[0].title) == ("c.md", "셋째 글")
    assert (root / "c.md").read_text("utf-8") == FILES["c.md"]


@pytest.mark.timeout(120)
async def test_a_long_index_build_whose_status_line_moves_is_not_a_stall(tmp_path, monkeypatch):
    """A build longer than the deadline says how far it got as it goes (the status line moves):
    the wait goes on until the index is ready."""
    root = write_blog(tmp_path / "site", FILES)
    Library(root, index_dir=tmp_path / "index").sync_index()  # the real sync after the slow part: quick
    real = Library.sync_index

    def slow(self, *args, progress=None, **kwargs):
        for step in range(1, 21):  # ~9 s in all, a step every 0.45 s: the deadline is 3 s
            if progress is not None:
                progress(50 * step, 1000)  # as a build of 1,000 posts tells every 50 (PROGRESS_EVERY)
            threading.Event().wait(0.45)
        return real(self, *args, progress=progress, **kwargs)

    monkeypatch.setattr(Library, "sync_index", slow)
    monkeypatch.setattr(stall, "STATE_S", 3.0)  # wide of a busy event loop's late wake-ups (~1 s)
    app = stall.measured(build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml"))
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: "/1000" in (stall.app_status() or ""), "the build under way")
        started = time.monotonic()
        await stall.until("the index in step with the files", lambda: app.main.index_ready, 0.01)
        assert time.monotonic() - started > 2 * stall.STATE_S  # it did take longer than the deadline


@pytest.mark.timeout(120)
async def test_an_app_ended_by_an_error_ends_the_wait_at_once(tmp_path, monkeypatch, capfd):
    """A handler raises (as one did in a file being edited while the benchmark ran): Textual ends
    the app; the wait for the next state ends at once and says so."""

    def broken(self, message):
        raise RuntimeError("a handler half edited")

    monkeypatch.setattr(MainScreen, "on_index_synced", broken)
    root = write_blog(tmp_path / "site", FILES)
    with pytest.raises(RuntimeError, match="a handler half edited"):  # run_test raises the app's error
        await asyncio.wait_for(tui.child(root, tmp_path / "index", {}), 60)
    report = capfd.readouterr().err
    assert re.search(r"bench.tui: stalled waiting for [^:]+: the app ended \(exit code 1: an error it did not", report)
    assert STACKS in report

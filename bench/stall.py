"""The states the app's benchmark child waits for (bench.tui), each with a deadline, and the
report of a wait that ended without its state.

Every state waited for has a deadline: STATE_S seconds without the app moving on (its status
line, where a long read or build says how far it got, unchanged). The wait ends sooner when the
app says the state will not come: it ended (an error no handler caught), a worker failed (the
error it logs), no index can be used. Either way the child prints which state it waited for,
why the wait ended, what the app was doing (its status line, its workers, the changes it had
not read yet) and every thread's stack, and fails. A child stuck so that it cannot even tell
(its event loop held) is sent SIGABRT by the parent at the child's own deadline: faulthandler
prints the stacks then. The whole report goes to a file beside the results, named in the error.
"""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

# Seconds with no sign of the app moving on (its status line unchanged) before the child calls a
# state it waits for stalled (10k posts: each state takes seconds; a long read or build says how
# far it got as it goes). BENCH_TUI_STATE_S changes it.
STATE_S = float(os.environ.get("BENCH_TUI_STATE_S", "300"))
EXIT_S = 60  # after a stall, the app's shutdown may hang on what stalled it: the process ends then
STALLED = "bench.tui: stalled"  # the report's first line starts so


class Stalled(Exception):
    """A state the child waited for did not come."""


class FailureLog(logging.Handler):
    """The errors the reader logs (a worker that failed, with its traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.setFormatter(logging.Formatter("%(message)s"))
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(self.format(record))


MEASURED: list[Any] = []  # the app the child measures, described in a stall's report
FAILURES = FailureLog()
STATUS: list[Any] = []  # its status line, once shown
EXIT_AFTER_STALL = False  # the child process (not a test calling in): ends EXIT_S s after a stall


def measured(app: Any) -> Any:
    """`app` is the one measured: a stall's report describes it, and an error it logs ends a wait."""
    MEASURED[:] = [app]
    STATUS.clear()
    FAILURES.records.clear()
    logger = logging.getLogger("reader")  # reader.log's: its file handler is added beside this one
    if FAILURES not in logger.handlers:
        logger.addHandler(FAILURES)
    return app


def app_failure() -> str | None:
    """Why the app will not reach any further state: it ended (an error no handler caught ends
    it), a worker failed (the error it logged), or no index can be used (the index states never
    come)."""
    for app in MEASURED:
        if app.return_code is not None:
            error = "an error it did not handle: its traceback follows" if app.return_code else "it quit"
            return f"the app ended (exit code {app.return_code}: {error})"
    if FAILURES.records:
        return f"the app logged an error: {FAILURES.records[0]}"
    for app in MEASURED:
        screen = next((s for s in app.screen_stack if hasattr(s, "index_problem")), None)
        if screen is not None and screen.index_problem is not None:
            return f"the app can use no index: {screen.index_problem}"
    return None


async def until(what: str, condition: Callable[[], Any], step: float = 0.005) -> None:
    """Wait for `condition`, looking every `step` s. Once STATE_S s pass with no sign of the app
    moving on (its status line unchanged), or as soon as the app fails, report the stall (`what`
    was awaited, and why the wait ended) and raise Stalled."""
    seen = app_status()
    deadline = time.monotonic() + STATE_S
    while not condition():
        failed = app_failure()
        now = app_status()
        if now != seen:
            seen, deadline = now, time.monotonic() + STATE_S
        if failed is not None or time.monotonic() > deadline:
            why = failed if failed is not None else f"not reached in {STATE_S:.0f} s with the status line unchanged"
            report_stall(what, why)
            raise Stalled(f"{what}: {why.splitlines()[0]}")
        await asyncio.sleep(step)


def app_status() -> str | None:
    """The measured app's status line (where a long read or build says how far it got)."""
    if not STATUS:
        screen = next((s for app in MEASURED for s in app.screen_stack if hasattr(s, "index_problem")), None)
        if screen is None:
            return None
        STATUS.append(screen.query_one("#status"))
    return str(STATUS[0].content)


def report_stall(what: str, why: str) -> None:
    """To stderr: the state awaited, why the wait ended, the app's state, every thread's stack.
    The shutdown that follows may hang on what stalled the app: the child process ends EXIT_S s
    later whatever happens."""
    out = sys.__stderr__
    assert out is not None
    lines = [f"{STALLED} waiting for {what}: {why}"]
    for app in MEASURED:
        lines += ["  " + line for line in app_state(app)]
    print("\n".join(lines), file=out, flush=True)
    faulthandler.dump_traceback(file=out, all_threads=True)
    if EXIT_AFTER_STALL:
        faulthandler.dump_traceback_later(EXIT_S, exit=True, file=out)


def app_state(app: Any) -> list[str]:
    """What the app was doing: its screen's state, its workers, the default executor's queue
    (the thread workers run there). Each line read on its own: one that fails says why."""
    from reader.ui.post_list import PostList
    from reader.ui.post_view import PostBody

    def screen() -> Any:
        return app.main

    def loop_executor() -> str:
        executor = getattr(asyncio.get_running_loop(), "_default_executor", None)
        if executor is None:
            return "none"
        return f"{len(executor._threads)} threads, {executor._work_queue.qsize()} jobs queued"

    def changes() -> str:
        worker = screen()._changes_worker
        pending = sorted(screen()._changed_paths)
        return f"worker {worker.state.name if worker else None}; not read yet: {pending[:5]}"

    asked: list[tuple[str, Callable[[], Any]]] = [
        ("screens", lambda: [type(s).__name__ for s in app.screen_stack]),
        ("status", lambda: str(screen().query_one("#status").content)),
        (
            "loaded, index ready, searchable, problem",
            lambda: (screen().loaded, screen().index_ready, screen().index_searchable, screen().index_problem),
        ),
        ("snapshot", lambda: f"{len(screen().snapshot)} posts, complete {screen().snapshot.complete}"),
        ("watching, reading all", lambda: (screen()._watching, screen().services.reading_all)),
        ("changes", changes),
        ("open post, request", lambda: (screen().open_path, screen()._request)),
        (
            "post body",
            lambda: (
                f"document {screen().query_one(PostBody).document is not None}, "
                f"{len(screen().query_one(PostBody).text.splitlines())} lines, size {screen().query_one(PostBody).size}"
            ),
        ),
        ("rows", lambda: [(r.path, r.title) for r in screen().query_one(PostList).rows[:3]]),
        ("workers", lambda: [f"{w.name} [{w.group}] {w.state.name}" for w in app.workers]),
        ("executor", loop_executor),
    ]
    lines = []
    for label, read in asked:
        try:
            lines.append(f"{label}: {read()}")
        except Exception as exc:  # a report reads what it can
            lines.append(f"{label}: ({type(exc).__name__}: {exc})")
    return lines

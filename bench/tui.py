"""The app measured in a child process: first screen, opening posts, memory, a file write reaching the list.

The parent calls `measure_tui`; the child is `python -m bench.tui POSTS INDEX_DIR EXTRA_JSON`,
which prints one JSON line. The child imports nothing of the reader before its clock starts.
A wait that ends without its state (bench.stall) makes the child print a report and fail; the
parent keeps the whole output in a file beside the results and names it in its error. A child
still running at the parent's deadline is sent SIGABRT: every thread's stack, then it dies.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import contextlib  # noqa: E402
import faulthandler  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from bench import stall  # noqa: E402
from bench.stall import STALLED, measured, until  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WRITES = 7  # title edits timed from the write to the row (run I had three: 153, 288, 248 ms)
REPORTS = ROOT / "bench-results"  # where a failed child's whole output is kept


def measure_tui(posts: Path, index_dir: Path, env: dict[str, str]) -> dict[str, Any]:
    """First screen, opening 5/50/500 KB posts, RSS, and a title edit's way to the list, in a child."""
    from bench.corpus import write_sized_post

    extra = {}
    for label, size in (("5kb", 5_000), ("50kb", 50_000), ("500kb", 500_000)):
        name = f"zz-bench-{label}.md"
        write_sized_post(posts / name, size, ROOT / "posts")
        extra[label] = name
    try:
        return _child([str(posts), str(index_dir), json.dumps(extra)], env, 3600)
    finally:
        for name in extra.values():
            (posts / name).unlink(missing_ok=True)


def measure_first_build(posts: Path, scratch: Path, queries: list[str], env: dict[str, str]) -> dict[str, Any]:
    """The app opened on a folder with no index yet, in a child: its first screen, searches
    typed while the index is built, how late the event loop runs meanwhile, memory, and when
    the index is ready."""
    index_dir = scratch / "first-build-index"
    return _child(["--first-build", str(posts), str(index_dir), json.dumps(queries)], env, 7200)


def _child(args: list[str], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """`python -m bench.tui ARGS…`: the JSON line it prints last. A child that fails, or does not
    end within `timeout` (sent SIGABRT: its threads' stacks), raises with its report."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler: every thread's stack, then it dies
        try:
            stdout, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            stdout, stderr = process.communicate()
        stderr = f"{STALLED}: no result in {timeout:.0f} s; sent SIGABRT (the stacks follow)\n{stderr}"
    if process.returncode != 0 or STALLED in stderr:
        raise RuntimeError(failure(args[:1], stderr))
    return json.loads(stdout.strip().splitlines()[-1])


def failure(what: list[str], stderr: str) -> str:
    """The error of a failed child: its report's head (the state it waited for and the app's),
    or its output's tail; the whole output in a file."""
    saved = REPORTS / f"tui-failed-{time.strftime('%Y%m%d-%H%M%S')}.log"
    try:
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(stderr, "utf-8")
        where = f"(all of it in {saved})"
    except OSError as exc:
        where = f"(not saved: {exc})"
    at = stderr.find(STALLED)
    shown = stderr[at : at + 4000] if at >= 0 else stderr[-3000:]
    return f"the app's benchmark ({' '.join(what)}) failed {where}:\n{shown}"


async def first_build(posts: Path, index_dir: Path, queries: list[str]) -> dict[str, Any]:
    from reader.ui.app import build_app
    from reader.ui.post_list import PostList
    from reader.ui.post_view import PostBody

    app = measured(
        build_app(posts, index_dir=index_dir, watch=False, settings_path=index_dir.parent / "bench-config.toml")
    )
    out: dict[str, Any] = {}
    lags: list[float] = []
    late: list[tuple[float, int]] = []  # (s after the start, ms late) of each wait over 100 ms
    running = True

    workers_kb: dict[int, int] = {}

    async def sample_lag(period: float = 0.02) -> None:
        """How late the event loop wakes a task that sleeps `period`: what a key press waits;
        and, every second, the peak RSS of each process the app started (the index workers)."""
        while running:
            started = time.perf_counter()
            await asyncio.sleep(period)
            lags.append((time.perf_counter() - started - period) * 1000)
            if lags[-1] > 100:  # a wait a reader would feel: when it came (since the app started)
                late.append((round(started - STARTED, 1), round(lags[-1])))
            if len(lags) % 50 == 0:
                for pid in child_pids():
                    with contextlib.suppress(OSError, StopIteration, ValueError):
                        # The last seen, not the largest: a child sampled between its fork
                        # and its exec shows this process's pages.
                        workers_kb[pid] = status_kb("VmHWM", pid)

    async with app.run_test(size=(160, 48)) as pilot:
        await until("the main screen", lambda: bool(app.screen_stack) and hasattr(app.screen, "services"))
        screen = app.main
        body, post_list = screen.query_one(PostBody), screen.query_one(PostList)
        await until("the first screen (rows and a post)", lambda: bool(post_list.rows) and bool(body.text.strip()))
        out["first_screen_s"] = time.perf_counter() - STARTED
        sampler = asyncio.create_task(sample_lag())
        await until("the posts read", lambda: screen.loaded or screen.index_ready, 0.02)
        out["posts_read_s"] = time.perf_counter() - STARTED
        searches = []
        for query in queries:
            if screen.index_ready:
                break
            box = screen.search_box
            if not box.active:
                await pilot.press("slash")
            box.value = ""
            started = time.perf_counter()
            await pilot.press(*query)
            await until(
                f"the result of a search for {query!r}",
                lambda q=query: screen.search_result is not None and screen.search_result.query == q,
                0.01,
            )
            first_rows_ms = (time.perf_counter() - started) * 1000  # a long scan's hits so far, maybe
            await until(
                f"the whole answer to {query!r}",
                lambda q=query: (
                    (found := screen.search_result) is not None and found.query == q and found.read_so_far is None
                ),
                0.01,
            )
            found = screen.search_result
            assert found is not None
            searches.append(
                {
                    "query": query,
                    "first_rows_ms": first_rows_ms,
                    "ms": (time.perf_counter() - started) * 1000,
                    "scanned": found.scanned,
                    "total": found.total,
                }
            )
            await pilot.press("escape")
        out["searches"] = searches
        out["rss_while_building_mb"] = status_kb("VmRSS") / 1024
        await until("the first index built", lambda: screen.index_ready, 0.1)
        running = False
        await sampler
        out["index_ready_s"] = time.perf_counter() - STARTED
        ordered = sorted(lags)
        out["loop_lag_ms"] = {
            "median": ordered[len(ordered) // 2] if ordered else 0.0,
            "p95": ordered[int(0.95 * (len(ordered) - 1))] if ordered else 0.0,
            "max": ordered[-1] if ordered else 0.0,
            "n": len(ordered),
            "over_100ms": late,
        }
        out["peak_rss_mb"] = status_kb("VmHWM") / 1024
        # Sampled once a second: a peak reached between samples is missed.
        out["child_peak_rss_mb"] = sorted((kb / 1024 for kb in workers_kb.values()), reverse=True)
    return out


def status_kb(field: str, pid: int | str = "self") -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def child_pids() -> list[int]:
    """This process's children (every thread's: a worker thread starts the index workers)."""
    pids = []
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError), open(f"/proc/self/task/{task}/children") as children:
            pids += [int(pid) for pid in children.read().split()]
    return pids


async def child(posts: Path, index_dir: Path, extra: dict[str, str]) -> dict[str, Any]:
    from reader.ui.app import build_app
    from reader.ui.post_list import PostList
    from reader.ui.post_view import PostBody

    app = measured(build_app(posts, index_dir=index_dir, watch=True, settings_path=index_dir / "bench-config.toml"))
    out: dict[str, Any] = {}
    async with app.run_test(size=(160, 48)):
        await until("the main screen", lambda: bool(app.screen_stack) and hasattr(app.screen, "services"))
        screen = app.main
        body, post_list = screen.query_one(PostBody), screen.query_one(PostList)
        await until("the first screen (rows and a post)", lambda: bool(post_list.rows) and bool(body.text.strip()))
        out["first_screen_s"] = time.perf_counter() - STARTED
        await until("the index in step with the files", lambda: screen.index_ready, 0.05)
        for label, path in extra.items():
            times = []
            for _ in range(5):
                app.library.forget_documents()  # cold: read from the snapshot, parsed, first screen drawn
                started = time.perf_counter()
                screen.show_post(path, False)
                await until(
                    f"{path} parsed and a screen of it drawn",
                    lambda: body.document is not None and body.text.count("\n") >= body.size.height,
                    0.001,
                )
                times.append((time.perf_counter() - started) * 1000)
            out["open_" + label + "_ms"] = sorted(times)[len(times) // 2]
        out["write_to_row_ms"] = await writes_to_rows(posts, post_list)
        out["rss_mb"] = status_kb("VmRSS") / 1024
        out["peak_rss_mb"] = status_kb("VmHWM") / 1024
    return out


async def writes_to_rows(posts: Path, post_list: Any) -> list[float]:
    """Change the title of the list's top post on disk; time until its row shows the new title.

    The app sees the write through watchfiles (its debounce included), reloads, and sets
    the list's rows; a row in `rows` is the row drawn on the next refresh.
    """
    # The path and title now: the app edits a row in place when only its title changed.
    rel, original_title = post_list.rows[0].path, post_list.rows[0].title
    path = posts / rel

    def titled(title: str) -> Callable[[], bool]:
        return lambda: any(r.path == rel and r.title == title for r in post_list.rows[:50])

    original = path.read_text("utf-8")
    times = []
    try:
        for n in range(WRITES):
            title = f"벤치마크 제목 {n} {time.time_ns()}"
            text = re.sub(r"(?m)^title: .*$", f'title: "{title}"', original, count=1)
            started = time.perf_counter()
            path.write_text(text, "utf-8")
            await until(f"write {n + 1} of {rel} (title {title!r}) on its row", titled(title))
            times.append((time.perf_counter() - started) * 1000)
    finally:
        path.write_text(original, "utf-8")
    await until(f"{rel} written back (title {original_title!r}) on its row", titled(original_title))
    return times


if __name__ == "__main__":
    faulthandler.enable(file=sys.__stderr__, all_threads=True)  # SIGABRT from the parent: every stack
    stall.EXIT_AFTER_STALL = True
    if sys.argv[1] == "--first-build":
        result = asyncio.run(first_build(Path(sys.argv[2]), Path(sys.argv[3]), json.loads(sys.argv[4])))
    else:
        result = asyncio.run(child(Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])))
    print(json.dumps(result))

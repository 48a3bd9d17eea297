"""Helper processes that end with the process that started them, and never print.

The index's workers (reader.search.workers) and the first read of a big blog
(reader.posts.loading) run in spawned processes: a fresh interpreter, not a
fork of the app's heap. Each asks the kernel to kill it when its parent goes
(Linux), ignores Ctrl-C (the parent's to handle: a pool's workers printed a
traceback each), and talks to its parent through plain pipes (multiprocessing's
queues need named semaphores, which a killed parent leaves to the resource
tracker, and it says so on the terminal). A short job started early (a cold
search's folder scan) runs in a fork instead: `fork_call`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

_PR_SET_PDEATHSIG = 1
_FAILED = "failed"


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when `parent` exits (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here: the posts package imports this module, and `reader search` needs no ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker (a spawn starts it, handing it our stderr's
    file descriptor) if it is not running. In the app, Textual's capture stands in for
    sys.stderr with no descriptor (fileno -1: the start fails) and the terminal is Textual's:
    the tracker gets /dev/null then. Nothing of ours registers with it (the pipes are plain),
    so it has nothing to say."""
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stderr(null):
        resource_tracker.ensure_running()


class Forked:
    """What a function run by `fork_call` in a forked child returned."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid, self._fd = pid, fd
        self._value: Any = None

    def result(self) -> Any:
        """The function's value, once the child has ended; None when it failed (the caller
        then does the work itself: nothing the child met is lost)."""
        if self._fd < 0:
            return self._value
        chunks = []
        try:
            while chunk := os.read(self._fd, 1 << 16):
                chunks.append(chunk)
        except OSError:
            chunks = []
        finally:
            os.close(self._fd)
            self._fd = -1
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
        try:
            self._value = pickle.loads(b"".join(chunks)) if chunks else None
        except Exception:  # cut short (a killed child): as if it had failed
            self._value = None
        return self._value


def fork_call(work: Callable[[], Any]) -> Forked | None:
    """`work()` in a forked child, on another core, while this process goes on; None where a
    fork is not worth it or not safe: not Linux (macOS forbids much after a fork), one core,
    or threads running (a fork copies one thread; a lock another held stays held).

    The child starts from this process's modules and state at no cost (a spawned helper would
    import them again), never prints, and ends with `os._exit`: no exit handlers, no flush of
    buffers it shares with us. Ctrl-C ends it at once. Its value comes back pickled; the pages
    this process writes meanwhile are copied by the kernel, so a fork suits short work started
    early, before the heap grows."""
    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2:
        return None
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return None
    ours, theirs = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(ours)
        os.close(theirs)
        return None
    if pid == 0:  # the child
        code = 1
        try:
            os.close(ours)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            data = memoryview(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(theirs, data) :]
            code = 0
        except BaseException:  # said by the parent doing the work itself
            pass
        finally:
            os._exit(code)
    os.close(theirs)
    return Forked(pid, ours)


class HelperFailed(RuntimeError):
    """A helper process failed or ended before its job was done."""


def run_in_helpers(
    work: Callable[..., Any], jobs: Iterable[tuple[Any, ...]], count: int, cancelled: Callable[[], bool] | None
) -> Iterator[Any]:
    """`work(*job)` for each job, in `count` spawned helpers (one job in hand each), the results
    as they come (not in order). `work` must be importable by name. The helpers end when the
    caller stops iterating, when `cancelled()` says so (this returns: the caller raises its own
    Cancelled), or when one fails (HelperFailed, with the helper's error)."""
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    start_resource_tracker()
    spawn = multiprocessing.get_context("spawn")
    pending = iter(jobs)
    helpers: list[tuple[Any, Connection]] = []
    in_hand: dict[Connection, int] = {}
    try:
        for _ in range(count):
            ours, theirs = spawn.Pipe()
            process = spawn.Process(target=_helper, args=(os.getpid(), theirs, work), daemon=True)
            process.start()
            theirs.close()
            helpers.append((process, ours))
            in_hand[ours] = 0
            job = next(pending, None)
            if job is not None:
                ours.send(job)
                in_hand[ours] += 1
        while any(in_hand.values()):
            if cancelled is not None and cancelled():
                return
            for conn in wait([c for c, n in in_hand.items() if n], timeout=0.1):
                assert isinstance(conn, Connection)
                try:
                    kind, value = conn.recv()
                except (EOFError, OSError) as exc:
                    raise HelperFailed(f"a helper process ended: {exc or type(exc).__name__}") from exc
                if kind == _FAILED:
                    raise HelperFailed(value)
                in_hand[conn] -= 1
                # The next job only now: a helper sending a big result while we send it a big
                # job would wait on us as we wait on it (each pipe's buffer full).
                job = next(pending, None)
                if job is not None:
                    conn.send(job)
                    in_hand[conn] += 1
                yield value
    finally:
        for process, conn in helpers:
            with contextlib.suppress(OSError):
                conn.send(None)
            conn.close()
            process.join(timeout=0.5)
            if process.is_alive():
                process.kill()
                process.join(timeout=1)


def _helper(parent: int, conn: Any, work: Callable[..., Any]) -> None:
    """A helper's life: jobs from its pipe until None; a failure is sent, never printed."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stderr = sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (for the life of the process)
    try:
        while (job := conn.recv()) is not None:
            conn.send(("ok", work(*job)))
    except EOFError:  # the parent closed its end
        return
    except BaseException as exc:
        with contextlib.suppress(OSError):
            conn.send((_FAILED, f"{type(exc).__name__}: {exc}"))

"""Whoosh's parallel writer, with sub-processes that die with their parent and never print.

`kill -9` of `reader index --rebuild` used to leave MpWriter's two workers
running for good, writing into an abandoned generation. On Linux each of
ours asks the kernel for SIGKILL when its parent goes (PR_SET_PDEATHSIG);
a worker's error goes to the log file, not as a traceback to the terminal.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from typing import Any

import whoosh.multiproc
from whoosh.multiproc import MpWriter, SubWriterTask

from reader.log import log_exception
from reader.search.segments import CompactFlush, FastSegmentWriter

_PR_SET_PDEATHSIG = 1
WORKER_NICENESS = 10


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this process when `parent` exits (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


class _Task(SubWriterTask):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._parent = os.getpid()

    def run(self) -> None:
        die_with_parent(self._parent)
        # SubWriterTask.run makes its writer from this module global; this is
        # the worker process, so the parent's Whoosh is untouched.
        whoosh.multiproc.SegmentWriter = FastSegmentWriter
        try:
            super().run()
        except BaseException as exc:
            log_exception("an index worker process failed", exc)
            os._exit(1)


class ParallelWriter(CompactFlush, MpWriter):
    """MpWriter whose workers are `_Task`s, and whose flushes read lengths once."""

    def _new_task(self) -> Any:
        task = _Task(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        # Background work: the app the index is built for (its key presses, the scan that
        # answers searches meanwhile) gets the cores first; alone, a build runs as fast.
        # Set here, not in the worker: it holds once `start` returns.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, task.pid, min(os.getpriority(os.PRIO_PROCESS, 0) + WORKER_NICENESS, 19))
        return task

"""Whoosh's parallel writer, with sub-processes that start clean, die with their parent and never print.

`kill -9` of `reader index --rebuild` used to leave MpWriter's two workers
running for good, writing into an abandoned generation. On Linux each of
ours asks the kernel for SIGKILL when its parent goes (PR_SET_PDEATHSIG);
a worker's error goes to the log file, not as a traceback to the terminal,
and to the parent, which raises it.

The workers are spawned (a fresh interpreter), not forked: a forked worker
starts as a copy of its parent's heap, and the app's first build runs while
that heap holds the posts it read (forked, at 100k posts the app's two
workers were 1.9 GB RSS each, the parent's pages counted). Their queues are plain pipes, one pair a worker, not
multiprocessing's queues: those need named semaphores to reach a spawned
process, which a parent killed mid-build leaves to multiprocessing's resource
tracker, and it says so on the terminal ("leaked semaphore objects").
A worker writes a segment every SEGMENT_POSTS posts, which bounds its memory.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from whoosh.multiproc import MpWriter, SubWriterTask

from reader.log import log_exception
from reader.procs import die_with_parent, start_resource_tracker
from reader.search.segments import CompactFlush, FastSegmentWriter

WORKER_NICENESS = 10
JOBS_AHEAD = 4  # jobs (100 posts each) handed to a worker before it finishes one: MpWriter's queue held procs × 4
# A worker holds its segment's postings in memory until it writes it: ~40 KB a post on the 100k
# benchmark blog (one segment a worker, 50k posts: 1.96 GB RSS each; 20k: 1.05 GB). Past this
# many posts it writes the segment and starts another, so a build holds one segment's worth a
# worker, not half the blog's. Each segment more is one more for a search to open (100k: ten).
SEGMENT_POSTS = 10_000
_SPAWN = multiprocessing.get_context("spawn")
_DONE, _RESULT, _FAILED = "done", "result", "failed"


class WorkerFailed(RuntimeError):
    """An index worker process ended without its part of the index (its error is in the log)."""


class _Ends:
    """A worker's ends of its two pipes, as `SubWriterTask.run` uses its job queue (`get`) and
    its result queue (`put`). Asking for a job tells the parent the last one is done."""

    def __init__(self, jobs: Connection, results: Connection) -> None:
        self.jobs, self.results = jobs, results
        self.taken = False

    def get(self) -> Any:
        if self.taken:
            self.results.send((_DONE, None))
        self.taken = True
        return self.jobs.recv()

    def put(self, result: Any, timeout: float | None = None) -> None:
        self.results.send((_RESULT, result))

    def fail(self, exc: BaseException) -> None:
        """Tell the parent why this worker ends (an OSError as it is: a full disk says so)."""
        with contextlib.suppress(Exception):
            self.results.send(
                (_FAILED, exc if isinstance(exc, OSError) else WorkerFailed(f"{type(exc).__name__}: {exc}"))
            )


@dataclass
class _Worker:
    jobs: Connection
    results: Connection
    pending: int = 0  # jobs handed over, not yet done
    ended: bool = False  # given its end of work (None)
    finished: bool = False  # sent its result


class _Pipes:
    """MpWriter's job and result queues, on the parent's side: each job goes to a worker with
    fewer than JOBS_AHEAD pending (waiting while none has), each end of work to each worker once."""

    def __init__(self) -> None:
        self.workers: list[_Worker] = []
        self.results: list[Any] = []

    def new_worker(self) -> _Ends:
        """Pipes for one more worker; its ends, to hand to its process (closed here once it starts)."""
        job_reader, job_writer = _SPAWN.Pipe(duplex=False)
        result_reader, result_writer = _SPAWN.Pipe(duplex=False)
        self.workers.append(_Worker(job_writer, result_reader))
        return _Ends(job_reader, result_writer)

    def put(self, job: Any) -> None:
        if job is None:  # MpWriter's end of work, one a worker
            worker = next(w for w in self.workers if not w.ended)
            worker.ended = True
            with contextlib.suppress(OSError):  # a worker gone already: its `get` says so
                worker.jobs.send(None)
            return
        self._receive(0)  # what the workers said so far: never a pipe full of it for them to wait on
        while True:
            free = [w for w in self.workers if w.pending < JOBS_AHEAD]
            if free:
                worker = min(free, key=lambda w: w.pending)
                worker.pending += 1
                worker.jobs.send(job)
                return
            self._receive(None)

    def get(self, timeout: float | None = None) -> Any:
        """A worker's result, as `queue.Queue.get` (queue.Empty after `timeout`)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.results:
            left = None if deadline is None else deadline - time.monotonic()
            if (left is not None and left <= 0) or not self._receive(left):
                raise queue.Empty
        return self.results.pop(0)

    def _receive(self, timeout: float | None) -> bool:
        """Read what the workers sent (within `timeout`); whether anyone could still send."""
        waiting = {w.results: w for w in self.workers if not w.finished}
        if not waiting:
            return False
        for ready in wait(list(waiting), timeout):
            worker = waiting[cast(Connection, ready)]
            try:
                kind, value = worker.results.recv()
            except EOFError:
                raise WorkerFailed("an index worker process ended before its part was written") from None
            if kind == _DONE:
                worker.pending -= 1
            elif kind == _RESULT:
                worker.finished = True
                self.results.append(value)
            else:
                raise value
        return True

    def close(self) -> None:
        for worker in self.workers:
            worker.jobs.close()
            worker.results.close()


class _Task(SubWriterTask):
    # SubWriterTask is a multiprocessing.Process, which starts the default way (fork on Linux).
    _start_method = _SPAWN.Process._start_method
    _Popen = staticmethod(_SPAWN.Process._Popen)

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self._parent = os.getpid()
        self.segment_posts = SEGMENT_POSTS  # the parent's (a spawned worker imports this module anew)

    def run(self) -> None:
        die_with_parent(self._parent)
        ends: _Ends = self.jobqueue
        try:
            index = self.storage.open_index(self.indexname)
            segments = []
            self.writer = None
            while (job := ends.get()) is not None:
                if self.writer is None:
                    self.writer = FastSegmentWriter(index, _lk=False, **self.kwargs)
                self._process_file(*job)  # into self.writer
                if self.writer.docnum >= self.segment_posts:
                    segments.append(self.writer._finalize_segment())
                    self.writer = None
            if self.writer is not None:
                segments.append(self.writer._finalize_segment())
            ends.put(segments)
        except BaseException as exc:
            log_exception("an index worker process failed", exc)
            ends.fail(exc)
            os._exit(1)


class ParallelWriter(CompactFlush, MpWriter):
    """MpWriter whose workers are spawned `_Task`s fed through pipes, and whose flushes read
    lengths once."""

    jobqueue: Any
    resultqueue: Any

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **{**kwargs, "multisegment": True})
        self.jobqueue.close()  # MpWriter's own (fork's): ours are `_Pipes`
        self.resultqueue.close()
        self.jobqueue = self.resultqueue = self.pipes = _Pipes()

    def _new_task(self) -> Any:
        start_resource_tracker()
        ends = self.pipes.new_worker()
        task = _Task(self.storage, self.indexname, ends, ends, self.subargs, self.multisegment)
        self.tasks.append(task)
        try:
            task.start()
        finally:
            ends.jobs.close()  # the worker's now: a worker that dies is then an end of file here
            ends.results.close()
        # Background work: the app the index is built for (its key presses, the scan that
        # answers searches meanwhile) gets the cores first; alone, a build runs as fast.
        # Set here, not in the worker: it holds once `start` returns.
        with contextlib.suppress(OSError, AttributeError):
            os.setpriority(os.PRIO_PROCESS, task.pid, min(os.getpriority(os.PRIO_PROCESS, 0) + WORKER_NICENESS, 19))
        return task

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        """MpWriter's commit with multisegment=True, each worker's segments (a list: see
        SEGMENT_POSTS) taken before it is joined, and none lost: a worker that ends without
        them raises (MpWriter waits a second for each, then commits without it)."""
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        final = self._merge_segments(mergetype, optimize, merge)
        written = [self.pipes.get() for _ in self.tasks]
        for task in self.tasks:
            task.join()
        final += [segment for segments in written for segment in segments]
        if self._added:
            final.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(final)
        self._finish()

    def _finish(self) -> None:
        super()._finish()
        self.pipes.close()

    def cancel(self) -> None:
        try:
            super().cancel()
        finally:
            self.pipes.close()

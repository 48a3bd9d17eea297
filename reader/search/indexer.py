"""Writing the index from posts: a full build into a new generation, or an update in place.

The indexer never reads a file or parses a post: it is handed the posts
(from the library snapshot, or loaded by the library for the files that
changed). A failed or cancelled write leaves the last commit as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.util import fib

from reader.posts.post import FileState, Post
from reader.posts.snapshot import Cancelled
from reader.search.manifest import Manifest, files_key
from reader.search.report import RACY_NS, SyncReport
from reader.search.schema import SCHEMA_VERSION, build_schema, document
from reader.search.segments import FastSegmentWriter, PrivateRamStorage
from reader.search.store import storage

Progress = Callable[[int, int], None]
PostFor = Callable[[str], "Post | None"]  # a path of the current files -> its post (read once)
# Posts. From here the build runs in two spawned workers: in the app, a build in its own process
# held the GIL for seconds (1,000 posts: searches typed meanwhile 6.4 s, key waits up to 334 ms;
# in workers 0.36-0.52 s and 124 ms), and it is no slower (1,000 posts: 12.2-13.6 s in process,
# 9.1-10.4 s in workers; 200: 2.6-2.7 s and 1.7-2.4 s). Below it the workers' start costs more.
PARALLEL_BUILD_FROM = 200


@dataclass(frozen=True)
class Change:
    """The files that differ from what the manifest says, found from file states alone."""

    changed: tuple[str, ...]  # new, or state not as indexed (the post's hash then decides)
    removed: tuple[str, ...]
    unchanged: int


def compare(manifest: Manifest, files: Sequence[tuple[str, FileState]]) -> Change:
    """Which files need looking at. ctime cannot be set back by a user, so an edit that
    restores the mtime (`touch -d`, `rsync -t`) still shows; then the content hash decides."""
    paths, states = _columns(files)
    racy_after = manifest.written_ns - RACY_NS
    rows = manifest.rows
    # A Row's first four fields are the state it was indexed from: compared as a tuple with the
    # scan's, without a FileState a file (~10 ms at 10k posts) or a pair made for it.
    changed = [
        path
        for path, state in zip(paths, states, strict=True)
        if (row := rows.get(path)) is None or row[:4] != state or state[1] >= racy_after
    ]
    gone = rows.keys() - set(paths)
    removed = tuple(filter(gone.__contains__, rows)) if gone else ()  # in the rows' order
    return Change(tuple(changed), removed, len(paths) - len(changed))


def _columns(files: Sequence[tuple[str, FileState]]) -> tuple[Sequence[str], Sequence[tuple[int, ...]]]:
    """The paths of `files` and their states as (size, mtime_ns, ctime_ns, inode) tuples (a
    FileState is one), from the library's scan as it holds them when it gives `columns`."""
    columns = getattr(files, "columns", None)
    if columns is not None:
        paths, states = columns()
        return paths, states
    return [path for path, _ in files], [state for _, state in files]


def update(
    manifest: Manifest,
    change: Change,
    post_for: PostFor,
    report: SyncReport,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> bool:
    """Apply the changes to the live generation in place (our write lock is held).
    Returns whether the Whoosh index was written (a touch alone writes only the manifest)."""
    assert manifest.generation is not None
    to_write: list[Post] = []
    for path in change.changed:
        post = post_for(path)
        row = manifest.rows.get(path)
        if post is None or (row is not None and not post.digest and not row.binary and row.hash):
            # Gone since the scan, or an indexed post not readable now (a full file table, a
            # network disk): what is indexed stays, and the next sync compares again (its row
            # keeps the old state). A new file that cannot be read is listed with its warning.
            manifest.scan_key, manifest.dirty = "", True
            continue
        if row is not None and post.digest and post.digest == row.hash:
            manifest.restat(path, post.state)  # touched, not changed
            report.unchanged += 1
            continue
        to_write.append(post)
    if not to_write and not change.removed:
        return False
    generation = manifest.generation
    existing = set(os.listdir(generation))
    index = storage(str(generation)).open_index()
    writer = None
    try:
        # Our write.lock already makes this the only writer; Whoosh's own
        # lock would stay held if a full disk broke the writer half-built.
        writer = FastSegmentWriter(index, _lk=False)
        delete_paths(writer, [*change.removed, *(post.path for post in to_write)])  # what they replace
        for path in change.removed:
            if not manifest.rows[path].binary:
                report.removed += 1
            manifest.remove(path)
        for done, post in enumerate(to_write, start=1):
            if cancelled is not None and cancelled():
                raise Cancelled
            is_new = post.path not in manifest.rows
            manifest.put(post)
            if not post.binary:
                writer.add_document(**document(post))
            if post.binary:
                pass  # remembered (not read again), but not a post
            elif is_new:
                report.added += 1
            else:
                report.updated += 1
            if progress:
                progress(done, len(to_write))
        writer.commit(mergetype=partial(_reindex_small, manifest, post_for))
    except BaseException:
        abandon(writer, index)
        _remove_new_files(generation, existing)  # a full disk leaves no half-written segment
        raise
    manifest.doc_count = index.doc_count()
    index.close()
    return True


def delete_paths(writer: Any, paths: list[str]) -> None:
    """Delete the committed documents of `paths` (a post's, before it is written again).

    What `delete_by_term` and `update_document` do, looked up in a reader of the segments
    instead of through a Searcher and a Term query: a sync of a few posts then imports
    neither whoosh.searching nor whoosh.query (~8 ms of a 10-edit sync at 10k posts)."""
    if not paths:
        return
    field = writer.schema["path"]
    reader = writer.reader()
    try:
        doomed = [
            docnum
            for path in paths
            if ("path", text := field.to_bytes(path)) in reader
            for docnum in reader.postings("path", text).all_ids()
        ]
    finally:
        reader.close()
    for docnum in doomed:
        writer.delete_document(docnum)


def _reindex_small(manifest: Manifest, post_for: PostFor, writer: Any, segments: list[Any]) -> list[Any]:
    """A merge policy: the segments Whoosh's MERGE_SMALL would merge, their posts read
    again from their files into the segment being written, instead of their postings
    merged.

    Each sync that changes something adds a small segment, and every few syncs
    MERGE_SMALL merged them through Whoosh's reader, a term and a posting at a
    time: with the trigram field a merge of six such segments (96k terms) took
    14 of a sync's 16.5 s under cProfile at 10k posts. Reading their few dozen
    posts again and adding them through our writer is what a first index of
    them costs. The Markdown files are the truth: a post changed since it was
    indexed goes in as it is now (and the manifest with it); one gone is left
    out, and the next sync compares again.
    """
    chosen = _small_segments(segments)
    if not chosen:
        return segments
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        try:
            paths = [str(reader.stored_fields(docnum).get("path", "")) for docnum in reader.all_doc_ids()]
        finally:
            reader.close()
        for path in paths:
            post = post_for(path)
            if post is None or not post.digest:
                # Gone, or not readable now (a full file table, a network disk): forgotten, so
                # the next sync finds it new and reads it again; never indexed as an empty post.
                manifest.remove(path)
                manifest.scan_key, manifest.dirty = "", True
                continue
            manifest.put(post)
            if not post.binary:
                writer.add_document(**document(post))
    return [segment for segment in segments if segment not in chosen]


def _small_segments(segments: list[Any]) -> list[Any]:
    """The segments MERGE_SMALL (whoosh.writing) merges: the smallest first, up to the first
    point past the fourth where they hold fewer documents than a Fibonacci number; none
    without such a point."""
    ordered = sorted(segments, key=lambda s: s.doc_count_all())
    total = 0
    for i, segment in enumerate(ordered):
        total += max(segment.doc_count_all(), 0)
        if i > 3 and total < fib(i + 5):
            return ordered[: i + 1]
    return []


def build(
    root: Path,
    generation: Path | None,
    files: Sequence[tuple[str, FileState]],
    post_for: PostFor,
    report: SyncReport,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[Manifest, Any]:
    """Index every post from scratch into `generation` (a folder), or into memory when None.

    Returns the manifest and, for an index in memory, the open index (it is all there is).
    """
    report.rebuilt = True
    store: Any = storage(str(generation)) if generation is not None else PrivateRamStorage()
    index = store.create_index(build_schema())
    manifest = Manifest(schema=SCHEMA_VERSION, root=str(root), _meta={}, generation=generation)
    manifest.scan_key = files_key(files)[0]
    writer = _writer_for(index, store, len(files))
    try:
        for done, (path, _state) in enumerate(files, start=1):
            if cancelled is not None and cancelled():
                raise Cancelled
            post = post_for(path)
            if post is None:
                manifest.scan_key = ""
                continue
            manifest.put(post)
            if not post.binary:
                writer.add_document(**document(post))
                report.added += 1
            if progress:
                progress(done, len(files))
        writer.commit()
    except BaseException:
        abandon(writer, index)
        raise
    manifest.doc_count = index.doc_count()
    if generation is not None:
        index.close()
        return manifest, None
    return manifest, index


def abandon(writer: Any, index: Any) -> None:
    """Give up a write that failed. Cancelling can fail the same way (a full disk);
    the first error is the one the caller raises, so these are only attempts."""
    lock = getattr(writer, "writelock", None)
    # MpWriter.cancel only flags its copies of the sub-processes; they would wait on
    # their job queue for ever. End them here.
    steps = [partial(_end_process, task) for task in getattr(writer, "tasks", [])]
    steps += [writer.cancel] if writer is not None else []
    steps += [lock.release] if lock is not None else []  # cancel may fail before releasing it
    for step in [*steps, index.close]:
        try:
            step()
        except Exception:
            continue


def _remove_new_files(directory: Path, keep: set[str]) -> None:
    """Delete what a failed write added; the last commit's files are untouched."""
    for name in set(os.listdir(directory)) - keep:
        path = directory / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _end_process(task: Any) -> None:
    task.terminate()
    task.join(5)


def _writer_for(index: Any, storage: Any, count: int) -> Any:
    """A writer for a full build: both cores when the build is big enough.

    Whoosh's MpWriter analyses and writes in sub-processes, each its own
    segment (no merge at the end); measured 1.8x faster on 1,000 posts here.
    Ours die with the process that started them (see reader.search.workers).
    """
    procs = min(2, os.cpu_count() or 1)
    if procs > 1 and count >= PARALLEL_BUILD_FROM and isinstance(storage, FileStorage):
        from reader.search.workers import ParallelWriter

        return ParallelWriter(index, procs=procs, limitmb=128, multisegment=True)
    return FastSegmentWriter(index, limitmb=256)

"""Reading a folder's posts into a snapshot: the whole folder, the changed files reused or read
again, on threads or, a big first read, in helper processes."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import tzinfo
from types import MappingProxyType
from typing import Any

from reader.collector import collector_paused
from reader.log import log_warning
from reader.posts.discovery import Found, scan
from reader.posts.post import FileState, Post, load_post
from reader.posts.selflinks import URL
from reader.posts.snapshot import Cancelled, Changes, Progress, SiteInfo, Snapshot
from reader.procs import HelperFailed, run_in_helpers

RACY_NS = 2_000_000_000  # a file written this close to our read may change again within the same mtime
# A first read of more posts than twice this shows the first this many while it reads on (`partial`).
FREEZE_FROM = 2000  # posts read at once: the cyclic collector held off and the posts frozen
PARTIAL_AFTER = 500
# A first read of this many posts or more is shared by READ_PROCESSES processes, READ_CHUNK posts
# at a time (a process starts in a few tenths of a second: a few hundred posts' reading).
PROCESSES_FROM = 2_000
READ_PROCESSES = 2
READ_CHUNK = 250


def read_snapshot(
    info: SiteInfo,
    previous: Snapshot | None = None,
    cancelled: Callable[[], bool] | None = None,
    progress: Progress | None = None,
    workers: int = 4,
    bodies: bool = True,
    partial: Callable[[Snapshot], None] | None = None,
    bodies_up_to: int | None = None,
) -> Snapshot:
    """Scan the root and read what changed since `previous` (everything, without one).

    With `partial`, a read of more than 2 × PARTIAL_AFTER posts gives it, once, an incomplete
    snapshot of the first PARTIAL_AFTER read (the newest first where names start with the
    date, as Jekyll's do): something to show while the rest is read (10k posts: seconds).

    A post is reused when its file's size, mtime, ctime and inode are as they
    were and it was not written within two seconds of that read. Raises
    Cancelled as soon as `cancelled()` says so. Without `bodies`, each post
    keeps its metadata only (a stub: 10k posts hold ~120 MB of text) and its
    body is read again when wanted (`Library.get`); so too when the files total more
    than `bodies_up_to` bytes.
    """
    import time

    started = time.time_ns()
    found = scan(info.layout)
    if bodies and bodies_up_to is not None:
        bodies = sum(item.stat.st_size for item in found.files if item.stat is not None) <= bodies_up_to
    old = previous.files if previous is not None and previous.complete else {}
    old_urls = previous.urls if previous is not None else {}
    reuse: dict[str, Post] = {}
    to_read: list[Found] = []
    urls: dict[str, str] = {}
    for item in found.files:
        post = old.get(item.rel)
        state = FileState.of(item.stat) if item.stat is not None else None
        if (
            post is not None
            and post.state == state
            and previous is not None
            and state.mtime_ns < previous.read_ns - RACY_NS
        ):
            if bodies or post.stub:
                reuse[item.rel] = post
            else:
                reuse[item.rel] = without_body(post, urls)
            if post.stub and item.rel in old_urls:
                urls[item.rel] = old_urls[item.rel]
        else:
            to_read.append(item)
    early = None
    if partial is not None and not reuse and len(to_read) > 2 * PARTIAL_AFTER:
        to_read.reverse()  # `2021-05-01-x.md` after `2019-…`: the newest are read first

        def early(read: dict[str, Post]) -> None:
            shown = {item.rel: read[item.rel] for item in found.files if item.rel in read}
            partial(Snapshot(info, MappingProxyType(shown), (), False, started, expected=len(found.files)))

    # A big read with the cyclic collector held off, and what it made frozen out of its reach at
    # the end. In the app, at 10k posts, full collections during the first read took 0.05-0.5 s
    # each (1.4 s in all) and each stopped the screen as long; after it, each walked every post
    # again. A snapshot holds no cycles (a 10k read dropped: `gc.collect()` found nothing).
    big = len(to_read) >= FREEZE_FROM
    with collector_paused(freeze=True) if big else contextlib.nullcontext():
        return _made(
            info,
            found,
            started,
            old,
            reuse,
            urls,
            read_all(info, to_read, cancelled, progress, workers, None if bodies else urls, early),
        )


def _made(
    info: SiteInfo,
    found: Any,
    started: int,
    old: Mapping[str, Post],
    reuse: dict[str, Post],
    urls: dict[str, str],
    loaded: dict[str, Post],
) -> Snapshot:
    files = {**reuse, **loaded}
    ordered = {item.rel: files[item.rel] for item in found.files if item.rel in files}
    warnings = list(found.warnings)
    if info.site.warning:
        warnings.append(info.site.warning)
    warnings.extend(w for post in ordered.values() if post.binary for w in post.warnings)
    changes = Changes(
        added=tuple(rel for rel in loaded if rel not in old),
        updated=tuple(rel for rel in loaded if rel in old and old[rel].digest != loaded[rel].digest),
        removed=tuple(rel for rel in old if rel not in ordered),
    )
    return Snapshot(
        info,
        MappingProxyType(ordered),
        tuple(warnings),
        True,
        started,
        changes,
        MappingProxyType({rel: urls[rel] for rel in ordered if rel in urls}),
    )


def without_body(post: Post, urls: dict[str, str]) -> Post:
    """`post` as a stub: its metadata, not its body (whose absolute URLs go to `urls`)."""
    if post.stub or post.binary:
        return post
    found = " ".join(URL.findall(post.body))
    if found:
        urls[post.path] = found
    return replace(post, body="", stub=True)


def read_all(
    info: SiteInfo,
    items: list[Found],
    cancelled: Callable[[], bool] | None,
    progress: Progress | None,
    workers: int,
    urls: dict[str, str] | None = None,
    early: Callable[[dict[str, Post]], None] | None = None,
) -> dict[str, Post]:
    """Read posts on a few threads (file reads and YAML release the GIL often enough), or, many
    of them, in READ_PROCESSES processes; with `urls`, each post is made a stub as soon as it
    is read (so the bodies are never all held); `early` is given the first PARTIAL_AFTER posts
    read (or a few more), once."""
    hierarchical = info.site.hierarchical_categories
    out: dict[str, Post] = {}
    total = len(items)
    if total >= PROCESSES_FROM and (os.cpu_count() or 1) > 1:
        try:
            _read_in_processes(info, items, cancelled, progress, urls, early, out)
            return out
        except (OSError, HelperFailed) as exc:  # no process to start: the rest on threads
            log_warning(f"reading in processes failed ({exc}); reading on threads")
            early = early if len(out) < PARTIAL_AFTER else None
            items = [item for item in items if item.rel not in out]
    lock = threading.Lock()

    def one(item: Found) -> None:
        if cancelled is not None and cancelled():
            raise Cancelled
        post = load_post(item, info.tz, hierarchical)
        first = None
        with lock:
            if urls is not None:
                post = without_body(post, urls)
            out[item.rel] = post
            if progress is not None:
                progress(len(out), total)
            if early is not None and len(out) == PARTIAL_AFTER:
                first = dict(out)
        if first is not None and early is not None:
            early(first)

    if len(items) < 8:
        for item in items:
            one(item)
        return out
    from concurrent.futures import ThreadPoolExecutor  # here: `reader search` reads a few posts at most

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(one, item) for item in items]
        try:
            for future in futures:
                future.result()
        except Cancelled:
            for future in futures:
                future.cancel()
            raise
    return out


def _read_in_processes(
    info: SiteInfo,
    items: list[Found],
    cancelled: Callable[[], bool] | None,
    progress: Progress | None,
    urls: dict[str, str] | None,
    early: Callable[[dict[str, Post]], None] | None,
    out: dict[str, Post],
) -> None:
    """`read_all` in READ_PROCESSES helper processes, READ_CHUNK posts at a time, into `out`: a
    big blog's first read (its YAML, its decoding) on every core, not on the app's threads,
    which share one GIL with the UI and with the index build feeding its workers."""
    hierarchical = info.site.hierarchical_categories
    jobs = (
        (n, items[at : at + READ_CHUNK], info.tz, hierarchical, urls is not None)
        for n, at in enumerate(range(0, len(items), READ_CHUNK))
    )
    # The early part is the first chunks in their order (the newest posts), not the first done.
    done: dict[int, list[Post]] = {}
    first = 0
    for n, posts, found in run_in_helpers(_read_chunk, jobs, READ_PROCESSES, cancelled):
        out.update((post.path, post) for post in posts)
        if urls is not None:
            urls.update(found)
        if progress is not None:
            progress(len(out), len(items))
        if early is not None:
            done[n] = posts
            while first in done:
                first += 1
            if sum(len(done[k]) for k in range(first)) >= PARTIAL_AFTER:
                early({post.path: post for k in range(first) for post in done[k]})
                early = None
    if cancelled is not None and cancelled():
        raise Cancelled


def _read_chunk(
    n: int, items: list[Found], tz: tzinfo, hierarchical: bool, stubs: bool
) -> tuple[int, list[Post], dict[str, str]]:
    """In a reading process: chunk `n`'s posts (stubs when `stubs`, their URLs beside)."""
    urls: dict[str, str] = {}
    posts = [load_post(item, tz, hierarchical) for item in items]
    return n, ([without_body(post, urls) for post in posts] if stubs else posts), urls

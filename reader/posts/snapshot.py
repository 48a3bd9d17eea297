"""A library snapshot: every post under a root at one moment, and what is derived from them.

A snapshot is never changed once built. A reload builds a new one (reusing
the posts whose files did not change) and whoever owns the current one
swaps the reference; a reader in another thread keeps the one it holds.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import stat
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import tzinfo
from functools import cached_property
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, cast
from urllib.parse import urlsplit

from reader.collector import collector_paused
from reader.log import log_warning
from reader.posts.discovery import Found, Layout, check_file, may_hold_posts, post_rel, scan
from reader.posts.listing import ListedPosts, Listing
from reader.posts.post import FileState, Post, load_post
from reader.posts.selflinks import URL, SelfLinks
from reader.posts.site import Site, post_url, site_path, url_key
from reader.posts.taxonomy import Taxonomy, has_tag, in_category, in_month
from reader.posts.text import nfc
from reader.procs import HelperFailed, run_in_helpers

Progress = Callable[[int, int], None]
RACY_NS = 2_000_000_000  # a file written this close to our read may change again within the same mtime
CHANGES_AT_ONCE = 200  # changed paths applied one by one; more at once (a checkout, a sync) scan the folder
# A first read of more posts than twice this shows the first this many while it reads on (`partial`).
FREEZE_FROM = 2000  # posts read at once: the cyclic collector held off and the posts frozen
PARTIAL_AFTER = 500
# A first read of this many posts or more is shared by READ_PROCESSES processes, READ_CHUNK posts
# at a time (a process starts in a few tenths of a second: a few hundred posts' reading).
PROCESSES_FROM = 2_000
READ_PROCESSES = 2
READ_CHUNK = 250
CONFIG_NAMES = frozenset({"_config.yml", "hugo.toml", "config.toml", "hugo.yaml", "config.yaml"})


class PostNotFound(KeyError):
    """No post has that path under the root."""


class Cancelled(Exception):
    """The work was cancelled (the app is quitting, or newer work replaced it)."""


@dataclass(frozen=True)
class SiteInfo:
    """What does not change between reloads: where the posts are and the site's settings."""

    root: Path
    layout: Layout
    site: Site
    tz: tzinfo


@dataclass(frozen=True)
class Changes:
    """What a reload found different from the snapshot before it."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """All posts of one root, newest first, with their taxonomy and URL maps."""

    info: SiteInfo
    files: Mapping[str, Post]  # every file read, binary ones included (the index remembers them too)
    warnings: tuple[str, ...] = ()  # about the folder itself, not one post
    complete: bool = True  # False: listed from the index manifest, bodies not read yet
    read_ns: int = 0  # when the files were read (for racy edits)
    changes: Changes = field(default_factory=Changes)
    # Of a post read but not held (its body is read again when wanted): the absolute URLs
    # its body holds, space-separated, so the site's own hosts are found without the bodies.
    urls: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Listed from the index (not complete): the posts in columns, `files` made from them as asked.
    # What the first screen needs (the rows, the count, a post by path) makes no other post.
    listing: Listing | None = None
    # Of the first posts of a long first read: how many files the whole read reads (0: none to come).
    expected: int = 0

    @cached_property
    def posts(self) -> tuple[Post, ...]:
        if self.listing is not None:  # in the listing's order, which is this one
            return tuple(self.files[path] for path in self.listing.paths)
        return tuple(sort_newest_first(p for p in self.files.values() if not p.binary))

    @cached_property
    def by_path(self) -> Mapping[str, Post]:
        if self.listing is not None:
            return self.files  # no binary file is listed
        return MappingProxyType({post.path: post for post in self.posts})

    def __len__(self) -> int:
        return len(self.listing) if self.listing is not None else len(self.posts)

    @property
    def warned(self) -> int:
        """How many posts have warnings."""
        if self.listing is not None:
            return len(self.listing.warnings)
        return sum(1 for post in self.posts if post.warnings)

    def digests(self) -> Mapping[str, str]:
        """Each post's content hash by path."""
        if self.listing is not None:
            return self.listing.digest_map()
        return {post.path: post.digest for post in self.posts}

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and normal_path(path) in self.by_path

    def get(self, path: str) -> Post:
        try:
            return self.by_path[normal_path(path)]
        except KeyError:
            raise PostNotFound(path) from None

    def title_of(self, path: str) -> str | None:
        """The title of the post at `path` (None: no such post, or it has none)."""
        post = self.by_path.get(normal_path(path))
        return post.title if post is not None and post.title else None

    def filter(
        self, tag: str | None = None, category: str | None = None, drafts: bool = True, month: str | None = None
    ) -> list[Post]:
        """The posts with `tag`, in `category`, dated in `month` (`2020` or `2020-06`)."""
        return [
            post
            for post in self.posts
            if (tag is None or has_tag(post, tag))
            and (category is None or in_category(post, category))
            and (month is None or in_month(post, month))
            and (drafts or not post.draft)
        ]

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return self.taxonomy_of(drafts=True)

    def prepare(self) -> Snapshot:
        """Make now what a screen asks first of a snapshot it adopts: the posts in order, the
        path map, the taxonomy (at 10k posts 22, 2 and 55 ms), so that a worker thread makes
        them rather than the screen's, whose keys wait meanwhile. Returns the snapshot."""
        self.posts, self.by_path, self.taxonomy  # noqa: B018 (cached properties, made here)
        return self

    def taxonomy_of(self, drafts: bool) -> Taxonomy:
        """The taxonomy of the posts, drafts among them or not (listed from the index: from
        its columns, no post made)."""
        if isinstance(self.files, ListedPosts):
            # Facets hold what Taxonomy.build reads of a post: its categories, tags and date.
            return Taxonomy.build(cast(list[Post], self.files.facets(drafts)))
        return Taxonomy.build(self.posts if drafts else [p for p in self.posts if not p.draft])

    @property
    def drafts(self) -> int:
        """How many posts are drafts."""
        if self.listing is not None:
            return self.listing.drafts.count(1)
        return sum(1 for post in self.posts if post.draft)

    @property
    def all_warnings(self) -> list[str]:
        return [*self.warnings, *(w for post in self.posts for w in post.warnings)]

    # --- where links lead ---------------------------------------------------------

    def post_for_url(self, url: str) -> str | None:
        """The post a URL of this site points to (absolute or root-relative): by the site's
        permalinks, else (no config, another host) by the address the posts show is theirs."""
        path = site_path(self.info.site, url)
        if path is not None:
            found = self._url_map.get(url_key(path))
            if found or url.startswith("/"):
                return found or self._self_links.match(path)
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc.lower() in self.own_hosts:
            return self._self_links.match(parts.path)
        return None

    @cached_property
    def _self_links(self) -> SelfLinks:
        return SelfLinks(self.posts)

    @cached_property
    def own_hosts(self) -> frozenset[str]:
        """The site's own hosts, inferred from the posts' links (see reader.posts.selflinks)."""
        if self.listing is not None and not self.urls:
            return frozenset()  # no post's links known yet: no host to infer (and no 100k posts made)
        texts = (self.urls.get(post.path, "") if post.stub else post.body for post in self.posts)
        return self._self_links.own_hosts(texts)

    def post_for_name(self, name: str) -> str | None:
        """The post a Jekyll `{% post_url name %}` tag names."""
        key = nfc(name).strip().lower()
        for suffix in (".md", ".markdown"):
            key = key.removesuffix(suffix)
        return self._name_map.get(key) or self._name_map.get(key.rsplit("/", 1)[-1])

    def _rel_in_posts_dir(self, post: Post) -> str:
        for top in self.info.layout.post_dirs:
            try:
                return nfc(post.file.relative_to(top).as_posix())
            except ValueError:
                continue
        return post.path

    @cached_property
    def _url_map(self) -> dict[str, str]:
        urls: dict[str, str] = {}
        for post in self.posts:
            url = post_url(
                self.info.site, self._rel_in_posts_dir(post), post.date, post.categories, post.permalink, post.slug
            )
            if url:
                urls.setdefault(url_key(url), post.path)
        return urls

    @cached_property
    def _name_map(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for post in self.posts:
            rel = PurePosixPath(self._rel_in_posts_dir(post)).with_suffix("").as_posix().lower()
            names.setdefault(rel, post.path)
            names.setdefault(rel.rsplit("/", 1)[-1], post.path)
        return names


def normal_path(path: str) -> str:
    """The identity form of a post path as a user or a link may write it."""
    return nfc(PurePosixPath(path.replace("\\", "/")).as_posix()).removeprefix("./")


def empty_snapshot(info: SiteInfo) -> Snapshot:
    return Snapshot(info, MappingProxyType({}), complete=False)


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
                reuse[item.rel] = _without_body(post, urls)
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
            _read_all(info, to_read, cancelled, progress, workers, None if bodies else urls, early),
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


@dataclass(frozen=True, eq=False)
class Delta:
    """Files changed on disk, read: what makes the next snapshot from `base` (`apply_delta`)."""

    base: Snapshot
    loaded: Mapping[str, Post]  # added or changed, read now
    removed: frozenset[str]
    urls: Mapping[str, str]  # of the loaded posts made stubs


def read_changes(
    info: SiteInfo,
    previous: Snapshot,
    locations: Iterable[str],
    bodies: bool = True,
    keep: Callable[[Post], None] | None = None,
) -> Delta | None:
    """Read the files at `locations` (absolute paths the file watcher reported) alone.

    What is on disk decides, not the kind of event: a post file there is read, one gone
    is dropped (a rename is both). None when the folder must be scanned again instead:
    a folder changed (its files give no events of their own), a site config, a file the
    scan would warn about, too many changes at once, or no complete `previous`. `keep`
    is given each post read whole before it is made a stub (without `bodies`).
    """
    locations = set(locations)
    if not previous.complete or len(locations) > CHANGES_AT_ONCE:
        return None
    root = str(info.root)
    real_root = os.path.realpath(root)
    to_read: list[Found] = []
    removed: set[str] = set()
    for location in locations:
        location = os.path.normpath(location)
        if not location.startswith(root + os.sep):
            if location == root or root.startswith(location + os.sep):
                return None
            continue
        if os.path.dirname(location) == root and os.path.basename(location) in CONFIG_NAMES:
            return None
        try:
            st: os.stat_result | None = os.lstat(location)
        except FileNotFoundError:
            st = None
        except OSError:
            return None
        if st is not None and stat.S_ISDIR(st.st_mode):
            if may_hold_posts(info.layout, location):
                return None
            continue
        if st is None:
            rel = nfc(location[len(root) + 1 :].replace(os.sep, "/"))
            if rel in previous.files:
                removed.add(rel)
            elif may_hold_posts(info.layout, location) and any(p.startswith(rel + "/") for p in previous.files):
                return None  # a folder of posts gone
            continue
        rel_or_none = post_rel(info.layout, location)
        if rel_or_none is None:
            continue
        rel = rel_or_none
        if any(w.startswith(rel + ": ") for w in previous.warnings):
            return None  # the scan warned about it: it says what it thinks now
        problem, file_stat = check_file(location, real_root)
        if problem:
            return None
        to_read.append(Found(location, rel, "_drafts" in rel.split("/"), file_stat))
    urls: dict[str, str] = {}
    loaded = _read_all(info, to_read, None, None, 1, None)
    if not bodies:
        for rel, post in loaded.items():
            if keep is not None and not post.binary:
                keep(post)
            loaded[rel] = _without_body(post, urls)
    return Delta(previous, MappingProxyType(loaded), frozenset(removed - loaded.keys()), MappingProxyType(urls))


def apply_delta(snapshot: Snapshot, delta: Delta) -> Snapshot:
    """The snapshot after `delta`, made from `snapshot` (the delta's base, or one adopted since).

    Equal to what `read_snapshot` would read, at the cost of the few posts changed: the
    maps are copied (in C), and what the snapshot derives from its posts (their order, the
    path map, the taxonomy) is made from the old one's, not again (sorting 10k posts costs
    ~50 ms, on the UI thread where the list asks for it).
    """
    old = snapshot.files
    loaded = delta.loaded
    gone = delta.removed & old.keys()
    replaced = [old[rel] for rel in loaded if rel in old]
    added = [rel for rel in loaded if rel not in old]
    files = dict(old)
    for rel in gone:
        del files[rel]
    files.update(loaded)
    if added:  # in the scan's order, as a full read lists them
        files = {rel: files[rel] for rel in sorted(files, key=_scan_order(snapshot.info.layout))}
    urls = dict(snapshot.urls)
    for rel in (*gone, *loaded):
        urls.pop(rel, None)
    urls.update(delta.urls)
    warnings = snapshot.warnings
    if any(post.binary for post in (*replaced, *(old[rel] for rel in gone), *loaded.values())):
        # The folder's own warnings first, then the binary posts' (as `read_snapshot` lists them).
        binary = sum(len(post.warnings) for post in old.values() if post.binary)
        kept = warnings[: len(warnings) - binary]
        warnings = (*kept, *(w for post in files.values() if post.binary for w in post.warnings))
    changes = Changes(
        added=tuple(added),
        updated=tuple(rel for rel, post in loaded.items() if rel in old and old[rel].digest != post.digest),
        removed=tuple(rel for rel in old if rel in gone) if gone else (),
    )
    new = Snapshot(
        snapshot.info, MappingProxyType(files), tuple(warnings), True, snapshot.read_ns, changes, MappingProxyType(urls)
    )
    # A cached_property keeps its value in the instance's __dict__: set there, it is as if computed.
    derived, before = new.__dict__, snapshot.__dict__
    if "posts" in before:
        derived["posts"] = _posts_after(snapshot.posts, [*replaced, *(old[rel] for rel in gone)], loaded.values())
    if "by_path" in before:
        by_path = dict(snapshot.by_path)
        for rel in gone:
            by_path.pop(rel, None)
        by_path.update((rel, post) for rel, post in loaded.items() if not post.binary)
        for rel, post in loaded.items():
            if post.binary:
                by_path.pop(rel, None)
        derived["by_path"] = MappingProxyType(by_path)
    if (
        "taxonomy" in before
        and not changes.added
        and not changes.removed
        and all(_same_taxonomy(old[rel], post) for rel, post in loaded.items() if rel in old)
    ):
        derived["taxonomy"] = snapshot.taxonomy  # an edit of a post's text: the same sidebar
    return new


def _posts_after(posts: tuple[Post, ...], out: list[Post], into: Iterable[Post]) -> tuple[Post, ...]:
    """`posts` (newest first) less `out`, with `into` where they sort."""
    listed = list(posts)
    for post in out:
        if post.binary:
            continue
        at = bisect.bisect_left(listed, _newest_first(post), key=_newest_first)
        if at < len(listed) and listed[at] is post:
            del listed[at]
        else:  # not where its order says: drop it by path
            listed = [p for p in listed if p.path != post.path]
    for post in into:
        if not post.binary:
            bisect.insort(listed, post, key=_newest_first)
    return tuple(listed)


def _same_taxonomy(a: Post, b: Post) -> bool:
    return (a.date, a.categories, a.tags, a.draft, a.binary) == (b.date, b.categories, b.tags, b.draft, b.binary)


def _scan_order(layout: Layout) -> Callable[[str], tuple[int, tuple[tuple[int, str], ...]]]:
    """The order `scan` lists paths in: by posts folder, then depth first, a folder's files
    before its subfolders, names sorted."""
    tops = [str(top.relative_to(layout.root).as_posix()) if top != layout.root else "" for top in layout.post_dirs]

    def key(rel: str) -> tuple[int, tuple[tuple[int, str], ...]]:
        for n, top in enumerate(tops):
            if not top or rel.startswith(top + "/"):
                *dirs, name = (rel[len(top) + 1 :] if top else rel).split("/")
                return n, (*((1, d) for d in dirs), (0, name))
        return len(tops), ((0, rel),)

    return key


def _without_body(post: Post, urls: dict[str, str]) -> Post:
    """`post` as a stub: its metadata, not its body (whose absolute URLs go to `urls`)."""
    if post.stub or post.binary:
        return post
    found = " ".join(URL.findall(post.body))
    if found:
        urls[post.path] = found
    return replace(post, body="", stub=True)


def _read_all(
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
                post = _without_body(post, urls)
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
    """`_read_all` in READ_PROCESSES helper processes, READ_CHUNK posts at a time, into `out`: a
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
    return n, ([_without_body(post, urls) for post in posts] if stubs else posts), urls


def sort_newest_first(posts: Iterable[Post]) -> list[Post]:
    return sorted(posts, key=_newest_first)


def _newest_first(post: Post) -> tuple[float, str]:
    return (-(post.date.timestamp() if post.date else float("-inf")), post.path)

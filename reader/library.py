"""The Library: the one object the CLI and the UI ask about posts, links and search.

Data flows one way: files -> posts (reader.posts) -> index -> search
(reader.search) -> the UI and the CLI. The library holds the current
snapshot; `read()` makes a new one without touching the current, so a
worker thread can build it while the UI keeps reading the old one, and
`adopt()` (on the thread that owns the library) swaps it in.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, tzinfo
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from reader.collector import collector_paused
from reader.paths import default_index_dir
from reader.posts import listing
from reader.posts.delta import Delta, apply_delta, read_changes
from reader.posts.discovery import FileRow, FileRows, Found, SiteKind, detect_layout, locate, scan_states
from reader.posts.images import local_file
from reader.posts.listing import ListedPosts, body_line_of
from reader.posts.loading import read_snapshot
from reader.posts.messages import say
from reader.posts.normalize import FILENAME_DATE
from reader.posts.post import FileState, Post, load_post, with_body
from reader.posts.site import load_site, local_timezone
from reader.posts.snapshot import PostNotFound, Progress, SiteInfo, Snapshot, empty_snapshot, normal_path
from reader.posts.text import nfc
from reader.procs import Forked, fork_call
from reader.search.index import IndexUnavailable, SearchIndex
from reader.search.manifest import rows_key
from reader.search.query import InvalidQuery, Node

# Markdown parsing (markdown-it), backlinks, related posts and the searcher are imported where
# used: `reader search` needs no Markdown parser, `reader posts` no searcher (a cold CLI pays
# for every import).
if TYPE_CHECKING:
    from reader.posts.backlinks import Backlink, BacklinkMap
    from reader.posts.discovery import States
    from reader.posts.document import Document
    from reader.posts.links import Link
    from reader.posts.slugs import SlugMap
    from reader.posts.taxonomy import Taxonomy
    from reader.posts.watch import FolderWatch
    from reader.search.manifest import Manifest
    from reader.search.related import Related
    from reader.search.report import SyncReport
    from reader.search.searcher import SearchResult

__all__ = ["IndexUnavailable", "InvalidQuery", "Library", "PostNotFound", "Related", "SearchResult", "SyncReport"]

_LAZY = {
    "Related": "reader.search.related",
    "SearchResult": "reader.search.searcher",
    "SyncReport": "reader.search.report",
}


def __getattr__(name: str) -> Any:
    """`from reader.library import SearchResult`, without importing the searcher at start."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


DOCUMENT_CACHE = 16  # parsed posts kept; a parse of a 500 KB post costs ~0.15 s
POST_CACHE = 64  # posts read whole on demand (bodies of stubs) kept, the most recent
PREVIEW_FROM = 64 * 1024  # a longer post shows its first part while the whole is parsed
PREVIEW_CHARS = 16 * 1024
# Without an index the app holds every post's body: the first build and the scan search (a
# search while the index is built) read them all, and a scan pass at 10k posts (127 MB of
# files, under this) takes ~0.15 s from memory, ~3 s from the files. Past this total the files
# are read again instead: holding a 100k blog's 1.4 GB, the app was 1.7 GB RSS (690 MB not).
BODIES_HELD_UP_TO = 256 * 1024 * 1024
T = TypeVar("T")


class Library:
    """All posts under one root, their taxonomy, their links and their index."""

    def __init__(
        self,
        root: Path | str,
        default_tz: tzinfo | None = None,
        index_dir: Path | None = None,
        hold_bodies: bool = True,
    ) -> None:
        """`hold_bodies=False` (the app): snapshots keep each post's metadata, not its body,
        once an index exists or when the files total more than BODIES_HELD_UP_TO; a body is
        read again when wanted (10k posts: ~120 MB less)."""
        root = Path(root).expanduser().resolve()
        layout = detect_layout(root)
        site = load_site(layout)
        self.info = SiteInfo(root, layout, site, site.timezone or default_tz or local_timezone())
        self.snapshot: Snapshot = empty_snapshot(self.info)
        self._index_dir = index_dir
        self._index: SearchIndex | None = None
        self._documents: OrderedDict[tuple[str, str], Document] = OrderedDict()
        self.hold_bodies = hold_bodies
        self._read: OrderedDict[str, Post] = OrderedDict()  # posts read whole on demand, the last POST_CACHE
        self._searched: OrderedDict[str, Post] = OrderedDict()  # `with_body` posts a search read, as many
        self._lock = threading.Lock()
        self._backlinks: BacklinkMap | None = None  # made on the first ask
        self._backlinks_lock = threading.Lock()  # one scan at a time; readers of the map wait
        self._watch: FolderWatch | None = None  # see `watch_folders`
        self._scanned: tuple[States, tuple[str, int]] | None = None  # the last scan, while watched
        self._ahead: Forked | None = None  # a scan running in a child (scan_ahead)

    @classmethod
    def open(cls, root: Path | str, default_tz: tzinfo | None = None, index_dir: Path | None = None) -> Library:
        library = cls(root, default_tz, index_dir)
        library.load()
        return library

    @property
    def root(self) -> Path:
        return self.info.root

    @property
    def flavor(self) -> str:
        """How the site's own renderer reads Markdown: Jekyll's kramdown, else CommonMark."""
        return "kramdown" if self.info.layout.kind is SiteKind.JEKYLL else "commonmark"

    # --- snapshots ----------------------------------------------------------------------

    def read(
        self,
        previous: Snapshot | None = None,
        cancelled: Callable[[], bool] | None = None,
        progress: Progress | None = None,
        partial: Callable[[Snapshot], None] | None = None,
    ) -> Snapshot:
        """A new snapshot from the files (reusing `previous`'s unchanged posts). Changes nothing here.
        `partial` is given the first posts read of a long first read (see `read_snapshot`)."""
        if not self.root.is_dir():
            raise NotADirectoryError(say("not a folder: {folder}", folder=self.root))
        up_to = None if self.hold_bodies else BODIES_HELD_UP_TO
        bodies = self._holds_bodies()
        return read_snapshot(
            self.info, previous, cancelled, progress, bodies=bodies, partial=partial, bodies_up_to=up_to
        )

    def _holds_bodies(self) -> bool:
        # Without an index, the bodies are held (up to BODIES_HELD_UP_TO, see `read`): the first
        # build and the scan search read them all.
        return self.hold_bodies or self._index is None or self._index.manifest is None

    def read_changes(self, locations: Iterable[str], previous: Snapshot | None = None) -> Delta | None:
        """The files at `locations` (the file watcher's paths) read alone, as a delta to apply to
        `previous`; None when the folder must be read again instead (`read`). Changes nothing here."""
        return read_changes(self.info, previous or self.snapshot, locations, self._holds_bodies(), self._keep_read)

    def apply_changes(self, delta: Delta, snapshot: Snapshot | None = None) -> Snapshot:
        """The snapshot `delta` makes of `snapshot` (the current one by default). Changes nothing here."""
        return apply_delta(snapshot or self.snapshot, delta)

    def adopt(self, snapshot: Snapshot) -> None:
        """Make `snapshot` the current one."""
        self.snapshot = snapshot
        if snapshot.complete:  # the posts read whole that are still as the files are stay
            with self._lock:
                files = snapshot.files
                stale = [p for p, post in self._read.items() if (f := files.get(p)) is None or f.state != post.state]
                for path in stale:
                    del self._read[path]

    def load(self) -> Snapshot:
        """(Re)read the posts and make them current."""
        self.adopt(self.read(self.snapshot))
        return self.snapshot

    def read_cached(self, listing_only: bool = False) -> Snapshot | None:
        """The posts as the index manifest lists them: milliseconds, where reading every
        post of a 10k blog takes seconds. Bodies are read when a post is opened. With
        `listing_only`, None where the listing file cannot give them (its JSON manifest
        would: ~0.5 s at 10k posts)."""
        try:
            if not self.index.load_manifest():
                return None
        except (IndexUnavailable, OSError):
            return None
        manifest = self.index.manifest
        assert manifest is not None
        if manifest.generation is not None:
            held = self.snapshot.listing
            if held is not None and held.key == manifest.written_ns and self.snapshot.info is self.info:
                return self.snapshot  # the same save's listing, adopted already (`reader serve`)
            listed = listing.read(manifest.generation, manifest.written_ns)
            if listed is not None:  # the columns written with this manifest: no JSON, no post made yet
                return Snapshot(self.info, ListedPosts(listed, self.root), complete=False, listing=listed)
        if listing_only:
            return None
        # 10k posts made at once, none of them in a cycle: the cyclic collector, run every few
        # hundred allocations over everything the app holds, cost ~40% of this at 10k.
        with collector_paused():
            snapshot = self._listed(manifest)
            snapshot.posts  # noqa: B018 -- sorted here, under the same pause
        return snapshot

    def _listed(self, manifest: Manifest) -> Snapshot:
        root, metas, make_state = self.root, manifest.metas(), FileState._make
        # Posts share their categories and tags: one tuple each, not one a post.
        categories: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        tags: dict[tuple[str, ...], tuple[str, ...]] = {}
        files: dict[str, Post] = {}
        # Paid once a post by the first screen: one dict lookup for the metadata,
        # no conversion of what JSON already typed, a date parsed only when there is one.
        for path, row in manifest.rows.items():
            meta = metas.get(path)
            if meta is None or row[5]:  # binary
                continue
            names = tuple(meta["categories"])
            paths = categories.get(names)
            if paths is None:
                paths = categories[names] = tuple(tuple(c.split("/")) for c in names)
            tagged = tuple(meta["tags"])
            date, updated, warnings = meta.get("date"), meta.get("updated"), row[6]
            files[path] = Post(
                path,
                root / path,
                meta["title"],
                _iso(date) if date else None,
                _iso(updated) if updated else None,
                paths,
                tags.setdefault(tagged, tagged),
                bool(meta["draft"]),
                "",
                body_line_of(meta),
                warnings=tuple(warnings) if warnings else (),
                stub=True,
                state=make_state(row[:4]),
                digest=row[4],
            )
        return Snapshot(self.info, MappingProxyType(files), complete=False)

    # --- what the current snapshot says ---------------------------------------------------

    @property
    def posts(self) -> tuple[Post, ...]:
        return self.snapshot.posts

    @property
    def taxonomy(self) -> Taxonomy:
        return self.snapshot.taxonomy

    @property
    def warnings(self) -> list[str]:
        return list(self.snapshot.warnings)

    def __len__(self) -> int:
        return len(self.snapshot)

    def __contains__(self, path: str) -> bool:
        return path in self.snapshot

    def filter(
        self, tag: str | None = None, category: str | None = None, drafts: bool = True, month: str | None = None
    ) -> list[Post]:
        return self.snapshot.filter(tag, category, drafts, month)

    def get(self, path: str, snapshot: Snapshot | None = None) -> Post:
        """A post with its body (a post listed from the manifest is read now)."""
        post = (snapshot or self.snapshot).get(path)
        return self._full(post) if post.stub else post

    def find(self, given: str, cwd: Path | None = None) -> Post:
        """The post a user names: a path relative to the root (`_posts/x.md`), or to the
        current folder, or absolute (what shell completion gives), or its file's name
        (`x.md`, `x`) when no other post has it. Raises PostNotFound."""
        candidates = [given]
        path = Path(given).expanduser()
        for absolute in [path] if path.is_absolute() else [(cwd or Path.cwd()) / path]:
            try:
                candidates.append(absolute.resolve().relative_to(self.root).as_posix())
            except (ValueError, OSError):
                continue
        for candidate in candidates:
            if candidate in self.snapshot:
                return self.get(candidate)
        named = self.named(given)
        if len(named) == 1:
            return self.get(named[0].path)
        raise PostNotFound(given)

    def named(self, name: str) -> list[Post]:
        """The posts whose file is called `name` (`2017-05-23-SVM.md`, or without `.md`)."""
        key = nfc(name).strip()
        if not key or "/" in key.replace("\\", "/"):
            return []  # a path: `find` looked it up as one
        return [post for post in self.snapshot.posts if key in _name_and_stem(post.path)]

    def near(self, given: str, limit: int = 3) -> list[Post]:
        """The posts whose file name or title come close to `given` (mistyped, or a part of
        one): what a "no such post" error offers instead. Only ever on that error: it reads
        every name and title (10k posts: ~0.1 s)."""
        name = nfc(PurePosixPath(given.replace("\\", "/")).name).strip().lower()
        stem = name.removesuffix(".markdown").removesuffix(".md")
        if not stem:
            return []
        posts = self.snapshot.posts
        names = {post.path: post.path.rsplit("/", 1)[-1].lower() for post in posts}
        titles = {post.path: post.title.lower() for post in posts}
        # Alike by what follows the date: one `2017-05-23-` is much like another.
        slugs = {path: _slug(file_name) for path, file_name in names.items()}
        found: list[str] = []
        for word, alike, texts in ((_slug(name), slugs, names), (stem, titles, titles)):
            # Holding what was given first, the shortest first (the least else in it), then alike.
            found += sorted((path for path, text in texts.items() if stem in text), key=lambda p: len(texts[p]))
            found += _closest(word, alike, limit) if word else []
        return [self.snapshot.get(path) for path in dict.fromkeys(found)][:limit]

    def _full(self, post: Post) -> Post:
        with self._lock:
            cached = self._read.get(post.path)
        if cached is not None and cached.state == post.state:
            with self._lock:
                self._keep(cached)
            return cached
        loaded = load_post(Found(post.file, post.path, stat=None), self.info.tz, self.info.site.hierarchical_categories)
        with self._lock:
            self._keep(loaded)
        return loaded

    def _keep_read(self, post: Post) -> None:
        with self._lock:
            self._keep(post)

    def _keep(self, post: Post) -> None:
        """Remember a post read whole, the most recent last (the lock held)."""
        self._read[post.path] = post
        self._read.move_to_end(post.path)
        while len(self._read) > POST_CACHE:
            self._read.popitem(last=False)

    # --- documents and links -----------------------------------------------------------

    def document(self, post: Post) -> Document:
        """The one parse of a post's body (kept for the last few posts opened)."""
        from reader.posts.document import parse_document

        key = (post.path, post.digest)
        with self._lock:
            document = self._documents.get(key)
            if document is not None:
                self._documents.move_to_end(key)
                return document
        document = parse_document(post.body, post.body_line, self.flavor)
        with self._lock:
            self._documents[key] = document
            while len(self._documents) > DOCUMENT_CACHE:
                self._documents.popitem(last=False)
        return document

    def cached_document(self, post: Post) -> Document | None:
        with self._lock:
            return self._documents.get((post.path, post.digest))

    def preview_document(self, post: Post, chars: int = PREVIEW_CHARS) -> Document:
        """A parse of the start of a long post, to show while the whole is parsed (a post of
        150k links takes 10 s). It is shown, then replaced; nothing is joined to it."""
        from reader.posts.document import head, parse_document

        return parse_document(head(post.body, chars), post.body_line, self.flavor)

    def forget_documents(self) -> None:
        """Drop the parsed posts kept (the benchmark times a cold open)."""
        with self._lock:
            self._documents.clear()

    def links(self, path: str, snapshot: Snapshot | None = None) -> list[Link]:
        snapshot = snapshot or self.snapshot
        post = self.get(path, snapshot)
        return self.resolve_links(post, self.document(post), snapshot)

    def resolve_links(self, post: Post, document: Document, snapshot: Snapshot | None = None) -> list[Link]:
        from reader.posts.links import LinkContext, resolve

        snapshot = snapshot or self.snapshot
        context = LinkContext(
            post_path=post.path,
            slugs=document.slugs,
            has_post=snapshot.__contains__,
            post_for_url=snapshot.post_for_url,
            post_for_name=snapshot.post_for_name,
            title_of=snapshot.title_of,
            slugs_of=lambda path: self._slugs_of(path, snapshot),
            site_kind=self.info.layout.kind,
            baseurl=self.info.site.baseurl,
            file_exists=self.has_file,
        )
        return resolve(document.links, context)

    def has_file(self, path: str) -> bool:
        """Whether a root-relative file (an image) is there, inside the root."""
        return self.local_file(path) is not None

    def local_file(self, path: str) -> Path | None:
        """The file a root-relative path names, only if it is a regular file inside the root
        (symlinks followed): what an image view or the system viewer may be given."""
        return local_file(self.root, path)

    def backlinks(
        self, path: str, snapshot: Snapshot | None = None, cancelled: Callable[[], bool] | None = None
    ) -> list[Backlink] | None:
        """The posts linking to `path`, with the sentence of each link (None when cancelled).

        The first call for a snapshot scans the posts that changed since the last (all of
        them the first time: ~1 ms a post, so the app asks from a worker)."""
        snapshot = snapshot or self.snapshot
        with self._backlinks_lock:
            if self._backlinks is None:
                from reader.posts.backlinks import BacklinkMap

                self._backlinks = BacklinkMap()
            if self._backlinks.snapshot is not snapshot:
                full = lambda post: self._full(post) if post.stub else post  # noqa: E731
                if not self._backlinks.update(snapshot, full, cancelled):
                    return None
            return self._backlinks.of(normal_path(path))

    def _slugs_of(self, path: str, snapshot: Snapshot) -> SlugMap | None:
        """The headings of another post, for a link to `that.md#fragment` (its parse is kept:
        following the link opens it next)."""
        if path not in snapshot:
            return None
        return self.document(self.get(path, snapshot)).slugs

    # --- the index and search ----------------------------------------------------------

    @property
    def site_key(self) -> str:
        """The site settings a post's indexed metadata depends on: the time zone the site's
        config names (dates without one), and how its categories read. The user's own time
        zone is left out (it moves with daylight saving time: the index would be rebuilt
        twice a year)."""
        site = self.info.site
        categories = "paths" if site.hierarchical_categories else "names"
        return f"timezone={site.timezone or 'local'};categories={categories}"

    def close(self) -> None:
        """Let go of the index's files (a library `reader serve` no longer keeps)."""
        with self._lock:
            index, self._index = self._index, None
            watch, self._watch, self._scanned = self._watch, None, None
        if index is not None:
            index.close()
        if watch is not None:
            watch.close()

    @property
    def index(self) -> SearchIndex:
        """The search index (opened lazily; `sync_index` brings it up to date)."""
        with self._lock:  # the app's workers may ask at the same moment
            if self._index is None:
                self._index = SearchIndex(self.root, self._index_dir or default_index_dir(self.root), self.site_key)
            return self._index

    def sync_index(
        self,
        snapshot: Snapshot | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
        verify: bool = False,
        cancelled: Callable[[], bool] | None = None,
        lock_timeout: float = 0.0,
    ) -> SyncReport:
        """Bring the index in step with the files. From a complete snapshot the posts are
        taken as read; without one, the folder is scanned and only changed files are read."""
        snapshot = snapshot or self.snapshot
        post_for: Callable[[str], Post | None]
        key = None
        files: Sequence[tuple[str, FileState]]
        if snapshot.complete:
            files = [(post.path, post.state) for post in snapshot.files.values()]
            post_for = self._whole_from(snapshot)
            warnings = list(snapshot.warnings)
        else:
            ahead = self._scanned_ahead() if not (rebuild or verify) else None
            if ahead is not None:
                key, count, warnings = ahead
                report = self.index.sync_unchanged(key, count)
                if report is not None:
                    report.warnings[:0] = warnings
                    return report
            # Paths and states as plain tuples, and their key: a sync that finds nothing changed
            # makes no Found and no FileState a file (10k posts: ~125 -> ~75 ms median here);
            # a changed file's are made when it is read.
            with collector_paused():  # 10k paths and states, none in a cycle: ~10 collector passes fewer
                found, key = self._scan()
            files = _ScannedFiles(found.rows)
            post_for = self._reader_for(found.found)
            warnings = list(found.warnings)
        report = self.index.sync(files, post_for, rebuild, progress, lock_timeout, verify, cancelled, key)
        report.warnings[:0] = warnings
        return report

    def watch_folders(self) -> bool:
        """Keep the folders watched, so that a sync after which nothing changed need not scan
        them again (a process that stays up: `reader serve`). Whether they can be."""
        from reader.posts.watch import FolderWatch

        if self._watch is None:
            self._watch = FolderWatch.start(str(self.root))
        return self._watch is not None

    def scan_ahead(self) -> bool:
        """Scan the folder in a forked child while this process goes on (a cold `reader search`
        imports and searches meanwhile); the next `sync_index` takes the child's key of the
        files and, when the index holds them as they are, scans nothing itself. Whether a
        child was started (see reader.procs.fork_call)."""
        if self._ahead is not None or self._watch is not None:
            return False
        layout = self.info.layout

        def scanned() -> tuple[tuple[str, int], int, list[str]]:
            found = scan_states(layout)
            return rows_key(found.rows), len(found.rows), found.warnings

        self._ahead = fork_call(scanned)
        return self._ahead is not None

    def _scanned_ahead(self) -> tuple[tuple[str, int], int, list[str]] | None:
        """The key, the count and the warnings of the files the child of `scan_ahead` found;
        None if none ran or it failed (then the sync scans here, as without one)."""
        ahead, self._ahead = self._ahead, None
        return ahead.result() if ahead is not None else None

    def _scan(self) -> tuple[States, tuple[str, int]]:
        """The post files and their key: the last scan's while the watch says nothing changed."""
        watch, last = self._watch, self._scanned
        if watch is not None and last is not None and watch.quiet():
            return last
        found = scan_states(self.info.layout, watch)
        scanned = found, rows_key(found.rows)
        self._scanned = scanned if watch is not None else None
        return scanned

    def _whole_from(self, snapshot: Snapshot) -> Callable[[str], Post | None]:
        """The posts of a read snapshot with their bodies (a stub's read again) for the index."""

        def whole(path: str) -> Post | None:
            post = snapshot.files.get(path)
            return self._whole(post) if post is not None else None

        return whole

    def _whole(self, post: Post) -> Post:
        """`post` with its body, for the index or the scan, which read every post once: a stub's
        body read from the file the snapshot read (its front matter not parsed again), or the
        file read anew if it changed since. Not kept: a pass over every post would push out
        the posts a user opened."""
        if not post.stub:
            return post
        with self._lock:
            cached = self._read.get(post.path)
        if cached is not None and cached.state == post.state:
            return cached
        whole = with_body(post)
        if whole is not None:
            return whole
        return load_post(Found(post.file, post.path, stat=None), self.info.tz, self.info.site.hierarchical_categories)

    def _reader_for(self, found: Callable[[str], Found | None]) -> Callable[[str], Post | None]:
        def read(path: str) -> Post | None:
            item = found(path)
            if item is None:
                return None
            post = load_post(item, self.info.tz, self.info.site.hierarchical_categories)
            with self._lock:
                self._keep(post)
            return post

        return read

    def search(
        self,
        query: str,
        limit: int = 10,
        include_drafts: bool = True,
        snapshot: Snapshot | None = None,
        scope: Node | None = None,
    ) -> SearchResult:
        """Search; a hit's text comes from the snapshot (or is read, once, when none is loaded).

        An index found damaged while searching is rebuilt and searched again, once;
        an index another process is writing is searched again from its last commit.
        """
        from reader.search.searcher import run_search

        snapshot = snapshot or self.snapshot
        post_for = self._post_for_search(snapshot)
        return self._on_index(
            lambda: run_search(self.index, query, post_for, limit, include_drafts, scope, snapshot.listing),
            snapshot,
            (InvalidQuery, IndexUnavailable),
            tell=True,
        )

    def prepare_search(self, snapshot: Snapshot | None = None) -> None:
        """Open the index's searcher and read what every search needs (the app calls it once
        its index is ready, so that the first search typed does not wait for it). Nothing
        happens without an index."""
        from reader.search.searcher import prepare

        snapshot = snapshot or self.snapshot
        snapshot.by_path  # noqa: B018 (made now: a search looks its hits up in it, ~70 ms at 100k posts)
        try:
            self._on_index(lambda: prepare(self.index), snapshot, (IndexUnavailable,), tell=False)
        except IndexUnavailable:
            return

    def related(
        self, path: str, limit: int = 5, include_drafts: bool = True, snapshot: Snapshot | None = None
    ) -> list[Related]:
        """The posts most like `path`, each with why (shared tags, category, key words)."""
        from reader.search.related import related

        snapshot = snapshot or self.snapshot
        post = self.get(path, snapshot)

        def body_for(other: Post) -> str:
            return self.get(other.path, snapshot).body if other.path in snapshot else ""

        return self._on_index(
            lambda: related(self.index, post, snapshot.by_path.get, body_for, limit, include_drafts),
            snapshot,
            (IndexUnavailable,),
            tell=False,
        )

    def _on_index(
        self, work: Callable[[], T], snapshot: Snapshot, passed: tuple[type[Exception], ...], tell: bool
    ) -> T:
        """`work` on the index: a failure the index finds to be damage rebuilds it (said in the
        next report when `tell`) and tries again, another process's commit is tried again; twice at most."""
        for attempt in range(3):
            try:
                return work()
            except passed:
                raise
            except Exception as exc:
                verdict = self.index.diagnose(exc)
                if verdict is None or attempt == 2:
                    raise
                if verdict == "damaged":
                    report = self.sync_index(snapshot, rebuild=True)
                    if tell:
                        self.index.messages.extend([say("the index was damaged; rebuilt"), *report.messages])
        raise AssertionError("unreachable")

    def scan(
        self,
        query: str,
        snapshot: Snapshot,
        limit: int = 10,
        include_drafts: bool = True,
        scope: Node | None = None,
        cancelled: Callable[[], bool] | None = None,
        so_far: Callable[[SearchResult], None] | None = None,
    ) -> SearchResult:
        """Search by reading the snapshot's posts: while the index is first built. `so_far`:
        given the hits found so far while a long scan goes on (see scan_search)."""
        from reader.search.scan import scan_search

        return scan_search(snapshot.posts, query, limit, include_drafts, scope, cancelled, self._whole, so_far)

    def _post_for_search(self, snapshot: Snapshot) -> Callable[[str], Post | None]:
        def post_for(path: str) -> Post | None:
            # A stat for each candidate hit: a file deleted since it was indexed (or since the
            # snapshot was read, before the watcher caught up) is never shown.
            post = snapshot.by_path.get(path)
            file = post.file if post is not None else self.root / path
            if not os.path.lexists(file):
                # Gone, or its name is written decomposed on disk (a listed post's file is its
                # NFC path): looked up by its NFC name.
                found = locate(self.root, path)
                if found is None:
                    return None
                file = found
                post = replace(post, file=file) if post is not None else None
            if post is not None and not post.stub:
                return post
            with self._lock:
                cached = self._read.get(path)
                light = self._searched.get(path)
            if cached is not None:
                return cached
            if light is not None and post is not None and light.digest == post.digest:
                return light
            if post is not None:
                # Listed from the index: its metadata is the index's, its body is read from the
                # file the index read (same hash) without parsing its front matter again.
                light = with_body(post)
                if light is not None:
                    with self._lock:  # not kept with the posts read whole: it has no permalink or slug
                        self._searched[path] = light
                        while len(self._searched) > POST_CACHE:
                            self._searched.popitem(last=False)
                    return light
            loaded = load_post(Found(file, path), self.info.tz, self.info.site.hierarchical_categories)
            with self._lock:
                self._keep(loaded)
            return loaded

        return post_for


class _ScannedFiles(Sequence[tuple[str, FileState]]):
    """The scan's rows as (path, state) pairs for the index, each pair made when asked."""

    def __init__(self, rows: Sequence[FileRow]) -> None:
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, at: int) -> tuple[str, FileState]: ...

    @overload
    def __getitem__(self, at: slice) -> Sequence[tuple[str, FileState]]: ...

    def __getitem__(self, at: int | slice) -> tuple[str, FileState] | Sequence[tuple[str, FileState]]:
        if isinstance(at, slice):
            return _ScannedFiles(self._rows[at])
        row = self._rows[at]
        return row[0], FileState._make(row[1:])

    def __iter__(self) -> Iterator[tuple[str, FileState]]:
        make = FileState._make
        for row in self._rows:
            yield row[0], make(row[1:])

    def columns(self) -> tuple[Sequence[str], Sequence[tuple[int, int, int, int]]]:
        """The paths and the (size, mtime_ns, ctime_ns, inode) tuples, as the scan keeps them: the
        index compares them as they are (reader.search.indexer.compare), no pair or FileState made."""
        rows = self._rows
        if isinstance(rows, FileRows):
            return rows.paths, rows.states
        return [row[0] for row in rows], [row[1:] for row in rows]


def _name_and_stem(path: str) -> tuple[str, str]:
    name = path.rsplit("/", 1)[-1]
    return name, name.rsplit(".", 1)[0]


def _slug(name: str) -> str:
    """A post file's name without its date and extension: `svm` of `2017-05-23-svm.md`."""
    return FILENAME_DATE.sub("", name.rsplit(".", 1)[0] if "." in name else name)


def _closest(word: str, texts: Mapping[str, str], limit: int) -> list[str]:
    """The keys of the `limit` texts most like `word` (difflib's ratio, 0.6 at least), the closest first."""
    import difflib
    import heapq

    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    scored = []
    for key, text in texts.items():
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
            ratio = matcher.ratio()
            if ratio >= 0.6:
                scored.append((-ratio, key))
    return [key for _, key in heapq.nsmallest(limit, scored)]


def _iso(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None

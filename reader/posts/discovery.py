"""Finding the post files under a root: a folder of posts or a site root."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from operator import add, attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from reader.posts.messages import at, say
from reader.posts.text import nfc

if TYPE_CHECKING:
    from reader.posts.watch import FolderWatch

POST_SUFFIXES = (".md", ".markdown")
# Build output, dependencies and themes never hold the author's posts.
SKIPPED_DIRS = frozenset({"_site", "public", "node_modules", "vendor", "themes", "theme", "_theme", "resources"})


class SiteKind(Enum):
    PLAIN = "plain"
    JEKYLL = "jekyll"
    HEXO = "hexo"
    HUGO = "hugo"


@dataclass(frozen=True)
class Layout:
    """Where the posts of a root live."""

    kind: SiteKind
    root: Path
    post_dirs: tuple[Path, ...]
    config_file: Path | None = None


@dataclass
class Found:
    """One candidate post file."""

    location: Path | str  # absolute, as on disk (the scan gives strings: 10k Paths cost 0.2 s)
    rel: str  # NFC, posix, relative to the root: the post's identity
    draft_dir: bool = False
    stat: os.stat_result | None = None  # from the scan, so a sync need not stat again

    @property
    def path(self) -> Path:
        """The file, absolute, as on disk (made when a post is read, not at the scan)."""
        location = self.location
        return location if isinstance(location, Path) else Path(location)


@dataclass
class Scan:
    files: list[Found] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_layout(root: Path) -> Layout:
    """Recognise a Jekyll, Hexo or Hugo site root; otherwise a plain folder."""
    if (root / "source" / "_posts").is_dir():
        config = root / "_config.yml"
        return Layout(
            SiteKind.HEXO,
            root,
            tuple(p for p in (root / "source" / "_posts", root / "source" / "_drafts") if p.is_dir()),
            config if config.is_file() else None,
        )
    if (root / "_posts").is_dir() or (root / "_config.yml").is_file():
        # Without `_posts/`, the posts are in the root itself (and `_drafts/` below it).
        dirs = (root / "_posts", root / "_drafts") if (root / "_posts").is_dir() else (root,)
        config = root / "_config.yml"
        return Layout(SiteKind.JEKYLL, root, tuple(p for p in dirs if p.is_dir()), config if config.is_file() else None)
    hugo_config = next(
        (root / n for n in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml") if (root / n).is_file()),
        None,
    )
    if (root / "content").is_dir() and hugo_config is not None:
        return Layout(SiteKind.HUGO, root, (root / "content",), hugo_config)
    return Layout(SiteKind.PLAIN, root, (root,), None)


def scan(layout: Layout) -> Scan:
    """List post files without following directory symlinks or leaving the root.

    Only regular files are returned (a FIFO would block a reader forever);
    a symlinked file is accepted only when it resolves inside the root.
    Written on os.scandir with plain strings: pathlib cost 0.4 s for 10k files.
    """
    result = Scan()
    listed = _scan(layout, result.warnings)
    result.files = [
        Found(location, rel, "_drafts" in rel.split("/"), st)
        for location, rel, st in zip(listed.locations, listed.rels, listed.stats, strict=True)
    ]
    return result


FileRow = tuple[str, int, int, int, int]  # path, size, mtime_ns, ctime_ns, inode: a FileState's fields
StateRow = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
_STATE = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")


@dataclass
class _Listed:
    """The post files found, in scan order: where each is, its post path, its stat."""

    locations: list[str] = field(default_factory=list)
    rels: list[str] = field(default_factory=list)
    stats: list[os.stat_result] = field(default_factory=list)
    links: bool = False  # a post that is a symlink or a hard link was listed (see FolderWatch.distrust)


class FileRows(Sequence[FileRow]):
    """The scan's files as (path, size, mtime_ns, ctime_ns, inode) rows, kept as a list of
    paths and a list of states (made by C loops) and joined only when a row is asked for:
    a sync that finds nothing changed keys them (`reader.search.manifest.rows_key`) as they are."""

    __slots__ = ("paths", "states")

    def __init__(self, paths: list[str], states: list[StateRow]) -> None:
        self.paths = paths
        self.states = states

    def __len__(self) -> int:
        return len(self.paths)

    @overload
    def __getitem__(self, at: int) -> FileRow: ...

    @overload
    def __getitem__(self, at: slice) -> FileRows: ...

    def __getitem__(self, at: int | slice) -> FileRow | FileRows:
        if isinstance(at, slice):
            return FileRows(self.paths[at], self.states[at])
        return (self.paths[at], *self.states[at])

    def __iter__(self) -> Iterator[FileRow]:
        return map(add, zip(self.paths), self.states)  # (path,) + state: joined in C


@dataclass
class States:
    """The post files as a sync compares them: each one's path and state, in `scan`'s order,
    as plain strings and tuples (keyed by C loops: `reader.search.manifest.rows_key`). A `Found`
    and a `FileState` are made only for a file that is read: a sync that finds nothing changed
    makes neither (10k of each cost ~25 ms)."""

    rows: FileRows = field(default_factory=lambda: FileRows([], []))
    warnings: list[str] = field(default_factory=list)
    _listed: _Listed = field(default_factory=_Listed)
    _at: dict[str, int] | None = None

    def found(self, rel: str) -> Found | None:
        """The file at post path `rel`, as `scan` lists it (None when the scan did not see it)."""
        if self._at is None:
            self._at = dict(zip(self.rows.paths, range(len(self.rows)), strict=True))
        n = self._at.get(rel)
        if n is None:
            return None
        listed = self._listed
        return Found(listed.locations[n], rel, "_drafts" in rel.split("/"), listed.stats[n])


def scan_states(layout: Layout, watch: FolderWatch | None = None) -> States:
    """The files `scan` lists, as paths and states: what a sync needs to see that nothing changed.
    `watch`: each folder is watched before it is listed (see reader.posts.watch)."""
    result = States()
    if watch is not None:
        watch.rearm([str(layout.root), *map(str, layout.post_dirs)])
    listed = result._listed = _scan(layout, result.warnings, watch)
    if watch is not None and listed.links:
        watch.distrust()
    result.rows = FileRows(listed.rels, list(map(_STATE, listed.stats)))
    return result


def _scan(layout: Layout, warnings: list[str], watch: FolderWatch | None = None) -> _Listed:
    root = str(layout.root)
    real_root = os.path.realpath(root)
    seen: set[str] = set()
    prune_underscore = layout.kind is not SiteKind.PLAIN
    listed = _Listed()
    for top in layout.post_dirs:
        _walk(str(top), root, real_root, prune_underscore, seen, warnings, listed, watch)
    return listed


def locate(root: Path, rel: str) -> Path | None:
    """The file on disk of post path `rel` (NFC) whose name is written otherwise there (NFD, as
    macOS writes Hangul names): each folder listed where the name as given is not found."""
    here = root
    for part in rel.split("/"):
        step = here / part
        if not os.path.lexists(step):
            try:
                names = os.listdir(here)
            except OSError:
                return None
            found = next((name for name in names if nfc(name) == part), None)
            if found is None:
                return None
            step = here / found
        here = step
    return here


def post_rel(layout: Layout, location: str) -> str | None:
    """The post path the scan would give the file at `location` (absolute), judged by its
    name and folders alone; None where the scan never looks (hidden, skipped, not Markdown)."""
    found = _under_top(layout, location)
    if found is None:
        return None
    *dirs, name = found
    if not _walked(layout, dirs) or name.startswith(".") or not name.lower().endswith(POST_SUFFIXES):
        return None
    rel = location[len(str(layout.root)) + 1 :].replace(os.sep, "/")
    return rel if rel.isascii() else nfc(rel)


def may_hold_posts(layout: Layout, location: str) -> bool:
    """Whether the scan walks the folder at `location`, or one holding a posts folder."""
    for top in layout.post_dirs:
        top_s = str(top)
        if top_s == location or top_s.startswith(location + os.sep):
            return True
    found = _under_top(layout, location)
    return found is not None and _walked(layout, found)


def _under_top(layout: Layout, location: str) -> list[str] | None:
    """The parts of `location` below the posts folder holding it."""
    for top in layout.post_dirs:
        top_s = str(top)
        if location.startswith(top_s + os.sep):
            return location[len(top_s) + 1 :].split(os.sep)
    return None


def _walked(layout: Layout, dirs: list[str]) -> bool:
    """Whether the scan goes down these folders (as `_walk` prunes them)."""
    prune_underscore = layout.kind is not SiteKind.PLAIN
    return not any(
        name.startswith(".")
        or name in SKIPPED_DIRS
        or (prune_underscore and name.startswith("_") and name not in ("_posts", "_drafts"))
        for name in dirs
    )


def _walk(
    top: str,
    root: str,
    real_root: str,
    prune_underscore: bool,
    seen: set[str],
    warnings: list[str],
    listed: _Listed,
    watch: FolderWatch | None = None,
) -> None:
    stack = [top]
    prefix = len(root) + 1
    for_fd = os.scandir in os.supports_fd
    while stack:
        directory = stack.pop()
        fd = None
        if watch is not None:
            watch.add(directory)  # before it is listed: a later change is the watch's to report
        try:
            # Listed through a descriptor where the platform can: each file is then stat'ed by
            # its name in the folder, not by its whole path (~25% of a 10k-post scan's time).
            if for_fd:
                fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            with os.scandir(directory if fd is None else fd) as entries:
                listing = sorted(entries, key=_NAME)
        except OSError as exc:
            if fd is not None:
                os.close(fd)
            rel = directory[prefix:] or "."
            warnings.append(at(nfc(rel), say("cannot list: {error}", error=exc.strerror or exc)))
            continue
        try:
            _list(directory, listing, prefix, real_root, prune_underscore, seen, warnings, listed, stack)
        finally:
            if fd is not None:
                os.close(fd)


def _list(
    directory: str,
    listing: list[os.DirEntry[Any]],
    prefix: int,
    real_root: str,
    prune_underscore: bool,
    seen: set[str],
    warnings: list[str],
    listed: _Listed,
    stack: list[str],
) -> None:
    """One folder's entries: its post files onto `listed` (in name order), its subfolders onto
    `stack`. Run once a file at 10k posts, so the folder's part of each string is made once."""
    subdirs = []
    base = directory + os.sep
    rel_base = directory[prefix:].replace(os.sep, "/")
    rel_base = rel_base + "/" if rel_base else ""
    ascii_base = rel_base.isascii()
    add_location, add_rel, add_stat = listed.locations.append, listed.rels.append, listed.stats.append
    is_regular, suffixes, seen_add = stat.S_ISREG, POST_SUFFIXES, seen.add
    for entry in listing:
        name = entry.name
        if name[0] == ".":
            continue
        if entry.is_dir(follow_symlinks=False):
            if name in SKIPPED_DIRS or (
                prune_underscore and name.startswith("_") and name not in ("_posts", "_drafts")
            ):
                continue
            subdirs.append(base + name)
            continue
        if not name.endswith(suffixes) and not name.lower().endswith(suffixes):
            continue
        rel = rel_base + name if ascii_base and name.isascii() else nfc(rel_base + name)
        if rel in seen:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError as exc:
            warnings.append(at(rel, say("skipped: {error}", error=exc.strerror or exc)))
            continue
        if not is_regular(st.st_mode):
            problem, checked = _check_stat(base + name, st, real_root)
            if problem or checked is None:
                warnings.append(at(rel, say("skipped: {error}", error=problem)))
                continue
            st = checked
            listed.links = True
        elif st.st_nlink > 1:
            listed.links = True  # a hard link: written through its other name, no event here
        seen_add(rel)
        add_location(base + name)
        add_rel(rel)
        add_stat(st)
    stack.extend(reversed(subdirs))


_NAME = attrgetter("name")


def check_file(location: str, real_root: str) -> tuple[str | None, os.stat_result | None]:
    """What the scan would say of one file: why it is skipped (or None), and its stat."""
    try:
        st = os.lstat(location)
    except OSError as exc:
        return exc.strerror or str(exc), None
    return _check_stat(location, st, real_root)


def _check_stat(location: str, st: os.stat_result, real_root: str) -> tuple[str | None, os.stat_result | None]:
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(location)
        if os.path.commonpath([target, real_root]) != real_root:
            return say("symlink points outside the posts folder"), None
        try:
            st = os.stat(location)
        except OSError:
            return say("dangling or looping symlink"), None
    if not stat.S_ISREG(st.st_mode):
        return say("not a regular file"), None
    return None, st

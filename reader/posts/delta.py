"""Files changed on disk applied to a snapshot: the changed files alone read (a `Delta`), and the
next snapshot made from the last one at the cost of those few posts (`apply_delta`)."""

from __future__ import annotations

import bisect
import os
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from reader.posts.discovery import Found, Layout, check_file, may_hold_posts, post_rel
from reader.posts.loading import read_all, without_body
from reader.posts.post import Post
from reader.posts.snapshot import Changes, SiteInfo, Snapshot, newest_first
from reader.posts.text import nfc

CHANGES_AT_ONCE = 200  # changed paths applied one by one; more at once (a checkout, a sync) scan the folder
CONFIG_NAMES = frozenset({"_config.yml", "hugo.toml", "config.toml", "hugo.yaml", "config.yaml"})


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
    loaded = read_all(info, to_read, None, None, 1, None)
    if not bodies:
        for rel, post in loaded.items():
            if keep is not None and not post.binary:
                keep(post)
            loaded[rel] = without_body(post, urls)
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
        at = bisect.bisect_left(listed, newest_first(post), key=newest_first)
        if at < len(listed) and listed[at] is post:
            del listed[at]
        else:  # not where its order says: drop it by path
            listed = [p for p in listed if p.path != post.path]
    for post in into:
        if not post.binary:
            bisect.insort(listed, post, key=newest_first)
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

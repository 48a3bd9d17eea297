"""The indexed posts in columns, newest first: what the app's first screen lists, loaded in milliseconds.

The index manifest holds every post's file state (`state.json`) and metadata
(`meta.json`) as JSON: at 100k posts decoding both took ~1 s, and making a
`Post` of each another ~1.5 s, before the first screen could show a row.
A listing is the same facts in columns (one list per field, the state as one
array of integers), sorted as the list shows them and written with `marshal`
beside the manifest at each save. Loading it makes no `Post`: `ListedPosts`
makes one when asked for it (the post opened, a row's details), and the post
list reads its rows straight from the columns.
"""

from __future__ import annotations

import bisect
import contextlib
import marshal
import os
from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from reader.posts.post import FileState, Post, new_digest

LISTING_NAME = "listing.marshal"
FORMAT = 2  # of the file; another is not read (the manifest's JSON is, instead)
DIGEST_SIZE = 16  # the file starts with the blake2b of the rest


@dataclass(frozen=True, eq=False)
class Listing:
    """Every listed post's metadata and file state, one list per field, newest first."""

    key: int  # the manifest save it was written with (its `written_ns`)
    paths: list[str]
    titles: list[str]
    dates: list[str | None]  # ISO 8601, as the manifest holds them (None: none, or unreadable)
    updated: list[str | None]
    categories: list[int]  # into `category_names`
    category_names: list[tuple[str, ...]]  # each distinct list of categories once ("A/B" paths)
    tags: list[int]  # into `tag_lists`
    tag_lists: list[tuple[str, ...]]
    drafts: bytes  # 1 for a draft
    states: array[int]  # size, mtime_ns, ctime_ns, ino of each post in turn
    digests: list[str]
    warnings: dict[str, tuple[str, ...]]  # of the posts that have any
    body_lines: array[int]  # the file line each body starts on, as the index's parse found it (0: unknown)

    def __len__(self) -> int:
        return len(self.paths)

    def day(self, n: int) -> str:
        """`YYYY-MM-DD` of post `n`'s date as its own offset has it (what the list shows), or ""."""
        date = self.dates[n]
        return date[:10] if date else ""

    def digest_map(self) -> dict[str, str]:
        """Each post's content hash by path."""
        return dict(zip(self.paths, self.digests, strict=True))


def build(rows: Mapping[str, Sequence[Any]], metas: Mapping[str, Mapping[str, Any]], key: int) -> Listing:
    """The listing of the manifest's rows (size, mtime, ctime, inode, hash, binary, warnings) and
    metadata; binary files and rows without metadata are not listed (as `Library.read_cached`)."""
    listed = []
    for path, row in rows.items():
        meta = metas.get(path)
        if meta is not None and not row[5]:
            listed.append((_newest_first(path, meta.get("date")), path, row, meta))
    listed.sort(key=itemgetter(0))
    undated = float("inf")  # the order's key of a post without a date, or with one unreadable
    paths: list[str] = []
    titles: list[str] = []
    dates: list[str | None] = []
    updated: list[str | None] = []
    categories: list[int] = []
    tags: list[int] = []
    drafts = bytearray()
    digests: list[str] = []
    states: array[int] = array("q")
    warnings: dict[str, tuple[str, ...]] = {}
    body_lines: array[int] = array("q")
    category_index: dict[tuple[str, ...], int] = {}
    tag_index: dict[tuple[str, ...], int] = {}
    for (when, _), path, row, meta in listed:  # one pass: at 100k posts each pass over them costs
        paths.append(path)
        titles.append(meta["title"])
        dates.append(meta["date"] if when != undated else None)  # kept only when readable
        update = meta.get("updated")
        updated.append(update if update and _iso(update) is not None else None)
        names = tuple(meta["categories"])
        categories.append(category_index.setdefault(names, len(category_index)))
        names = tuple(meta["tags"])
        tags.append(tag_index.setdefault(names, len(tag_index)))
        drafts.append(1 if meta["draft"] else 0)
        digests.append(row[4])
        states.extend(row[:4])
        if row[6]:
            warnings[path] = tuple(row[6])
        body_lines.append(body_line_of(meta))
    return Listing(
        key,
        paths,
        titles,
        dates,
        updated,
        categories,
        list(category_index),
        tags,
        _shared(list(tag_index)),
        bytes(drafts),
        states,
        digests,
        warnings,
        body_lines,
    )


def write(listing: Listing, generation: Path) -> None:
    """Write the listing into the index generation (atomically: a temporary file renamed)."""
    fields = (
        FORMAT,
        listing.key,
        listing.paths,
        listing.titles,
        listing.dates,
        listing.updated,
        listing.categories,
        listing.category_names,
        listing.tags,
        listing.tag_lists,
        listing.drafts,
        listing.states.tobytes(),
        listing.digests,
        listing.warnings,
        listing.body_lines.tobytes(),
    )
    path = generation / LISTING_NAME
    tmp = path.with_name(f"{path.name}.{os.urandom(16).hex()}.tmp")
    try:
        data = marshal.dumps(fields)
        with open(tmp, "wb") as handle:
            handle.write(_digest(data) + data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def save(
    generation: Path,
    rows: Mapping[str, Sequence[Any]],
    metas: Mapping[str, Mapping[str, Any]] | None,
    key: int,
    previous_key: int,
    changed: set[str] | None = None,
    edited: Collection[str] | None = None,
) -> None:
    """Write the listing of a manifest just saved as `key`. Without `metas` (not loaded: no post's
    metadata changed, no post came or went), the listing saved with `previous_key` gives them and
    the rows the file states; with neither, no listing is left (the manifest lists instead).
    With `changed` (the paths put or removed since that save), the previous listing is patched
    for those alone: building it whole cost ~0.15 s of a 10-edit sync at 10k posts, 1.3-1.6 s
    at 100k. With `edited` (every path whose row was put, removed or restated since that save),
    only those posts' file states, hashes and warnings are set again from `rows`."""
    previous = read(generation, previous_key) if metas is None or changed is not None else None
    if metas is not None:
        if previous is not None and changed is not None and len(changed) * 4 < len(rows):
            write(_restated(patch(previous, metas, rows, changed), rows, key, edited), generation)
        else:
            write(build(rows, metas, key), generation)
        return
    if previous is None or any(path not in rows for path in (previous.paths if edited is None else edited)):
        forget(generation)
        return
    write(_restated(previous, rows, key, edited), generation)


def _restated(
    listing: Listing, rows: Mapping[str, Sequence[Any]], key: int, edited: Collection[str] | None = None
) -> Listing:
    """`listing` with the file state, hash and warnings of every post (of the `edited` ones
    alone, when given: the others' are as `rows` have them already) as `rows` have them now."""
    if edited is not None:
        states, digests, warnings = listing.states, listing.digests, listing.warnings
        at = _positions(listing.paths, edited)
        for path, n in at.items():
            row = rows[path]
            states[4 * n : 4 * n + 4] = array("q", row[:4])
            digests[n] = row[4]
            if row[6]:
                warnings[path] = tuple(row[6])
            else:
                warnings.pop(path, None)
        return replace(listing, key=key)
    states = array("q")
    warnings = {}
    for path in listing.paths:
        row = rows[path]
        states.extend(row[:4])
        if row[6]:
            warnings[path] = tuple(row[6])
    digests = [rows[path][4] for path in listing.paths]
    return replace(listing, key=key, states=states, digests=digests, warnings=warnings)


def _positions(paths: list[str], wanted: Collection[str]) -> dict[str, int]:
    """Where each of `wanted` is in `paths` (those listed): `list.index` for one or two (a C
    scan each), a map of all (~1 ms at 10k posts) for more."""
    if len(wanted) > 2:
        at = dict(zip(paths, range(len(paths)), strict=True))
        return {path: at[path] for path in wanted if path in at}
    found = {}
    for path in wanted:
        with contextlib.suppress(ValueError):
            found[path] = paths.index(path)
    return found


def patch(
    previous: Listing, metas: Mapping[str, Mapping[str, Any]], rows: Mapping[str, Sequence[Any]], changed: set[str]
) -> Listing:
    """`previous` with the `changed` posts taken out and those still listed put back where the
    order wants them (as `build` would list them), their file states from `rows`.

    Its columns are changed in place (a listing just read is no one else's): copying ten
    columns of 10k posts to drop a few cost ~13 ms, as much as the rest of the patch."""
    paths, titles, dates, updated = previous.paths, previous.titles, previous.dates, previous.updated
    categories, tags, digests, warnings = previous.categories, previous.tags, previous.digests, previous.warnings
    states, body_lines, drafts = previous.states, previous.body_lines, bytearray(previous.drafts)
    for n in sorted(_positions(paths, changed).values(), reverse=True):
        for column in (paths, titles, dates, updated, categories, tags, digests, body_lines, drafts):
            del column[n]
        del states[4 * n : 4 * n + 4]
    for path in changed:
        warnings.pop(path, None)
    category_names, tag_lists = previous.category_names, previous.tag_lists
    category_index = {names: n for n, names in enumerate(category_names)}
    tag_index = {names: n for n, names in enumerate(tag_lists)}

    def order(n: int) -> tuple[float, str]:
        return _newest_first(paths[n], dates[n])

    for path in sorted(changed):
        meta, row = metas.get(path), rows.get(path)
        if meta is None or row is None or row[5]:
            continue  # gone, or binary: not listed
        when = _newest_first(path, meta.get("date"))
        at_n = bisect.bisect_left(range(len(paths)), when, key=order)
        update = meta.get("updated")
        names, tag_names = tuple(meta["categories"]), tuple(meta["tags"])
        if names not in category_index:
            category_index[names] = len(category_names)
            category_names.append(names)
        if tag_names not in tag_index:
            tag_index[tag_names] = len(tag_lists)
            tag_lists.append(tag_names)
        paths.insert(at_n, path)
        titles.insert(at_n, meta["title"])
        dates.insert(at_n, meta["date"] if when[0] != float("inf") else None)
        updated.insert(at_n, update if update and _iso(update) is not None else None)
        categories.insert(at_n, category_index[names])
        tags.insert(at_n, tag_index[tag_names])
        drafts.insert(at_n, 1 if meta["draft"] else 0)
        body_lines.insert(at_n, body_line_of(meta))
        digests.insert(at_n, row[4])
        states[4 * at_n : 4 * at_n] = array("q", row[:4])
        if row[6]:
            warnings[path] = tuple(row[6])
    return replace(previous, drafts=bytes(drafts))


def read(generation: Path, key: int) -> Listing | None:
    """The listing written with the manifest save `key`; None when there is none, it is of
    another save or format, or it cannot be read (the caller lists from the manifest then)."""
    try:
        with open(generation / LISTING_NAME, "rb") as handle:
            data = handle.read()
        if data[:DIGEST_SIZE] != _digest(data[DIGEST_SIZE:]):
            return None  # damaged (marshal would read changed bytes as other titles, silently)
        fields = marshal.loads(data[DIGEST_SIZE:])
        if not isinstance(fields, tuple) or len(fields) != 15 or fields[0] != FORMAT or fields[1] != key:
            return None
        states: array[int] = array("q")
        states.frombytes(fields[11])
        body_lines: array[int] = array("q")
        body_lines.frombytes(fields[14])
        _, key, paths, titles, dates, updated, categories, names, tags, lists, drafts, _, digests, warnings, _ = fields
        listing = Listing(
            key,
            paths,
            titles,
            dates,
            updated,
            categories,
            names,
            tags,
            lists,
            drafts,
            states,
            digests,
            warnings,
            body_lines,
        )
    except (OSError, ValueError, EOFError, TypeError):
        return None
    n = len(listing.paths)
    if not all(len(column) == n for column in _columns(listing)) or len(states) != 4 * n:
        return None
    return listing


def forget(generation: Path) -> None:
    """Remove a listing that no longer matches its manifest."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(generation / LISTING_NAME)


def _shared(lists: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The lists with each distinct string one object: marshal writes it once, then refers to it
    (tags repeat across tens of thousands of lists: the file is smaller and loads faster)."""
    seen: dict[str, str] = {}
    return [tuple(seen.setdefault(item, item) for item in items) for items in lists]


def _digest(data: bytes) -> bytes:
    digest = new_digest()
    digest.update(data)
    return bytes(digest.digest())


def _columns(listing: Listing) -> tuple[Sequence[Any], ...]:
    return (
        listing.titles,
        listing.dates,
        listing.updated,
        listing.categories,
        listing.tags,
        listing.drafts,
        listing.digests,
        listing.body_lines,
    )


def body_line_of(meta: Mapping[str, Any]) -> int:
    """The line a post's body starts on, from its index metadata (0: not known)."""
    line = meta.get("body_line")
    return line if isinstance(line, int) and line > 0 else 0


class Facets(NamedTuple):
    """What a taxonomy counts of a post (`Taxonomy.build` reads these alone): a post's worth
    of it without making the post."""

    categories: tuple[tuple[str, ...], ...]
    tags: tuple[str, ...]
    date: datetime | None


class ListedPosts(Mapping[str, Post]):
    """The listing's posts by path, each made (a stub: no body) the first time it is asked for."""

    def __init__(self, listing: Listing, root: Path) -> None:
        self.listing = listing
        self.root = root
        self._at = {path: n for n, path in enumerate(listing.paths)}
        self._made: dict[str, Post] = {}
        # Posts share their categories: each distinct list made into paths once.
        self._categories = [tuple(tuple(c.split("/")) for c in names) for names in listing.category_names]

    def __getitem__(self, path: str) -> Post:
        post = self._made.get(path)
        if post is None:
            post = self._made[path] = self._make(self._at[path])  # KeyError: not listed
        return post

    def __contains__(self, path: object) -> bool:
        return path in self._at

    def __iter__(self) -> Iterator[str]:
        return iter(self.listing.paths)

    def __len__(self) -> int:
        return len(self.listing.paths)

    def facets(self, drafts: bool = True) -> list[Facets]:
        """The categories, tags and date of every post listed (of drafts too with `drafts`)."""
        listing, categories, tag_lists = self.listing, self._categories, self.listing.tag_lists
        return [
            Facets(categories[c], tag_lists[t], _iso(d) if d else None)
            for c, t, d, draft in zip(listing.categories, listing.tags, listing.dates, listing.drafts, strict=True)
            if drafts or not draft
        ]

    def _make(self, n: int) -> Post:
        listing, path = self.listing, self.listing.paths[n]
        date, updated = listing.dates[n], listing.updated[n]
        return Post(
            path,
            self.root / path,
            listing.titles[n],
            _iso(date) if date else None,
            _iso(updated) if updated else None,
            self._categories[listing.categories[n]],
            listing.tag_lists[listing.tags[n]],
            bool(listing.drafts[n]),
            "",
            listing.body_lines[n],  # 0: unknown (see `with_body`)
            warnings=listing.warnings.get(path, ()),
            stub=True,
            state=FileState(*listing.states[4 * n : 4 * n + 4]),
            digest=listing.digests[n],
        )


def _iso(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _newest_first(path: str, date: str | None) -> tuple[float, str]:
    """The order of `reader.posts.snapshot.sort_newest_first`, from the manifest's ISO dates."""
    parsed = _iso(date)
    return (-(parsed.timestamp() if parsed is not None else float("-inf")), path)

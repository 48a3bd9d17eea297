"""A post: one Markdown file read once, decoded and normalised into one immutable shape."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

from reader.posts.discovery import Found
from reader.posts.fences import Fences
from reader.posts.messages import at, say
from reader.posts.normalize import (
    FILENAME_DATE,
    date_from_filename,
    normalize_categories,
    normalize_tags,
    parse_bool,
    parse_date,
    term,
)
from reader.posts.text import BinaryFileError, clean, decode

MAX_POST_BYTES = 8 * 1024 * 1024
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")


class FileState(NamedTuple):
    """What the file system says about a file: enough to tell that it changed."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    @classmethod
    def of(cls, st: os.stat_result) -> FileState:
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


NO_STATE = FileState(0, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Post:
    """One post, as the rest of the reader sees it. Never changed once made."""

    path: str  # NFC posix path relative to the root: the post's identity
    file: Path  # where it is on disk
    title: str
    date: datetime | None
    updated: datetime | None
    categories: tuple[tuple[str, ...], ...]
    tags: tuple[str, ...]
    draft: bool
    body: str
    body_line: int  # the file line the body starts on (1-based)
    encoding: str | None = None
    warnings: tuple[str, ...] = ()
    front_matter: str = "none"
    permalink: str | None = None  # from the post's own front matter
    slug: str | None = None
    binary: bool = False  # not text: reported, never listed
    stub: bool = False  # no body held (listed from the index, or read but not kept): Library.get reads it
    state: FileState = NO_STATE  # the file as it was when read
    digest: str = ""  # blake2b of the whole file ("" when unreadable)

    @property
    def category_names(self) -> list[str]:
        return ["/".join(path) for path in self.categories]

    @property
    def stem(self) -> str:
        return PurePosixPath(self.path).stem


@dataclass(slots=True)
class _Warnings:
    path: str
    items: list[str] = field(default_factory=list)

    def add(self, message: str, line: int | None = None, column: int | None = None) -> None:
        """`message` (made by `say`) about the post, or about one line (and column) of it."""
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        self.items.append(at(where, message))


def new_digest() -> Any:
    return hashlib.blake2b(digest_size=16)


def read_file(path: Path, limit: int = MAX_POST_BYTES) -> tuple[bytes, os.stat_result, bool, str]:
    """Read a regular file once: at most `limit` bytes of it, its stat and the
    hash of all of it (past the limit too, so an edit there is still seen).

    Opened non-blocking: a FIFO that took a post's place never hangs us.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(say("not a regular file: {path}", path=path))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
            digest = new_digest()
            digest.update(data)
            if len(data) > limit:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
    finally:
        os.close(fd)
    if len(data) <= limit:
        return data, st, False, digest.hexdigest()
    # Cut at a line end, never inside a multi-byte character.
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1 if cut > 0 else limit], st, True, digest.hexdigest()


def load_post(found: Found, default_tz: tzinfo, hierarchical: bool) -> Post:
    """Read and parse one post file. Never raises for bad content: problems become warnings."""
    warnings = _Warnings(found.rel)
    file = found.path
    base: dict[str, Any] = {
        "path": found.rel,
        "file": file,
        "title": title_from_name(found.rel),
        "date": None,
        "updated": None,
        "categories": (),
        "tags": (),
        "draft": found.draft_dir,
        "body": "",
        "body_line": 1,
    }
    try:
        data, st, truncated, digest = read_file(file)
    except OSError as exc:
        warnings.add(say("cannot read: {error}", error=exc.strerror or exc))
        state = FileState.of(found.stat) if found.stat is not None else NO_STATE  # the scan's, then
        return Post(**base, warnings=tuple(warnings.items), state=state)
    base.update(state=FileState.of(st), digest=digest)
    try:
        decoded = decode(data)
    except BinaryFileError as exc:
        warnings.add(say("skipped: {error}", error=exc))
        return Post(**base, warnings=tuple(warnings.items), binary=True)
    if decoded.controls:
        warnings.add(decoded.controls_warning())
    if truncated:
        warnings.add(say("larger than {size} MiB; only the start is read", size=MAX_POST_BYTES // (1024 * 1024)))
    if decoded.encoding not in ("utf-8", "utf-16", "utf-32"):
        warnings.add(say("not UTF-8: decoded as {encoding}", encoding=decoded.encoding))
    from reader.posts import frontmatter  # YAML and python-frontmatter: ~45 ms of a start, paid by a parse

    fm = frontmatter.parse(decoded.text)
    for issue in fm.issues:
        warnings.add(issue.message, issue.line, issue.column)
    base.update(body=fm.body, body_line=fm.body_line)
    meta = _meta(found, fm.data, fm.raw, fm.body, st.st_mtime_ns, default_tz, hierarchical, warnings)
    return Post(**{**base, **meta}, encoding=decoded.encoding, front_matter=fm.format, warnings=tuple(warnings.items))


def with_body(listed: Post) -> Post | None:
    """A post listed from the index (a stub) with its body, read from its file without parsing
    its front matter again: the stub's `body_line` is where the index's parse found the body (0:
    not known). None when the file is not the one indexed (its hash differs), cannot be read or
    is not text: `load_post` then."""
    body_line = listed.body_line
    if not listed.digest or body_line < 1 or listed.front_matter == "json":
        return None  # JSON front matter can end mid-line: its body_line does not say where the body starts
    try:
        data, st, _truncated, digest = read_file(listed.file)
    except OSError:
        return None
    if digest != listed.digest:
        return None
    body = body_of(listed, data)
    if body is None:
        return None
    return replace(listed, body=body[0], stub=False, state=FileState.of(st), encoding=body[1])


def read_unchanged(listed: Post) -> bytes | None:
    """A stub's file as bytes, when it is a UTF-8 file `with_body` could read and its state
    (size, times, inode) is as listed: for a pass over every post (the scan search), the state
    vouches for the file, not its hash, and the buffer is the file's size, not 8 MiB (a scan
    of 5000 posts, profiled: hash ~7% of it, the buffered read ~12%). None otherwise."""
    if listed.encoding != "utf-8" or not listed.digest or listed.body_line < 1 or listed.front_matter == "json":
        return None
    try:
        fd = os.open(listed.file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if FileState.of(st) != listed.state or not stat.S_ISREG(st.st_mode) or st.st_size > MAX_POST_BYTES:
            return None
        data = os.read(fd, st.st_size + 1)  # one more than its size: a file grown since is seen
        while 0 < len(data) < st.st_size:  # a short read
            more = os.read(fd, st.st_size + 1 - len(data))
            if not more:
                break
            data += more
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == st.st_size else None


def body_of(listed: Post, data: bytes) -> tuple[str, str] | None:
    """The body and encoding of a stub from its file's bytes (the file the stub was read from),
    cut where its `body_line` says. None when they are not text."""
    try:
        decoded = decode(data)
    except BinaryFileError:
        return None
    parts = decoded.text.split("\n", listed.body_line - 1)
    body = parts[-1] if len(parts) == listed.body_line else ""  # fewer lines: the front matter ends the file
    return body, decoded.encoding


def _pick(data: dict[str, Any], raw: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in raw:
            return raw[key]
        if key in data:
            return data[key]
    return None


def _meta(
    found: Found,
    data: dict[str, Any],
    raw: dict[str, Any],
    body: str,
    mtime_ns: int,
    tz: tzinfo,
    hierarchical: bool,
    warnings: _Warnings,
) -> dict[str, Any]:
    """The normalised fields of a post from its front matter, file name and body."""
    title = term(_pick(data, raw, "title"))
    date_value = _pick(data, raw, "date")
    date = parse_date(date_value, tz)
    if date_value is not None and date is None:
        warnings.add(say("unreadable date {date}; using the file name or time", date=repr(str(date_value)[:40])))
    if date is None:
        date = date_from_filename(PurePosixPath(found.rel).name, tz)
    if date is None and mtime_ns:
        date = datetime.fromtimestamp(mtime_ns / 1e9, UTC).astimezone(tz)

    categories = normalize_categories(_pick(data, raw, "categories"), hierarchical)
    # The singular keys name one term each: `category: Deep Learning` is one.
    for path in normalize_categories(_singular(_pick(data, raw, "category")), hierarchical):
        if path not in categories:
            categories.append(path)
    tags = normalize_tags(_pick(data, raw, "tags"))
    tags += [t for t in normalize_tags(_singular(_pick(data, raw, "tag"))) if t not in tags]

    draft = parse_bool(data.get("draft")) is True or parse_bool(data.get("published")) is False
    permalink, slug = data.get("permalink"), data.get("slug")
    return {
        "title": title or first_heading(body) or title_from_name(found.rel),
        "date": date,
        "updated": parse_date(_pick(data, raw, "last_modified_at", "updated", "lastmod"), tz),
        "categories": tuple(categories),
        "tags": tuple(tags),
        "draft": found.draft_dir or draft,
        "permalink": clean(permalink) if isinstance(permalink, str) else None,
        "slug": clean(slug) if isinstance(slug, str) else None,
    }


def _singular(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def title_from_name(rel: str) -> str:
    """A title from a file name (`2020-01-02-hello.md` -> `hello`), cleaned like post text:
    a name can hold an escape sequence too."""
    stem = PurePosixPath(rel).stem
    return clean(FILENAME_DATE.sub("", stem) or stem)


def first_heading(body: str) -> str | None:
    """The text of the first ATX or setext heading outside code fences."""
    fences = Fences()
    previous = ""
    for line in body.split("\n", 2000)[:2000]:
        if fences.code(line):
            continue
        atx = _ATX.match(line)
        if atx:
            return atx.group(1).strip()
        if _SETEXT.match(line) and previous.strip() and not previous.startswith(("    ", "\t")):
            return previous.strip()
        previous = line
    return None

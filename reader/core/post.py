"""A post: one Markdown file read, decoded and normalised into one shape."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath
from typing import Any

from reader.core import frontmatter
from reader.core.discovery import Found
from reader.core.normalize import (
    FILENAME_DATE,
    date_from_filename,
    normalize_categories,
    normalize_tags,
    parse_bool,
    parse_date,
    term,
)
from reader.core.text import BinaryFileError, clean, decode

MAX_POST_BYTES = 8 * 1024 * 1024
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Post:
    """One post, as the rest of the reader sees it."""

    path: str  # NFC posix path relative to the root: the post's identity
    file: Path  # where it is on disk
    title: str
    date: datetime | None
    updated: datetime | None
    categories: list[tuple[str, ...]]
    tags: list[str]
    draft: bool
    body: str
    body_line: int  # the file line the body starts on (1-based)
    encoding: str | None
    size: int
    mtime_ns: int
    warnings: list[str] = field(default_factory=list)
    front_matter: str = "none"
    permalink: str | None = None  # from the post's own front matter
    slug: str | None = None
    binary: bool = False  # not text: reported, never listed
    stub: bool = False  # metadata from the index manifest only; the body is read on first use

    @property
    def category_names(self) -> list[str]:
        return ["/".join(path) for path in self.categories]

    @property
    def stem(self) -> str:
        return PurePosixPath(self.path).stem

    def warn(self, message: str, line: int | None = None, column: int | None = None) -> None:
        where = self.path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        self.warnings.append(f"{where}: {message}")


def read_bytes(path: Path, limit: int = MAX_POST_BYTES) -> tuple[bytes, os.stat_result, bool]:
    """Read at most `limit` bytes of a regular file; never block on a FIFO."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"not a regular file: {path}")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(data) <= limit:
        return data, st, False
    # Cut at a line end, never inside a multi-byte character.
    cut = data.rfind(b"\n", 0, limit)
    return data[: cut + 1 if cut > 0 else limit], st, True


def load_post(found: Found, default_tz: tzinfo, hierarchical: bool) -> Post:
    """Load one post. Never raises for bad content: problems become warnings."""
    try:
        data, st, truncated = read_bytes(found.path)
    except OSError as exc:
        post = _empty(found, 0, 0)
        post.warn(f"cannot read: {exc.strerror or exc}")
        return post
    post = _empty(found, st.st_size, st.st_mtime_ns)
    try:
        decoded = decode(data)
    except BinaryFileError as exc:
        post.warn(f"skipped: {exc}")
        post.binary = True
        return post
    post.encoding = decoded.encoding
    if decoded.controls:
        post.warn(f"{decoded.controls} control characters (such as ESC) replaced with \ufffd")
    if truncated:
        post.warn(f"larger than {MAX_POST_BYTES // (1024 * 1024)} MiB; only the start is read")
    if decoded.encoding not in ("utf-8", "utf-16", "utf-32"):
        post.warn(f"not UTF-8: decoded as {decoded.encoding}")
    fm = frontmatter.parse(decoded.text)
    for issue in fm.issues:
        post.warn(issue.message, issue.line, issue.column)
    post.front_matter = fm.format
    post.body = fm.body
    post.body_line = fm.body_line
    _apply_meta(post, fm.data, fm.raw, default_tz, hierarchical, found)
    return post


def _empty(found: Found, size: int, mtime_ns: int) -> Post:
    return Post(
        path=found.rel, file=found.path, title=_title_from_name(found.rel), date=None,
        updated=None, categories=[], tags=[], draft=found.draft_dir, body="", body_line=1,
        encoding=None, size=size, mtime_ns=mtime_ns,
    )


def _pick(data: dict[str, Any], raw: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in raw:
            return raw[key]
        if key in data:
            return data[key]
    return None


def _apply_meta(post: Post, data: dict[str, Any], raw: dict[str, Any], tz: tzinfo,
                hierarchical: bool, found: Found) -> None:
    title = term(_pick(data, raw, "title"))
    post.title = title or first_heading(post.body) or _title_from_name(post.path)

    date_value = _pick(data, raw, "date")
    post.date = parse_date(date_value, tz)
    if date_value is not None and post.date is None:
        post.warn(f"unreadable date {str(date_value)[:40]!r}; using the file name or time")
    if post.date is None:
        post.date = date_from_filename(PurePosixPath(post.path).name, tz)
    if post.date is None and post.mtime_ns:
        post.date = datetime.fromtimestamp(post.mtime_ns / 1e9, UTC).astimezone(tz)
    post.updated = parse_date(_pick(data, raw, "last_modified_at", "updated", "lastmod"), tz)

    categories = normalize_categories(_pick(data, raw, "categories"), hierarchical)
    # The singular keys name one term each: `category: Deep Learning` is one.
    for path in normalize_categories(_singular(_pick(data, raw, "category")), hierarchical):
        if path not in categories:
            categories.append(path)
    post.categories = categories
    tags = normalize_tags(_pick(data, raw, "tags"))
    tags += [t for t in normalize_tags(_singular(_pick(data, raw, "tag"))) if t not in tags]
    post.tags = tags

    draft = parse_bool(data.get("draft")) is True or parse_bool(data.get("published")) is False
    post.draft = found.draft_dir or draft
    permalink = data.get("permalink")
    post.permalink = clean(permalink) if isinstance(permalink, str) else None
    slug = data.get("slug")
    post.slug = clean(slug) if isinstance(slug, str) else None


def _singular(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _title_from_name(rel: str) -> str:
    stem = PurePosixPath(rel).stem
    return FILENAME_DATE.sub("", stem) or stem


def first_heading(body: str) -> str | None:
    """The text of the first ATX or setext heading outside code fences."""
    fence: str | None = None
    previous = ""
    for line in body.split("\n")[:2000]:
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        atx = _ATX.match(line)
        if atx:
            return atx.group(1).strip()
        if _SETEXT.match(line) and previous.strip() and not previous.startswith(("    ", "\t")):
            return previous.strip()
        previous = line
    return None

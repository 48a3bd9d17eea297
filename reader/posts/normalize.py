"""Normalisers for front matter values: dates, taxonomy terms, booleans."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from typing import Any

from reader.posts.text import clean

_DATE = r"""^\s*(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})
    (?:(?:[T\s]+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6})\d*)?)?)?
    \s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$"""
FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")
_TRUE = frozenset({"true", "yes", "on", "1", "y"})
_FALSE = frozenset({"false", "no", "off", "0", "n"})


@cache
def _date_pattern() -> re.Pattern[str]:
    """_DATE, compiled when a date is first read (~2 ms): a search shows its hits' dates from the index."""
    return re.compile(_DATE, re.VERBOSE | re.IGNORECASE)


def parse_date(value: Any, default_tz: tzinfo) -> datetime | None:
    """A timezone-aware datetime from whatever a front matter `date` holds.

    Accepts datetime and date objects and the strings Jekyll, Hexo and Hugo
    users write: `2020-06-27 12:00:00 +0900`, `2020.06.27 12:00:00`,
    `2020/6/27`, ISO 8601 with `T` and `Z`. Naive values take `default_tz`.
    Returns None for anything else, including impossible dates.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_tz)
    if isinstance(value, date):
        return datetime.combine(value, time(), default_tz)
    if not isinstance(value, str):
        return None
    match = _date_pattern().match(value)
    if not match:
        return None
    parts = match.groupdict()
    try:
        tz = _parse_tz(parts["tz"]) or default_tz
        fraction = int((parts["f"] or "0").ljust(6, "0"))
        return datetime(
            int(parts["y"]),
            int(parts["m"]),
            int(parts["d"]),
            int(parts["H"] or 0),
            int(parts["M"] or 0),
            int(parts["S"] or 0),
            fraction,
            tz,
        )
    except ValueError:
        return None


def _parse_tz(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        raise ValueError("offset out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def date_from_filename(name: str, default_tz: tzinfo) -> datetime | None:
    """Jekyll's `YYYY-MM-DD-title.md` prefix as a datetime, if valid."""
    match = FILENAME_DATE.match(name)
    if not match:
        return None
    try:
        year, month, day = map(int, match.groups())
        return datetime(year, month, day, tzinfo=default_tz)
    except ValueError:
        return None


def parse_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return bool(value)
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def term(value: Any) -> str | None:
    """One taxonomy term as clean text; None for nulls and empty strings."""
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    text = " ".join(clean(text).split())
    return text or None


def _flatten(values: Iterable[Any], depth: int = 0) -> Iterable[Any]:
    for value in values:
        if isinstance(value, list) and depth < 8:
            yield from _flatten(value, depth + 1)
        else:
            yield value


def normalize_tags(value: Any) -> list[str]:
    """Tags from a list, a comma- or space-separated string, or a scalar.

    Jekyll splits a `tags:` string on spaces; a comma in it means the author
    listed them with commas. Duplicates go, order stays.
    """
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
    elif isinstance(value, list):
        parts = list(_flatten(value))
    else:
        parts = [value]
    seen: dict[str, None] = {}
    for part in parts:
        text = term(part)
        if text is not None:
            seen.setdefault(text.lstrip("#") or text, None)
    return list(seen)


def normalize_categories(value: Any, hierarchical: bool) -> list[tuple[str, ...]]:
    """Category paths, each a tuple from the top of the hierarchy down.

    - `"개발/파이썬"`: one path, split on `/`.
    - a string of words in Jekyll: space-separated flat categories;
      `hierarchical` (Hexo) keeps the string as one category.
    - a flat list: separate categories in Jekyll and Hugo, one path in Hexo.
    - a list of lists (Hexo): one path per inner list.
    """
    if value is None:
        return []
    paths: list[tuple[str, ...]] = []
    if isinstance(value, str):
        if "/" in value:
            paths.append(_path(value.split("/")))
        elif "," in value:
            paths.extend(_path([v]) for v in value.split(","))
        elif hierarchical:
            paths.append(_path([value]))
        else:
            paths.extend(_path([v]) for v in value.split())
    elif isinstance(value, list):
        nested = any(isinstance(v, list) for v in value)
        if nested:
            for item in value:
                paths.append(_path(list(_flatten(item if isinstance(item, list) else [item]))))
        elif hierarchical:
            paths.append(_path(value))
        else:
            for item in value:
                text = term(item)
                paths.append(_path(text.split("/")) if text and "/" in text else _path([item]))
    else:
        paths.append(_path([value]))
    unique: dict[tuple[str, ...], None] = {}
    for path in paths:
        if path:
            unique.setdefault(path, None)
    return list(unique)


def _path(parts: Iterable[Any]) -> tuple[str, ...]:
    return tuple(t for t in (term(p) for p in parts) if t)

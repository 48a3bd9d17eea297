"""A candidate's text for a quick rejection: the file's bytes decoded, with its indexed metadata.

The index has no positions, so a long word or a phrase is checked on the
post's text; loading a post (decoding, YAML, normalising) costs ~1 ms,
reading its bytes ~20 µs. A query for a word no post holds has thousands of
candidates, so each is first checked here, on everything the post's text
could hold: the whole file (front matter and body, line ends and NFC made
as `reader.posts.text.decode` makes them) and the title, tags and
categories the index recorded (a title may come from the file name). The
checks only look for words, so what fails here fails on the post; what
passes is checked again on the post itself.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
from typing import Any

_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32: not readable as UTF-8 bytes


def file_size(root: str) -> Callable[[str], int]:
    """`size(path)`: the size of a post's file (0 when it cannot be read)."""

    def size(path: str) -> int:
        try:
            return os.stat(os.path.join(root, path)).st_size
        except OSError:
            return 0

    return size


def quick_texts(root: str, meta_for: Callable[[str], dict[str, Any] | None]) -> Callable[[str], str | None]:
    """`text(path)`: a superset of the post's searchable text, or None when it cannot be
    told cheaply (not UTF-8, no metadata, unreadable): then the post itself is checked."""

    def text(path: str) -> str | None:
        meta = meta_for(path)
        if meta is None:
            return None
        try:
            with open(os.path.join(root, path), "rb") as file:
                data = file.read()
        except OSError:
            return None
        if data.startswith(_WIDE_BOMS) or b"\x00" in data[:8192]:
            return None
        try:
            decoded = data.decode("utf-8")
        except UnicodeDecodeError:
            return None  # CP949 and others: decoded by the post loader
        if "\r" in decoded:
            decoded = decoded.replace("\r\n", "\n").replace("\r", "\n")
        if not unicodedata.is_normalized("NFC", decoded):
            decoded = unicodedata.normalize("NFC", decoded)
        categories = [str(c) for c in meta.get("categories") or ()]
        return "\n".join(
            [
                decoded,
                str(meta.get("title") or ""),
                " ".join(str(t) for t in meta.get("tags") or ()),
                " ".join(name for c in categories for name in c.split("/")),
                " ".join(categories),
            ]
        )

    return text

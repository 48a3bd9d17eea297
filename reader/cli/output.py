"""What the commands print: tables with colour on a terminal, tab-separated lines when piped,
JSON that is safe to print, one-line warnings, a progress bar. Everything from a post goes
through `printable` on its way out."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Sequence
from typing import Any

from reader.posts.text import printable

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_json(data: Any) -> str:
    """JSON with Hangul as is; C1 controls, bidi controls and line separators escaped as
    `\\uXXXX` (json leaves them raw, and a terminal may act on them). Same data, safe bytes."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def warn(line: str) -> None:
    """One line on stderr, made safe: a file name can hold an escape sequence."""
    print(printable(line), file=sys.stderr)


def on_terminal() -> bool:
    return sys.stdout.isatty()


def colour() -> bool:
    return on_terminal() and "NO_COLOR" not in os.environ


class Lines(tuple[Any, ...]):
    """A cell of several lines (a search hit's title over its snippet), each a string or
    (text, spans) as a cell is, or (text, spans, style): the line breaks are the table's own,
    where one in a post's text shows as `␊`. Piped, the lines are one field, joined by a space."""

    def __new__(cls, *lines: Any) -> Lines:
        return super().__new__(cls, lines)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], styles: Sequence[str] = ()) -> None:
    """Rows as an aligned table on a terminal (Rich: wide Hangul measured right, long cells
    wrapped at words), or as tab-separated lines when piped (one row a line, for scripts).
    Cells are strings, (text, [(start, end), …]) for highlighted spans, or Lines of either."""
    if not on_terminal():
        for row in rows:
            print("\t".join(_tsv(cell) for cell in row))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, markup=False, emoji=False, color_system="auto" if colour() else None)
    grid = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
    for index, header in enumerate(headers):
        grid.add_column(header, style=styles[index] if index < len(styles) else "", overflow="fold")
    for row in rows:
        grid.add_row(*(_rich(cell) for cell in row))
    console.print(grid)


def _plain(cell: Any) -> str:
    return cell[0] if isinstance(cell, tuple) else str(cell)


def _tsv(cell: Any) -> str:
    if isinstance(cell, Lines):
        return " ".join(_tsv(line) for line in cell)
    return printable(_plain(cell))  # a tab or a newline in a title becomes visible, not a new field


def _rich(cell: Any) -> Any:
    from rich.text import Text

    if isinstance(cell, Lines):
        return Text("\n").join(_rich(line) for line in cell)
    if not isinstance(cell, tuple):
        return Text(printable(str(cell)))
    text = Text(printable(cell[0]), style=cell[2] if len(cell) > 2 else "")  # printable keeps the length
    for start, end in cell[1]:
        text.stylize("bold reverse", start, end)
    return text


def mark(text: str, spans: list[tuple[int, int]]) -> str:
    """Highlight spans for a plain line: [brackets] (the text made printable first)."""
    out, last = [], 0
    for start, end in spans:
        out.append(printable(text[last:start]) + "[" + printable(text[start:end]) + "]")
        last = end
    out.append(printable(text[last:]))
    return "".join(out)


class ProgressBar:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, what: str = "indexing") -> None:
        self.what = what
        self.enabled = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        filled = int(30 * done / max(total, 1))
        sys.stderr.write(f"\r{self.what} [{'#' * filled}{' ' * (30 - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

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

from reader.posts.text import cell_width, fit, printable, printable_spans

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def to_json(data: Any, indent: int | None = 2) -> str:
    """JSON with Hangul as is; C1 controls, bidi controls and line separators escaped as
    `\\uXXXX` (json leaves them raw, and a terminal may act on them). Same data, safe bytes.
    `indent=None`: on one line."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def warn(line: str) -> None:
    """One line on stderr, made safe: a file name can hold an escape sequence."""
    print(printable(line), file=sys.stderr)


def report_error(message: str, kind: str, as_json: bool) -> None:
    """A command's error, on stderr as gh's and jq's are (stdout holds only data): one line,
    `reader: …`; with --json, one JSON object on one line, `{"error": message, "kind": kind}`,
    the last line of stderr (warnings before it stay text lines)."""
    if as_json:
        print(to_json({"error": message, "kind": kind}, indent=None), file=sys.stderr)
    else:
        warn(f"reader: {message}")


def join_listed(items: Sequence[str]) -> str:
    """Several values (tags, categories) in one field of a piped row: joined by commas, a comma
    or a backslash in one escaped with a backslash, so that a script can split them back."""
    return ",".join(item.replace("\\", "\\\\").replace(",", "\\,") for item in items)


def on_terminal() -> bool:
    return sys.stdout.isatty()


def colour() -> bool:
    return on_terminal() and "NO_COLOR" not in os.environ


def table(name: str, rows: Sequence[Sequence[Any]]) -> None:
    """Rows as the table `name` of reader.cli.tables, fitted to the terminal's width (which
    columns give way, and how, is said there), or as tab-separated lines when piped (one row
    a line, every column, for scripts). Cells are strings, or (text, [(start, end), …]) for
    highlighted spans, or (text, spans, style)."""
    if not on_terminal():
        for row in rows:
            print("\t".join(printable(_plain(cell)) for cell in row))  # a tab in a title: visible, not a field
        return
    from rich.console import Console
    from rich.segment import Segment, Segments

    from reader.cli.tables import TABLES, draw  # only now: ~4 ms of every start otherwise

    spec = TABLES[name]
    console = Console(highlight=False, markup=False, emoji=False, color_system="auto" if colour() else None)
    cells = [[_rich(cell, spec.columns[n].style) for n, cell in enumerate(row)] for row in rows]
    lines = draw(console, spec, cells)
    for start in range(0, len(lines), 500):  # the lines as drawn: Rich need not wrap them again
        segments = [segment for line in lines[start : start + 500] for segment in (*line, Segment.line())]
        console.print(Segments(segments), end="", crop=False)


def _plain(cell: Any) -> str:
    return cell[0] if isinstance(cell, tuple) else str(cell)


def _rich(cell: Any, style: str) -> Any:
    from rich.text import Text

    if not isinstance(cell, tuple):
        return Text(printable(str(cell)), style=style)
    shown, spans = printable_spans(cell[0], cell[1])  # a stand-in (`<U+200F>`) moves what follows it
    text = Text(shown, style=style)
    if len(cell) > 2:
        text.stylize(cell[2])
    for start, end in spans:
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
    """A one-line progress bar on stderr for work long enough to need one: drawn only when
    stderr is a terminal, from the first step once the work counts BIG items or has run for
    DELAY seconds, and erased on leaving its `with` (an error's way out too), so that what
    the command prints starts on a clean line and no bar is left above it."""

    DELAY = 0.5  # seconds: a read of a few hundred posts is over before
    BIG = 1000  # items: a folder this big takes a while on any machine
    EVERY = 0.1  # seconds between two drawings

    def __init__(self, what: str) -> None:
        self.what = what  # in the interface's language: `색인 중` takes two cells a syllable
        self.enabled = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last = 0.0
        self.drawn = 0  # characters of the bar on the screen now
        self.columns = 0

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.erase()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if not self.drawn and total < self.BIG and now - self.started < self.DELAY:
            return
        if now - self.last < self.EVERY and done < total:
            return
        self.last = now
        line = self._line(done, total)
        cells = cell_width(line)
        sys.stderr.write("\r" + line + " " * (self.drawn - cells))
        sys.stderr.flush()
        self.drawn = max(self.drawn, cells)

    def _line(self, done: int, total: int) -> str:
        if not self.columns:
            self.columns = _columns(sys.stderr)
        counts = f"{done}/{total}"
        room = min(30, self.columns - cell_width(self.what) - len(counts) - 5)  # a cell spare: no wrap at the edge
        if room < 5:
            return fit(f"{self.what} {counts}", max(self.columns - 1, 1)).rstrip()
        filled = int(room * done / max(total, 1))
        return f"{self.what} [{'#' * filled}{' ' * (room - filled)}] {counts}"

    def erase(self) -> None:
        """Take the bar off the screen (spaces over it: no escape sequence needed)."""
        if self.drawn:
            sys.stderr.write("\r" + " " * self.drawn + "\r")
            sys.stderr.flush()
            self.drawn = 0


def _columns(stream: Any) -> int:
    """The width of the terminal `stream` writes to; COLUMNS or 80 when it cannot be asked."""
    import shutil

    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):
        return shutil.get_terminal_size().columns

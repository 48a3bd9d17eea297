"""Tables on a terminal that fit its width: when the rows are wider than the screen, columns
give way in the order the table gives them (cropped, wrapped at words, moved under their row
onto lines of their own, or left out), and a path or a URL is never split over lines: it is
cropped with `…` in the middle at worst. Rich draws the text (wide Hangul measured right,
highlights kept); this module decides the widths. The commands' tables are defined here too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reader.cli.i18n import t

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segment
    from rich.text import Text

GAP = 2  # spaces between two columns
NARROWEST = 6  # a column shrunk past the table's steps (a very narrow terminal) stops here

Fit = Literal["keep", "wrap", "crop", "middle"]
Under = Literal["never", "narrow", "always"]


@dataclass(frozen=True)
class Column:
    """A column: `fit` says how it takes less room: keep (never: numbers, dates), wrap (at
    words: titles), crop (one line, `…` at the end: tags) or middle (one line, `…` in the
    middle: paths, URLs). `under="narrow"`: taken out of the row, it goes under it (after
    `label`), on lines of the screen's width; `under="always"`: always there (a snippet).
    `header` (English) names the column in the table's steps; it is shown translated."""

    header: str
    style: str = ""
    fit: Fit = "keep"
    under: Under = "never"
    label: str = ""


@dataclass(frozen=True)
class Table:
    """Columns, and the order in which they give way when the row is wider than the screen:
    each step (header, cells) shrinks that column to that many cells at most (as its `fit`
    says), or, with 0, takes it out of the row (under it, or not shown). Steps stop once the
    row fits; room a step left over goes back to the columns shrunk before it."""

    columns: tuple[Column, ...]
    steps: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Layout:
    """Which columns share the row, at which widths, and which go under it."""

    row: list[int]
    widths: dict[int, int]
    under: list[int]


# The commands' tables, and the order in which their columns give way on a narrow terminal:
# what tells least goes first; a path or a URL is cropped in the middle or moved under its
# row, never split over lines; a title wraps, to two lines at 80 columns where it can.
PATH = Column("path", "dim", "middle")
POSTS_TABLE = Table(
    (
        Column("date", "dim"),
        Column("", "yellow"),  # ! warnings, D draft
        Column("title", "bold", "wrap"),
        Column("categories", "green", "crop"),
        Column("tags", "cyan", "crop"),
        PATH,
    ),
    (
        ("path", 36),
        ("tags", 8),
        ("categories", 10),
        ("categories", 0),
        ("title", 28),
        ("path", 28),
        ("title", 24),
        ("path", 20),
    ),
)
LINKS_TABLE = Table(
    (
        Column("#", "bold"),
        Column("kind", "cyan"),
        Column("", "bold red"),  # BROKEN
        Column("text", "", "wrap"),
        Column("url", "dim", "middle", under="narrow"),
        Column("leads to", "green", "wrap", under="narrow", label="→ "),
        Column("line", "dim"),
    ),
    (("url", 0), ("leads to", 0), ("text", 16)),
)
BACKLINKS_TABLE = Table(
    (Column("title", "bold", "wrap"), PATH, Column("line", "dim"), Column("context", "", "wrap", under="narrow")),
    (("context", 0), ("path", 36), ("title", 24), ("path", 20)),
)
RELATED_TABLE = Table(
    (Column("#", "bold"), Column("title", "bold", "wrap"), Column("why", "", "wrap", under="narrow"), PATH),
    (("why", 0), ("path", 36), ("title", 24), ("path", 20)),
)
HITS_TABLE = Table(
    (
        Column("#", "bold"),
        Column("post", "", "wrap"),
        Column("date", "dim"),
        PATH,
        Column("snippet", under="always"),  # on lines of its own, the screen's width
    ),
    (("post", 28), ("path", 40), ("path", 28), ("post", 24), ("path", 20)),
)

TABLES = {
    "posts": POSTS_TABLE,
    "links": LINKS_TABLE,
    "backlinks": BACKLINKS_TABLE,
    "related": RELATED_TABLE,
    "hits": HITS_TABLE,
}


def layout(table: Table, natural: Sequence[int], width: int) -> Layout:
    """The widths for a screen of `width` cells, from each column's widest cell (`natural`,
    its header counted; 0: an empty column, left out)."""
    columns = table.columns
    under = [i for i, c in enumerate(columns) if c.under == "always" and natural[i]]
    row = [i for i, c in enumerate(columns) if c.under != "always" and natural[i]]
    widths = {i: natural[i] for i in row}

    def total() -> int:
        return sum(widths[i] for i in row) + GAP * max(len(row) - 1, 0)

    shrunk: list[tuple[int, int]] = []  # (column, its width before), to give room back
    for header, least in table.steps:
        i = next(n for n, c in enumerate(columns) if c.header == header)
        if total() <= width:
            break
        if i not in row or len(row) == 1:
            continue
        if not least:
            row.remove(i)
            if columns[i].under == "narrow":
                under.append(i)
            continue
        before = widths[i]
        widths[i] -= min(max(before - least, 0), total() - width)
        shrunk.append((i, before))
    for i, before in reversed(shrunk):
        if i in row and width > total():
            widths[i] += min(width - total(), before - widths[i])
    shrinkable = [i for i in row if columns[i].fit != "keep"]
    while total() > width and shrinkable:  # a very narrow screen: the widest gives a cell at a time
        widest = max(shrinkable, key=lambda i: widths[i])
        if widths[widest] <= NARROWEST:
            break
        widths[widest] -= 1
    # Still too wide (many columns, or a narrower screen): the last text column is left out (or
    # goes under its row), and the room that frees goes back to the texts left. A number or a
    # date never gives way: wider than the screen, the terminal would break it over two lines.
    while total() > width and len(row) > 1:
        texts = [i for i in row if columns[i].fit != "keep"]
        gone = texts[-1] if texts else row[-1]
        row.remove(gone)
        if columns[gone].under == "narrow":
            under.append(gone)
        for i in texts[:-1]:
            widths[i] += min(max(width - total(), 0), natural[i] - widths[i])
    under.sort()
    return Layout(row, widths, under)


def draw(console: Console, table: Table, rows: Sequence[Sequence[Text]]) -> list[list[Segment]]:
    """The table's lines as Rich segments, none wider than the console, for cells made Text.
    Each cell is measured once (a Hangul string is measured a character at a time)."""
    from rich.segment import Segment
    from rich.text import Text

    columns = table.columns
    headers = [t(c.header) if c.header else "" for c in columns]  # Korean ones: two cells a syllable
    sizes = [[cell.cell_len if cell.plain else 0 for cell in row] for row in rows]
    natural = [
        int(any(size[i] for size in sizes))  # under its row: only whether it has anything
        if column.under == "always"
        else max([_cells(headers[i])] + [size[i] for size in sizes])
        for i, column in enumerate(columns)
    ]
    plan = layout(table, natural, console.width)
    header = [Text(h, style="bold") for h in headers]
    lines = _join(
        console,
        plan,
        [_fit(header[i], _cells(headers[i]), plan.widths[i], "crop", console) for i, _ in _each(columns, plan)],
    )
    # Lines under a row start where its second column does, after a number or a date; under
    # a row that starts with text (a title), a little in.
    first = plan.row[0] if plan.row else None
    indent = plan.widths[first] + GAP if first is not None and columns[first].fit == "keep" else 2 * GAP
    for cells, size in zip(rows, sizes, strict=True):
        shown = list(cells)
        below = [i for i in plan.under if size[i]]
        for i in below[:]:  # the same text in the row (a link whose text is its URL): shown once
            same = next((j for j in plan.row if cells[j].plain == cells[i].plain), None)
            if same is not None and size[same] <= plan.widths[same]:
                below.remove(i)
            elif same is not None:
                shown[same] = Text()  # too long for its column: whole on its own line instead
        parts = [
            _fit(shown[i], size[i] if shown[i].plain else 0, plan.widths[i], c.fit, console)
            for i, c in _each(columns, plan)
        ]
        lines += _join(console, plan, parts)
        for i in below:
            text = Text(columns[i].label) + cells[i] if columns[i].label else cells[i]
            fit: Fit = "wrap" if columns[i].fit in ("keep", "wrap") else columns[i].fit
            for line, _ in _fit(text, text.cell_len, console.width - indent, fit, console):
                lines.append([Segment(" " * indent), *line.render(console)])
    return lines


def _each(columns: Sequence[Column], plan: Layout) -> list[tuple[int, Column]]:
    return [(i, columns[i]) for i in plan.row]


def _fit(text: Text, size: int, width: int, fit: Fit, console: Console) -> list[tuple[Text, int]]:
    """`text` (`size` cells) in lines of at most `width` cells as `fit` says, with their sizes."""
    if size <= width:
        return [(text, size)]
    if fit == "wrap":
        return [(line, line.cell_len) for line in text.wrap(console, width, overflow="fold")]
    cropped = _crop(text, width, fit)
    return [(cropped, cropped.cell_len)]


def _crop(text: Text, width: int, fit: Fit) -> Text:
    """One line of at most `width` cells: `…` at the end, or (middle) between the start and
    the end: a URL's site and its page, half each; a path's first folder (when short) and as
    much of its end, the file's name, as fits."""
    if fit != "middle" or width < 5:
        cropped = text.copy()
        cropped.truncate(width, overflow="ellipsis")
        return cropped
    plain = text.plain
    if "://" in plain:
        head = _chars_within(plain, (width - 1) // 2)
    else:
        folder = plain.find("/") + 1  # `_posts/`, `source/`, `content/`: which tree it is in
        head = folder if 0 < _cells(plain[:folder]) <= (width - 1) // 3 else 0
    tail = len(plain) - _chars_within(plain[::-1], width - 1 - _cells(plain[:head]))
    out = text[:head]
    out.append("…")
    out.append_text(text[tail:])
    return out


def _chars_within(plain: str, cells: int) -> int:
    """How many of `plain`'s first characters fit in `cells`."""
    from rich.cells import cell_len

    used = 0
    for n, char in enumerate(plain):
        used += cell_len(char)
        if used > cells:
            return n
    return len(plain)


def _cells(plain: str) -> int:
    from rich.cells import cell_len

    return cell_len(plain)


def _join(console: Console, plan: Layout, cells: list[list[tuple[Text, int]]]) -> list[list[Segment]]:
    """The screen lines of one row: each column's lines side by side, padded to its width
    (no spaces written after the last text of a line)."""
    from rich.segment import Segment

    height = max((len(lines) for lines in cells), default=0)
    out = []
    for n in range(height):
        line: list[Segment] = []
        owed = 0  # spaces before the next text
        for k, (i, lines) in enumerate(zip(plan.row, cells, strict=True)):
            owed += GAP if k else 0
            text, size = lines[n] if n < len(lines) else (None, 0)
            if text is not None and size:
                if owed:
                    line.append(Segment(" " * owed))
                line += text.render(console)
                owed = plan.widths[i] - size
            else:
                owed += plan.widths[i]
        out.append(line)
    return out

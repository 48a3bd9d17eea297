"""A post's table drawn in the width it is given, a word of a cell kept whole wherever the words fit.

Rich narrows a table too wide for the pane from its widest column down, past that column's
longest word while a narrower column has room to spare, and folds the word: `-1.1930` in a
table of five such numbers was drawn as `-1.193` over `0` in the app's 54-column pane. Here
each column keeps at least its longest word and the room left goes to the columns whose
lines would wrap, in proportion to what each lacks; when even the longest words do not fit
with a space either side of each cell, the cells lose that space (the rules still part
them) before a word is folded, and then only the columns of the longest words are cut. A
table that fits is drawn as Rich draws it.

A word folded in its cell says so: each line it goes on to starts with `↪` (`CellText`), so
`2.303168e-11` cut in a column of seven cells reads `2.30316` over `↪8e-11`, not as two numbers
(not where the site breaks such a word too: at a hyphen, between Hangul syllables).
"""

from __future__ import annotations

import copy
import re

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.table import Table
from rich.text import Text

from reader.posts.text import cell_width, char_widths

UNBOUNDED = 1 << 20  # a width no line of a cell reaches
CONTINUED = "↪"  # starts each line a folded word goes on to (East Asian width neutral: one cell)
_WORD = re.compile(r"\S+")
_SPACES_UNSEEN = "\u200b\u2060\ufeff"  # zero-width spaces: a line may break after one, unmarked
# Where a word breaks with no mark: after a hyphen between two letters (`Fully-` over `connected`),
# before a link's number (`al.(2015)` over `[268]`).
_BREAK = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])|(?<=\S)(?=\[\d+\])")


class CellText:
    """A table cell's text, drawn as Rich wraps it, but a word longer than the cell's width is
    broken into lines of it, each after the first starting with CONTINUED (in `style`)."""

    def __init__(self, text: Text, style: Style | str = "") -> None:
        self.text = text
        self.style = style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield continued(self.text, options.max_width, self.style)


def continued(text: Text, width: int, style: Style | str = "") -> Text:
    """`text` with each word wider than `width` cells broken into lines of at most `width`
    cells; `text` itself when every word fits. A line ends at the word's last `_BREAK` that fits,
    else as late as fits, and then the line after starts with CONTINUED unless the cut is next
    to a wide character (Hangul, CJK), where the site breaks a line anyway (`상대적으` over `로`)."""
    plain = text.plain
    cuts: list[tuple[int, bool]] = []  # where a word goes on to its next line, and whether marked
    if width >= 2:
        for match in _WORD.finditer(plain):
            if cell_width(match.group()) > width:
                cuts += _cuts(plain, match.start(), match.end(), width)
    if not cuts:
        return text
    out = text.blank_copy()
    start = 0
    for cut, marked in cuts:
        out.append_text(text[start:cut])
        out.append("\n")
        if marked:
            out.append(CONTINUED, style)
        start = cut
    out.append_text(text[start:])
    return out


def _cuts(plain: str, start: int, end: int, width: int) -> list[tuple[int, bool]]:
    """The cuts of the word `plain[start:end]` into lines of `width` cells (see `continued`),
    never inside what is drawn as one (a letter and its accent, an emoji and its joined parts)."""
    widths = [w for _, w in char_widths(plain[start:end])]
    # Where a line may end: before a character that takes cells of its own, not after a joiner.
    whole = [
        i > 0 and widths[i] > 0 and plain[start + i - 1] != "\u200d" and plain[start + i] != "\ufe0f"
        for i in range(len(widths))
    ]
    cuts: list[tuple[int, bool]] = []
    marked = False
    first = 0  # the line's first character, counted from `start`
    while sum(widths[first:]) + marked > width:
        room, used, at = width - marked, 0, first
        fits = first + 1  # a first character wider than the room goes over all the same
        while at < len(widths) and used + widths[at] <= room:
            used += widths[at]
            at += 1
            if at < len(widths) and whole[at]:
                fits = max(fits, at)
        while fits < len(widths) and not whole[fits]:
            fits += 1  # the rest of what the first character starts
        if fits >= len(widths):
            break
        found = _BREAK.finditer(plain, start + first, end)
        breaks = [b.end() - start for b in found if first < b.end() - start <= fits]
        if breaks:
            fits, marked = breaks[-1], False
        else:
            marked = _mid_word(plain, start + fits)
        cuts.append((start + fits, marked))
        first = fits
    return cuts


def _mid_word(plain: str, at: int) -> bool:
    """Whether a cut at `at` falls where the site would not break a line: between two narrow
    characters (an accent goes with its letter), no zero-width space between them."""
    before = at - 1
    while before > 0 and cell_width(plain[before]) == 0:
        if plain[before] in _SPACES_UNSEEN:
            return False
        before -= 1
    return cell_width(plain[before]) == 1 and cell_width(plain[at]) == 1


class FittedTable:
    """`table`, its columns given widths that keep its words whole at the width it is drawn in."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.bare = copy.copy(table)
        self.bare.padding = (0, 0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.fitted(console, options)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = Measurement.get(console, options, self.table)
        words = Measurement.get(console, options, self.bare)
        return Measurement(min(widest.minimum, words.minimum), widest.maximum)

    def fitted(self, console: Console, options: ConsoleOptions) -> RenderableType:
        """The table to draw at `options.max_width`: as it is if it fits or no width helps."""
        columns = self.table.columns
        if not columns:
            return self.table
        extents = [_extent(console, options, column.header, list(column.cells)) for column in columns]
        shortest = [low for low, _ in extents]
        longest = [high for _, high in extents]
        for table in (self.table, self.bare):
            room = options.max_width - _frame(table) - _padding(table) * len(columns)
            if sum(longest) <= room:
                return table  # no line of a cell wraps: Rich's own widths
            if sum(shortest) <= room:
                return _with_widths(table, _shared(room, shortest, longest))
        room = options.max_width - _frame(self.bare)
        if room < len(columns):
            return self.bare  # not a cell each: Rich's own last resort
        return _with_widths(self.bare, _capped(room, shortest))


def _extent(
    console: Console, options: ConsoleOptions, header: RenderableType, cells: list[RenderableType]
) -> tuple[int, int]:
    """A column's longest word and longest line, in cells (measured unbounded: not cut to the pane)."""
    wide = options.update_width(UNBOUNDED)
    measured = [Measurement.get(console, wide, cell) for cell in [header, *cells]]
    return max(m.minimum for m in measured), max(m.maximum for m in measured)


def _frame(table: Table) -> int:
    """The columns a table's rules take: its edges and one between each two columns."""
    if not table.box:
        return 0
    return (2 if table.show_edge else 0) + len(table.columns) - 1


def _padding(table: Table) -> int:
    _top, right, _bottom, left = table.padding
    return left + right


def _shared(room: int, shortest: list[int], longest: list[int]) -> list[int]:
    """Each column its longest word, and `room` left over shared in proportion to what each lacks."""
    lacks = [high - low for low, high in zip(shortest, longest, strict=True)]
    spare, lacking = room - sum(shortest), sum(lacks)
    shares = [spare * lack // lacking for lack in lacks]
    left = spare - sum(shares)
    # The cells left over go one each to the columns that lack most after their share.
    for index in sorted(range(len(lacks)), key=lambda i: shares[i] - lacks[i])[:left]:
        shares[index] += 1
    return [low + share for low, share in zip(shortest, shares, strict=True)]


def _capped(room: int, shortest: list[int]) -> list[int]:
    """Widths within `room` that fold only the longest words: each column its longest word up to
    a cap as high as `room` allows, the cells left over one each to the columns cut to the cap."""
    cap = max(shortest)
    while cap > 1 and sum(min(low, cap) for low in shortest) > room:
        cap -= 1
    widths = [min(low, cap) for low in shortest]
    for index in [i for i, low in enumerate(shortest) if low > cap][: room - sum(widths)]:
        widths[index] += 1
    return widths


def _with_widths(table: Table, widths: list[int]) -> Table:
    sized = copy.copy(table)
    sized.columns = [copy.copy(column) for column in table.columns]
    for column, width in zip(sized.columns, widths, strict=True):
        column.width = width
    return sized

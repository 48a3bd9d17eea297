"""A block drawn beside a gutter: a quote's bar on each of its lines, as the site draws its border.

A grid with the bar in a cell of its own drew the bar beside a paragraph's first line only, and
the lines it wrapped onto stood under it, indented, as if out of the quote.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

from reader.posts.text import cell_width


class Gutter:
    """`body` drawn `width(first)` cells in from the left: `first` before its first line, `rest`
    before each line after it (the same bar for a quote; spaces under a footnote's mark)."""

    def __init__(self, body: RenderableType, first: str, rest: str, gutter_style: Style, style: Style) -> None:
        self.body = body
        self.first = first
        self.rest = rest
        self.gutter_style = gutter_style
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = cell_width(self.first)
        inner = options.update_width(max(1, options.max_width - width))
        lines = console.render_lines(self.body, inner, style=self.style, pad=False)
        for index, line in enumerate(lines):
            yield Segment(self.first if index == 0 else self.rest, self.gutter_style)
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        width = cell_width(self.first)
        body = Measurement.get(console, options.update_width(max(1, options.max_width - width)), self.body)
        return Measurement(body.minimum + width, body.maximum + width)

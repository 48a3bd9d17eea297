"""A code block: highlighted, and wrapped at the pane's edge with a visible ↪, never cut silently."""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

INDENT = 2
MARK = "↪ "


def highlighted(code: str, lang: str, theme: str) -> Text:
    """The code as a Text with syntax colours (plain for an unknown language)."""
    from rich.syntax import Syntax  # Pygments: ~0.1 s of imports, paid by the first code block shown

    syntax = Syntax(code, lang or "text", theme=theme, background_color="default")
    text = syntax.highlight(code)
    text.rstrip()
    return text


class CodeBlock:
    """Renders `text` (one Text, newline-separated lines) indented, wrapping long lines."""

    def __init__(self, text: Text, mark_style: Style) -> None:
        self.text = text
        self.mark_style = mark_style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(options.max_width, INDENT + 4), min(options.max_width, INDENT + widest))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(8, options.max_width - INDENT)
        for line in self.text.split("\n", allow_blank=True):
            for index, piece in enumerate(_pieces(line, width)):
                out = Text(" " * INDENT, no_wrap=True, overflow="ignore", end="\n")
                if index:
                    out.append(MARK, self.mark_style)
                out.append_text(piece)
                yield out


def _pieces(line: Text, width: int) -> Iterator[Text]:
    """`line` cut into pieces of at most `width` cells (the continuations leave room for ↪)."""
    plain = line.plain
    if cell_len(plain) <= width:
        yield line
        return
    cuts, used, limit = [], 0, width
    for offset, char in enumerate(plain):
        size = cell_len(char)
        if used + size > limit:
            cuts.append(offset)
            used, limit = 0, width - len(MARK)
        used += size
    yield from line.divide(cuts)

"""A display equation (`$$…$$`) as Rich draws it: its lines wrapped where an equation breaks well.

Rich wraps at spaces and folds what is left at the edge, so a long formula with
few spaces (`F1(w) = (2×Recall(w)×Precision(w))/(Recall(w)+Precision(w))`) ended
with its last `)` alone on a line. Here a line too long for the pane breaks where
a typesetter would: at a space, before a relation or an operator, after a comma or a
`/`, outside brackets rather than inside, and never right before a closing bracket,
a sub- or superscript or a combining accent, nor right after an opening bracket.
The lines it continues are indented.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text

from reader.posts.text import cell_width

OPENERS = "([{⟨⌊⌈"
CLOSERS = ")]}⟩⌋⌉"
RELATIONS = "=<>≤≥≠≈≡∼≃≅∝→⇒⇔↔←⟹⟺∈∉⊂⊆⊃⊇"
OPERATORS = "+-−±∓×·÷⋅∘"
HANG = "  "  # the indent of a line that continues the one above
NO_BREAK = 99  # a place where a line must not break (see _cost)
# An operator's name and the space after it (`log x`, `exp (`): its argument follows on its line.
OPERATOR_NAME = re.compile(r"(?<![A-Za-z])(?:log|ln|lg|exp|max|min|sup|inf|lim|sin|cos|tan|det|arg\w*|tr|Pr) $")


class MathBlock:
    """A display equation's text (one or more lines), wrapped by `wrap_math` at the width given."""

    def __init__(self, text: str, style: Style | str = "") -> None:
        self.text = text
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.text.split("\n"):
            for part in wrap_math(line, options.max_width):
                yield Text(part, style=self.style, overflow="fold", no_wrap=False)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_width(line) for line in self.text.split("\n")), default=0)
        return Measurement(min(widest, 8), widest)


@lru_cache(maxsize=1024)
def wrap_math(line: str, width: int) -> tuple[str, ...]:
    """`line` cut into lines of at most `width` cells (the ones after the first indented by HANG).
    A line indented to line up with the rows above (an aligned environment's `= c`) keeps its
    indent on each of its lines, unless that leaves less than half the width."""
    width = max(1, width)
    rest = line.lstrip(" ")
    indent = len(line) - len(rest)
    if indent:
        if 2 * indent > width or not rest:
            return wrap_math(rest, width)
        return tuple(" " * indent + part for part in wrap_math(rest, width - indent))
    hang = HANG if width >= 4 * len(HANG) + 8 else ""
    lines: list[str] = []
    rest = line.rstrip()
    room = width
    while cell_width(rest) > room:
        at = _break_at(rest, room)
        lines.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
        room = width - len(hang)
    lines.append(rest)
    return tuple(lines[:1] + [hang + part for part in lines[1:]])


def _break_at(line: str, room: int) -> int:
    """Where to end the first line of `line` (an index, 0 < it < len(line)): the place that fits
    in `room` cells where an equation breaks best (see _cost), the room left unused counting
    against it (fewer, fuller lines; never a line of a lone `=`); the later of two as good."""
    depth, used, spaces = 0, 0, 0  # brackets open, cells up to `at`, of them the spaces last
    best: tuple[int, int] | None = None  # (badness, index)
    starts = _line_starts(line)
    for at in range(1, len(line)):
        before = line[at - 1]
        if before in OPENERS:
            depth += 1
        elif before in CLOSERS:
            depth = max(0, depth - 1)
        used += cell_width(before)
        spaces = spaces + 1 if before == " " else 0
        shown = used - spaces
        if shown > room:
            break
        cost = _cost(line[at - 2] if at > 1 else "", before, starts[at], depth)
        if before == " " and OPERATOR_NAME.search(line, 0, at):
            cost = max(cost, depth * 10 + 8)  # as bad as between `f` and `(x)`: `exp` | `(…)`
        if cost >= NO_BREAK:
            continue
        badness = cost + 10 * (room - shown) // room + (5 if 4 * shown < room else 0)
        if best is None or badness <= best[0]:
            best = (badness, at)
    return best[1] if best is not None else _fold_at(line, room, starts)


def _line_starts(line: str) -> list[str]:
    """For each place in `line`, the character a line broken there starts with (spaces dropped)."""
    starts, following = [""] * len(line), ""
    for at in range(len(line) - 1, -1, -1):
        if line[at] != " ":
            following = line[at]
        starts[at] = following
    return starts


def _cost(earlier: str, before: str, char: str, depth: int) -> int:
    """How bad a line break between `before` and `char` is (`earlier` the character before
    them), `depth` brackets deep (NO_BREAK: never)."""
    if char in CLOSERS or before in OPENERS or _clings(char):
        return NO_BREAK  # a line never starts with `)`, `²`, an accent, nor ends with `(`
    if before == " ":
        kind = 1 if earlier in RELATIONS + OPERATORS else 0  # `a =` | `b`: better `a` | `= b`
    elif char in RELATIONS:
        kind = 1
    elif (char in OPERATORS and before not in OPERATORS + RELATIONS) or before in ",;":
        kind = 2
    elif before == "/":
        kind = 3
    elif before in CLOSERS and char in OPENERS:
        kind = 4  # `(a+b)(c+d)`: between two factors
    elif char in OPENERS:
        kind = 8  # `f(x)`: a function and its argument
    else:
        kind = 9  # inside a name or a number: only when nothing better fits
    return depth * 10 + kind


def _clings(char: str) -> bool:
    """A character that belongs to the one before it: a combining mark, a sub- or superscript."""
    if unicodedata.category(char) in ("Mn", "Me"):
        return True
    return unicodedata.decomposition(char).startswith(("<super>", "<sub>"))


def _fold_at(line: str, room: int, starts: list[str]) -> int:
    """Where a line with no good place to break is cut: as late as fits, keeping the rules of
    `_cost` unless nothing that fits can (a run of brackets wider than the pane: `a)))))…`)."""
    used, fits, good = 0, 1, 0
    for at in range(1, len(line)):
        used += cell_width(line[at - 1])
        if used > room:
            break
        fits = at
        if _cost("", line[at - 1], starts[at], 0) < NO_BREAK:
            good = at
    return good or fits

"""Fitting a search snippet into the cells a row really has, with the match in view.

The searcher cuts a window of about 160 characters around the best match
(the place with the most distinct query words). A list row has 30 to 100
cells, and a Hangul syllable takes two: this module picks, by cell width,
the part of that window to show, on one or two lines, so that the
highlighted words are always visible and have a little context before them.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

ELLIPSIS = "…"
LEAD_SHARE = 4  # up to a quarter of the space goes to the context before the match


def _cells(text: str) -> list[int]:
    return [cell_len(c) for c in text]


def _focus(text: str, highlights: Sequence[tuple[int, int]], widths: list[int], budget: int) -> int:
    """Where the best group of matches begins: the most distinct words that fit in `budget` cells."""
    if not highlights:
        return 0
    spans = sorted(highlights)
    best, best_score = spans[0][0], -1
    right = 0
    for left, (start, _) in enumerate(spans):
        while right < len(spans) and sum(widths[start : spans[right][1]]) <= budget:
            right += 1
        words = {text[a:b].lower().replace(" ", "") for a, b in spans[left:right]}
        score = len(words) * 100 + (right - left)
        if score > best_score:
            best, best_score = start, score
    return best


def fit(text: str, highlights: Sequence[tuple[int, int]], cells: int, lines: int = 1) -> list[Text]:
    """`lines` lines of at most `cells` cells each: the snippet around its best matches, marked."""
    cells = max(4, cells)
    widths = _cells(text)
    budget = cells * lines
    focus = _focus(text, highlights, widths, budget - budget // LEAD_SHARE)
    # Step back from the match for context, up to a quarter of the space, to a word start if one is near.
    start, lead = focus, 0
    while start > 0 and lead + widths[start - 1] <= budget // LEAD_SHARE:
        start -= 1
        lead += widths[start]
    if start > 0 and not text[start - 1].isspace():  # not in the middle of a word: from the next one
        space = text.find(" ", start, focus)
        if space >= 0:
            start = space + 1
    out: list[Text] = []
    at = start
    for number in range(lines):
        first, last = number == 0, number == lines - 1
        room = cells - (1 if first and at > 0 else 0)
        end, used = at, 0
        while end < len(text) and used + widths[end] <= room:
            used += widths[end]
            end += 1
        if last and end < len(text):
            while end > at and used + 1 > room:  # room for the closing ellipsis
                end -= 1
                used -= widths[end]
        elif end < len(text) and text[end] != " ":  # wrap at a space, keeping words whole
            space = text.rfind(" ", at, end)
            if space > at:
                end = space + 1
        line = Text(no_wrap=True)
        if first and at > 0:
            line.append(ELLIPSIS)
        offset = len(line.plain) - at
        line.append(text[at:end])
        for a, b in highlights:
            lo, hi = max(a, at), min(b, end)
            if lo < hi:
                line.stylize(Style(reverse=True, bold=True), lo + offset, hi + offset)
        if last and end < len(text):
            line.append(ELLIPSIS)
        out.append(line)
        at = end
        if at >= len(text):
            break
    return out

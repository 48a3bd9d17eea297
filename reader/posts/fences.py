"""CommonMark code fences, followed line by line: what is code and what is text."""

from __future__ import annotations

import re

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class Fences:
    """Where each line of a body stands against its fences (``` or ~~~, closed by a run
    of the same character at least as long)."""

    def __init__(self) -> None:
        self.open: str | None = None  # the marker of the fence we are in

    def code(self, line: str) -> bool:
        """Whether `line` is a fence line or inside a fence; the state moves past it."""
        opening = FENCE.match(line)
        if self.open is not None:
            if opening and opening.group(1)[0] == self.open[0] and len(opening.group(1)) >= len(self.open):
                self.open = None
            return True
        if opening:
            self.open = opening.group(1)
            return True
        return False

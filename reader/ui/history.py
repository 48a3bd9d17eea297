"""Back and forward through the posts opened, each with the place the reader was at."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    path: str
    line: int = 0  # the first rendered line on screen
    width: int = 0  # the width it was rendered at: the same width, the same line exactly
    source_line: int = 0  # else the file line of the block on top (the text re-wraps)
    share: float = 0.0  # and how far into that block (0 to 1)


@dataclass
class History:
    back: list[Place] = field(default_factory=list)
    forward: list[Place] = field(default_factory=list)
    limit: int = 200

    def visit(self, leaving: Place | None) -> None:
        """A new post is opened (not by back/forward): remember where we were."""
        if leaving is not None:
            self.back.append(leaving)
            del self.back[: -self.limit]
        self.forward.clear()

    def go_back(self, current: Place | None) -> Place | None:
        if not self.back:
            return None
        if current is not None:
            self.forward.append(current)
        return self.back.pop()

    def go_forward(self, current: Place | None) -> Place | None:
        if not self.forward:
            return None
        if current is not None:
            self.back.append(current)
        return self.forward.pop()

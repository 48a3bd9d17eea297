"""Back and forward through the posts opened, each with the place the reader was at, and
which of those moves were links followed (Esc goes back along them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    path: str
    line: int = 0  # the first rendered line on screen
    width: int = 0  # the width it was rendered at: the same width, the same line exactly
    source_line: int = 0  # else the file line of the block on top (the text re-wraps)
    share: float = 0.0  # and how far into that block (0 to 1)


@dataclass(frozen=True)
class Step:
    """A place in the history, and whether the reader went between it and the place next to
    it towards the present (the one after it going back, before it going forward) by a link."""

    place: Place
    by_link: bool = False


@dataclass
class History:
    back: list[Step] = field(default_factory=list)
    forward: list[Step] = field(default_factory=list)
    limit: int = 200

    def visit(self, leaving: Place | None, by_link: bool = False) -> None:
        """A new post is opened (not by back/forward), by a link followed or not: remember where we were."""
        if leaving is not None:
            self.back.append(Step(leaving, by_link))
            del self.back[: -self.limit]
        self.forward.clear()

    def go_back(self, current: Place | None) -> Place | None:
        if not self.back:
            return None
        step = self.back.pop()
        if current is not None:
            self.forward.append(Step(current, step.by_link))
        return step.place

    def go_forward(self, current: Place | None) -> Place | None:
        if not self.forward:
            return None
        step = self.forward.pop()
        if current is not None:
            self.back.append(Step(current, step.by_link))
        return step.place

    def steps_to_link(self, path: str) -> int | None:
        """How many steps back lead to the post the reader followed a link from to reach the
        post `path` (over the jumps inside `path` since: a heading link, the outline); None when
        `path` was not reached by a link."""
        for steps, step in enumerate(reversed(self.back), start=1):
            if step.place.path != path:
                return steps if step.by_link else None
        return None

    def back_along_link(self, current: Place) -> Place | None:
        """Back to the post a link was followed from to reach `current`'s post, where the reader
        was in it (forward comes back the same way); None, and nothing changes, when there is none."""
        steps = self.steps_to_link(current.path)
        if steps is None:
            return None
        place: Place | None = current
        for _ in range(steps):
            place = self.go_back(place)
        return place

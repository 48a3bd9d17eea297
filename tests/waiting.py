"""Waiting for states, never for times: helpers for Pilot tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

DEADLINE = 30.0  # seconds; only ever reached when the state never comes (a failure)


async def until(pilot: Any, condition: Callable[[], object], what: str = "", timeout: float = DEADLINE) -> None:
    """Let the app run until `condition()` holds; fail with `what` if it never does."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the app never reached the state: {what or condition}")
        await pilot.pause()


async def laid_out(pilot: Any) -> None:
    """The screen's layout is current: a widget's region is where the next frame draws it.

    A click is aimed by the target's region but lands on whatever is drawn there once
    the pending layout is done (a header that grew moves the body under the aim), so
    aim after this. Textual keeps its flags private; it has no public one.
    """
    screen = pilot.app.screen

    def done() -> bool:
        return not any(widget._layout_required for widget in screen.walk_children(with_self=True))

    await until(pilot, done, "the screen laid out")


def main(app: Any) -> Any:
    return app.main


async def ready(pilot: Any) -> None:
    """The posts are read, the index is in step and the first post is on screen, rendered."""
    screen = pilot.app.main
    await until(
        pilot,
        lambda: (
            screen.loaded
            and screen.index_ready
            and screen.open_path is not None
            and screen.query_one("#post-body").document is not None
        ),
        "posts loaded, index ready, post shown",
    )


async def shown(pilot: Any, path: str) -> None:
    """`path` is the open post and its body is parsed and on screen."""
    screen = pilot.app.main
    body = screen.query_one("#post-body")
    await until(
        pilot,
        lambda: (
            screen.open_path == path
            and body.document is not None
            and screen.open_post_data is not None
            and not screen.open_post_data.stub
        ),
        f"{path} shown",
    )

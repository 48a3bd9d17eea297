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

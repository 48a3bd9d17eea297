"""A key's effect is confirmed in the status line, not in a toast over the post being read;
real warnings and errors still toast."""

from __future__ import annotations

import pytest

from reader.ui import main_screen
from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.waiting import ready, until

MATH = "math.md"


def status(app) -> str:
    return str(app.main.query_one("#status").render())


def covered(app) -> set[str]:
    """What lies on the post's text, cell by cell (a toast, or the post itself)."""
    box = app.main.query_one(PostBody).region
    return {
        type(app.screen.get_widget_at(x, y)[0]).__name__
        for y in range(box.y, box.bottom)
        for x in range(box.x, box.right)
    }


@pytest.mark.parametrize("size", [(80, 24), (150, 45)])
async def test_math_and_maximize_are_confirmed_in_the_status_line_not_over_the_post(tmp_path, size, monkeypatch):
    # A confirmation heads the line for SAID_FOR seconds: on a machine busy enough that a key takes
    # longer, it was gone before it was read (a full run under load). The test that it goes is below.
    monkeypatch.setattr(main_screen, "SAID_FOR", 600.0)
    root = write_blog(tmp_path / "site", {MATH: "---\ntitle: 수식\n---\n" + "$$\n{ w }_{ t-1 }\n$$\n\n문단.\n\n" * 20})
    app = app_for(root, tmp_path)
    async with app.run_test(size=size, notifications=True) as pilot:
        await ready(pilot)
        screen = app.main
        await open_row(pilot, MATH)
        await pilot.press("dollar_sign")
        assert "math as written ($…$)" in status(app)
        await pilot.press("dollar_sign")
        assert "math as symbols" in status(app) and "math as written" not in status(app)  # one replaces the other
        await pilot.press("z")
        assert "post maximized (z: back)" in status(app) and "math" not in status(app)
        await pilot.press("z")
        assert "panes back" in status(app)
        await pilot.pause()
        assert not screen.query("Toast")
        assert covered(app) == {"PostBody", "ScrollBar"}  # every cell of the post is the post's
        # An error is no confirmation: it toasts (no editor can run in a test's terminal).
        monkeypatch.setenv("VISUAL", "vi")
        await pilot.press("e")
        await until(pilot, lambda: screen.query("Toast"), "the error shown")
        assert "cannot run vi" in str(screen.query_one("Toast").render())


async def test_a_confirmation_leaves_the_status_line_after_a_while(tmp_path, monkeypatch):
    """`z` says "post maximized" at the head of the line; SAID_FOR later the line is at rest."""
    monkeypatch.setattr(main_screen, "SAID_FOR", 0.2)
    root = write_blog(tmp_path / "site", {MATH: "---\ntitle: 수식\n---\n문단.\n"})
    app = app_for(root, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await open_row(pilot, MATH)
        await pilot.press("z")
        await until(
            pilot, lambda: "post maximized" not in status(app) and "index ready" in status(app), "the line at rest"
        )

"""What a new user's trial found in the app, driven by keys: the help scrolled by the reader's own
keys, and `? Help` in the key hints while the search box has the focus."""

from __future__ import annotations

import pytest

from reader.ui.screens import HelpScreen
from tests.app_fixtures import app_for
from tests.sites import BLOG, write_blog
from tests.waiting import ready, until


@pytest.fixture
def site(tmp_path):
    return write_blog(tmp_path / "site", BLOG)


async def test_the_help_scrolls_with_j_k_g_and_G(site, tmp_path):
    """The help listed `G, end` and the rest, but only PageDown and End scrolled it."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        body = app.screen.query_one("VerticalScroll")
        await until(pilot, lambda: body.max_scroll_y > 2, "the help taller than the screen")
        await pilot.press("G")
        await until(pilot, lambda: body.scroll_y == body.max_scroll_y, "G: the end of the help")
        await pilot.press("k")
        await until(pilot, lambda: body.scroll_y == body.max_scroll_y - 1, "k: a line up")
        await pilot.press("g")
        await until(pilot, lambda: body.scroll_y == 0, "g: the top")
        await pilot.press("j")
        await until(pilot, lambda: body.scroll_y == 1, "j: a line down")
        await pilot.press("space")
        await until(pilot, lambda: body.scroll_y > 2, "space: a page down")
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "q closes it still")


def key_hints(app) -> list[str]:
    return app.main.query_one("#keys").render_line(0).text.split("  ")


async def test_help_is_in_the_key_hints_while_the_search_box_is_focused(site, tmp_path):
    """At 80×24 the box took `?` as text and the hints dropped `? Help`: they say how to reach it."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await until(pilot, lambda: app.main.focused is app.main.search_box, "the search box")
        await until(pilot, lambda: "esc then ? Help" in key_hints(app), "the help in the hints")
        await pilot.press("question_mark")  # typed into the box, as the hint says it would be
        await until(pilot, lambda: app.main.search_box.value == "?", "? typed")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("backspace", "escape", "question_mark")  # what the hint says
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")

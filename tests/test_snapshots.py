"""SVG snapshots of the main screens at a fixed size (pytest-textual-snapshot).

Update with `pytest tests/test_snapshots.py --snapshot-update` after checking
the new pictures by eye.
"""

from __future__ import annotations

import pytest

from reader.ui.app import build_app
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from tests.conftest import POSTS

SIZE = (130, 40)


@pytest.fixture
def app(tmp_path):
    return build_app(POSTS, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "config.toml")


async def until(pilot, condition, timeout: float = 30.0) -> None:
    """Wait for a state, not for a time: a busy CI machine is slower than this one."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never reached the state the snapshot needs")


async def until_ready(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.index_ready and app.open_path is not None
                and app.query_one(PostBody).fully_rendered)
    app.query_one("#search").cursor_blink = False
    await pilot.pause(0.3)


def test_main_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=until_ready)


def test_search_results(snap_compare, app):
    async def search(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("slash")
        app = pilot.app
        # Pasted in one go: typed key by key on a loaded machine, each key can start
        # its own search, and the picture came out the same but its SVG ids did not.
        app.query_one("#search").insert_text_at_cursor("자연어처리")
        await until(pilot, lambda: app.search_result is not None and app.search_result.query == "자연어처리"
                    and app.open_path == app.query_one(PostList).rows[0].path
                    and app.query_one(PostBody).fully_rendered)
        await pilot.press("down")  # into the results, as a reader would
        await until(pilot, lambda: app.focused is app.query_one(PostList))
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_link_panel(snap_compare, app):
    async def links(pilot) -> None:
        await until_ready(pilot)
        post_list = pilot.app.query_one(PostList)
        post_list.cursor = [r.path for r in post_list.rows].index("2026-01-10-links-showcase.md")
        await until(pilot, lambda: pilot.app.open_path == "2026-01-10-links-showcase.md"
                    and pilot.app.query_one(PostBody).fully_rendered)
        await pilot.press("l")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=links)


def test_help_screen(snap_compare, app):
    async def help_screen(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=help_screen)

"""SVG snapshots of the main screens at a fixed size (pytest-textual-snapshot).

Update with `pytest tests/test_snapshots.py --snapshot-update` after checking
the new pictures by eye.
"""

from __future__ import annotations

import pytest

from reader.ui.app import build_app
from reader.ui.post_list import PostList
from tests.conftest import POSTS

SIZE = (130, 40)


@pytest.fixture
def app(tmp_path):
    return build_app(POSTS, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "config.toml")


async def until_ready(pilot) -> None:
    for _ in range(200):
        if pilot.app.index_ready:
            break
        await pilot.pause(0.05)
    pilot.app.query_one("#search").cursor_blink = False
    await pilot.pause(0.3)


def test_main_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=until_ready)


def test_search_results(snap_compare, app):
    async def search(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("slash", *"자연어처리")
        await pilot.pause(0.6)

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_link_panel(snap_compare, app):
    async def links(pilot) -> None:
        await until_ready(pilot)
        post_list = pilot.app.query_one(PostList)
        post_list.cursor = [r.path for r in post_list.rows].index("2026-01-10-links-showcase.md")
        await pilot.pause(0.3)
        await pilot.press("l")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=links)


def test_help_screen(snap_compare, app):
    async def help_screen(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.3)

    assert snap_compare(app, terminal_size=SIZE, run_before=help_screen)

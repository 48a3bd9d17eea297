"""The way back from a post, driven by keys: Esc from a post a link led to comes back to the post
left, where the reader was, at any width; the key hints say what Esc does when the post is alone;
and the connections panel (`L`) says it is looking until its answer comes, whatever comes."""

from __future__ import annotations

import pytest

from reader.library import Library
from reader.ui import i18n
from reader.ui.connections import ConnectionsPanel
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, hold_first_build, hold_library, open_row
from tests.sites import BLOG, FILLER, write_blog
from tests.waiting import ready, shown, until

NARROW, WIDE = (80, 24), (120, 36)
WELCOME = "_posts/2026-01-05-welcome.md"
KEYS = "_posts/2026-01-06-keys.md"
ML = "_posts/2025-11-20-machine-learning.md"
DJANGO = "_posts/2025-08-01-django.md"
LONG = "_posts/2026-01-12-long.md"
LONG_POST = (
    "---\ntitle: 긴 안내\ndate: 2026-01-12\n---\n"
    + FILLER * 8
    + "[키 안내](2026-01-06-keys.md)로 이어집니다.\n\n"
    + FILLER * 8
)


@pytest.fixture
def site(tmp_path):
    return write_blog(tmp_path / "site", {**BLOG, LONG: LONG_POST})


def shown_panes(app) -> list[str]:
    ids = {"sidebar": "sidebar", "post-list": "list", "right": "post"}
    return [name for wid, name in ids.items() if app.main.query_one(f"#{wid}").display]


def key_hints(app) -> list[str]:
    """The key hints as drawn, one a hint."""
    return app.main.query_one("#keys").render_line(0).text.strip().split("  ")


def row_of(panel: ConnectionsPanel, path: str) -> int:
    """The panel's row that opens `path`."""
    ids = [panel.get_option_at_index(i).id for i in range(panel.option_count)]
    return next(i for i, key in enumerate(ids) if key in panel.targets and panel.targets[key][0] == path)


async def follow_link_to(pilot, target: str) -> None:
    """The link panel, the number of the link to `target`, Enter: as a reader follows a link."""
    screen = pilot.app.main
    number = next(link.n for link in screen.links if link.target == target)
    await pilot.press("l", *str(number), "enter")
    await shown(pilot, target)


# --- 1. Esc after following a link -------------------------------------------------------------


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80", "120"])
async def test_esc_from_a_post_a_link_led_to_comes_back_where_the_reader_was_then_goes_to_the_list(
    site, tmp_path, size
):
    """Under 100 columns Esc went to the list from the post a link opened, the post left out of
    sight; at 120 it put the focus in the list with that post still open. Both lost the reader's
    place in the post the link was in."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.main
        await open_row(pilot, LONG)
        body = screen.query_one(PostBody)
        body.focus()
        await pilot.press("space")  # read into it, the link in sight
        await until(pilot, lambda: body.scroll_y > 5, "read into the post")
        place = round(body.scroll_y)
        await follow_link_to(pilot, KEYS)
        assert shown_panes(app)[-1] == "post"

        await pilot.press("escape")
        await shown(pilot, LONG)  # the post the link was in, not the list
        await until(pilot, lambda: round(body.scroll_y) == place, "where the reader was in it")
        assert screen.focused is body
        assert "post" in shown_panes(app)
        assert screen.query_one(PostList).current.path == LONG  # the list's cursor follows

        await pilot.press("right_square_bracket")  # forward goes to the linked post again: so does Esc back
        await shown(pilot, KEYS)
        await pilot.press("escape")
        await shown(pilot, LONG)
        await until(pilot, lambda: round(body.scroll_y) == place, "where the reader was, again")

        await pilot.press("escape")  # reached from the list: Esc goes to it, as before
        await until(pilot, lambda: screen.focused is screen.query_one(PostList), "the list")
        assert shown_panes(app) == (["list"] if size == NARROW else ["sidebar", "list", "post"])
        assert screen.open_path == LONG


async def welcome_connections(pilot, screen) -> ConnectionsPanel:
    """The welcome post opened from the list, `L` pressed, and its connections listed."""
    await open_row(pilot, WELCOME)
    await pilot.press("L")
    panel = screen.query_one(ConnectionsPanel)
    await until(pilot, lambda: panel.path == WELCOME and panel.targets, "the welcome post's connections")
    return panel


async def test_esc_from_a_post_opened_from_the_connections_panel_comes_back(site, tmp_path):
    """A post opened from `L` (a post that links here, one like it) is a link followed too: Esc
    closes the panel, as it closes every panel under the post, then goes back."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        screen = app.main
        panel = await welcome_connections(pilot, screen)
        panel.highlighted = row_of(panel, KEYS)
        await pilot.press("enter")
        await shown(pilot, KEYS)
        await pilot.press("escape")  # the panel, still open on the post it led to, closes first
        await until(pilot, lambda: panel.has_class("hidden"), "the panel closed")
        assert screen.open_path == KEYS
        await pilot.press("escape")
        await shown(pilot, WELCOME)
        assert shown_panes(app) == ["post"]


@pytest.mark.parametrize("size", [NARROW, WIDE], ids=["80", "120"])
async def test_esc_closes_the_connections_panel_and_leaves_the_post_where_it_was(site, tmp_path, size):
    """Esc closed the link panel and the outline but not `L`'s panel: it went on to the list (or
    back along a link) with the panel still open under the post."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.main
        panel = await welcome_connections(pilot, screen)
        assert screen.focused is panel
        assert "esc" not in " ".join(key_hints(app))  # Esc's hint is the panel's to give, not "List"
        await pilot.press("escape")
        await until(pilot, lambda: panel.has_class("hidden"), "the panel closed")
        body = screen.query_one(PostBody)
        assert screen.focused is body
        assert screen.open_path == WELCOME
        assert "post" in shown_panes(app)


# --- 2. the key hints say the way back ---------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "to_list", "back", "help_hint"),
    [("en", "esc List", "esc Back", "? Help"), ("ko", "esc 목록", "esc 뒤로", "? 도움말")],
)
async def test_the_post_alone_at_80_columns_hints_esc_and_keeps_help(
    site, tmp_path, language, to_list, back, help_hint
):
    """At 80x24 the post takes the screen, and nothing at the bottom said how to get back."""
    if language == "ko":
        (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=NARROW) as pilot:
            await ready(pilot)
            await until(pilot, lambda: help_hint in key_hints(app), "the list's hints")
            assert not any(hint.startswith("esc") for hint in key_hints(app))  # the list: nothing to go back to
            await open_row(pilot, WELCOME)
            await until(pilot, lambda: to_list in key_hints(app), "Esc's way back to the list")
            hints = key_hints(app)
            assert hints[0] == to_list and help_hint in hints
            assert sum(len(hint) for hint in hints) + 2 * (len(hints) - 1) <= 78  # whole, none cut

            await follow_link_to(pilot, KEYS)  # reached by a link: Esc goes back to the welcome post
            await until(pilot, lambda: back in key_hints(app), "Esc's way back along the link")
            assert help_hint in key_hints(app) and to_list not in key_hints(app)
            await pilot.press("escape")
            await shown(pilot, WELCOME)
            await until(pilot, lambda: to_list in key_hints(app), "then the list")
    finally:
        i18n.set_language("en")


async def test_beside_the_list_esc_is_hinted_only_when_it_goes_back_along_a_link(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await ready(pilot)
        await open_row(pilot, WELCOME)
        await until(pilot, lambda: "l Links" in key_hints(app), "the post's hints")
        assert not any(hint.startswith("esc") for hint in key_hints(app))  # the list is in sight
        await follow_link_to(pilot, KEYS)
        await until(pilot, lambda: "esc Back" in key_hints(app), "Esc's way back along the link")
        assert {"l Links", "t Outline", "e Edit", "? Help", "q Quit"} <= set(key_hints(app))


# --- 3. the connections panel while it looks ---------------------------------------------------


def panel_lines(panel: ConnectionsPanel) -> list[str]:
    return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]


@pytest.mark.parametrize(
    ("language", "looking"),
    [("en", "finding links here and related posts…"), ("ko", "이 글을 가리키는 글과 비슷한 글을 찾는 중…")],
)
async def test_l_before_the_first_post_is_shown_says_it_is_looking(site, tmp_path, monkeypatch, language, looking):
    """`L` pressed while the posts were read opened an empty frame, no title, no word."""
    if language == "ko":
        (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    release = hold_library(monkeypatch, "read")
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=WIDE) as pilot:
            screen = app.main
            panel = screen.query_one(ConnectionsPanel)
            await pilot.press("L")
            await until(pilot, lambda: panel.display, "the panel open")
            assert screen.open_path is None
            assert panel_lines(panel) == [looking]
            release.set()
            await until(pilot, lambda: screen.open_path is not None and panel.path == screen.open_path, "a post")
            await until(pilot, lambda: looking not in panel_lines(panel), "its connections")
    finally:
        release.set()
        i18n.set_language("en")


async def test_a_post_opened_from_the_panel_is_looked_for_at_once_not_listed_as_the_last_one(
    site, tmp_path, monkeypatch
):
    """Until the next post was parsed, the panel went on listing the last post's connections
    under the new one's title: Enter there opened a post linked to the other one."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        screen = app.main
        panel = await welcome_connections(pilot, screen)
        release = hold_library(monkeypatch, "resolve_links")  # the next post's parse waits
        try:
            panel.highlighted = row_of(panel, KEYS)
            await pilot.press("enter")
            await until(pilot, lambda: screen.open_path == KEYS, "the keys post opening")
            await until(pilot, lambda: panel_lines(panel) == ["finding links here and related posts…"], "looking")
            assert panel.path == KEYS and not panel.targets
        finally:
            release.set()
        await shown(pilot, KEYS)
        await until(pilot, lambda: panel.path == KEYS and panel_lines(panel)[0].startswith("Links here ("), "listed")
        assert any("환영합니다" in line for line in panel_lines(panel))  # the welcome post links to it


async def test_related_posts_come_once_the_index_is_built_and_none_is_said(site, tmp_path, monkeypatch):
    """The panel said "related posts once the index is built" and went on saying it after."""
    release = hold_first_build(monkeypatch)
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=WIDE) as pilot:
            screen = app.main
            await until(pilot, lambda: screen.loaded and screen.open_path is not None, "the posts read")
            screen.open_post(DJANGO)  # no post links to it
            await shown(pilot, DJANGO)
            await pilot.press("L")
            panel = screen.query_one(ConnectionsPanel)
            await until(pilot, lambda: "  related posts once the index is built" in panel_lines(panel), "no index yet")
            assert "  no post links here" in panel_lines(panel)  # an empty answer says so
            assert panel.border_title == "links here (0) · related"  # not "related (0)": not looked for
            release.set()
            await until(pilot, lambda: screen.index_ready, "the index built")
            await until(pilot, lambda: panel.border_title.startswith("links here (0) · related ("), "related asked")
            lines = panel_lines(panel)
            assert "  related posts once the index is built" not in lines
            assert "  no related posts" in lines or len(panel.targets) > 0
    finally:
        release.set()


async def test_a_failure_to_find_them_ends_the_looking(site, tmp_path, monkeypatch):
    def broken(self, *args, **kwargs):
        raise OSError("disk gone")

    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        monkeypatch.setattr(Library, "backlinks", broken)
        await open_row(pilot, WELCOME)
        await pilot.press("L")
        panel = app.main.query_one(ConnectionsPanel)
        await until(pilot, lambda: panel_lines(panel) == ["could not find them: the status line says why"], "said")
        assert "disk gone" in str(app.main.query_one("#status").render())

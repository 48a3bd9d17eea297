"""The reader app driven with real keys through Textual's Pilot."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest
from textual import events

from reader.core.text import cell_width
from reader.ui.app import ReaderApp, build_app
from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody, PostHeader
from reader.ui.screens import ConfirmScreen, HelpScreen
from reader.ui.sidebar import Sidebar
from tests.conftest import POSTS

SIZE = (150, 45)


@pytest.fixture
def make_app(tmp_path):
    def make(posts: Path = POSTS, watch: bool = False) -> ReaderApp:
        return build_app(posts, index_dir=tmp_path / "index", watch=watch, settings_path=tmp_path / "config.toml")

    return make


async def ready(pilot) -> None:
    for _ in range(200):
        if pilot.app.index_ready:
            break
        await pilot.pause(0.05)
    assert pilot.app.index_ready
    await pilot.pause(0.1)


def header(app) -> str:
    return str(app.query_one(PostHeader).render())


def body_text(app) -> str:
    body = app.query_one(PostBody)
    body._ensure_lines(10_000)
    return "\n".join(strip.text for strip in body._lines)


async def move_to(pilot, path: str) -> None:
    post_list = pilot.app.query_one(PostList)
    post_list.focus()
    post_list.cursor = [r.path for r in post_list.rows].index(path)  # j/k themselves are tested above
    await pilot.pause(0.2)
    assert pilot.app.open_path == path


async def test_first_screen_lists_posts_newest_first_and_previews_the_first(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.query_one(PostList).rows
        assert rows[0].path == "2026-01-05-welcome.md"
        assert [r.date for r in rows] == sorted((r.date for r in rows), reverse=True)
        assert not any(r.draft for r in rows)  # drafts hidden by default
        assert app.open_path == "2026-01-05-welcome.md"
        assert "reader에 오신 것을 환영합니다" in header(app)
        assert "처음 열었을 때" in body_text(app)


async def test_j_k_g_G_move_and_preview(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.query_one(PostList).rows
        await pilot.press("j", "j")
        await pilot.pause(0.2)
        assert app.open_path == rows[2].path
        await pilot.press("k")
        await pilot.pause(0.2)
        assert app.open_path == rows[1].path
        await pilot.press("G")
        await pilot.pause(0.2)
        assert app.open_path == rows[-1].path
        await pilot.press("g")
        await pilot.pause(0.2)
        assert app.open_path == rows[0].path


async def test_holding_j_renders_only_where_the_cursor_rests(make_app, monkeypatch):
    app = make_app()
    shown: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        original = app._show
        monkeypatch.setattr(app, "_show", lambda path, m: (shown.append(path), original(path, m)))
        for _ in range(8):  # as fast as key repeat delivers them, no waiting in between
            app.post_message(events.Key("j", "j"))
        await pilot.pause(0.3)
        assert app.open_path == app.query_one(PostList).rows[8].path
        assert len(shown) <= 3  # coalesced, not eight renders


async def test_sidebar_filters_by_tag_and_category(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        sidebar = app.query_one(Sidebar)
        sidebar.focus()
        target = next(n for n in sidebar.root.children[2].children if n.data and n.data.value == "python")
        sidebar.move_cursor(target)
        await pilot.press("up", "down", "enter")
        await pilot.pause(0.2)
        paths = {r.path for r in app.query_one(PostList).rows}
        assert paths == {"2025-11-20-머신러닝-입문.md", "2025-08-01-django-tutorial.md", "broken/python-colon.md",
                         "broken/unclosed-bracket.md"}
        category = next(n for n in sidebar.root.children[1].children if n.data and n.data.value == "개발")
        sidebar.focus()
        sidebar.move_cursor(category)
        await pilot.press("down", "up", "enter")
        await pilot.pause(0.2)
        paths = {r.path for r in app.query_one(PostList).rows}
        assert "hexo-style-post.md" in paths and "2023-05-20-some-post.md" in paths


async def test_search_as_you_type_open_hit_and_step_matches(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        await pilot.press(*"머신러닝")
        await pilot.pause(0.6)
        rows = app.query_one(PostList).rows
        assert rows[0].path == "2025-11-20-머신러닝-입문.md"
        assert rows[0].snippet and rows[0].highlights
        assert next(rows[0].snippet[a:b] for a, b in rows[0].highlights) == "머신러닝"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.open_path == "2025-11-20-머신러닝-입문.md"
        body = app.query_one(PostBody)
        assert app.focused is body
        assert len(body.match_blocks) >= 2
        await pilot.press("n")
        assert app.match_index == 1
        await pilot.press("N")
        assert app.match_index == 0
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.query_one("#search").has_class("hidden")
        assert len(app.query_one(PostList).rows) > 10  # back to the full list


async def test_search_with_an_invalid_query_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "asterisk", "a", "b")
        await pilot.pause(0.6)
        assert "invalid query" in str(app.query_one("#status").render())


async def test_link_panel_numbers_post_links_and_history(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, "2026-01-10-links-showcase.md")
        await pilot.press("l")
        await pilot.pause(0.1)
        panel = app.query_one(LinkPanel)
        assert app.focused is panel and len(panel.links) == 22
        await pilot.press("1", "3", "enter")
        await pilot.pause(0.2)
        assert app.open_path == "2026-01-06-keys.md"
        await pilot.press("left_square_bracket")
        await pilot.pause(0.2)
        assert app.open_path == "2026-01-10-links-showcase.md"
        await pilot.press("right_square_bracket")
        await pilot.pause(0.2)
        assert app.open_path == "2026-01-06-keys.md"


async def test_anchor_link_scrolls_to_the_heading(make_app):
    app = make_app()
    async with app.run_test(size=(150, 30)) as pilot:
        await ready(pilot)
        await move_to(pilot, "2026-01-10-links-showcase.md")
        body = app.query_one(PostBody)
        assert body.scroll_y == 0
        await pilot.press("l", "9", "enter")
        await pilot.pause(0.2)
        assert body.scroll_y > 0
        assert "고려대 DSBA" in body.current_line_text(0)


async def test_external_links_open_in_the_browser_after_the_policy(make_app, monkeypatch):
    opened: list[str] = []

    class FakeBrowser(webbrowser.BackgroundBrowser):
        def __init__(self) -> None:
            super().__init__("true")

        def open(self, url, new=0, autoraise=True):
            opened.append(url)
            return True

    monkeypatch.setattr(webbrowser, "get", lambda using=None: FakeBrowser())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, "2026-01-10-links-showcase.md")
        await pilot.press("l", "1", "enter")
        await pilot.pause(0.1)
        assert opened == ["https://textual.textualize.io/"]
        await pilot.press("2", "1", "enter")  # javascript: refused
        await pilot.pause(0.1)
        assert opened == ["https://textual.textualize.io/"]
        await pilot.press("7", "enter")  # mailto: asks first
        await pilot.pause(0.1)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause(0.1)
        assert opened[-1] == "mailto:team@example.org"


async def test_copy_link_uses_the_clipboard(make_app, monkeypatch):
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, "2026-01-10-links-showcase.md")
        await pilot.press("l", "2", "y")
        assert copied == ["https://markdown-it-py.readthedocs.io/"]


async def test_clicking_a_link_in_the_post_follows_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, "2026-01-06-keys.md")
        body = app.query_one(PostBody)
        body._ensure_lines(500)
        y = next(i for i, strip in enumerate(body._lines) if "환영 글" in strip.text)
        line = body._lines[y].text
        x = cell_width(line[: line.index("환영 글")])  # cells, not characters: Hangul is two wide
        body.scroll_to(0, max(0, y - 2), animate=False)
        await pilot.pause(0.1)
        offset = y - round(body.scroll_y)
        await pilot.click(PostBody, offset=(x + 1, offset))
        await pilot.pause(0.2)
        assert app.open_path == "2026-01-05-welcome.md"


async def test_post_text_is_never_markup_and_never_terminal_control(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, "broken/markup-title.md")
        assert "[/Python] [@click=app.quit] [bold]마크업처럼 보이는 제목[/bold]" in header(app)
        await pilot.click(PostHeader)
        await move_to(pilot, "broken/escape-sequences.md")
        shown = header(app) + body_text(app)
        assert "\x1b" not in shown and "\x07" not in shown and "\ufffd" in shown
        assert app.is_running


async def test_help_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)
        assert isinstance(app.screen, HelpScreen)
        listed = {description for _, rows in app.screen.sections for _, description in rows}
        for binding in ReaderApp.BINDINGS:
            if binding.description:
                assert binding.description in listed
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_sort_by_updated_date(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        post_list = app.query_one(PostList)
        await pilot.press("s")
        await pilot.pause(0.1)
        # configuration.md was updated on 2026-01-20: newer than any post's date
        assert post_list.rows[0].path == "2026-01-08-configuration.md"
        assert post_list.rows[0].date == "2026-01-20"
        await pilot.press("s")
        await pilot.pause(0.1)
        assert post_list.rows[0].path == "2026-01-05-welcome.md"


async def test_drafts_toggle_and_persist(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = len(app.query_one(PostList).rows)
        await pilot.press("d")
        await pilot.pause(0.1)
        rows = app.query_one(PostList).rows
        assert len(rows) == before + 3 and any(r.draft for r in rows)
    assert "show_drafts = true" in (tmp_path / "config.toml").read_text()


async def test_theme_choice_persists(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await pilot.pause(0.1)
    assert 'theme = "nord"' in (tmp_path / "config.toml").read_text()
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause(0.1)
        assert again.theme == "nord"


async def test_palette_opens_a_post_by_title(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"open: Django")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert app.open_path == "2025-08-01-django-tutorial.md"


async def test_quit(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause(0.1)
        assert not app.is_running


async def test_files_changing_on_disk_update_the_list(make_app, write_tree):
    root = write_tree({"a.md": "---\ntitle: 처음 글\ndate: 2020-01-01\n---\n본문\n"})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert [r.title for r in app.query_one(PostList).rows] == ["처음 글"]
        (root / "b.md").write_text("---\ntitle: 새 글\ndate: 2021-01-01\n---\n새로운 본문\n", encoding="utf-8")
        for _ in range(100):
            await pilot.pause(0.1)
            if len(app.query_one(PostList).rows) == 2:
                break
        assert [r.title for r in app.query_one(PostList).rows] == ["새 글", "처음 글"]

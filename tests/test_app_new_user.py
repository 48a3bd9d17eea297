"""What a new user met in the app, driven by keys: a search that finds nothing says so in the
list, the sidebar's hints say what Enter does, a long link title hangs under its text, and `/`
from the post at 80 columns takes the query typed."""

from __future__ import annotations

import pytest
from textual.geometry import Region

from reader.posts.text import cell_width
from reader.ui import i18n
from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from reader.ui.sidebar import Sidebar
from tests.app_fixtures import app_for, open_row
from tests.sites import BLOG, write_blog
from tests.test_app_search import drawn, on_screen, search
from tests.waiting import laid_out, ready, until

DJANGO = "_posts/2025-08-01-django.md"
ML = "_posts/2025-11-20-machine-learning.md"


@pytest.fixture
def korean(tmp_path):
    """The interface in Korean (`language = "ko"` in the config), English again after the test."""
    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    yield
    i18n.set_language("en")


def rows(app) -> list[str]:
    return [row.path for row in app.main.query_one(PostList).rows]


def key_hints(app) -> str:
    return app.main.query_one("#keys").render_line(0).text


def frame_top(widget) -> str:
    """The top line of a widget's frame as drawn, its title in it."""
    return "".join(segment.text for segment in widget.render_lines(Region(0, 0, widget.outer_size.width, 1))[0])


def tag_node(sidebar: Sidebar, tag: str):
    """The sidebar's entry of `tag`."""
    nodes = [sidebar.root]
    while nodes:
        node = nodes.pop()
        if node.data is not None and node.data.kind == "tag" and node.data.value == tag:
            return node
        nodes.extend(node.children)
    raise AssertionError(f"no #{tag} in the sidebar")


# --- 1. a search that finds nothing says so where the hits would be --------------------------


@pytest.mark.parametrize("size", [(80, 24), (150, 45)])
async def test_a_search_that_finds_nothing_says_so_in_the_list_and_how_to_leave(make_app, size):
    """The list stayed blank, the answer only in the status line: the list says it now, and
    that Esc leaves the search; the next search that finds posts lists them instead."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        await search(pilot, "쿠버네티스")
        await until(pilot, lambda: "no posts contain 쿠버네티스" in drawn(post_list), "said in the list")
        assert rows(app) == [] and "Esc: leave the search, back to the list" in drawn(post_list)
        assert "Ctrl+G" not in drawn(post_list)  # no filter to widen
        await search(pilot, "django")
        await until(pilot, lambda: rows(app) == [DJANGO], "the next search finds a post")
        assert "no posts contain" not in drawn(post_list) and "Django 튜토리얼" in drawn(post_list)
        await search(pilot, "쿠버네티스")
        await until(pilot, lambda: "no posts contain 쿠버네티스" in drawn(post_list), "said again")
        await pilot.press("escape")
        await until(pilot, lambda: not app.main.search_box.active and len(rows(app)) > 3, "Esc: the posts back")
        assert "no posts contain" not in drawn(post_list) and "Django 튜토리얼" in drawn(post_list)


async def test_the_empty_list_says_it_in_korean(make_app, korean):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        await search(pilot, "쿠버네티스")
        await until(pilot, lambda: "쿠버네티스가 들어간 글이 없습니다" in drawn(post_list), "said in Korean")
        assert "Esc: 검색을 끝내고 목록으로" in drawn(post_list)
        await pilot.press("escape", "ctrl+b")  # within a filter: the spelling the other posts hold
        sidebar = app.main.query_one(Sidebar)
        await until(pilot, lambda: app.main.focused is sidebar, "the sidebar")
        sidebar.move_cursor(tag_node(sidebar, "django"))
        await pilot.press("enter")
        await until(pilot, lambda: rows(app) == [DJANGO], "filtered to #django")
        await search(pilot, "머신러닌")
        said = "혹시 머신러닝을 찾으셨나요? (#django에는 없음)"
        await until(pilot, lambda: said in drawn(post_list), "the spelling offered in Korean")
        assert "Ctrl+G: 모든 글에서 찾기" in drawn(post_list)


async def test_within_a_filter_the_empty_list_offers_the_spelling_outside_it_and_ctrl_g(make_app):
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await ready(pilot)
        screen, sidebar = app.main, app.main.query_one(Sidebar)
        post_list = screen.query_one(PostList)
        sidebar.focus()
        sidebar.move_cursor(tag_node(sidebar, "django"))
        await pilot.press("enter")
        await until(pilot, lambda: rows(app) == [DJANGO], "filtered to #django")
        await search(pilot, "머신러닌")
        said = "did you mean 머신러닝? (not in #django)"
        await until(pilot, lambda: said in drawn(post_list), "the spelling outside the filter, in the list")
        assert "no posts contain 머신러닌" in drawn(post_list) and "Ctrl+G: search all posts" in drawn(post_list)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: rows(app) == [ML], "Ctrl+G: every post")
        assert "did you mean" not in drawn(post_list)


@pytest.mark.parametrize("query", ["[b]쿠버네티스[/b]", "[@click=app.quit]"])
async def test_a_query_that_finds_nothing_is_shown_as_typed_never_as_markup(make_app, query):
    app = make_app()
    async with app.run_test(size=(150, 45)) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        await search(pilot, query)
        # the query is typed a key at a time and a part of it may find nothing first: wait for the
        # whole, as typed (as markup, it would never be drawn so)
        await until(pilot, lambda: f"no posts contain {query}" in drawn(post_list), "said in the list as typed")
        await until(pilot, lambda: f"search: {query}" in frame_top(post_list), "the list's title as typed")
        await pilot.click(PostList, offset=(12, 0))  # on the title: an action there would quit
        await pilot.pause()
        assert app.is_running


async def test_a_filters_name_in_the_lists_title_is_shown_as_written_never_as_markup(tmp_path):
    """The list's title is the sidebar's filter, a tag the posts name: a str there was markup
    (`[@click=app.quit]` an action on the title)."""
    site = write_blog(
        tmp_path / "site",
        {
            **BLOG,
            "_posts/2026-01-21-markup-tag.md": (
                '---\ntitle: 태그 글\ndate: 2026-01-21\ntags: ["[@click=app.quit]"]\n---\n본문\n'
            ),
        },
    )
    app = app_for(site, tmp_path)
    async with app.run_test(size=(150, 45)) as pilot:
        await ready(pilot)
        sidebar, post_list = app.main.query_one(Sidebar), app.main.query_one(PostList)
        sidebar.focus()
        sidebar.move_cursor(tag_node(sidebar, "[@click=app.quit]"))
        await pilot.press("enter")
        await until(pilot, lambda: rows(app) == ["_posts/2026-01-21-markup-tag.md"], "filtered to the tag")
        await until(pilot, lambda: "#[@click=app.quit] (1)" in frame_top(post_list), "the tag in the title, as written")
        await pilot.click(PostList, offset=(6, 0))
        await pilot.pause()
        assert app.is_running


# --- 2. the sidebar's hints say what Enter does ---------------------------------------------


@pytest.mark.parametrize(("language", "said"), [("en", "Show its posts"), ("ko", "해당 글만 보기")])
async def test_the_sidebars_key_hints_say_what_enter_does(tmp_path, language, said):
    if language == "ko":
        (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(write_blog(tmp_path / "site", BLOG), tmp_path)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            sidebar = app.main.query_one(Sidebar)
            assert said not in key_hints(app)
            await pilot.press("escape", "ctrl+b")  # under 100 columns the sidebar takes the list's place
            await until(pilot, lambda: app.main.focused is sidebar, "the sidebar")
            await until(pilot, lambda: said in key_hints(app), "Enter's hint")
            assert key_hints(app).index(said) < key_hints(app).index("?")  # with the others, before help
            sidebar.move_cursor(tag_node(sidebar, "django"))
            await pilot.press("enter")  # what the hint says
            await until(pilot, lambda: rows(app) == [DJANGO] and app.main.focused is app.main.query_one(PostList))
    finally:
        i18n.set_language("en")


# --- 3. a long link title hangs under its text ----------------------------------------------

LONG_TITLE = (
    "한국어로 된 아주 긴 링크 제목은 패널의 폭을 넘어서 다음 줄로 이어지며 그 줄은 제목 아래에서 시작해야 합니다"
)
LINKED = "_posts/2026-01-20-long-link.md"


async def test_a_long_link_title_wraps_under_its_first_character(tmp_path):
    site = write_blog(
        tmp_path / "site",
        {**BLOG, LINKED: f"---\ntitle: 긴 링크\ndate: 2026-01-20\n---\n[{LONG_TITLE}](https://long.example.org/a/b)\n"},
    )
    app = app_for(site, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_row(pilot, LINKED)
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.links, "the link panel")
        await pilot.pause()
        lines = [panel.render_line(y).text for y in range(panel.scrollable_content_region.height)]
        lines = [line.rstrip() for line in lines if line.strip()]
        first = lines[0]
        text_at = cell_width(first[: first.index("한국어")])  # cells: the head is ASCII, the title two a syllable
        assert len(lines) >= 2, lines  # the title does not fit on one line at 80 columns
        for line in lines[1:]:
            indent = len(line) - len(line.lstrip(" "))
            assert indent == text_at, lines  # under the title's first character, not under the number
        shown = "".join(line.strip() if n else line[first.index("한국어") :] for n, line in enumerate(lines))
        assert shown.replace(" ", "") == f"{LONG_TITLE}→https://long.example.org/a/b".replace(" ", "")


# --- 4. `/` from the post or the sidebar at 80 columns --------------------------------------


@pytest.mark.parametrize("start", ["post", "sidebar", "maximized"])
async def test_a_query_typed_after_slash_at_80_columns_is_searched_wherever_it_starts(make_app, start):
    """From the post (or the sidebar) alone at 80×24, `/` showed the box and the list, and the
    list took the focus back: the query typed went nowhere and nothing was searched. From the
    post maximized (`z`), the panes came back but the post stayed in the hits' place."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.main
        await open_row(pilot, DJANGO)
        await until(pilot, lambda: screen.focused is screen.query_one(PostBody), "the post alone")
        if start == "sidebar":
            await pilot.press("ctrl+b")
            await until(pilot, lambda: screen.focused is screen.query_one(Sidebar), "the sidebar alone")
        elif start == "maximized":
            await pilot.press("z")
            await until(pilot, lambda: screen.settings.maximized, "the post maximized")
        await pilot.press("slash")
        await pilot.pause()
        await pilot.pause()
        await pilot.press(*"머신러닝")
        await until(pilot, lambda: screen.focused is screen.search_box, "the box keeps the focus")
        assert screen.search_box.value == "머신러닝"
        await until(pilot, lambda: rows(app) == [ML], "searched")
        await laid_out(pilot)
        assert on_screen(screen.query_one(PostList)) and not on_screen(screen.query_one(PostBody))  # the hits show


# --- 5. more of the same kind, at 80×24 --------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "panel", "said"),
    [("t", "#outline", "Go to the heading"), ("L", "#connections", "Open")],
)
async def test_the_panels_under_the_post_hint_what_enter_does(make_app, key, panel, said):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_row(pilot, "_posts/2026-01-10-links.md")
        await pilot.press(key)
        await until(pilot, lambda: app.main.focused is app.main.query_one(panel), "the panel")
        await until(pilot, lambda: key_hints(app).startswith(f"⏎ {said}  "), f"{key}: Enter's hint first")
        assert "? Help" in key_hints(app)


async def test_the_help_screens_hints_are_its_own(make_app):
    """Under the help the main screen's hints still showed `/ Search`, `f Find in post`: keys
    that do nothing there. They say how to close it now, and go when it does."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen is not app.main, "the help")
        hints = app.screen.query_one("#help-keys")
        await until(pilot, lambda: hints.render_line(0).text.strip() == "esc Close", "the help's own hint")
        assert hints.region.y == 23  # on the bottom row, over the main screen's hints
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is app.main, "closed")


async def test_a_status_too_long_for_the_line_ends_in_an_ellipsis(make_app):
    """It wrapped to a second row never shown: words went missing with nothing to say so."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await search(pilot, "머신러닌 쿠버네티스 가나다라마바사 아자차카타파하 거너더러머버서")
        status = app.main.query_one("#status")
        await until(pilot, lambda: "no posts contain" in str(status.render()), "searched")
        assert cell_width(str(status.render())) > 78  # wider than the line
        assert status.render_line(0).text.rstrip().endswith("…")


async def test_an_empty_bookmarks_list_says_so_and_b_lists_the_post(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen, post_list = app.main, app.main.query_one(PostList)
        await open_row(pilot, DJANGO)
        await pilot.press("escape", "ctrl+b")
        sidebar = screen.query_one(Sidebar)
        await until(pilot, lambda: screen.focused is sidebar, "the sidebar")
        sidebar.move_cursor(next(node for node in sidebar.root.children if node.data.kind == "bookmarks"))
        await pilot.press("enter")
        await until(pilot, lambda: "No bookmarks yet." in drawn(post_list), "said in the list")
        assert "b bookmarks the post being read." in drawn(post_list)
        await pilot.press("b")  # as it says
        await until(pilot, lambda: rows(app) == [DJANGO], "the post bookmarked, listed")
        assert "No bookmarks yet." not in drawn(post_list)
        assert "1 in ★ Bookmarks" in str(screen.query_one("#status").render())  # the count too

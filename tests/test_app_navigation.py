"""Navigation that keeps the reader's place, driven by keys and clicks: opening outside a filter,
the layouts by width, the outline, positions (back, resize, across runs), loose anchors, the list
and the sidebar, the compact header, the editor at the line being read."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.widgets import Static

from reader.ui import editor as editor_module
from reader.ui import main_screen
from reader.ui.app import ReaderApp
from reader.ui.editor import open_at
from reader.ui.link_panel import LinkPanel
from reader.ui.outline import Outline
from reader.ui.post_list import PostList
from reader.ui.post_pane import PostHeader
from reader.ui.post_view import PostBody
from reader.ui.sidebar import Filter, Sidebar
from tests.app_fixtures import app_for, open_row, palette_prompts
from tests.sites import BLOG, FILLER, write_blog
from tests.waiting import laid_out, ready, shown, until

WIDE = (150, 45)
ML = "_posts/2025-11-20-machine-learning.md"
LINKS = "_posts/2026-01-10-links.md"
KEYS = "_posts/2026-01-06-keys.md"
DJANGO = "_posts/2025-08-01-django.md"
GUIDE = "_posts/2026-01-12-guide.md"

SECTIONS = "".join(f"## {n}. 설정 단계 {n}\n\n" + FILLER * 3 for n in range(1, 7))
GUIDE_POST = (
    "---\ntitle: 블로그 설정 안내서\ndate: 2026-01-12 14:30:00 +0900\nupdated: 2026-01-12 15:00:00 +0900\n"
    "categories: [안내]\n---\n"
    "# 차례\n\n"
    "- [3. 설정 단계 3](#3.-설정-단계-3)\n"  # as Notion and Typora write it; the slug is 3-설정-단계-3
    "- [맨 끝](#-마지막-정리)\n\n" + SECTIONS + "## 마지막 정리\n\n끝.\n"
)


@pytest.fixture
def site(tmp_path) -> Path:
    return write_blog(tmp_path / "site", {**BLOG, GUIDE: GUIDE_POST})


def status(app) -> str:
    return str(app.main.query_one("#status").render())


async def choose_tag(pilot, tag: str) -> None:
    sidebar = pilot.app.main.query_one(Sidebar)
    sidebar.focus()
    node = next(n for n in sidebar.root.children[4].children if n.data and n.data.value == tag)
    sidebar.move_cursor(node)
    await pilot.press("enter")
    await until(pilot, lambda: pilot.app.main.filter == Filter("tag", tag), f"filtered to #{tag}")


# --- 1. opening a post always opens it -------------------------------------------------


async def test_a_link_to_a_post_outside_the_filter_opens_it_and_clears_the_filter(site, tmp_path, monkeypatch):
    monkeypatch.setattr(main_screen, "SAID_FOR", 600.0)  # said until read, however busy the machine
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await ready(pilot)
        await choose_tag(pilot, "links")
        screen = app.main
        await open_row(pilot, LINKS)
        keys_link = next(link.n for link in screen.links if link.url == "2026-01-06-keys.md")
        await pilot.press("l", *str(keys_link), "enter")
        await shown(pilot, KEYS)
        assert screen.filter == Filter()  # cleared, so the list can show the post
        assert screen.query_one(PostList).current.path == KEYS
        # Said at the head of the status line, not in a toast over the post.
        assert "cleared to show this post" in str(screen.query_one("#status", Static).content)
        assert not any("cleared" in str(n.message) for n in app._notifications)


async def test_the_palette_opens_a_post_outside_the_filter(site, tmp_path):
    from tests.test_app import palette_first_hit

    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await choose_tag(pilot, "ml")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen is not app.main, "palette open")
        await pilot.press(*"open: Django")
        await until(pilot, lambda: "Django" in palette_first_hit(app), "the palette lists the post")
        await pilot.press("enter")
        await shown(pilot, DJANGO)
        assert app.main.query_one(PostList).current.path == DJANGO


# --- 2. the layout adapts ----------------------------------------------------------------


def shown_panes(app) -> list[str]:
    ids = {"sidebar": "sidebar", "post-list": "list", "right": "post"}
    return [name for wid, name in ids.items() if app.main.query_one(f"#{wid}").display]


async def test_three_panes_wide_two_medium_one_narrow(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert shown_panes(app) == ["sidebar", "list", "post"]
        await pilot.resize_terminal(110, 40)
        await until(pilot, lambda: shown_panes(app) == ["list", "post"], "medium: list and post")
        await pilot.press("ctrl+b")
        await until(pilot, lambda: shown_panes(app) == ["sidebar", "list", "post"], "Ctrl+B shows the sidebar")
        await pilot.press("ctrl+b")
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: shown_panes(app) == ["list"], "narrow: the list alone")
        await open_row(pilot, ML)
        await until(pilot, lambda: shown_panes(app) == ["post"], "Enter: the post alone")
        body = app.main.query_one(PostBody)
        assert body.size.width >= 70 and body.size.height >= 18
        await pilot.press("escape")
        await until(pilot, lambda: shown_panes(app) == ["list"], "Esc: back to the list")
        assert app.main.focused is app.main.query_one(PostList)


async def test_tab_goes_from_pane_to_pane_in_a_narrow_terminal_too(site, tmp_path):
    """Below 100 columns one pane shows at a time: Tab, "Next pane" in the help and the guide's
    "사이드바 → 목록 → 본문", did nothing there (the focus had no other pane to go to)."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.main
        screen.show_pane("list")
        await until(pilot, lambda: shown_panes(app) == ["list"], "the list alone")
        await pilot.press("tab")
        await until(pilot, lambda: shown_panes(app) == ["post"], "Tab: the post")
        assert screen.focused is screen.query_one(PostBody)
        await pilot.press("l")  # the link panel, under the post: Tab goes there first
        panel = screen.query_one(LinkPanel)
        await until(pilot, lambda: panel.display, "the link panel open")
        screen.query_one(PostBody).focus()
        await pilot.press("tab")
        await until(pilot, lambda: screen.focused is not None and panel in screen.focused.ancestors_with_self, "panel")
        await pilot.press("tab")
        await until(pilot, lambda: shown_panes(app) == ["sidebar"], "Tab: round to the sidebar")
        assert screen.focused is screen.query_one(Sidebar)
        await pilot.press("tab")
        await until(pilot, lambda: shown_panes(app) == ["list"], "Tab: the list")
        await pilot.press("shift+tab")
        await until(pilot, lambda: shown_panes(app) == ["sidebar"], "Shift+Tab: back to the sidebar")
        assert screen.focused is screen.query_one(Sidebar)


async def test_the_sidebar_takes_a_share_of_the_width_so_long_categories_fit_when_there_is_room(tmp_path):
    """The sidebar was 28 columns at any width: at 200 columns a long category was cut with the
    screen half empty, and at 100 columns (Ctrl+B) it left the list 30 columns and the post 42."""
    category = "Distributed Systems and Databases"
    files = {
        **BLOG,
        "_posts/2024-03-01-long.md": f"---\ntitle: 긴 분류\ndate: 2024-03-01\ncategories: [{category}]\n---\n본문\n",
    }
    app = app_for(write_blog(tmp_path / "site", files), tmp_path)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        screen = app.main
        sidebar = screen.query_one(Sidebar)

        def label() -> str:
            return next(str(n.label) for n in sidebar.root.children[3].children if n.data.value == category)

        await until(pilot, lambda: label() == f"{category}  1", "the long category whole")
        assert sidebar.outer_size.width > 40
        await pilot.resize_terminal(100, 30)
        await pilot.press("ctrl+b")
        await until(pilot, lambda: shown_panes(app) == ["sidebar", "list", "post"], "Ctrl+B shows the sidebar")
        await until(pilot, lambda: sidebar.outer_size.width < 28, "the sidebar narrower")
        assert "…" in label()  # cut to its width, the count still shown
        assert screen.query_one(PostList).outer_size.width >= 30
        assert screen.query_one(PostBody).size.width >= 44


def key_hints(app) -> str:
    """The key hints' line as drawn (cut where the terminal ends)."""
    return app.main.query_one("#keys").render_line(0).text


@pytest.mark.parametrize("size", [(80, 24), WIDE])
async def test_the_key_hints_are_the_focused_panes_and_help_always_shows(site, tmp_path, size):
    """At 80 columns the hints were cut before `? Help`, and the list showed the post's keys."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await until(pilot, lambda: " Open" in key_hints(app), "the list's hints")
        in_list = key_hints(app)
        assert {"/ Search", "? Help", "q Quit"} <= set(in_list.split("  "))
        assert not {"f Find in post", "l Links", "t Outline", "e Edit"} & set(in_list.split("  "))
        await open_row(pilot, ML)
        await until(pilot, lambda: "l Links" in key_hints(app), "the post's hints")
        in_post = key_hints(app).split("  ")
        assert {"/ Search", "f Find in post", "z Maximize post", "l Links", "? Help"} <= set(in_post)
        assert not any(hint.endswith(" Open") for hint in in_post)
        if size == WIDE:  # room for them all
            assert {"t Outline", "L Links here, related", "e Edit", "q Quit"} <= set(in_post)
        await pilot.press("l")  # the link panel, under the post: still the post's keys
        await until(pilot, lambda: app.main.focused is app.main.query_one(LinkPanel), "the link panel")
        assert {"l Links", "? Help"} <= set(key_hints(app).split("  "))


async def test_z_maximizes_the_post_and_the_choice_is_kept(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("z")
        await until(pilot, lambda: shown_panes(app) == ["post"], "maximized")
    assert "maximized = true" in (tmp_path / "config.toml").read_text()
    again = app_for(site, tmp_path)
    async with again.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert shown_panes(again) == ["post"]
        await pilot.press("z")
        await until(pilot, lambda: shown_panes(again) == ["sidebar", "list", "post"], "back")


@pytest.mark.parametrize(("size", "panes"), [(WIDE, ["sidebar", "list", "post"]), ((80, 24), ["list"])])
async def test_esc_in_a_maximized_post_brings_the_list_back_as_z_does(site, tmp_path, size, panes):
    """With `maximized = true`, Esc put the focus in the hidden list: the post was shown with
    the list's keys hinted under it, and j/k moved a cursor no one could see."""
    (tmp_path / "config.toml").write_text("maximized = true\n", encoding="utf-8")
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        app.main.open_post(ML)
        await shown(pilot, ML)
        await until(pilot, lambda: "l Links" in key_hints(app), "the post's hints")
        assert shown_panes(app) == ["post"]
        await pilot.press("escape")  # "Back to list", as the binding says and a narrow terminal does
        await until(pilot, lambda: shown_panes(app) == panes, "the list back")
        assert app.main.focused is app.main.query_one(PostList)
        await until(pilot, lambda: " Open" in key_hints(app), "the list's hints")
    assert "maximized = false" in (tmp_path / "config.toml").read_text()  # as `z` leaves it


@pytest.mark.parametrize("size", [WIDE, (80, 24)])
async def test_a_maximized_post_hints_that_z_shows_the_panes_again(site, tmp_path, size):
    """`maximized = true` is kept from the last run: the next one opened on the post alone, nothing
    said, and the hints offered `z Maximize post` over a post already maximized."""
    (tmp_path / "config.toml").write_text("maximized = true\n", encoding="utf-8")
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await until(pilot, lambda: "z Show the panes" in key_hints(app), "z: the panes again")
        assert "Maximize post" not in key_hints(app)
        app.main.query_one(PostBody).focus()
        await pilot.press("z")
        await until(pilot, lambda: not app.main.settings.maximized, "the panes back")
        await until(pilot, lambda: "Show the panes" not in key_hints(app), "the hint gone with them")
        if size == WIDE:  # the post beside the list, focused: its own keys hinted
            await until(pilot, lambda: "z Maximize post" in key_hints(app), "z: maximize")
            await pilot.press("z")
            await until(pilot, lambda: "z Show the panes" in key_hints(app), "and back again")


# --- 3. the outline ------------------------------------------------------------------------


async def test_the_outline_lists_headings_follows_the_reading_and_jumps(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        await pilot.press("t")
        outline = app.main.query_one(Outline)
        await until(pilot, lambda: outline.display and outline.headings, "the outline open")
        labels = [h.text for h in outline.headings]
        assert labels[0] == "차례" and "4. 설정 단계 4" in labels and labels[-1] == "마지막 정리"
        target = next(n for n in outline._heading_nodes if n.data.text == "4. 설정 단계 4")
        outline.move_cursor(target)
        await pilot.press("enter")
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: "4. 설정 단계 4" in body.current_line_text(0), "jumped to the heading")
        assert app.main.focused is body
        await pilot.press("t")  # again: the cursor is on the section being read
        await until(pilot, lambda: outline.cursor_node is not None and outline.cursor_node.data is not None, "open")
        assert outline.cursor_node.data.text == "4. 설정 단계 4"
        await pilot.press("escape")
        await until(pilot, lambda: not outline.display, "Esc closes it")


# --- 4. positions ------------------------------------------------------------------------


async def test_back_returns_to_the_exact_place(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, LINKS)
        body = app.main.query_one(PostBody)
        await open_row(pilot, GUIDE)
        body.focus()
        for _ in range(3):
            await pilot.press("space")
        await until(pilot, lambda: body.scroll_y > 20, "read into the post")
        place = round(body.scroll_y)
        keys_link = next(link.n for link in app.main.links if "3." in link.text)
        await pilot.press("l", *str(keys_link), "enter")
        await until(pilot, lambda: round(body.scroll_y) != place, "followed the table of contents")
        await open_row(pilot, KEYS)
        await pilot.press("left_square_bracket")
        await shown(pilot, GUIDE)
        await until(pilot, lambda: body.scroll_y > 0, "the place restored")
        # Back to the heading the link led to; once more, to where the reader paged to.
        await pilot.press("left_square_bracket")
        await until(pilot, lambda: round(body.scroll_y) == place, "the exact place")


async def test_resize_keeps_the_same_text_on_top(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        body = app.main.query_one(PostBody)
        body.scroll_to_anchor("5-설정-단계-5")
        await until(pilot, lambda: "5. 설정 단계 5" in body.current_line_text(0), "at section 5")
        await pilot.resize_terminal(125, 40)
        await until(pilot, lambda: body.rendered_width != 0 and body.size.width < 90, "narrower post pane")
        await until(pilot, lambda: "5. 설정 단계 5" in body.current_line_text(0), "section 5 still on top")


async def test_the_last_place_in_a_post_is_restored_in_the_next_run(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        app.main.query_one(PostBody).scroll_to_anchor("4-설정-단계-4")
        await until(pilot, lambda: "4. 설정 단계 4" in app.main.query_one(PostBody).current_line_text(0), "at 4")
        await open_row(pilot, ML)
    again = app_for(site, tmp_path)
    async with again.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "recent: 머신러닝 입문 노트" in palette_prompts(again), "recent posts offered")
        hits = palette_prompts(again)
        assert hits.index("recent: 머신러닝 입문 노트") < hits.index("recent: 블로그 설정 안내서")  # newest first
        await pilot.press("escape")
        await open_row(pilot, GUIDE)
        body = again.main.query_one(PostBody)
        await until(pilot, lambda: "4. 설정 단계 4" in body.current_line_text(0), "the place kept across runs")


@pytest.mark.parametrize("size", [WIDE, (80, 24)])
async def test_the_next_run_shows_the_post_read_last_where_it_was_left(tmp_path, size):
    old = "_posts/2024-03-01-old-guide.md"  # far down the list: the newest post is its first row
    site = write_blog(tmp_path / "site", {**BLOG, old: GUIDE_POST.replace("2026-01-12", "2024-03-01")})
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        assert app.main.query_one(PostList).current.path != old
        await open_row(pilot, old)
        app.main.query_one(PostBody).scroll_to_anchor("4-설정-단계-4")
        await until(pilot, lambda: "4. 설정 단계 4" in app.main.query_one(PostBody).current_line_text(0), "at 4")
    again = app_for(site, tmp_path)
    async with again.run_test(size=size) as pilot:
        screen = again.main
        await until(pilot, lambda: screen.open_path == old, "the post read last, on screen")
        current = screen.query_one(PostList).current
        assert current is not None and current.path == old  # under the list's cursor
        body = screen.query_one(PostBody)
        await until(pilot, lambda: "4. 설정 단계 4" in body.current_line_text(0), "where it was left")
        # Beside the list, the list has the focus; alone (80×24), the post (tests/test_app_places.py).
        assert screen.focused is screen.query_one(PostList if size == WIDE else PostBody)


# --- 5. anchors other tools write ----------------------------------------------------------


async def test_table_of_contents_links_written_by_other_tools_scroll_to_their_heading(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        screen = app.main
        links = {link.url: link for link in screen.links}
        assert not links["#3.-설정-단계-3"].broken and not links["#-마지막-정리"].broken
        await pilot.press("l", *str(links["#3.-설정-단계-3"].n), "enter")
        body = screen.query_one(PostBody)
        await until(pilot, lambda: "3. 설정 단계 3" in body.current_line_text(0), "at the heading")


# --- 6. the list and the sidebar ------------------------------------------------------------


@pytest.mark.parametrize("row", [0, 1, 3])
async def test_a_click_opens_the_row_clicked(site, tmp_path, row):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        wanted = post_list.rows[row].path
        await laid_out(pilot)
        await pilot.click(PostList, offset=(20, post_list.gutter.top + row))
        await shown(pilot, wanted)
        assert post_list.cursor == row


async def test_sidebar_moves_with_j_k_shows_counts_and_an_archive(tmp_path):
    files = {
        **BLOG,
        "_posts/2024-03-01-long.md": "---\ntitle: 긴 분류\ndate: 2024-03-01\n"
        "categories: [Data structure and Algorithms for everyone]\ntags: [Graph]\n---\n본문\n",
        "_posts/2024-03-02-graph.md": "---\ntitle: 그래프 둘\ndate: 2024-03-02\ntags: [Graph]\n---\n본문\n",
        "_posts/2024-04-01-graph.md": "---\ntitle: 그래프 셋\ndate: 2024-04-01\ntags: [graph]\n---\n본문\n",
    }
    app = app_for(write_blog(tmp_path / "site", files), tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        sidebar = app.main.query_one(Sidebar)
        sidebar.focus()
        await pilot.press("g")
        first = sidebar.cursor_line
        await pilot.press("j", "j")
        assert sidebar.cursor_line == first + 2
        await pilot.press("k")
        assert sidebar.cursor_line == first + 1
        labels = [str(n.label) for n in sidebar.root.children[3].children]
        long = next(label for label in labels if label.startswith("Data"))
        assert long.endswith("  1") and "…" in long  # cut, and the count still there
        tags = {str(n.label) for n in sidebar.root.children[4].children}
        assert "#Graph  3" in tags and not any(label.startswith("#graph") for label in tags)
        archive = sidebar.root.children[5]
        year = next(n for n in archive.children if n.data == Filter("month", "2024"))
        assert str(year.label) == "2024  3"
        sidebar.move_cursor(year)
        await pilot.press("enter")  # the year: its posts, and its months open
        post_list = app.main.query_one(PostList)
        await until(pilot, lambda: len(post_list.rows) == 3 and year.is_expanded, "2024")
        april = next(n for n in year.children if n.data == Filter("month", "2024-04"))
        sidebar.move_cursor(april)
        await pilot.press("enter")
        await until(pilot, lambda: [r.path for r in post_list.rows] == ["_posts/2024-04-01-graph.md"], "April")
        assert "(1)" in str(post_list.border_title) and "1 in 🗓 2024-04" in status(app)


# --- 7. the header -----------------------------------------------------------------------------


async def test_the_header_is_compact_and_folds_once_the_reader_scrolls(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, ML)
        header = app.main.query_one(PostHeader)
        text = str(header.render())
        assert "2025-11-20" in text and "00:00" not in text and "updated" not in text
        await open_row(pilot, GUIDE)
        text = str(header.render())
        assert "2026-01-12 14:30" in text and "updated" not in text  # updated the same day
        body = app.main.query_one(PostBody)
        body.focus()
        await pilot.press("space")
        await until(pilot, lambda: len(str(header.render()).splitlines()) == 1, "one line once scrolled")
        await pilot.press("g")
        await until(pilot, lambda: len(str(header.render()).splitlines()) > 1, "all of it at the top")


# --- 8. the editor at the line being read ----------------------------------------------------


@pytest.mark.parametrize(
    ("editor", "expected"),
    [
        ("vim", ["vim", "+42", "P"]),
        ("/usr/bin/nvim -p", ["/usr/bin/nvim", "-p", "+42", "P"]),
        ("nano", ["nano", "+42", "P"]),
        ("/usr/bin/editor", ["/usr/bin/editor", "+42", "P"]),  # Debian's alternative: nano or vim
        ("emacsclient -t", ["emacsclient", "-t", "+42", "P"]),
        ("hx", ["hx", "P:42"]),
        ("code --wait", ["code", "--wait", "--goto", "P:42"]),
        ("someeditor", ["someeditor", "P"]),
    ],
)
def test_the_editor_is_asked_for_the_line_as_it_wants(editor, expected):
    assert open_at(editor.split(), Path("P"), 42) == expected


async def test_e_opens_the_editor_at_the_line_on_top(site, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(editor_module.subprocess, "call", lambda argv: calls.append(argv) or 0)
    monkeypatch.setattr(ReaderApp, "suspend", lambda self: contextlib.nullcontext())  # no terminal to give up
    monkeypatch.setenv("VISUAL", "vim")
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        body = app.main.query_one(PostBody)
        body.scroll_to_anchor("3-설정-단계-3")
        await until(pilot, lambda: "3. 설정 단계 3" in body.current_line_text(0), "at 3")
        await pilot.press("e")
        await until(pilot, lambda: calls, "the editor ran")
    line = next(n for n, text in enumerate(GUIDE_POST.splitlines(), start=1) if text == "## 3. 설정 단계 3")
    assert calls[0][:2] == ["vim", f"+{line}"] and calls[0][2].endswith("2026-01-12-guide.md")


# --- found trying it on real blogs ---------------------------------------------------------

LONG = "_posts/2026-01-13-long.md"
LONG_POST = "---\ntitle: 아주 긴 글\ndate: 2026-01-13\n---\n" + "".join(
    f"## 절 {n}\n\n" + FILLER * 2 for n in range(1, 120)
)  # over 64 KB: shown first from a parse of its start


async def test_a_long_post_reopens_where_it_was_left_in_the_next_run(tmp_path):
    site = write_blog(tmp_path / "site", {**BLOG, LONG: LONG_POST})
    assert len(LONG_POST.encode()) > 64 * 1024
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: body.fully_rendered or body.document is not None, "parsed")
        body.scroll_to_anchor("절-40")
        await until(pilot, lambda: "절 40" in body.current_line_text(0), "at section 40")
        for _ in range(3):
            await pilot.press("j")  # a few lines into the section: restored to the line, not the block
        await until(pilot, lambda: "절 40" not in body.current_line_text(0), "into the section")
        top = body.current_line_text(0)
        await open_row(pilot, ML)
    again = app_for(site, tmp_path)
    async with again.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        body = again.main.query_one(PostBody)
        await until(pilot, lambda: body.current_line_text(0) == top, "the same line on top as when it was left")


async def test_narrowing_the_terminal_while_reading_keeps_the_post(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        body = app.main.query_one(PostBody)
        body.focus()
        await pilot.press("j")
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: shown_panes(app) == ["post"], "the post, alone")
        await pilot.resize_terminal(*WIDE)
        await until(pilot, lambda: shown_panes(app) == ["sidebar", "list", "post"], "all three again")
        app.main.query_one(PostList).focus()
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: shown_panes(app) == ["list"], "from the list: the list")


async def test_the_outline_opens_on_the_section_being_read(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, GUIDE)
        body = app.main.query_one(PostBody)
        body.scroll_to_anchor("5-설정-단계-5")
        await until(pilot, lambda: "5. 설정 단계 5" in body.current_line_text(0), "at section 5")
        await pilot.press("t")
        outline = app.main.query_one(Outline)
        await until(
            pilot,
            lambda: (
                outline.cursor_node is not None
                and outline.cursor_node.data is not None
                and outline.cursor_node.data.text == "5. 설정 단계 5"
            ),
            "the outline marks section 5 at once",
        )
        assert str(outline.border_title).startswith("outline (")


async def test_a_filter_cleared_to_show_a_post_scrolls_the_list_to_it(tmp_path):
    many = {f"_posts/2020-01-{n % 28 + 1:02d}-filler-{n}.md": f"---\ntitle: 채움 {n}\n---\n채움\n" for n in range(80)}
    site = write_blog(tmp_path / "site", {**BLOG, **many})
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await choose_tag(pilot, "django")
        app.main.open_post("_posts/2020-01-01-filler-0.md")
        await shown(pilot, "_posts/2020-01-01-filler-0.md")
        post_list = app.main.query_one(PostList)
        await until(
            pilot,
            lambda: post_list.scroll_y <= post_list.cursor <= post_list.scroll_y + post_list.size.height - 1,
            "the row shown in the list",
        )
        assert post_list.current.path == "_posts/2020-01-01-filler-0.md"


async def test_l_returns_to_the_link_panel_left_open_after_a_notice(site, tmp_path):
    from reader.ui.link_panel import LinkPanel

    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_row(pilot, LINKS)
        screen = app.main
        missing = next(link.n for link in screen.links if link.url == "#없는-제목")
        await pilot.press("l", *str(missing), "enter")
        await until(pilot, lambda: any("no heading" in str(n.message) for n in app._notifications), "the notice")
        panel = screen.query_one(LinkPanel)
        screen.query_one(PostBody).focus()
        await pilot.press("l")  # the panel is open: l goes back to it, digits work again
        await until(pilot, lambda: screen.focused is panel and panel.display, "back in the panel")
        await pilot.press("l")
        await until(pilot, lambda: not panel.display, "then l closes it")


async def to_sidebar(pilot) -> None:
    """Into the sidebar as the reader goes: there beside the list, or Ctrl+B in its place."""
    sidebar = pilot.app.main.query_one(Sidebar)
    if "sidebar" in pilot.app.main.panes:
        sidebar.focus()
    else:
        await pilot.press("ctrl+b")
    await until(pilot, lambda: pilot.app.focused is sidebar, f"in the sidebar ({pilot.app.focused})")


def category_node(sidebar: Sidebar, path: str):
    def walk(node):
        if node.data == Filter("category", path):
            return node
        return next((found for child in node.children if (found := walk(child)) is not None), None)

    return walk(sidebar.root)


@pytest.mark.parametrize("size", [WIDE, (80, 24)], ids=["wide", "narrow"])
async def test_enter_on_a_category_with_subcategories_shows_its_posts_and_folds_nothing(tmp_path, size):
    """`개발` (with `개발/파이썬` below it) opens unfolded: Enter, hinted "Show its posts", used to
    fold it (its subcategories gone) and, below 100 columns, left the reader in the sidebar."""
    nested = "_posts/2025-07-01-nested.md"
    files = {**BLOG, nested: "---\ntitle: 하위 분류 글\ndate: 2025-07-01\ncategory: 개발/파이썬\n---\n본문\n"}
    app = app_for(write_blog(tmp_path / "site", files), tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        sidebar = app.main.query_one(Sidebar)
        post_list = app.main.query_one(PostList)
        await to_sidebar(pilot)
        dev = category_node(sidebar, "개발")
        assert dev is not None and dev.is_expanded and dev.children
        sidebar.move_cursor(dev)
        await pilot.press("enter")
        await until(pilot, lambda: app.main.filter == Filter("category", "개발"), "filtered to 개발")
        await until(pilot, lambda: app.focused is post_list, "its posts, in the list")
        assert "list" in app.main.panes and post_list.display
        assert {row.path for row in post_list.rows} == {DJANGO, "_posts/2025-06-01-footnotes.md", nested}
        dev = category_node(sidebar, "개발")
        assert dev is not None and dev.is_expanded  # 파이썬 still in sight
        # Space folds and unfolds, as the help says.
        await to_sidebar(pilot)
        dev = category_node(sidebar, "개발")
        sidebar.move_cursor(dev)
        await pilot.press("space")
        await until(pilot, lambda: not dev.is_expanded, "folded")
        # A folded branch: Enter opens it and stays, to go deeper.
        await pilot.press("enter")
        await until(pilot, lambda: (again := category_node(sidebar, "개발")) is not None and again.is_expanded, "open")
        assert app.focused is sidebar

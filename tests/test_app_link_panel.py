"""The link panel's lines: what a link says and, when it says something else, where it leads."""

from __future__ import annotations

from reader.ui.link_panel import LinkPanel
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.waiting import ready, until

URLS = "_posts/2026-01-11-urls.md"
POSTS = {
    "_posts/2026-01-01-other.md": "---\ntitle: 다른 글\ndate: 2026-01-01\n---\n본문.\n",
    URLS: "---\ntitle: 주소 글\ndate: 2026-01-11\n---\n"
    "<https://pypi.org/project/geulbat/> 그리고 https://example.org/a 와 "
    "[https://docs.example.org/x](https://docs.example.org/x) 그리고 "
    "[http://old.example.org](https://new.example.org/) 와 [이름](https://named.example.org/) "
    "그리고 me@example.org 과 www.example.com\n",
}


def panel_lines(panel: LinkPanel) -> list[str]:
    return [str(panel.get_option_at_index(n).prompt).strip() for n in range(panel.option_count)]


async def test_a_link_whose_text_is_its_url_is_shown_once(tmp_path):
    app = app_for(write_blog(tmp_path / "site", POSTS), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, URLS)
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.option_count == 7, "link panel")
        assert panel_lines(panel) == [
            "1 external https://pypi.org/project/geulbat/",
            "2 external https://example.org/a",
            "3 external https://docs.example.org/x",
            "4 external http://old.example.org  → https://new.example.org/",  # says one, leads to another
            "5 external 이름  → https://named.example.org/",
            "6 email    me@example.org",
            "7 external www.example.com",
        ]


LONG = "_posts/2026-01-12-long.md"
OTHER = "_posts/2026-01-01-other.md"
LINKED = {
    **POSTS,
    LONG: "---\ntitle: 긴 글\ndate: 2026-01-12\n---\n"
    + "".join(f"문단 {n}: [링크 {n}](https://n{n}.example.org/) 의 설명.\n\n" for n in range(1, 41))
    + "[다른 글로](/2026/01/01/other.html)\n",
}


async def test_the_panel_opens_at_the_links_being_read_and_gives_way_to_the_post_a_link_opens(tmp_path):
    app = app_for(write_blog(tmp_path / "site", LINKED), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        from reader.ui.post_view import PostBody

        body = app.main.query_one(PostBody)
        body.focus()
        await pilot.press("space", "space")  # two pages down: links 1-20 or so are above the view
        await until(pilot, lambda: body.top_source_line > 30, "read on")
        top = body.top_source_line
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.current is not None, "link panel")
        current = panel.current
        assert current is not None and current.line >= top and current.n > 1
        assert panel.links[current.n - 2].line < top  # the link before it is above the view
        # The last link leads to another post: it opens, and the panel gives way to it.
        await pilot.press(*str(len(panel.links)), "enter")
        from tests.waiting import shown

        await shown(pilot, OTHER)
        assert panel.has_class("hidden") and app.main.focused is body


LINKING = "_posts/2026-01-12-linking.md"
OTHER = "_posts/2026-01-01-other.md"


async def test_a_links_number_typed_in_the_post_follows_that_link(tmp_path):
    """The post shows `다른 글[2]`; typing 2 and Enter in the post did nothing: the digits were the
    link panel's only once `l` had opened it. Now they open it on that link. Keys are posted as
    the terminal driver posts them, all before any is handled."""
    from textual import events

    from reader.ui.post_list import PostList
    from reader.ui.post_view import PostBody
    from tests.waiting import shown

    posts = {
        OTHER: POSTS[OTHER],
        LINKING: "---\ntitle: 잇는 글\ndate: 2026-01-12\n---\n"
        "[바깥](https://example.org/) 그리고 [다른 글](2026-01-01-other.md)\n",
    }
    app = app_for(write_blog(tmp_path / "site", posts), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        screen = app.main
        post_list, panel = screen.query_one(PostList), screen.query_one(LinkPanel)
        await open_row(pilot, LINKING)
        body = screen.query_one(PostBody)
        await until(pilot, lambda: "다른 글[2]" in body.text and screen.focused is body, "the post, read")
        for key in ("2", "enter"):
            app.post_message(events.Key(key, key if key != "enter" else "\r"))
        await shown(pilot, OTHER)
        # In the list a digit opens no panel: the post beside it is not where the reader is.
        post_list.focus()
        await until(pilot, lambda: screen.focused is post_list, "in the list")
        panel.add_class("hidden")
        await pilot.press("1")
        await pilot.pause()
        assert panel.has_class("hidden") and screen.focused is post_list

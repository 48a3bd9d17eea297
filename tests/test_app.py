"""The reader app driven with real keys through Textual's Pilot, on a small blog the tests write."""

from __future__ import annotations

import re

from textual import events

from reader.posts.text import cell_width
from reader.ui.app import ReaderApp, build_app
from reader.ui.link_panel import LinkPanel
from reader.ui.main_screen import MainScreen
from reader.ui.post_list import PostList
from reader.ui.post_pane import PostHeader, PostPane
from reader.ui.post_view import PostBody
from reader.ui.screens import ConfirmScreen, HelpScreen
from reader.ui.sidebar import Sidebar
from tests.app_fixtures import app_for, fake_browser, hold_library, open_row
from tests.conftest import POSTS
from tests.sites import write_blog
from tests.waiting import laid_out, ready, shown, until

SIZE = (150, 45)
LINKS = "_posts/2026-01-10-links.md"
WELCOME = "_posts/2026-01-05-welcome.md"
KEYS = "_posts/2026-01-06-keys.md"
ML = "_posts/2025-11-20-machine-learning.md"
FOOTNOTES = "_posts/2025-06-01-footnotes.md"


def header(app: ReaderApp) -> str:
    return str(app.main.query_one(PostHeader).render())


def body_text(app: ReaderApp) -> str:
    body = app.main.query_one(PostBody)
    body.render_all()
    return body.text


async def move_to(pilot, path: str) -> None:
    post_list = pilot.app.main.query_one(PostList)
    post_list.focus()
    post_list.cursor = [r.path for r in post_list.rows].index(path)  # j/k themselves are tested below
    await shown(pilot, path)


async def test_first_screen_lists_posts_newest_first_and_previews_the_first(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.main.query_one(PostList).rows
        assert rows[0].path == LINKS
        assert [r.date for r in rows] == sorted((r.date for r in rows), reverse=True)
        assert not any(r.draft for r in rows)  # drafts hidden by default
        # The sidebar counts the posts listed: hidden drafts are not in them.
        all_posts = str(app.main.query_one(Sidebar).root.children[0].label)
        assert all_posts.startswith(f"All posts  {len(rows)} (+1 drafts hidden)"), all_posts
        assert "링크 모음" in header(app)
        assert "Textual" in body_text(app)


async def test_the_bundled_guide_opens_on_its_welcome_post(tmp_path):
    app = build_app(POSTS, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.main.open_path == "2026-01-05-welcome.md"
        assert "reader에 오신 것을 환영합니다" in header(app)
        assert "처음 열었을 때" in body_text(app)


async def test_j_k_g_G_move_and_preview(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        rows = app.main.query_one(PostList).rows
        await pilot.press("j", "j")
        await shown(pilot, rows[2].path)
        await pilot.press("k")
        await shown(pilot, rows[1].path)
        await pilot.press("G")
        await shown(pilot, rows[-1].path)
        await pilot.press("g")
        await shown(pilot, rows[0].path)


async def test_holding_j_renders_only_where_the_cursor_rests(make_app, monkeypatch):
    app = make_app()
    asked: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        original = screen.services.parse_post
        monkeypatch.setattr(
            screen.services,
            "parse_post",
            lambda request, path, snapshot: (asked.append(path), original(request, path, snapshot)),
        )
        for _ in range(5):  # as fast as key repeat delivers them, no waiting in between
            app.post_message(events.Key("j", "j"))
        target = screen.query_one(PostList).rows[5].path
        await shown(pilot, target)
        assert len(asked) <= 2, asked  # coalesced, not five parses


async def test_sidebar_filters_by_tag_and_category(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        sidebar = app.main.query_one(Sidebar)
        sidebar.focus()
        target = next(n for n in sidebar.root.children[4].children if n.data and n.data.value == "python")
        sidebar.move_cursor(target)
        await pilot.press("enter")
        await until(pilot, lambda: len(app.main.query_one(PostList).rows) == 2, "filtered to #python")
        assert {r.path for r in app.main.query_one(PostList).rows} == {ML, "_posts/2025-08-01-django.md"}
        category = next(n for n in sidebar.root.children[3].children if n.data and n.data.value == "개발")
        sidebar.focus()
        sidebar.move_cursor(category)
        await pilot.press("enter")
        await until(
            pilot,
            lambda: {r.path for r in app.main.query_one(PostList).rows} == {"_posts/2025-08-01-django.md", FOOTNOTES},
            "filtered to 개발",
        )


async def test_search_as_you_type_open_hit_and_step_matches(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        await pilot.press("slash", *"머신러닝")
        post_list = screen.query_one(PostList)
        await until(
            pilot,
            lambda: post_list.rows and post_list.rows[0].path == ML and post_list.rows[0].snippet,
            "search results",
        )
        row = post_list.rows[0]
        assert next(row.snippet[a:b] for a, b in row.highlights) == "머신러닝"
        await pilot.press("enter")  # to the hits
        assert screen.focused is post_list
        await pilot.press("enter")  # the first opened
        await shown(pilot, ML)
        body = screen.query_one(PostBody)
        assert screen.focused is body
        assert len(body.all_blocks()) and len(body.match_blocks) >= 2
        await pilot.press("n")
        assert screen.match_index == 1
        await pilot.press("N")
        assert screen.match_index == 0
        await pilot.press("escape")  # back to the hits
        await until(pilot, lambda: screen.focused is post_list and post_list.rows[0].snippet, "the hits again")
        await pilot.press("escape")
        await until(
            pilot,
            lambda: screen.query_one("#search").has_class("hidden") and len(post_list.rows) > 3,
            "back to the full list",
        )


async def test_search_with_an_invalid_query_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", "asterisk", "a", "b")
        await until(pilot, lambda: "invalid query" in str(app.main.query_one("#status").render()), "invalid query")


async def test_link_panel_numbers_every_link_once_and_follows_post_links_with_history(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        await move_to(pilot, LINKS)
        await pilot.press("l")
        panel = screen.query_one(LinkPanel)
        await until(pilot, lambda: screen.focused is panel and panel.links, "link panel")
        urls = [link.url for link in panel.links]
        # Bare www. and e-mail addresses have numbers; two equal links on a line have two.
        assert "www.example.com" in urls and "reader@example.org" in urls
        assert urls.count("https://same.example.org/") == 2
        assert [link.n for link in panel.links] == list(range(1, len(panel.links) + 1))
        # The numbers drawn in the post are the numbers of the panel.
        drawn = body_text(app)
        for link in panel.links:
            assert f"[{link.n}]" in drawn
        keys = next(link.n for link in panel.links if link.target == KEYS)
        await pilot.press(*str(keys), "enter")
        await shown(pilot, KEYS)
        await pilot.press("left_square_bracket")
        await shown(pilot, LINKS)
        await pilot.press("right_square_bracket")
        await shown(pilot, KEYS)


async def test_a_hexo_post_link_without_a_title_shows_and_follows_the_posts_title(tmp_path):
    root = write_blog(
        tmp_path / "site",
        {
            "source/_posts/linking.md": "title: 잇는 글\ndate: 2020-02-02\n---\n"
            "먼저 {% post_link older-post %} 를 읽으세요.\n",
            "source/_posts/older-post.md": "title: 먼저 쓴 글\ndate: 2020-01-01\n---\n옛 본문\n",
        },
    )
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await shown(pilot, "source/_posts/linking.md")
        assert "먼저 먼저 쓴 글[1] 를 읽으세요." in body_text(app)
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.links, "link panel")
        assert [link.text for link in panel.links] == ["먼저 쓴 글"]
        await pilot.press("1", "enter")
        await shown(pilot, "source/_posts/older-post.md")


async def test_back_returns_to_the_place_the_reader_was_at(make_app):
    app = make_app()
    async with app.run_test(size=(150, 20)) as pilot:
        await ready(pilot)
        screen = app.main
        await move_to(pilot, ML)
        body = screen.query_one(PostBody)
        body.focus()
        await pilot.press("space", "space")
        place = round(body.scroll_y)
        assert place > 0
        screen.open_post(KEYS)
        await shown(pilot, KEYS)
        assert body.scroll_y == 0
        await pilot.press("left_square_bracket")
        await shown(pilot, ML)
        await until(pilot, lambda: round(body.scroll_y) == place, "scrolled back to where the reader was")


async def test_a_footnote_and_a_reference_far_from_their_definitions_resolve(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, FOOTNOTES)
        text = body_text(app)
        first = text.split("\n\n")[0]
        assert "[^far]" not in first and "[ref]" not in first, first
        # The footnote raised as the site sets it, the link numbered: not both `[1]`.
        assert "각주¹와 참조 링크[1]" in first, first
        assert "¹ 멀리 있는 각주의 내용" in text
        assert [link.url for link in app.main.links] == ["https://ref.example.org/"]


async def test_anchor_link_scrolls_to_the_heading(make_app):
    app = make_app()
    async with app.run_test(size=(150, 16)) as pilot:
        await ready(pilot)
        screen = app.main
        await move_to(pilot, LINKS)
        body = screen.query_one(PostBody)
        assert body.scroll_y == 0
        anchor = next(link.n for link in screen.links if link.url == "#고려대-dsba")
        await pilot.press("l", *str(anchor), "enter")
        await until(pilot, lambda: body.scroll_y > 0, "scrolled to the heading")
        # At the top, or as near it as the end of the post lets the view go.
        on_screen = [body.current_line_text(y) for y in range(body.size.height)]
        top = next(y for y, line in enumerate(on_screen) if "고려대 DSBA" in line)
        assert top == 0 or body.scroll_y == body.max_scroll_y


async def test_external_links_open_in_the_browser_after_the_policy(make_app, monkeypatch):
    opened = fake_browser(monkeypatch)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        await move_to(pilot, LINKS)
        number = {link.url: link.n for link in screen.links}
        await pilot.press("l", *str(number["https://textual.textualize.io/"]), "enter")
        await until(pilot, lambda: opened == ["https://textual.textualize.io/"], "opened in the browser")
        await pilot.press(*str(number["javascript:alert(1)"]), "enter")  # refused
        await pilot.press(*str(number["mailto:team@example.org"]), "enter")  # asks first
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked before opening mailto:")
        assert opened == ["https://textual.textualize.io/"]
        await pilot.press("y")
        await until(pilot, lambda: opened[-1] == "mailto:team@example.org", "mailto: opened after yes")


async def test_copy_link_uses_the_clipboard(make_app, monkeypatch):
    app = make_app()
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, LINKS)
        await pilot.press("l", "2", "y")
        assert copied == ["https://pypi.org/"]


async def test_clicking_a_link_in_the_post_follows_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, KEYS)
        body = app.main.query_one(PostBody)
        body.render_all()
        await laid_out(pilot)  # the header drawn for this post: the body's place is final
        lines = body.text.split("\n")
        y = next(i for i, line in enumerate(lines) if "환영 글" in line)
        x = cell_width(lines[y][: lines[y].index("환영 글")])  # cells, not characters: Hangul is two wide
        await pilot.click(PostBody, offset=(x + 1, y - round(body.scroll_y)))
        await shown(pilot, WELCOME)


async def test_post_text_is_never_markup_and_never_terminal_control(tmp_path):
    root = write_blog(
        tmp_path / "site",
        {
            "markup.md": '---\ntitle: "[/Python] [@click=app.quit] [bold]제목[/bold]"\ndate: 2020-01-02\n---\n본문\n',
            "escape.md": "---\ntitle: \x1b[2J 지우기\ndate: 2020-01-01\n---\n\x1b]52;c;ZXZpbA==\x07 본문\n",
        },
    )
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await move_to(pilot, "markup.md")
        assert "[/Python] [@click=app.quit] [bold]제목[/bold]" in header(app)
        await pilot.click(PostHeader)
        await move_to(pilot, "escape.md")
        shown_text = header(app) + body_text(app)
        assert "\x1b" not in shown_text and "\x07" not in shown_text and "\ufffd" in shown_text
        assert app.is_running


async def test_help_lists_every_binding(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = {description for _, rows in app.screen.sections for _, description in rows}
        for binding in [*ReaderApp.BINDINGS, *MainScreen.BINDINGS]:
            if binding.description:
                assert binding.description in listed
        # and what the marks before a title mean (a new user met `!` with no word on it)
        marks = {keys: description for _, rows in app.screen.sections for keys, description in rows}
        assert marks["!"] == "the post has warnings: its header lists them when it is open"
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_opens_clear_of_the_notifications_shown(make_app, monkeypatch):
    """At 80×24 a toast lay over the help's keys (an error's: no editor runs in a test's terminal)."""
    monkeypatch.setenv("VISUAL", "vi")
    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await until(pilot, lambda: app.main.query("Toast"), "a toast on screen")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.pause()
        box = app.screen.query_one("VerticalScroll").region
        covering = {
            type(app.screen.get_widget_at(x, y)[0]).__name__
            for y in range(box.y, box.bottom)
            for x in range(box.x, box.right)
        }
        assert "Static" in covering and "Toast" not in covering  # the help's text, nothing over it


async def test_sort_by_updated_date(tmp_path):
    root = write_blog(
        tmp_path / "site",
        {
            "old.md": "---\ntitle: 오래된 글\ndate: 2020-01-01\nupdated: 2026-01-20\n---\n본문\n",
            "new.md": "---\ntitle: 새 글\ndate: 2025-01-01\n---\n본문\n",
        },
    )
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        assert post_list.rows[0].path == "new.md"
        await pilot.press("s")
        assert (post_list.rows[0].path, post_list.rows[0].date) == ("old.md", "2026-01-20")
        await pilot.press("s")
        assert post_list.rows[0].path == "new.md"


async def test_drafts_toggle_and_persist(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        before = len(app.main.query_one(PostList).rows)
        await pilot.press("d")
        rows = app.main.query_one(PostList).rows
        assert len(rows) == before + 1 and any(r.draft for r in rows)
    assert "show_drafts = true" in (tmp_path / "config.toml").read_text()


async def test_theme_choice_persists(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await until(pilot, lambda: (tmp_path / "config.toml").exists(), "settings saved")
    assert 'theme = "nord"' in (tmp_path / "config.toml").read_text()
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: again.theme == "nord", "theme restored")


def palette_first_hit(app: ReaderApp) -> str:
    from textual.command import CommandList

    hits = app.screen.query(CommandList)
    if not hits or not hits.first().option_count:
        return ""
    return str(hits.first().get_option_at_index(0).prompt)


async def test_palette_opens_a_post_by_title(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen is not app.main, "palette open")
        await pilot.press(*"open: Django")
        await until(pilot, lambda: "Django" in palette_first_hit(app), "the palette lists the post")
        await pilot.press("enter")
        await shown(pilot, "_posts/2025-08-01-django.md")


async def test_quit(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "quit")


async def test_files_changing_on_disk_update_the_list(make_app, tmp_path):
    root = write_blog(tmp_path / "site", {"a.md": "---\ntitle: 처음 글\ndate: 2020-01-01\n---\n본문\n"})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        assert [r.title for r in post_list.rows] == ["처음 글"]
        (root / "b.md").write_text("---\ntitle: 새 글\ndate: 2021-01-01\n---\n새로운 본문\n", encoding="utf-8")
        await until(pilot, lambda: [r.title for r in post_list.rows] == ["새 글", "처음 글"], "the new post listed")
        await until(
            pilot,
            lambda: app.main.index_ready and "index ready" in str(app.main.query_one("#status").render()),
            "indexed again",
        )


async def test_quitting_during_the_first_index_build_stops_the_build(tmp_path, monkeypatch):
    """`q` while the first index of a blog is being built: the build stops at its next post
    (it used to run to its end first: 16.7 s for 1,200 posts)."""
    import threading

    from reader.search import index as search_index
    from reader.search import indexer

    # The build waits at its 100th post until `q` is pressed: on a loaded machine it could
    # otherwise finish before the key arrives (a race the test must not depend on).
    pressed, ended, calls = threading.Event(), threading.Event(), [0]
    real_document, real_rebuild = indexer.document, search_index.SearchIndex._rebuild

    def document(post):
        calls[0] += 1
        if calls[0] == 100:
            pressed.wait(timeout=30)
        return real_document(post)

    def rebuild(*args, **kwargs):
        try:
            return real_rebuild(*args, **kwargs)
        finally:
            ended.set()  # after its clean-up

    monkeypatch.setattr(indexer, "document", document)
    monkeypatch.setattr(search_index.SearchIndex, "_rebuild", rebuild)
    files = {
        f"2020-01-{i % 28 + 1:02d}-post-{i}.md": f"---\ntitle: 글 {i}\n---\n"
        + f"본문 {i} 데이터 분석과 머신러닝 이야기. " * 150
        for i in range(1200)
    }
    root = write_blog(tmp_path / "site", files)
    index = tmp_path / "index"
    app = build_app(root, index_dir=index, watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot,
            lambda: re.search(r"indexing \d+/", str(app.main.query_one("#status").render())),
            "the build under way",
        )
        await pilot.press("q")
        pressed.set()
    assert ended.wait(timeout=60)  # the worker's thread outlives the test app (not the process)
    assert calls[0] < 1200  # stopped at its next post
    assert not (index / "CURRENT").exists()  # the build never finished
    assert not [p for p in index.iterdir() if p.name.startswith("g-")]  # and left nothing behind


async def test_search_says_why_when_there_can_be_no_index(tmp_path, blog):
    folder = tmp_path / "not-ours"
    folder.mkdir()
    (folder / "notes.txt").write_text("someone's", encoding="utf-8")
    app = build_app(blog[0], index_dir=folder, watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await until(pilot, lambda: screen.index_problem is not None, "the index refused")
        await pilot.press("slash", *"머신러닝")
        await until(
            pilot,
            lambda: (
                "search is not available" in str(screen.query_one("#status").render())
                and "holds other files" in str(screen.query_one("#status").render())
            ),
            "the reason shown",
        )
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


async def test_a_post_of_twelve_thousand_links_shows_its_start_at_once_and_lists_a_bounded_panel(tmp_path, monkeypatch):
    """A post controls its size: its start is shown from a parse of its first part while the
    whole is parsed (seconds for markdown-it), and the panel lists 1,000 links, not 12,000."""
    opened = fake_browser(monkeypatch)
    body = "".join(f"[링크 {i}](https://example.org/{i})\n" for i in range(1, 12_001))
    root = write_blog(tmp_path / "site", {"many.md": "---\ntitle: 링크가 많은 글\n---\n" + body})
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    seen: list[tuple[bool, int]] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        pane = screen.query_one(PostPane)
        original = pane.show

        def spy(post, document, state):
            seen.append((bool(screen._partial), len(document.links)))
            original(post, document, state)

        pane.show = spy
        await until(pilot, lambda: any(not partial for partial, _ in seen), "the whole post parsed", timeout=120)
        assert seen[0][0] and 0 < seen[0][1] < 12_000  # its start was on screen first
        assert seen[-1] == (False, 12_000)
        assert "링크 1" in body_text(app)
        await pilot.press("l")
        panel = screen.query_one(LinkPanel)
        await until(pilot, lambda: panel.option_count == 1_001, "the panel filled")
        await pilot.press(*"11999", "enter")
        await until(pilot, lambda: opened == ["https://example.org/11999"], "a link past the list followed")


async def test_a_hit_inside_code_opens_at_it_and_the_current_match_stands_out(tmp_path):
    root = write_blog(
        tmp_path / "site",
        {
            "code.md": "---\ntitle: 코드 글\ndate: 2020-01-01\n---\n"
            + "쉬는 문단.\n\n" * 40
            + "```python\nresult = 특수어휘(1)\n```\n\n"
            + "쉬는 문단.\n\n" * 10
            + "본문의 특수어휘 하나.\n",
        },
    )
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(120, 20)) as pilot:
        await ready(pilot)
        screen = app.main
        await pilot.press("slash", *"특수어휘")
        post_list = screen.query_one(PostList)
        await until(pilot, lambda: post_list.rows and post_list.rows[0].snippet, "search results")
        await pilot.press("enter", "enter")  # to the hits, and the first opened
        await shown(pilot, "code.md")
        body = screen.query_one(PostBody)
        await until(pilot, lambda: "특수어휘(1)" in body.current_line_text(0) or body.scroll_y > 0, "at the match")
        assert len(body.match_blocks) == 2  # the one in the code block counts
        first = round(body.scroll_y)
        assert "특수어휘" in "\n".join(body.current_line_text(y) for y in range(body.size.height))
        text, start, end = body._matches[body.current_match]
        assert any(
            span.style == screen.palette.current_match for span in text.spans if (span.start, span.end) == (start, end)
        )
        await pilot.press("n")
        assert body.current_match == 1 and round(body.scroll_y) > first
        old_text, old_start, old_end = body._matches[0]
        assert not any(
            span.style == screen.palette.current_match
            for span in old_text.spans
            if (span.start, span.end) == (old_start, old_end)
        )


async def test_dollar_shows_math_as_written_and_back(tmp_path):
    root = write_blog(tmp_path / "site", {"math.md": "---\ntitle: 수식\n---\n$$\n{ w }_{ t-1 }\n$$\n"})
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "wₜ₋₁" in body_text(app)
        await pilot.press("dollar_sign")
        await until(pilot, lambda: "{ w }_{ t-1 }" in body_text(app), "the LaTeX as written")
        await pilot.press("dollar_sign")
        await until(pilot, lambda: "wₜ₋₁" in body_text(app), "symbols again")


async def test_a_display_equation_too_wide_for_the_pane_never_leaves_a_bracket_alone(tmp_path):
    """Rich wraps at spaces and folds the rest at the edge: a formula one cell wider than the
    pane ended with its last `)` alone on a line. It breaks before an operator instead."""
    from rich.console import Console
    from rich.text import Text

    from reader.posts.latex import to_text

    fractions = "+".join(rf"\frac{{a_{n}+b}}{{c+d_{n}}}" for n in range(1, 5))
    latex = rf"h(x) = {fractions}+(x+(y+(z+(w+v))))"
    formula = to_text(latex)
    assert formula is not None
    root = write_blog(
        tmp_path / "site", {"math.md": f"---\ntitle: 수식\n---\n앞 문단.\n\n$$\n{latex}\n$$\n\n뒤 문단.\n"}
    )
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # the post alone, as wide as 80 columns allow
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: app.main.single == "post" and body.fully_rendered, "the post alone")
        room = body.scrollable_content_region.width - 4  # the equation's indent
        # The formula is one cell too wide for Rich's own wrap at this width: the `)` alone.
        assert ")" in [line.plain.strip() for line in Text(formula).wrap(Console(width=room), room)]
        lines = body_text(app).split("\n")
        start = next(n for n, line in enumerate(lines) if line.strip().startswith("h(x) ="))
        shown_lines = [line.strip() for line in lines[start:] if line.strip()][:2]
        assert shown_lines == [formula[: formula.index("+(x+")], "+(x+(y+(z+(w+v))))"], lines


# --- the post reopened at start ------------------------------------------------------------

LINKING = "_posts/2019-12-01-linking.md"
SELF_LINKED = {  # no _config.yml: the site's own host is learnt from its posts' links (as ratsgo's)
    **{f"_posts/2020-01-0{n}-p{n}.md": f"---\ntitle: 글 {n}\n---\n본문 {n}\n" for n in range(1, 4)},
    LINKING: "---\ntitle: 잇는 글\n---\n"
    + " ".join(f"[글 {n}로](https://me.example/blog/2020/01/0{n}/p{n}/)" for n in range(1, 4))
    + "\n",
}


def panel_lines(panel: LinkPanel) -> list[str]:
    return [str(panel.get_option_at_index(n).prompt) for n in range(panel.option_count)]


async def test_the_post_reopened_at_start_links_to_the_sites_own_posts(tmp_path, monkeypatch):
    """The first screen lists the posts from the index, before any file is read: the post read
    last is reopened from there, and its links lead to the posts they name once the files are
    read, the link panel open or not."""
    site = write_blog(tmp_path / "site", SELF_LINKED)
    app = app_for(site, tmp_path)
    async with app.run_test(size=(120, 35)) as pilot:
        await ready(pilot)
        await open_row(pilot, LINKING)
        assert [link.kind for link in app.main.links] == ["post"] * 3
    read = hold_library(monkeypatch, "read")  # the files are read after the first screen: held there
    again = app_for(site, tmp_path)
    try:
        async with again.run_test(size=(120, 35)) as pilot:
            screen = again.main
            body = screen.query_one(PostBody)
            await until(pilot, lambda: screen.open_path == LINKING and body.document is not None, "reopened")
            assert not screen.loaded  # the first screen, from the index
            await pilot.press("tab", "tab", "l")
            panel = screen.query_one(LinkPanel)
            await until(pilot, lambda: screen.focused is panel and panel.links, "link panel")
            await pilot.press("down")  # the reader's place in the panel
            read.set()
            await until(pilot, lambda: screen.loaded, "the files read")
            expected = [f"{n} post     글 {n}로  → 글 {n}" for n in range(1, 4)]
            await until(pilot, lambda: [line.strip() for line in panel_lines(panel)] == expected, "post links")
            assert panel.highlighted == 1
            await pilot.press("enter")
            await shown(pilot, "_posts/2020-01-02-p2.md")
    finally:
        read.set()

"""Searching in the app, driven by keys: honest results, did-you-mean, 초성, the scan while the
index is built, find in the post, the filter's scope, history and a status that never goes stale."""

from __future__ import annotations

import pytest
from textual import events

from reader.ui.app import build_app
from reader.ui.post_list import PostList
from reader.ui.post_pane import PostPane
from reader.ui.post_view import PostBody
from reader.ui.sidebar import Sidebar
from tests.app_fixtures import hold_first_build
from tests.sites import write_blog
from tests.waiting import ready, shown, until

SIZE = (150, 45)
ML = "_posts/2025-11-20-machine-learning.md"
DJANGO = "_posts/2025-08-01-django.md"


def status(app) -> str:
    return str(app.main.query_one("#status").render())


def rows(app) -> list[str]:
    return [r.path for r in app.main.query_one(PostList).rows]


async def search(pilot, text: str) -> None:
    box = pilot.app.main.search_box
    if not box.active:
        await pilot.press("slash")
    box.value = ""
    await pilot.press(*text)


async def test_a_word_no_post_holds_lists_nothing_and_says_so(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await search(pilot, "쿠버네티스")
        await until(pilot, lambda: "no posts contain 쿠버네티스" in status(app), "the plain answer")
        assert rows(app) == []


async def test_a_typo_shows_labelled_results_for_the_spelling_the_posts_use(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await search(pilot, "머신러닌")
        await until(pilot, lambda: "showing results for 머신러닝" in status(app), "the correction shown")
        assert ML in rows(app) and "no posts contain 머신러닌" in status(app)
        row = app.main.query_one(PostList).rows[0]
        assert "머신러닝" in [row.title[a:b] for a, b in row.title_highlights]


async def test_initial_consonants_find_the_word_in_search_and_in_the_palette(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await search(pilot, "ㅁㅅㄹㄴ")
        await until(pilot, lambda: rows(app) and rows(app)[0] == ML, "초성 search")
        assert "showing results for 머신러닝" in status(app)
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen is not app.main, "palette open")
        await pilot.press(*"ㅁㅅㄹㄴ")
        from tests.test_app import palette_first_hit

        await until(pilot, lambda: "머신러닝 입문 노트" in palette_first_hit(app), "the palette lists the post")
        await pilot.press("enter")
        await shown(pilot, ML)


async def test_counts_are_exact_singular_right_and_cleared_on_escape(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await search(pilot, "django")
        await until(pilot, lambda: rows(app) == [DJANGO], "one hit")
        assert "1 post matches" in status(app) and "about" not in status(app)
        await pilot.press("escape")
        await until(pilot, lambda: "match" not in status(app) and "index ready" in status(app), "status at rest")


async def test_a_field_typed_without_its_value_keeps_the_list_and_says_what_it_needs(make_app):
    """While `tag:` is typed, the list stays as it was (every post, or the hits of the words
    before it) instead of showing the posts holding the word "tag"; the value filters."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        everything = rows(app)
        await search(pilot, "tag:")
        hint = "tag: needs a value after the colon, as in tag:python"
        await until(pilot, lambda: hint in status(app), "the hint")
        assert rows(app) == everything and "invalid" not in status(app)
        await pilot.press(*"django")
        await until(pilot, lambda: rows(app) == [DJANGO], "the tag's posts")
        await search(pilot, "머신러닝")
        await until(pilot, lambda: rows(app) == [ML], "the word's hits")
        # Pasted at once: typed a letter at a time, a pause after `categor` searches that word
        # (no post holds it: an empty list, kept while `category:` waits for its value).
        app.main.search_box.value = "머신러닝 category:"
        await until(pilot, lambda: "category: needs a value" in status(app), "the hint")
        assert rows(app) == [ML]


def status_colour(app) -> str:
    """The colour the status line is painted in (Textual's Content: one span over it)."""
    return " ".join(sorted({str(span.style) for span in app.main.query_one("#status").render().spans}))


async def test_a_group_still_open_is_incomplete_while_typed_and_said_as_an_error_on_enter(make_app):
    """`(머신` was painted red as an error (`invalid query: missing ')'`) while the `)` was still
    to come, as `"자연어` and `tag:` are not; and Enter on it went to a list of hits of nothing
    typed. Now it is incomplete while typed, and Enter says what is wrong, in red, in the box."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        everything = rows(app)
        await search(pilot, "(머신")
        said = "the group (머신 is not closed: end it with )"
        await until(pilot, lambda: status(app) == said, "the group said to be open")
        assert status_colour(app) == "yellow" and rows(app) == everything
        await pilot.press("enter")
        await until(pilot, lambda: status_colour(app) == "red", "Enter: said as an error")
        assert status(app) == said and screen.focused is screen.search_box and rows(app) == everything
        await pilot.press(")")
        await until(pilot, lambda: rows(app) == [ML], "the group closed: its hits")
        await pilot.press("enter")
        await until(pilot, lambda: screen.focused is screen.query_one(PostList), "Enter: to the hits")
        await pilot.press("slash")  # back in the box
        await search(pilot, "*ab")  # an invalid query is an error as it is typed, as before
        await until(pilot, lambda: "invalid query" in status(app), "invalid")
        assert status_colour(app) == "red"


async def test_a_group_typed_and_entered_at_once_is_said_as_an_error(make_app):
    """`/ (머신 Enter` typed at once: Enter judged the query before the box had taken the keys
    queued before it (an empty box: nothing wrong), and went to the hits. Now it judges what was
    typed: the group is said to be open, in red, and the box keeps the keys. Keys are posted as the
    terminal driver posts them, all before any is handled."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        for key in ("slash", "(", *"머신", "enter"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await until(pilot, lambda: status_colour(app) == "red", "Enter: said as an error")
        assert status(app) == "the group (머신 is not closed: end it with )"
        assert screen.search_box.value == "(머신" and screen.focused is screen.search_box


async def test_an_invalid_query_is_said_in_the_interfaces_language(make_app, tmp_path):
    """`invalid query: …` said its reason in English in the Korean interface (`language = "ko"`):
    the search core's own words. Now the core gives the facts (which problem, which word) and the
    app says them in Korean, as it types them and on Enter."""
    from reader.ui import i18n

    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = make_app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            said = {
                "*ab": "검색어를 쓸 수 없습니다: * 로 낱말을 시작할 수 없습니다: '*ab'",
                "머신*러닝": "검색어를 쓸 수 없습니다: * 는 낱말 끝에만 쓸 수 있습니다: '머신*러닝'",
                "date:2020-13": "검색어를 쓸 수 없습니다: 13월은 없습니다: '2020-13'",
                "a)": "검색어를 쓸 수 없습니다: 여는 ( 없이 ) 가 있습니다",
            }
            for query, line in said.items():
                await search(pilot, query)
                await until(pilot, lambda line=line: status(app) == line, f"{query}: said in Korean")
            await pilot.press("enter")  # said again, as an error, on Enter
            await until(pilot, lambda: status_colour(app) == "red", "Enter: an error")
            assert status(app) == said["a)"] and app.main.focused is app.main.search_box
    finally:
        i18n.set_language("en")


async def test_search_while_the_first_index_is_built_answers_from_a_scan(tmp_path, monkeypatch):
    root = write_blog(tmp_path / "site")
    release = hold_first_build(monkeypatch)  # until the test has searched
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.main
            await until(pilot, lambda: screen.loaded and not screen.index_ready, "posts read, index not built")
            await search(pilot, "머신러닝을")
            await until(pilot, lambda: screen.search_result is not None, "results from the scan")
            assert rows(app) == [ML]
            assert "from a scan" in status(app)
            assert screen.search_result is not None and screen.search_result.scanned
            release.set()
            await until(pilot, lambda: screen.index_ready, "the index built")
            await until(
                pilot,
                lambda: screen.search_result is not None and not screen.search_result.scanned,
                "the index answers",
            )
            assert ML in rows(app) and "from a scan" not in status(app)
    finally:
        release.set()


async def test_find_in_the_post_matches_korean_words_with_their_particles(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        post_list = screen.query_one(PostList)
        post_list.focus()
        post_list.cursor = rows(app).index(ML)
        await shown(pilot, ML)
        await pilot.press("f", *"머신러닝")
        body = screen.query_one(PostBody)
        # `머신러닝은` and `머신러닝을`: both found, the particle left out of the mark
        await until(pilot, lambda: len(body.match_blocks) == 2 and "match 1/2" in status(app), "two matches")
        await pilot.press("enter")
        assert screen.focused is body
        await pilot.press("n")
        await until(pilot, lambda: "match 2/2" in status(app), "the next match")
        assert body.current_match == 1
        await pilot.press("N")
        await until(pilot, lambda: "match 1/2" in status(app), "the previous match")
        await pilot.press("f")
        screen.find_box.value = ""
        await pilot.press(*"없는말")
        await until(pilot, lambda: "not in this post: 없는말" in status(app), "nothing found said so")
        await pilot.press("escape")
        await until(pilot, lambda: not screen.find_box.active and body.matcher is None, "find closed, marks gone")
        assert screen.focused is body


@pytest.mark.parametrize("opener", ["ctrl+f", "f"])
async def test_keys_typed_right_after_enter_in_the_find_box_act_on_the_post(make_app, opener):
    """`Ctrl+F`, a word, Enter and `n` typed at once: the `n` went into the box (`머신러닝n`, not
    in this post) because Enter moved the focus to the post only once the box had taken the keys
    queued after it, and the word's matches came a debounce later. Now Enter finds the word and
    hands the focus to the post at once: `n` goes to the next match. Keys are posted as the
    terminal driver posts them, all before any is handled."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        post_list, body = screen.query_one(PostList), screen.query_one(PostBody)
        post_list.focus()
        post_list.cursor = rows(app).index(ML)
        await shown(pilot, ML)
        for key in (opener, *"머신러닝", "enter", "n"):
            app.post_message(events.Key(key, None if key == "ctrl+f" else key))
        await until(pilot, lambda: "match 2/2" in status(app), "n: the second match")
        assert screen.find_box.value == "머신러닝" and screen.focused is body and body.current_match == 1
        await pilot.press("N")
        await until(pilot, lambda: "match 1/2" in status(app), "N: the first match again")
        assert body.current_match == 0 and screen.find_box.value == "머신러닝"


async def test_f_in_a_box_is_text_and_ctrl_f_there_opens_the_find_box(make_app):
    """`f` is a priority binding now (the keys after it go to the box): in the search box and in
    the find box it is still a letter typed, and Ctrl+F from the search box still finds in the post."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        await search(pilot, "fast")
        assert screen.search_box.value == "fast" and not screen.find_box.active
        await pilot.press("ctrl+f")
        await until(pilot, lambda: screen.focused is screen.find_box, "Ctrl+F: the find box")
        await pilot.press(*"offset")
        assert screen.find_box.value == "offset" and screen.search_box.value == "fast"


async def test_search_is_scoped_to_the_filter_and_ctrl_g_widens_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        sidebar = app.main.query_one(Sidebar)
        sidebar.focus()
        target = next(n for n in sidebar.root.children[4].children if n.data and n.data.value == "django")
        sidebar.move_cursor(target)
        await pilot.press("enter")
        await until(pilot, lambda: rows(app) == [DJANGO], "filtered to #django")
        assert "1 in #django" in status(app)
        await search(pilot, "python")
        post_list = app.main.query_one(PostList)
        await until(pilot, lambda: rows(app) == [DJANGO] and "in #django" in str(post_list.border_title), "scoped")
        assert "Ctrl+G" in status(app)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: set(rows(app)) == {DJANGO, ML}, "widened to every post")


async def test_a_typo_within_a_sidebar_filter_is_corrected_within_it(make_app):
    """A typo searched within a filter whose posts hold none of its spellings (`#django`, then
    `머신러닌`) said only `no posts contain 머신러닌`, where every post's search showed the results
    for 머신러닝: the spelling is offered now, said to be outside the filter, and Ctrl+G shows
    its results. Within a filter that holds it (`#python`), the results are shown, in the filter."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen, sidebar = app.main, app.main.query_one(Sidebar)
        post_list = screen.query_one(PostList)

        async def choose_tag(tag: str, posts: list[str]) -> None:
            screen.leave_search()
            sidebar.focus()
            target = next(n for n in sidebar.root.children[4].children if n.data and n.data.value == tag)
            sidebar.move_cursor(target)
            await pilot.press("enter")
            await until(pilot, lambda: sorted(rows(app)) == sorted(posts), f"filtered to #{tag}")

        await choose_tag("django", [DJANGO])
        await search(pilot, "머신러닌")
        said = "no posts contain 머신러닌 · did you mean 머신러닝? (not in #django) · Ctrl+G: all posts"
        await until(pilot, lambda: status(app) == said, "the spelling offered, outside the filter")
        assert rows(app) == [] and "in #django" in str(post_list.border_title)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: "showing results for 머신러닝" in status(app), "Ctrl+G: every post, corrected")
        assert rows(app) == [ML]
        await choose_tag("python", [DJANGO, ML])
        await search(pilot, "머신러닌")
        await until(pilot, lambda: "showing results for 머신러닝" in status(app), "the correction, within the filter")
        assert rows(app) == [ML] and "in #python" in str(post_list.border_title)


async def test_history_recalls_earlier_queries_across_runs(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for query in ("django", "머신러닝"):
            await search(pilot, query)
            await until(pilot, lambda: rows(app), "results")
            await pilot.press("enter")
            await pilot.press("escape")
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        box = again.main.search_box
        await pilot.press("slash", *"파이")
        await pilot.press("up")
        assert box.value == "머신러닝"
        await pilot.press("up")
        assert box.value == "django"
        await pilot.press("down", "down")
        assert box.value == "파이"  # what was typed comes back past the newest
        await pilot.press("down")  # not browsing any more: down goes to the results
        await until(pilot, lambda: again.main.focused is again.main.query_one(PostList), "down to the results")


def drawn(post_list: PostList) -> str:
    """The text of the list's lines as it draws them now (its content, inside its frame: the
    crop is in the widget's own coordinates, its border included)."""
    region = post_list.scrollable_content_region.translate((-post_list.region.x, -post_list.region.y))
    return "\n".join("".join(segment.text for segment in strip) for strip in post_list.render_lines(region))


async def test_a_long_result_list_shows_a_lower_hits_snippet_once_scrolled_to(tmp_path):
    from reader.search.highlight import snippet
    from tests.app_fixtures import app_for

    posts = {
        f"_posts/2024-03-{n % 28 + 1:02d}-deploy-{n:03d}.md": (
            f"---\ntitle: 배포 노트 {n:03d}\n---\n\n"
            + "서버를 옮기던 날의 메모. " * 20
            + f"쿠버네티스 배포기록{n:03d} 정리.\n"
        )
        for n in range(90)
    }
    root = write_blog(tmp_path / "site", posts)
    app = app_for(root, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await search(pilot, "쿠버네티스")
        post_list = app.main.query_one(PostList)
        await until(
            pilot,
            lambda: (
                app.main.search_result is not None
                and app.main.search_result.query == "쿠버네티스"  # not a result for the letters typed before
                and len(post_list.rows) == 90
            ),
            "ninety hits listed",
        )
        last = post_list.rows[-1]
        shown_there = f"배포기록{last.title.split()[-1]}"  # its snippet's own word (it may start the second line)
        assert shown_there not in drawn(post_list)
        # Not drawn yet, so not cut yet: the worker cuts a first screen's worth, the list the rest.
        assert last.found is not None and not last.found.cut.done
        await pilot.press("down")  # from the search box to the results
        await until(pilot, lambda: app.main.focused is post_list, "the results focused")
        await pilot.press("end")
        await until(pilot, lambda: last.found.cut.done, "the last hit's snippet cut as it is drawn")
        assert shown_there in drawn(post_list)
        body = (root / last.path).read_text(encoding="utf-8").split("---\n", 2)[2]
        assert last.snippet == snippet(body, app.main.search_result.matcher).text  # as it was cut before


GUIDE = ["_posts/2026-01-10-links.md", "_posts/2026-01-06-keys.md", "_posts/2026-01-05-welcome.md"]


def on_screen(widget) -> bool:
    """Whether `widget` takes room on the screen now (a hidden pane has none)."""
    return widget.display and widget.region.width > 0 and widget.region.height > 0


@pytest.mark.parametrize("size", [(80, 24), (150, 45)])
async def test_enter_in_the_search_box_goes_to_the_results_and_esc_comes_back_to_them(make_app, size):
    """Enter lands in the list of hits (the first one previewed where there is room, the list
    alone under 100 columns): j/k move through the hits, Enter opens one, Esc from it comes
    back to the hits, Esc again leaves the search."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.main
        post_list, body, pane = screen.query_one(PostList), screen.query_one(PostBody), screen.query_one(PostPane)
        everything = rows(app)
        narrow = size[0] < 100
        await pilot.press("slash", *"guide", "enter")  # typed and entered at once, as a user does
        await until(
            pilot,
            lambda: screen.focused is post_list and sorted(rows(app)) == sorted(GUIDE),
            "the hits listed, with the focus",
        )
        assert screen.search_box.active and post_list.cursor == 0
        await pilot.pause()
        assert on_screen(post_list)
        assert "키 안내" in drawn(post_list) and "링크 모음" in drawn(post_list)
        if narrow:
            assert not on_screen(pane)  # the list of hits is what shows
        else:
            await shown(pilot, rows(app)[0])  # the first hit previewed beside the list
            assert on_screen(pane)
        await pilot.press("j")
        second = rows(app)[1]
        assert post_list.cursor == 1 and screen.focused is post_list
        if not narrow:
            await shown(pilot, second)
        await pilot.press("enter")
        await shown(pilot, second)
        await until(pilot, lambda: screen.focused is body, "the hit opened")
        assert on_screen(pane) and (on_screen(post_list) != narrow)
        await pilot.press("escape")
        await until(pilot, lambda: screen.focused is post_list, "back to the hits")
        await pilot.pause()
        assert screen.search_box.active and sorted(rows(app)) == sorted(GUIDE) and post_list.cursor == 1
        assert on_screen(post_list)
        await pilot.press("escape")
        await until(pilot, lambda: not screen.search_box.active and rows(app) == everything, "the search left")
        assert screen.focused is post_list


async def test_a_search_from_the_post_alone_brings_the_hits_into_view(make_app):
    """`z` (the post alone), then `/`: the panes come back for the hits to show as they are typed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        post_list = screen.query_one(PostList)
        await pilot.press("z")
        assert not on_screen(post_list)
        await pilot.press("slash", *"guide", "enter")
        await until(pilot, lambda: screen.focused is post_list and sorted(rows(app)) == sorted(GUIDE), "the hits")
        await pilot.pause()
        assert on_screen(post_list) and not screen.settings.maximized


@pytest.mark.parametrize("size", [(80, 24), (150, 45)])
async def test_z_in_the_hits_shows_the_hit_alone_and_z_again_comes_back_to_the_same_hit(make_app, size):
    """`/`, a query, Enter and `z` typed on: the `z` went into the query (Enter moved the focus
    only once the box had taken the keys after it), and the post maximised kept the search box
    above it. Now `z` shows the hit under the cursor alone, the whole screen below the status,
    and `z` again the hits as they were, the same one under the cursor and focused. Keys are
    posted here as the terminal driver posts them, all before any is handled."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.main
        post_list, body = screen.query_one(PostList), screen.query_one(PostBody)
        for key in ("slash", *"python", "enter", "z"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await until(pilot, lambda: screen.settings.maximized and screen.focused is body, "the post alone")
        assert screen.search_box.value == "python"
        await until(pilot, lambda: sorted(rows(app)) == sorted([DJANGO, ML]), "the hits, behind the post")
        await shown(pilot, rows(app)[0])  # the hit under the cursor
        await pilot.pause()
        assert not on_screen(screen.search_box) and not on_screen(post_list)
        assert screen.query_one("#right").region.y == 0  # the post from the top of the screen
        await pilot.press("z")
        await until(pilot, lambda: not screen.settings.maximized and screen.focused is post_list, "the hits back")
        await pilot.press("j", "z")  # the second hit, alone
        second = rows(app)[1]
        await until(pilot, lambda: screen.settings.maximized and screen.focused is body, "the second hit alone")
        await shown(pilot, second)
        await pilot.press("z")
        await until(pilot, lambda: not screen.settings.maximized and screen.focused is post_list, "the hits back")
        await pilot.pause()
        assert on_screen(screen.search_box) and on_screen(post_list)
        assert post_list.cursor == 1 and rows(app)[1] == second and screen.search_box.value == "python"
        await pilot.press("escape")  # and the search is left as ever
        await until(pilot, lambda: not screen.search_box.active, "the search left")


async def test_a_query_typed_in_one_burst_after_the_slash_is_the_querys(make_app):
    """`/` and a query arriving at once (pasted, or typed by a fast hand over ssh): each key was
    queued to the list before `/` moved the focus, and acted there (`m` marked the post read,
    `b` bookmarked it); the box stayed empty. Keys are posted here as the terminal driver
    posts them, all before any is handled."""
    from textual import events

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        for key in ("slash", "m", "b", "x"):
            app.post_message(events.Key(key, "/" if key == "slash" else key))
        await until(pilot, lambda: screen.search_box.value == "mbx", "the burst in the box")
        assert screen.focused is screen.search_box
        assert screen.reading.bookmarks() == []
        await pilot.press("escape")
        await pilot.press("slash", *"category:공부/ml")  # `/` in the box is text
        await until(pilot, lambda: screen.search_box.value == "category:공부/ml", "a slash typed in the box")


async def test_down_and_enter_typed_at_once_open_the_first_hit(make_app):
    """↓ then Enter, as a quick hand types them after a query: Enter (a priority key) was handled
    before the ↓ queued in the box, so Enter went to the hits and ↓ then moved the list's cursor:
    the second hit under it and nothing opened. Keys are posted here as the terminal driver posts
    them, all before any is handled."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.main
        await search(pilot, "python")
        await until(pilot, lambda: sorted(rows(app)) == sorted([DJANGO, ML]), "the hits")
        first = rows(app)[0]
        for key in ("down", "enter"):
            app.post_message(events.Key(key, None))
        body = screen.query_one(PostBody)
        await until(pilot, lambda: screen.focused is body, "a hit opened")
        await shown(pilot, first)
        assert screen.query_one(PostList).cursor == 0
        # ↓ still comes forward through earlier queries once ↑ went back to them.
        await pilot.press("slash")
        await until(pilot, lambda: screen.focused is screen.search_box, "the box again")
        screen.search_box.value = ""
        await pilot.press(*"django", "enter")
        await until(pilot, lambda: screen.focused is screen.query_one(PostList), "the hits of django")
        await pilot.press("slash")
        await until(pilot, lambda: screen.focused is screen.search_box, "the box again")
        await pilot.press("up", "up", "down")
        await until(pilot, lambda: screen.search_box.value == "django", "↓: the later query")
        assert screen.focused is screen.search_box


async def test_moving_through_the_hits_draws_the_same_snippets_without_cutting_them_again(make_app, monkeypatch):
    """The hits' snippets are fitted to their rows once: j/k, which draw the whole list again,
    show the same lines without fitting each snippet anew; a narrower list fits them again."""
    from rich.cells import cell_len

    from reader.ui import snippets

    fitted = []
    real = snippets.fit
    monkeypatch.setattr(snippets, "fit", lambda *a, **k: (fitted.append(a[0]), real(*a, **k))[1])
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        post_list = app.main.query_one(PostList)
        await search(pilot, "링크")
        await until(pilot, lambda: (found := app.main.search_result) is not None and found.query == "링크", "the hits")
        assert len(rows(app)) > 1
        await pilot.pause()

        def drawn() -> list[str]:
            return [post_list.render_line(y).text for y in range(post_list.scrollable_content_region.height)]

        before, fitted[:] = drawn(), []
        await pilot.press("down", "j", "j", "k")  # to the list, down two hits, up one
        await until(pilot, lambda: post_list.cursor == 1, "the cursor on the second hit")
        await pilot.pause()
        assert drawn() == before and fitted == []
        assert any(line.startswith("   ") and line.strip() for line in before)  # snippet lines are drawn
        await pilot.resize_terminal(110, SIZE[1])
        await until(pilot, lambda: post_list.size.width < 60, "a narrower list")
        await pilot.pause()
        width = post_list.scrollable_content_region.width
        assert fitted and all(cell_len(line.rstrip()) <= width for line in drawn())

"""The reader's place around search, driven by keys: a hit opens at the passage its snippet
shows, a post read from a hit reopens where it was left, a search's preview never moves the
place, every post opened is a recent one, and the app starts on the post read last at 80×24 too."""

from __future__ import annotations

import pytest

from reader.ui.outline import Outline
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from reader.ui.searching import snippet_match
from tests.app_fixtures import app_for, open_row, palette_prompts
from tests.sites import BLOG, FILLER, write_blog
from tests.waiting import ready, shown, until

WIDE = (120, 35)
NARROW = (80, 24)
LSTM = "_posts/2026-01-20-lstm.md"
RNN = "_posts/2026-01-15-rnn.md"
GD = "_posts/2026-01-18-gradient.md"
WELCOME = "_posts/2026-01-05-welcome.md"
KEYS = "_posts/2026-01-06-keys.md"


def _section(n: int) -> str:
    # Every line of the section its own text: a place is told by what is on top.
    sentences = " ".join(f"{n}절 {i}번째 문장은 자리를 지키는지 보는 시험입니다." for i in range(1, 13))
    return f"## {n}. 기억 셀 {n}\n\n{sentences}\n\n이 절의 LSTM 이야기입니다.\n\n" + FILLER


LSTM_POST = (
    "---\ntitle: LSTM 노트\ndate: 2026-01-20 09:00:00 +0900\ntags: [rnn]\n---\n"
    + "LSTM을 처음부터 정리합니다.\n\n"
    + "".join(_section(n) for n in range(1, 10))
)
RNN_POST = "---\ntitle: RNN 메모\ndate: 2026-01-15 09:00:00 +0900\n---\nRNN 다음에 LSTM을 봅니다.\n"
GD_POST = (
    "---\ntitle: 최적화 정리\ndate: 2026-01-18 09:00:00 +0900\n---\n"
    "할 일:\n\n- 그래디언트 정리하기\n- 예제 옮기기\n\n"
    + FILLER * 40
    + "## 경사 하강\n\n"
    + "모델을 학습하는 가장 흔한 방법이 그래디언트 디센트(Gradient Descent)입니다. "
    + "그래디언트 디센트는 오차가 줄어드는 쪽으로 한 걸음씩 내려갑니다.\n\n"
    + FILLER * 5
    + "끝으로 디센트 한 번 더.\n"
)


@pytest.fixture
def site(tmp_path):
    return write_blog(tmp_path / "site", {**BLOG, LSTM: LSTM_POST, RNN: RNN_POST, GD: GD_POST})


def status(app) -> str:
    return str(app.main.query_one("#status").render())


def rows(app) -> list[str]:
    return [r.path for r in app.main.query_one(PostList).rows]


def lines_on_screen(body: PostBody) -> list[str]:
    return [body.current_line_text(y) for y in range(body.size.height)]


async def search_to_hits(pilot, query: str, first: str) -> None:
    """`/`, the query typed, its first hit `first` (previewed); Enter goes to the hits."""
    app = pilot.app
    await pilot.press("slash", *query)
    await until(pilot, lambda: rows(app)[:1] == [first], f"{first} first for {query}")
    await until(pilot, lambda: app.main.query_one(PostBody).matcher is not None, "its preview, marked")
    await pilot.press("enter")
    await until(pilot, lambda: app.main.focused is app.main.query_one(PostList), "in the hits")


async def open_from_palette(pilot, title: str, path: str) -> None:
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: app.screen is not app.main, "palette open")
    await pilot.press(*title)
    await until(pilot, lambda: palette_prompts(app)[:1] == [f"open: {title}"], f"{title} offered first")
    await pilot.press("enter")
    await shown(pilot, path)


# --- 1. a post read from a hit reopens where it was left --------------------------------------


async def test_a_hit_read_deep_reopens_from_the_list_where_it_was_left(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen = app.main
        body = screen.query_one(PostBody)
        await ready(pilot)
        await search_to_hits(pilot, "LSTM", LSTM)
        await pilot.press("enter")  # opens the post
        await shown(pilot, LSTM)
        await until(pilot, lambda: body.current_match is not None, "at the hit")
        await pilot.press(*"nnnn")
        await until(pilot, lambda: "match 5/10" in status(app), "four matches on")
        top, text = round(body.scroll_y), body.current_line_text(0)
        assert top > 0
        await pilot.press("escape")  # back to the hits
        await until(pilot, lambda: screen.single == "list", "the hits")
        await pilot.press("escape")  # the search left
        await until(pilot, lambda: not screen.search_box.active and len(rows(app)) > 3, "every post listed")
        assert screen.query_one(PostList).current.path == LSTM
        await pilot.press("enter")
        await until(
            pilot,
            lambda: screen.single == "post" and body.document is not None and body.matcher is None,
            "the post, without the search's marks",
        )
        await until(pilot, lambda: round(body.scroll_y) == top, "where the reader left it")
        assert body.current_line_text(0) == text


# --- 2. a search's preview never moves the place ----------------------------------------------


async def deep_in_the_lstm_post(pilot) -> tuple[int, str]:
    """The LSTM post opened, section 6 chosen in the outline, three lines read into it; Esc Esc."""
    app = pilot.app
    body = app.main.query_one(PostBody)
    await open_row(pilot, LSTM)
    await pilot.press("t")
    outline = app.main.query_one(Outline)
    await until(pilot, lambda: outline.display and outline.headings, "the outline open")
    outline.move_cursor(next(n for n in outline._heading_nodes if n.data.text == "6. 기억 셀 6"))
    await pilot.press("enter")
    await until(pilot, lambda: "6. 기억 셀 6" in body.current_line_text(0), "at section 6")
    await pilot.press(*"jjj")  # into the paragraph: a line, not the start of a block
    await until(pilot, lambda: "6절" in body.current_line_text(0) and "1번째" not in body.current_line_text(0), "in")
    await pilot.press("escape", "escape")  # the outline closed, then the list
    await until(pilot, lambda: not outline.display and app.main.focused is app.main.query_one(PostList), "list")
    return round(body.scroll_y), body.current_line_text(0)


async def test_a_search_and_esc_bring_the_post_back_exactly_where_it_was(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        top, text = await deep_in_the_lstm_post(pilot)
        screen, body = app.main, app.main.query_one(PostBody)
        await pilot.press("slash", *"LSTM")
        await until(pilot, lambda: rows(app)[:1] == [LSTM] and body.matcher is not None, "the post, previewed")
        await pilot.press("escape")
        await until(
            pilot,
            lambda: not screen.search_box.active and body.document is not None and body.matcher is None,
            "the search left",
        )
        await until(pilot, lambda: round(body.scroll_y) == top, "exactly where the reader was")
        assert body.current_line_text(0) == text


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_esc_from_a_search_that_previewed_another_post_brings_the_post_read_back(site, tmp_path, size):
    """Reading a post, `/` and a word only another post holds: that post is previewed beside
    the hits. Esc left the search with the preview on screen and the list's cursor on it, the
    post being read gone from the pane (found on a real blog: `/엑셀` from a Python post, Esc,
    the Pandas post shown)."""
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen, body = app.main, app.main.query_one(PostBody)
        await open_row(pilot, LSTM)
        await pilot.press("space", "space")
        await until(pilot, lambda: round(body.scroll_y) > 20, "read into the post")
        top, text = round(body.scroll_y), body.current_line_text(0)
        await pilot.press("slash", *"디센트")
        await until(pilot, lambda: rows(app)[:1] == [GD] and LSTM not in rows(app), "another post's hits")
        await until(pilot, lambda: screen.open_path == GD and body.matcher is not None, "that post, previewed")
        await pilot.press("escape")
        await until(pilot, lambda: not screen.search_box.active and len(rows(app)) > 3, "the search left")
        await until(pilot, lambda: screen.open_path == LSTM and body.matcher is None, "the post read, back")
        await until(pilot, lambda: round(body.scroll_y) == top, "where the reader was")
        assert body.current_line_text(0) == text
        assert screen.query_one(PostList).current.path == LSTM


async def test_previewing_a_hit_of_the_post_being_read_keeps_its_place_for_the_next_open(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        top, text = await deep_in_the_lstm_post(pilot)
        screen, body = app.main, app.main.query_one(PostBody)
        await search_to_hits(pilot, "LSTM", LSTM)
        await pilot.press("j")  # the next hit previewed
        await shown(pilot, RNN)
        await pilot.press("escape", "escape")
        await until(pilot, lambda: not screen.search_box.active, "the search left")
        await open_from_palette(pilot, "LSTM 노트", LSTM)
        await until(pilot, lambda: body.current_line_text(0) == text, "where the reader left it")
        assert round(body.scroll_y) == top


SHORT_PARAGRAPHS = "_posts/2026-01-19-paragraphs.md"
SHORT_PARAGRAPHS_POST = (
    "---\ntitle: 한 줄 문단들\ndate: 2026-01-19 09:00:00 +0900\ncategories: [안내, 문단]\n"
    "tags: [rnn, guide, notes]\n---\n" + "".join(f"문단 {n}번입니다.\n\n" for n in range(1, 400))
)


@pytest.mark.parametrize("size", [WIDE, NARROW])
async def test_a_place_is_restored_under_a_header_that_folds(tmp_path, size):
    """Blocks of one line each: the lines made for the view end where it ends, and the header
    folding once the post is scrolled makes the view taller. The place must not be cut back."""
    site = write_blog(tmp_path / "site", {**BLOG, SHORT_PARAGRAPHS: SHORT_PARAGRAPHS_POST})
    app = app_for(site, tmp_path)
    async with app.run_test(size=size) as pilot:
        body = app.main.query_one(PostBody)
        await ready(pilot)
        await open_row(pilot, SHORT_PARAGRAPHS)
        await pilot.press("space", "space", "space", "space", "space")
        await until(pilot, lambda: round(body.scroll_y) > 60, "paged into the post")
        text = body.current_line_text(0)
        await pilot.press("escape")
        await open_row(pilot, KEYS)
        await pilot.press("escape")
        await open_row(pilot, SHORT_PARAGRAPHS)
        await until(pilot, lambda: body.current_line_text(0) == text, f"{text} on top again")


# --- 3. a hit opens at the passage its snippet shows ------------------------------------------


async def test_a_hit_opens_at_the_passage_its_snippet_shows_and_n_goes_on_from_it(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        screen, body = app.main, app.main.query_one(PostBody)
        await ready(pilot)
        await search_to_hits(pilot, "그래디언트 디센트", GD)
        hit = screen.query_one(PostList).rows[0]
        assert "그래디언트 디센트(Gradient Descent)" in hit.snippet  # the passage, 40 paragraphs down
        await pilot.press("enter")
        await shown(pilot, GD)
        await until(pilot, lambda: body.current_match is not None, "at a match")
        assert any("그래디언트 디센트(Gradient Descent)" in line for line in lines_on_screen(body))
        assert not any("정리하기" in line for line in lines_on_screen(body))  # not the to-do at the top
        at = screen.match_index
        assert at > 0
        await pilot.press("n")
        await until(pilot, lambda: f"match {at + 2}/" in status(app), "the next match after the passage")
        await pilot.press("N", "N")
        await until(pilot, lambda: f"match {at}/" in status(app), "and the one before it")


@pytest.mark.parametrize(
    ("snippet", "highlights", "expected"),
    [
        # The word twice: the passage whose words around it read as the snippet's.
        ("…는 방법이 그래디언트 디센트(Gradient…", [(13, 16), (7, 12)], 3),
        # Spaces and line breaks are not the snippet's: a paragraph wraps, a snippet is one line.
        ("…처음 가는 길\n이 맞습니다", [(4, 6)], 2),
        # A heading ran into its text with " · ": the passage after it, all the same.
        ("경사 하강 · 그래디언트 디센트(Gradient Descent)입니다.", [(8, 13)], 3),
        # Nothing marked (a hit by its title): the first match.
        ("제목만 맞은 글", [], 0),
    ],
)
def test_the_match_a_snippet_was_cut_around(snippet, highlights, expected):
    matches = [
        ("할 일: 그래디언트 정리하기", 5, 10),
        ("처음 가는 길이 맞습니다. 가는 길은 멀다.", 15, 17),
        ("처음 가는 길이 맞습니다. 가는 길은 멀다.", 3, 5),
        ("학습하는 방법이 그래디언트 디센트(Gradient Descent)입니다.", 9, 14),
        ("학습하는 방법이 그래디언트 디센트(Gradient Descent)입니다.", 15, 18),
    ]
    assert snippet_match(snippet, highlights, matches) == expected


# --- 4. the palette's recent posts ------------------------------------------------------------


async def test_every_post_opened_is_recent_and_a_bookmarked_one_is_listed_once(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=WIDE) as pilot:
        await ready(pilot)
        await open_from_palette(pilot, "환영합니다", WELCOME)  # short: read without scrolling
        await open_from_palette(pilot, "RNN 메모", RNN)
        await pilot.press("b")  # bookmarked
        await until(pilot, lambda: app.main.reading.is_bookmarked(RNN), "bookmarked")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: "recent: 환영합니다" in palette_prompts(app), "the short post among the recent")
        hits = palette_prompts(app)
        assert [h for h in hits if h.endswith(": RNN 메모")] == ["bookmark: RNN 메모"]


# --- 5. the next run starts on the post, alone at 80×24 -----------------------------------------


async def test_the_next_run_at_80x24_shows_the_post_read_last_where_it_was_left(site, tmp_path):
    app = app_for(site, tmp_path)
    async with app.run_test(size=NARROW) as pilot:
        await ready(pilot)
        _top, text = await deep_in_the_lstm_post(pilot)
    again = app_for(site, tmp_path)
    async with again.run_test(size=NARROW) as pilot:
        screen = again.main
        body = screen.query_one(PostBody)
        await until(pilot, lambda: screen.open_path == LSTM and body.document is not None, "the post read last")
        await until(pilot, lambda: body.current_line_text(0) == text, "where it was left")
        assert screen.single == "post" and screen.focused is body  # the post itself, not the list
        await pilot.press("escape")
        await until(pilot, lambda: screen.single == "list", "Esc: the list")
        assert screen.query_one(PostList).current.path == LSTM

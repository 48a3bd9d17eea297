"""The post being read, edited on disk: the text the reader was at stays on top (its block, as
far into it as before), not the file line it was on, whatever the edit did around it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.library import Library
from reader.posts.document import moved_line
from reader.ui.main_screen import MainScreen
from reader.ui.post_view import PostBody
from tests.app_fixtures import (
    blog,  # noqa: F401  (a fixture)
    make_app,  # noqa: F401  (a fixture)
    open_row,
)
from tests.sites import write_blog
from tests.waiting import ready, until

SIZE = (100, 30)  # the new user's terminal
KKT = "_posts/2018-01-26-kkt.md"
FRONT = "---\ntitle: KKT 조건\ndate: 2018-01-26\n---\n\n"
INTRO = "이번 글에서는 **KKT 조건**을 살펴보겠습니다. 이 글은 [강의](https://example.org/convexopt/)를 기본으로 합니다."
ROWS = "".join(f"| 모델 {n} | 논문 {n}의 방법 | 9{n % 10}.{n % 7} |\n" for n in range(1, 26))
TABLE = "| 모델 | 방법 | 점수 |\n| --- | --- | --- |\n" + ROWS
READ = (
    "L은 우리가 구하려는 미지수 x로 편미분한 식을 0으로 만드는 지점에서 최소값을 지닙니다. 그런데 "
    "전제조건에서 이미 언급했듯 primal problem의 해는 x-star이기 때문에 L을 x로 편미분한 결과를 0으로 "
    "만드는 지점은 바로 x-star가 될 것입니다. 이는 KKT 조건의 stationary condition을 만족한다는 "
    "이야기입니다. 이를 식으로 쓰면 다음과 같습니다."
)
AFTER = "primal problem과 라그랑지 함수 L, 라그랑지안 듀얼 함수 g 사이에는 다음 부등식이 성립합니다."
LAST = "결과적으로 처음 항이 마지막에 다시 유도된 걸 확인할 수 있습니다."
FILLER = [
    f"{n}번째 설명 문단입니다. 최적화 이론과 실제 구현에서 핵심적인 역할을 하는 조건을 봅니다." for n in range(1, 9)
]
ADDED = "새 줄 하나.\n\n새 줄 둘.\n"  # four lines (two paragraphs, a blank line after each)


def kkt(read: str = READ, intro: str = INTRO, between: str = "") -> str:
    """A post like the new user's: an intro with a link, paragraphs, a formula and a table
    above the paragraph read, more below it. The table is rendered with the first screen (a
    tall block there left the post's rendered width unknown: the place went by file line)."""
    return (
        FRONT
        + f"{intro}\n\n## concept\n\n"
        + "\n\n".join(FILLER[:5])
        + "\n\n$$\ng(u,v) = \\min_x L(x,u,v)\n$$\n\n"
        + TABLE
        + f"\n{between}{read}\n\n$$\n\\min_x L(x,u,v) = L(x,u,v)\n$$\n\n{AFTER}\n\n"
        + "\n\n".join(FILLER)  # a page of text at least below it: it can be put on top
        + f"\n\n{LAST}\n"
    )


def insert_at(text: str, line: int, added: str) -> str:
    """The lines of `added` put before file line `line` (1-based), as `sed -i 'Ni…'` does."""
    lines = text.split("\n")
    return "\n".join([*lines[: line - 1], *added.split("\n"), *lines[line - 1 :]])


def top_row(body: PostBody) -> str:
    return body.current_line_text(0)


async def down_to(pilot, body: PostBody, start: str) -> None:
    """`j` pressed (once at least) until the top row begins with `start`."""
    for _ in range(400):
        before = round(body.scroll_y)
        await pilot.press("j")
        await until(pilot, lambda: round(body.scroll_y) > before, "one row down")  # noqa: B023
        if top_row(body).startswith(start):
            return
    raise AssertionError(f"{start!r} never on top")


async def reading(pilot, app, path: str, start: str, further: int = 0) -> PostBody:
    """`path` opened (Enter on its row) and `j` pressed until the top row begins with `start`,
    then `further` times more: the reader is that far into the paragraph."""
    await ready(pilot)
    await until(pilot, lambda: app.main._watching, "watching the files")
    await open_row(pilot, path)
    body = app.main.query_one(PostBody)
    body.focus()
    await down_to(pilot, body, start)
    for _ in range(further):
        before = round(body.scroll_y)
        await pilot.press("j")
        await until(pilot, lambda: round(body.scroll_y) > before, "one row down")  # noqa: B023
    return body


async def read_again(pilot, app, file: Path, text: str) -> None:
    """`file` written as `text` outside the app; back once the post is shown as it reads now."""
    file.write_text(text, encoding="utf-8")
    body, new = app.main.query_one(PostBody), text.split("\n---\n", 1)[1]
    shown = lambda: body.document is not None and app.main.open_post_data.body == new  # noqa: E731
    await until(pilot, shown, "the post read again")
    await pilot.pause()


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    return write_blog(tmp_path / "site", {"_posts/2019-01-01-newest.md": "---\ntitle: 새 글\n---\n맨 위.\n", **files})


async def test_lines_inserted_above_leave_the_paragraph_read_on_top_as_far_into_it(make_app, tmp_path):  # noqa: F811
    root = site(tmp_path, {KKT: kkt()})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, KKT, READ[:12], further=2)
        top, line = body.top_lines(), round(body.scroll_y)
        await read_again(pilot, app, root / KKT, insert_at(kkt(), 6, ADDED))
        assert body.top_lines() == top  # the third row of the paragraph, as before
        assert round(body.scroll_y) == line + 4  # two paragraphs and their blank rows above it


async def test_lines_inserted_above_a_table_leave_the_paragraph_under_it_on_top(make_app, tmp_path):  # noqa: F811
    # The file line the reader was on is in the table now: the table was put on top.
    root = site(tmp_path, {KKT: kkt()})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, KKT, READ[:12])
        await read_again(pilot, app, root / KKT, insert_at(kkt(), 6, ADDED + "새 줄 셋.\n"))
        assert top_row(body).startswith(READ[:12]), top_row(body)


async def test_the_paragraph_read_edited_stays_on_top_as_it_reads_now(make_app, tmp_path):  # noqa: F811
    root = site(tmp_path, {KKT: kkt()})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, KKT, READ[:12])
        edited = READ.replace("L은 우리가 구하려는", "라그랑지안 L은 우리가 찾는")
        await read_again(pilot, app, root / KKT, insert_at(kkt(read=edited), 6, ADDED))
        assert top_row(body).startswith("라그랑지안 L은 우리가 찾는"), top_row(body)


async def test_the_paragraph_read_taken_out_leaves_the_text_after_it_on_top(make_app, tmp_path):  # noqa: F811
    root = site(tmp_path, {KKT: kkt()})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, KKT, READ[:12], further=2)
        await read_again(pilot, app, root / KKT, insert_at(kkt().replace(READ + "\n\n", ""), 6, ADDED))
        assert top_row(body).strip() == "minₓL(x,u,v) = L(x,u,v)", top_row(body)  # the formula after it, whole


async def test_of_a_paragraph_written_twice_the_one_read_stays_on_top(make_app, tmp_path):  # noqa: F811
    # The same paragraph twice, a few lines apart, the reader at the second: a long passage
    # written above the first keeps the second on top (the nearest one to the old row was the first).
    twice = READ + "\n\n" + FILLER[0] + "\n\n"
    root = site(tmp_path, {KKT: kkt(between=twice)})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, KKT, READ[:12])
        await down_to(pilot, body, READ[:12])  # the second one
        line = round(body.scroll_y)
        passage = "\n\n".join(f"덧붙인 {n}번째 문단." for n in range(1, 16)) + "\n\n"
        await read_again(pilot, app, root / KKT, insert_at(kkt(between=twice), 6, passage))
        assert top_row(body).startswith(READ[:12]), top_row(body)
        assert round(body.scroll_y) == line + 30  # fifteen paragraphs and their blank rows above it


async def test_a_link_added_above_renumbers_the_links_and_the_paragraph_read_stays_on_top(make_app, tmp_path):  # noqa: F811
    # Its rows read otherwise now (`미지수[2]` is `미지수[3]`): found by the post's text, not the rows'.
    linked = READ.replace("미지수 x", "[미지수](https://example.org/unknown) x")
    root = site(tmp_path, {KKT: kkt(read=linked)})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, KKT, READ[:12])
        assert "미지수[2]" in top_row(body)
        added = "[위키피디아](https://example.org/wiki)도 참고했습니다.\n"
        await read_again(pilot, app, root / KKT, insert_at(kkt(read=linked), 6, added))
        assert top_row(body).startswith(READ[:12]), top_row(body)
        assert "미지수[3]" in top_row(body)


LONG = "_posts/2018-02-01-long.md"
# With a table of contents after its first paragraph: the start shown first lists the headings
# in that start only, the whole post all of them (its rows below that are other rows).
LONG_PARAGRAPHS = [
    ("* 목차\n{:toc}\n\n" if n == 2 else "")
    + (f"## {n // 50 + 1}장\n\n" if n % 50 == 1 else "")
    + f"{n}번째 문단입니다. "
    + "긴 글의 내용이 이어집니다. " * 8
    for n in range(1, 900)
]


async def test_a_long_post_edited_is_put_back_at_the_text_read_from_its_start_not_rendered_whole(
    make_app,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    # Longer than the app parses at once: its start is shown while the rest is parsed. The reader
    # is in that start: put there at once, not at the top until the whole post is parsed; and
    # found without rendering the whole post (nothing is rendered in the background here).
    monkeypatch.setattr(PostBody, "_schedule_step", lambda self: None)
    tops: list[tuple[bool, str]] = []  # each parse of the post edited shown: whether a start only, the top row
    handler = MainScreen.on_document_parsed

    def spied(self, message):
        handler(self, message)
        if message.post.body.startswith("새 줄"):
            tops.append((message.partial, top_row(self.query_one(PostBody))))

    monkeypatch.setattr(MainScreen, "on_document_parsed", spied)
    text = "---\ntitle: 긴 글\ndate: 2018-02-01\n---\n" + "\n\n".join(LONG_PARAGRAPHS) + "\n"
    assert len(text) > 64 * 1024
    root = site(tmp_path, {LONG: text})
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body = await reading(pilot, app, LONG, "12번째 문단")
        top = top_row(body)
        (root / LONG).write_text(insert_at(text, 5, ADDED), encoding="utf-8")
        await until(pilot, lambda: tops and not tops[-1][0], "the whole post read again")
        assert tops == [(True, top), (False, top)]
        assert not body.fully_rendered


async def test_read_in_the_start_of_a_long_post_the_whole_post_keeps_that_text_on_top(
    make_app,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    # The same moment without an edit: the post opened, read in its start while the rest is
    # parsed; the whole post (a longer table of contents above) keeps the text read on top.
    release, parse = threading.Event(), Library.document

    def held(self, post):  # the whole parse of the long post waits, as a slow one would
        if post.path == LONG:
            release.wait(60)
        return parse(self, post)

    monkeypatch.setattr(Library, "document", held)
    text = "---\ntitle: 긴 글\ndate: 2018-02-01\n---\n" + "\n\n".join(LONG_PARAGRAPHS) + "\n"
    root = site(tmp_path, {LONG: text})
    app = make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        post_list = app.main.query_one("#post-list")
        post_list.focus()
        post_list.cursor = [r.path for r in post_list.rows].index(LONG)
        await pilot.press("enter")
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: body.document is not None and app.main.open_path == LONG, "its start shown")
        body.focus()
        await down_to(pilot, body, "12번째 문단")
        top = top_row(body)
        release.set()
        chapters = sum(p.startswith("## ") for p in LONG_PARAGRAPHS)
        await until(pilot, lambda: len(body.document.headings) == chapters, "the whole post shown")
        await pilot.pause()
        assert top_row(body) == top


# --- where a line of a post is once the post is edited (the core of the above) ---------------


@pytest.mark.parametrize(
    ("before", "after", "index", "found"),
    [
        (["가", "", "나"], ["새", "", "가", "", "나"], 2, (4, "kept")),  # lines added above it
        (["가", "", "나", "", "다"], ["가", "", "다"], 2, (2, "removed")),  # it taken out: the text after it
        (["가", "", "나", "", "다"], ["가", "", "나!", "", "다"], 2, (2, "edited")),
        (["가", "", "나", "다"], ["새", "가", "", "나!", "다"], 3, (4, "kept")),  # edits above and in its block
        (["나", "", "가", "", "나"], ["새", "", "나", "", "가", "", "나"], 4, (6, "kept")),  # the second of two
        (["가", "", "나"], ["나"], 0, (0, "removed")),
        (["가"], [], 0, (0, "removed")),
    ],
)
def test_a_line_is_followed_to_where_the_edit_put_its_text(before, after, index, found):
    assert moved_line(before, after, index) == found


@given(st.data())
def test_a_line_an_edit_elsewhere_left_is_found_at_its_text(data):
    # One edit (lines added, taken out or replaced) above or below the line, never on it.
    lines = data.draw(st.lists(st.sampled_from(["가", "나", "", "$$", "| 1 |"]), min_size=1, max_size=40))
    index = data.draw(st.integers(0, len(lines) - 1))
    start = data.draw(st.one_of(st.integers(0, index), st.integers(index + 1, len(lines))))
    end = data.draw(st.integers(start, index if start <= index else len(lines)))
    added = data.draw(st.lists(st.sampled_from(["가", "다", ""]), max_size=5))
    edited = lines[:start] + added + lines[end:]
    line, fate = moved_line(lines, edited, index)
    assert fate == "kept" and edited[line] == lines[index]

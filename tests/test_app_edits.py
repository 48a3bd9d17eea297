"""The post being read, changed on disk while it is read: the reader's place follows its text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.ui.post_pane import PostHeader
from reader.ui.post_view import PostBody
from tests.app_fixtures import (
    blog,  # noqa: F401  (a fixture)
    make_app,  # noqa: F401  (a fixture)
    open_row,
)
from tests.sites import write_blog
from tests.waiting import ready, shown, until

SIZE = (120, 35)
LONG = "long.md"


def post(title: str, date: str, paragraphs: list[str]) -> str:
    return f"---\ntitle: {title}\ndate: {date}\n---\n" + "\n\n".join(paragraphs) + "\n"


PARAGRAPHS = [f"{n}번째 문단입니다. 이 문단은 글의 {n}번째 자리에 있습니다." for n in range(1, 80)]
ADDED = ["새로 쓴 첫 문단입니다.", "새로 쓴 둘째 문단입니다."]


def site(tmp_path: Path) -> Path:
    return write_blog(
        tmp_path / "site",
        {
            "newest.md": post("가장 새 글", "2024-01-01", ["맨 위의 글."]),
            LONG: post("긴 글", "2020-01-01", PARAGRAPHS),
        },
    )


def status(app) -> str:
    return str(app.main.query_one("#status").render())


async def reading_far_into(pilot, app) -> tuple[PostBody, tuple[str, ...]]:
    """The long post opened, Space pressed twice: the view and the lines on its top."""
    await ready(pilot)
    await until(pilot, lambda: app.main._watching, "watching")
    await open_row(pilot, LONG)
    body = app.main.query_one(PostBody)
    body.focus()
    for page in (1, 2):
        before = round(body.scroll_y)
        await pilot.press("space")
        await until(
            pilot,
            lambda: round(body.scroll_y) > before and body.scroll_y == body.scroll_target_y,  # noqa: B023
            f"page {page} down",
        )
    top = body.top_lines()
    assert top and "번째 문단" in "".join(top)
    return body, top


def write_atomically(file: Path, text: str) -> None:
    temporary = file.with_name(file.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, file)


def write_in_place(file: Path, text: str) -> None:
    with file.open("r+", encoding="utf-8") as handle:
        handle.seek(0)
        handle.write(text)
        handle.truncate()


@pytest.mark.parametrize("write", [write_atomically, write_in_place])
async def test_an_edit_above_the_view_leaves_the_same_text_on_top(make_app, tmp_path, write):  # noqa: F811
    root = site(tmp_path)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body, top = await reading_far_into(pilot, app)
        line = round(body.scroll_y)
        write(root / LONG, post("긴 글", "2020-01-01", PARAGRAPHS[:2] + ADDED + PARAGRAPHS[2:]))
        await until(pilot, lambda: ADDED[0] in body.text and body.top_lines() == top, "the same text on top")
        assert round(body.scroll_y) == line + 4  # two paragraphs and their blank lines above it
        assert app.main.open_path == LONG
        assert "긴 글 reloaded (changed on disk)" in status(app)


@pytest.mark.parametrize("back_as", [LONG, "moved/long.md"])
async def test_the_post_read_gone_for_a_while_comes_back_where_the_reader_was(make_app, tmp_path, back_as):  # noqa: F811
    root = site(tmp_path)
    app = make_app(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        body, top = await reading_far_into(pilot, app)
        away = tmp_path / "away.md"
        (root / LONG).rename(away)
        header = app.main.query_one(PostHeader)
        await until(pilot, lambda: f"{LONG} is gone" in str(header.render()), "the pane says the post is gone")
        # Meanwhile a post is added: the reader did not open it, it is not opened for them.
        write_blog(root, {"added.md": post("새 글", "2025-01-01", ["방금 더한 글."])})
        await until(pilot, lambda: "added.md" in app.main.snapshot, "the new post read")
        assert app.main.open_path is None and f"{LONG} is gone" in str(header.render())
        (root / back_as).parent.mkdir(parents=True, exist_ok=True)
        away.rename(root / back_as)
        await shown(pilot, back_as)
        await until(pilot, lambda: body.top_lines() == top, "the same place")
        assert app.main.open_path == back_as
        assert app.main.query_one("#post-list").current.path == back_as

"""Paging through a post keeps the last lines of a page in sight on the next."""

from __future__ import annotations

from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.waiting import ready, until

LONG = "_posts/2026-02-01-long.md"
POSTS = {LONG: "---\ntitle: 긴 글\ndate: 2026-02-01\n---\n" + "".join(f"{n}번째 문단.\n\n" for n in range(1, 121))}


def in_view(body: PostBody) -> list[str]:
    """The lines of text the reader sees in the post, top to bottom."""
    lines = (body.render_line(y).text.strip() for y in range(body.scrollable_content_region.height))
    return [line for line in lines if line]


async def test_space_and_pageup_keep_the_line_read_last_in_sight(tmp_path):
    app = app_for(write_blog(tmp_path / "site", POSTS), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        body = app.main.query_one(PostBody)
        body.focus()
        for key, edge in (("space", -1), ("space", -1), ("pageup", 0)):
            before, top, height = in_view(body), round(body.scroll_y), body.scrollable_content_region.height
            await pilot.press(key)
            await until(pilot, lambda t=top, h=height: abs(round(body.scroll_y) - t) > h // 2, f"{key}: a page")
            kept = before[edge]  # the last line seen paging down, the first paging up
            await until(pilot, lambda k=kept: k in in_view(body), f"{key}: {kept!r} still in sight")

"""A long post renders below the view in idle steps without laying the screen out at each one,
and the reader still reaches its end at once (End) or page by page."""

from __future__ import annotations

from typing import Any

from textual.dom import DOMNode
from textual.screen import Screen

from reader.ui import post_view
from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.test_app_paging import in_view
from tests.waiting import ready, until

LONG = "_posts/2025-12-01-long.md"
PARAGRAPHS = 6000
POSTS = {
    LONG: "---\ntitle: 긴 글\ndate: 2025-12-01\n---\n"
    + "".join(f"{n}번째 문단.\n\n" for n in range(1, PARAGRAPHS + 1)),
    "_posts/2026-01-01-short.md": "---\ntitle: 짧은 글\ndate: 2026-01-01\n---\n짧다.\n",
}
LAST = f"{PARAGRAPHS}번째 문단."


async def test_the_rest_of_a_long_post_lays_the_screen_out_a_few_times_not_at_every_step(tmp_path, monkeypatch):
    # Each growth of the scrollable height lays out and paints the whole screen again (30-90 ms
    # with a 10k-post list); grown at every step, the app's loop had little time for anything else.
    steps, layouts = [0], [0]
    show, step, layout = PostBody.show, PostBody._step, Screen._refresh_layout

    def counted_from_show(self: PostBody, *args: Any, **kwargs: Any) -> None:
        steps[0] = layouts[0] = 0  # counted from the post's show
        show(self, *args, **kwargs)

    def counted_step(self: PostBody) -> None:
        steps[0] += 1
        step(self)

    def counted_layout(self: Screen, *args: Any, **kwargs: Any) -> None:
        layouts[0] += self._layout_required
        layout(self, *args, **kwargs)

    monkeypatch.setattr(PostBody, "show", counted_from_show)
    monkeypatch.setattr(PostBody, "_step", counted_step)
    monkeypatch.setattr(Screen, "_refresh_layout", counted_layout)
    app = app_for(write_blog(tmp_path / "site", POSTS), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        body = app.main.query_one(PostBody)
        await open_row(pilot, LONG)
        await until(pilot, lambda: body.fully_rendered, "the long post rendered to its end")
        tall = lambda: body.virtual_size.height == len(body.text.split("\n"))  # noqa: E731
        await until(pilot, tall, "the pane as tall as the post")
        assert steps[0] >= 2  # rendered in idle steps (72 of them here; a faster machine takes fewer)
        # Its show lays out a few times (the header, the first lines), then once per growth.
        assert layouts[0] <= steps[0] // post_view.STEPS_PER_GROWTH + 6, (layouts[0], steps[0])


async def test_end_shows_the_last_paragraph_of_a_post_still_being_rendered(tmp_path, monkeypatch):
    monkeypatch.setattr(PostBody, "_schedule_step", lambda self: None)  # nothing rendered in the background
    app = app_for(write_blog(tmp_path / "site", POSTS), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        body = app.main.query_one(PostBody)
        body.focus()
        assert not body.fully_rendered
        await pilot.press("end")
        await until(pilot, lambda: LAST in in_view(body), f"{LAST!r} in sight after End")


async def test_paging_down_reaches_the_end_of_a_post_rendered_only_as_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(PostBody, "_schedule_step", lambda self: None)
    posts = {**POSTS, LONG: POSTS[LONG].split("301번째")[0]}  # 300 paragraphs: ~20 pages
    app = app_for(write_blog(tmp_path / "site", posts), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        body = app.main.query_one(PostBody)
        body.focus()
        for _ in range(40):
            if "300번째 문단." in in_view(body):
                break
            top = round(body.scroll_y)
            await pilot.press("pagedown")
            await until(pilot, lambda t=top: round(body.scroll_y) > t, "a page further")
        assert "300번째 문단." in in_view(body)


async def test_a_page_of_the_post_is_drawn_with_the_panes_style_read_once_a_frame(tmp_path, monkeypatch):
    """The pane's style walks every widget above it (~0.2 ms): read for each line drawn, twice,
    it was most of the post's drawing (4 ms of a 40-line frame, 1.4 ms once a frame)."""
    reads, frames = [0], [0]
    style, draw = DOMNode.rich_style, PostBody.render_lines

    def counted(self: PostBody) -> Any:
        reads[0] += 1
        return style.fget(self)

    def counted_frame(self: PostBody, crop: Any) -> Any:
        frames[0] += 1
        return draw(self, crop)

    monkeypatch.setattr(PostBody, "rich_style", property(counted))
    monkeypatch.setattr(PostBody, "render_lines", counted_frame)
    posts = {**POSTS, LONG: POSTS[LONG].split("301번째")[0]}
    app = app_for(write_blog(tmp_path / "site", posts), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, LONG)
        body = app.main.query_one(PostBody)
        body.focus()
        await pilot.pause()
        reads[0] = frames[0] = 0
        await pilot.press("pagedown")  # a page of new lines drawn
        await until(pilot, lambda: round(body.scroll_y) > 0, "a page further")
        await pilot.pause()
        drawn = (reads[0], frames[0])
        lines = in_view(body)
        assert len(lines) > 10 and lines[0].endswith("번째 문단.") and lines[0] != "1번째 문단."
        assert drawn[1] > 0 and drawn[0] <= drawn[1], drawn  # once a frame, not twice a line

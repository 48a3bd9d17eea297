"""SVG snapshots of the main screens at a fixed size (pytest-textual-snapshot).

Update with `pytest tests/test_snapshots.py --snapshot-update` after checking
the new pictures by eye.
"""

from __future__ import annotations

import pytest

from reader.ui.app import build_app
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from tests.conftest import POSTS
from tests.waiting import ready, shown, until

SIZE = (130, 40)


@pytest.fixture
def app(tmp_path):
    return build_app(POSTS, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "config.toml")


async def until_ready(pilot) -> None:
    await ready(pilot)
    screen = pilot.app.main
    await until(pilot, lambda: screen.query_one(PostBody).fully_rendered, "the post fully rendered")
    screen.query_one("#search").cursor_blink = False
    await pilot.pause()


def test_main_screen(snap_compare, app):
    assert snap_compare(app, terminal_size=SIZE, run_before=until_ready)


def test_search_results(snap_compare, app):
    async def search(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("slash")
        screen = pilot.app.main
        # Pasted in one go: typed key by key on a loaded machine, each key can start
        # its own search, and the picture came out the same but its SVG ids did not.
        screen.query_one("#search").insert_text_at_cursor("자연어처리")
        await until(
            pilot,
            lambda: (
                screen.search_result is not None
                and screen.search_result.query == "자연어처리"
                and screen.query_one(PostList).rows
            ),
            "search results listed",
        )
        await pilot.press("down")  # into the results, as a reader would
        first = screen.query_one(PostList).rows[0].path
        await shown(pilot, first)
        await until(
            pilot,
            lambda: screen.focused is screen.query_one(PostList) and screen.query_one(PostBody).fully_rendered,
            "the first hit shown",
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=search)


def test_link_panel(snap_compare, app):
    async def links(pilot) -> None:
        await until_ready(pilot)
        screen = pilot.app.main
        post_list = screen.query_one(PostList)
        post_list.cursor = [r.path for r in post_list.rows].index("2026-01-10-links-showcase.md")
        await shown(pilot, "2026-01-10-links-showcase.md")
        await until(pilot, lambda: screen.query_one(PostBody).fully_rendered, "the post fully rendered")
        await pilot.press("l")
        await until(pilot, lambda: screen.query_one("#link-panel").links, "the link panel filled")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=links)


def test_help_screen(snap_compare, app):
    async def help_screen(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=help_screen)


RENDERING = """---
title: 렌더링 사진
date: 2024-03-01
---
* 목차
{:toc}

## 굵은 글씨와 수식

**임베딩(embedding)**은 벡터입니다. {% post_link neighbour 이웃 글 %}

$$
\\frac { { \\lambda  }_{ 1 } }{ { \\lambda  }_{ 1 }+{ \\lambda  }_{ 2 } } = 0.92
$$

## 그림과 코드

<a href="https://example.org/"><img src="cover.png" alt="표지 그림" width="300"></a>

```python
values = [임베딩(x) for x in range(1000) if x % 7 == 0 and x % 11 != 3 and len(str(x)) > 2]  # 긴 줄
```
"""


def rendering_app(tmp_path):
    """An app over a site of RENDERING and the post it links to."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "render.md").write_text(RENDERING, encoding="utf-8")
    (root / "neighbour.md").write_text("---\ntitle: 이웃 글\ndate: 2024-01-01\n---\n본문\n", encoding="utf-8")
    return build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "config.toml")


def test_a_korean_post_as_its_site_shows_it(snap_compare, tmp_path):
    app = rendering_app(tmp_path)

    async def rendered(pilot) -> None:
        await until_ready(pilot)
        assert pilot.app.main.open_path == "render.md"

    assert snap_compare(app, terminal_size=(110, 34), run_before=rendered)


@pytest.mark.parametrize("size", [(110, 34), (80, 24)], ids=["medium", "narrow"])
def test_layouts_by_width(snap_compare, app, size):
    """Medium terminals drop the sidebar (Ctrl+B brings it back); narrow ones show one pane."""
    assert snap_compare(app, terminal_size=size, run_before=until_ready)


def test_outline_panel(snap_compare, tmp_path):
    app = rendering_app(tmp_path)

    async def outline(pilot) -> None:
        await until_ready(pilot)
        await pilot.press("t")
        await until(
            pilot,
            lambda: "그림과 코드" in str(pilot.app.main.query_one("Outline").root.children[-1].label),
            "the outline",
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=outline)

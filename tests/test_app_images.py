"""Images in the app: the image view from the link panel, Escape, `o` to the system viewer, BROKEN."""

from __future__ import annotations

import shutil
from pathlib import Path

from textual.containers import Vertical
from textual_image.widget import HalfcellImage

from reader.posts.text import cell_width
from reader.ui import link_actions
from reader.ui.app import build_app
from reader.ui.image_view import ImageScreen, fit
from reader.ui.link_panel import LinkPanel
from reader.ui.main_screen import MainScreen
from tests.app_fixtures import fake_browser
from tests.conftest import POSTS
from tests.waiting import laid_out, ready, until

SIZE = (120, 40)
LOGO = Path(POSTS) / "images" / "reader-logo.png"
POST = "---\ntitle: 그림 글\ndate: 2026-01-01\n---\n# 그림\n\n![로고](images/reader-logo.png)\n\n![없는 그림](images/none.png)\n\n![원격](https://i.example.org/a.png)\n"


def site(tmp_path: Path, images: str) -> tuple[Path, Path]:
    root = tmp_path / "site"
    (root / "images").mkdir(parents=True)
    shutil.copy(LOGO, root / "images" / "reader-logo.png")
    (root / "post.md").write_text(POST, encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text(f'images = "{images}"\n', encoding="utf-8")
    return root, config


async def test_an_image_opens_from_the_link_panel_in_the_view_and_escape_closes_it(tmp_path, monkeypatch):
    root, config = site(tmp_path, "halfblock")  # no graphics protocol in CI: half cells, forced
    outside: list[Path] = []
    monkeypatch.setattr(link_actions, "open_with_system", outside.append)
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.links, "link panel")
        assert [(link.kind, link.target, link.broken) for link in panel.links] == [
            ("image", "images/reader-logo.png", False),
            ("image", "images/none.png", True),
            ("image", None, False),
        ]
        await pilot.press("1", "enter")
        await until(pilot, lambda: isinstance(app.screen, ImageScreen), "the image view")
        view = app.screen
        image = view.query_one("#image")
        assert isinstance(image, HalfcellImage)
        await until(pilot, lambda: image.size.width > 4 and image.size.height > 4, "the image laid out, enlarged")
        drawn = "".join(segment.text for line in range(image.size.height) for segment in image.render_line(line))
        assert "▀" in drawn  # half cells: two pixels a cell, the logo's colours
        assert "images/reader-logo.png" in str(view.query_one("#image-title").render())
        # A space between the frame and the title (and the hint), as the post's header has; the
        # 🖼 apart from its label (see IMAGE_MARK).
        title, hint = view.query_one("#image-title"), view.query_one("#image-hint")
        frame = view.query_one(Vertical).region.x  # the frame's border
        assert title.content_region.x == hint.content_region.x == frame + 2
        assert title.render_line(0).text.startswith("🖼  로고 — images/reader-logo.png")
        await pilot.press("o")  # from the view: the system viewer, the real file inside the root
        assert outside == [(root / "images" / "reader-logo.png").resolve()]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the view closed")

        notes: list[str] = []
        monkeypatch.setattr(app.main, "notify", lambda message, **kw: notes.append(message))
        await pilot.press("l")  # hidden by Escape? open it again if so
        if panel.has_class("hidden"):
            await pilot.press("l")
        await until(pilot, lambda: not panel.has_class("hidden"), "link panel again")
        await pilot.press("2", "enter")  # the missing file: refused, said so, no view
        await until(pilot, lambda: notes, "a note about the missing image")
        assert "no image images/none.png" in notes[-1] and isinstance(app.screen, MainScreen)
        await pilot.press("1", "o")  # `o` on an image link: straight to the system viewer
        await until(pilot, lambda: len(outside) == 2, "opened outside")
        assert not isinstance(app.screen, ImageScreen)


async def test_with_images_off_enter_says_so_and_opens_no_view(tmp_path, monkeypatch):
    root, config = site(tmp_path, "off")
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    assert app.image_widget is None
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        notes: list[str] = []
        monkeypatch.setattr(app.main, "notify", lambda message, **kw: notes.append(message))
        await pilot.press("l", "1", "enter")
        await until(pilot, lambda: notes, "a note")
        assert "images are off" in notes[-1] and isinstance(app.screen, MainScreen)


async def test_a_linked_image_numbers_its_link_then_itself_and_each_number_opens_its_own(tmp_path, monkeypatch):
    from reader.ui.post_view import PostBody

    opened = fake_browser(monkeypatch)
    root, config = site(tmp_path, "halfblock")
    (root / "post.md").write_text(
        "---\ntitle: 링크 그림\n---\n보세요 [![로고](images/reader-logo.png)](https://example.org/home) 끝\n",
        encoding="utf-8",
    )
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert [(link.n, link.kind) for link in app.main.links] == [(1, "external"), (2, "image")]
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: body.fully_rendered, "the post drawn")
        await laid_out(pilot)  # the header drawn for this post: the body's place is final
        lines = body.text.split("\n")
        y = next(i for i, line in enumerate(lines) if "로고" in line)
        assert "보세요 🖼[로고][1][2] 끝" in lines[y]  # the numbers in the order of the panel
        line = lines[y]

        async def click(part: str) -> None:
            x = cell_width(line[: line.index(part)])  # cells, not characters
            await pilot.click(PostBody, offset=(x + 1, y - round(body.scroll_y)))

        await click("[2]")  # the image's own number: the image
        await until(pilot, lambda: isinstance(app.screen, ImageScreen), "the image view")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the view closed")
        await click("로고")  # the picture itself: where the link leads, as on the site
        await until(pilot, lambda: opened == ["https://example.org/home"], "the link opened")


def test_fit_keeps_the_ratio_and_enlarges_small_images():
    assert fit((16, 16), (100, 30)) == (60, 30)  # a cell is twice as tall as wide
    assert fit((2000, 500), (100, 30)) == (100, 12)


async def test_inline_previews_draw_local_images_under_their_paragraph_when_switched_on(tmp_path):
    from reader.ui.post_view import PostBody

    root, config = site(tmp_path, "halfblock")
    plain = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    async with plain.run_test(size=SIZE) as pilot:
        await ready(pilot)
        body = plain.main.query_one(PostBody)
        await until(pilot, lambda: body.fully_rendered, "the post drawn")
        off = [body.render_line(y).text for y in range(body.size.height)]
    config.write_text('images = "halfblock"\ninline_images = true\n', encoding="utf-8")
    app = build_app(root, index_dir=tmp_path / "index2", watch=False, settings_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: body.fully_rendered, "the post drawn")
        on = [body.render_line(y).text for y in range(body.size.height)]
    assert not any("▀" in line for line in off)  # off by default: placeholders only
    logo = next(i for i, line in enumerate(on) if "로고" in line)
    missing = next(i for i, line in enumerate(on) if "없는 그림" in line)
    pictured = [i for i, line in enumerate(on) if "▀" in line]
    assert pictured and all(logo < i < missing for i in pictured)  # under its paragraph, only the local one


async def test_a_decompression_bomb_is_refused_with_a_notice_not_a_crash(tmp_path):
    from PIL import Image

    from reader.ui.image_view import inline_preview

    root, config = site(tmp_path, "halfblock")
    Image.new("1", (20000, 10000)).save(root / "images" / "reader-logo.png")  # ~24 KB claiming 200 M pixels
    assert (root / "images" / "reader-logo.png").stat().st_size < 100_000
    assert inline_preview(root / "images" / "reader-logo.png") is None
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        panel = app.main.query_one(LinkPanel)
        await until(pilot, lambda: app.main.focused is panel and panel.links, "link panel")
        await pilot.press("1", "enter")
        await until(pilot, lambda: any("too large" in str(n.message) for n in app._notifications), "refused, said")
        assert isinstance(app.screen, MainScreen)

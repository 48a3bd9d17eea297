"""An image's placeholder stays whole on a line: `🖼` never ends one line with `[label]` starting
the next, in `reader show` and in the app's post pane, whatever the width puts it at."""

from __future__ import annotations

import re

from reader.ui.app import build_app
from reader.ui.post_view import PostBody
from tests.sites import write_blog
from tests.waiting import ready, shown, until

# Paragraphs whose image falls at every column of a 100-cell line, once each.
POST = "title: 그림이 많은 글\ndate: 2020-01-01\n---\n" + "".join(
    f"{'가' * n}{' 나다' * 20} 본문 ![Example](https://example.org/{n}.png) 뒤\n\n" for n in range(0, 60)
)
SPLIT = re.compile(r"🖼\s*$")


def placeholders_whole(lines: list[str]) -> None:
    assert sum("[Example]" in line for line in lines) == 60
    for number, line in enumerate(lines):
        assert not SPLIT.search(line), f"line {number} ends with the 🖼 of an image: {line!r}"
        if "[Example]" in line:
            assert re.search(r"🖼\W?\[Example\]", line), line


def test_reader_show_keeps_the_placeholder_on_one_line(cli, tmp_path):
    root = write_blog(tmp_path / "site", {"post.md": POST})
    env = {"GEULBAT_POSTS": str(root), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    for width in (100, 61, 40):
        result = cli("show", "post.md", "--width", str(width), env=env)
        assert result.returncode == 0, result.stderr
        placeholders_whole(result.stdout.splitlines())


async def test_the_post_pane_keeps_the_placeholder_on_one_line(tmp_path):
    root = write_blog(tmp_path / "site", {"post.md": POST})
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await shown(pilot, "post.md")
        body = app.main.query_one(PostBody)
        body.render_all()
        await until(pilot, lambda: body.fully_rendered, "the post drawn")
        placeholders_whole(body.text.split("\n"))

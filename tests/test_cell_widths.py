"""No rendered line is wider than the pane, counted in terminal cells: zero-width spaces, emoji
(wide, with a variation selector, joined, with a skin tone) and the image mark among Hangul, in
every kind of block, through `reader show` at several widths and in the app's post pane."""

from __future__ import annotations

import pytest

from reader.posts.text import cell_width
from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.waiting import ready, until

ZW = "\u200b"
FAMILY = "👨\u200d👩\u200d👧"
HEART = "❤\ufe0f"
FAMILIES = FAMILY * 8
SMILES = "😀" * 20
HEARTS = HEART * 12
SPACED = ZW.join("가나다라마바사아자차카타")
WORDS = f"가나{ZW}다라마 😀 {HEART} 👍🏽 {FAMILY} ★ 모델{ZW}학습{ZW}데이터{ZW}전처리{ZW}과정{ZW}입니다"
BODY = f"""
# 제목 {HEART} {FAMILY} {WORDS}

{WORDS} {WORDS} {WORDS}

![그림 {ZW}설명](a.png) 뒤에 {WORDS}

- {WORDS}
  - {WORDS} {WORDS}
1. {WORDS}

> {WORDS} {WORDS}

| 이름{ZW}표 | {HEART} 설명 | 값 |
|---|---|---|
| {FAMILIES} | {WORDS} | {SMILES} |
| {SPACED} | {HEARTS} | 1 |

$$
f(x) = \\text{{가나{ZW}다라마바사아자차카타파하}} + \\text{{😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀}} + x_1 + x_2 + x_3 + x_4
$$

```
{WORDS} {WORDS}
```
"""
POST = "_posts/2026-05-01-cells.md"
SITE = {POST: f"---\ntitle: 폭 {HEART}{FAMILY} 시험\ndate: 2026-05-01\n---\n{BODY}"}


@pytest.mark.parametrize("width", [24, 36, 52, 80, 120])
def test_reader_show_draws_no_line_wider_than_the_width(cli, write_tree, width):
    result = cli("show", "--posts", str(write_tree(SITE)), "--width", str(width), "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    wide = [line for line in result.stdout.split("\n") if cell_width(line) > width]
    assert wide == [], "\n".join(wide)
    assert "데이터" in result.stdout and FAMILY in result.stdout  # the text is drawn, not dropped


async def test_the_post_pane_draws_no_line_wider_than_itself(tmp_path):
    app = app_for(write_blog(tmp_path / "site", SITE), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, POST)
        body = app.main.query_one(PostBody)
        await pilot.press("end")  # the whole post drawn
        await until(pilot, lambda: body.fully_rendered and FAMILY in body.text, "the whole post drawn")
        width = body.scrollable_content_region.width
        wide = [line for line in body.text.split("\n") if cell_width(line.rstrip()) > width]
        assert wide == [], "\n".join(wide)
        assert "데이터" in body.text

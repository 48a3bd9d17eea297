"""A quote's bar runs beside every line of it, the ones its paragraphs wrap onto too, as the site's
border does: the bar stood beside each paragraph's first line only, and the rest looked out of it."""

from __future__ import annotations

import pytest

from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.test_app_paging import in_view
from tests.waiting import ready, until

POST = "_posts/2026-06-01-quote.md"
LONG = "인용한 문단이 길어서 창의 폭을 넘으면 여러 줄로 접히는데 접힌 줄에도 인용 표시가 있어야 합니다"
BODY = f"""앞 문단입니다.

> {LONG}
>
> 둘째 문단도 {LONG}

뒤 문단입니다.[^1]

[^1]: 각주의 글도 길어서 접히는데 각주 번호는 첫 줄에만 붙고 다음 줄은 그 아래로 들여 씁니다 끝
"""
SITE = {POST: f"---\ntitle: 인용\ndate: 2026-06-01\n---\n{BODY}"}


def quoted(lines: list[str]) -> list[str]:
    """The lines between the paragraphs before and after the quote."""
    start = next(i for i, line in enumerate(lines) if "앞 문단입니다." in line)
    end = next(i for i, line in enumerate(lines) if "뒤 문단입니다." in line)
    return [line.strip() for line in lines[start + 1 : end] if line.strip()]


@pytest.mark.parametrize("width", [40, 52, 76])
def test_reader_show_draws_the_bar_beside_each_line_of_a_quote(cli, write_tree, width):
    result = cli("show", "--posts", str(write_tree(SITE)), "--width", str(width), "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    lines = quoted(result.stdout.split("\n"))
    assert len(lines) >= 4 and all(line.startswith("▌") for line in lines), result.stdout
    text = "".join(line.removeprefix("▌").replace(" ", "") for line in lines)
    assert text == (LONG + "둘째문단도" + LONG).replace(" ", ""), result.stdout
    footnote = [line for line in result.stdout.split("\n") if "각주" in line or line.startswith("  ")]
    assert footnote[0].startswith("¹ 각주의") and all(line.startswith("  ") for line in footnote[1:]), footnote


async def test_the_post_pane_draws_the_bar_beside_each_line_of_a_quote(tmp_path):
    app = app_for(write_blog(tmp_path / "site", SITE), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, POST)
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: "뒤 문단입니다.¹" in in_view(body), "the quote and what follows in sight")
        lines = quoted(in_view(body))
        assert len(lines) >= 4 and all(line.startswith("▌") for line in lines), lines


HEXO = {
    "_config.yml": "title: 블로그\n",
    "source/_posts/quote.md": (
        "---\ntitle: 인용\n---\n앞 문단입니다.\n\n"
        "{% blockquote 홍길동, 어느 책 %}\n첫 문단.\n\n둘째 문단.\n{% endblockquote %}\n\n"
        "> 마크다운 인용의 첫 문단.\n>\n> 그 둘째 문단.\n\n뒤 문단입니다.\n"
    ),
}


def test_a_quotes_paragraphs_are_parted_by_a_barred_line_and_its_source_follows_its_last(cli, write_tree):
    """The site spaces a quote's paragraphs apart inside its border; they were drawn line under
    line, one paragraph read as one. A Hexo quote's source (`— who, where`) stays under it."""
    result = cli("show", "--posts", str(write_tree(HEXO)), "--width", "60", "--no-pager", "source/_posts/quote.md")
    assert result.returncode == 0, result.stderr
    assert quoted(result.stdout.split("\n")) == [
        "▌ 첫 문단.",
        "▌",
        "▌ 둘째 문단.",
        "▌ — 홍길동, 어느 책",
        "▌ 마크다운 인용의 첫 문단.",
        "▌",
        "▌ 그 둘째 문단.",
    ]

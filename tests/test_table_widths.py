"""A table wider than the pane keeps each cell's words whole where they can fit: `reader show` at a
width and the app's 54-column post pane at 120x36 (Rich had folded `-2.4681` into `-2.468` over `1`)."""

from __future__ import annotations

import re

import pytest

from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.test_app_paging import in_view
from tests.waiting import ready, until

NUMBERS = ["-2.4681", "-0.1357", "-0.9753", "0.8642", "1.3579"]
# Six columns: at 54 cells they fit only without the space either side of each cell.
MEASURED = "| 항목 | 가 | 나 | 다 | 라 | 마 |\n|---|---|---|---|---|---|\n" + "".join(
    f"| 행{n} | " + " | ".join(NUMBERS[n:] + NUMBERS[:n]) + " |\n" for n in range(3)
)
NAMES = ["합쇼체(아주높임말)", "해요체(두루높임말)", "해라체(아주낮춤말)"]
# One column of long words beside two of sentences: Rich narrowed all three alike, past the words.
WORDED = "| 말씨 | 물을 때 | 시킬 때 |\n|---|---|---|\n" + "".join(
    f"| {name} | 오늘 저녁에는 무엇을 먹을지 함께 정해 볼까요 | 창문을 열고 방 안의 공기를 바꾸어 주세요 |\n"
    for name in NAMES
)
WORDS = NUMBERS + NAMES
POST = "_posts/2026-02-01-tables.md"
SITE = {POST: f"---\ntitle: 표 두 개\ndate: 2026-02-01\n---\n측정값입니다.\n\n{MEASURED}\n말씨입니다.\n\n{WORDED}"}


def whole(words: list[str], lines: list[str]) -> list[str]:
    """The words of `words` that no line holds whole."""
    pattern = r"(?<![\w.-]){}(?![\w.])"
    return [word for word in words if not any(re.search(pattern.format(re.escape(word)), line) for line in lines)]


@pytest.mark.parametrize("width", [46, 50, 54, 60, 66, 72])
def test_reader_show_keeps_the_numbers_and_words_of_a_too_wide_table_whole(cli, write_tree, width):
    root = write_tree(SITE)
    result = cli("show", "--posts", str(root), "--width", str(width), "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert whole(WORDS, lines) == [], result.stdout
    assert all(len(line) <= width for line in lines if line.isascii())
    assert "│ 오늘" in result.stdout or "│오늘" in result.stdout  # the sentences still wrap in their cells


def test_a_table_that_fits_keeps_the_space_either_side_of_its_cells(cli, write_tree):
    result = cli("show", "--posts", str(write_tree(SITE)), "--width", "100", "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    assert "│ 행0  │ -2.4681 │" in result.stdout, result.stdout


def test_a_table_too_wide_for_any_whole_words_cuts_only_the_column_of_the_longest(cli, write_tree):
    long = "가나다라마바사아자차카타파하"  # 28 cells, one word
    table = "| 이름 | 가 | 나 | 다 |\n|---|---|---|---|\n" + f"| {long} | " + " | ".join(NUMBERS[:3]) + " |\n"
    root = write_tree({POST: f"---\ntitle: 좁은 표\ndate: 2026-02-01\n---\n{table}"})
    result = cli("show", "--posts", str(root), "--width", "40", "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert whole(NUMBERS[:3], lines) == [] and whole([long], lines) == [long], result.stdout
    assert "".join(re.findall(r"[가-힣]+", result.stdout)).count(long) == 1  # folded, not cut short


async def test_the_post_pane_at_120x36_shows_the_numbers_of_a_wide_table_whole(tmp_path):
    app = app_for(write_blog(tmp_path / "site", SITE), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, POST)
        body = app.main.query_one(PostBody)
        assert body.scrollable_content_region.width < 58  # too narrow for the table with its spaces
        await until(pilot, lambda: any("행0" in line for line in in_view(body)), "the first table in sight")
        assert whole(NUMBERS, in_view(body)) == [], in_view(body)
        await pilot.press("end")
        await until(pilot, lambda: any("해라체" in line for line in in_view(body)), "the second table in sight")
        assert whole(NAMES, in_view(body)) == [], in_view(body)


def test_a_number_folded_in_its_cell_marks_the_line_it_goes_on_to(cli, write_tree):
    """Eight columns of `0.123456e-07` at 44 cells cannot keep the numbers whole: each is folded, and
    the line it goes on to starts with `↪` (`0.1234` over `↪56e-07` is one number, not two). A
    hyphen between words and Hangul syllables are where the site breaks too: no mark there."""
    values = ["0.123456e-07", "3.141592e-03", "2.718281e-05", "1.414213e-11"]
    table = "| 변수 | 값 | 변수 | 값 | 변수 | 값 | 변수 | 값 |\n|---|---|---|---|---|---|---|---|\n"
    table += "| 1 | " + " | 2 | ".join(values[:2]) + " | 3 | " + " | 4 | ".join(values[2:]) + " |\n"
    table += "| 5 | well-known | 6 | 가나다라마바사아자차 | 7 | - | 8 | - |\n"
    root = write_tree({POST: f"---\ntitle: 좁은 표\ndate: 2026-02-01\n---\n{table}"})
    result = cli("show", "--posts", str(root), "--width", "44", "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert all(len(line) <= 44 for line in lines), result.stdout
    cells = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    first = cells[: next(i for i, row in enumerate(cells) if row[0] == "5")]  # the first row's lines
    for column, value in zip((1, 3, 5, 7), values, strict=True):
        pieces = [row[column] for row in first if row[column]]
        assert len(pieces) > 1 and all(piece.startswith("↪") for piece in pieces[1:]), result.stdout
        assert "".join(piece.removeprefix("↪") for piece in pieces) == value, result.stdout
    assert "well-" in result.stdout and "↪known" not in result.stdout, result.stdout
    assert "↪" not in "".join(line for line in lines if "가" in line or "자" in line), result.stdout

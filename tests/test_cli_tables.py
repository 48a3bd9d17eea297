"""How a table's columns give way on a narrow terminal (reader.cli.tables), without a terminal."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from reader.cli.tables import Column, Table, draw, layout

POSTS = Table(
    (
        Column("date"),
        Column("title", fit="wrap"),
        Column("categories", fit="crop"),
        Column("path", fit="middle"),
    ),
    (("path", 36), ("categories", 10), ("categories", 0), ("title", 24), ("path", 20)),
)
LINKS = Table(
    (Column("#"), Column("text", fit="wrap"), Column("url", fit="middle", under="narrow"), Column("line")),
    (("url", 0), ("text", 16)),
)


@pytest.mark.parametrize(
    "table,natural,width,row,widths,under",
    [
        # everything fits: nothing gives way
        (POSTS, [10, 26, 18, 30], 200, [0, 1, 2, 3], {0: 10, 1: 26, 2: 18, 3: 30}, []),
        # the first steps alone: categories cropped to what is missing
        (POSTS, [10, 26, 18, 30], 88, [0, 1, 2, 3], {0: 10, 1: 26, 2: 16, 3: 30}, []),
        # categories taken out; the room that frees goes back to the title, shrunk before
        (POSTS, [10, 30, 18, 30], 80, [0, 1, 3], {0: 10, 1: 30, 3: 30}, []),
        # a long path cropped first, the title wrapped only as far as needed
        (POSTS, [10, 40, 18, 60], 80, [0, 1, 3], {0: 10, 1: 30, 3: 36}, []),
        # then the path cropped further
        (POSTS, [10, 40, 18, 60], 64, [0, 1, 3], {0: 10, 1: 24, 3: 26}, []),
        # an empty column (no header, no cell) takes no room
        (POSTS, [10, 0, 18, 30], 200, [0, 2, 3], {0: 10, 2: 18, 3: 30}, []),
        # a URL goes under its row before the text wraps
        (LINKS, [2, 24, 80, 4], 80, [0, 1, 3], {0: 2, 1: 24, 3: 4}, [2]),
        (LINKS, [2, 24, 40, 4], 80, [0, 1, 2, 3], {0: 2, 1: 24, 2: 40, 3: 4}, []),
    ],
)
def test_columns_give_way_in_the_order_the_table_says(table, natural, width, row, widths, under):
    plan = layout(table, natural, width)
    assert (plan.row, {i: plan.widths[i] for i in plan.row}, plan.under) == (row, widths, under)


def test_a_very_narrow_screen_shrinks_the_widest_column_past_its_steps():
    plan = layout(POSTS, [10, 40, 18, 60], 40)
    assert sum(plan.widths[i] for i in plan.row) + 2 * (len(plan.row) - 1) <= 40


def screen(table: Table, rows: list[list[str]], width: int) -> list[str]:
    console = Console(width=width, color_system=None, legacy_windows=False)
    lines = draw(console, table, [[Text(cell) for cell in row] for row in rows])
    return ["".join(segment.text for segment in line) for line in lines]


def test_a_path_is_cropped_in_the_middle_keeping_its_folder_and_file_name():
    path = "_posts/2017-09-05-noun-clauses-and-adnominal-clauses.md"
    lines = screen(
        POSTS, [["2017-09-05", "한국어 명사절/관형사절 내포와 그 통사적 특징", "Korean Linguistics", path]], 80
    )
    assert lines[0].split() == ["date", "title", "path"]  # categories gave way
    assert lines[1].startswith("2017-09-05  한국어 명사절/관형사절")
    cropped = lines[1].split()[-1]
    assert cropped.startswith("_posts/…") and path.endswith(cropped.removeprefix("_posts/…"))
    assert lines[2].startswith(" " * 12) and "한국어 명사절/관형사절 내포와 그 통사적 특징".endswith(lines[2].strip())
    assert all(Text(line).cell_len <= 80 for line in lines)


def test_a_url_under_its_row_is_whole_or_cropped_in_the_middle():
    url = "https://ratsgo.github.io/data%20structure&algorithm/2017/11/25/shortestpath/"
    long = "https://en.wikipedia.org/wiki/" + "x" * 80 + "/end"
    lines = screen(LINKS, [["1", "최단 경로", url, "7"], ["2", long, long, "9"]], 60)
    assert lines[1].split() == ["1", "최단", "경로", "7"]
    assert lines[2].startswith("   https://ratsgo.github.io/d") and lines[2].endswith("/2017/11/25/shortestpath/")
    assert "…" in lines[2] and Text(lines[2]).cell_len == 60
    lines = screen(LINKS, [["1", "최단 경로", url, "7"], ["2", long, long, "9"]], 100)
    assert lines[2] == "   " + url
    assert lines[3].split() == ["2", "9"]  # a link whose text is its URL: the URL once, on its own line
    assert lines[4].startswith("   https://en.wikipedia.org/wiki/xx") and lines[4].endswith("xx/end")
    assert "…" in lines[4] and Text(lines[4]).cell_len == 100


def test_a_wrapped_cell_keeps_to_its_column_on_every_line():
    table = Table((Column("#"), Column("kind"), Column("text", fit="wrap"), Column("line")), (("text", 10),))
    lines = screen(table, [["1", "post", "최단 경로(Shortest Path)", "7"]], 34)
    assert lines[1] == "1  post  최단 경로(Shortest   7"
    assert lines[2] == "         Path)"


# Eight columns, five of them numbers and times: wider than 80 columns even with the texts at
# their narrowest.
EIGHT = Table(
    (
        Column("#"),
        Column("date"),
        Column("title", fit="wrap"),
        Column("updated"),
        Column("tags", fit="crop"),
        Column("words"),
        Column("path", fit="middle"),
        Column("characters"),
    ),
    (("path", 20),),
)
NUMBERS = ("12", "2017-11-25T09:00:00", "2018-01-02T21:30:00", "1,234,567", "12,345,678")
EIGHT_ROW = [
    NUMBERS[0],
    NUMBERS[1],
    "다익스트라 알고리즘과 최단 경로 문제",
    NUMBERS[2],
    "graph, shortest path",
    NUMBERS[3],
    "_posts/2017-11-26-dijkstra.md",
    NUMBERS[4],
]


@pytest.mark.parametrize("width", [78, 80, 100, 40])
def test_numbers_never_wrap_text_columns_give_way(width):
    """At 78-80 columns a row of eight columns was wider than the screen, and the terminal broke
    the numbers at its end over two lines. Text columns give way instead (cropped, then left
    out, the last first): every number and time stays whole, on its row's line."""
    lines = screen(EIGHT, [EIGHT_ROW], width)
    assert all(Text(line).cell_len <= width for line in lines), lines
    words = lines[1].split()
    if width >= 78:
        assert all(number in words for number in NUMBERS), lines[1]
        assert "다익스트" in lines[1]  # the title, narrowed, still there
    assert all(word in NUMBERS or not any(c.isdigit() for c in word) for word in words), words  # no piece of one
    assert not any(c.isdigit() for line in lines[2:] for c in line), lines[2:]  # only text wraps under the row

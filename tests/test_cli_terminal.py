"""The CLI's tables and progress bar on a real terminal (a pty read back through pyte), at the
widths users have: 80 columns as well as 120 and 200."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_pty import Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

BODY = (
    "이번 글에서는 형태소 분석 결과를 말뭉치에 적용해 봅니다. 코모란 형태소 분석기를 적용하여 "
    "형태소 분석을 실시하였습니다. 예컨대 아래와 같습니다. 영화같은 인생 인생같은 영화 영화/NNG, 같/VA, "
    "은/ETM, 인생/NNG 이렇게 분석한 말뭉치에 Word2Vec 기법을 적용해 단어 벡터를 만들었습니다.\n"
)
LONG_URL = "https://ratsgo.github.io/data%20structure&algorithm/2017/11/25/shortestpath-and-relaxation/"
SHORTEST = "_posts/2017-11-25-shortestpath-and-relaxation.md"  # where LONG_URL leads
WIKI_URL = "https://en.wikipedia.org/wiki/Dijkstra%27s_algorithm#Practical_optimizations_and_infinite_graphs"
# (file name, title): long Korean titles and file names, as in a real Jekyll blog (ratsgo's)
POSTS = [
    ("2017-10-24-sentence-types-and-final-endings.md", "한국어의 문장유형과 종결어미"),
    ("2017-09-05-noun-clauses-and-adnominal-clauses.md", "한국어 명사절/관형사절 내포와 그 통사적 특징"),
    ("2017-07-19-valency.md", "한국어 서술어의 논항과 자릿수"),
    ("2017-05-11-word2vecpos2.md", "Word2Vec과 품사 정보 (2)"),
    ("2017-03-12-s2s.md", "Sequence-to-Sequence 모델로 뉴스 제목 추출하기"),
]
DIJKSTRA = (
    "---\ntitle: 다익스트라 알고리즘\ncategories: [data structure&algorithm]\ntags: [graph]\n---\n"
    "[최단 경로(Shortest Path)](" + LONG_URL + ") 문제를 푸는 방법입니다.\n\n"
    "[위키피디아의 설명](" + WIKI_URL + ")도 보세요.\n\n"
    "![](https://i.imgur.com/EKu1v4e.png)\n\n"
    "[한국어의 문장유형]({% post_url 2017-10-24-sentence-types-and-final-endings %})\n"
)


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    config = 'title: blog\nurl: "https://ratsgo.github.io"\npermalink: /:categories/:year/:month/:day/:title/\n'
    (root / "_config.yml").write_text(config, encoding="utf-8")
    for name, title in POSTS:
        front = f"---\ntitle: {title}\ncategories: [Korean Linguistics]\ntags: [syntax, korean]\n---\n"
        (root / "_posts" / name).write_text(front + BODY, encoding="utf-8")
    (root / "_posts" / "2017-11-26-dijkstra.md").write_text(DIJKSTRA, encoding="utf-8")
    front = "---\ntitle: 최단 경로 문제와 간선 완화\ncategories: [data structure&algorithm]\n---\n"
    (root / SHORTEST).write_text(front + "본문\n", encoding="utf-8")
    return root


def run(reader_cmd: list[str], tmp_path: Path, args: list[str], cols: int) -> tuple[list[str], bytes]:
    """The screen lines (right spaces stripped) and the bytes of `reader ARGS` at `cols` columns."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
    }
    term = Terminal([*reader_cmd, *args], env, cols=cols, rows=120)
    try:
        assert term.exited_within(120), term.text()
    finally:
        term.close()
    lines = [line.rstrip() for line in term.screen.display]
    while lines and not lines[-1]:
        lines.pop()
    return lines, bytes(term.raw)


def whole_or_cropped(line: str, text: str) -> bool:
    """`text` on `line` whole, or cropped in the middle (`start…end`), never cut at its end alone."""
    if text in line:
        return True
    for cut in range(len(text) - 1, 8, -1):
        for head in range(4, cut - 3):
            if f"{text[:head]}…{text[len(text) - (cut - head) :]}" in line:
                return True
    return False


def width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


WIDTHS = [80, 120, 200]


@pytest.mark.parametrize("cols", WIDTHS)
def test_search_shows_a_snippet_on_full_width_lines_under_its_title(reader_cmd, tmp_path, blog, cols):
    lines, _ = run(reader_cmd, tmp_path, ["search", "형태소", "분석", "--posts", str(blog)], cols)
    assert all(width(line) <= cols for line in lines)
    for name, title in POSTS:
        path = f"_posts/{name}"
        row = next(n for n, line in enumerate(lines) if path[:24] in line or whole_or_cropped(line, path))
        assert whole_or_cropped(lines[row], path), lines[row]  # the path, unbroken, on its hit's line
        if cols >= 120:
            assert path in lines[row] and title in lines[row]
        start = next(n for n in range(row, row + 3) if "코모란 형태소" in lines[n] or "이번 글에서는" in lines[n])
        indent = len(lines[row]) - len(lines[row].split(maxsplit=1)[1])  # where the title starts
        assert start > row and lines[start][:indent].isspace() and lines[start][indent] != " "  # under it
        assert width(lines[start]) > cols - 20  # the snippet has the width of the screen
    hits = [n for n, line in enumerate(lines) if line[:3].strip().isdigit()]
    assert len(hits) == len(POSTS)
    assert max(b - a for a, b in itertools.pairwise(hits)) <= (6 if cols == 80 else 4)  # was 10 and more at 80


@pytest.mark.parametrize("cols", WIDTHS)
def test_posts_keep_paths_whole_and_titles_short(reader_cmd, tmp_path, blog, cols):
    lines, _ = run(reader_cmd, tmp_path, ["posts", "--tag", "syntax", "--posts", str(blog)], cols)
    assert lines[0].split()[:2] == ["date", "title"]
    assert all(width(line) <= cols for line in lines)
    rows = [n for n, line in enumerate(lines) if line[:4].isdigit()]
    assert len(rows) == len(POSTS)
    for n, following in zip(rows, [*rows[1:], len(lines) - 1], strict=True):
        name = next(name for name, _ in POSTS if name[:10] == lines[n][:10])
        assert whole_or_cropped(lines[n], f"_posts/{name}"), lines[n]
        assert following - n <= (2 if cols == 80 else 1), lines[n:following]  # a title over two lines at most
    for name, title in POSTS:
        if cols >= 120:
            assert any(title in line for line in lines), title  # on one line
        if cols >= 200:
            assert any(f"_posts/{name}" in line and title in line and "Korean Linguistics" in line for line in lines)


@pytest.mark.parametrize("cols", WIDTHS)
def test_links_keep_each_url_on_one_line(reader_cmd, tmp_path, blog, cols):
    lines, _ = run(reader_cmd, tmp_path, ["links", "2017-11-26-dijkstra.md", "--posts", str(blog)], cols)
    assert all(width(line) <= cols for line in lines)
    for url in (LONG_URL, WIKI_URL, "https://i.imgur.com/EKu1v4e.png"):
        assert any(whole_or_cropped(line, url) for line in lines), url
        if cols >= 200 or len(url) < cols - 8:
            assert any(url in line for line in lines), url  # whole when the screen can hold it
    rows = [n for n, line in enumerate(lines) if line[:3].strip().isdigit()]
    assert len(rows) == 4
    most = {80: 4, 120: 3, 200: 2}[cols]  # the row, then the URL and where it leads when they need the room
    assert max(b - a for a, b in zip(rows, [*rows[1:], len(lines)], strict=True)) <= most
    for path in (SHORTEST, "_posts/2017-10-24-sentence-types-and-final-endings.md"):
        assert any(whole_or_cropped(line, path) for line in lines), path


@pytest.mark.parametrize("command", [["posts"], ["stats"], ["search", "형태소"]])
def test_a_short_read_draws_no_progress_bar(reader_cmd, tmp_path, blog, command):
    lines, raw = run(reader_cmd, tmp_path, [*command, "--posts", str(blog)], 80)
    assert b"reading [" not in raw and b"indexing [" not in raw
    assert lines[0].startswith(("date", "7 posts", "#"))  # the output starts on the first line


def test_a_long_read_shows_its_progress_and_leaves_no_trace(reader_cmd, tmp_path):
    root = tmp_path / "big"
    root.mkdir()
    for n in range(1200):
        (root / f"p{n}.md").write_text(f"---\ntitle: 글 {n}\n---\n본문\n", encoding="utf-8")
    lines, raw = run(reader_cmd, tmp_path, ["stats", "--posts", str(root)], 80)
    assert b"reading [" in raw and b"1200/1200" in raw  # drawn while it read
    assert lines[0].startswith("1200 posts"), lines[:3]
    assert not any("reading" in line for line in lines)  # and erased once done


def test_piped_output_is_one_row_a_line_as_before(reader_cmd, tmp_path, blog):
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(tmp_path / "index")}

    def piped(*args: str) -> list[list[str]]:
        done = subprocess.run(
            [*reader_cmd, *args, "--posts", str(blog)], capture_output=True, text=True, env=env, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert "[" not in done.stderr.replace("[Korean", "")  # no progress bar when piped
        return [line.split("\t") for line in done.stdout.splitlines()]

    posts = piped("posts", "--tag", "syntax")
    assert posts[0] == [
        "2017-10-24",
        "",
        "한국어의 문장유형과 종결어미",
        "Korean Linguistics",
        "syntax,korean",  # joined by commas, without `#`: a tag may hold a space (reader posts -h)
        "_posts/2017-10-24-sentence-types-and-final-endings.md",
    ]
    links = piped("links", "2017-11-26-dijkstra.md")
    assert links[0] == [
        "1",
        "post",
        "",
        "최단 경로(Shortest Path)",
        LONG_URL,
        f"최단 경로 문제와 간선 완화 ({SHORTEST})",
        "6",
    ]
    assert links[1] == ["2", "external", "", "위키피디아의 설명", WIKI_URL, "", "8"]
    ends = "한국어의 문장유형과 종결어미 (_posts/2017-10-24-sentence-types-and-final-endings.md)"
    assert links[-1][-2:] == [ends, "12"]
    hits = piped("search", "형태소", "분석")
    assert len(hits) == len(POSTS) and all(len(hit) == 5 and "[형태소]" in hit[4] for hit in hits)
    titled = piped("search", "종결어미")  # a word of the title: marked in a table, not in the column
    assert titled[0][2:4] == ["_posts/2017-10-24-sentence-types-and-final-endings.md", "한국어의 문장유형과 종결어미"]


LONG_TAG = "자연어 처리를 위한 한국어 형태소 분석기 비교와 품사 태깅 성능 평가 실험 기록"
LONG_CATEGORY = "머신러닝과 딥러닝을 이용한 자연어 처리 실험과 그 결과 정리: 아주 긴 카테고리"


@pytest.mark.parametrize("cols", [78, 80])
def test_stats_counts_stay_on_their_line_at_80_columns(reader_cmd, tmp_path, cols):
    """A tag or a category wider than the screen pushed its count onto the next line: the
    terminal broke `… 실험 기` / `록  12`. Now the name is cropped with `…`; piped, it is whole."""
    root = tmp_path / "blog"
    (root / "_posts").mkdir(parents=True)
    for n in range(12):
        front = f"---\ntitle: 글 {n}\ndate: 2020-01-{n + 1:02d}\ntags: [{LONG_TAG}, 짧은]\n"
        front += f"categories: ['{LONG_CATEGORY}']\n---\n본문\n"
        (root / "_posts" / f"2020-01-{n + 1:02d}-p.md").write_text(front, encoding="utf-8")
    lines, _ = run(reader_cmd, tmp_path, ["stats", "--posts", str(root)], cols)
    assert all(width(line) <= cols for line in lines)
    tag = next(line for line in lines if line.startswith("  #자연어"))
    name, count = tag[3:].split("…")
    assert count.strip() == "12" and LONG_TAG.startswith(name), tag  # cropped, its count beside it
    category = next(line for line in lines if line.startswith("  머신러닝과"))
    assert category.split("…")[1].strip() == "12", category
    assert next(line for line in lines if line.startswith("  #짧은")).split() == ["#짧은", "12"]
    piped = subprocess.run(
        [*reader_cmd, "stats", "--posts", str(root)], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert f"  #{LONG_TAG}  12" in piped.stdout.splitlines()  # whole, for a script

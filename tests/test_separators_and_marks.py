"""Line and paragraph separators (U+2028, U+2029) and bidi marks (LRM, RLM, ALM) in a post:
never written to the terminal as they are where they would break a line or reorder what we
draw. A separator in a post's body is the line break it means; in one line of output (a row,
a cell, an error) its stand-in, `<U+2028>`. A mark stays where a line holds the post's text
alone (a paragraph of `reader show`), and shows as `<U+200F>` anywhere else: in a table, a
list, the app (whose every line has our panes beside it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.posts.text import marks_shown, printable, printable_spans
from reader.ui.post_list import PostList
from tests.app_fixtures import app_for
from tests.test_cli_pager import SGR, environment, exit_code
from tests.test_pty import Terminal
from tests.waiting import ready, until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

LS, PS, LRM, RLM, ALM = "\u2028", "\u2029", "\u200e", "\u200f", "\u061c"
RAW = re.compile(f"[{LS}{PS}{LRM}{RLM}{ALM}]")
MARKS = re.compile(f"[{LRM}{RLM}{ALM}]")
QUOTE = f"«{RLM}مرحبا{RLM}»"  # an Arabic greeting quoted, its marks where the author put them
ODD_NAME = f"줄{LS}바꿈{RLM}이름.md"
POST = (
    f"---\ntitle: 인용과 줄 나눔\ndate: 2020-03-01\ntags: ['{RLM}아랍어']\n---\n"
    f"첫 줄 끝{LS}둘째 줄의 시작, 문단의 끝{PS}다음 문단의 시작.\n\n"
    f"아랍어 인사: {QUOTE} 인사말\n\n"
    f"- 목록 안의 {LRM}표시 항목\n\n"
    f"| 이름 | 값 |\n|---|---|\n| 셀{LS}둘 | {RLM}12 |\n\n"
    f"```\n코드 한 줄{LS}코드 두 줄\n```\n"
)


def write_blog(root: Path, filler: int = 0) -> Path:
    root.mkdir(parents=True)
    more = "".join(f"\n채우는 문단 {n}.\n" for n in range(filler))
    (root / "quote.md").write_text(POST + more, encoding="utf-8")
    (root / ODD_NAME).write_text("---\ntitle: 이름이 이상한 글\ndate: 2020-02-01\n---\n본문 인사말\n", encoding="utf-8")
    (root / "head.md").write_text(
        f"---\ntitle: '{RLM}머리 인사말 모음'\ndate: 2020-01-01\n---\n본문\n", encoding="utf-8"
    )
    return root


@given(st.text(st.sampled_from(f"가a \t\n\x1b\x9b\u202e{LS}{PS}{LRM}{RLM}{ALM}")), st.data())
def test_a_highlight_moved_with_the_stand_ins_covers_the_same_characters(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    shown, [(a, b)] = printable_spans(text, [(start, end)])
    assert shown == printable(text) and shown[a:b] == printable(text[start:end])
    shown, [(a, b)] = marks_shown(text, [(start, end)])
    assert shown[a:b] == MARKS.sub(lambda m: f"<U+{ord(m.group()):04X}>", text[start:end])


def reader(reader_cmd: list[str], tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(tmp_path / "index"), "GEULBAT_CONFIG": str(tmp_path / "c.toml")}
    return subprocess.run([*reader_cmd, *args], capture_output=True, text=True, env=env, timeout=120)


def test_show_breaks_a_line_at_a_separator_and_keeps_marks_only_in_paragraphs(reader_cmd, tmp_path):
    """Before, U+2028 and U+2029 went to the terminal (tmux drops them: `끝둘째`), and a mark in
    a table cell sat among the cell's borders, which a bidi terminal reordered around it."""
    root = write_blog(tmp_path / "blog")
    done = reader(reader_cmd, tmp_path, "show", "--posts", str(root), "quote.md")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert LS not in out and PS not in out
    lines = out.split("\n")
    assert lines[lines.index("첫 줄 끝") + 1 : lines.index("첫 줄 끝") + 3] == [
        "둘째 줄의 시작, 문단의 끝",
        "다음 문단의 시작.",
    ]
    assert f"아랍어 인사: {QUOTE} 인사말" in lines  # a paragraph's line holds its text alone: the marks stay
    assert "• 목록 안의 <U+200E>표시 항목" in [line.strip() for line in lines]  # beside our bullet: shown
    table = [line for line in lines if line[:1] in "┏┃┡│└"]
    assert "│ <U+200F>12 │" in "\n".join(table) and not any(MARKS.search(line) for line in table), table
    assert [line.split(" │")[0].rstrip() for line in table if "셀" in line or "둘" in line] == ["│ 셀", "│ 둘"]
    assert "  코드 한 줄" in lines and "  코드 두 줄" in lines
    assert "#<U+200F>아랍어" in out  # the header, as before


def test_show_makes_a_table_of_contents_an_equation_and_a_site_tag_safe_too(reader_cmd, tmp_path):
    """A heading's separator and mark in kramdown's `{:toc}`, a mark in display math and in a
    Liquid tag: each drawn by our own code beside our own marks (`•`, `⟨⟩`), each went as it was."""
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "_config.yml").write_text("title: blog\n", encoding="utf-8")
    (root / "_posts" / "2020-01-01-toc.md").write_text(
        f"---\ntitle: 목차\n---\n* toc\n{{:toc}}\n\n## 제목{LS}둘{RLM}\n\n"
        f"$$\nx {RLM}y\n$$\n\n{{% include 틀{RLM}.html %}}\n",
        encoding="utf-8",
    )
    done = reader(reader_cmd, tmp_path, "show", "--posts", str(root), "2020-01-01-toc.md")
    assert done.returncode == 0, done.stderr
    lines = [line.strip() for line in done.stdout.split("\n")]
    assert not RAW.search(done.stdout), done.stdout
    assert "• 제목<U+2028>둘<U+200F>" in lines  # one entry, one line
    assert lines[lines.index("제목") + 1] == "둘<U+200F>"  # the heading itself: broken where it says
    assert "x<U+200F>y" in lines and "⟨include 틀<U+200F>.html⟩" in lines  # (LaTeX drops the space)


def test_the_pager_gets_the_same_safe_text(reader_cmd, tmp_path):
    """A post taller than the terminal goes to $PAGER: the text it is given is the safe one."""
    root = write_blog(tmp_path / "blog", filler=30)
    paged = tmp_path / "paged"
    env = environment(tmp_path, PAGER=f"cat > {paged}")
    term = Terminal([*reader_cmd, "show", "--posts", str(root), "quote.md"], env, 80, 24)
    try:
        assert exit_code(term, 60) == 0
    finally:
        term.close()
    text = SGR.sub("", paged.read_bytes().decode("utf-8"))
    assert "채우는 문단 29." in text  # the whole post went to the pager
    assert LS not in text and PS not in text and "첫 줄 끝\n둘째 줄의 시작" in text
    assert QUOTE in text and "<U+200F>12" in text
    assert not any(MARKS.search(line) for line in text.split("\n") if "│" in line)


def test_piped_rows_warnings_and_errors_stay_one_line_each(reader_cmd, tmp_path):
    """A file name or a link text holding U+2028 split a piped row in two for Python's
    `splitlines` and for JavaScript, and so a warning or an error naming such a file."""
    root = write_blog(tmp_path / "blog")
    (root / "links.md").write_text(f"---\ntitle: 링크\n---\n[앞{LS}뒤](https://example.org/)\n", encoding="utf-8")
    (root / f"깨진{LS}머리말.md").write_text("---\ntitle: [깨진\n---\n본문\n", encoding="utf-8")
    shown_name = "줄<U+2028>바꿈<U+200F>이름.md"
    posts = reader(reader_cmd, tmp_path, "posts", "--posts", str(root))
    assert posts.returncode == 0, posts.stderr
    assert not RAW.search(posts.stdout + posts.stderr)
    rows = [row.split("\t") for row in posts.stdout.splitlines()]
    assert len(rows) == 5 and all(len(row) == 6 for row in rows)
    assert [row[5] for row in rows if "바꿈" in row[5]] == [shown_name]
    warning, counted = posts.stderr.splitlines()
    assert warning.startswith("warning: 깨진<U+2028>머리말.md:") and counted == "5 posts, 1 warning"
    search = reader(reader_cmd, tmp_path, "search", "인사말", "--posts", str(root))
    assert search.returncode == 0, search.stderr
    assert not RAW.search(search.stdout)
    assert sorted(row.split("\t")[2] for row in search.stdout.splitlines()) == ["head.md", "quote.md", shown_name]
    links = reader(reader_cmd, tmp_path, "links", "links.md", "--posts", str(root))
    assert links.stdout.splitlines() == ["1\texternal\t\t앞<U+2028>뒤\thttps://example.org/\t\t4"]
    near = reader(reader_cmd, tmp_path, "show", "바꿈이름.md", "--posts", str(root))  # no such post: those close
    assert near.returncode == 1
    assert len(near.stderr.splitlines()) == 1 and f"close: {shown_name} (이름이 이상한 글)" in near.stderr, near.stderr
    odd = reader(reader_cmd, tmp_path, "show", ODD_NAME, "--posts", str(root))
    assert odd.returncode == 0 and shown_name in odd.stdout.splitlines(), odd.stdout  # the header's path line


def test_a_search_marks_the_words_found_after_a_stand_in(reader_cmd, tmp_path):
    """On a terminal the hits' titles are drawn with their matches reversed: a title starting with
    an RLM, drawn `<U+200F>머리 인사말 모음`, had the mark 7 characters early (`00F>머리`)."""
    root = write_blog(tmp_path / "blog")
    term = Terminal([*reader_cmd, "search", "인사말", "--posts", str(root)], environment(tmp_path), 100, 30)
    try:
        assert term.exited_within(60), term.text()
    finally:
        term.close()
    row = next(y for y, line in enumerate(term.screen.display) if "<U+200F>머리 인사말 모음" in line)
    line = term.screen.buffer[row]
    reversed_text = "".join(line[x].data for x in range(term.screen.columns) if line[x].reverse)
    assert reversed_text == "인사말", (reversed_text, term.screen.display[row])


def test_the_app_draws_separators_as_breaks_and_marks_as_stand_ins(reader_cmd, tmp_path):
    """The app writes no separator or mark to the terminal: before, the post pane wrote them as
    they were (tmux dropped the separators, gluing `끝둘째`; a mark reorders a bidi terminal's
    line, the list and the sidebar beside the post included)."""
    root = write_blog(tmp_path / "blog")
    env = {**environment(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state")}
    env.pop("TEXTUAL", None)
    term = Terminal([*reader_cmd, str(root / "quote.md")], env, 140, 40)
    try:
        screen = term.wait_for("다음 문단의 시작.")
        term.wait_for("index ready")
        lines = screen.splitlines()
        first = next(n for n, line in enumerate(lines) if "첫 줄 끝" in line)
        assert "둘째 줄의 시작, 문단의 끝" in lines[first + 1] and "다음 문단의 시작." in lines[first + 2]
        # Each waited for: the post is drawn a few blocks at a time, and under load the first
        # paragraph was on screen before the quote below it (CI, one run of the full suite).
        for shown in ("«<U+200F>مرحبا<U+200F>»", "<U+200E>표시 항목", "│ <U+200F>12 │", "#<U+200F>아랍어"):
            term.wait_for(shown)
        term.type("q")
        assert term.exited_within(10), "q did not quit the reader"
    finally:
        term.close()
    assert not RAW.search(term.raw.decode("utf-8", "replace"))


async def test_the_apps_list_marks_the_words_found_after_a_stand_in(tmp_path):
    """A search's list row: its title `<U+200F>머리 인사말 모음` had `00F` marked, not `인사말`."""
    app = app_for(write_blog(tmp_path / "blog"), tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"인사말")
        post_list = app.main.query_one(PostList)
        await until(pilot, lambda: any(r.title_highlights for r in post_list.rows), "the hits listed")
        row = [r.path for r in post_list.rows].index("head.md")
        strip = post_list.render_line(row * post_list.row_height - round(post_list.scroll_y))
        assert "<U+200F>머리 인사말 모음" in strip.text
        marked = "".join(segment.text for segment in strip if segment.style is not None and segment.style.reverse)
        assert marked == "인사말", (marked, strip.text)

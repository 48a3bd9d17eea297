"""A gist embedded with `<script src="https://gist.github.com/…js">` shows its code on the site, where the
post says "the code below": the reader shows a numbered link to it there, not nothing. Other scripts
still show nothing and number nothing."""

from __future__ import annotations

from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.test_app_paging import in_view
from tests.waiting import ready, until

POST = "_posts/2026-04-01-gist.md"
GIST = "https://gist.github.com/someone/5d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a"
BODY = f"""아래는 전처리 코드입니다.

<script src="{GIST}.js"></script>

<script src="https://example.org/counter.js"></script>

<script>document.title = "바뀐 제목";</script>

위 코드는 [문서](https://example.org/docs)를 따랐습니다.
"""
SITE = {POST: f"---\ntitle: 코드 조각\ndate: 2026-04-01\n---\n{BODY}"}


def test_reader_show_puts_a_numbered_link_where_the_gist_stands(cli, write_tree):
    result = cli("show", "--posts", str(write_tree(SITE)), "--width", "80", "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    body, _, links = result.stdout.partition("links")
    lines = [line for line in body.split("\n") if line.strip()]
    at = lines.index("아래는 전처리 코드입니다.")
    assert lines[at + 1] == "</> [gist someone/5d1c2b3][1]", result.stdout
    assert lines[at + 2] == "위 코드는 문서[2]를 따랐습니다.", result.stdout  # the other scripts: nothing
    assert f"[1] {GIST}\n" in links and "[2] https://example.org/docs" in links
    assert "counter" not in result.stdout and "바뀐 제목" not in result.stdout


def test_reader_links_lists_the_gist_page_on_its_line(cli, write_tree):
    result = cli("links", "--posts", str(write_tree(SITE)), POST)
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.strip().split("\n")]
    assert [(row[0], row[4], row[-1]) for row in rows] == [("1", GIST, "7"), ("2", "https://example.org/docs", "13")]


async def test_the_post_pane_shows_the_gist_link_where_the_script_stands(tmp_path):
    app = app_for(write_blog(tmp_path / "site", SITE), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, POST)
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: "위 코드는 문서[2]를 따랐습니다." in in_view(body), "the post's end in sight")
        lines = in_view(body)
        at = lines.index("아래는 전처리 코드입니다.")
        assert lines[at + 1 : at + 3] == ["</> [gist someone/5d1c2b3][1]", "위 코드는 문서[2]를 따랐습니다."], lines

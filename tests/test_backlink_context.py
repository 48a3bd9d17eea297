"""A backlink's sentence reads as the post pane reads it: a Hexo `{% post_link slug %}` is the
linked post's title there, not its slug; in `reader links --backlinks` and in its JSON."""

from __future__ import annotations

import json

import pytest

from reader.posts.backlinks import context_of
from reader.posts.site_syntax import preprocess
from tests.sites import write_blog

TARGET = "source/_posts/python-how-to-C.md"
POSTS = {
    "source/_posts/emailer.md": "title: 자동 이메일 발송\ndate: 2020-03-03\n---\n## 3. outlook 실행\n\n"
    "{% post_link send-email %} 참고\n{% post_link python-how-to-C %}\n",
    "source/_posts/send-email.md": "title: outlook으로 이메일 보내기\ndate: 2020-02-02\n---\n본문\n",
    TARGET: "title: Python How-To(C#_기초)\ndate: 2020-01-01\n---\n본문\n",
    "source/_posts/titled.md": "title: 제목 준 글\ndate: 2020-04-04\n---\n"
    "{% post_link python-how-to-C '직접 쓴 이름' %}을 보세요. {% post_link no-such-post %}도.\n",
}


@pytest.fixture
def site(tmp_path):
    return write_blog(tmp_path / "site", POSTS)


def test_the_cli_shows_the_sentence_with_the_titles_the_post_shows(cli, site, tmp_path):
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    result = cli("links", TARGET, "--backlinks", env=env)
    assert result.returncode == 0, result.stderr
    lines = sorted(line.split("\t") for line in result.stdout.splitlines())
    assert lines == [
        ["자동 이메일 발송", "source/_posts/emailer.md", "7", "outlook으로 이메일 보내기 참고 Python How-To(C#_기초)"],
        ["제목 준 글", "source/_posts/titled.md", "4", "직접 쓴 이름을 보세요."],
    ]
    as_json = json.loads(cli("links", TARGET, "--backlinks", "--json", env=env).stdout)
    assert sorted(b["context"] for b in as_json) == [
        "outlook으로 이메일 보내기 참고 Python How-To(C#_기초)",
        "직접 쓴 이름을 보세요.",
    ]


def test_a_post_link_to_no_post_keeps_its_slug_as_the_pane_does():
    line = preprocess("{% post_link python-how-to-C %} 옆에 {% post_link no-such-post %}")
    titles = {"python-how-to-C": "Python. How-To"}
    assert context_of(line, "python-how-to-C", titles.get) == "Python. How-To 옆에 no-such-post"

"""Backlinks ("what links here") and related posts: the core, the CLI, and the `L` panel."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from reader.library import Library
from reader.posts.backlinks import candidate_links, context_of
from reader.search.related import prose
from reader.ui.app import build_app
from reader.ui.connections import ConnectionsPanel
from tests.sites import BLOG, write_blog
from tests.waiting import ready, shown, until

WELCOME = "_posts/2026-01-05-welcome.md"
KEYS = "_posts/2026-01-06-keys.md"
LINKS = "_posts/2026-01-10-links.md"

# Every link form that reaches a post, each from its own post to the welcome post.
FORMS = {
    "_posts/2024-01-01-by-post-url.md": (
        "---\ntitle: post_url 글\n---\n[처음 글]({% post_url 2026-01-05-welcome %})에서 봅니다.\n"
    ),
    "_posts/2024-01-02-by-root-path.md": "---\ntitle: 주소 글\n---\n[환영](/2026/01/05/welcome.html)을 읽으세요.\n",
    "_posts/2024-01-03-by-reference.md": (
        "---\ntitle: 참조 글\n---\n[환영 글][w]을 읽으세요.\n\n[w]: 2026-01-05-welcome.md\n"
    ),
    "_posts/2024-01-04-by-html.md": '---\ntitle: HTML 글\n---\n<p><a href="2026-01-05-welcome.md">환영</a></p>\n',
    "_posts/2024-01-05-in-code.md": (
        "---\ntitle: 코드 글\n---\n```\n[환영](2026-01-05-welcome.md)\n```\n`[환영](2026-01-05-welcome.md)`\n"
    ),
}


def library_for(tmp_path, files=None) -> Library:
    root = write_blog(tmp_path / "site", {**BLOG, **(files or {})})
    return Library.open(root, index_dir=tmp_path / "index")


def test_every_link_form_counts_and_code_does_not(tmp_path):
    library = library_for(tmp_path, FORMS)
    sources = {b.path for b in library.backlinks(WELCOME)}
    assert sources == {
        KEYS,  # a relative path
        LINKS,  # the site permalink as a full URL (the seed's case)
        "_posts/2024-01-01-by-post-url.md",
        "_posts/2024-01-02-by-root-path.md",
        "_posts/2024-01-03-by-reference.md",
        "_posts/2024-01-04-by-html.md",
    }  # the link in a code block and a code span is no link


def test_a_backlink_carries_its_line_and_sentence(tmp_path):
    library = library_for(tmp_path)
    (keys,) = [b for b in library.backlinks(WELCOME) if b.path == KEYS]
    assert keys.title == "키 안내"
    assert keys.line == 9  # the file line, front matter included
    assert keys.context == "환영 글로 돌아가기."
    assert library.backlinks("_posts/2025-08-01-django.md") == []


def test_backlinks_follow_a_file_change(tmp_path):
    library = library_for(tmp_path)
    assert KEYS in {b.path for b in library.backlinks(WELCOME)}
    (library.root / KEYS).write_text("---\ntitle: 키 안내\n---\n링크 없이.\n", encoding="utf-8")
    library.load()
    assert KEYS not in {b.path for b in library.backlinks(WELCOME)}
    (library.root / "_posts/2026-03-01-new.md").write_text("---\ntitle: 새 글\n---\n[여기](2025-08-01-django.md)\n")
    library.load()
    assert [b.path for b in library.backlinks("_posts/2025-08-01-django.md")] == ["_posts/2026-03-01-new.md"]


def test_the_context_is_the_sentence_of_the_link():
    line = "앞 문장은 상관없습니다. 그래서 [그래프 글](a.md)을 먼저 읽으세요. 뒤 문장도요."
    assert context_of(line, "그래프 글") == "그래서 그래프 글을 먼저 읽으세요."
    assert [raw.url for raw, _ in candidate_links("보세요 <https://a.example/x> 와 https://b.example/y.")] == [
        "https://a.example/x",
        "https://b.example/y",
    ]


SERIES = {
    f"_posts/2023-0{n}-01-series-{n}.md": (
        f"---\ntitle: 워드 임베딩 이해하기 ({n})\ntags: [nlp]\n---\n"
        + f"워드 임베딩은 단어를 벡터로 바꿉니다. 벡터 공간에서 의미가 가까운 단어는 가깝습니다. 제{n}편입니다.\n"
    )
    for n in (1, 2, 3)
}
OTHERS = {
    f"_posts/2022-01-0{n}-other-{n}.md": (
        f"---\ntitle: 다른 글 {n}\ntags: [life]\n---\n오늘은 산책을 했습니다. 날씨가 좋았습니다 {n}.\n"
    )
    for n in range(1, 6)
}


def test_related_posts_rank_the_other_parts_of_a_series_first_and_say_why(tmp_path):
    library = library_for(tmp_path, {**SERIES, **OTHERS})
    library.sync_index()
    found = library.related("_posts/2023-02-01-series-2.md", limit=5)
    assert {r.path for r in found[:2]} == {"_posts/2023-01-01-series-1.md", "_posts/2023-03-01-series-3.md"}
    assert found[0].tags == ("nlp",)
    assert "임베딩" in found[0].words or "벡터" in found[0].words
    assert "tags: nlp" in found[0].why
    assert all(r.path != "_posts/2023-02-01-series-2.md" for r in found)


def run(cmd, *args, root):
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(root.parent / "cli-index"), "TZ": "Asia/Seoul"}
    return subprocess.run([*cmd, *args, "--posts", str(root)], capture_output=True, text=True, env=env, timeout=120)


def test_the_cli_lists_backlinks_and_related_posts_as_json(reader_cmd, tmp_path):
    root = write_blog(tmp_path / "site", {**BLOG, **SERIES, **OTHERS})
    result = run(reader_cmd, "links", WELCOME, "--backlinks", "--json", root=root)
    assert result.returncode == 0, result.stderr
    backlinks = json.loads(result.stdout)
    assert {b["path"] for b in backlinks} == {KEYS, LINKS}
    assert set(backlinks[0]) == {"path", "title", "line", "context"}
    result = run(reader_cmd, "related", "_posts/2023-01-01-series-1.md", "--limit", "2", "--json", root=root)
    assert result.returncode == 0, result.stderr
    related = json.loads(result.stdout)
    assert [r["title"] for r in related] == ["워드 임베딩 이해하기 (2)", "워드 임베딩 이해하기 (3)"] or [
        r["title"] for r in related
    ] == ["워드 임베딩 이해하기 (3)", "워드 임베딩 이해하기 (2)"]
    assert "tags: nlp" in related[0]["why"]
    text = run(reader_cmd, "related", "_posts/2023-01-01-series-1.md", root=root)
    assert "워드 임베딩 이해하기 (2)" in text.stdout


# Two posts on the same topic that hold the same code: every way a post holds code (a fence, an
# indented block, a Hexo codeblock tag, a code span), a LaTeX command and a link's address.
PROSE = "큐는 먼저 들어온 원소가 먼저 나가는 자료구조입니다. 원형버퍼로 큐를 만들면 빠릅니다.\n\n"
CODE = "```python\nimport numpy as np\n\ndef step(self):\n    return np.zeros(3)\n```\n"
INDENTED = "\n    for item in self.queue:\n        print(item)\n\n"
HEXO = "{% codeblock lang:python %}\nfrom collections import deque\nwhile self.queue:\n{% endcodeblock %}\n"
CODED = {
    f"_posts/2023-0{n}-01-queue-{n}.md": (
        f"---\ntitle: 큐 구현 노트 {n}\n---\n"
        + PROSE
        + CODE
        + INDENTED
        + HEXO
        + "`np.zeros`와 `self.queue`를 씁니다. 시간복잡도는 $\\mathcal{O}(1)$입니다. "
        + "[문서](https://docs.python.org/library/deque.html)를 보세요.\n"
    )
    for n in (1, 2)
}
CODE_WORDS = {"np", "numpy", "as", "import", "def", "self", "return", "zeros", "queue", "item", "print", "deque"}
CODE_WORDS |= {"collections", "while", "mathcal", "docs", "python", "library", "html", "https", "org", "codeblock"}


def test_related_posts_give_as_reasons_the_words_of_their_prose_not_of_their_code(reader_cmd, tmp_path):
    root = write_blog(tmp_path / "site", {**BLOG, **CODED, **OTHERS})
    result = run(reader_cmd, "related", "_posts/2023-01-01-queue-1.md", "--json", root=root)
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["title"] == "큐 구현 노트 2"  # the code still counts in finding it
    assert first["words"] and all(word in f"큐 구현 노트 {PROSE}" for word in first["words"]), first["why"]
    assert not set(first["words"]) & CODE_WORDS, first["why"]
    text = run(reader_cmd, "related", "_posts/2023-01-01-queue-1.md", root=root).stdout
    row = next(line for line in text.splitlines() if "큐 구현 노트 2" in line)
    assert "shared words:" in row and not any(f" {word}," in row or f" {word} " in row for word in CODE_WORDS)


# Two posts alike in their code alone: their prose shares no word worth naming, no tag, no category.
_LOOP = "for batch in loader:\n    if batch:\n        print(batch)\n    if not batch:\n        continue\n"
CODE_ALIKE = {
    "_posts/2023-05-01-gpu-setup.md": (
        "---\ntitle: 그래픽카드 설정\n---\n드라이버를 깔고 재부팅했습니다.\n\n"
        f"```python\nimport torch\n{_LOOP}print(torch.cuda.is_available())\n```\n"
    ),
    "_posts/2023-06-01-training-log.md": (
        "---\ntitle: 학습 기록\n---\n어제 밤새 돌렸더니 손실이 줄었습니다.\n\n"
        f"```python\nimport torch\nmodel = torch.nn.Linear(4, 2)\n{_LOOP}print(torch.cuda.is_available())\n```\n"
    ),
}


def test_posts_alike_in_their_code_alone_are_said_to_share_that_code(reader_cmd, tmp_path):
    root = write_blog(tmp_path / "site", {**BLOG, **OTHERS, **CODE_ALIKE})
    result = run(reader_cmd, "related", "_posts/2023-05-01-gpu-setup.md", "--json", root=root)
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["title"] == "학습 기록"
    assert (first["tags"], first["words"], first["category"]) == ([], [], None)  # nothing else to say why
    assert "torch" in first["code"], first
    assert not set(first["code"]) & {"for", "in", "if", "not", "print", "continue"}, first  # keywords: no topic
    assert first["why"].startswith("shared code: "), first["why"]
    text = run(reader_cmd, "related", "_posts/2023-05-01-gpu-setup.md", root=root).stdout
    row = next(line for line in text.splitlines() if "학습 기록" in line)
    assert "shared code:" in row and "torch" in row, text


async def test_the_l_panel_says_which_code_two_posts_share_when_nothing_else_says_why(tmp_path):
    root = write_blog(tmp_path / "site", {**BLOG, **OTHERS, **CODE_ALIKE})
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(150, 45)) as pilot:
        await ready(pilot)
        screen = app.main
        await until(pilot, lambda: screen.index_ready, "the index built")
        screen.open_post("_posts/2023-05-01-gpu-setup.md")
        await shown(pilot, "_posts/2023-05-01-gpu-setup.md")
        await pilot.press("L")
        panel = screen.query_one(ConnectionsPanel)

        def lines() -> list[str]:
            return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]

        await until(pilot, lambda: any("학습 기록" in line for line in lines()), "the related post listed")
        row = next(line for line in lines() if "학습 기록" in line)
        assert "shared code: " in row and "torch" in row, row


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("문단입니다.\n\n    code = 1\n", "문단입니다."),  # an indented block after a blank line
        ("문단이\n    이어집니다.\n", "문단이 이어집니다."),  # a paragraph's continuation line
        ("- 항목\n\n    항목의 문단\n", "- 항목 항목의 문단"),  # a list item's paragraph
        ("# 제목\n    code\n", "# 제목"),
        ("~~~\ncode\n~~~\n{% highlight python %}\ncode\n{% endhighlight %}\n본문\n", "본문"),
        ('`np.zeros`로 [문서](https://a.example/b "제목")를 <b>봅니다</b> {{ site.url }}\n', "로 [문서를 봅니다"),
        ("$\\alpha$와 $\\overrightarrow{x}$ 값 $5 and $10\n", "와 값 $5 and $10"),  # math is no prose, money is
    ],
)
def test_the_prose_of_a_post_leaves_its_code_out(body, said):
    assert " ".join(prose(body).split()) == said


@pytest.mark.timeout(60)
def test_hostile_lines_cost_the_prose_time_in_proportion_to_their_length():
    for body in ("[a](" * 250_000, "[" * 500_000 + "](" * 250_000, "{%" * 300_000, "{{ " * 300_000, "`a" * 300_000):
        prose(body)


async def test_l_shows_what_links_here_and_enter_opens_the_linking_line(tmp_path):
    root = write_blog(tmp_path / "site", {**BLOG, **SERIES, **OTHERS})
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(150, 45)) as pilot:
        await ready(pilot)
        screen = app.main
        await until(pilot, lambda: screen.index_ready, "the index built")
        screen.open_post(WELCOME)
        await shown(pilot, WELCOME)
        await pilot.press("L")
        panel = screen.query_one(ConnectionsPanel)
        await until(pilot, lambda: len(panel.targets) >= 2, "the connections listed")
        lines = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert lines[0] == "Links here (2)"
        assert any("키 안내" in line and "환영 글로 돌아가기." in line for line in lines)
        assert "Related posts" in lines
        assert screen.focused is panel
        keys_row = next(i for i, line in enumerate(lines) if "키 안내" in line)
        panel.highlighted = keys_row
        await pilot.press("enter")
        await shown(pilot, KEYS)
        # Back returns to the welcome post, and the panel follows the post open.
        await until(pilot, lambda: panel.path == KEYS, "the panel follows the open post")
        await pilot.press("left_square_bracket")
        await shown(pilot, WELCOME)
        await pilot.press("L")
        await until(pilot, lambda: panel.has_class("hidden"), "L closes the panel")


def test_the_context_goes_on_past_a_hard_wrapped_line_and_leaves_the_markup_out():
    body = (
        "앞 문단.\n\n이 글도 [환영 글](a.md)과\n[**키 안내**](b.md)를 가리키고 있습니다. 다음 문장.\n\n"
        "- 목록의 [항목](c.md)\n- 다음 항목\n\n| 키 | [연결](d.md) 안내 |\n"
    )
    contexts = {raw.url: context_of(source, raw.text) for raw, source in candidate_links(body)}
    assert contexts == {
        "a.md": "이 글도 환영 글과 키 안내를 가리키고 있습니다.",
        "b.md": "이 글도 환영 글과 키 안내를 가리키고 있습니다.",
        "c.md": "목록의 항목",
        "d.md": "키 연결 안내",
    }


async def test_one_panel_under_the_post_at_a_time(tmp_path):
    from reader.ui.link_panel import LinkPanel
    from reader.ui.outline import Outline

    root = write_blog(tmp_path / "site", BLOG)
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.main
        screen.open_post(LINKS)
        await shown(pilot, LINKS)
        links, connections, outline = (screen.query_one(w) for w in (LinkPanel, ConnectionsPanel, Outline))
        await pilot.press("l")
        await until(pilot, lambda: links.display and screen.focused is links, "the link panel")
        await pilot.press("L")
        await until(pilot, lambda: connections.display and not links.display, "connections instead")
        await pilot.press("t")
        await until(pilot, lambda: outline.display and not connections.display, "the outline instead")
        assert screen.query_one("#post-body").size.height >= 8  # the post keeps its rows


@pytest.mark.timeout(60)
def test_hostile_lines_cost_time_in_proportion_to_their_length():
    """A post is data a stranger wrote: a 1 MB line of `[a](` took minutes in one regex call
    (which holds the GIL, so the worker froze the app too); every pattern is bounded now."""
    for body in ("[a](" * 250_000, "[" * 500_000 + "](" * 250_000, "<a " * 300_000, "<http://x" * 100_000):
        candidate_links(body)
    found = candidate_links(("[a](b.md) 문장. " * 700 + "\n") * 13)
    assert 0 < len(found) <= 6_000  # a link dump is looked at up to a bound
    assert context_of(found[0][1], "a") == "a 문장."


def test_a_permalink_changed_in_another_post_is_followed(tmp_path):
    files = {
        "_posts/2020-01-01-a.md": "---\ntitle: A\n---\n[B 글](/old/)을 보세요.\n",
        "_posts/2020-01-02-b.md": "---\ntitle: B\npermalink: /old/\n---\n본문\n",
    }
    library = library_for(tmp_path, files)
    assert [b.path for b in library.backlinks("_posts/2020-01-02-b.md")] == ["_posts/2020-01-01-a.md"]
    (library.root / "_posts/2020-01-02-b.md").write_text("---\ntitle: B\npermalink: /new/\n---\n본문\n")
    library.load()
    assert library.backlinks("_posts/2020-01-02-b.md") == []  # A's link leads nowhere now

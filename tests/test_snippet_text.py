"""Search snippets, backlinks' sentences and related posts' reasons read as the post pane shows
the post: math as Unicode, no Markdown or site syntax, whole words.

Each case was found by trying the reader on two real blogs (a math-heavy Jekyll one, a Hexo
one); the posts here are our own, written to hold the same shapes.
"""

from __future__ import annotations

import json
import re

import pytest

from reader.search.highlight import Matcher, snippet
from reader.search.query import Word

FORMULA_A = "$$W\\sim Uniform(a,b)\\\\ Var(W)=\\frac { 1 }{ { n }_{ in } }$$"
FORMULA_B = "$$W\\sim Uniform(a,b)\\\\ Var(W)=\\frac { 2 }{ { n }_{ in } }$$"
FORMULA_C = "$$\\theta \\leftarrow \\theta -\\eta \\frac { \\partial L }{ \\partial \\theta } $$"
LEAD = "### 둘째 초기화\n\n" + FORMULA_B + "\n\n## 학습 방법 (1)\n\n"
SENTENCE = "경사 하강법은 파라메터를 조금씩 고치는 방법입니다. 여기에서 $θ$는 학습 대상, $η$는 학습률을 뜻합니다."


def formula_post(gap: int) -> str:
    """Formulas on lines of their own, then a paragraph whose word `하강법` stands `gap`
    characters after the last `$` of the first formula."""
    filler = ("이 절은 널리 쓰이는 방법을 다룹니다. " * 10)[: gap - len(LEAD) - 7] + " "
    return f"앞 문단입니다.\n\n### 첫째 초기화\n\n{FORMULA_A}\n\n{LEAD}{filler}{SENTENCE}\n\n{FORMULA_C}\n\n끝.\n"


def search(cli, site, tmp_path, query: str) -> dict[str, dict]:
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    result = cli("search", query, "--json", env=env)
    assert result.returncode == 0, result.stderr
    return {hit["path"]: hit for hit in json.loads(result.stdout)["hits"]}


def test_a_snippet_opening_between_the_two_dollars_of_a_formula_keeps_the_prose_as_written(cli, tmp_path, write_tree):
    """The snippet's window opened 160 characters before the match, which fell between the two
    `$` closing a display formula: the formulas paired wrong from there, and the paragraph after
    the next one was read as LaTeX, spaces dropped and its heading's `##` left
    (`…##학습방법(1)…경사하강법은파라메터를…`)."""
    body = formula_post(160)
    split = body.index(FORMULA_A) + len(FORMULA_A) - 1
    assert body.index("하강법") == split + 160 and body[split - 1 : split + 1] == "$$"  # as the case needs
    site = write_tree({"nn.md": f"---\ntitle: 학습 기술들\n---\n{body}"})
    shown = search(cli, site, tmp_path, "하강법")["nn.md"]["snippet"]
    assert "경사 하강법은 파라메터를 조금씩 고치는 방법입니다. 여기에서 θ는 학습 대상" in shown, shown
    assert "#" not in shown and "$" not in shown and "\\" not in shown, shown


@pytest.mark.parametrize("gap", range(150, 171))
def test_wherever_the_window_opens_among_formulas_the_prose_keeps_its_spaces(gap):
    cut = snippet(formula_post(gap), Matcher.for_words([Word("하강법")]))
    assert "경사 하강법은 파라메터를 조금씩 고치는 방법입니다." in cut.text, cut.text
    assert "#" not in cut.text and "$" not in cut.text, cut.text
    assert [cut.text[a:b] for a, b in cut.highlights] == ["하강법"]


# Each post opens with the word searched, and is short: its snippet is the whole of its text.
SYNTAX = {
    "toc.md": (
        "형태소 글의 목차는 다음과 같습니다.\n\n* 목차\n{:toc}\n\n## 분석 개요\n\n분석이란 문장을 쪼개는 작업입니다.\n"
    ),
    "emphasis.md": (
        "형태소 분석의 일종인 *Assembly-Line Scheduling*과\n비터비 알고리즘은 따로 다룹니다. 모델이 상태를"
        " *inference*하는 과정입니다.\n\n![그림](/a.png){: .center}\n\n*그림1: 최근 논문의 비율(%)*\n{: .caption}\n"
    ),
    "code.md": "형태소 반복 예제입니다.\n\n```python\nfor i in range(3):  # 반복\n    x = a*b*c\n# 끝\n```\n",
    "hexo.md": (
        "---\ntitle: 형태소 Python\n---\n빈 사전과 빈 리스트는 거짓입니다.\n\n{% codeblock lang:python %}\n"
        'for i in [0, 0.0, ""]:\n    print(bool(i))\n{% endcodeblock %}\n\n빈 튜플도 거짓입니다.\n\n'
        "```python\nprint(bool(()))\n```\n"
    ),
}


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        # kramdown's table of contents gone, a heading set apart from the sentence after it
        ("toc.md", "형태소", "형태소 글의 목차는 다음과 같습니다. 분석 개요 · 분석이란 문장을 쪼개는 작업입니다."),
        # emphasis without its asterisks, no `{: …}` attribute lists, a caption's text
        (
            "emphasis.md",
            "형태소",
            "형태소 분석의 일종인 Assembly-Line Scheduling과 비터비 알고리즘은 따로 다룹니다. "
            "모델이 상태를 inference하는 과정입니다. 그림 그림1: 최근 논문의 비율(%)",
        ),
        # code as written (`a*b*c` is no emphasis, `# 끝` no heading), without its fence line
        ("code.md", "형태소", "형태소 반복 예제입니다. for i in range(3): # 반복 x = a*b*c # 끝"),
        # a word only in a code tag's language (`lang:python`, ```` ```python ````): not shown, not marked
        (
            "hexo.md",
            "python",
            '빈 사전과 빈 리스트는 거짓입니다. for i in [0, 0.0, ""]: print(bool(i)) '
            "빈 튜플도 거짓입니다. print(bool(()))",
        ),
    ],
)
def test_snippets_show_no_markdown_or_site_syntax(cli, tmp_path, write_tree, path, query, expected):
    site = write_tree(SYNTAX)
    hit = search(cli, site, tmp_path, query)[path]
    assert hit["snippet"] == expected


SHORTEST = "_posts/2017-11-25-shortest.md"
LINKING = {
    SHORTEST: "---\ntitle: 최단 경로 문제\n---\n최단 경로 문제를 다룹니다.\n",
    "_posts/2017-11-26-dijkstra.md": (
        "---\ntitle: 다익스트라 알고리즘\n---\n"
        "그런데 ($s$와 $y$ 사이의 최단거리)+($y$와 $t$ 사이의 거리)이므로 "
        "[최단 경로](2017-11-25-shortest.md)를 고칩니다.\n"
    ),
}


def test_a_backlinks_sentence_reads_its_math_as_the_post_pane_does(cli, tmp_path, write_tree):
    site = write_tree(LINKING)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    result = cli("links", SHORTEST, "--backlinks", "--json", env=env)
    assert result.returncode == 0, result.stderr
    [backlink] = json.loads(result.stdout)
    assert backlink["context"] == "그런데 (s와 y 사이의 최단거리)+(y와 t 사이의 거리)이므로 최단 경로를 고칩니다."


def path_post(n: int, extra: str) -> str:
    return (
        f"---\ntitle: 벨만 경로 문제 {n}\n---\n"
        "최단경로 문제를 다룹니다. 최단경로는 두 노드를 잇는 가장 짧은 경로입니다. "
        f"최단경로를 찾을 때 벨만 정리를 씁니다. 갱신식은 $x_{{new}} = x_{{old}} - \\eta g$입니다.\n\n"
        f"$$L_{{new}} = L_{{old}} + \\lambda$$\n\n{extra}\n"
    )


PATHS = {
    "_posts/2017-11-25-path-1.md": path_post(1, "첫째 글입니다."),
    "_posts/2017-11-27-path-2.md": path_post(2, "둘째 글입니다."),
    **{
        f"_posts/2022-01-0{n}-other-{n}.md": f"---\ntitle: 다른 글 {n}\n---\n오늘은 산책을 했습니다 {n}.\n"
        for n in range(1, 6)
    },
}


def test_related_posts_name_whole_words_and_none_from_math(cli, tmp_path, write_tree):
    """The reasons were `최단경, 최단` (최단경로's `로` taken for a particle) and `old` (from
    `x_{old}`): now words as the posts write them, a particle off only where what remains is a
    word the post holds too, and no word of a formula."""
    site = write_tree(PATHS)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    result = cli("related", "_posts/2017-11-25-path-1.md", "--json", env=env)
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["path"] == "_posts/2017-11-27-path-2.md"
    assert "최단경로" in first["words"], first["why"]
    prose = re.sub(r"\$\$.*?\$\$|\$.*?\$", " ", PATHS["_posts/2017-11-25-path-1.md"], flags=re.S)
    assert set(first["words"]) <= set(re.findall(r"\w+", prose)), first["why"]  # words as written
    assert not {"최단경", "old", "new", "eta", "lambda"} & set(first["words"]), first["why"]

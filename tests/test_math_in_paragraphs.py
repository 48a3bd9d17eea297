"""Math among a paragraph's lines, as kramdown (Jekyll) reads it and MathJax sets it, through
`reader show`: `$$…$$` is a display only on block boundaries, else inline math in the paragraph;
and inline math of more than one row (an aligned environment) is set as its rows, which MathJax
stacks even inside a line of text, not run together on one line."""

from __future__ import annotations

POST = "_posts/2026-04-01-math.md"
TEXT = r"""
거리는 다음과 같이 정의합니다.
$$
\begin{align*}
d(x, y) &= \sqrt{ (x_1-y_1)^2 } \\
&= |x_1-y_1|
\end{align*}
$$

한 줄짜리 식 $$ a+b $$ 은 문장 안에 있습니다.

$$
K(x, y) = \exp(x)
$$
바로 이어지는 문장은 식과 한 문단입니다.

$$
L = m + n
$$

빈 줄 사이의 식은 따로 섭니다.
"""


def shown(cli, write_tree, site: dict[str, str], path: str, width: int = 80) -> list[str]:
    result = cli("show", "--posts", str(write_tree(site)), "--width", str(width), "--no-pager", path)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")


def test_rows_of_inline_math_are_set_under_one_another_after_the_paragraphs_text(cli, write_tree):
    lines = shown(cli, write_tree, {POST: f"---\ntitle: 문단 속 수식\ndate: 2026-04-01\n---\n{TEXT}"}, POST)
    text = next(i for i, line in enumerate(lines) if line.startswith("거리는"))
    assert lines[text] == "거리는 다음과 같이 정의합니다.", lines  # the formula is not run on after it
    first = next(i for i, line in enumerate(lines) if "d(x,y) =" in line)
    second = next(i for i, line in enumerate(lines) if line.strip().startswith("= |x₁-y₁|"))
    assert first > text and second == first + 1, lines
    assert lines[first].index("=") == lines[second].index("="), lines  # the rows lined up
    assert any(line.startswith("한 줄짜리 식 a+b 은 문장 안에 있습니다.") for line in lines), lines  # one row: inline


def test_display_math_followed_by_text_runs_into_it_on_a_jekyll_site(cli, write_tree):
    """kramdown takes `$$…$$` for a block only between block boundaries: right above a line of
    text it is inline math, the paragraph going on after it."""
    lines = shown(cli, write_tree, {POST: f"---\ntitle: 문단 속 수식\ndate: 2026-04-01\n---\n{TEXT}"}, POST)
    assert "K(x,y) = exp(x) 바로 이어지는 문장은 식과 한 문단입니다." in lines, lines
    assert "    L = m+n" in lines, lines  # between blank lines: a display, set apart and indented


def test_display_math_followed_by_text_stays_a_display_on_a_hexo_site(cli, write_tree):
    """Hexo's marked leaves `$$` to MathJax on the page, which sets it as a display wherever it is."""
    path = "source/_posts/math.md"
    site = {"_config.yml": "title: 블로그\n", path: f"---\ntitle: 문단 속 수식\ndate: 2026-04-01\n---\n{TEXT}"}
    lines = shown(cli, write_tree, site, path)
    assert "    K(x,y) = exp(x)" in lines, lines

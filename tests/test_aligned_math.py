"""An aligned equation (`\\begin{align*} a &= b \\\\ &= c`) reads as the site sets it: each row's `=`
under the first row's, not the continued rows' `=` at the block's left edge."""

from __future__ import annotations

from reader.ui.post_view import PostBody
from tests.app_fixtures import app_for, open_row
from tests.sites import write_blog
from tests.test_app_paging import in_view
from tests.waiting import ready, until

POST = "_posts/2026-03-01-aligned.md"
EQUATIONS = r"""
전개하면 다음과 같습니다.

$$
\begin{align*}
f(x) &= (x+1)^2 \\
&= x^2+2x+1 \\
g(x, y) &\leq x^2+y^2
\end{align*}
$$

문단 안에서는 한 줄로 $$\begin{align*} p &= q \\ &= r \end{align*}$$ 이어집니다.

긴 줄이 이어지는 식입니다.

$$
\begin{align*}
L(\theta) &= \sum_{i=1}^{n} \log p(x_i|\theta) \\
&= \log p(x_1|\theta)+\log p(x_2|\theta)+\log p(x_3|\theta)+\log p(x_4|\theta)+\log p(x_5|\theta)
\end{align*}
$$
"""
SITE = {POST: f"---\ntitle: 정렬된 식\ndate: 2026-03-01\n---\n{EQUATIONS}"}


def relation_columns(lines: list[str], starts: tuple[str, ...]) -> list[int]:
    """The column of the first `=` or `≤` of each line that begins (after spaces) with one of `starts`."""
    picked = [line for line in lines if line.strip().startswith(starts)]
    assert len(picked) == len(starts), lines
    return [min(line.index(r) for r in "=≤" if r in line) for line in picked]


def test_reader_show_sets_the_rows_of_an_aligned_equation_under_one_another(cli, write_tree):
    result = cli("show", "--posts", str(write_tree(SITE)), "--width", "100", "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    columns = relation_columns(lines, ("f(x) =", "= x²+2x+1", "g(x,y) ≤"))
    assert len(set(columns)) == 1, result.stdout
    assert relation_columns(lines, ("L(θ) =",)) == relation_columns(lines, ("= log p(x₁|θ)",)), result.stdout
    assert "한 줄로 p = q = r 이어집니다" in result.stdout  # inline, the rows run on with one space


def test_a_continued_row_too_long_for_the_pane_wraps_right_of_its_relation(cli, write_tree):
    result = cli("show", "--posts", str(write_tree(SITE)), "--width", "54", "--no-pager", POST)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("= log p(x₁|θ)"))
    column = lines[at].index("=")
    assert column == relation_columns(lines, ("L(θ) =",))[0]
    rest = lines[at + 1 : lines.index("", at)]
    assert rest and all(len(line) <= 54 and line[: column + 1].isspace() for line in rest), result.stdout
    assert "log p(x₅|θ)" in "".join(rest)


async def test_the_post_pane_sets_the_rows_of_an_aligned_equation_under_one_another(tmp_path):
    app = app_for(write_blog(tmp_path / "site", SITE), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await open_row(pilot, POST)
        body = app.main.query_one(PostBody)
        await until(pilot, lambda: any("g(x,y)" in line for line in in_view(body)), "the equation in sight")
        lines = [body.render_line(y).text for y in range(body.scrollable_content_region.height)]
        assert len(set(relation_columns(lines, ("f(x) =", "= x²+2x+1", "g(x,y) ≤")))) == 1, lines


QUAD = {
    "_posts/2026-03-02-quad.md": (
        "---\ntitle: 이어지는 합\ndate: 2026-03-02\n---\n합을 풀어 씁니다.\n\n"
        "$$\n\\begin{align*}\ns &= 2a \\\\\n&\\quad + 3b \\\\\n&= c\n\\end{align*}\n$$\n"
    )
}


def test_a_continued_term_after_a_quad_stands_a_quad_right_of_the_relation(cli, write_tree):
    """`&\\quad + 3b`: LaTeX sets the term a quad right of the alignment point, under the first
    row's right side; its quad was dropped, so `+ 3b` stood under the `=` as if it were one."""
    result = cli("show", "--posts", str(write_tree(QUAD)), "--width", "80", "--no-pager", "_posts/2026-03-02-quad.md")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    [relation] = relation_columns(lines, ("s =",))
    plus = next(line for line in lines if line.strip().startswith("+3b"))
    assert plus.index("+") == relation + 2, result.stdout  # the quad: two cells
    assert relation_columns(lines, ("= c",)) == [relation]


UNSPLIT = {
    "_posts/2026-03-03-unsplit.md": (
        "---\ntitle: 나뉘지 않은 줄\ndate: 2026-03-03\n---\n풀어 씁니다.\n\n"
        "$$\n\\begin{align*}\nw^T x + b &= 1 \\\\\n-1 + w &= 1 \\\\\n\\lambda = 2\n\\end{align*}\n$$\n\n"
        "$$\n\\begin{align*}\nv &= \\max{ \\left[ a+b, \\\\ c+d \\right] }\n\\end{align*}\n$$\n"
    )
}


def test_a_row_without_an_ampersand_is_set_right_where_the_relations_above_begin(cli, write_tree):
    """MathJax sets an aligned row with no `&` in the first column, to the right: `λ = 2` ends
    where the `=` of the rows above begins; it stood at the block's left edge. A `\\\\` inside a
    group is no row break there: the bracket stays on one line."""
    post = "_posts/2026-03-03-unsplit.md"
    result = cli("show", "--posts", str(write_tree(UNSPLIT)), "--width", "80", "--no-pager", post)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    columns = relation_columns(lines, ("wᵀx+b =", "-1+w ="))
    assert len(set(columns)) == 1, result.stdout
    [lam] = [line for line in lines if line.strip().startswith("λ = 2")]
    assert len(lam.rstrip()) == columns[0] - 1, result.stdout  # its end one space left of the `=`
    assert any(line.strip() == "v = max [a+b, c+d]" for line in lines), result.stdout

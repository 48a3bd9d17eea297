"""LaTeX math as Unicode where faithful, the source where not."""

from __future__ import annotations

import pytest

from reader.posts.latex import to_text


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"\alpha + \beta \leq \infty", "α+β ≤ ∞"),
        (r"O(E\lg{E})", "O(E lg E)"),  # as \log shows: the last macros the two corpora left as source
        # A fraction against another term is bracketed (bare, the grouping read wrong), as is an
        # operator name's group of more than one term.
        (r"\log { \frac{p(x)}{1-p(x)} } > 0", "log(p(x)/(1-p(x))) > 0"),
        (r"P(Y=c)=\frac{1}{Z}e^{x}", "P(Y = c) = (1/Z)eˣ"),
        (
            r"\frac{\partial L}{\partial x}=\frac{\partial y}{\partial x}\frac{\partial L}{\partial y}",
            "∂L/∂x = (∂y/∂x)(∂L/∂y)",
        ),
        (r"O(n\log{n}) + \frac{1}{2}\log{x}", "O(n log n)+(1/2) log x"),
        (r"2\frac{a}{b} - \frac{c}{d} + \left( \frac{e}{f} \right)^2 + \frac{g}{h}^2", "2(a/b)-c/d+(e/f)²+(g/h)²"),
        (r"x \equiv 1 \mod 3", "x ≡ 1 mod 3"),
        (r"\triangle ({ C }_{ l })", "△(Cₗ)"),
        (r"\det B = \det A", "det B = det A"),  # LaTeX's operator names
        (r"\gcd(a, b) \leq \dim V", "gcd(a,b) ≤ dim V"),
        (r"{ w }_{ t-1 }", "wₜ₋₁"),
        (r"x_i^2", "xᵢ²"),
        (r"{ s }_{ ij }^{ ratio }", "sᵢⱼʳᵃᵗⁱᵒ"),
        (r"\frac { N(Pos,w) }{ N(Pos) }", "N(Pos,w)/N(Pos)"),
        (r"\frac{a+b}{c}", "(a+b)/c"),
        # A product of brackets is more than one term: bare, `/` cut it in two (the second
        # bracket multiplied the fraction). One bracket, or a function's, stays as it is.
        (r"\frac{(a+b)(c+d)}{(e+f)(g+h)}", "((a+b)(c+d))/((e+f)(g+h))"),
        (r"\frac{(a+b)}{c} + \frac{a}{b}", "(a+b)/c+a/b"),
        (r"\frac{\Gamma(\alpha+\beta)}{\Gamma(\alpha)\Gamma(\beta)}", "Γ(α+β)/(Γ(α)Γ(β))"),
        (r"\frac{6}{4(4^2-1)}", "6/(4(4²-1))"),  # a number before a bracket: a product too
        (r"\frac{(x+1)y}{2}", "((x+1)y)/2"),
        (r"\sqrt{(a+b)(c+d)}", "√((a+b)(c+d))"),
        # scripts, written with their mark or not, and a function's bracket do not count
        (r"\frac{1}{(2\pi)^{p/2}} + \frac{(a+b)^2}{c}", "1/(2π)^(p/2)+(a+b)²/c"),
        (r"\frac{p_{data}(x)}{q_0(x)}", "p_(data)(x)/q₀(x)"),
        (r"\frac{\sqrt{a+b}}{2}", "√(a+b)/2"),
        (r"\frac12", "1/2"),
        (r"\sqrt{x+1} + \sqrt[3]{y}", "√(x+1)+³√y"),
        (r"\sum_{i=1}^{n} x_i", "∑ᵢ₌₁ⁿxᵢ"),
        (r"\hat { \beta }", "β̂"),
        (r"\tilde { { w }_{ k } }", "w̃ₖ"),
        (r"\overrightarrow { u }", "u⃗"),
        (r"\mathbf{W}x", "𝐖x"),
        (r"\mathbb{R}^n", "ℝⁿ"),
        (r"P\left( T|W \right)", "P(T|W)"),
        (r"\log X + \max _{ T } y", "log X+max_T y"),  # a script no Unicode letter has, spaced: not `max_Ty`
        (r"\log \sum _{ z }{ p(x|z) }", "log ∑_z p(x|z)"),
        (r"\min _{ G }{ \max _{ D }{ V(D,G) } }", "min_G max_D V(D,G)"),
        (r"{ u }_{ w }^{ T }{ v }_{ c }", "u_wᵀv_c"),  # a script after a script stays on its term
        (r"\overline{x_{i,normal}}", "x̅_(i,normal)"),  # the bar on the letter, not on `)`
        (r"\text{if } x > 0", "if x > 0"),
        (r"\begin{bmatrix} 3 \\ 1 \end{bmatrix}", "[3; 1]"),
        (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "(1 2; 3 4)"),
        ("\\begin{align*} a &= b \\\\ &= c \\end{align*}", "a = b\n  = c"),  # `=` under `=`
        # A row without `&` is all first column: set to the right, ending where the `=` above begins.
        ("\\begin{align*} ab &= c \\\\ x = 1 \\end{align*}", "   ab = c\nx = 1"),
        ("\\begin{align*} a = b \\\\ c = dd \\end{align*}", " a = b\nc = dd"),  # no `&` at all: right-set
        ("\\begin{align*} \\\\ \\end{align*}", None),  # no row at all
        # A row break inside a group is dropped (MathJax): the group is one line.
        ("\\begin{align*} v &= \\max{ [a, \\\\ b] } \\end{align*}", "v = max [a, b]"),
        (r"x \quad y", "x y"),
        (r"\{ a \}", "{a}"),
        (r"e^{-x}", "e⁻ˣ"),
        (r"a_{\mathrm{max}}", "aₘₐₓ"),
        (r"A^T", "Aᵀ"),
        (r"y_{Q}", "y_Q"),  # no subscript Q in Unicode: shown plainly, not dropped
        (r"\exp(u_o^T v_c)", "exp(uₒᵀv_c)"),
    ],
)
def test_formulas_read_as_unicode(latex, text):
    assert to_text(latex) == text


@pytest.mark.parametrize("latex", [r"\unknownmacro{x}", r"\frac{a", r"\begin{align} x", "x" * 30_000])
def test_what_cannot_be_shown_faithfully_falls_back_to_the_source(latex):
    assert to_text(latex) is None


def test_nesting_does_not_blow_up():
    assert to_text("{" * 500 + "x" + "}" * 500) is None  # refused, not a RecursionError


def test_reader_show_brackets_a_product_over_a_product(cli, write_tree):
    """`reader show` read `\\frac{(a+b)(c+d)}{(e+f)(g+h)}` as `(a+b)(c+d)/(e+f)(g+h)`: another
    formula, the `/` dividing by (e+f) alone."""
    site = write_tree({"frac.md": "---\ntitle: 분수\n---\n곱의 비: $$\\frac{(a+b)(c+d)}{(e+f)(g+h)}$$ 끝.\n"})
    shown = cli("show", "frac.md", "--no-pager", "--width", "80", env={"GEULBAT_POSTS": str(site)})
    assert shown.returncode == 0, shown.stderr
    assert "곱의 비: ((a+b)(c+d))/((e+f)(g+h)) 끝." in shown.stdout, shown.stdout

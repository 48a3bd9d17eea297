"""Display equations wrapped where an equation breaks well (reader.ui.math_block): never a
closing bracket, a sub- or superscript or an accent starting a line, and nothing lost."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.padding import Padding

from reader.posts.text import cell_width
from reader.ui.math_block import CLOSERS, HANG, MathBlock, wrap_math


@pytest.mark.parametrize(
    ("line", "width", "expected"),
    [
        ("a+b = c", 40, ("a+b = c",)),  # fits: as it is
        # at the top level, after the `/`, rather than folding inside the last bracket
        (
            "F(w) = (2×R(w)×P(w))/(R(w)+P(w)+Q(w)+S(w))",
            30,
            ("F(w) = (2×R(w)×P(w))/", HANG + "(R(w)+P(w)+Q(w)+S(w))"),
        ),
        # before an operator outside brackets, the tail kept with what precedes it
        ("h(x) = (a+b)/(c+d)+(x+(y+(z)))", 24, ("h(x) = (a+b)/(c+d)", HANG + "+(x+(y+(z)))")),
        # between two factors rather than a line of a lone `=`
        ("= (e(a)/∑e(b))((∑e(c)-e(a))/∑e(b))", 24, ("= (e(a)/∑e(b))", HANG + "((∑e(c)-e(a))/∑e(b))")),
        # a vector's arrow (a combining mark) and a subscript stay on their letter's line
        ("x⃗₁+x⃗₂+x⃗₃+x⃗₄+x⃗₅+x⃗₆+x⃗₇", 7, ("x⃗₁+x⃗₂", "+x⃗₃+x⃗₄", "+x⃗₅+x⃗₆", "+x⃗₇")),
    ],
)
def test_a_line_breaks_where_an_equation_breaks_well(line, width, expected):
    assert wrap_math(line, width) == expected


CLINGING = "²ᵢᵀ\u20d7"  # a superscript, a subscript, a combining arrow
MATH = st.text(alphabet="abxyz0129 =+-/,()[]{}⟨⟩∑√가" + CLINGING, max_size=120)


@given(MATH, st.integers(min_value=2, max_value=80))
def test_every_line_fits_nothing_is_lost_and_no_line_starts_with_a_closing_bracket(line, width):
    lines = wrap_math(line, width)
    assert all(cell_width(part) <= width for part in lines)
    assert "".join(lines).replace(" ", "") == line.replace(" ", "")
    for before, part in itertools.pairwise(lines):
        if part.strip()[0] in CLOSERS + CLINGING:
            # Only where there was nowhere else to break: no place inside the line before
            # could end a line (`a)))))…`, `[0 ⟩`, wider than the pane).
            shown = before.strip()
            assert all(c in CLOSERS + CLINGING + " " or p in "([{⟨" for p, c in itertools.pairwise(shown)), lines


def test_the_block_wraps_at_the_width_it_is_given_under_its_indent():
    console = Console(width=30, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(Padding(MathBlock("y = (a+b)/(c+d)+(e+f)/(g+h)+(x+(y))\nz = 1"), (0, 0, 0, 4)))
    assert captured.get().splitlines() == [
        "    y = (a+b)/(c+d)+(e+f)/" + " " * 4,
        "      (g+h)+(x+(y))" + " " * 11,
        "    z = 1" + " " * 21,
    ]


@pytest.mark.parametrize("width", range(30, 60, 3))
def test_reader_show_never_ends_a_line_of_an_equation_with_an_operators_name(cli, write_tree, width):
    # `exp` at a line's end and `(…)` under it read as two things; the site keeps them together.
    equation = r"Q(w) = \log p(a|w) + \log p(b|w) + \exp (c+w) + \max \{a, b\} + \ln \frac{b}{c}"
    post = f"---\ntitle: 연산자\ndate: 2026-05-01\n---\n식입니다.\n\n$$\n{equation}\n$$\n"
    root = write_tree({"_posts/2026-05-01-op.md": post})
    result = cli("show", "--posts", str(root), "--width", str(width), "--no-pager", "_posts/2026-05-01-op.md")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.split("\n") if line.startswith("    ")]
    assert not [line for line in lines if line.rstrip().endswith(("log", "exp", "max", "ln"))], result.stdout
    assert "".join(lines).replace(" ", "") == "Q(w)=logp(a|w)+logp(b|w)+exp(c+w)+max{a,b}+lnb/c", result.stdout

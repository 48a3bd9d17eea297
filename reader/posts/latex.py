"""LaTeX math as readable Unicode text, where that is faithful; otherwise None (show the source).

`\\frac{ N(Pos,w) }{ N(Pos) }` reads as `N(Pos,w)/N(Pos)`, `{ w }_{ t-1 }` as `wₜ₋₁`,
`\\alpha` as `α`. The symbols come from pylatexenc's table (841 macros); the
structure (fractions, roots, sub- and superscripts, accents, delimiters,
aligned and matrix environments) is read here. A macro we do not know makes
the whole formula fall back to its source: better verbatim than wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from reader.posts.text import cell_width

MAX_LATEX = 20_000  # a formula longer than this is shown as its source

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|[{}_^&\[\]]|\s+|[^\\{}_^&\[\]\s]")
_SUB = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ", strict=True))
_SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWβγδθφχ′*",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵝᵞᵟᶿᵠᵡ′*",
        strict=True,
    )
)
_ACCENTS = {
    "hat": "\u0302",
    "widehat": "\u0302",
    "bar": "\u0304",
    "overline": "\u0305",
    "tilde": "\u0303",
    "widetilde": "\u0303",
    "vec": "\u20d7",
    "overrightarrow": "\u20d7",
    "dot": "\u0307",
    "ddot": "\u0308",
}
_TEXT_MACROS = {
    "text",
    "textrm",
    "mathrm",
    "textit",
    "mathit",
    "textbf",
    "operatorname",
    "mbox",
    "textsf",
    "mathsf",
    "texttt",
    "mathtt",
    "textnormal",
}
_DROPPED = {
    "displaystyle",
    "textstyle",
    "limits",
    "nolimits",
    "nonumber",
    "notag",
    "left",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "bigl",
    "bigr",
    "Bigl",
    "Bigr",
    "biggl",
    "biggr",
    "middle",
    "label",
    "qquad",
}
_SPACES = {",": " ", ";": " ", ":": " ", "!": "", " ": " ", "quad": "  ", "qquad": "    "}
_EXTRA = {
    "ne": "≠",
    "arg": "arg",
    "argmax": "argmax",
    "argmin": "argmin",
    "lVert": "‖",
    "rVert": "‖",
    "|": "‖",
    "lvert": "|",
    "rvert": "|",
    "{": "{",
    "}": "}",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "&": "&",
    "backslash": "\\",
    "prime": "′",
    "top": "⊤",
    "intercal": "⊺",
    "mid": "|",
    "cdotp": "·",
    "dagger": "†",
    "to": "→",
    "gets": "←",
    "iff": "⟺",
    "implies": "⟹",
    "land": "∧",
    "lor": "∨",
    "lnot": "¬",
    "varnothing": "∅",
    "emptyset": "∅",
    "therefore": "∴",
    "because": "∵",
    "Pr": "Pr",
    "tr": "tr",
    "E": "E",
    "var": "var",
    "cov": "cov",
    "sgn": "sgn",
    "softmax": "softmax",
    "lg": "lg",
    "mod": " mod ",
    "triangle": "△",
    # LaTeX's other operator names (amsmath's \DeclareMathOperator set), read as their names
    **{name: name for name in ("det", "dim", "ker", "deg", "gcd", "hom", "sec", "csc", "cot", "exp")},
    "limsup": "lim sup",
    "liminf": "lim inf",
}
_RELATIONS = set("=<>≤≥≠≈≡∝∼≃≅→←⇒⇐⟹⟺↦∈∉⊂⊆⊃⊇")
_MATRICES = {
    "matrix": ("", ""),
    "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"),
    "Bmatrix": ("{", "}"),
    "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
    "smallmatrix": ("", ""),
    "array": ("", ""),
}
_SCRIPT_CHARS = set(_SUB.values()) | set(_SUP.values())
# An `&` as read: a column's edge in an aligned environment (whitespace to str.split, so a matrix's
# cells and a flattened formula drop it), and the cells of an aligned row's padding until the end.
_CELL = "\x1f"
_PAD = "\x01"
_ALIGNED = {"align", "aligned", "split", "eqnarray", "alignat", "alignedat", "flalign"}
_BOLD = {c: chr(0x1D400 + i) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")}
_BOLD.update({c: chr(0x1D7CE + i) for i, c in enumerate("0123456789")})
_DOUBLE = dict(zip("CHNPQRZ", "ℂℍℕℙℚℝℤ", strict=True))
_SCRIPT = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵", strict=True))


class _Unknown(Exception):
    """Something we cannot show faithfully: the formula is shown as its source."""


@lru_cache(maxsize=1)
def _symbols() -> dict[str, str]:
    """Macro name -> Unicode, from pylatexenc's table (loaded on first use: 40 ms)."""
    from pylatexenc.latex2text import get_default_latex_context_db

    db = get_default_latex_context_db()
    table: dict[str, str] = {}
    for category in db.categories():
        for name, spec in db.d[category]["macros"].items():
            if isinstance(spec.simplify_repl, str) and "%" not in spec.simplify_repl:
                table[name] = spec.simplify_repl
    table.update(_EXTRA)
    return table


def to_text(latex: str) -> str | None:
    """The formula as Unicode text (lines for aligned environments), or None."""
    if len(latex) > MAX_LATEX:
        return None
    try:
        parser = _Parser(latex.replace(_CELL, "").replace(_PAD, ""))
        text = parser.expression(stop=None)
    except (_Unknown, IndexError, RecursionError):
        return None
    lines = [" ".join(line.split()).replace(_PAD, " ").rstrip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip()) or None


# Math in Markdown as the post pane finds it (reader.posts.markdown: kramdown's `$$`, MathJax's
# `$`, never next to a digit: `$5 and $10` is money).
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$\d])\$(?!\$)([^$\n]+?)(?<![\\$])\$(?![\d$])")
_MATH = re.compile(DISPLAY_MATH.pattern + "|" + INLINE_MATH.pattern, re.S)
_KEPT = re.compile("\x00([0-9]+)\x00")


def read_math(markdown: str, around: Callable[[str], str] = str) -> str:
    """`markdown` with each formula read as text (a display one set apart by spaces; one that
    cannot be read stays as written) and `around` applied to the rest: the formulas are out of
    its reach (`$a < b$ 와 $c > d$` is no HTML tag, `x_{old}` no emphasis)."""
    formulas: list[str] = []

    def keep(match: re.Match[str]) -> str:
        source = match.group(1) if match.group(1) is not None else match.group(2)
        text = to_text(source)
        if text is None:
            formulas.append(match.group(0))
        else:
            text = " ".join(text.split())
            formulas.append(f" {text} " if match.group(1) is not None else text)
        return f"\x00{len(formulas) - 1}\x00"

    if "$" not in markdown:
        return around(markdown)
    text = around(_MATH.sub(keep, markdown.replace("\x00", "")))
    return _KEPT.sub(lambda m: formulas[int(m.group(1))], text) if formulas else text


def _wrap(text: str) -> str:
    """Parenthesise a numerator, a denominator or a root's argument of more than one term:
    `(a+b)/c`, but `N(Pos,w)/N(Pos)` (an operator inside brackets does not count). A product of
    brackets is more than one term too (see _one_term): `((a+b)(c+d))/((e+f)(g+h))`, where bare
    it read as ((a+b)(c+d)/(e+f))·(g+h)."""
    plain = text.strip()
    depth = 0
    for index, char in enumerate(plain):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif depth == 0 and index > 0 and char in "+-=/<>, ≤≥≠≈×·":
            return f"({plain})"
    return plain if _one_term(plain) else f"({plain})"


def _one_term(plain: str) -> bool:
    """Whether an expression with no operator outside brackets reads as one term beside a `/`:
    no brackets (`ab`, `2π`, `∂L`), one (`(a+b)`, `(a+b)²`), or a function's (`N(Pos)`,
    `p_(data)(x)`, `log(x)`, `√(x)`). Not brackets side by side (`(a+b)(c+d)`, `P(a)P(b)`), a
    number before one (`2(n-1)`) or a term after one (`(a+b)c`): each is a product, which the
    `/` would cut in two. Scripts do not count, written with their mark (`^(p/2)`) or not."""
    shape: list[str] = []  # outside brackets: "(" for each bracket, the other characters as they are
    depth = 0
    for index, char in enumerate(plain):
        marked = index > 0 and plain[index - 1] in "_^"  # a script's first character, or its bracket
        if depth == 0 and not marked and char not in _SCRIPT_CHARS and char not in "_^′":
            shape.append("(" if char in "([{" else char)
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
    outside = "".join(shape)
    if outside.count("(") != 1:
        return not outside.count("(")
    before, _, after = outside.partition("(")
    return not after and not (before and before[-1] in "0123456789")


class _Fraction(str):
    """A fraction as read (`a/b`): bracketed where it stands against another term (see _glued)."""


class _Operator(str):
    """An operator's name as read (`log`, `det`): spaced from a term before it (`n log n`)."""


class _Gap(str):
    """The space put before an operator's name: not what stands beside a fraction."""


class _Written(str):
    """A sub- or superscript no Unicode script letter has, written with its mark (`_z`, `_(i,j)`):
    spaced from a letter or digit after it (`∑_z p`, not `∑_zp`)."""


_LOOSE = set(" +-=/<>,;:≤≥≠≈×·±∓→←⇒⇔∈∉⊂⊆|") | {_CELL}  # what may stand beside a bare `a/b`


def _glued(out: list[str]) -> list[str]:
    """The fractions of an expression's terms bracketed where they touch another term:
    `\\frac{1}{Z}e^x` is (1/Z)eˣ, `\\frac{∂y}{∂x}\\frac{∂L}{∂y}` is (∂y/∂x)(∂L/∂y); read
    bare they meant 1/(Ze^x) and ∂y/(∂x∂L)/∂y. Not beside an operator, a space or a bracket."""
    terms = [term for term in out if term]
    for index, term in enumerate(terms):
        if not isinstance(term, _Fraction):
            continue
        before = terms[index - 1][-1] if index > 0 else " "
        following = [t for t in terms[index + 1 :] if not isinstance(t, _Gap)]
        after = following[0][0] if following else " "
        if (before not in _LOOSE and before not in "([{\n") or (after not in _LOOSE and after not in ")]}\n"):
            terms[index] = f"({term})"
    return terms


def _script(text: str, table: dict[str, str], mark: str) -> str:
    plain = text.strip().replace(" ", "")
    if not plain:
        return ""
    if all(c in table for c in plain):
        return "".join(table[c] for c in plain)
    return _Written(f"{mark}{plain}" if len(plain) == 1 else f"{mark}({plain})")


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = [t for t in _TOKEN.findall(source) if t]
        self.pos = 0
        self.depth = 0
        self.stops: list[str | None] = []  # what each expression being read ends at, innermost last

    def peek(self) -> str | None:
        while self.pos < len(self.tokens) and self.tokens[self.pos].isspace():
            self.pos += 1
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise _Unknown("unexpected end")
        self.pos += 1
        return token

    def expression(self, stop: str | None) -> str:
        """Until `stop` (`}`, `]`, an `\\end`), or the end."""
        self.depth += 1
        if self.depth > 100:
            raise _Unknown("nested too deeply")
        self.stops.append(stop)
        out: list[str] = []
        while (token := self.peek()) is not None and token != stop and not (stop == "\\end" and token == "\\end"):
            if token in ("_", "^") and out:
                out[-1] = type(out[-1])(out[-1].rstrip())  # `\max _T`: the script sits on the operator
            atom = self.atom()
            if isinstance(atom, _Operator) and out and out[-1] and (out[-1][-1].isalnum() or out[-1][-1] in ")]′"):
                out.append(_Gap(" "))  # `n\\log{n}` is n log n, not nlog n
            elif (
                out
                and isinstance(out[-1], _Written)
                and not isinstance(atom, _Fraction)
                and atom.lstrip()[:1].isalnum()
                and atom.lstrip()[:1] not in _SCRIPT_CHARS  # a script after it: `u_wᵀ`, not `u_w ᵀ`
            ):
                out.append(_Gap(" "))  # `\sum_{z} p` is ∑_z p, not ∑_zp
            out.append(atom)
        self.depth -= 1
        self.stops.pop()
        if len(out) == 1:
            return out[0]  # a lone fraction stays one: `{\\frac{a}{b}}c`
        return "".join(_glued(out)) if any(isinstance(term, _Fraction) for term in out) else "".join(out)

    def argument(self) -> str:
        """A group, or the next single token (`x_i`, `\\frac12`)."""
        token = self.peek()
        if token == "{":
            self.take()
            text = self.expression("}")
            self.take()
            return text
        return self.atom()

    def raw_argument(self) -> str:
        """A group's source text, as written (for \\text{...} and environment names)."""
        if self.take() != "{":
            raise _Unknown("expected {")
        depth, parts = 1, list[str]()
        while True:
            token = self.tokens[self.pos]
            self.pos += 1
            depth += {"{": 1, "}": -1}.get(token, 0)
            if depth == 0:
                return "".join(parts)
            parts.append(token)

    def atom(self) -> str:
        token = self.take()
        if token == "{":
            text = self.expression("}")
            self.take()
            return text
        if token in ("_", "^"):
            table, mark = (_SUB, "_") if token == "_" else (_SUP, "^")
            braced = self.peek() == "{"
            script = _script(self.argument(), table, mark)
            # Only a braced one is spaced from what follows: a bare `_d` is as written (`train_data`).
            return script if braced else str(script)
        if token == "&":
            return _CELL
        if token == "'":
            return "′"
        if token in _RELATIONS:
            return f" {token} "
        if not token.startswith("\\"):
            return token
        return self.command(token[1:])

    def command(self, name: str) -> str:
        if name == "\\":
            # Inside a group (`\max{[a, \\ b]}`) MathJax drops a row break: the group is one line.
            return " " if self.stops and self.stops[-1] == "}" else "\n"
        if name in _SPACES:
            return _SPACES[name]
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            top, bottom = self.argument(), self.argument()
            return _Fraction(f"{_wrap(top)}/{_wrap(bottom)}")
        if name == "sqrt":
            index = ""
            if self.peek() == "[":
                self.take()
                index = self.expression("]")
                self.take()
            body = _wrap(self.argument())
            return f"{_script(index, _SUP, '') if index else ''}√{body}"
        if name in _ACCENTS:
            body = self.argument().strip()
            if not body:
                return ""
            # On the letter, not on its subscript: `\tilde{w_k}` is w̃ₖ, `\overline{x_{i,j}}` x̅_(i,j).
            end = len(body)
            while end > 1 and (body[end - 1] in _SCRIPT_CHARS):
                end -= 1
            written = re.search(r"[_^]", body[1:])
            if written is not None:
                end = min(end, written.start() + 1)
            return body[:end] + _ACCENTS[name] + body[end:]
        if name in _TEXT_MACROS:
            return self.raw_argument()
        if name in ("mathbf", "boldsymbol", "bm", "mathbb", "mathcal", "mathscr", "mathfrak"):
            body = self.argument()
            table = _BOLD if name in ("mathbf", "boldsymbol", "bm") else _DOUBLE if name == "mathbb" else _SCRIPT
            return "".join(table.get(c, c) for c in body)
        if name in ("label", "tag"):
            text = self.raw_argument()
            return f"  ({text})" if name == "tag" else ""
        if name in ("left", "right", "bigl", "bigr", "Bigl", "Bigr", "big", "Big", "bigg", "Bigg", "middle"):
            delimiter = self.take()
            if delimiter == ".":
                return ""
            return self.command(delimiter[1:]) if delimiter.startswith("\\") else delimiter
        if name in _DROPPED:
            return ""
        if name == "begin":
            return self.environment(self.raw_argument())
        if name in ("overset", "stackrel", "underset"):
            over, base = self.argument(), self.argument()
            return f"{base.strip()}{_script(over, _SUP, '^') if name != 'underset' else _script(over, _SUB, '_')}"
        symbol = _symbols().get(name)
        if symbol is None:
            raise _Unknown(name)
        if symbol in _RELATIONS:
            return f" {symbol} "
        if len(symbol) > 1 and symbol.isalpha() and self.peek() == "{":
            # `\log{\frac{p}{1-p}}` is log(p/(1-p)): bare, it read as (log p)/(1-p).
            inner = _wrap(self.argument())
            return _Operator(symbol + inner if inner.startswith("(") else f"{symbol} {inner}")
        if len(symbol) > 1 and symbol.isalpha() and self.peek() not in ("(", "[", "_", "^", None):
            return _Operator(f"{symbol} ")  # `\log X` is log X, `\exp(x)` is exp(x)
        return _Operator(symbol) if len(symbol) > 1 and symbol.isalpha() else symbol

    def environment(self, name: str) -> str:
        if name in ("array", "tabular"):
            self.raw_argument()  # the column spec
        body = self.expression("\\end")
        self.take()  # \end
        self.raw_argument()
        rows = [row for row in body.split("\n") if row.strip()]
        base = name.rstrip("*")
        if base in _MATRICES:
            left, right = _MATRICES[base]
            cells = ["  ".join(row.split()) for row in rows]
            return f"{left}{'; '.join(cells)}{right}"
        if base == "cases":
            return "{ " + "; ".join(" ".join(row.split()) for row in rows) + " }"
        if base in _ALIGNED:
            rows = _aligned(rows)
        return "\n" + "\n".join(rows) + "\n"  # align, equation, gather, split, multline, eqnarray


def _aligned(rows: list[str]) -> list[str]:
    """An aligned environment's rows, their `&` columns lined up as the site sets them: a pair's
    first column to the right, its second to the left, so `a &= b \\\\ &= c` reads `a = b` over
    `  = c`. A row without an `&` is all first column: set to the right with the others' first
    cells (`\\lambda = 2/w` ends where the `=` above begins), as wide as they are or wider."""
    cells = [[_cell(cell, index) for index, cell in enumerate(row.split(_CELL))] for row in rows]
    columns = max((len(row) for row in cells), default=0)
    widths = [max(cell_width(row[i]) for row in cells if i < len(row)) for i in range(columns)]
    lined = []
    for row in cells:
        parts = []
        for index, cell in enumerate(row):
            pad = _PAD * (widths[index] - cell_width(cell))
            parts.append(pad + cell if index % 2 == 0 else cell if index == len(row) - 1 else cell + pad)
        lined.append(" ".join(parts))
    return lined


def _cell(cell: str, index: int) -> str:
    """A cell's words one space apart; a left-set cell that opens with a `\\quad` keeps it (a
    continued row, `&\\quad + b`, stands a quad right of the relation above it, as set)."""
    words = " ".join(cell.split())
    lead = len(cell) - len(cell.lstrip(" "))
    return _PAD * lead + words if index % 2 == 1 and lead >= len(_SPACES["quad"]) else words

"""Markdown as the one line of plain text a search snippet shows, read as the post pane shows
the post: math as Unicode, code as written, no Markdown or site syntax.

A regex pass over a window of the raw post (a snippet is cut from a window of some 800
characters of a post of any size), not a Markdown parse: what is code is followed from the
lines that open and close it, formulas are read by reader.posts.latex.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reader.posts.fences import FENCE, Fences
from reader.posts.latex import INLINE_MATH, read_math

# A heading's text, then ` · ` between it and what follows: it ran into the next sentence
# (`그럼 시작하겠습니다. 형태소 분석 개요 형태소 분석이란`).
HEADING_END = " · "
_MD_RULES: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^\s{0,3}(```|~~~).*$", re.M), ""),
    # kramdown's table of contents: the list item it replaces, then the `{:toc}` line.
    (re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])[ \t]+[^\n]*\n\s*\{:\s*toc\s*\}", re.M), " "),
    (re.compile(r"\{:[^}\n]{0,300}\}"), " "),  # kramdown's attribute lists: `{:toc}`, `{: .note}`
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"<[^>\n]{1,200}>"), " "),
    (re.compile(r"\{%.*?%\}"), " "),
    (re.compile(r"^\s{0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M), r"\1" + HEADING_END),
    # A setext heading's underline, a thematic break: the end of a heading or a section.
    (re.compile(r"^ {0,3}(?:=+|-+|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})[ \t]*$", re.M), HEADING_END),
    (re.compile(r"^\s{0,3}(>+|[-*+]|\d+[.)])\s+", re.M), ""),
    (re.compile(r"^\s{0,3}(?:>[ \t]?)+", re.M), ""),  # a quote's marker with no space: `>(1)`
    (re.compile(r"[*_~`](?:(?<=\*)\*|(?<=_)_|(?<=~)~|(?<=`)`*)"), ""),  # `**`, `__`, `~~`, code's backticks
    # Emphasis: `*inference*하는`, `*그림1: …*`; `_x_` not inside a word (`snake_case_name`).
    (re.compile(r"\*(?=[^\s*])([^*\n]*?[^\s*\\])\*|\*([^\s*])\*"), r"\1\2"),
    (re.compile(r"_(?<![\w\\]_)(?:(?=[^\s_])([^_\n]*?[^\s_\\])|([^\s_]))_(?!\w)"), r"\1\2"),
    (re.compile(r"^\s*\|?[-:| ]+\|[-:| ]*$", re.M), " "),
    (re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M), lambda row: re.sub(r"(?<!\\)\|", " ", row.group(0))),
]  # then one line (_tidy)


LIQUID_TAG = re.compile(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}")  # {% name arguments %}
# Tags of code (Jekyll's `{% highlight python %}`, Hexo's `{% codeblock lang:python %}`): their
# arguments are no text of the post.
_CODE_TAGS = frozenset(["highlight", "codeblock", "code", "endhighlight", "endcodeblock", "endcode"])

# A link, for its text and its address both (a word only in the address).
LINK_ADDRESS = re.compile(r"!?\[([^\]\n]{0,300})\]\(<?([^()\s<>]{0,2048})>?(?:\s[^()\n]{0,300})?\)")


def tag_arguments(match: re.Match[str]) -> str:
    """A tag's arguments as text (a quote's source); a code tag as it is, for plain text to
    leave out with its line (its arguments are a language and options)."""
    return match.group(0) if match.group(1) in _CODE_TAGS else f" {match.group(2)} "


def whole_pieces(body: str, start: int, end: int) -> tuple[int, int]:
    """`start` and `end` moved off any display formula they fall in (kept whole or left out),
    `start` past an HTML tag it opens in and `end` before one it closes in: a window opening
    inside one showed its tail, `\\end{align*} $$` or `title="source" />`, as text, and one
    ending inside one its head (`<img src="https://…" title="source`)."""
    tag = body.rfind("<", max(0, start - 200), start)
    if tag >= 0 and re.match(r"</?[A-Za-z][^<>\n]*\Z", body[tag:start]):
        close = body.find(">", start, end)
        start = close + 1 if close >= 0 and "\n" not in body[start:close] else start
    tag = body.rfind("<", max(start, end - 200), end)
    if tag >= 0 and end < len(body) and re.match(r"</?[A-Za-z][^<>\n]*\Z", body[tag:end]):
        end = tag
    # An edge between the two `$` of a `$$`: its first was counted on one side and not the other,
    # so the formulas paired wrong from there (a window opening there read the prose after the
    # next formula as LaTeX, spaces gone: `…##학습파라메터최적화(1)…`).
    if start > 0 and body.startswith("$$", start - 1):
        start -= 1
    if end < len(body) and body.startswith("$$", end - 1):
        end += 1
    if body.count("$$", 0, start) % 2:
        close = body.find("$$", start, end)
        start = close + 2 if close >= 0 else start
    if body.count("$$", start, end) % 2:
        end = body.rfind("$$", start, end)
    # Likewise an edge inside a `$…$`: its closing `$` read as an opening one paired with the
    # next formula's (`…분포간차이를재는함수의일종인데요.**데이터의분포와G$가…`). Kept whole.
    return _off_inline_math(body, start, True), _off_inline_math(body, end, False)


def _off_inline_math(body: str, at: int, start: bool, reach: int = 2000) -> int:
    """`at` moved to the start (of a window's start) or the end (of its end) of a `$…$` it
    falls in; a formula is one line (looked at `reach` characters either way)."""
    if "$" not in body[max(0, at - reach) : at]:
        return at
    line = body.rfind("\n", max(0, at - reach), at) + 1 or max(0, at - reach)
    line_end = body.find("\n", at, at + reach)
    for math in INLINE_MATH.finditer(body, line, line_end if line_end >= 0 else min(len(body), at + reach)):
        if math.start() < at < math.end():
            return math.start() if start else math.end()
        if math.start() >= at:
            break
    return at


_CODE_TAG = re.compile(r"^\s{0,3}\{%-?\s*(?:highlight|codeblock|code)\b")
_CODE_TAG_END = re.compile(r"\{%-?\s*end(?:highlight|codeblock|code)\s*-?%\}")
CODE_REACH = 20_000  # characters before a snippet looked at to know whether it opens in code
_MAY_BE_CODE = re.compile(r"```|~~~|\{%")
_CODE_EDGE = re.compile(FENCE.pattern + r"|^[ \t]{0,3}\{%-?\s*(?:end)?(?:highlight|codeblock|code)\b", re.M)
CODE_EDGE_LINE = re.compile(r"(?:" + _CODE_EDGE.pattern + r").*$", re.M)


class Code:
    """Which lines are code, followed line by line: a fence's, or a Liquid or Hexo code tag's
    (`{% highlight %}`, `{% codeblock %}`). Its text is shown as written: `a*b*c` is no emphasis
    and `# 주석` no heading."""

    def __init__(self) -> None:
        self.fences = Fences()
        self.tag = False  # inside `{% codeblock %}` … `{% endcodeblock %}` and the like

    def code(self, line: str) -> bool:
        """Whether `line` is code or a code block's edge; the state moves past it."""
        if self.tag:
            self.tag = not _CODE_TAG_END.search(line)
            return True
        if self.fences.code(line):
            return True
        if "{%" in line and _CODE_TAG.match(line):
            self.tag = not _CODE_TAG_END.search(line)
            return True
        return False

    @property
    def open(self) -> bool:
        """Whether the next line is in code."""
        return self.tag or self.fences.open is not None

    def copy(self) -> Code:
        twin = Code()
        twin.fences.open, twin.tag = self.fences.open, self.tag
        return twin

    @classmethod
    def at(cls, body: str, end: int) -> Code:
        """The state at `end` of `body`: only the lines that open or close code are read, over
        the last CODE_REACH characters (a post of 500,000 fence lines took 1.5 s read whole)."""
        state = cls()
        begin = max(0, end - CODE_REACH)  # (`^` finds no line start there unless one is)
        for match in _CODE_EDGE.finditer(body, begin, end):
            line_end = body.find("\n", match.start())
            state.code(body[match.start() : line_end if line_end >= 0 else len(body)])
        return state


def _prose(text: str) -> str:
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text


def plain(markdown: str, code: Code | None = None) -> str:
    """Markdown to one line of readable text, for snippets only: math as text, no Markdown
    or site syntax; code as written, without its fences. `code`: where the text opens (in a
    code block or not)."""
    code = code or Code()
    if not code.open and not _MAY_BE_CODE.search(markdown):
        return _tidy(read_math(markdown, _prose))
    # Each run of code set aside (a line holding its number instead), the prose read at once;
    # only the lines that may open or close code are looked at.
    markdown = markdown.replace("\x02", "")
    prose: list[str] = []
    runs: list[str] = []
    at = 0
    for edge in [*_CODE_EDGE.finditer(markdown), None]:
        start = edge.start() if edge else len(markdown)
        if code.open and markdown[at:start].strip():
            prose.append(f"\n\x02{len(runs)}\x02\n")
            runs.append(markdown[at:start])
        elif not code.open:
            prose.append(markdown[at:start])
        if edge is None:
            break
        at = markdown.find("\n", start)
        at = len(markdown) if at < 0 else at
        line = markdown[start:at]
        if not code.code(line):  # a fence's or a code tag's own line is no text
            prose.append(line)
    text = read_math("".join(prose), _prose)
    return _tidy(_CODE_RUN.sub(lambda m: f" {runs[int(m.group(1))]} ", text) if runs else text)


_CODE_RUN = re.compile("\x02([0-9]+)\x02")


def _tidy(text: str) -> str:
    """One line, a heading's ` · ` neither doubled nor at either end."""
    text = _DOUBLED_END.sub(HEADING_END.strip(), " ".join(text.split()))
    return text.removeprefix(HEADING_END.lstrip()).removesuffix(HEADING_END.rstrip())


_DOUBLED_END = re.compile(r"·(?: ·)+")

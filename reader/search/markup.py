"""A post's body as search reads it: an HTML tag's markup blanked out.

The post pane shows an HTML image or link by what it says (`alt`, `title`) and follows its
address (`href`, `src`); its tag and attribute names and other values (`img`, `src=`,
`width="300px"`, `class="…"`) are never shown. Indexed as written, they were words of every
post that embeds a figure as HTML (`reader search img` listed 155 of a Jekyll blog's 215
posts, `width` 150 where 3 say it). Here each tag outside code is replaced by spaces but for
the values of those four attributes, each in its place: the text keeps its length and its
lines, so offsets into it are offsets into the body (snippets, a hit's line). HTML in a
code fence, an indented line, a code span or a Liquid/Hexo code tag is code, read as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.search.query import Phrase, Word

# An opening or closing tag on one line: `<img src="…" />`, `</a>`. Not an autolink
# (`<https://…>`), an address (`<me@example.com>`) or a comparison (`a < b`, `$x<y$`).
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
# The attributes whose values the pane shows or follows, each value's place in its tag.
_SHOWN = re.compile(r"""(?<![\w-])(alt|title|href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
# A fence line after a line end (the body is read with one put before it): a literal first
# character, which the regex engine looks for fast, where `^` in MULTILINE is tried everywhere.
_FENCE_LINE = re.compile(r"\n {0,3}(`{3,}|~{3,})")
_CODE_TAG = re.compile(r"\{%-?\s*(highlight|codeblock|code)\b.*?\{%-?\s*end\1\s*-?%\}", re.S)


@lru_cache(maxsize=256)  # a search reads a candidate's body two or three times (check, tiers, snippet)
def searchable(body: str, addresses: bool = True) -> str:
    """`body` with the markup of its HTML tags outside code blanked (same length, same lines);
    without `addresses`, their `href` and `src` too (a snippet shows an image by its words)."""
    tags = list(_TAG.finditer(body)) if "<" in body else ()
    if not tags:
        return body
    code = _code_ranges(body)
    pieces: list[str] = []
    last = 0
    for tag in tags:
        start = tag.start()
        if _in_code(body, start, code):
            continue
        pieces.append(body[last:start])
        pieces.append(_blanked(tag.group(0), addresses))
        last = tag.end()
    if not pieces:
        return body
    pieces.append(body[last:])
    return "".join(pieces)


def _blanked(tag: str, addresses: bool) -> str:
    """`tag` as spaces but for the values it shows or leads to, each in its place (made of
    slices: a list of its characters took most of a blog's pass)."""
    pieces: list[str] = []
    last = 0
    for attribute in _SHOWN.finditer(tag):
        if not addresses and attribute.group(1).lower() in ("href", "src"):
            continue
        group = 2 if attribute.group(2) is not None else 3 if attribute.group(3) is not None else 4
        start, end = attribute.span(group)
        pieces += (" " * (start - last), tag[start:end])
        last = end
    pieces.append(" " * (len(tag) - last))
    return "".join(pieces)


def reads_markup(words: Iterable[Word | Phrase]) -> bool:
    """Whether blanking the tags can change what `words` match: a tag's markup is ASCII, so a
    query of Hangul words alone matches the body as written as it matches it blanked (the
    values kept, alt and title, are where a tag holds Hangul). A search then spares the pass
    over each candidate's body (~0.2 ms a post of a blog of figures, 600 candidates a search)."""
    return any(re.search(r"[A-Za-z0-9]", word.text) for word in words)


def _code_ranges(body: str) -> list[tuple[int, int]]:
    """Where fenced code (``` or ~~~, closed by a run of the same character at least as
    long, or open to the end) and Liquid/Hexo code tags are in `body`."""
    ranges: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for fence in _FENCE_LINE.finditer("\n" + body) if "```" in body or "~~~" in body else ():
        marker = fence.group(1)
        if opened is None:
            opened = (marker, fence.start())  # the line end before it, here: its line's start
        elif marker[0] == opened[0][0] and len(marker) >= len(opened[0]):
            end = body.find("\n", fence.end() - 1)
            ranges.append((opened[1], len(body) if end < 0 else end))
            opened = None
    if opened is not None:
        ranges.append((opened[1], len(body)))
    ranges.extend(tag.span() for tag in _CODE_TAG.finditer(body))
    return ranges


def _in_code(body: str, at: int, code: list[tuple[int, int]]) -> bool:
    """Whether offset `at` is code: in a fence or code tag, on an indented line (four
    spaces or a tab: an indented code block, or a list's paragraph; read as written either
    way), or after an odd number of backticks on its line (in a code span)."""
    if any(start <= at < end for start, end in code):
        return True
    line = body.rfind("\n", 0, at) + 1
    if body.startswith(("    ", "\t"), line):
        return True
    return body.count("`", line, at) % 2 == 1

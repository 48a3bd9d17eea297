"""The one markdown-it-py configuration every post is parsed with, and the site syntax it is taught."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import HTML_SEQUENCES, html_block
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.dollarmath.index import math_block_dollar
from mdit_py_plugins.footnote import footnote_plugin

from reader.posts.cjk import cjk_friendly_plugin, kramdown_emphasis_plugin
from reader.posts.site_syntax import preprocess, restore_url, site_syntax_plugin

_GITHUB_AUTOLINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)|@", re.IGNORECASE)
_MAY_AUTOLINK = re.compile(r"://|www\.|@", re.IGNORECASE)
_TAG_ONLY = HTML_SEQUENCES[-1]  # CommonMark's HTML block 7: a line holding only an open or closing tag

__all__ = ["FLAVORS", "parser", "preprocess", "restore_url"]


def _github_autolinks_only(state: StateCore) -> None:
    """Keep linkify's bare URLs only where GitHub would: a scheme or `www.`.

    linkify-it also links `foo.com`; GitHub does not, and neither do we.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        skip_until_close = False
        for index, token in enumerate(block.children):
            if token.type == "link_open" and token.markup == "linkify":
                following = block.children[index + 1 : index + 2]
                text = following[0].content if following else ""
                if not _GITHUB_AUTOLINK.search(text):
                    skip_until_close = True
                    continue
            if skip_until_close and token.type == "link_close":
                skip_until_close = False
                continue
            children.append(token)
        block.children = children


def _tag_line_before_math(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line holding only a tag (`<br>`) with a `$$` formula right under it: the HTML block
    ends before the `$$` line, which is then display math like any other.

    CommonMark makes such a line an HTML block running to the next blank line, so the formula
    would be shown as raw text; the sites typeset it all the same (Hexo's marked passes it on
    inside the HTML and MathJax reads the page; kramdown takes `<br>` for a span and the formula
    for math). Only this kind of block (CommonMark's 7th, which cannot interrupt a paragraph) is
    cut: a `<div>` or a `<table>` keeps its lines whole.
    """
    if silent or state.is_code_block(start):
        return False
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    if not line.startswith("<") or next((s for s in HTML_SEQUENCES if s[0].search(line)), None) is not _TAG_ONLY:
        return False
    for following in range(start + 1, end):
        if state.isEmpty(following) or state.sCount[following] < state.blkIndent:
            return False  # the block ends here anyway
        at = state.bMarks[following] + state.tShift[following]
        if state.sCount[following] - state.blkIndent < 4 and state.src.startswith("$$", at):
            return html_block(state, start, following, False)
    return False


def _kramdown_math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's math block: `$$…$$` that ends on a block boundary (a blank line, the end of its
    container). Followed right away by text, it is no block: kramdown reads the lines as a
    paragraph opening with inline math (`\\(…\\)` on the site), the text running on after it.
    (Starting on one is already the rule: this block, like kramdown's, cannot interrupt a
    paragraph, so `$$` right under a line of text is inline math in it.)"""
    before = len(state.tokens)
    if not _MATH_BLOCK(state, start, end, silent):
        return False
    following = state.line
    if following < end and not state.isEmpty(following) and state.sCount[following] >= state.blkIndent:
        del state.tokens[before:]
        state.line = start
        return False
    return True


# The block rule dollarmath_plugin adds, with its options (its label normaliser is the plugin's).
_MATH_BLOCK = math_block_dollar(True, lambda label: re.sub(r"\s+", "-", label), True)
FLAVORS = ("commonmark", "kramdown")


@lru_cache(maxsize=len(FLAVORS))
def parser(flavor: str = "commonmark") -> MarkdownIt:
    """A CommonMark + GFM-ish parser that keeps URLs exactly as written.

    `flavor` is the site's renderer where it differs: "kramdown" (Jekyll) parses
    emphasis as kramdown does; "commonmark" (Hexo's marked, Hugo's goldmark, plain
    folders) with the CJK-friendly amendment.
    """
    md = MarkdownIt("commonmark", {"linkify": True, "html": True, "typographer": False})
    md.enable(["linkify", "table", "strikethrough"])
    md.use(footnote_plugin)
    # `$$…$$` (kramdown's inline and display math) and `$…$` (MathJax's): never touched by
    # emphasis or escapes. No `$` math next to a digit: `$5 and $10` is money.
    md.use(dollarmath_plugin, allow_labels=True, allow_space=True, allow_digits=False, double_inline=True)
    md.use(kramdown_emphasis_plugin if flavor == "kramdown" else cjk_friendly_plugin)
    if flavor == "kramdown":
        md.block.ruler.at("math_block", _kramdown_math_block)
    md.use(site_syntax_plugin)
    md.block.ruler.before("html_block", "tag_line_before_math", _tag_line_before_math)
    linkify = md.linkify
    assert linkify is not None  # linkify-it-py is a dependency
    linkify.set({"fuzzy_link": True, "fuzzy_email": True, "fuzzy_ip": False})
    # linkify-it's own pretest passes any text with a dot in it, and then costs
    # 40% of a parse; we keep only GitHub's kind of autolink anyway (see below).
    pretest = linkify.pretest
    linkify.pretest = lambda text: _MAY_AUTOLINK.search(text) is not None and pretest(text)
    md.core.ruler.after("linkify", "github_autolinks", _github_autolinks_only)
    # Keep URLs as the author wrote them (no percent-encoding of Hangul) and
    # let every scheme through: what may be opened is decided by our own
    # link policy, not by the parser.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md

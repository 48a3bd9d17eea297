"""The one markdown-it-py configuration every post is parsed with, and the site syntax it is taught."""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

# Jekyll's `{% post_url 2018-05-15-slug %}` holds spaces, so a link around it
# would not parse; it becomes a URL of our own scheme and is restored later.
POST_URL_SCHEME = "reader-post-url:"
_POST_URL_TAG = re.compile(r"\{%-?\s*post_url\s+([^\s%]+)\s*-?%\}")
_GITHUB_AUTOLINK = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)|@", re.IGNORECASE)
_MAY_AUTOLINK = re.compile(r"://|www\.|@", re.IGNORECASE)


_HEXO_CODEBLOCK = re.compile(r"^([ \t]*)\{%-?\s*codeblock\b([^%]*)-?%\}[ \t]*$", re.M)
_HEXO_END = re.compile(r"^([ \t]*)\{%-?\s*endcodeblock\s*-?%\}[ \t]*$", re.M)
_LANG = re.compile(r"lang:(\S+)")


def preprocess(body: str) -> str:
    """Make Liquid and Hexo tags parseable, keeping every line where it was.

    `{% post_url x %}` becomes a URL of our own scheme; Hexo's
    `{% codeblock lang:x %}` … `{% endcodeblock %}` become a code fence.
    """
    body = _POST_URL_TAG.sub(lambda m: POST_URL_SCHEME + m.group(1), body)
    if "codeblock" in body:
        def fence(match: re.Match[str]) -> str:
            lang = _LANG.search(match.group(2))
            return match.group(1) + "```" + (lang.group(1) if lang else "")

        body = _HEXO_CODEBLOCK.sub(fence, body)
        body = _HEXO_END.sub(lambda m: m.group(1) + "```", body)
    return body


def restore_url(url: str) -> str:
    """The URL as the author wrote it (Liquid tag restored)."""
    if url.startswith(POST_URL_SCHEME):
        return "{% post_url " + url[len(POST_URL_SCHEME):] + " %}"
    return url


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


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """A CommonMark + GFM-ish parser that keeps URLs exactly as written."""
    md = MarkdownIt("commonmark", {"linkify": True, "html": True, "typographer": False})
    md.enable(["linkify", "table", "strikethrough"])
    md.use(footnote_plugin)
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

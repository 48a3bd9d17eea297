"""Jekyll (Liquid, kramdown), Hexo and Hugo syntax, turned into Markdown the parser understands.

Each line stays where it was (a link's line is a file line). Inside a code
fence nothing is touched but `{% raw %}`/`{% endraw %}`, which Liquid removes
everywhere. Links to posts and assets become URLs of our own schemes,
resolved by reader.posts.links; every other tag is left for the parser's
`site_tag` rule, which shows it as a dim note instead of raw syntax.
"""

from __future__ import annotations

import html
import re
import shlex

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

POST_URL = "reader-post-url:"  # Jekyll {% post_url name %}
SITE_LINK = "reader-link:"  # Jekyll {% link path %}
POST_LINK = "reader-post-link:"  # Hexo {% post_link slug title %}, {% post_path slug %}
# Hexo {% post_link slug %} with no title: the link shows the post's title (reader.posts.links
# finds it; the slug stays the text when there is no such post).
POST_TITLE = "reader-post-title:"
ASSET = "reader-asset:"  # Hexo {% asset_img file %}, {% asset_link file %}
HUGO_REF = "reader-ref:"  # Hugo {{< ref "path" >}}, {{< relref "path" >}}
SCHEMES = (POST_URL, SITE_LINK, POST_LINK, POST_TITLE, ASSET, HUGO_REF)

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_TAG = re.compile(r"\{%-?\s*(\w+)\s*(.*?)\s*-?%\}")
_LINE_TAG = re.compile(r"^\s*\{%-?\s*(\w+)\s*(.*?)\s*-?%\}\s*$")
_HUGO = re.compile(r"\{\{[<%]\s*(/?)(\w+)\s*(.*?)\s*[>%]\}\}")
_LINE_HUGO = re.compile(r"^\s*\{\{[<%]\s*(/?)(\w+)\s*(.*?)\s*[>%]\}\}\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+\S")
_TOC = re.compile(r"^\s*\{:\s*toc\s*\}\s*$")
_IAL_LINE = re.compile(r"^\s*\{:(?:[^}\n]*|:options[^}]*/)\}\s*$")
_SPAN_IAL = re.compile(r"\{:(?!\s*toc\s*\})[^}\n]*\}")
_QUOTES = {
    "blockquote": "endblockquote",
    "quote": "endquote",
    "pullquote": "endpullquote",
    "note": "endnote",
    "cq": "endcq",
}
_FENCES = {"highlight": "endhighlight", "codeblock": "endcodeblock", "code": "endcode"}
# Hexo writers put a short quote on one line, `{% blockquote by %} text {% endblockquote %}`, or
# close a long one at the end of its last line: the closing tag is found anywhere on a line.
_QUOTE_LINE = re.compile(r"^\s{0,3}\{%-?\s*(\w+)\s*(.*?)\s*-?%\}(.*?)\{%-?\s*end\1\s*-?%\}\s*$")
_QUOTE_OPEN = re.compile(r"^\s{0,3}\{%-?\s*(\w+)\s*(.*?)\s*-?%\}(.*)$")
_INLINE_TAGS = {"post_url", "link", "post_link", "post_path", "asset_img", "asset_link", "asset_path", "raw", "endraw"}


def _args(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _kwargs(text: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in _args(text) if "=" in part)


def _inline_tag(match: re.Match[str]) -> str:
    name, args = match.group(1), _args(match.group(2))
    first = args[0] if args else ""
    if name == "post_url":
        return POST_URL + first
    if name == "link":
        return SITE_LINK + first
    if name == "post_link":
        # `{% post_link slug [title] [escape] %}`: a last `true`/`false` is Hexo's escape flag.
        words = args[1:-1] if len(args) > 1 and args[-1] in ("true", "false") else args[1:]
        if not words:
            return f"[{_label(first)}]({POST_TITLE}{first})"
        return f"[{_label(' '.join(words))}]({POST_LINK}{first})"
    if name == "post_path":
        return POST_LINK + first
    if name in ("asset_img", "asset_link", "asset_path"):
        files = [a for a in args if "." in a]
        file = files[0] if files else first
        title = " ".join(args[args.index(file) + 1 :]) if file in args else ""
        title = re.sub(r"^\d+\s+(\d+\s+)?", "", title)  # width and height before the title
        if name == "asset_img":
            return f"![{_label(title)}]({ASSET}{file})"
        if name == "asset_link":
            return f"[{_label(title or file)}]({ASSET}{file})"
        return ASSET + file
    return match.group(0)  # the parser's site_tag rule shows it


def _label(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")


def _hugo_inline(match: re.Match[str]) -> str:
    closing, name, args = match.group(1), match.group(2), match.group(3)
    if closing:
        return match.group(0)
    if name in ("ref", "relref"):
        target = _args(args)[0] if _args(args) else ""
        return HUGO_REF + target
    if name == "figure":
        values = _kwargs(args)
        title = values.get("title") or values.get("caption") or values.get("alt") or ""
        return f"![{_label(title)}]({values.get('src', '')})"
    return match.group(0)


def preprocess(body: str) -> str:
    """The body with site syntax made Markdown, line for line."""
    if "{" not in body:
        return body
    out: list[str] = []
    fence: str | None = None  # the closing marker of the code fence we are in
    tag_fence: str | None = None  # the closing tag of a highlight/codeblock we turned into a fence
    quote: str | None = None  # the closing tag of a Hexo blockquote we are in
    quote_by = ""
    skipping: str | None = None  # the closing tag of a Liquid comment
    pending_footer = ""  # a quote closed at the end of a line: its source goes on the blank line after
    raw = False  # inside {% raw %}: Liquid leaves it alone, so do we
    for line in body.split("\n"):
        if pending_footer:
            footer, pending_footer = _footer(pending_footer), ""
            if not line.strip():
                out.append(footer)
                continue
        if fence is None and tag_fence is None and (raw or ("raw" in line and _RAW.search(_masked(line)))):
            line, raw = _raw_line(line, raw)
            out.append(line)
            continue
        if "raw" in line and (fence or tag_fence):
            line = _RAW.sub("", line)  # in a code block: Liquid takes the tags out all the same
        if skipping:
            if re.search(r"\{%-?\s*" + skipping + r"\s*-?%\}", line):
                skipping = None
            out.append("")
            continue
        whole, hugo = _LINE_TAG.match(line), _LINE_HUGO.match(line)
        if tag_fence:
            closes = (whole and whole.group(1) == tag_fence) or (
                hugo and hugo.group(1) and tag_fence == "hugo:" + hugo.group(2)
            )
            out.append("```" if closes else line)
            tag_fence = None if closes else tag_fence
            continue
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if opening:
            fence = opening.group(1)
            out.append(line)
            continue
        if whole and whole.group(1) in _FENCES:
            lang = re.search(r"lang:(\S+)", whole.group(2))
            words = [w for w in _args(whole.group(2)) if ":" not in w]
            first = words[0] if whole.group(1) == "highlight" and words else ""
            out.append("```" + (lang.group(1) if lang else first))
            tag_fence = _FENCES[whole.group(1)]
        elif hugo and hugo.group(2) == "highlight" and not hugo.group(1):
            words = _args(hugo.group(3))
            out.append("```" + (words[0] if words else ""))
            tag_fence = "hugo:highlight"
        elif whole and whole.group(1) == "comment":
            skipping = "endcomment"
            out.append("")
        elif quote is None and (one := _QUOTE_LINE.match(line)) and one.group(1) in _QUOTES:
            # Left as the tag for the parser's quote_line rule: one line, one quote, and the
            # next line a paragraph of its own (a `>` line would take it in lazily).
            name, by, text = one.groups()
            out.append(f"{{% {name} {by} %}}{_inline(text)}{{% end{name} %}}")
        elif quote is None and (opened := _QUOTE_OPEN.match(line)) and opened.group(1) in _QUOTES:
            quote = _QUOTES[opened.group(1)]
            quote_by = _quote_by(opened.group(1), opened.group(2))
            text = opened.group(3).strip()
            out.append("> " + _inline(text) if text else ">")  # the text after the tag: the quote's first
        elif quote:
            if whole and whole.group(1) == quote:
                # An HTML block, not a paragraph line: the line after the tag must not join the quote.
                out.append(_footer(quote_by))
                quote = None
            elif (end := re.search(r"\{%-?\s*" + quote + r"\s*-?%\}\s*$", line)) is not None:
                out.append("> " + _inline(line[: end.start()]))  # the last line, closed at its end
                quote = None
                if quote_by:
                    pending_footer = quote_by
            else:
                out.append("> " + _inline(line))
        elif _TOC.match(line):
            if out and _LIST_ITEM.match(out[-1]):
                out[-1] = ""  # kramdown's `* TOC` line: the list item the TOC replaces
            out.append("{:toc}")
        elif _IAL_LINE.match(line):
            out.append("")
        else:
            out.append(_inline(line))
    return "\n".join(out)


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _quote_by(name: str, args: str) -> str:
    """Who a Hexo blockquote cites (its tag's arguments; the other quote tags cite no one)."""
    return args.strip() if name == "blockquote" else ""


def _footer(by: str) -> str:
    """The line that closes a quote: its source, an HTML block (the line after it must not
    join the quote as a lazy continuation, as a paragraph line would)."""
    if not by:
        return ">"
    # As Hexo's blockquote tag writes it: `author[, source] [link] [link title]`.
    words = by.split()
    at = next((i for i, word in enumerate(words) if re.match(r"(?:https?|ftp)://", word)), len(words))
    author, _, source = " ".join(words[:at]).partition(",")
    cited = [f"<strong>{html.escape(author.strip())}</strong>"] if author.strip() else []
    if at < len(words):
        link, title = words[at], " ".join(words[at + 1 :]) or words[at]
        cited.append(f'<cite><a href="{html.escape(link)}">{html.escape(title)}</a></cite>')
    elif source.strip():
        cited.append(f"<cite>{html.escape(source.strip())}</cite>")
    return "> <footer>— " + ", ".join(cited) + "</footer>"


def _raw_line(line: str, raw: bool) -> tuple[str, bool]:
    """A line with `{% raw %}` regions: the tags go, the text between is kept literally (its `{`
    escaped, so no tag rule reads `{{ x }}` there); the rest is processed as usual."""
    out, last = [], 0
    for match in _RAW.finditer(_masked(line)):  # not a raw tag shown in inline code
        piece = line[last : match.start()]
        out.append(_literal(piece) if raw else _inline(piece))
        raw = "end" not in match.group(0)
        last = match.end()
    piece = line[last:]
    out.append(_literal(piece) if raw else _inline(piece))
    return "".join(out), raw


def _masked(line: str) -> str:
    """The line with its inline code spans blanked out (same length: offsets still fit)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line) if "`" in line else line


def _literal(text: str) -> str:
    return text.replace("{{", "\\{{").replace("{%", "\\{%")


def _inline(line: str) -> str:
    """The tags of one line outside its inline code spans (`{% raw %}` stays `{% raw %}` there)."""
    if "`" not in line:
        return _tags(line)
    out, last = [], 0
    for match in _CODE_SPAN.finditer(line):
        out.append(_tags(line[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_tags(line[last:]))
    return "".join(out)


def _tags(line: str) -> str:
    if "{%" in line:
        line = _TAG.sub(lambda m: _inline_tag(m) if m.group(1) in _INLINE_TAGS else m.group(0), line)
    if "{{" in line:
        line = _HUGO.sub(_hugo_inline, line)
    if "{:" in line:
        line = _SPAN_IAL.sub("", line)
    return line


def restore_url(url: str) -> str:
    """The link as the author wrote it (the site's tag), for showing and for JSON."""
    if url.startswith(POST_URL):
        name, hash_, fragment = url[len(POST_URL) :].partition("#")  # `{% post_url x %}#part`
        return "{% post_url " + name + " %}" + hash_ + fragment
    if url.startswith(SITE_LINK):
        path, hash_, fragment = url[len(SITE_LINK) :].partition("#")
        return "{% link " + path + " %}" + hash_ + fragment
    if url.startswith(POST_LINK):
        return "{% post_link " + url[len(POST_LINK) :] + " %}"
    if url.startswith(POST_TITLE):
        return "{% post_link " + url[len(POST_TITLE) :] + " %}"
    if url.startswith(ASSET):
        return "{% asset_img " + url[len(ASSET) :] + " %}"
    if url.startswith(HUGO_REF):
        return '{{< ref "' + url[len(HUGO_REF) :] + '" >}}'
    return url


# --- the parser's rules for what is left: a tag shown as a dim note ----------------------

_TAG_AT = re.compile(r"\{%-?\s*(.*?)\s*-?%\}|\{\{[<%]\s*(.*?)\s*[>%]\}\}|\{\{\s*(.*?)\s*\}\}")


def _site_tag(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    match = _TAG_AT.match(state.src, state.pos)
    if match is None or "\n" in match.group(0):
        return False
    if not silent:
        token = state.push("site_tag", "", 0)
        token.content = " ".join(next(g for g in match.groups() if g is not None).split()) or "…"
    state.pos = match.end()
    return True


def _site_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A line that is only a site tag, or kramdown's `{:toc}`, is a block of its own."""
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    if state.sCount[start] - state.blkIndent >= 4 or not line.startswith("{"):
        return False
    is_toc = _TOC.match(line) is not None
    match = _TAG_AT.fullmatch(line.strip())
    if not is_toc and match is None:
        return False
    if silent:
        return True
    token = state.push("toc" if is_toc else "site_block", "", 0)
    token.map = [start, start + 1]
    if match is not None and not is_toc:
        token.content = " ".join(next(g for g in match.groups() if g is not None).split()) or "…"
    state.line = start + 1
    return True


def _quote_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A Hexo quote written on one line (kept so by `preprocess`): a blockquote of its own,
    its source under it, the next line not part of it."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    line = state.src[begin : state.eMarks[start]]
    if not line.startswith("{%"):
        return False
    match = _QUOTE_LINE.match(line)
    if match is None or match.group(1) not in _QUOTES:
        return False
    if silent:
        return True
    name, by, text = match.groups()
    lines = [start, start + 1]
    state.push("blockquote_open", "blockquote", 1).map = lines
    state.push("paragraph_open", "p", 1).map = lines
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text.strip(), lines, []
    state.push("paragraph_close", "p", -1)
    if _quote_by(name, by):
        footer = state.push("html_block", "", 0)
        footer.content, footer.map = _footer(_quote_by(name, by))[2:] + "\n", lines
    state.push("blockquote_close", "blockquote", -1)
    state.line = start + 1
    return True


def site_syntax_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("text", "site_tag", _site_tag)
    md.block.ruler.before("paragraph", "site_block", _site_block, {"alt": ["paragraph"]})
    md.block.ruler.before("site_block", "quote_line", _quote_line, {"alt": ["paragraph"]})

"""Every link of a post, in document order, classified and resolved."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from markdown_it.token import Token

from reader.core.markdown import POST_URL_SCHEME, parser, preprocess, restore_url
from reader.core.slugs import SlugMap
from reader.core.text import nfc

KINDS = ("external", "email", "anchor", "post", "image", "other")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_CLOSING_A = re.compile(r"^</a\s*>$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s/:]+@[^@\s/]+\.[^@\s/]+$")


@dataclass(frozen=True)
class RawLink:
    """A link as the Markdown says it: before we know where it goes."""

    text: str
    url: str
    line: int  # 1-based line of the file
    image: bool = False


@dataclass(frozen=True)
class Link:
    """A link of a post, numbered from 1, with where it leads."""

    n: int
    text: str
    url: str
    kind: str
    target: str | None  # heading slug (anchor), post path (post), else None
    line: int
    broken: bool = False

    def to_json(self) -> dict:
        return {
            "n": self.n, "text": self.text, "url": self.url, "kind": self.kind,
            "target": self.target, "line": self.line, "broken": self.broken,
        }


@dataclass
class Outline:
    """What one parse of a body gives: its headings and its links."""

    headings: list[tuple[int, str, str, int]]  # (level, text, slug, file line)
    slugs: SlugMap
    links: list[RawLink]


class _HTMLLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, int, bool]] = []  # url, text, line offset, image
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        line = self.getpos()[0] - 1
        if tag == "a" and values.get("href"):
            self.found.append((values["href"] or "", "", line, False))
            self._open.append(len(self.found) - 1)
        elif tag == "img" and values.get("src"):
            self.found.append((values["src"] or "", values.get("alt") or "", line, True))

    def handle_data(self, data: str) -> None:
        if self._open:
            index = self._open[-1]
            url, text, line, image = self.found[index]
            self.found[index] = (url, text + data, line, image)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self._open.pop()


def _html_links(html: str, line: int) -> list[RawLink]:
    scanner = _HTMLLinks()
    scanner.feed(html)
    scanner.close()
    return [RawLink(" ".join(text.split()), url, line + offset, image)
            for url, text, offset, image in scanner.found]


def _inline_text(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children or []) or child.content)
    return "".join(parts)


def outline(body: str, body_line: int = 1) -> Outline:
    """Parse a body once: headings with their slugs, and every link in order."""
    tokens = parser().parse(preprocess(body))
    slugs = SlugMap()
    headings: list[tuple[int, str, str, int]] = []
    links: list[RawLink] = []
    for index, token in enumerate(tokens):
        start = body_line + (token.map[0] if token.map else 0)
        if token.type == "heading_open" and index + 1 < len(tokens):
            text = _inline_text(tokens[index + 1].children or [])
            headings.append((int(token.tag[1:]), text, slugs.add(text), start))
        elif token.type == "html_block":
            links.extend(_html_links(token.content, start))
        elif token.type == "inline":
            links.extend(_inline_links(token.children or [], start))
    return Outline(headings, slugs, links)


def _inline_links(children: list[Token], line: int) -> list[RawLink]:
    found: list[RawLink] = []
    open_link: tuple[str, int, int] | None = None  # url, line, index of first child
    html_anchor: int | None = None  # index in `found` of an open raw `<a href>`
    for index, child in enumerate(children):
        if child.type == "link_open":
            open_link = (str(child.attrs.get("href", "")), line, index + 1)
        elif child.type == "link_close" and open_link is not None:
            href, at, first = open_link
            text = _inline_text(children[first:index])
            if children[first - 1].markup in ("linkify", "autolink"):
                href = text  # as written: `www.x.org`, `me@x.org`, not the normalised href
            found.append(RawLink(text, restore_url(href), at))
            open_link = None
        elif child.type == "image":
            found.append(RawLink(_inline_text(child.children or []) or child.content,
                                 str(child.attrs.get("src", "")), line, image=True))
        elif child.type == "html_inline":
            if _CLOSING_A.match(child.content) and html_anchor is not None:
                html_anchor = None
            else:
                tags = _html_links(child.content, line)
                found.extend(tags)
                if tags and not tags[-1].image and not tags[-1].text:
                    html_anchor = len(found) - 1
        elif child.type == "text" and html_anchor is not None:
            link = found[html_anchor]
            found[html_anchor] = RawLink(link.text + child.content, link.url, link.line, link.image)
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type in ("html_inline", "code_inline", "text"):
            line += child.content.count("\n")
    return found


# --- resolution -----------------------------------------------------------------

PostLookup = Callable[[str], "str | None"]  # site path or URL -> post path


@dataclass(frozen=True)
class LinkContext:
    """What resolving the links of one post needs to know about the others."""

    post_path: str  # the post's own path relative to the root
    slugs: SlugMap
    has_post: Callable[[str], bool]
    post_for_url: Callable[[str], str | None]  # a URL of this site -> post path
    post_for_name: Callable[[str], str | None]  # `post_url` name -> post path


def resolve(raw: list[RawLink], context: LinkContext) -> list[Link]:
    return [_resolve_one(n, link, context) for n, link in enumerate(raw, start=1)]


def _resolve_one(n: int, link: RawLink, context: LinkContext) -> Link:
    url = link.url.strip()
    base = {"n": n, "text": link.text, "url": link.url, "line": link.line}
    if link.image:
        return Link(kind="image", target=None, **base)
    if url.startswith("{% post_url "):
        name = url[len("{% post_url "):-3].strip()
        target = context.post_for_name(name)
        return Link(kind="post", target=target or name, broken=target is None, **base)
    if url.startswith("#"):
        slug = context.slugs.resolve(url)
        fragment = nfc(unquote(url[1:]))
        return Link(kind="anchor", target=slug or fragment, broken=slug is None, **base)
    scheme_match = _SCHEME.match(url)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme == "mailto" or (not scheme and _EMAIL.match(url)):
        return Link(kind="email", target=None, **base)
    if scheme in ("http", "https") or url.startswith("//") or url.lower().startswith("www."):
        target = context.post_for_url(url)
        if target:
            return Link(kind="post", target=target, **base)
        return Link(kind="external", target=None, **base)
    if scheme:
        return Link(kind="other", target=None, **base)
    return _relative(url, base, context)


def _relative(url: str, base: dict, context: LinkContext) -> Link:
    parts = urlsplit(url)
    path = nfc(unquote(parts.path))
    if not path:
        return Link(kind="other", target=None, **base)
    if path.startswith("/"):
        target = context.post_for_url(url)
        if target:
            return Link(kind="post", target=target, **base)
        candidate = path.lstrip("/")
    else:
        candidate = posixpath.join(posixpath.dirname(context.post_path), path)
    candidate = posixpath.normpath(candidate)
    if candidate.startswith("../") or candidate == ".." or posixpath.isabs(candidate):
        return Link(kind="other", target=None, **base)  # never leaves the root
    if candidate.lower().endswith((".md", ".markdown")):
        exists = context.has_post(candidate)
        return Link(kind="post", target=candidate, broken=not exists, **base)
    # A relative link to a page of the site: `../2020/01/02/slug/`.
    target = context.post_for_url("/" + candidate)
    if target:
        return Link(kind="post", target=target, **base)
    return Link(kind="other", target=None, **base)


__all__ = ["KINDS", "POST_URL_SCHEME", "Link", "LinkContext", "Outline", "RawLink", "outline", "resolve"]

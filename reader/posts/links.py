"""Where the links of a post lead: each raw link classified and resolved against the library."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from urllib.parse import unquote, urlsplit

from reader.posts.discovery import SiteKind
from reader.posts.document import RawLink
from reader.posts.images import asset_image, resolve_image
from reader.posts.site_syntax import ASSET, HUGO_REF, POST_TITLE, SCHEMES, SITE_LINK, restore_url
from reader.posts.slugs import SlugMap
from reader.posts.text import clean

KINDS = ("external", "email", "anchor", "post", "image", "other")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s/:]+@[^@\s/]+\.[^@\s/]+$")


@dataclass(frozen=True)
class Link:
    """A link of a post, numbered from 1, with where it leads."""

    n: int
    text: str
    url: str
    kind: str
    target: str | None  # heading slug (anchor), post path (post), else None
    line: int
    broken: bool = False  # no such post, or no heading there for its `#fragment`
    # A post link's `#fragment`: the slug of the heading it leads to in that post, or the
    # fragment as written when no heading matches (then `broken`). None without a fragment.
    anchor: str | None = None
    # Its text is the title of the post it leads to, not words of this post: Hexo's
    # `{% post_link slug %}` shows that title, so the renderer draws `text` in its place.
    titled: bool = False

    def to_json(self) -> dict:
        return {
            "n": self.n,
            "text": self.text,
            "url": self.url,
            "kind": self.kind,
            "target": self.target,
            "line": self.line,
            "broken": self.broken,
            "anchor": self.anchor,
        }


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
    slugs_of: Callable[[str], SlugMap | None]  # another post's headings (by path), for `other.md#fragment`
    # Images: how the site serves files (see reader.posts.images), and whether a root-relative
    # file is there (None: not checked, nothing marked broken).
    site_kind: SiteKind = SiteKind.PLAIN
    baseurl: str = ""
    file_exists: Callable[[str], bool] | None = None
    # A post's title by its path (a `{% post_link slug %}` shows it); None: the slug is shown.
    title_of: Callable[[str], str | None] | None = None


def resolve(raw: Iterable[RawLink], context: LinkContext) -> list[Link]:
    # A post that links one other post many times reads and parses it once.
    context = replace(context, slugs_of=cache(context.slugs_of))
    return [_resolve_one(link, context) for link in raw]


def _heading(slugs: SlugMap, fragment: str) -> tuple[str, bool]:
    """Where a `#fragment` leads among `slugs`: (the heading's slug, False), or
    (the fragment as written, True) when no heading matches it."""
    slug = slugs.resolve(fragment)
    return (slug, False) if slug else (clean(unquote(fragment)), True)


def _resolve_one(link: RawLink, context: LinkContext) -> Link:
    url = link.url.strip()
    base = _Base(link)
    if url.startswith(SCHEMES):
        return _site_link(url, link, base, context)
    if link.image:
        return _image(url, base, context)
    if url.startswith("#"):
        return base("anchor", *_heading(context.slugs, url[1:]))
    scheme_match = _SCHEME.match(url)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme == "mailto" or (not scheme and _EMAIL.match(url)):
        return base("email", None)
    if scheme in ("http", "https") or url.startswith("//") or url.lower().startswith("www."):
        target = context.post_for_url(url)
        if target:
            return _post(target, urlsplit(url).fragment, base, context)
        return base("external", None)
    if scheme:
        return base("other", None)
    return _relative(url, base, context)


def _site_link(url: str, link: RawLink, base: _Base, context: LinkContext) -> Link:
    """A link a site tag made: Jekyll post_url/link, Hexo post_link/asset_*, Hugo ref/relref."""
    scheme = next(s for s in SCHEMES if url.startswith(s))
    value = clean(url[len(scheme) :].strip())
    here = posixpath.dirname(context.post_path)
    if scheme == ASSET:  # Hexo: the post's asset folder is named like the post
        path = asset_image(value, context.post_path)
        return base("image" if link.image else "other", path, path is None or _missing(path, context))
    # `{% post_url x %}#part` and `{{< ref "x#part" >}}`: the fragment is a heading of x.
    value, _, fragment = value.partition("#")
    if scheme == SITE_LINK:
        path = posixpath.normpath(value.lstrip("/"))
        target = path if context.has_post(path) else context.post_for_name(posixpath.basename(path))
    elif scheme == HUGO_REF:
        candidates = [
            posixpath.normpath(posixpath.join(here, value)),
            posixpath.normpath(f"content/{value.lstrip('/')}"),
        ]
        target = next((c for c in candidates if context.has_post(c)), None) or context.post_for_name(
            posixpath.splitext(posixpath.basename(value))[0]
        )
    else:  # post_url (a name) and post_link (a slug): both by file name
        target = context.post_for_name(value)
    if target is None:
        return base("post", value, True)
    title = context.title_of(target) if scheme == POST_TITLE and context.title_of else None
    return _post(target, fragment, base.titled(title) if title else base, context)


def _post(target: str, fragment: str, base: _Base, context: LinkContext) -> Link:
    """A link to a local post that exists, checked down to the heading its `#fragment` names
    (as a site would scroll there: see SlugMap.resolve)."""
    if not fragment:
        return base("post", target)
    slugs = context.slugs if target == context.post_path else context.slugs_of(target)
    if slugs is None:  # its headings are not known: nothing to check against
        return base("post", target, anchor=clean(unquote(fragment)))
    anchor, broken = _heading(slugs, fragment)
    return base("post", target, broken, anchor)


def _image(url: str, base: _Base, context: LinkContext) -> Link:
    """An image: the file the site would serve for it (broken when there is none), or remote."""
    exists = context.file_exists or (lambda _path: True)
    found = resolve_image(url, context.post_path, context.site_kind, exists, context.baseurl)
    return base("image", found.path, found.broken)


def _missing(path: str, context: LinkContext) -> bool:
    return context.file_exists is not None and not context.file_exists(path)


class _Base:
    """Makes the Link of one raw link once its kind and target are known."""

    def __init__(self, link: RawLink, title: str | None = None) -> None:
        self.link = link
        self.title = title  # the text in place of the link's own: its target's title

    def titled(self, title: str) -> _Base:
        return _Base(self.link, title)

    def __call__(self, kind: str, target: str | None, broken: bool = False, anchor: str | None = None) -> Link:
        raw, title = self.link, self.title
        text = title if title is not None else raw.text
        return Link(raw.n, text, restore_url(raw.url), kind, target, raw.line, broken, anchor, title is not None)


def _relative(url: str, base: _Base, context: LinkContext) -> Link:
    parts = urlsplit(url)
    path = clean(unquote(parts.path))
    if not path:
        return base("other", None)
    if path.startswith("/"):
        target = context.post_for_url(url)
        if target:
            return _post(target, parts.fragment, base, context)
        candidate = path.lstrip("/")
    else:
        candidate = posixpath.join(posixpath.dirname(context.post_path), path)
    candidate = posixpath.normpath(candidate)
    if candidate.startswith("../") or candidate == ".." or posixpath.isabs(candidate):
        return base("other", None)  # never leaves the root
    if candidate.lower().endswith((".md", ".markdown")):
        if not context.has_post(candidate):
            return base("post", candidate, True)
        return _post(candidate, parts.fragment, base, context)
    # A relative link to a page of the site: `../2020/01/02/slug/`.
    target = context.post_for_url("/" + candidate)
    if target:
        return _post(target, parts.fragment, base, context)
    return base("other", None)


__all__ = ["KINDS", "Link", "LinkContext", "resolve"]

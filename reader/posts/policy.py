"""What activating a link does: decided here, before anything is opened."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from reader.posts.links import Link
from reader.posts.messages import say

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\s]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BROWSER_SCHEMES = frozenset({"http", "https"})
_CONTROL_ONLY = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # spaces are fine in a file name


@dataclass(frozen=True)
class Decision:
    action: str  # "anchor", "post", "image", "browser", "ask", "refuse"
    target: str  # the slug, the post path, the image's root-relative path or the URL
    reason: str = ""


def decide(link: Link) -> Decision:
    """The one policy every link passes through, in the app and in tests."""
    url = link.url.strip()
    if link.kind == "anchor":
        return Decision("anchor", link.target or "", say("no such heading") if link.broken else "")
    if link.kind == "post":
        if link.target and link.broken and link.anchor is not None:
            # The post is there, the heading is not: a site opens the page at its top.
            return Decision("post", link.target, say("no heading #{anchor} in that post", anchor=link.anchor))
        if link.broken or not link.target:
            return Decision("refuse", url, say("no post {target} in this folder", target=link.target or url))
        return Decision("post", link.target)
    if link.kind == "image" and not _remote(url):
        return _local_image(link)
    if url.startswith("-"):
        return Decision("refuse", url, say("a URL starting with '-' could be read as an option"))
    if _CONTROL.search(url):
        return Decision("refuse", url, say("the URL holds control characters or spaces"))
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("javascript", "data", "vbscript"):
        return Decision("refuse", url, say("{scheme}: links are never opened", scheme=scheme))
    if _BIDI.search(unquote(url) + link.text):
        # `evil‮gpj.exe` reads as `evilexe.jpg`: show it (made visible) and ask, always.
        return Decision("ask", url, say("this link holds invisible text-direction controls; open it anyway?"))
    if link.kind in ("external", "image") and scheme in _BROWSER_SCHEMES:
        return Decision("browser", url)
    if link.kind == "external" and url.lower().startswith("www."):
        return Decision("browser", "https://" + url)
    if link.kind == "external" and url.startswith("//"):
        return Decision("browser", "https:" + url)
    if not scheme:
        return Decision("refuse", url, say("a relative link to a file that is not a post"))
    return Decision("ask", url, say("open this {scheme}: link with the system's handler?", scheme=scheme))


def _remote(url: str) -> bool:
    return url.startswith("//") or bool(urlsplit(url).scheme)


def _local_image(link: Link) -> Decision:
    """A local image opens (in the app, or the system viewer) only as a file inside the site
    root: reader.posts.images gives no target for an address that would leave it."""
    if not link.target:
        return Decision("refuse", link.url, say("the image is outside the site folder"))
    if link.broken:
        return Decision("refuse", link.target, say("no image {target} in this folder", target=link.target))
    if _BIDI.search(link.target) or _CONTROL_ONLY.search(link.target):
        return Decision("refuse", link.target, say("the image's name holds control characters"))
    return Decision("image", link.target)

"""Where a post's image is on disk: its address read the way the post's site reads it.

Jekyll serves the site root (`/assets/x.png` is `assets/x.png`), Hugo serves
`static/` and a page bundle's files beside its `index.md`, Hexo serves `source/`
and a post's asset folder (`_posts/my-post/` for `_posts/my-post.md`). Authors
also write paths relative to the post file (what their editor previews), so
that is tried first. Nothing here ever names a file outside the root.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from reader.posts.discovery import SiteKind
from reader.posts.text import clean


# The patterns are compiled when an address is first read: ~1 ms that a search never pays.
@cache
def _liquid() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Jekyll's Liquid in an image address: `{{ site.baseurl }}/a.png`, `{{ "/a.png" | relative_url }}`."""
    return (
        re.compile(r"^(?:\{\{-?\s*site\.(?:url|baseurl)\s*-?\}\})+"),
        re.compile(r"""^\{\{-?\s*(["'])(.*?)\1\s*\|\s*(?:relative_url|absolute_url)\s*-?\}\}$"""),
    )


@cache
def _scheme() -> re.Pattern[str]:
    return re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


# Where a root-relative address (`/img/x.png`) is served from, by site kind.
_SERVED_FROM = {SiteKind.HUGO: ("static/", ""), SiteKind.HEXO: ("source/", "")}


@dataclass(frozen=True)
class ImageTarget:
    """Where an image address leads: a file under the root (maybe missing), or nowhere local."""

    path: str | None  # root-relative posix path of the file (the first candidate when none exists)
    broken: bool  # local, but no such file (or an address that would leave the root)
    remote: bool = False  # http(s), `//host`, data: … : shown as a placeholder with its address


def candidates(url: str, post_path: str, kind: SiteKind, baseurl: str = "") -> tuple[str, ...] | None:
    """The root-relative files an image address may name, most likely first; None for a remote
    address; () for a local one that would leave the root."""
    url = _unliquid(url.strip())
    if url.startswith("//") or _scheme().match(url):
        return None
    path = clean(unquote(urlsplit(url).path))
    if not path:
        return ()
    here = posixpath.dirname(post_path)
    found: list[str] = []
    if path.startswith("/"):
        if baseurl and (path == baseurl or path.startswith(baseurl + "/")):
            path = path[len(baseurl) :]
        for prefix in _SERVED_FROM.get(kind, ("",)):
            found.append(prefix + path.lstrip("/"))
    else:
        found.append(posixpath.join(here, path))
        if kind is SiteKind.HEXO:  # post_asset_folder: `x.png` in `_posts/a.md` is `_posts/a/x.png`
            found.append(posixpath.join(posixpath.splitext(post_path)[0], path))
        # Written for the site root (`assets/x.png`, `images/x.png`), as a page at the root would see it.
        found += [prefix + path for prefix in _SERVED_FROM.get(kind, ("",))]
    return tuple(dict.fromkeys(p for p in map(posixpath.normpath, found) if _inside(p)))


def resolve_image(
    url: str, post_path: str, kind: SiteKind, exists: Callable[[str], bool], baseurl: str = ""
) -> ImageTarget:
    """The file an image address names: the first candidate that `exists`; else the first
    candidate, marked broken; a remote address is remote."""
    found = candidates(url, post_path, kind, baseurl)
    if found is None:
        return ImageTarget(None, False, remote=True)
    for path in found:
        if exists(path):
            return ImageTarget(path, False)
    return ImageTarget(found[0] if found else None, True)


def asset_image(value: str, post_path: str) -> str | None:
    """A Hexo `{% asset_img x %}`: `x` in the post's asset folder (None if it would leave it)."""
    path = posixpath.normpath(posixpath.join(posixpath.splitext(post_path)[0], clean(value)))
    return path if _inside(path) else None


def local_file(root: Path, path: str) -> Path | None:
    """The regular file `path` names under `root`, or None: missing, not a file, or outside the
    root once symlinks are followed (an image is only ever opened from inside the site)."""
    if not _inside(posixpath.normpath(path)):
        return None
    real_root = os.path.realpath(root)
    real = os.path.realpath(os.path.join(real_root, *path.split("/")))
    if os.path.commonpath([real, real_root]) != real_root or not os.path.isfile(real):
        return None
    return Path(real)


def _inside(path: str) -> bool:
    return bool(path) and path not in (".", "..") and not path.startswith(("../", "/")) and "\x00" not in path


def _unliquid(url: str) -> str:
    liquid_prefix, liquid_filter = _liquid()
    match = liquid_filter.match(url)
    if match:
        return match.group(2)
    return liquid_prefix.sub("", url)


__all__ = ["ImageTarget", "asset_image", "candidates", "local_file", "resolve_image"]

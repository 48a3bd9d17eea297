"""A site's own address when its config does not say it: inferred from the links its posts make.

ratsgo's posts link to `https://ratsgo.github.io/statistics/2017/07/01/bayes/`
and the folder holds `2017-07-01-bayes.md`, but there is no `_config.yml` to
say that the host is the blog itself. A host whose URLs keep matching local
posts by date and slug is taken as the site's own, and its URLs resolve to
those posts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from reader.posts.normalize import FILENAME_DATE
from reader.posts.post import Post
from reader.posts.text import nfc

URL = re.compile(r"https?://[^\s)\"'<>\]]+")  # an absolute URL in a post's text
_DATED = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/([^/?#]+?)(?:\.html?)?/?$")
_LAST = re.compile(r"/([^/?#]+?)(?:\.html?)?/?$")
MIN_MATCHES = 3  # links to local posts before a host counts as the site's own
MIN_SHARE = 0.3  # and this share of the host's links in the posts


class SelfLinks:
    """Local posts by (date, slug) and by slug alone, from their file names (or `slug:`)."""

    def __init__(self, posts: Iterable[Post]) -> None:
        self.by_date: dict[tuple[int, int, int, str], str] = {}
        by_slug: dict[str, list[str]] = {}
        for post in posts:
            name = PurePosixPath(post.path).stem
            match = FILENAME_DATE.match(name)
            slug = nfc(post.slug or (name[match.end() :] if match else name)).lower()
            if match:
                year, month, day = (int(g) for g in match.groups())
                self.by_date.setdefault((year, month, day, slug), post.path)
            elif post.date is not None:
                self.by_date.setdefault((post.date.year, post.date.month, post.date.day, slug), post.path)
            by_slug.setdefault(slug, []).append(post.path)
        self.by_slug = {slug: paths[0] for slug, paths in by_slug.items() if len(paths) == 1}

    def match(self, path: str) -> str | None:
        """The post a URL path points to: by its date and slug, else by a slug only one post has."""
        path = nfc(unquote(path)).lower()
        dated = _DATED.search(path)
        if dated:
            year, month, day, slug = dated.groups()
            found = self.by_date.get((int(year), int(month), int(day), slug))
            if found:
                return found
        last = _LAST.search(path)
        return self.by_slug.get(last.group(1)) if last else None

    def own_hosts(self, bodies: Iterable[str]) -> frozenset[str]:
        """Hosts whose URLs in the posts lead to local posts often enough to be the site itself."""
        seen: Counter[str] = Counter()
        matched: Counter[str] = Counter()
        for body in bodies:
            for url in URL.findall(body):
                parts = urlsplit(url.rstrip(".,;:!?"))
                host = parts.netloc.lower()
                seen[host] += 1
                if self.match(parts.path):
                    matched[host] += 1
        return frozenset(h for h, n in matched.items() if n >= MIN_MATCHES and n >= MIN_SHARE * seen[h])

"""Heading slugs compatible with GitHub and Jekyll (kramdown), Korean included, and fragments matched to them."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote

from reader.posts.text import nfc

# Unicode categories GitHub keeps: letters, marks, numbers, connector punctuation.
_KEPT = ("L", "M", "N", "Pc")


def github_slug(heading: str) -> str:
    """GitHub's anchor for a heading: `## 고려대 DSBA` -> `고려대-dsba`.

    Lowercase, drop everything but letters, marks, numbers, `_`, `-` and
    spaces, then spaces to hyphens (github-slugger's rule). Textual's own
    slug function drops Hangul, so we cannot use it.
    """
    out = []
    for char in nfc(heading).strip().lower():
        if char == " " or char == "-":
            out.append("-")
        elif unicodedata.category(char).startswith(_KEPT):
            out.append(char)
    return "".join(out)


def kramdown_slug(heading: str) -> str:
    """kramdown's auto id (Jekyll's default): like GitHub's, minus leading non-letters."""
    slug = github_slug(heading)
    index = 0
    while index < len(slug) and not slug[index].isalpha():
        index += 1
    return slug[index:] or "section"


def loose_key(text: str) -> str:
    """What is left of a heading or a fragment once case, punctuation, spaces, hyphens and
    underscores are gone: `1.-Travis-CI에-연결하기` and `1. Travis CI에 연결하기` both give
    `1travisci에연결하기`. Notion, Typora and hand-made tables of contents each keep a
    different part of the punctuation; what they all keep are the letters and numbers."""
    return "".join(char for char in nfc(text).casefold() if unicodedata.category(char).startswith(("L", "M", "N")))


class SlugMap:
    """Every heading's slug in document order, with GitHub's `-1`, `-2` suffixes."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self.slugs: list[str] = []
        self._aliases: dict[str, str] = {}
        self._loose: dict[str, str] = {}  # loose_key of a heading's text or slug -> slug; the first heading wins

    def add(self, heading: str) -> str:
        base = github_slug(heading)
        count = self._counts.get(base, 0)
        slug = base if count == 0 else f"{base}-{count}"
        self._counts[base] = count + 1
        while slug in self._counts and slug != base:  # a heading literally named "x-1"
            count += 1
            slug = f"{base}-{count}"
        self._counts.setdefault(slug, 1)
        self.slugs.append(slug)
        self._aliases.setdefault(slug, slug)
        alias = kramdown_slug(heading)
        if count:
            alias = f"{alias}-{count}"
        self._aliases.setdefault(alias, slug)
        for key in (loose_key(heading), loose_key(slug)):
            if key:
                self._loose.setdefault(key, slug)
        return slug

    def resolve(self, fragment: str) -> str | None:
        """The heading slug a `#fragment` points to, or None.

        The fragment is percent-decoded and NFC'd, then matched exactly (a GitHub or
        kramdown slug, case aside), and only if nothing matches exactly, loosely (see
        `loose_key`): an exact slug always wins over a heading that merely looks alike.
        """
        decoded = nfc(unquote(fragment.removeprefix("#")))
        key = decoded.lower()
        exact = self._aliases.get(key) or self._aliases.get(key.replace(" ", "-"))
        return exact or self._loose.get(loose_key(decoded))

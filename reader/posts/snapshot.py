"""A library snapshot: every post under a root at one moment, and what is derived from them.

A snapshot is never changed once built. A reload builds a new one (reusing
the posts whose files did not change) and whoever owns the current one
swaps the reference; a reader in another thread keeps the one it holds.
Reading the folder into one is reader.posts.loading; files changed since,
applied to it, reader.posts.delta.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from functools import cached_property
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING, cast
from urllib.parse import urlsplit

from reader.posts.discovery import Layout
from reader.posts.listing import ListedPosts, Listing
from reader.posts.post import Post
from reader.posts.selflinks import SelfLinks
from reader.posts.site import Site, post_url, site_path, url_key
from reader.posts.text import nfc

if TYPE_CHECKING:
    from reader.posts.taxonomy import Taxonomy

Progress = Callable[[int, int], None]


class PostNotFound(KeyError):
    """No post has that path under the root."""


class Cancelled(Exception):
    """The work was cancelled (the app is quitting, or newer work replaced it)."""


@dataclass(frozen=True)
class SiteInfo:
    """What does not change between reloads: where the posts are and the site's settings."""

    root: Path
    layout: Layout
    site: Site
    tz: tzinfo


@dataclass(frozen=True)
class Changes:
    """What a reload found different from the snapshot before it."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@dataclass(frozen=True, eq=False)
class Snapshot:
    """All posts of one root, newest first, with their taxonomy and URL maps."""

    info: SiteInfo
    files: Mapping[str, Post]  # every file read, binary ones included (the index remembers them too)
    warnings: tuple[str, ...] = ()  # about the folder itself, not one post
    complete: bool = True  # False: listed from the index manifest, bodies not read yet
    read_ns: int = 0  # when the files were read (for racy edits)
    changes: Changes = field(default_factory=Changes)
    # Of a post read but not held (its body is read again when wanted): the absolute URLs
    # its body holds, space-separated, so the site's own hosts are found without the bodies.
    urls: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # Listed from the index (not complete): the posts in columns, `files` made from them as asked.
    # What the first screen needs (the rows, the count, a post by path) makes no other post.
    listing: Listing | None = None
    # Of the first posts of a long first read: how many files the whole read reads (0: none to come).
    expected: int = 0

    @cached_property
    def posts(self) -> tuple[Post, ...]:
        if self.listing is not None:  # in the listing's order, which is this one
            return tuple(self.files[path] for path in self.listing.paths)
        return tuple(sort_newest_first(p for p in self.files.values() if not p.binary))

    @cached_property
    def by_path(self) -> Mapping[str, Post]:
        if self.listing is not None:
            return self.files  # no binary file is listed
        return MappingProxyType({post.path: post for post in self.posts})

    def __len__(self) -> int:
        return len(self.listing) if self.listing is not None else len(self.posts)

    @property
    def warned(self) -> int:
        """How many posts have warnings."""
        if self.listing is not None:
            return len(self.listing.warnings)
        return sum(1 for post in self.posts if post.warnings)

    def digests(self) -> Mapping[str, str]:
        """Each post's content hash by path."""
        if self.listing is not None:
            return self.listing.digest_map()
        return {post.path: post.digest for post in self.posts}

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and normal_path(path) in self.by_path

    def get(self, path: str) -> Post:
        try:
            return self.by_path[normal_path(path)]
        except KeyError:
            raise PostNotFound(path) from None

    def title_of(self, path: str) -> str | None:
        """The title of the post at `path` (None: no such post, or it has none)."""
        post = self.by_path.get(normal_path(path))
        return post.title if post is not None and post.title else None

    def filter(
        self, tag: str | None = None, category: str | None = None, drafts: bool = True, month: str | None = None
    ) -> list[Post]:
        """The posts with `tag`, in `category`, dated in `month` (`2020` or `2020-06`)."""
        from reader.posts.taxonomy import has_tag, in_category, in_month  # here: ~4 ms `reader search` never pays

        return [
            post
            for post in self.posts
            if (tag is None or has_tag(post, tag))
            and (category is None or in_category(post, category))
            and (month is None or in_month(post, month))
            and (drafts or not post.draft)
        ]

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return self.taxonomy_of(drafts=True)

    def prepare(self) -> Snapshot:
        """Make now what a screen asks first of a snapshot it adopts: the posts in order, the
        path map, the taxonomy (at 10k posts 22, 2 and 55 ms), so that a worker thread makes
        them rather than the screen's, whose keys wait meanwhile. Returns the snapshot."""
        self.posts, self.by_path, self.taxonomy  # noqa: B018 (cached properties, made here)
        return self

    def taxonomy_of(self, drafts: bool) -> Taxonomy:
        """The taxonomy of the posts, drafts among them or not (listed from the index: from
        its columns, no post made)."""
        from reader.posts.taxonomy import Taxonomy

        if isinstance(self.files, ListedPosts):
            # Facets hold what Taxonomy.build reads of a post: its categories, tags and date.
            return Taxonomy.build(cast(list[Post], self.files.facets(drafts)))
        return Taxonomy.build(self.posts if drafts else [p for p in self.posts if not p.draft])

    @property
    def drafts(self) -> int:
        """How many posts are drafts."""
        if self.listing is not None:
            return self.listing.drafts.count(1)
        return sum(1 for post in self.posts if post.draft)

    @property
    def all_warnings(self) -> list[str]:
        return [*self.warnings, *(w for post in self.posts for w in post.warnings)]

    # --- where links lead ---------------------------------------------------------

    def post_for_url(self, url: str) -> str | None:
        """The post a URL of this site points to (absolute or root-relative): by the site's
        permalinks, else (no config, another host) by the address the posts show is theirs."""
        path = site_path(self.info.site, url)
        if path is not None:
            found = self._url_map.get(url_key(path))
            if found or url.startswith("/"):
                return found or self._self_links.match(path)
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc.lower() in self.own_hosts:
            return self._self_links.match(parts.path)
        return None

    @cached_property
    def _self_links(self) -> SelfLinks:
        return SelfLinks(self.posts)

    @cached_property
    def own_hosts(self) -> frozenset[str]:
        """The site's own hosts, inferred from the posts' links (see reader.posts.selflinks)."""
        if self.listing is not None and not self.urls:
            return frozenset()  # no post's links known yet: no host to infer (and no 100k posts made)
        texts = (self.urls.get(post.path, "") if post.stub else post.body for post in self.posts)
        return self._self_links.own_hosts(texts)

    def post_for_name(self, name: str) -> str | None:
        """The post a Jekyll `{% post_url name %}` tag names."""
        key = nfc(name).strip().lower()
        for suffix in (".md", ".markdown"):
            key = key.removesuffix(suffix)
        return self._name_map.get(key) or self._name_map.get(key.rsplit("/", 1)[-1])

    def _rel_in_posts_dir(self, post: Post) -> str:
        for top in self.info.layout.post_dirs:
            try:
                return nfc(post.file.relative_to(top).as_posix())
            except ValueError:
                continue
        return post.path

    @cached_property
    def _url_map(self) -> dict[str, str]:
        urls: dict[str, str] = {}
        for post in self.posts:
            url = post_url(
                self.info.site, self._rel_in_posts_dir(post), post.date, post.categories, post.permalink, post.slug
            )
            if url:
                urls.setdefault(url_key(url), post.path)
        return urls

    @cached_property
    def _name_map(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for post in self.posts:
            rel = PurePosixPath(self._rel_in_posts_dir(post)).with_suffix("").as_posix().lower()
            names.setdefault(rel, post.path)
            names.setdefault(rel.rsplit("/", 1)[-1], post.path)
        return names


def normal_path(path: str) -> str:
    """The identity form of a post path as a user or a link may write it."""
    return nfc(PurePosixPath(path.replace("\\", "/")).as_posix()).removeprefix("./")


def empty_snapshot(info: SiteInfo) -> Snapshot:
    return Snapshot(info, MappingProxyType({}), complete=False)


def sort_newest_first(posts: Iterable[Post]) -> list[Post]:
    return sorted(posts, key=newest_first)


def newest_first(post: Post) -> tuple[float, str]:
    return (-(post.date.timestamp() if post.date else float("-inf")), post.path)

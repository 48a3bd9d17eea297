"""The Library: the one object the CLI and the UI ask about posts."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, tzinfo
from functools import cached_property
from pathlib import Path, PurePosixPath

from reader.core.discovery import Found, Layout, detect_layout, scan
from reader.core.index import IndexUnavailable, Progress, SearchIndex, SyncReport
from reader.core.links import Link, LinkContext, Outline, outline, resolve
from reader.core.post import Post, load_post
from reader.core.search import SearchResult, run_search
from reader.core.site import Site, load_site, local_timezone, post_url, site_path, url_key
from reader.core.taxonomy import Taxonomy, has_tag, in_category
from reader.core.text import nfc


class PostNotFound(KeyError):
    """No post has that path under the root."""


class Library:
    """All posts under one root, their taxonomy and how their links resolve."""

    def __init__(self, root: Path | str, default_tz: tzinfo | None = None, index_dir: Path | None = None) -> None:
        self.root = Path(root).expanduser().resolve()
        self.layout: Layout = detect_layout(self.root)
        self.site: Site = load_site(self.layout)
        self.tz = self.site.timezone or default_tz or local_timezone()
        self.posts: list[Post] = []
        self.warnings: list[str] = []  # about the folder itself, not one post
        self._by_path: dict[str, Post] = {}
        self._outlines: dict[str, Outline] = {}
        self._index_dir = index_dir
        self._index: SearchIndex | None = None

    @classmethod
    def open(cls, root: Path | str, default_tz: tzinfo | None = None, index_dir: Path | None = None) -> Library:
        library = cls(root, default_tz, index_dir)
        library.load()
        return library

    def load(self) -> None:
        """(Re)read every post from disk."""
        if not self.root.is_dir():
            raise NotADirectoryError(f"not a folder: {self.root}")
        found = scan(self.layout)
        self.warnings = list(found.warnings)
        if self.site.warning:
            self.warnings.append(self.site.warning)
        hierarchical = self.site.hierarchical_categories
        with ThreadPoolExecutor(max_workers=4) as pool:
            posts = list(pool.map(lambda f: load_post(f, self.tz, hierarchical), found.files))
        for post in posts:
            if post.binary:
                self.warnings.extend(post.warnings)
        self.posts = sort_newest_first(p for p in posts if not p.binary)
        self._by_path = {post.path: post for post in self.posts}
        self._forget_derived()

    # --- look-ups -------------------------------------------------------------

    def load_cached(self) -> bool:
        """List the posts from the index manifest: milliseconds, where reading every
        post of a 10k blog takes seconds. Bodies are read when a post is opened;
        `load()` afterwards replaces all of it with what the files say."""
        try:
            if not self.index.load_manifest():
                return False
        except IndexUnavailable:
            return False
        manifest = self.index.manifest
        assert manifest is not None
        posts = []
        for path, row in manifest.rows.items():
            meta = manifest.meta(path)
            if row.binary or meta is None:
                continue
            posts.append(Post(
                path=path, file=self.root / path, title=meta["title"], date=_iso(meta.get("date")),
                updated=_iso(meta.get("updated")), categories=[tuple(c.split("/")) for c in meta["categories"]],
                tags=list(meta["tags"]), draft=bool(meta["draft"]), body="", body_line=1, encoding=None,
                size=row.size, mtime_ns=row.mtime_ns, warnings=list(row.warnings), stub=True,
            ))
        self.posts = sort_newest_first(posts)
        self._by_path = {post.path: post for post in self.posts}
        self._forget_derived()
        return True

    def _forget_derived(self) -> None:
        """Drop what was computed from the previous posts (outlines, URL maps, taxonomy)."""
        self._outlines.clear()
        for name in ("_url_map", "_name_map", "taxonomy"):
            self.__dict__.pop(name, None)

    def get(self, path: str) -> Post:
        key = nfc(PurePosixPath(path.replace("\\", "/")).as_posix()).removeprefix("./")
        try:
            post = self._by_path[key]
        except KeyError:
            raise PostNotFound(path) from None
        if post.stub:  # listed from the manifest: read it now
            loaded = load_post(Found(post.file, post.path), self.tz, self.site.hierarchical_categories)
            vars(post).update(vars(loaded))
        return post

    def __contains__(self, path: str) -> bool:
        return nfc(path) in self._by_path

    def __len__(self) -> int:
        return len(self.posts)

    def filter(self, tag: str | None = None, category: str | None = None,
               drafts: bool = True) -> list[Post]:
        return [
            post for post in self.posts
            if (tag is None or has_tag(post, tag))
            and (category is None or in_category(post, category))
            and (drafts or not post.draft)
        ]

    @cached_property
    def taxonomy(self) -> Taxonomy:
        return Taxonomy.build(self.posts)

    @property
    def all_warnings(self) -> list[str]:
        return [*self.warnings, *(w for post in self.posts for w in post.warnings)]

    # --- search ---------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        """The search index (opened lazily; `sync_index` brings it up to date)."""
        if self._index is None:
            self._index = SearchIndex(self.layout, self.tz, self.site.hierarchical_categories, self._index_dir)
        return self._index

    def sync_index(self, rebuild: bool = False, progress: Progress | None = None,
                   verify: bool = False) -> SyncReport:
        return self.index.sync(rebuild=rebuild, progress=progress, verify=verify)

    def search(self, query: str, limit: int = 10, include_drafts: bool = True) -> SearchResult:
        """Search; posts already loaded give their text to the snippets."""
        loader = (lambda path: self._by_path.get(path)) if self.posts else None
        return run_search(self.index, query, limit, include_drafts, loader)

    # --- links ----------------------------------------------------------------

    def outline(self, path: str) -> Outline:
        post = self.get(path)
        if post.path not in self._outlines:
            self._outlines[post.path] = outline(post.body, post.body_line)
        return self._outlines[post.path]

    def links(self, path: str) -> list[Link]:
        post = self.get(path)
        parsed = self.outline(post.path)
        context = LinkContext(
            post_path=post.path,
            slugs=parsed.slugs,
            has_post=lambda p: nfc(p) in self._by_path,
            post_for_url=self.post_for_url,
            post_for_name=self.post_for_name,
        )
        return resolve(parsed.links, context)

    def post_for_url(self, url: str) -> str | None:
        """The post a URL of this site points to (absolute or root-relative)."""
        path = site_path(self.site, url)
        if path is None:
            return None
        return self._url_map.get(url_key(path))

    def post_for_name(self, name: str) -> str | None:
        """The post a Jekyll `{% post_url name %}` tag names."""
        key = nfc(name).strip().lower()
        for suffix in (".md", ".markdown"):
            key = key.removesuffix(suffix)
        return self._name_map.get(key) or self._name_map.get(key.rsplit("/", 1)[-1])

    def _rel_in_posts_dir(self, post: Post) -> str:
        for top in self.layout.post_dirs:
            try:
                return nfc(post.file.relative_to(top).as_posix())
            except ValueError:
                continue
        return post.path

    @cached_property
    def _url_map(self) -> dict[str, str]:
        urls: dict[str, str] = {}
        for post in self.posts:
            url = post_url(self.site, self._rel_in_posts_dir(post), post.date,
                           post.categories, post.permalink, post.slug)
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


def _iso(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def sort_newest_first(posts: Iterable[Post]) -> list[Post]:
    def key(post: Post) -> tuple[float, str]:
        return (-(post.date.timestamp() if post.date else float("-inf")), post.path)

    return sorted(posts, key=key)

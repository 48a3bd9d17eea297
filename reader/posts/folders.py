"""Which folder to open: the one named, else the environment's, the config's, the current
folder when it looks like a blog (a site root, `_posts/`, or posts of its own: not any
Markdown below it), else the bundled guide; and a site's root above `_posts/` or `source/`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from reader.posts.discovery import POST_SUFFIXES

_PACKAGE = Path(__file__).resolve().parent.parent
_HUGO_CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.json", "config.json")
# A project's own Markdown, never a post even with front matter.
_NOT_POSTS = frozenset(
    {"readme.md", "changelog.md", "contributing.md", "license.md", "code_of_conduct.md", "security.md"}
)
_DATED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
NO_BLOG_HERE = "the bundled guide: no blog in the current folder"


@dataclass(frozen=True)
class Choice:
    root: Path  # the folder of posts or the site root to open
    post: str | None  # a post to open first (`reader some/post.md`), relative to `root`
    why: str  # how it was chosen, for the status bar and `reader config`


def guide_dir() -> Path:
    """The bundled user guide: inside the package when installed, `posts/` in a checkout."""
    installed = _PACKAGE / "guide"
    return installed if installed.is_dir() else _PACKAGE.parent / "posts"


def is_site_root(path: Path) -> bool:
    return (
        (path / "_config.yml").is_file()
        or (path / "_posts").is_dir()
        or (path / "source" / "_posts").is_dir()
        or ((path / "content").is_dir() and any((path / name).is_file() for name in _HUGO_CONFIGS))
    )


def looks_like_blog(path: Path, limit: int = 2000, sample: int = 20) -> bool:
    """A site root, or a folder whose own Markdown files look like posts: most of them (of the
    first `sample`) have a dated name (`2020-01-02-x.md`) or front matter. Cheap: no folder
    below is listed, at most `limit` entries looked at, and only a file's first bytes read."""
    if is_site_root(path):
        return True
    looked = posts = 0
    try:
        with os.scandir(path) as entries:
            for seen, entry in enumerate(entries):
                if seen >= limit or looked >= sample:
                    break
                name = entry.name.lower()
                if not name.endswith(POST_SUFFIXES) or name.startswith(".") or name in _NOT_POSTS:
                    continue
                if not entry.is_file():
                    continue
                looked += 1
                posts += bool(_DATED.match(entry.name)) or _has_front_matter(entry.path)
    except OSError:
        return False
    return posts > 0 and 2 * posts >= looked


def _has_front_matter(location: str) -> bool:
    try:
        with open(location, "rb") as file:
            head = file.read(8)
    except OSError:
        return False
    return head.removeprefix(b"\xef\xbb\xbf").startswith((b"---\n", b"---\r\n", b"+++\n", b"+++\r\n"))


def site_root(path: Path) -> Path:
    """`_posts/` of a Jekyll site, `source/_posts/` of Hexo, `content/…` of Hugo: the site root
    above, where `_config.yml` says how its permalinks look. Any other folder is its own root."""
    path = path.resolve()
    if path.name in ("_posts", "_drafts"):
        if path.parent.name == "source" and is_site_root(path.parent.parent):
            return path.parent.parent  # Hexo: source/_posts
        if is_site_root(path.parent):
            return path.parent  # Jekyll
    if _is_hexo_source(path):
        return path.parent  # Hexo: source/, which holds _posts/ as a Jekyll site would
    for parent in path.parents[:4]:
        content = parent / "content"
        if content.is_dir() and any((parent / n).is_file() for n in _HUGO_CONFIGS) and path.is_relative_to(content):
            return parent  # Hugo: a folder inside content/
    return path


def _is_hexo_source(path: Path) -> bool:
    """`source/` of a Hexo site: the folder holding `_config.yml` and `source/_posts/` is the root."""
    return path.name == "source" and (path / "_posts").is_dir() and (path.parent / "_config.yml").is_file()


def for_file(file: Path) -> Choice:
    """A post named on the command line: its site (found above it) and the post."""
    start = file.resolve().parent
    root = start
    for parent in [start, *start.parents][:6]:
        if is_site_root(parent):
            root = site_root(parent)  # Hexo's source/ is not the root: the folder above is
            break
    else:
        root = site_root(start)
    return Choice(root, file.resolve().relative_to(root).as_posix(), "the post given")


def choose(given: str | Path | None, env: str | None, configured: str | None, cwd: Path) -> Choice:
    """The folder to open, in the order a user expects (see the module's docstring)."""
    for value, why in ((given, "given"), (env, "GEULBAT_POSTS"), (configured, "the config file's posts")):
        if value:
            path = Path(value).expanduser()
            if path.is_file() and path.name.lower().endswith(POST_SUFFIXES):
                return for_file(path)
            return Choice(site_root(path) if path.is_dir() else path, None, why)
    if looks_like_blog(cwd):
        return Choice(site_root(cwd), None, "the current folder")
    return Choice(guide_dir(), None, NO_BLOG_HERE)

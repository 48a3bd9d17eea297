"""Which folder to open: the one named, else the environment's, the config's, the current
folder when it looks like a blog, else the bundled guide; and a site's root above `_posts/`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reader.posts.discovery import POST_SUFFIXES

_PACKAGE = Path(__file__).resolve().parent.parent
_HUGO_CONFIGS = ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml", "hugo.json", "config.json")


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


def looks_like_blog(path: Path, limit: int = 2000) -> bool:
    """A site root, or a folder with Markdown files in it or a level below (few entries looked at)."""
    if is_site_root(path):
        return True
    try:
        for seen, entry in enumerate(os.scandir(path)):
            if seen >= limit:
                return False
            name = entry.name.lower()
            if entry.is_file() and name.endswith(POST_SUFFIXES) and name not in ("readme.md", "changelog.md"):
                return True
            if entry.is_dir() and not entry.name.startswith("."):
                with os.scandir(entry.path) as inner:
                    if any(e.is_file() and e.name.lower().endswith(POST_SUFFIXES) for e in inner):
                        return True
    except OSError:
        return False
    return False


def site_root(path: Path) -> Path:
    """`_posts/` of a Jekyll site, `source/_posts/` of Hexo, `content/…` of Hugo: the site root
    above, where `_config.yml` says how its permalinks look. Any other folder is its own root."""
    path = path.resolve()
    if path.name in ("_posts", "_drafts"):
        if path.parent.name == "source" and is_site_root(path.parent.parent):
            return path.parent.parent  # Hexo: source/_posts
        if is_site_root(path.parent):
            return path.parent  # Jekyll
    for parent in path.parents[:4]:
        content = parent / "content"
        if content.is_dir() and any((parent / n).is_file() for n in _HUGO_CONFIGS) and path.is_relative_to(content):
            return parent  # Hugo: a folder inside content/
    return path


def for_file(file: Path) -> Choice:
    """A post named on the command line: its site (found above it) and the post."""
    start = file.resolve().parent
    root = start
    for parent in [start, *start.parents][:6]:
        if is_site_root(parent):
            root = parent
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
    return Choice(guide_dir(), None, "the bundled guide")

"""Finding the post files under a root: a folder of posts or a site root."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from reader.core.text import nfc

POST_SUFFIXES = (".md", ".markdown")
# Build output, dependencies and themes never hold the author's posts.
SKIPPED_DIRS = frozenset(
    {"_site", "public", "node_modules", "vendor", "themes", "theme", "_theme", "resources"}
)


class SiteKind(Enum):
    PLAIN = "plain"
    JEKYLL = "jekyll"
    HEXO = "hexo"
    HUGO = "hugo"


@dataclass(frozen=True)
class Layout:
    """Where the posts of a root live."""

    kind: SiteKind
    root: Path
    post_dirs: tuple[Path, ...]
    config_file: Path | None = None


@dataclass
class Found:
    """One candidate post file."""

    path: Path  # absolute, as on disk
    rel: str  # NFC, posix, relative to the root: the post's identity
    draft_dir: bool = False


@dataclass
class Scan:
    files: list[Found] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def detect_layout(root: Path) -> Layout:
    """Recognise a Jekyll, Hexo or Hugo site root; otherwise a plain folder."""
    if (root / "source" / "_posts").is_dir():
        config = root / "_config.yml"
        return Layout(
            SiteKind.HEXO,
            root,
            tuple(p for p in (root / "source" / "_posts", root / "source" / "_drafts") if p.is_dir()),
            config if config.is_file() else None,
        )
    if (root / "_posts").is_dir() or (root / "_config.yml").is_file():
        # Without `_posts/`, the posts are in the root itself (and `_drafts/` below it).
        dirs = (root / "_posts", root / "_drafts") if (root / "_posts").is_dir() else (root,)
        config = root / "_config.yml"
        return Layout(SiteKind.JEKYLL, root, tuple(p for p in dirs if p.is_dir()),
                      config if config.is_file() else None)
    hugo_config = next(
        (root / n for n in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml") if (root / n).is_file()),
        None,
    )
    if (root / "content").is_dir() and hugo_config is not None:
        return Layout(SiteKind.HUGO, root, (root / "content",), hugo_config)
    return Layout(SiteKind.PLAIN, root, (root,), None)


def _is_draft_dir(rel_parts: tuple[str, ...]) -> bool:
    return "_drafts" in rel_parts


def scan(layout: Layout) -> Scan:
    """List post files without following directory symlinks or leaving the root.

    Only regular files are returned (a FIFO would block a reader forever);
    a symlinked file is accepted only when it resolves inside the root.
    """
    result = Scan()
    root = layout.root
    real_root = os.path.realpath(root)
    seen: set[str] = set()
    for top in layout.post_dirs:
        for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
            # Prune in place: dot-folders, build output and themes.
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not d.startswith(".")
                and d not in SKIPPED_DIRS
                and not (layout.kind is not SiteKind.PLAIN and d.startswith("_") and d not in ("_posts", "_drafts"))
            )
            for name in sorted(filenames):
                if name.startswith(".") or not name.lower().endswith(POST_SUFFIXES):
                    continue
                path = Path(dirpath) / name
                rel = nfc(path.relative_to(root).as_posix())
                if rel in seen:
                    continue
                problem = _check_file(path, real_root)
                if problem:
                    result.warnings.append(f"{rel}: skipped: {problem}")
                    continue
                seen.add(rel)
                result.files.append(Found(path, rel, _is_draft_dir(Path(rel).parts)))
    return result


def _check_file(path: Path, real_root: str) -> str | None:
    try:
        st = os.lstat(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        if os.path.commonpath([target, real_root]) != real_root:
            return "symlink points outside the posts folder"
        try:
            st = os.stat(path)
        except OSError:
            return "dangling or looping symlink"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file"
    return None

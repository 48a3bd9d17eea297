"""Where the reader keeps its cache and settings; nothing is created at import."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP = "reader"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def default_index_dir(root: Path) -> Path:
    """One index per posts root, named by a hash of the root's real path."""
    env = os.environ.get("READER_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_dir() / "indexes" / f"{root.name or 'root'}-{digest}"


def make_private_dir(path: Path) -> None:
    """Create `path` (0700) and make sure an existing one is not open to others."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(0o700)

"""Where the reader keeps its cache and settings; nothing is created at import."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs

APP = "geulbat"  # the distribution name: "reader" on PyPI is a feed reader (lemon24/reader)


def write_atomic(path: Path, text: str | bytes, durable: bool = False) -> None:
    """Write `text` (or bytes) so that a reader of `path` sees the old file or the new one, never
    half: a temporary file beside it, then os.replace (removed on any failure). `durable`: synced
    to disk before the rename (the index manifest, which a crash must not lose)."""
    tmp = path.with_name(f"{path.name}.{os.urandom(16).hex()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def state_dir() -> Path:
    """What the reader remembers between runs (search history, reading places): rebuildable, private."""
    return Path(platformdirs.user_state_dir(APP, appauthor=False))


def default_index_dir(root: Path) -> Path:
    """One index per posts root, named by a hash of the root's real path."""
    env = os.environ.get("GEULBAT_INDEX_DIR")
    if env:
        return Path(env).expanduser()
    digest = hashlib.sha256(str(root.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_dir() / "indexes" / f"{root.name or 'root'}-{digest}"


def make_private_dirs(path: Path) -> None:
    """Create `path` and any missing parent, each 0700 (whatever the umask).

    Folders that already exist are left exactly as they are: we only ever
    set the mode of a folder we made.
    """
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made by another process meanwhile
        if os.name == "posix":
            folder.chmod(0o700)

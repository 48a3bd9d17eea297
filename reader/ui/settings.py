"""The user's settings file (TOML in the platformdirs config folder)."""

from __future__ import annotations

import errno
import os
import stat
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

from reader.paths import config_dir
from reader.posts.text import printable


def config_path() -> Path:
    env = os.environ.get("READER_CONFIG")
    return Path(env) if env else config_dir() / "config.toml"


@dataclass
class Settings:
    theme: str = "textual-dark"
    show_drafts: bool = False

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Settings, str | None]:
        """Settings and, if the file was unreadable, why (defaults are used then)."""
        path = path or config_path()
        try:
            data = tomllib.loads(_read_small(path).decode("utf-8"))
        except FileNotFoundError:
            return cls(), None
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            return cls(), printable(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}; using the defaults")
        theme = data.get("theme")
        drafts = data.get("show_drafts")
        return cls(
            theme if isinstance(theme, str) else cls.theme, drafts if isinstance(drafts, bool) else cls.show_drafts
        ), None

    def save(self, path: Path | None = None) -> None:
        """Write atomically (a temporary file renamed over the old one, removed on failure)."""
        path = path or config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
        theme = self.theme.replace("\\", "\\\\").replace('"', '\\"')
        tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            tmp.write_text(f'theme = "{theme}"\nshow_drafts = {str(self.show_drafts).lower()}\n', "utf-8")
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


MAX_CONFIG_BYTES = 64 * 1024


def _read_small(path: Path) -> bytes:
    """A config file's bytes: a regular file (a FIFO would hang us, /dev/zero never end), small."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if st.st_size > MAX_CONFIG_BYTES:
            raise OSError(errno.EFBIG, f"larger than {MAX_CONFIG_BYTES // 1024} KB")
        return os.read(fd, MAX_CONFIG_BYTES + 1)
    finally:
        os.close(fd)

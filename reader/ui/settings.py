"""The user's settings file (TOML in the platformdirs config folder)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from reader.paths import config_dir


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
            data = tomllib.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls(), None
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            return cls(), f"cannot read {path}: {exc}"
        theme = data.get("theme")
        drafts = data.get("show_drafts")
        return cls(
            theme if isinstance(theme, str) else cls.theme, drafts if isinstance(drafts, bool) else cls.show_drafts
        ), None

    def save(self, path: Path | None = None) -> None:
        path = path or config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        theme = self.theme.replace("\\", "\\\\").replace('"', '\\"')
        tmp = path.with_suffix(".tmp")
        tmp.write_text(f'theme = "{theme}"\nshow_drafts = {str(self.show_drafts).lower()}\n', "utf-8")
        os.replace(tmp, path)

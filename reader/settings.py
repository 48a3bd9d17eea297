"""The user's settings file (`config.toml` in the user config folder): read, checked, saved without loss.

Saving (the theme chosen in the app, drafts shown) changes those lines only;
comments, the `[keys]` table and anything else the user wrote stay as they
were. A value that is wrong is named in one line (file and key) and its
default is used; the file is never rewritten because of it. A file that cannot be read or
parsed at all is never written either: the app's changes stay unsaved until it is fixed.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from reader.paths import config_dir, write_atomic
from reader.posts.messages import at, joined, say
from reader.posts.text import printable

MAX_CONFIG_BYTES = 64 * 1024
UNSAVED = say("settings changed in the app will not be saved until it is fixed")
LANGUAGES = ("auto", "en", "ko")
SIDEBAR = ("auto", "shown", "hidden")
IMAGES = ("auto", "kitty", "sixel", "halfblock", "off")
CHOICES = {"language": LANGUAGES, "sidebar": SIDEBAR, "images": IMAGES}  # keys of a few values

TEMPLATE = """\
# reader settings. Every key is optional; delete a line to get the default back.

# The folder `reader` opens when none is named (else the current folder if it
# holds posts, else the bundled guide). A site root or a folder of posts.
# posts = "~/blog"

# The theme (Ctrl+P, "theme" lists them); the app saves your choice here.
theme = "textual-dark"

# Show drafts (`d` in the app).
show_drafts = false

# The interface language: "auto" (from LANG), "en" or "ko".
language = "auto"

# The sidebar: "auto" (shown from 120 columns), "shown" or "hidden" (Ctrl+B in the app saves it).
sidebar = "auto"

# The post pane alone, without the sidebar and the list (`z` in the app saves it).
maximized = false

# Images (Enter on an image link shows it): "auto" (what the terminal supports),
# "kitty", "sixel", "halfblock" (coloured half cells, any terminal) or "off".
images = "auto"

# Small previews of a post's local images in the post itself, under the paragraph
# holding them (drawn in half cells; off by default).
inline_images = false

# Keys: binding id = "keys" (comma-separated; `?` in the app says what each key does).
# The ids: help, quit, search, find, sidebar, maximize, widen-search, links, outline,
# connections, next-pane, previous-pane, next-match, previous-match, open-link,
# copy-link, edit, resync, drafts, sort, read, bookmark, math, back, forward, escape,
# to-results. A key the app cannot read is named (here too: `reader config`).
[keys]
# search = "slash,ctrl+f"
# quit = "q,ctrl+q"
"""


def config_path() -> Path:
    env = os.environ.get("GEULBAT_CONFIG")
    return Path(env).expanduser() if env else config_dir() / "config.toml"


class UnreadableConfig(OSError):
    """The config file is there but cannot be read or parsed: it is never written over."""


@dataclass
class Settings:
    theme: str = "textual-dark"
    show_drafts: bool = False
    posts: str | None = None
    language: str = "auto"
    sidebar: str = "auto"
    maximized: bool = False
    images: str = "auto"
    inline_images: bool = False
    keys: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> tuple[Settings, str | None]:
        """Settings and, if something was wrong, one line saying what (defaults used for it)."""
        path = path or config_path()
        try:
            source = _read_small(path)
        except FileNotFoundError:
            return cls(), None
        except OSError as exc:
            return cls(), _unreadable(path, exc.strerror or exc)
        try:
            data = _parse(source)
        except ValueError as exc:
            return cls(), _unreadable(path, exc)
        settings, problems = cls(), []
        types: dict[str, type] = {
            "theme": str,
            "show_drafts": bool,
            "posts": str,
            "language": str,
            "sidebar": str,
            "maximized": bool,
            "images": str,
            "inline_images": bool,
            "keys": dict,
        }
        for key, value in data.items():
            if key not in types:
                problems.append(say("unknown key {key}", key=repr(key)))
            elif not isinstance(value, types[key]):
                problems.append(
                    say("{key} should be a {kind}, not {value}", key=key, kind=types[key].__name__, value=repr(value))
                )
            elif key in CHOICES and value not in CHOICES[key]:
                choices = ", ".join(CHOICES[key])
                problems.append(
                    say("{key} should be one of {choices}, not {value}", key=key, choices=choices, value=repr(value))
                )
            elif key == "keys" and isinstance(value, dict):
                bad = [k for k, v in value.items() if not isinstance(v, str)]
                problems += [say("{key} should be a string of keys", key=f"keys.{k}") for k in bad]
                settings.keys = {k: v for k, v in value.items() if isinstance(v, str)}
            else:
                setattr(settings, key, value)
        if not problems:
            return settings, None
        return settings, printable(at(str(path), say("{message} (defaults used for those)", message=joined(problems))))

    def save(self, path: Path | None = None) -> None:
        """Write what the app changes (theme, drafts, sidebar, maximized), keeping every other line.

        A file that cannot be read or parsed is left as it is (UnreadableConfig): rewriting it
        would replace the user's settings with ours."""
        path = path or config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():
            raise IsADirectoryError(errno.EISDIR, "not a regular file", str(path))
        try:
            source = _read_small(path)
        except FileNotFoundError:
            text = TEMPLATE
        except OSError as exc:
            raise UnreadableConfig(errno.EINVAL, printable(_cannot_read(path, exc.strerror or exc, UNSAVED))) from None
        else:
            try:
                _parse(source)
            except ValueError as exc:
                raise UnreadableConfig(errno.EINVAL, printable(_cannot_read(path, exc, UNSAVED))) from None
            text = source.decode("utf-8")
        theme = self.theme.replace("\\", "\\\\").replace('"', '\\"')
        text = _set_top_level(text, "theme", f'"{theme}"')
        text = _set_top_level(text, "show_drafts", str(self.show_drafts).lower())
        text = _set_top_level(text, "sidebar", f'"{self.sidebar}"' if self.sidebar in SIDEBAR else '"auto"')
        text = _set_top_level(text, "maximized", str(self.maximized).lower())
        write_atomic(path, text)

    def describe(self) -> list[tuple[str, str]]:
        """The effective settings, for `reader config`."""
        return [(f.name, repr(getattr(self, f.name))) for f in fields(self)]


def _cannot_read(path: Path, error: object, consequence: str) -> str:
    return say("cannot read {path}: {error}; {message}", path=path, error=error, message=consequence)


def _unreadable(path: Path, error: object) -> str:
    """The one line for a config file that cannot be read or parsed at all: the defaults are used."""
    return printable(_cannot_read(path, error, say("using the defaults ({message})", message=UNSAVED)))


def _parse(source: bytes) -> dict[str, Any]:
    """The TOML in a config file's bytes; ValueError (the reason) if it is not UTF-8 TOML."""
    import tomllib  # here: most runs have no config file to parse

    try:
        return tomllib.loads(source.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


def _set_top_level(text: str, key: str, value: str) -> str:
    """`key = value` among the top-level lines (before the first [table]); added if missing."""
    lines = text.split("\n")
    first_table = next((i for i, line in enumerate(lines) if re.match(r"^\s*\[", line)), len(lines))
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for index in range(first_table):
        if pattern.match(lines[index]):
            lines[index] = f"{key} = {value}"
            return "\n".join(lines)
    insert_at = first_table
    while insert_at > 0 and not lines[insert_at - 1].strip():
        insert_at -= 1
    lines.insert(insert_at, f"{key} = {value}")
    return "\n".join(lines)


def _read_small(path: Path) -> bytes:
    """A config file's bytes: a regular file (a FIFO would hang us, /dev/zero never end), small."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, say("not a regular file"))
        if st.st_size > MAX_CONFIG_BYTES:
            raise OSError(errno.EFBIG, say("larger than {size} KB", size=MAX_CONFIG_BYTES // 1024))
        return os.read(fd, MAX_CONFIG_BYTES + 1)
    finally:
        os.close(fd)


def ensure_exists(path: Path) -> None:
    """Create the config file from the documented template, if there is none (for `config edit`)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEMPLATE, "utf-8")


def to_jsonable(settings: Settings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in fields(settings)}

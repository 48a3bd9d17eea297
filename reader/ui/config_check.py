"""The config file's theme and `[keys]` as Textual reads them: a theme it lacks, a key it cannot parse."""

from __future__ import annotations

from collections.abc import Iterable

from textual.keys import KEY_ALIASES, KEY_NAME_REPLACEMENTS, KEY_TO_UNICODE_NAME, Keys, key_to_character

from reader.posts.text import printable
from reader.settings import Settings

MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
DEFAULT_THEME = Settings().theme


def _named_keys() -> frozenset[str]:
    return frozenset(
        {k.value.rpartition("+")[2] for k in Keys}
        | set(KEY_NAME_REPLACEMENTS.values())
        | set(KEY_TO_UNICODE_NAME)
        | set(KEY_ALIASES)
    )


def key_problem(keys: str) -> str | None:
    """Why Textual cannot read `keys` ("slash,ctrl+f"), or None if every key in it is one it knows."""
    named = _named_keys()
    for key in (k.strip() for k in keys.split(",")):
        if len(key) == 1:
            continue  # any character typed
        *modifiers, name = key.split("+")
        bad_modifier = next((m for m in modifiers if m not in MODIFIERS), None)
        if not key or bad_modifier is not None or not name:
            return f"{key!r} is not a key"
        if len(name) != 1 and name not in named and key_to_character(name) is None:
            return f"{key!r} is not a key (names: ctrl+f, slash, f1, question_mark…)"
    return None


def check_theme_and_keys(settings: Settings, themes: Iterable[str]) -> tuple[str | None, dict[str, str], list[str]]:
    """The theme to show (None: the default), the keymap Textual can apply, and one line per value left out."""
    problems: list[str] = []
    theme: str | None = settings.theme
    if settings.theme not in set(themes):
        theme = None
        problems.append(f"theme {settings.theme!r}: no such theme; {DEFAULT_THEME} is used")
    keymap: dict[str, str] = {}
    for binding_id, keys in settings.keys.items():
        why = key_problem(keys)
        if why is None:
            keymap[binding_id] = keys
        else:
            problems.append(f"keys.{binding_id} = {keys!r}: {why}; its default key stays")
    return theme, keymap, [printable(p) for p in problems]


def builtin_themes() -> list[str]:
    """Textual's own themes (the app adds none), for `reader config`."""
    from textual.theme import BUILTIN_THEMES

    return list(BUILTIN_THEMES)

"""Running the user's editor on a post, with the app suspended."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual.app import App, SuspendNotSupported


def editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)


def edit_file(app: App[object], path: Path) -> str | None:
    """Open `path` in $VISUAL or $EDITOR; a one-line problem, or None."""
    try:
        command = editor_command()
    except ValueError as exc:
        return f"cannot read the editor setting: {exc}"
    try:
        with app.suspend():
            subprocess.call([*command, str(path)])
    except (OSError, SuspendNotSupported) as exc:
        return f"cannot run {' '.join(command)}: {exc or 'this terminal cannot be suspended'}"
    return None

"""Running the user's editor on a post, with the app suspended."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

from textual.app import App, SuspendNotSupported

# Editors that take `+LINE` before the file, and those that take `--goto FILE:LINE`.
PLUS_LINE = {
    "vi",
    "vim",
    "nvim",
    "view",
    "gvim",
    "nano",
    "pico",
    "emacs",
    "emacsclient",
    "micro",
    "kak",
    "joe",
    "jed",
    "mg",
    "ne",
    "mcedit",
    "gedit",
    # Debian's alternatives point at one of the above (nano or vim by default): they pass +LINE on.
    "editor",
    "sensible-editor",
}
GOTO = {"code", "code-insiders", "codium", "cursor", "windsurf"}
COLON_LINE = {"subl", "hx", "helix", "zed", "mate"}


def editor_command() -> list[str]:
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(editor)


def open_at(command: list[str], path: Path, line: int | None) -> list[str]:
    """The command line that opens `path` at `line` in the editor `command`, as that editor
    wants it (`+LINE`, `--goto FILE:LINE`, `FILE:LINE`); an editor we do not know gets the file only."""
    name = Path(command[0]).name if command else ""
    if line is None or line < 1:
        return [*command, str(path)]
    if name in PLUS_LINE:
        return [*command, f"+{line}", str(path)]
    if name in GOTO:
        return [*command, "--goto", f"{path}:{line}"]
    if name in COLON_LINE:
        return [*command, f"{path}:{line}"]
    return [*command, str(path)]


def edit_file(app: App[object], path: Path, line: int | None = None) -> str | None:
    """Open `path` in $VISUAL or $EDITOR, at `line` where the editor allows; a one-line problem, or None."""
    try:
        command = editor_command()
    except ValueError as exc:
        return f"cannot read the editor setting: {exc}"
    try:
        with app.suspend():
            subprocess.call(open_at(command, path, line))
    except (OSError, SuspendNotSupported) as exc:
        return f"cannot run {' '.join(command)}: {exc or 'this terminal cannot be suspended'}"
    return None

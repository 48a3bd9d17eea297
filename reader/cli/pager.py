"""The pager of `reader show`, as git's: `$PAGER` (default `less -FRX`) when stdout is a terminal
and the text is taller than it; never when piped or with `--no-pager`."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import threading

DEFAULT = "less -FRX"  # quit if it fits, colours through, no screen clearing on exit (git's LESS=FRX)


def pager_command() -> str | None:
    """The pager to run: `$PAGER`, else `less -FRX` when less is installed; None when paging is
    off (an empty PAGER or `cat`, as git reads them) or `$PAGER` cannot be found (said once)."""
    given = os.environ.get("PAGER")
    command = DEFAULT if given is None else given.strip()
    if not command or command == "cat":
        return None
    try:
        program = shlex.split(command)[0]
    except (ValueError, IndexError):  # shell syntax shlex cannot read: the shell will
        return command
    if shutil.which(program) is None:
        if given is not None:
            from reader.cli.i18n import t
            from reader.cli.output import warn

            warn(
                "reader: "
                + t("cannot run the pager {command} (PAGER); printing the post instead", command=repr(command))
            )
        return None
    return command


def show_paged(text: str, command: str) -> None:
    """`text` on stdout (a terminal): through `command` when it is taller than the screen."""
    if text.count("\n") < shutil.get_terminal_size().lines:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # PAGER=less: colours shown, not their codes (as git does)
    env.setdefault("LV", "-c")
    data = text.encode(sys.stdout.encoding or "utf-8", errors="replace")
    pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    # Ctrl-C in the pager is the pager's (less stops a search with it): this process waits for it
    # instead of dying under it and leaving it on the terminal.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        pager.communicate(data)  # a pager quit before the end (a closed pipe) is no error
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)

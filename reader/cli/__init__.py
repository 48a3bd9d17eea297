"""The `reader` command: the app by default (`reader [FOLDER | POST.md]`), and commands for scripts.

Kept small on purpose: a `reader search` that a running `reader serve` can answer imports
nothing but the client (sockets and JSON); everything else goes to `reader.cli.run`."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def version_line() -> str:
    from reader import __version__

    return f"reader {__version__} (geulbat)"  # `geulbat --version` says the same


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and sys.argv[1:] == ["--version"]:  # the parser and the commands: ~100 ms not needed
        print(version_line())
        return 0
    if argv is None and "search" in sys.argv[1:]:  # the console script; the server decides what it serves
        # A short process whose objects (its modules', the listing's) live until it ends: the
        # cyclic collector's passes over them were ~9 ms of a cold 10k-post search. Back on
        # before anything that may run long (an index to update; another command: see run).
        gc.disable()
        from reader.cli.client import ask, leave

        try:
            answered = ask(sys.argv[1:])
        except KeyboardInterrupt:  # Ctrl-C while the server searches: as the command's own
            leave(130)
        if answered is not None:
            leave(answered)
    from reader.cli.run import main as run

    return run(argv)

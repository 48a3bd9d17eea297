"""The reader's log file: tracebacks of unexpected errors go here, never to the terminal."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from reader.paths import cache_dir, make_private_dirs

LOGGER = logging.getLogger("reader")
_MAX_BYTES = 512 * 1024


def log_path() -> Path:
    return cache_dir() / "reader.log"


def _handler_ready() -> bool:
    if any(isinstance(h, logging.FileHandler) for h in LOGGER.handlers):
        return True
    path = log_path()
    try:
        make_private_dirs(path.parent)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=1, encoding="utf-8")
    except OSError:
        return False
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False  # never onto the terminal
    return True


def log_exception(what: str, exc: BaseException) -> str:
    """Write `exc` with its traceback to the log; return where to read it (for a one-line message)."""
    if not _handler_ready():
        return "no log file could be written"
    LOGGER.error("%s", what, exc_info=(type(exc), exc, exc.__traceback__))
    return f"details in {log_path()}"

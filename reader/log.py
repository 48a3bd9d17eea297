"""The reader's log file: tracebacks of unexpected errors go here, never to the terminal.

`logging` is imported when something is first written: a `reader search` writes nothing,
and logging with its file handlers (pickle, socket) was ~5% of that process's imports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reader.paths import cache_dir, make_private_dirs

if TYPE_CHECKING:
    import logging

_MAX_BYTES = 512 * 1024


def log_path() -> Path:
    return cache_dir() / "reader.log"


def _logger() -> logging.Logger | None:
    """The reader's logger writing to its file (made on first use), or None where no file can be written."""
    import logging
    import logging.handlers

    logger = logging.getLogger("reader")
    logger.propagate = False  # never onto the terminal, not even Python's last-resort stderr handler
    if any(isinstance(h, logging.FileHandler) for h in logger.handlers):
        return logger
    path = log_path()
    try:
        make_private_dirs(path.parent)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=_MAX_BYTES, backupCount=1, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return logger


def log_exception(what: str, exc: BaseException) -> str:
    """Write `exc` with its traceback to the log; return where to read it (for a one-line message)."""
    logger = _logger()
    if logger is None:
        return "no log file could be written"
    logger.error("%s", what, exc_info=(type(exc), exc, exc.__traceback__))
    return f"details in {log_path()}"


def log_warning(message: str) -> None:
    """Write a warning to the log file (nowhere when none can be written)."""
    logger = _logger()
    if logger is not None:
        logger.warning("%s", message)

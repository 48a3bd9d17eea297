"""Shared fixtures: paths to the bundled posts and a helper to write post trees."""

from __future__ import annotations

import os
import sys
from datetime import timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTS = ROOT / "posts"
CORPORA = ROOT.parent / "shared" / "corpora"


def _kst():
    from datetime import timedelta

    return timezone(timedelta(hours=9))


KST = _kst()


@pytest.fixture
def write_tree(tmp_path: Path):
    """Write {relative path: text or bytes} under a fresh folder; return it."""

    def write(files: dict[str, str | bytes], root: Path | None = None) -> Path:
        base = root or tmp_path / "site"
        for rel, content in files.items():
            path = base / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        base.mkdir(parents=True, exist_ok=True)
        return base

    return write


@pytest.fixture
def reader_cmd() -> list[str]:
    """The installed console script, as a user would run it."""
    script = Path(sys.executable).parent / ("reader.exe" if os.name == "nt" else "reader")
    assert script.exists(), "the reader console script is not installed (make test installs it)"
    return [str(script)]

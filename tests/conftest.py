"""Shared fixtures: paths to the bundled posts and a helper to write post trees."""

from __future__ import annotations

import gc
import os
import sys
import time
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path

import pytest

pytest_plugins = ["tests.app_fixtures"]

ROOT = Path(__file__).resolve().parent.parent
POSTS = ROOT / "posts"
CORPORA = ROOT.parent / "shared" / "corpora"


def _kst():
    from datetime import timedelta

    return timezone(timedelta(hours=9))


KST = _kst()


@pytest.fixture(autouse=True, scope="session")
def private_user_folders(tmp_path_factory):
    """The tests' config, cache and log go to a folder of their own, never the user's."""
    home = tmp_path_factory.mktemp("user")
    saved = {
        k: os.environ.get(k)
        for k in (
            "XDG_CACHE_HOME",
            "XDG_CONFIG_HOME",
            "XDG_DATA_HOME",
            "XDG_STATE_HOME",
            "GEULBAT_POSTS",
            "GEULBAT_CONFIG",
            "GEULBAT_INDEX_DIR",
            "GEULBAT_SERVER",
            "LANG",
            "LC_ALL",
            "LC_MESSAGES",
        )
    }
    os.environ.update(
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
    )
    for key in ("GEULBAT_POSTS", "GEULBAT_CONFIG", "GEULBAT_INDEX_DIR"):
        os.environ.pop(key, None)
    os.environ["GEULBAT_SERVER"] = "off"  # a `reader serve` the user runs never answers the tests' searches
    # The app and the CLI speak the locale's language: the tests' words are English unless a test
    # asks for Korean (reader.language), whatever the locale of whoever runs them.
    os.environ.pop("LC_ALL", None)
    os.environ.pop("LC_MESSAGES", None)
    os.environ["LANG"] = "C.UTF-8"
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(autouse=True)
def collector_given_back():
    """What an app froze out of the cyclic collector's reach (its posts read) is given back after
    each test: a process that runs many apps would otherwise keep every one of them."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def private_state(tmp_path_factory, monkeypatch):
    """What the app remembers between runs (reading places, search history) is each test's own:
    a place saved by one test must not move the post another test opens."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


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


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(monkeypatch, capsys):
    """`reader ARGS…` run in this process (the console script's own `main`), as fast as a call.

    A few tests still run the installed script in a subprocess, for what only a real
    process shows (a closed pipe, the console encoding, `python -m reader`, a pty).
    """
    from reader.cli.run import main

    def run(*args: str, env: dict[str, str] | None = None) -> CliResult:
        monkeypatch.setenv("TZ", "Asia/Seoul")
        time.tzset()
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's usage errors
            code = exc.code if isinstance(exc.code, int) else 2
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    yield run
    time.tzset()

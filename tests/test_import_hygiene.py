"""The layers hold: import-linter's contracts, and a fresh interpreter that loads the core and the CLI."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import reader.posts
import reader.search
from tests.conftest import ROOT


def headless_modules() -> list[str]:
    out = ["reader.library", "reader.paths", "reader.log", "reader.state", "reader.reading", "reader.cli"]
    for package in (reader.posts, reader.search):
        out += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    return out


def test_the_core_has_its_two_pipelines():
    modules = headless_modules()
    assert "reader.posts.document" in modules and "reader.search.searcher" in modules


def test_core_and_cli_import_neither_textual_nor_rich():
    code = (
        "import sys\n"
        f"for name in {headless_modules()!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_import_linter_contracts_are_kept():
    """Layers (cli > ui > library > search > posts), Whoosh only in search, no Markdown parsing
    in the UI, no cycles in the UI: the contracts are in pyproject.toml."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") >= 6

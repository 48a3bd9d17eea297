"""The core must never import Textual or Rich: checked in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import reader.core


def core_modules() -> list[str]:
    return [f"reader.core.{m.name}" for m in pkgutil.iter_modules(reader.core.__path__)]


def test_core_has_modules():
    assert "reader.core.library" in core_modules()


def test_core_and_cli_import_neither_textual_nor_rich():
    modules = [*core_modules(), "reader.cli"]
    code = (
        "import sys\n"
        f"for name in {modules!r}:\n"
        "    __import__(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""

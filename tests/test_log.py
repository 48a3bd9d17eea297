"""The log file: written when something goes wrong, never onto the terminal."""

from __future__ import annotations

import os
import subprocess
import sys

_CODE = """
import sys
from reader.log import log_exception, log_warning
assert 'logging' not in sys.modules  # imported when something is first written
log_warning('reading in processes failed (test); reading on threads')
try:
    raise ValueError('boom')
except ValueError as exc:
    print(log_exception('while testing', exc))
"""


def test_warnings_and_errors_go_to_the_log_file_and_never_to_the_terminal(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", _CODE], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not even Python's last-resort handler, which prints warnings to stderr
    [log] = (tmp_path / "cache").rglob("reader.log")
    assert done.stdout.strip() == f"details in {log}"
    text = log.read_text(encoding="utf-8")
    assert "WARNING reading in processes failed (test); reading on threads" in text
    assert "ERROR while testing" in text and "ValueError: boom" in text

"""The installed `reader` command in a real pseudo-terminal, read back through pyte."""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pyte
import pytest

from tests.conftest import POSTS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
COLS, ROWS = 140, 40


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the reader
            os.execve(argv[0], argv, env)
        import fcntl
        import struct
        import termios

        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))

    def pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    return
                if not data:
                    return
                self.stream.feed(data)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump(0.2)
            if needle in self.text():
                return self.text()
        raise AssertionError(f"{needle!r} never appeared; screen:\n{self.text()}")

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))
        self.pump(0.3)

    def exited_within(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.pump(0.1)
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.pid = 0
                return True
        return False

    def close(self) -> None:
        os.close(self.fd)
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)


def test_reader_in_a_real_terminal(reader_cmd, tmp_path):
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLS),
        "LINES": str(ROWS),
        "READER_INDEX_DIR": str(tmp_path / "index"),
        "READER_CONFIG": str(tmp_path / "config.toml"),
        "TZ": "Asia/Seoul",
        # `e` runs the editor inside App.suspend(); this one notes which file it was given.
        "VISUAL": f"sh -c 'echo \"$0\" > {tmp_path}/edited'",
    }
    env.pop("TEXTUAL", None)
    term = Terminal([*reader_cmd, "--posts", str(Path(POSTS))], env)
    try:
        screen = term.wait_for("reader에 오신 것을 환영합니다")
        assert "All posts" in screen
        term.wait_for("index ready")
        term.type("/")
        term.type("머신러닝")
        screen = term.wait_for("머신러닝 입문 노트")
        assert "posts match" in term.wait_for("posts match")
        term.type("\r")
        screen = term.wait_for("scikit-learn")  # the hit's header shows its tags
        term.type("e")
        deadline = time.monotonic() + 20
        while not (tmp_path / "edited").exists() and time.monotonic() < deadline:
            term.pump(0.2)
        assert (tmp_path / "edited").read_text().strip().endswith("2025-11-20-머신러닝-입문.md")
        term.wait_for("scikit-learn")  # back in the reader after the editor
        term.type("l")
        screen = term.wait_for("links (")
        assert "자연어 처리 노트" in screen  # the post link shows the target's title
        term.type("q")
        assert term.exited_within(10), "q did not quit the reader"
    finally:
        term.close()

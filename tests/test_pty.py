"""The installed `reader` command in a real pseudo-terminal, read back through pyte."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pyte
import pytest

from tests.conftest import POSTS
from tests.hostile import write_hostile_names

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
COLS, ROWS = 140, 40


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str], cols: int = COLS, rows: int = ROWS) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()  # every byte the reader wrote
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: size its terminal first (no race with the reader's start), then become it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            # COLUMNS/LINES win over the terminal's size in Textual; the runner's may be 80x24.
            os.execve(argv[0], argv, {**env, "COLUMNS": str(cols), "LINES": str(rows)})

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
                self.raw.extend(data)
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
                self.drain()
                return True
        return False

    def drain(self) -> None:
        """Read what an exited command left in the terminal, up to its end: it may have written
        its last lines after the pump's last read and before it was seen to exit."""
        while select.select([self.fd], [], [], 5)[0]:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # EIO: the command's side is closed and nothing is left
                return
            if not data:
                return
            self.raw.extend(data)
            self.stream.feed(data)

    def close(self) -> None:
        os.close(self.fd)
        if not self.pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)


def test_the_terminal_keeps_what_a_command_wrote_just_before_it_exited():
    """The race behind a CI failure: the command writes its last line and exits after the
    pump's last read; `exited_within` must still show that line."""

    class Late(Terminal):
        told = False

        def pump(self, seconds: float) -> None:
            super().pump(seconds)
            if not self.told:  # now, between this read and the check for an exit: write, then exit
                self.told = True
                os.write(self.fd, b"go\n")
                os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOWAIT)

    term = Late(["/bin/sh", "-c", "read answer; echo the-last-line"], dict(os.environ), cols=40, rows=5)
    try:
        assert term.exited_within(10)
    finally:
        term.close()
    assert "the-last-line" in term.text()


def test_reader_in_a_real_terminal(reader_cmd, tmp_path):
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": str(COLS),
        "LINES": str(ROWS),
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
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


def test_hostile_names_and_links_never_reach_the_terminal_raw(reader_cmd, tmp_path):
    """File names and links built to set the title, clear the screen and fill the clipboard:
    the list, the header, the post and the open link panel show them made visible, and the
    bytes the reader writes hold no OSC but Textual's own pointer-shape one and no C1 control."""
    root = write_hostile_names(tmp_path / "blog")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
    }
    term = Terminal([*reader_cmd, "--posts", str(root)], env)
    try:
        term.wait_for("index ready")
        screen = term.wait_for("\ufffd]0;PWNED\ufffdname\ufffd[2J")  # the title from the name, in the list
        term.type("G")
        term.wait_for("clip[1]")
        term.type("l")
        screen = term.wait_for("links (6)")
        assert "\ufffd]52;c;UEFZTE9BRA==\ufffd" in screen and "␊--flag" in screen and "evil\ufffdgpj.exe" in screen
        term.type("q")
        assert term.exited_within(10)
    finally:
        term.close()
    oscs = set(re.findall(rb"\x1b\](\d+);", bytes(term.raw)))
    assert oscs <= {b"22"}, oscs  # 22: Textual's pointer shape; never 0/2 (title), 8 (link), 52 (clipboard)
    for control in ("\x9b", "\x9d", "\x90", "\x9c"):
        assert control.encode() not in term.raw
    assert b"PAYLOAD" not in term.raw and b"UEFZTE9BRA==\x1b" not in term.raw


def test_a_long_cli_read_shows_its_progress_on_a_terminal(reader_cmd, tmp_path):
    root = tmp_path / "blog"
    root.mkdir()
    for n in range(1200):  # a big folder: a small one reads too fast to need a bar
        (root / f"p{n}.md").write_text(f"---\ntitle: 글 {n}\n---\n본문\n", encoding="utf-8")
    term = Terminal([*reader_cmd, "posts", "--posts", str(root)], {**os.environ, "TERM": "xterm-256color"})
    try:
        assert term.exited_within(60)
    finally:
        term.close()
    assert b"reading [" in term.raw and b"1200/1200" in term.raw


def test_a_korean_locale_shows_the_interface_in_korean(reader_cmd, tmp_path):
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "LANG": "ko_KR.UTF-8",
        "LC_ALL": "",
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
    }
    term = Terminal([*reader_cmd, str(POSTS)], env)
    try:
        screen = term.wait_for("색인 준비됨")
        assert "모든 글" in screen and "도움말" in screen and "끝내기" in screen
        term.type("?")
        screen = term.wait_for("reader — 키")
        assert "어디서나" in screen and "다음 일치" in screen and "링크 복사" in screen
        term.type("\x1b")
        term.type("q")
        assert term.exited_within(10)
    finally:
        term.close()


@pytest.mark.parametrize("cols,rows", [(80, 24), (60, 20)])
def test_a_small_terminal_shows_the_post_body(reader_cmd, tmp_path, cols, rows):
    """Narrow terminals show one pane: the list, then Enter gives the post the whole screen."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    env.pop("TEXTUAL", None)
    term = Terminal([*reader_cmd, "--posts", str(Path(POSTS))], env, cols, rows)
    try:
        term.wait_for("All posts")
        term.wait_for("index ready")
        term.type("\r")  # the first row: the welcome post
        screen = term.wait_for("마크다운으로")
        inside = [line for line in screen.splitlines() if line.startswith("│")]
        rule = next(line for line in inside if "────" in line)
        body = inside[inside.index(rule) + 1 :]
        # The text gets the rows: only the border, the one-line header, the status and the
        # keys are chrome (18 body lines at 80x24).
        assert len(body) >= rows - 6, screen
        assert len(rule) == cols  # the post has the whole width
        assert "All posts" not in screen  # the post alone
        term.type("\x1b")
        term.wait_for("All posts")
        term.type("q")
        assert term.exited_within(10), "q did not quit the reader"
    finally:
        term.close()


EMBEDDING = {
    "_posts/2019-09-12-embedding.md": "---\ntitle: 한국어 임베딩\n---\n"
    "우선 대규모 말뭉치를 학습시켜 임베딩을 미리 만들어 놓습니다.\n",
    "_posts/2017-08-16-deep.md": "---\ntitle: 딥러닝 기반 자연어처리\n---\n단어 임베딩은 문맥 유사도를 잡아냅니다.\n",
}


@pytest.mark.parametrize("cols", [80, 150])
def test_search_on_a_terminal_shows_each_hits_title_over_its_snippet(reader_cmd, tmp_path, cols):
    root = tmp_path / "blog"
    for rel, text in EMBEDDING.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    env = {**os.environ, "TERM": "xterm-256color", "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    args = [*reader_cmd, "--posts", str(root), "search", "임베딩을", "--limit", "2"]
    term = Terminal(args, env, cols)
    try:
        assert term.exited_within(60)
    finally:
        term.close()
    lines = [line.rstrip() for line in term.text().splitlines()]
    assert "␊" not in term.raw.decode("utf-8")  # no line break drawn as a character
    first = next(n for n, line in enumerate(lines) if line.startswith("1  한국어 임베딩"))
    assert "2019-09-12" in lines[first]
    assert "대규모 말뭉치를 학습시켜" in lines[first + 1]  # the snippet, on the line below
    second = next(n for n, line in enumerate(lines) if line.startswith("2  딥러닝 기반 자연어처리"))
    assert "임베딩은 문맥" in lines[second + 1]
    piped = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
    rows = [line.split("\t") for line in piped.stdout.splitlines()]  # one hit a line, as before
    assert [row[:3] for row in rows] == [
        ["1", "2019-09-12", "_posts/2019-09-12-embedding.md"],
        ["2", "2017-08-16", "_posts/2017-08-16-deep.md"],
    ]
    assert rows[0][3] == "한국어 임베딩" and "말뭉치를 학습시켜 [임베딩을] 미리" in rows[0][4]  # the title as written

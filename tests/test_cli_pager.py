"""`reader show` pages a post taller than the terminal, as git does: `$PAGER` (default
`less -FRX`), never when piped or with --no-pager; what reaches the pager is the rendered post,
whose own control characters never pass."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile import HOSTILE_LINKS
from tests.test_pty import Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

COLS, ROWS = 80, 24
LAST = "마지막 문단입니다"
# Everything but a line feed that a terminal (or a pager passing colours through) could act on.
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # the colours Rich writes: all the escapes the pager may get


def write_site(root: Path) -> Path:
    root.mkdir(parents=True)
    hostile = "지우기\x1b[2J 제목\x1b]0;PWNED\x07 종\x07 C1\u009b2J 뒤집기\u202e 끝 \x0e"
    paragraphs = "".join(
        f"{n}번째 문단에 \x1b[31m빨강\x1b[0m 과 \x1b]52;c;ZXZpbA==\x07 클립보드.\n\n" for n in range(40)
    )
    (root / "long.md").write_text(
        f"---\ntitle: '{hostile}'\ntags: ['\x1b[5m깜빡']\n---\n{hostile}\n\n{paragraphs}"
        + HOSTILE_LINKS.split("---\n", 2)[2]
        + f"\n{LAST}\n",
        encoding="utf-8",
    )
    (root / "short.md").write_text("---\ntitle: 짧은 글\n---\n한 문단뿐인 글.\n", encoding="utf-8")
    return root


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
        **extra,
    }
    for name in ("PAGER", "LESS", "NO_COLOR"):
        if name not in extra:
            env.pop(name, None)
    return env


def exit_code(term: Terminal, seconds: float) -> int:
    """The command's exit code once it has ended (its output read to the end)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        term.pump(0.1)
        pid, status = os.waitpid(term.pid, os.WNOHANG)
        if pid:
            term.pid = 0
            term.drain()
            return os.waitstatus_to_exitcode(status)
    raise AssertionError(f"still running after {seconds} s; screen:\n{term.text()}")


def show(tmp_path: Path, reader_cmd: list[str], post: str, env: dict[str, str], *flags: str) -> tuple[int, str]:
    """`reader show POST` on an 80x24 terminal: its exit code, and all it wrote there (decoded)."""
    root = write_site(tmp_path / "blog")
    term = Terminal([*reader_cmd, "show", "--posts", str(root), post, *flags], env, COLS, ROWS)
    try:
        code = exit_code(term, 60)
    finally:
        term.close()
    return code, term.raw.decode("utf-8", "replace")


def test_a_post_taller_than_the_terminal_goes_through_the_pager_without_its_controls(reader_cmd, tmp_path):
    """Before, the post scrolled past on the terminal. Now the pager gets it: Rich's colours
    and nothing the post itself holds (ESC, BEL, C1, bidi controls), and LESS=FRX as git sets it."""
    paged = tmp_path / "paged"
    pager = f'printf %s "$LESS" > {tmp_path}/less; cat > {paged}'
    code, written = show(tmp_path, reader_cmd, "long.md", environment(tmp_path, PAGER=pager))
    assert code == 0
    text = paged.read_bytes().decode("utf-8")
    assert LAST in text and "39번째 문단에" in text and "PWNED" in text  # the whole post
    assert "문단에" not in written  # the pager had it, not the terminal
    assert SGR.search(text)  # in colour, as on the terminal
    assert not CONTROLS.search(SGR.sub("", text)), repr(CONTROLS.search(SGR.sub("", text)))
    assert (tmp_path / "less").read_text() == "FRX"


def test_less_pages_the_post_and_ctrl_c_leaves_it_to_less(reader_cmd, tmp_path):
    """The default pager, less -FRX, on a real terminal: the first screen and its prompt, colours
    drawn (not `ESC[`), Ctrl-C taken by less (the reader waits), q ends both with exit 0."""
    if shutil.which("less") is None:
        pytest.skip("no less here")
    root = write_site(tmp_path / "blog")
    term = Terminal([*reader_cmd, "show", "--posts", str(root), "long.md"], environment(tmp_path), COLS, ROWS)
    try:
        term.wait_for("0번째 문단에")
        deadline = time.monotonic() + 30
        while term.screen.display[-1].strip() != ":" and time.monotonic() < deadline:
            term.pump(0.1)
        assert term.screen.display[-1].strip() == ":", term.text()  # less's prompt: it waits for keys
        assert "ESC[" not in term.text() and LAST not in term.text()
        term.type("\x03")
        term.type("G")
        term.wait_for(LAST)  # less, still there after Ctrl-C, went to the end
        term.type("q")
        assert exit_code(term, 30) == 0  # not 130: the reader waited for less
    finally:
        term.close()


@pytest.mark.parametrize(
    ("post", "flags", "pager"),
    [
        ("short.md", [], "CAPTURE"),  # fits the screen: printed, as less -F would
        ("long.md", ["--no-pager"], "CAPTURE"),
        ("long.md", [], ""),  # an empty PAGER or `cat` turns paging off, as in git
        ("long.md", [], "cat"),
    ],
)
def test_no_pager_when_the_post_fits_or_paging_is_off(reader_cmd, tmp_path, post, flags, pager):
    paged = tmp_path / "paged"
    env = environment(tmp_path, PAGER=f"cat > {paged}" if pager == "CAPTURE" else pager)
    code, written = show(tmp_path, reader_cmd, post, env, *flags)
    assert code == 0 and not paged.exists()
    assert ("한 문단뿐인 글." if post == "short.md" else LAST) in written


def test_piped_show_never_pages(reader_cmd, tmp_path):
    root = write_site(tmp_path / "blog")
    paged = tmp_path / "paged"
    env = environment(tmp_path, PAGER=f"cat > {paged}")
    done = subprocess.run(
        [*reader_cmd, "show", "--posts", str(root), "long.md"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert not paged.exists() and LAST in done.stdout and "0번째 문단에" in done.stdout
    assert not CONTROLS.search(done.stdout)  # piped: plain text, no escape at all


def test_a_pager_that_cannot_run_is_said_and_the_post_printed(reader_cmd, tmp_path):
    code, written = show(tmp_path, reader_cmd, "long.md", environment(tmp_path, PAGER="no-such-pager-here -R"))
    assert code == 0 and LAST in written
    assert "reader: cannot run the pager 'no-such-pager-here -R' (PAGER)" in written

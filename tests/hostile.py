"""A hostile corpus: every kind of bad input a posts folder can hold, written by tests.

`write_hostile(root)` returns the posts that must load (by path) and the
files that must be reported (path -> a fragment of the expected warning).
"""

from __future__ import annotations

import codecs
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

HUGE_MB = 50


@dataclass
class Hostile:
    root: Path
    loads: set[str] = field(default_factory=set)  # posts that must be listed
    warned: dict[str, str] = field(default_factory=dict)  # path -> warning fragment
    skipped: set[str] = field(default_factory=set)  # files that must not be listed


def write_hostile(root: Path, huge: bool = True) -> Hostile:
    root.mkdir(parents=True, exist_ok=True)
    h = Hostile(root)

    def post(name: str, data: str | bytes, warning: str | None = None) -> None:
        path = root / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        h.loads.add(unicodedata.normalize("NFC", name))
        if warning:
            h.warned[unicodedata.normalize("NFC", name)] = warning

    post("good.md", "---\ntitle: 멀쩡한 글\ndate: 2020-01-01\n---\n본문 정상어휘\n")
    post("colon.md", "---\ntitle: Python: 시작하기\n---\nbody\n", "invalid YAML")
    post("tab.md", "---\ntitle: 탭\ntags:\n\t- a\n---\nbody\n", "invalid YAML")
    post("bracket.md", "---\ntitle: 괄호\ntags: [a, b\n---\nbody\n", "invalid YAML")
    post("quote.md", '---\ntitle: "열린 따옴표\n---\nbody\n', "invalid YAML")
    post(
        "bomb.md",
        "---\ntitle: 폭탄\na: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
        + "---\nbody\n",
        "alias",
    )
    post("list.md", "---\n- a\n- b\n---\n# 목록\n", "not a mapping")
    post("unclosed.md", "---\ntitle: 열린 머리말\n\n본문\n", "never closed")
    post("deep-yaml.md", "---\ntitle: 깊은\nx: " + "[" * 10_000 + "]" * 10_000 + "\n---\nbody\n", "invalid YAML")
    post("deep-list.md", "---\ntitle: 깊은 목록\n---\n" + "".join("  " * i + "- 항목\n" for i in range(10_000)))
    post("bom.md", codecs.BOM_UTF8 + "---\ntitle: BOM 글\n---\n본문\n".encode())
    post("crlf.md", "---\r\ntitle: CRLF 글\r\n---\r\n본문\r\n")
    post("cr.md", "---\rtitle: CR 글\r---\r본문\r")
    post("cp949.md", "---\ntitle: 한국어 CP949\n---\n본문\n".encode("cp949"), "cp949")
    post("utf16.md", "---\ntitle: UTF-16 글\n---\n본문\n".encode("utf-16"))
    post("nul-in-text.md", "---\ntitle: 널\n---\n앞\x00뒤\n".encode() + b"x" * 10_000)  # NUL: binary
    h.loads.discard("nul-in-text.md")
    h.skipped.add("nul-in-text.md")
    post("escape.md", "---\ntitle: \x1b[2J 지우기\n---\n\x1b]52;c;ZXZpbA==\x07 본문\n", "control characters")
    post("markup.md", '---\ntitle: "[/Python] [@click=app.quit]"\n---\nbody\n')
    post(unicodedata.normalize("NFD", "한글이름.md"), "---\ntitle: NFD 이름\n---\n본문\n")
    (root / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    h.skipped.add("binary.md")
    if huge:
        line = ("거대한 글의 한 줄입니다 huge post line. " * 4 + "\n").encode()
        with open(root / "huge.md", "wb") as handle:
            handle.write("---\ntitle: 50MB 글\n---\n".encode())
            for _ in range(HUGE_MB * 1024 * 1024 // len(line)):
                handle.write(line)
        h.loads.add("huge.md")
        h.warned["huge.md"] = "MiB"
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "fifo.md")
        h.skipped.add("fifo.md")
    os.symlink(root / "missing.md", root / "dangling.md")
    os.symlink("loop-b.md", root / "loop-a.md")
    os.symlink("loop-a.md", root / "loop-b.md")
    os.symlink("/etc/passwd", root / "outside.md")
    h.skipped.update({"dangling.md", "loop-a.md", "loop-b.md", "outside.md"})
    (root / "unreadable.md").write_text("---\ntitle: 못 읽음\n---\n", encoding="utf-8")
    (root / "unreadable.md").chmod(0)
    return h


# --- names and links that try to write to the terminal ----------------------------------

ESCAPE_NAME = "\x1b]0;PWNED\x07name\x1b[2J.md"  # a title-setting OSC and a clear-screen CSI in a file name
ESCAPE_DIR = "\x1b[31mred\x1b[0m"
CLIPBOARD = "%1B%5D52%3Bc%3BUEFZTE9BRA%3D%3D%1B%5C"  # OSC 52: put "PAYLOAD" in the clipboard
HOSTILE_LINKS = (
    "---\ntitle: 링크로 공격\ndate: 2020-01-01\n---\n"
    f"[clip]({CLIPBOARD}.md) [cls](%1B%5B2J.md) [title](#%1B%5D0%3Bx%07)\n\n"
    '<a href="https://x.org/&#10;--flag">줄바꿈</a> [evil&#8238;gpj.exe](https://x.org/%E2%80%AE)\n\n'
    "[c1](https://x.org/%C2%9B2J) 본문 공격어휘\n"
)
# Bytes a terminal acts on: ESC, BEL, and the 8-bit C1 forms of CSI, OSC, DCS and ST.
TERMINAL_CONTROLS = (b"\x1b", b"\x07", "\x9b".encode(), "\x9d".encode(), "\x90".encode(), "\x9c".encode())


def write_hostile_names(root: Path) -> Path:
    """A folder whose file and folder names and links carry terminal escape sequences."""
    root.mkdir(parents=True, exist_ok=True)
    (root / ESCAPE_NAME).write_text("본문만 있고 머리말은 없다. 공격어휘\n", encoding="utf-8")
    (root / ESCAPE_DIR).mkdir()
    (root / ESCAPE_DIR / "inner.md").write_text(
        "---\ntitle: 안쪽 글\ndate: 2020-01-02\n---\n공격어휘\n", encoding="utf-8"
    )
    (root / "links.md").write_text(HOSTILE_LINKS, encoding="utf-8")
    (root / "broken\x1b[5m.md").write_text("---\ntitle: [깨진\n---\n공격어휘\n", encoding="utf-8")
    return root

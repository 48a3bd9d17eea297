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

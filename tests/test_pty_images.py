"""Images in a real pseudo-terminal: a remote image, or any image with images off, draws no graphics."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTS
from tests.test_pty import Terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
POST = "---\ntitle: 그림 글\ndate: 2026-01-01\n---\n본문 앞\n\n![원격 그림](https://i.example.org/a.png)\n\n![로고](images/reader-logo.png)\n"
KITTY_APC = re.compile(rb"\x1b_G([^;\x1b]*)")  # the Kitty graphics protocol: ESC _ G <control data>
SIXEL_DCS = re.compile(rb"\x1bP[0-9;]*q")  # a Sixel image: ESC P <params> q


def run(reader_cmd: list[str], tmp_path: Path, images: str, keys: list[tuple[str, str]]) -> bytes:
    root = tmp_path / "blog"
    (root / "images").mkdir(parents=True)
    shutil.copy(Path(POSTS) / "images" / "reader-logo.png", root / "images")
    (root / "post.md").write_text(POST, encoding="utf-8")
    (tmp_path / "config.toml").write_text(f'images = "{images}"\n', encoding="utf-8")
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
        "BROWSER": "true",  # a remote image opens "in the browser": a command that does nothing
    }
    term = Terminal([*reader_cmd, "--posts", str(root)], env)
    try:
        term.wait_for("index ready")
        term.wait_for("원격 그림")  # the placeholder in the post
        for key, expect in keys:
            term.type(key)
            term.wait_for(expect)
        term.type("q")
        assert term.exited_within(10)
    finally:
        term.close()
    return bytes(term.raw)


def test_no_graphics_for_a_remote_image_nor_with_images_off(reader_cmd, tmp_path):
    # A remote image, with images on: opened as a URL, never drawn. textual-image's start-up
    # question to the terminal (a one-pixel Kitty query, `a=q`) is all that may be seen.
    raw = run(reader_cmd, tmp_path / "on", "auto", [("l", "links (2)"), ("1", "go to 1"), ("\r", "opened https://")])
    assert all(b"a=q" in control.split(b",") for control in KITTY_APC.findall(raw)), KITTY_APC.findall(raw)
    assert not SIXEL_DCS.search(raw)
    assert b"a=T" not in raw and b"a=t" not in raw and b"a=p" not in raw

    # Images off: not even the question, for the remote image nor for the local one.
    raw = run(reader_cmd, tmp_path / "off", "off", [("l", "links (2)"), ("2", "go to 2"), ("\r", "images are off")])
    assert not KITTY_APC.search(raw) and not SIXEL_DCS.search(raw)

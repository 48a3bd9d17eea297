"""The warnings `reader` gives about a post's odd bytes say what was found: a real process."""

from __future__ import annotations

import json
import os
import subprocess

TEXT = "글 한 편을 이루는 평범한 문장이 여기 있습니다. " * 8  # a few controls in text, not a binary file


def test_a_control_character_is_named_in_its_warning(reader_cmd, write_tree, tmp_path):
    site = write_tree(
        {
            "backspace.md": f"---\ntitle: 지우개\n---\n수식 \x08eta 와 \x08egin 과 \x08ar.\n{TEXT}\n",
            "escape.md": f"---\ntitle: 색\n---\n\x1b[31m빨강\x1b[0m 과 종\x07.\n{TEXT}\n",
            "formfeed.md": f"---\ntitle: 쪽\n---\n한 쪽\x0c 다음 쪽.\n{TEXT}\n",
            "many.md": f"---\ntitle: 여럿\n---\n\x01\x02\x03\x04\x05 끝.\n{TEXT}\n",
            "plain.md": f"---\ntitle: 보통\n---\n{TEXT}\n",
        }
    )
    env = {
        **os.environ,
        "GEULBAT_POSTS": str(site),
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "GEULBAT_SERVER": "off",
    }
    done = subprocess.run([*reader_cmd, "index", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    warnings = sorted(json.loads(done.stdout)["warnings"])
    assert warnings == [
        "backspace.md: 3 control characters (backspace U+0008) replaced with \ufffd",
        "escape.md: 3 control characters (ESC U+001B, bell U+0007) replaced with \ufffd",
        "formfeed.md: 1 control character (form feed U+000C) replaced with \ufffd",
        "many.md: 5 control characters (U+0001, U+0002, U+0003, U+0004, …) replaced with \ufffd",
    ]


def test_an_index_folder_shared_by_two_blogs_says_once_that_it_is_rebuilt(cli, write_tree, tmp_path):
    """GEULBAT_INDEX_DIR names one folder for every blog: a search in the other blog rebuilds
    it, and said so twice (the listing read from the index looked, then the sync looked again)."""
    first = write_tree({"a.md": "---\ntitle: 첫 블로그\n---\n임베딩 이야기.\n"}, tmp_path / "first")
    second = write_tree({"b.md": "---\ntitle: 둘째 블로그\n---\n임베딩 정리.\n"}, tmp_path / "second")
    env = {"GEULBAT_INDEX_DIR": str(tmp_path / "index"), "GEULBAT_SERVER": "off"}
    assert cli("--posts", str(first), "search", "임베딩", env=env).returncode == 0
    said = cli("--posts", str(second), "search", "임베딩", env=env)
    assert said.returncode == 0 and said.stdout.startswith("1\t"), said
    rebuilt = "reader: the index belongs to another posts folder; rebuilding it for this one\n"
    assert said.stderr.count(rebuilt) == 1, said.stderr

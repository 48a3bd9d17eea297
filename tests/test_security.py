"""Nothing from a post or a file name writes to the terminal; the index folder option takes over nothing."""

from __future__ import annotations

import json
import os
import stat
import subprocess

import pytest

from reader.posts.text import printable
from tests.hostile import ESCAPE_NAME, TERMINAL_CONTROLS, write_hostile_names


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    return write_hostile_names(tmp_path_factory.mktemp("names") / "blog")


def test_printable_makes_every_control_visible():
    assert printable("a\x1b]0;x\x07b\x9b2J\u202ec\nd\te") == "a␛]0;x␇b<U+009B>2J<U+202E>c␊d␉e"
    assert printable("한국어 제목 [/bold]") == "한국어 제목 [/bold]"


# --- the real command's bytes -----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["posts"],
        ["posts", "--json"],
        ["links", "links.md"],
        ["links", "links.md", "--json"],
        ["search", "공격어휘"],
        ["search", "공격어휘", "--json"],
        ["index"],
    ],
)
def test_no_terminal_control_reaches_the_output(reader_cmd, names, tmp_path, args):
    env = {**os.environ, "GEULBAT_POSTS": str(names), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    result = subprocess.run([*reader_cmd, *args], capture_output=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr.decode()
    for control in TERMINAL_CONTROLS:
        assert control not in result.stdout, (control, result.stdout[:500])
        assert control not in result.stderr, (control, result.stderr[:500])
    shown = result.stdout.decode() + result.stderr.decode()
    if "--json" in args:
        json.loads(result.stdout)  # still valid JSON, with the controls escaped
    elif args[0] == "posts":
        assert "\ufffd]0;PWNED\ufffdname\ufffd[2J" in shown  # a title from a name is cleaned like post text
        assert "broken␛[5m.md:2" in shown  # a path in a warning is shown, made visible
    elif args[0] == "search":
        assert "␛[31mred␛[0m/inner.md" in shown and "␛]0;PWNED␇name␛[2J.md" in shown
    elif args[0] == "links":
        assert "\ufffd]52;c;UEFZTE9BRA==\ufffd" in shown  # a decoded target is cleaned
        assert "\thttps://x.org/␊--flag\t" in shown  # a raw URL is shown, made visible
        assert "evil\ufffdgpj.exe" in shown  # `&#8238;` in link text: cleaned like post text


# --- the index folder ---------------------------------------------------------------------


def test_an_index_folder_holding_other_data_is_refused_and_left_alone(cli, names, tmp_path):
    folder = tmp_path / "X"
    (folder / "g-important").mkdir(parents=True)
    (folder / "g-important" / "data.txt").write_text("keep", encoding="utf-8")
    folder.chmod(0o755)
    result = cli("--posts", str(names), "--index-dir", str(folder), "index")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "holds other files" in result.stderr and "g-important" in result.stderr
    assert (folder / "g-important" / "data.txt").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in folder.iterdir()) == ["g-important"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


def test_an_empty_folder_is_taken_without_changing_its_mode(cli, names, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    folder.chmod(0o755)
    assert cli("--posts", str(names), "--index-dir", str(folder), "index").returncode == 0
    assert (folder / "reader-index").is_file()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755  # not ours to chmod
    assert cli("--posts", str(names), "--index-dir", str(folder), "search", "공격어휘").returncode == 0


def test_a_new_index_folder_is_private(cli, names, tmp_path):
    folder = tmp_path / "new" / "index"
    assert cli("--posts", str(names), "--index-dir", str(folder), "index").returncode == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700  # we made it, so it is ours too


def test_a_file_as_index_folder_is_refused(cli, names, tmp_path):
    target = tmp_path / "file"
    target.write_text("data", encoding="utf-8")
    result = cli("--posts", str(names), "--index-dir", str(target), "index")
    assert result.returncode == 1 and "not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "data"


def test_only_our_generations_are_ever_removed(cli, names, tmp_path):
    folder = tmp_path / "ix"
    assert cli("--posts", str(names), "--index-dir", str(folder), "index").returncode == 0
    stray = folder / "g-notours"
    stray.mkdir()  # someone put a folder in ours: the next rebuild must not delete it either
    result = cli("--posts", str(names), "--index-dir", str(folder), "index", "--rebuild")
    assert result.returncode == 0 and stray.is_dir()
    assert ESCAPE_NAME  # (the corpus is the hostile one)

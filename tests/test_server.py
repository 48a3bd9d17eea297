"""`reader serve`: the real console scripts, a server and its clients, as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX") or sys.platform == "win32", reason="Unix sockets")


def _posts(root: Path) -> Path:
    posts = root / "blog"
    posts.mkdir()
    (posts / "a.md").write_text(
        "---\ntitle: 머신러닝 입문\ntags: [ml]\n---\n머신러닝을 처음 배운다. 데이터가 중요하다.\n", "utf-8"
    )
    (posts / "b.md").write_text("---\ntitle: 데이터 정리\n---\n데이터를 정리하는 법.\n", "utf-8")
    (posts / "c.md").write_text("# 다른 글\n\n아무 내용.\n", "utf-8")
    return posts


@dataclass
class Served:
    """A running `reader serve`, the environment its clients share, and a way to run them."""

    process: subprocess.Popen[str]
    env: dict[str, str]
    socket: Path
    command: list[str]
    posts: Path

    def run(self, *args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.command, *args], capture_output=True, text=True, env={**self.env, **env}, cwd=cwd, timeout=120
        )

    def answered(self) -> int:
        status = self.run("serve", "--status")
        assert status.returncode == 0, status.stderr
        return int(json.loads(status.stdout)["answered"])


def start(command: list[str], env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """`reader serve ARGS`, returned once it listens (it says so on stderr, then)."""
    process = subprocess.Popen(
        [*command, "serve", *args], env=env, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert "serving searches at" in line, line + process.stderr.read()
    return process


@pytest.fixture
def served(reader_cmd, tmp_path) -> Iterator[Served]:
    folder = Path(tempfile.mkdtemp(prefix="gs-"))  # short: a socket path holds ~100 bytes
    env = {
        **os.environ,
        "GEULBAT_SERVER": str(folder / "s.sock"),
        "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
        "TZ": "Asia/Seoul",
    }
    env.pop("COLUMNS", None)
    process = start(reader_cmd, env)
    try:
        yield Served(process, env, folder / "s.sock", reader_cmd, _posts(tmp_path))
    finally:
        process.terminate()
        process.wait(timeout=60)
        shutil.rmtree(folder)


def _without_timing(output: str) -> object:
    data = json.loads(output)
    data.pop("took_ms", None)
    return data


def test_a_search_answered_by_the_server_is_the_search_itself(served):
    """Same JSON as the command run alone (GEULBAT_SERVER=off), the server counted as answering."""
    args = ("search", "데이터", "--json", "--posts", str(served.posts))
    alone = served.run(*args, GEULBAT_SERVER="off")
    first, again = served.run(*args), served.run(*args)
    assert alone.returncode == first.returncode == again.returncode == 0, first.stderr
    assert {h["path"] for h in json.loads(first.stdout)["hits"]} == {"a.md", "b.md"}
    assert _without_timing(first.stdout) == _without_timing(alone.stdout) == _without_timing(again.stdout)
    assert served.answered() == 2


def test_a_word_left_out_is_served_as_the_command_alone_reads_it(served):
    """`reader search 데이터 -머신러닝`: the server answers it as a query, as the command alone does
    (it once parsed `-머신러닝` as an unknown option: exit 2)."""
    args = ("search", "데이터", "-머신러닝", "--json", "--posts", str(served.posts))
    alone = served.run(*args, GEULBAT_SERVER="off")
    answered = served.run(*args)
    assert alone.returncode == answered.returncode == 0, answered.stderr
    assert [h["path"] for h in json.loads(answered.stdout)["hits"]] == ["b.md"]
    assert _without_timing(answered.stdout) == _without_timing(alone.stdout)
    assert served.answered() == 1


def test_piped_lines_and_messages_come_back_in_order(served):
    """The tab-separated lines on stdout, the count on stderr, and a did-you-mean line that
    comes before the hits: as the command alone prints them."""
    args = ("search", "데이타", "--posts", str(served.posts))
    alone, answered = served.run(*args, GEULBAT_SERVER="off"), served.run(*args)
    assert answered.returncode == 0 and answered.stdout == alone.stdout
    assert answered.stdout.splitlines()[0].split("\t")[2] in ("a.md", "b.md")
    strip = lambda text: [line.split(" (")[0] for line in text.splitlines()]  # noqa: E731 -- "(3 ms)"
    assert strip(answered.stderr) == strip(alone.stderr)
    assert served.answered() == 1


def test_a_post_written_just_before_the_search_is_found(served):
    """The server brings the index in step before every search, as the command does."""
    args = ("search", "양자컴퓨터", "--json", "--posts", str(served.posts))
    assert json.loads(served.run(*args).stdout)["hits"] == []
    (served.posts / "d.md").write_text("---\ntitle: 새 글\n---\n양자컴퓨터 이야기.\n", "utf-8")
    assert [h["path"] for h in json.loads(served.run(*args).stdout)["hits"]] == ["d.md"]
    (served.posts / "d.md").unlink()
    assert json.loads(served.run(*args).stdout)["hits"] == []
    assert served.answered() == 3


def test_the_clients_folder_and_environment_are_used(served, tmp_path):
    """`--posts blog` from the client's folder; the index where the client's GEULBAT_INDEX_DIR says."""
    other_index = tmp_path / "other-index"
    result = served.run(
        "search", "머신러닝", "--json", "--posts", "blog", cwd=tmp_path, GEULBAT_INDEX_DIR=str(other_index)
    )
    assert result.returncode == 0, result.stderr
    assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
    assert other_index.is_dir() and not (tmp_path / "index").exists()
    assert served.answered() == 1


def test_a_usage_error_is_reported_as_the_command_reports_it(served):
    answered = served.run("search", "--limit", "0", "데이터")
    alone = served.run("search", "--limit", "0", "데이터", GEULBAT_SERVER="off")
    assert answered.returncode == alone.returncode == 2
    assert answered.stderr == alone.stderr and "must be between 1 and 1000" in answered.stderr


def test_a_usage_error_with_json_is_the_same_json_object_served_or_not(served):
    before = served.answered()
    answered = served.run("search", "--limit", "0", "데이터", "--json")
    alone = served.run("search", "--limit", "0", "데이터", "--json", GEULBAT_SERVER="off")
    assert served.answered() == before + 1  # the server answered it
    assert answered.returncode == alone.returncode == 2 and answered.stdout == alone.stdout == ""
    assert answered.stderr == alone.stderr
    assert json.loads(answered.stderr) == {"error": "argument --limit: must be between 1 and 1000", "kind": "usage"}


def test_each_client_is_answered_in_its_own_language(served, tmp_path):
    """The server speaks the language each client's own process would (its locale, its config),
    one request after the other: the language of the request before is never kept."""
    args = ("search", "데이터", "--posts", str(served.posts))
    korean = {"LANG": "ko_KR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    english = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
    first, second = served.run(*args, **korean), served.run(*args, **english)
    config = tmp_path / "ko.toml"
    config.write_text('language = "ko"\n', encoding="utf-8")
    configured = served.run(*args, **english, GEULBAT_CONFIG=str(config))
    alone = served.run(*args, **korean, GEULBAT_SERVER="off")
    assert served.answered() == 3
    assert first.stdout == second.stdout == configured.stdout == alone.stdout  # the hits: data
    assert first.stderr.startswith("글 2개 중 2개 (") and configured.stderr.startswith("글 2개 중 2개 (")
    assert second.stderr.startswith("2 of 2 posts (")
    assert alone.stderr.split(" (")[0] == first.stderr.split(" (")[0]


def test_other_commands_run_in_their_own_process(served):
    result = served.run("posts", "--json", "--posts", str(served.posts))
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 3
    assert served.answered() == 0


def test_a_second_server_is_refused_and_stop_ends_the_first(served):
    second = served.run("serve")
    assert second.returncode == 1 and "already runs" in second.stderr
    stopped = served.run("serve", "--stop")
    assert stopped.returncode == 0 and "stops" in stopped.stderr
    assert served.process.wait(timeout=60) == 0
    assert not served.socket.exists()
    # With no server, the search runs in its own process, as before.
    result = served.run("search", "머신러닝", "--json", "--posts", str(served.posts))
    assert result.returncode == 0 and [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
    assert served.run("serve", "--status").returncode == 1


def test_a_server_ends_after_its_idle_time(reader_cmd, tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="gs-"))
    env = {**os.environ, "GEULBAT_SERVER": str(folder / "s.sock")}
    process = start(reader_cmd, env, "--idle", "0.01")  # 0.6 s without a search
    assert process.wait(timeout=60) == 0
    assert not (folder / "s.sock").exists()
    shutil.rmtree(folder)


def test_a_stale_socket_is_no_server(reader_cmd, tmp_path):
    """A killed server leaves its socket file: the search runs itself, a new server replaces it."""
    folder = Path(tempfile.mkdtemp(prefix="gs-"))
    path = folder / "s.sock"
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()
    env = {**os.environ, "GEULBAT_SERVER": str(path), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    posts = _posts(tmp_path)
    result = subprocess.run(
        [*reader_cmd, "search", "머신러닝", "--json", "--posts", str(posts)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
    process = start(reader_cmd, env)
    process.terminate()
    assert process.wait(timeout=60) == 0
    shutil.rmtree(folder)


def test_a_socket_folder_open_to_others_is_never_used(served, reader_cmd):
    """Another user could have put a socket there and would answer our searches: neither side
    uses a folder that is not private."""
    folder = served.socket.parent
    folder.chmod(0o755)
    try:
        result = served.run("search", "머신러닝", "--json", "--posts", str(served.posts))
        assert result.returncode == 0 and [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
        other = subprocess.run(
            [*reader_cmd, "serve"],
            capture_output=True,
            text=True,
            timeout=60,
            env={**served.env, "GEULBAT_SERVER": str(folder / "t.sock")},
        )
        assert other.returncode == 1 and "open to other users" in other.stderr
    finally:
        folder.chmod(0o700)
    assert served.answered() == 0


def test_a_broken_request_does_not_stop_the_server(served):
    """Garbage, a message too big, a client that goes away: the next search is still answered."""
    for data in (b"\x00\x00\x00\x05hello", b"\xff\xff\xff\xff", b"\x00\x00\x00\x02{}", b""):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(str(served.socket))
            conn.sendall(data)
    run = json.dumps({"op": "run", "argv": ["search", "x"], "cwd": 5, "env": [], "tty": [], "encoding": []})
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(str(served.socket))
        conn.sendall(len(run).to_bytes(4, "big") + run.encode())
        size = int.from_bytes(conn.recv(4), "big")
        assert json.loads(conn.recv(size))["served"] is False  # not run: the client would run it itself
    result = served.run("search", "머신러닝", "--json", "--posts", str(served.posts))
    assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
    assert served.answered() == 1


def test_detach_starts_a_server_in_the_background(reader_cmd, tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="gs-"))
    env = {**os.environ, "GEULBAT_SERVER": str(folder / "s.sock"), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    run = lambda *args: subprocess.run([*reader_cmd, *args], capture_output=True, text=True, env=env, timeout=120)  # noqa: E731
    started = run("serve", "--detach")
    assert started.returncode == 0 and "serving searches" in started.stderr, started.stderr
    try:
        result = run("search", "머신러닝", "--json", "--posts", str(_posts(tmp_path)))
        assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
        assert json.loads(run("serve", "--status").stdout)["answered"] == 1
        assert "already runs" in run("serve", "--detach").stderr
    finally:
        assert run("serve", "--stop").returncode == 0
    shutil.rmtree(folder)


def test_the_table_on_a_terminal_is_the_commands_own(served):
    """On a terminal the server draws the table for the client's width and colours: the
    screen is the one the command alone draws."""
    from tests.test_pty import Terminal

    assert served.run("index", "--posts", str(served.posts)).returncode == 0  # no progress bar in either
    screens = []
    for server in (str(served.socket), "off"):
        env = {**served.env, "TERM": "xterm-256color", "GEULBAT_SERVER": server}
        term = Terminal([*served.command, "search", "데이터", "--posts", str(served.posts)], env, cols=90, rows=20)
        try:
            assert term.exited_within(60)
        finally:
            term.close()
        screens.append(term.text().split("\n2 of 2 posts")[0])
    assert screens[0] == screens[1]
    assert "머신러닝 입문" in screens[0] and "a.md" in screens[0]
    assert served.answered() == 1


def test_a_slow_client_holds_no_one_else(served):
    """A client that sends its request a byte at a time is dropped; meanwhile others are answered."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as slow:
        slow.connect(str(served.socket))
        slow.sendall(b"\x00\x0f")  # half a length, and nothing more
        result = served.run("search", "머신러닝", "--json", "--posts", str(served.posts))
        assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
        assert served.answered() == 1
        assert slow.recv(1) == b""  # then it was let go, unanswered


def test_a_server_whose_socket_is_removed_leaves_for_a_new_one(served, reader_cmd):
    served.socket.unlink()
    assert served.process.wait(timeout=60) == 0  # nobody could reach it any more
    second = start(reader_cmd, served.env)
    try:
        assert served.answered() == 0 and served.run("serve", "--status").returncode == 0
    finally:
        second.terminate()
        assert second.wait(timeout=60) == 0
    assert not served.socket.exists()


def test_the_folder_a_server_was_started_in_may_go(reader_cmd, tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="gs-"))
    env = {**os.environ, "GEULBAT_SERVER": str(folder / "s.sock"), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    started_in = tmp_path / "started-here"
    started_in.mkdir()
    process = subprocess.Popen(
        [*reader_cmd, "serve"], env=env, cwd=started_in, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None and "serving searches" in process.stderr.readline()
        started_in.rmdir()
        posts = _posts(tmp_path)
        run = lambda *args: subprocess.run([*reader_cmd, *args], capture_output=True, text=True, env=env)  # noqa: E731
        result = run("search", "머신러닝", "--json", "--posts", str(posts))
        assert [h["path"] for h in json.loads(result.stdout)["hits"]] == ["a.md"]
        assert json.loads(run("serve", "--status").stdout)["answered"] == 1
    finally:
        process.terminate()
        assert process.wait(timeout=60) == 0
    shutil.rmtree(folder)

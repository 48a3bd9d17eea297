"""The client half of `reader serve`: hand a `reader search` to the running server and print
what it answers, byte for byte, as if this process had searched.

Imports only the standard library's small modules: a served search costs the interpreter's
start and one round trip (the server keeps Whoosh, the posts' listing and the searcher's
caches warm). Anything not answered (no server, a stale socket, a folder that is not
private, a command the server does not serve) returns None and the command runs here.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import sys
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import socket

SOCKET_NAME = "server.sock"
MAX_REQUEST = 1 << 20  # an argv and an environment; anything bigger is not ours
_HEADER = struct.Struct("!I")
_PATH_MAX = 100  # sun_path holds 104 (macOS) or 108 (Linux) bytes with its NUL


def socket_path(env: Mapping[str, str] | None = None) -> str | None:
    """Where the server listens: GEULBAT_SERVER (a socket path, or `off`), else a private
    folder in the user's runtime folder (XDG_RUNTIME_DIR) or in TMPDIR. None: no server here
    (turned off, no Unix sockets, a path too long for one)."""
    env = os.environ if env is None else env
    given = env.get("GEULBAT_SERVER")
    if given is not None:
        path = None if given.strip().lower() in ("", "0", "off", "no", "false") else os.path.expanduser(given)
    elif not hasattr(os, "getuid"):  # no Unix sockets to be private by (`connect` asks for AF_UNIX)
        path = None
    else:
        runtime = env.get("XDG_RUNTIME_DIR")
        base = runtime if runtime and os.path.isabs(runtime) else (env.get("TMPDIR") or "/tmp")
        path = os.path.join(base, f"geulbat-{os.getuid()}", SOCKET_NAME)
    return path if path is not None and len(os.fsencode(path)) <= _PATH_MAX else None


def private_folder_problem(folder: str) -> str | None:
    """Why `folder` may not hold the server's socket: it must be a real folder (not a link),
    ours, and closed to everyone else, or another user could answer our searches."""
    try:
        info = os.lstat(folder)
    except OSError as exc:
        return f"{folder}: {exc.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"{folder} is not a folder"
    if info.st_uid != os.getuid():
        return f"{folder} belongs to another user"
    if info.st_mode & 0o077:
        return f"{folder} is open to other users (mode {stat.S_IMODE(info.st_mode):o}; it must be 700)"
    return None


def send(conn: socket.socket, data: bytes) -> None:
    conn.sendall(_HEADER.pack(len(data)) + data)


def receive(conn: socket.socket, limit: int, deadline: float | None = None) -> bytes:
    """One framed message (a length, then that many bytes); ConnectionError if cut short or
    too big, TimeoutError if not all there by `deadline` (time.monotonic())."""
    (size,) = _HEADER.unpack(_exactly(conn, _HEADER.size, deadline))
    if size > limit:
        raise ConnectionError(f"a message of {size} bytes (at most {limit})")
    return _exactly(conn, size, deadline)


def _exactly(conn: socket.socket, size: int, deadline: float | None = None) -> bytes:
    parts, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the other side is too slow")
            conn.settimeout(remaining)
        part = conn.recv(min(left, 1 << 20))
        if not part:
            raise ConnectionError("the other side closed the connection")
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def connect(path: str, timeout: float = 2.0) -> socket.socket | None:
    """A connection to the server at `path`; None when there is none (or its folder is not private)."""
    if private_folder_problem(os.path.dirname(path)) is not None:
        return None  # no server started here ever (no folder): a cold search imports no socket
    import socket

    if not hasattr(socket, "AF_UNIX"):
        return None
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(timeout)
    try:
        conn.connect(path)
    except OSError:  # no socket, or a stale one (no server behind it): ENOENT, ECONNREFUSED
        conn.close()
        return None
    return conn


def request(argv: Sequence[str]) -> dict[str, object]:
    """What the server needs to run `reader ARGV` as this process would: the words, the
    folder it runs in, the environment, and what its output goes to."""
    env = dict(os.environ)
    streams = (sys.stdout, sys.stderr)
    ttys = [_isatty(s) for s in streams]
    if ttys[0] and "COLUMNS" not in env:  # the server has no terminal to measure: ours
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
            env["COLUMNS"], env["LINES"] = str(size.columns), str(size.lines)
        except (OSError, ValueError):
            pass
    return {
        "op": "run",
        "argv": list(argv),
        "cwd": os.getcwd(),
        "env": env,
        "tty": ttys,
        "encoding": [getattr(s, "encoding", None) or "utf-8" for s in streams],
    }


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def ask(argv: Sequence[str], path: str | None = None) -> int | None:
    """Run `reader ARGV` on the server and write its output here; its exit code, or None when
    the server did not answer it (then nothing was written and the command runs here)."""
    path = path or socket_path()
    if path is None:
        return None
    try:
        message = json.dumps(request(argv), ensure_ascii=True).encode("ascii")
    except (OSError, ValueError):  # no current folder (deleted under us): run here, and say so there
        return None
    conn = connect(path)
    if conn is None:
        return None
    try:
        with conn:
            send(conn, message)
            conn.settimeout(None)  # a search that first brings a big index up to date takes its time
            header = json.loads(receive(conn, MAX_REQUEST))
            if not header.get("served"):
                return None
            chunks = [(int(fd), int(size)) for fd, size in header["chunks"]]
            body = _exactly(conn, sum(size for _, size in chunks))
    except (OSError, ValueError, KeyError, TypeError):  # a server gone mid-answer: nothing printed yet
        return None
    _write(chunks, body)
    return int(header["code"])


def _write(chunks: list[tuple[int, int]], body: bytes) -> None:
    """The output in the order the command wrote it, stdout and stderr interleaved."""
    at = 0
    for fd, size in chunks:
        data = body[at : at + size]
        at += size
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(1 if fd == 1 else 2, view) :]
        except BrokenPipeError:  # `reader search … | head`: the reader went away
            if fd == 1:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
        except OSError:
            return


def leave(code: int) -> NoReturn:
    os._exit(code)

"""`reader serve`: a process that stays up and answers `reader search` for the client
(reader.cli.client), so that a search from a script or an editor does not pay, each time,
for starting Python, importing Whoosh and opening the index (~250 ms of a 10k-post search).

A request is run as the command would run in the client's own process: its words, its
current folder, its environment (the posts folder, the index folder and the settings it
chooses), its output captured in order and sent back. Every search still brings the index
in step with the files first, exactly as `reader search` does; what the server keeps
between requests is only what is checked anyway: the imported modules, and per posts folder
a Library (its listing and its searcher's caches, which follow the index's generation).

Safety: the socket lives in a folder only this user can enter (0700, checked by both sides),
a peer of another user is refused (SO_PEERCRED), a request is bounded in size, and only
`search` is run; anything else is answered "not served" and runs in the client's process.
Requests are answered one at a time (the environment and the current folder are the
process's own while one runs).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli import client
from reader.cli.i18n import language, t, use_language
from reader.cli.output import warn

if TYPE_CHECKING:
    from reader.library import Library

KEPT_FOLDERS = 4  # the posts folders kept warm, the most recently searched
WAKE = 1.0  # seconds between looks, while waiting for a client, at the idle time and the socket
REQUEST_TIME = 2.0  # seconds a client has to send its whole request (it sends it at once)
BUSY_WAIT = 0.5  # seconds a search waits for another's to end before its client runs it instead
_UCRED = struct.Struct("3i")  # pid, uid, gid


class ServeError(Exception):
    """The server cannot start: why, in one line."""


# --- the libraries kept between requests -------------------------------------------------


@dataclass
class Kept:
    """The Library of each posts folder searched lately, with what it was made from: a
    layout, site config or time zone that changed since makes a new one (the kept one would
    still read the old `_config.yml`)."""

    libraries: OrderedDict[tuple[str, ...], Library] = field(default_factory=OrderedDict)

    def library(self, root: Path, index_dir: Path | None) -> Library:
        from reader.library import Library
        from reader.paths import default_index_dir
        from reader.posts.discovery import detect_layout

        layout = detect_layout(root.resolve())
        config = layout.config_file
        try:
            config_state = "" if config is None else repr(_state(os.stat(config)))
        except OSError:
            config_state = "gone"
        key = (
            str(layout.root),
            layout.kind.value,
            repr(layout.post_dirs),
            config_state,
            str(index_dir or default_index_dir(layout.root)),  # as the client's environment has it
            os.environ.get("TZ", ""),
        )
        library = self.libraries.pop(key, None)
        if library is None:
            library = Library(root, index_dir=index_dir)
            library.watch_folders()  # a search after which nothing changed then skips the scan
        self.libraries[key] = library
        while len(self.libraries) > KEPT_FOLDERS:
            _, old = self.libraries.popitem(last=False)
            old.close()
        return library

    def close(self) -> None:
        for library in self.libraries.values():
            library.close()
        self.libraries.clear()


def _state(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino


# --- running one request as the client's process would ----------------------------------


class Capture(io.TextIOBase):
    """A stand-in for sys.stdout or sys.stderr: what is written, encoded as the client's
    stream would encode it, in order with the other stream's."""

    def __init__(self, fd: int, tty: bool, encoding: str, chunks: list[tuple[int, bytes]]) -> None:
        self.fd, self.tty, self._encoding, self.chunks = fd, tty, encoding, chunks

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._encoding

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def isatty(self) -> bool:
        return self.tty

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            data = text.encode(self._encoding, "replace")
            if self.chunks and self.chunks[-1][0] == self.fd:
                self.chunks[-1] = (self.fd, self.chunks[-1][1] + data)
            else:
                self.chunks.append((self.fd, data))
        return len(text)


@contextlib.contextmanager
def as_client(message: dict[str, Any], chunks: list[tuple[int, bytes]]) -> Iterator[None]:
    """The client's folder, environment and output streams for the time of one request."""
    env, cwd = message["env"], message["cwd"]
    ttys, encodings = message["tty"], message["encoding"]
    if not (isinstance(env, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
        raise ValueError("env: not a mapping of strings")
    saved_env, saved_cwd, saved_streams = dict(os.environ), os.getcwd(), (sys.stdout, sys.stderr)
    try:
        _encoding(encodings[0]), _encoding(encodings[1])
        os.chdir(str(cwd))
        os.environ.clear()
        os.environ.update(env)
        if hasattr(time, "tzset"):
            time.tzset()  # the client's TZ for its dates
        sys.stdout = Capture(1, bool(ttys[0]), _encoding(encodings[0]), chunks)
        sys.stderr = Capture(2, bool(ttys[1]), _encoding(encodings[1]), chunks)
        yield
    finally:
        sys.stdout, sys.stderr = saved_streams
        os.environ.clear()
        os.environ.update(saved_env)
        if hasattr(time, "tzset"):
            time.tzset()
        os.chdir(saved_cwd)


def _encoding(name: object) -> str:
    import codecs

    if not isinstance(name, str):
        raise ValueError("encoding: not a string")
    return codecs.lookup(name).name  # LookupError for a made-up one


def run_request(message: dict[str, Any], kept: Kept) -> tuple[bool, int, list[tuple[int, bytes]]]:
    """(served, exit code, output chunks) of `reader ARGV` run here for the client."""
    from reader.cli.commands import use_configured_language
    from reader.cli.run import _run, build_parser, wants_json, with_folder_argument, with_query_last
    from reader.cli.search import cmd_search

    argv = message["argv"]
    if not (isinstance(argv, list) and all(isinstance(w, str) for w in argv)):
        raise ValueError("argv: not a list of strings")
    words = with_query_last(with_folder_argument(argv))  # as the command alone reads them
    chunks: list[tuple[int, bytes]] = []
    own = language()  # the server's own messages stay in its language; the client's is its own
    with as_client(message, chunks):
        try:
            use_configured_language()  # the client's config and locale, as its own process would
            args = build_parser(json_errors=wants_json(words)).parse_args(words)
        except SystemExit as exc:  # a usage error (or --help): argparse printed it
            return True, exc.code if isinstance(exc.code, int) else 2, chunks
        else:
            if getattr(args, "run", None) is not cmd_search or args.print_completion:
                return False, 0, []
            code = _run(lambda a: cmd_search(a, kept=kept.library), args, words)
            return True, code, chunks
        finally:
            use_language(own)


# --- the socket ---------------------------------------------------------------------------


@dataclass
class Listening:
    """The server's socket, and the lock that makes it the only server at its path (held for
    its lifetime: a second server, or one started at the same moment, is refused; a socket
    left by a killed server is replaced, since nobody holds the lock behind it)."""

    listener: socket.socket
    path: str
    identity: tuple[int, int]  # the socket file's device and inode: ours to remove at the end
    lock: int  # the lock file's descriptor

    def ours(self) -> bool:
        """Whether the file at `path` is still our socket (it may be removed, or replaced)."""
        try:
            info = os.lstat(self.path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self.identity

    def close(self) -> None:
        self.listener.close()
        if self.ours():
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        os.close(self.lock)


def prepare(path: str) -> Listening:
    """A listening socket at `path`, in a private folder (made 0700 if missing): ServeError
    if the folder is not private or another server holds the path."""
    import fcntl

    folder = os.path.dirname(path)
    if not os.path.lexists(folder):
        os.makedirs(folder, mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
    problem = client.private_folder_problem(folder)
    if problem is not None:
        raise ServeError(t("cannot listen in {folder}: {problem}", folder=folder, problem=problem))
    lock = os.open(path + ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = os.pread(lock, 32, 0).decode("ascii", "replace").strip() or "?"
        os.close(lock)
        raise ServeError(t("a server (pid {pid}) already runs at {path}", pid=holder, path=path)) from None
    try:
        os.ftruncate(lock, 0)
        os.pwrite(lock, str(os.getpid()).encode("ascii"), 0)
        if os.path.lexists(path):
            os.unlink(path)  # a killed server's: nobody held the lock
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(path)
            os.chmod(path, 0o600)
            listener.listen(16)
            info = os.lstat(path)
        except OSError:
            listener.close()
            raise
    except OSError:
        os.close(lock)
        raise
    return Listening(listener, path, (info.st_dev, info.st_ino), lock)


def ping(path: str, op: str = "status", timeout: float = 10.0) -> dict[str, Any] | None:
    """The server's answer to `status` (or `stop`), None when none answers at `path`."""
    conn = client.connect(path, timeout)
    if conn is None:
        return None
    try:
        with conn:
            client.send(conn, json.dumps({"op": op}).encode("ascii"))
            answer = json.loads(client.receive(conn, client.MAX_REQUEST))
    except (OSError, ValueError):
        return None
    return answer if isinstance(answer, dict) else None


def _peer_uid(conn: socket.socket) -> int | None:
    if not hasattr(socket, "SO_PEERCRED"):
        return None  # macOS: the folder's 0700 keeps others out
    _, uid, _ = _UCRED.unpack(conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _UCRED.size))
    return int(uid)


@dataclass
class Server:
    """Each client in a thread of its own (a slow one holds only its thread); one search at a
    time (the environment, the current folder and the output streams are the process's): a
    client that would wait more than BUSY_WAIT for another's search is told to run its own."""

    listening: Listening
    idle: float | None  # seconds without a request before leaving; None: never
    kept: Kept = field(default_factory=Kept)
    started: float = field(default_factory=time.time)
    answered: int = 0
    stopping: bool = False
    searching: threading.Lock = field(default_factory=threading.Lock)
    last: float = field(default_factory=time.monotonic)

    def serve(self) -> None:
        os.chdir("/")  # no folder of ours is held (or needed: each request runs in its client's)
        self.listening.listener.settimeout(WAKE)
        while not self.stopping:
            try:
                conn, _ = self.listening.listener.accept()
            except TimeoutError:
                if not self.listening.ours():
                    return  # our socket was removed or replaced: nobody can reach us
                if self.idle is not None and time.monotonic() - self.last > self.idle and not self.searching.locked():
                    return
                continue
            self.last = time.monotonic()
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()
        with self.searching:  # a search under way is finished and sent first
            pass

    def _client(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.handle(conn)
            except (OSError, ValueError):
                pass  # a client gone, slow, or saying what is not ours: it runs its own search
            finally:
                self.last = time.monotonic()

    def end(self, *_: object) -> None:
        """SIGTERM or SIGINT: leave once the search under way (if any) is answered; asked
        twice, now."""
        if self.stopping:
            raise KeyboardInterrupt
        self.stopping = True

    def handle(self, conn: socket.socket) -> None:
        uid = _peer_uid(conn)
        if uid is not None and uid != os.getuid():
            return
        message = json.loads(client.receive(conn, client.MAX_REQUEST, time.monotonic() + REQUEST_TIME))
        if not isinstance(message, dict):
            raise ValueError("not a request")
        op = message.get("op")
        if op in ("status", "stop"):
            self.stopping = self.stopping or op == "stop"
            client.send(conn, json.dumps(self.status()).encode("utf-8"))
            return
        if op != "run":
            raise ValueError(f"unknown op {op!r}")
        served, code = False, 0
        chunks: list[tuple[int, bytes]] = []
        if self.searching.acquire(timeout=BUSY_WAIT):
            try:
                if not self.stopping:
                    served, code, chunks = run_request(message, self.kept)
            except (KeyError, IndexError, TypeError, ValueError, LookupError, OSError):
                served, code, chunks = False, 0, []  # a request we cannot run as asked: the client runs it
            finally:
                self.searching.release()
        if served:
            self.answered += 1
        header = {"served": served, "code": code, "chunks": [[fd, len(data)] for fd, data in chunks]}
        conn.settimeout(30.0)
        client.send(conn, json.dumps(header).encode("ascii"))
        conn.sendall(b"".join(data for _, data in chunks))

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "socket": self.listening.path,
            "since": self.started,
            "answered": self.answered,
            "searching": self.searching.locked(),
            "folders": [key[0] for key in self.kept.libraries],
            "stopping": self.stopping,
        }

    def close(self) -> None:
        self.listening.close()
        self.kept.close()


# --- the command --------------------------------------------------------------------------


def cmd_serve(args: argparse.Namespace) -> int:
    from reader.cli.commands import UserError

    path = client.socket_path()
    if path is None:
        raise UserError(t("no server socket here: GEULBAT_SERVER is off, or the path is too long for a socket"))
    if args.stop or args.status:
        answer = ping(path, "stop" if args.stop else "status")
        if answer is None:
            warn("reader: " + t("no server answers at {path}", path=path))
            return 1
        if args.stop:
            warn("reader: " + t("server {pid} stops", pid=answer["pid"]))
        else:
            print(json.dumps(answer, ensure_ascii=False, indent=2))
        return 0
    idle = args.idle * 60 if args.idle > 0 else None
    if args.detach:
        return _detach(path, args.idle)
    try:
        server = Server(prepare(path), idle)
    except ServeError as exc:
        raise UserError(str(exc)) from None
    try:
        signal.signal(signal.SIGTERM, server.end)
        signal.signal(signal.SIGINT, server.end)
        warn(
            "reader: "
            + t(
                "serving searches at {path} (pid {pid}; Ctrl-C or `reader serve --stop` ends it)",
                path=path,
                pid=os.getpid(),
            )
        )
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _detach(path: str, idle: float) -> int:
    """Start a server in the background (its messages in `server.log` beside the socket) and
    return once it answers."""
    import subprocess

    from reader.paths import make_private_dirs

    folder = Path(path).parent
    make_private_dirs(folder)
    log = folder / "server.log"
    command = [sys.executable, "-m", "reader", "serve", "--idle", str(idle)]
    with open(os.devnull, "rb") as stdin, open(os.devnull, "wb") as devnull, open(log, "wb") as errors:
        os.chmod(log, 0o600)
        child = subprocess.Popen(command, stdin=stdin, stdout=devnull, stderr=errors, start_new_session=True, cwd="/")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        answer = ping(path)
        if answer is not None and answer.get("pid") == child.pid:
            warn(
                "reader: "
                + t("serving searches at {path} (pid {pid}; `reader serve --stop` ends it)", path=path, pid=child.pid)
            )
            return 0
        if child.poll() is not None:
            problem = log.read_text("utf-8", "replace").strip()
            warn(problem or "reader: " + t("the server ended ({code})", code=child.returncode))
            return 1
        time.sleep(0.05)  # polling the child for its socket: it has no other way to say it listens
    warn("reader: " + t("the server (pid {pid}) did not answer within 30 s; see {log}", pid=child.pid, log=log))
    return 1

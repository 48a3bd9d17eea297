"""The index directory: ours alone, its generations, the live one, the write lock, damage checks.

An index lives in a directory that holds our marker file (`reader-index`)
and generations (`g-…/`, each a Whoosh index plus its manifest); a
`CURRENT` file names the live one, so a rebuild is written beside the old
index and swapped in with one atomic rename. We never chmod, write into or
delete from a directory that is not ours: a folder holding other files is
refused with a message.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reader.paths import make_private_dirs, write_atomic
from reader.posts.messages import say
from reader.posts.text import printable
from reader.search.manifest import SCHEMA_VERSION, Manifest, ManifestError

MARKER = "reader-index"
MARKER_TEXT = "This folder holds a search index of reader; it is rebuilt from the posts when deleted.\n"
_GENERATION = re.compile(r"^g-[0-9a-f]+-[0-9a-f]{6}$")
# What an index directory of ours holds (a directory of an older version has no marker yet),
# write_atomic's temporary files included: another process may be writing the marker right now.
_OWN_NAMES = re.compile(r"^((reader-index|CURRENT)(\.[0-9a-f]{32}(\.tmp)?)?|write\.lock|g-[0-9a-f]+-[0-9a-f]{6})$")


class IndexUnavailable(Exception):
    """No index can be opened or built (the message says why)."""


class Busy(Exception):
    """Another process holds the write lock."""


class Damaged(Exception):
    """Verified damage: an index file is missing, of another size or holds other bytes."""


class IndexStore:
    """The generations of one index directory."""

    def __init__(self, directory: Path, root: Path) -> None:
        self.dir = directory
        self.root = root

    # --- ownership ------------------------------------------------------------------

    def claim(self) -> None:
        """Make sure the directory exists and is ours; create it (0700) if missing.

        Raises IndexUnavailable for a directory that holds anything else.
        """
        marker = self.dir / MARKER
        if marker.is_file():
            return
        if self.dir.is_dir():
            foreign = sorted(name for name in os.listdir(self.dir) if not _OWN_NAMES.match(name))
            if foreign:
                shown = ", ".join(printable(name) for name in foreign[:3]) + (", …" if len(foreign) > 3 else "")
                raise IndexUnavailable(
                    say(
                        "not using {folder} for the index: it holds other files ({names}); "
                        "give --index-dir an empty or new folder",
                        folder=printable(str(self.dir)),
                        names=shown,
                    )
                )
        elif self.dir.exists() or self.dir.is_symlink():
            raise IndexUnavailable(
                say("not using {folder} for the index: it is not a folder", folder=printable(str(self.dir)))
            )
        else:
            make_private_dirs(self.dir)
        write_atomic(marker, MARKER_TEXT)

    @property
    def claimed(self) -> bool:
        return (self.dir / MARKER).is_file()

    # --- generations ----------------------------------------------------------------

    def current(self) -> str | None:
        try:
            name = (self.dir / "CURRENT").read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        return name if _GENERATION.match(name) else None

    def new_generation(self) -> tuple[str, Path]:
        name = f"g-{time.time_ns():x}-{os.urandom(3).hex()}"
        path = self.dir / name
        path.mkdir(mode=0o700)
        return name, path

    def publish(self, name: str) -> None:
        """Make `name` the live generation (one atomic rename), then drop the others."""
        write_atomic(self.dir / "CURRENT", name)
        self.remove_generations(keep=name)

    def remove_generations(self, keep: str | None) -> None:
        """Delete our generations but `keep`; nothing else. Only with the write lock held:
        then no other process is building one, so every other generation is abandoned
        (a build that was killed, or the one the last rebuild replaced)."""
        for child in self.dir.iterdir():
            if child.name != keep and _GENERATION.match(child.name) and child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    def leftovers(self) -> bool:
        """Whether a generation other than the live one is here (a killed or replaced build's)."""
        live = self.current()
        try:
            return any(_GENERATION.match(name) and name != live for name in os.listdir(self.dir))
        except OSError:
            return False

    # --- the live generation -----------------------------------------------------------

    def load_manifest(self, verify: bool = False) -> tuple[Manifest | None, str | None]:
        """The live generation's manifest, checked; or None and why (None when there is no index)."""
        name = self.current()
        if name is None:
            return None, None
        generation = self.dir / name
        try:
            manifest = Manifest.load(generation)
        except ManifestError as exc:
            return None, say("index damaged ({error}); rebuilding", error=exc)
        if manifest.root != str(self.root):
            return None, say("the index belongs to another posts folder; rebuilding it for this one")
        if manifest.schema != SCHEMA_VERSION:
            return None, say(
                "the index was written by another version (schema {schema}); rebuilding", schema=manifest.schema
            )
        try:
            manifest.verify_files(generation, contents=verify)
        except ManifestError as exc:
            return None, say("index damaged ({error}); rebuilding", error=exc)
        return manifest, None

    def open_whoosh(self, manifest: Manifest) -> tuple[Any, Any]:
        """The Whoosh index and a searcher of a generation, checked against its manifest."""
        assert manifest.generation is not None
        index = storage(str(manifest.generation)).open_index()
        searcher = index.searcher()
        count = searcher.doc_count()
        if count != manifest.doc_count:
            searcher.close()
            index.close()
            raise ManifestError(
                say("index holds {count} posts, its manifest says {expected}", count=count, expected=manifest.doc_count)
            )
        return index, searcher

    # --- the write lock --------------------------------------------------------------

    @contextlib.contextmanager
    def write_lock(self, timeout: float = 0.0) -> Iterator[None]:
        """Our lock on `write.lock` (another process's write: Busy after `timeout` seconds).

        An exclusive `flock` of the file, as filelock's FileLock takes it (a process with one
        contends with us): taken here without importing filelock (~18 ms, a tenth of what a
        sync of a few edits imports), which is kept for a system or file system without flock."""
        path = str(self.dir / "write.lock")
        try:
            import fcntl
        except ImportError:
            fcntl = None  # type: ignore[assignment]
        fd = None
        if fcntl is not None:
            flags = os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o644)
        try:
            if fd is None or not _flocked(fd, timeout):
                with _filelock(path, timeout):
                    yield
                return
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            if fd is not None:
                os.close(fd)

    def is_busy(self) -> bool:
        """Whether another process holds the write lock right now."""
        try:
            with self.write_lock():
                return False
        except (Busy, OSError):
            return True


def _flocked(fd: int, timeout: float) -> bool:
    """Take the exclusive flock of `fd`, trying for `timeout` seconds (for ever when negative, as
    filelock's); False when the file system has no flock. Raises Busy when another holds it."""
    import fcntl

    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno == errno.ENOSYS:
                return False
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
        if timeout >= 0 and time.monotonic() >= deadline:
            raise Busy
        time.sleep(0.05)  # filelock's poll interval


@contextlib.contextmanager
def _filelock(path: str, timeout: float) -> Iterator[None]:
    import filelock

    lock = filelock.FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise Busy from None
    try:
        yield
    finally:
        lock.release()


def from_whoosh(exc: BaseException) -> bool:
    """Whether an exception was raised inside Whoosh (reading its files), not in our code."""
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and f"{os.sep}whoosh{os.sep}" in last


def storage(path: str) -> Any:
    """A generation's Whoosh storage, read with file reads, not mmap.

    With mmap, Whoosh opens each file inside a compound segment as a
    BytesIO copy of its mapped bytes: at 100k posts that was 569 MB of
    anonymous memory (and 532 MB of mapped pages) as soon as a searcher
    opened, against 48 MB without; searches measured as fast (median of
    3 warm runs, four queries, within noise either way).
    """
    from whoosh.filedb.filestore import FileStorage  # here: the app's list needs no Whoosh

    return FileStorage(path, supports_mmap=False)

"""Messages the workers post to the main screen: each carries a finished, immutable result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from reader.posts.backlinks import Backlink
from reader.posts.delta import Delta
from reader.posts.document import Document
from reader.posts.links import Link
from reader.posts.post import Post
from reader.posts.snapshot import Snapshot

if TYPE_CHECKING:  # the searcher and the indexer (Whoosh) are imported when first used
    from reader.library import Related, SearchResult, SyncReport


class SnapshotRead(Message):
    """A new snapshot of the posts was read; the screen swaps it in. `request`: the read the
    screen asked for (0: the whole folder read again for changed files)."""

    def __init__(self, snapshot: Snapshot, request: int = 0) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.request = request


class SnapshotPartial(Message):
    """The first posts of a long first read: shown while the rest are read."""

    def __init__(self, snapshot: Snapshot) -> None:
        super().__init__()
        self.snapshot = snapshot


class LoadProgressed(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class IndexProgressed(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total


class IndexSynced(Message):
    def __init__(self, report: SyncReport, snapshot: Snapshot) -> None:
        super().__init__()
        self.report, self.snapshot = report, snapshot


class IndexUnusable(Message):
    """No index can be opened or built (a folder that is not ours, say): search is off."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class SearchFinished(Message):
    """A search's result, or why there is none; `incomplete`: the query ends in a field with no
    value yet (`tag:`), a filter still being typed."""

    def __init__(self, query: str, result: SearchResult | None, error: str | None, incomplete: bool = False) -> None:
        super().__init__()
        self.query, self.result, self.error, self.incomplete = query, result, error, incomplete


class FilesChanged(Message):
    """Files under the root changed on disk (debounced): the paths the watcher reported."""

    def __init__(self, paths: frozenset[str]) -> None:
        super().__init__()
        self.paths = paths


class ChangesRead(Message):
    """The changed files were read alone (`delta`, made into `snapshot` from its base), or,
    without a delta, the whole folder was read again into `snapshot`."""

    def __init__(self, snapshot: Snapshot, delta: Delta | None) -> None:
        super().__init__()
        self.snapshot, self.delta = snapshot, delta


class ConnectionsFound(Message):
    """The posts linking to a post, and the posts like it (None, and why, without an index)."""

    def __init__(
        self, path: str, backlinks: list[Backlink], related: list[Related] | None, why_not: str | None
    ) -> None:
        super().__init__()
        self.path, self.backlinks, self.related, self.why_not = path, backlinks, related, why_not


class DocumentParsed(Message):
    """A post was read (if needed) and parsed, its links resolved against `snapshot`."""

    def __init__(
        self, request: int, post: Post, document: Document, links: list[Link], snapshot: Snapshot, partial: bool = False
    ) -> None:
        super().__init__()
        self.request, self.post, self.document, self.links = request, post, document, links
        self.snapshot = snapshot
        self.partial = partial  # the start of a long post, shown until the whole is parsed


class LinksResolved(Message):
    """The open post's links resolved again, against a snapshot adopted since they were."""

    def __init__(self, request: int, links: list[Link], snapshot: Snapshot) -> None:
        super().__init__()
        self.request, self.links, self.snapshot = request, links, snapshot


class WorkFailed(Message):
    """A worker raised: one line for the status bar (the traceback is in the log file)."""

    def __init__(self, what: str, line: str, request: int = 0) -> None:
        super().__init__()
        self.what, self.line = what, line
        self.request = request  # a read of every post: which (see SnapshotRead)

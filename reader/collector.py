"""The cyclic garbage collector held off for a burst of objects that hold no cycles.

Posts, rows and postings are acyclic: refcounts free them, and a collection
that walks them finds nothing. Made by the thousand, they set off full
collections that stop the whole process (the app's event loop with it).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """The cyclic collector held off for the block, then as it was. With `freeze`, what exists
    at the end is first frozen out of its reach (`gc.freeze`): long-lived acyclic objects (a
    big read's posts) that every later full collection would walk again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def freeze_what_exists() -> None:
    """Everything alive now kept out of the cyclic collector's reach (`gc.freeze`): the app
    once its posts are read (modules, widgets, the snapshot), ~110k objects at 1,000 posts.
    Each full collection walked them all again (50-80 ms at 160x48, under a busy machine) and
    came after the allocations of drawing a search's answer, so a key typed then waited for
    it. Frozen objects a refcount frees are freed all the same."""
    gc.freeze()

"""Scores and sets of documents as plain dicts: cut to some documents, summed, ranked.

A query's evaluation (reader.search.postings) gives {docnum: score}; an AND
is a key intersection, an OR a sum, and the search reads the result best
first. Equal scores rank in docnum order, as Whoosh ranks them.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Iterator, Sequence
from itertools import islice
from typing import overload

Scores = dict[int, float]
Docs = Collection[int]  # documents by docnum: a set, or the keys of a Scores


def restricted(scores: Scores, within: Docs) -> Scores:
    """`scores` of the documents in `within` alone."""
    if len(within) < len(scores):
        get = scores.get
        return {d: s for d in within if (s := get(d)) is not None}
    return {d: s for d, s in scores.items() if d in within}


def among(docs: Docs, within: Docs) -> Docs:
    """The documents of `docs` in `within`. Sets of documents are made as dicts (of None):
    the garbage collector does not walk a dict of ints, and walks a set's every item."""
    if len(within) < len(docs):
        return {d: None for d in within if d in docs}
    return {d: None for d in docs if d in within}


def merge(parts: list[Scores], biggest: int) -> Scores:
    """The parts' scores summed: the biggest copied, then each other added in the parts' order."""
    out = dict(parts[biggest])
    get = out.get
    for index, part in enumerate(parts):
        if index == biggest:
            continue
        for d, s in part.items():
            have = get(d)
            out[d] = s if have is None else have + s
    return out


def boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {d: s * boost for d, s in scores.items()}


class Ranked(Sequence[tuple[int, float]]):
    """Scored documents best first, equal scores in docnum order (as Whoosh ranks them).

    Most searches read only the first few: those come from a heap, and the
    whole list is sorted only when a reader goes past them.
    """

    HEAD = 64

    def __init__(
        self, scores: Scores, excluded: set[int] | frozenset[int] = frozenset(), order: list[int] | None = None
    ) -> None:
        gone = scores.keys() & excluded if excluded else ()  # walks the smaller of the two, in C
        if gone:
            scores = dict(scores)
            for docnum in gone:
                del scores[docnum]
        self._scores = scores
        self._all: list[tuple[int, float]] | None
        if order is not None:  # an order of the caller's: every document of `scores` in it
            self._all = [(d, scores[d]) for d in order if d in scores]
            self._head = self._all[: self.HEAD]
            return
        self._head = _head(self._scores, self.HEAD)
        self._all = None if len(self._scores) > self.HEAD else self._head

    def __len__(self) -> int:
        return len(self._scores)

    @overload
    def __getitem__(self, index: int) -> tuple[int, float]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, float]]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, float] | list[tuple[int, float]]:
        return self._everything()[index]

    def __iter__(self) -> Iterator[tuple[int, float]]:
        yield from self._head
        if len(self._scores) > len(self._head):
            yield from self._everything()[len(self._head) :]

    def _everything(self) -> list[tuple[int, float]]:
        if self._all is None:
            self._all = _in_order(self._scores, list(self._scores))
        return self._all


def _head(scores: Scores, count: int) -> list[tuple[int, float]]:
    """The first `count` of `scores` in rank order. The scores alone go through the heap
    (compared in C; a key function called on each of 9k postings took ~5 ms a search),
    then those at or above the last one kept are put in order (many, where it ties)."""
    if len(scores) <= count:
        return _in_order(scores, list(scores))
    cut = heapq.nlargest(count, scores.values())[-1]
    return _in_order(scores, [d for d, s in scores.items() if s >= cut], count)


def _in_order(scores: Scores, docs: list[int], count: int | None = None) -> list[tuple[int, float]]:
    """`docs` best first, equal scores in docnum order: sorted by docnum, then stably by
    score, both in C (a Python key function a document cost ~0.5 µs: 54k calls for 8 words,
    thousands of documents tying at the cut)."""
    docs.sort()
    docs.sort(key=scores.__getitem__, reverse=True)  # reverse keeps equal ones in their order
    return [(d, scores[d]) for d in islice(docs, count)]


def ranked(scores: Scores, excluded: set[int] | frozenset[int] = frozenset()) -> Ranked:
    """(docnum, score), best first; equal scores in docnum order, as Whoosh ranks them."""
    return Ranked(scores, excluded)


def newest_first(
    scores: Scores, date_of: Callable[[int], str], excluded: set[int] | frozenset[int] = frozenset()
) -> Ranked:
    """(docnum, score), the newest first by `date_of` (ISO 8601; "" undated: last), equal
    dates in docnum order: a search of filters alone, whose scores mean nothing to a reader."""
    docs = sorted(scores)
    docs.sort(key=date_of, reverse=True)  # reverse keeps equal ones in docnum order
    return Ranked(scores, excluded, docs)

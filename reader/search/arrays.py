"""A big index's query scored whole with numpy: postings as arrays, sets as sorted docnums.

At 100k posts a common Korean word matches most posts; reader.search.postings
evaluates it with a dict of {docnum: score} per term and per sub-query, a
Python step per posting at every stage (read, score, intersect, merge, rank):
0.2-0.6 s for a first search of a common word, where the issue asks 0.2 s at
p95. Here a term's postings are numpy arrays (docnums ascending, scores), an
AND an intersection of sorted arrays, an OR a union summed, and the ranking one
lexsort: each stage one call over the arrays.

The floats are those of the dict evaluation, bit for bit: the same formula on
the same inputs (IEEE doubles, one operation at a time), sums made in the same
order (an AND in its parts' order; an OR from its biggest part, then the others
in order), equal scores ranked in docnum order. tests/test_search_arrays.py
holds the two to the same documents, floats and order.

Used only where numpy pays for its import (~0.1 s): indexes of ARRAYS_FROM
documents or more, and a searcher prepared for the app at any size, whose
process stays (reader.search.postings.Postings.arrays, .prepare). Query kinds
this does not know are evaluated by the dict path and converted.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from whoosh import query as wq

from reader.search.blocks import extend_weights, term_blocks, term_postings
from reader.search.postings import query_key

if TYPE_CHECKING:
    from reader.search.postings import Postings

Pair = tuple[Any, Any]  # (docnums ascending, int64; their scores, float64)
TERM_POSTINGS = 4_000_000  # term postings kept per searcher (16 bytes each: ~64 MB)
RESULT_POSTINGS = 2_000_000  # postings of evaluated queries kept per searcher
_EMPTY: Pair = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Arrays:
    """One searcher's queries evaluated over numpy arrays (beside its `Postings`)."""

    def __init__(self, postings: Postings) -> None:
        self.postings = postings
        self._norms: dict[str, Any] = {}
        self._terms: OrderedDict[tuple[str, Any], Pair] = OrderedDict()
        self._terms_size = 0
        self._results: OrderedDict[int, tuple[Any, Pair]] = OrderedDict()
        self._results_size = 0
        self._lock = threading.Lock()

    def ranked(self, q: Any, excluded: set[int] | frozenset[int] = frozenset()) -> RankedArrays:
        """What `ranked(postings.scores(q), excluded)` gives (reader.search.scores)."""
        ids, scores = self.scores(q)
        return RankedArrays(ids, scores, excluded)

    def scores(self, q: Any) -> Pair:
        """Every document `q` matches and its score: docnums ascending (kept: never change them)."""
        if isinstance(q, wq.Term):
            return _boosted(self.term(q.fieldname, q.text), q.boost)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return _EMPTY
        key = query_key(q)
        if key is not None:
            with self._lock:
                known = self._results.get(key)
                if known is not None and known[0] == q:
                    self._results.move_to_end(key)
                    return known[1]
        found = self._evaluate(q)
        if key is not None:
            self._keep(key, q, found)
        return found

    def _evaluate(self, q: Any) -> Pair:
        if type(q) in (wq.And, wq.Or):
            subs = q.subqueries
            if not subs:
                return _EMPTY
            if len(subs) == 1:
                return self.scores(subs[0])  # Whoosh drops a one-child compound's boost too
            if type(q) is wq.Or:
                return _boosted(_or([self.scores(sub) for sub in subs]), q.boost)
            # The rarest part first: one that matches nothing spares reading the others (a tag
            # no post has beside a common word: 0.1-0.3 s of postings at 100k posts).
            parts: list[Pair] = [_EMPTY] * len(subs)
            for index in sorted(range(len(subs)), key=lambda i: self.postings.estimate(subs[i])):
                parts[index] = self.scores(subs[index])
                if not len(parts[index][0]):
                    return _EMPTY
            return _boosted(_and(parts), q.boost)
        if type(q) is wq.Require:  # scored by `a`, kept where `b` matches too
            required = self.scores(q.b)[0]
            if not len(required):
                return _EMPTY
            ids, scores = self.scores(q.a)
            keep = _member(ids, required)
            return ids[keep], scores[keep]
        if type(q) is wq.AndNot:
            ids, scores = self.scores(q.a)
            if not len(ids):
                return _EMPTY
            keep = ~_member(ids, self.scores(q.b)[0])
            return ids[keep], scores[keep]
        found = self.postings.scores(q)  # a kind the dict path knows (or Whoosh scores)
        ids = np.array(sorted(found), dtype=np.int64)
        return ids, np.array([found[d] for d in ids.tolist()], dtype=np.float64)

    def _keep(self, key: int, q: Any, found: Pair) -> None:
        with self._lock:
            old = self._results.pop(key, None)
            if old is not None:
                self._results_size -= len(old[1][0])
            self._results[key] = (q, found)
            self._results_size += len(found[0])
            while self._results_size > RESULT_POSTINGS and len(self._results) > 1:
                _, (_, dropped) = self._results.popitem(last=False)
                self._results_size -= len(dropped[0])

    # --- one term ------------------------------------------------------------------------

    def term(self, fieldname: str, text: Any) -> Pair:
        """A term's documents and scores, as `Postings.term` gives them."""
        key = (fieldname, text)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        found = self._read_term(fieldname, text)
        with self._lock:
            old = self._terms.pop(key, None)
            if old is not None:
                self._terms_size -= len(old[0])
            self._terms[key] = found
            self._terms_size += len(found[0])
            while self._terms_size > TERM_POSTINGS and len(self._terms) > 1:
                _, dropped = self._terms.popitem(last=False)
                self._terms_size -= len(dropped[0])
        return found

    def _read_term(self, fieldname: str, text: Any) -> Pair:
        searcher = self.postings.searcher
        schema = searcher.schema
        if fieldname not in schema:
            return _EMPTY
        field = schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return _EMPTY
        all_ids, all_weights = [], []
        for leaf, offset in self.postings.leaves:
            ids, weights = _segment_postings(leaf, fieldname, btext)
            if len(ids):
                all_ids.append(ids + offset if offset else ids)
                all_weights.append(weights)
        if not all_ids:
            return _EMPTY
        ids = np.concatenate(all_ids) if len(all_ids) > 1 else all_ids[0]
        weights = np.concatenate(all_weights) if len(all_weights) > 1 else all_weights[0]
        if not field.scorable:
            return ids, weights  # a weight is its score
        if not searcher.doc_count_all():
            return _EMPTY  # an index of no document (every file binary): Whoosh's idf would be log(0)
        # As Postings._score: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))).
        idf = self.postings.idf(fieldname, btext)
        lift = self.postings.K1 + 1
        return ids, idf * ((weights * lift) / (weights + self.norms(fieldname)[ids]))

    def norms(self, fieldname: str) -> Any:
        found = self._norms.get(fieldname)
        if found is None:
            found = self._norms[fieldname] = np.array(self.postings.norms(fieldname), dtype=np.float64)
        return found

    def prepare(self) -> None:
        for fieldname, field in self.postings.searcher.schema.items():
            if field.scorable:
                self.norms(fieldname)


def _segment_postings(leaf: Any, fieldname: str, btext: bytes) -> Pair:
    """A term's docnums and weights in one segment as arrays, deleted documents left out."""
    blocks = term_blocks(leaf, fieldname, btext)
    if blocks is None:  # a segment of another kind: Whoosh's matcher reads it
        ids_list, weights_list = term_postings(leaf, fieldname, btext)
        return np.array(ids_list, dtype=np.int64), np.array(weights_list, dtype=np.float64)
    if not blocks:
        return _EMPTY
    counts = [block[2] for block in blocks]
    if all(type(block[0]) is array for block in blocks):
        # Written by reader.search.segments: each block's ids and weights are arrays, read as
        # bytes (the weights Whoosh keeps as float32, the same floats as Python's).
        ids_array = np.concatenate([np.frombuffer(ids, dtype=ids.typecode) for ids, _, _, _ in blocks])
        weights_array = np.concatenate([_block_weights(weights, count) for _, weights, count, _ in blocks])
        ids_array, weights_array = ids_array.astype(np.int64), weights_array.astype(np.float64)
    else:  # tuples of numbers (Whoosh's own writer, or an index written before ours wrote arrays)
        flat: list[int] = []
        weights_flat: list[float] = []
        for ids, weights, count, _ in blocks:
            flat.extend(ids)
            extend_weights(weights_flat, weights, count)
        ids_array = np.array(flat, dtype=np.int64)
        weights_array = np.array(weights_flat, dtype=np.float64)
    if blocks[0][3]:  # delta-coded within each block: a running sum restarted at each block
        summed = np.cumsum(ids_array)
        ends = np.cumsum(counts) - 1
        before = np.concatenate(([0], summed[ends[:-1]]))
        ids_array = summed - np.repeat(before, counts)
    if leaf.has_deletions():
        gone = np.array(sorted(leaf.deleted_docs_set), dtype=np.int64)
        if len(gone):
            keep = ~_member(ids_array, gone)
            ids_array, weights_array = ids_array[keep], weights_array[keep]
    return ids_array, weights_array


def _block_weights(weights: Any, count: int) -> Any:
    """A block's weights as an array: None for each 1.0, one float for all the same, or one each."""
    if weights is None:
        return np.ones(count, dtype=np.float64)
    if isinstance(weights, float):
        return np.full(count, weights, dtype=np.float64)
    if type(weights) is array:
        return np.frombuffer(weights, dtype=weights.typecode)
    return np.array(weights, dtype=np.float64)


# --- sets of documents ---------------------------------------------------------------------


def _member(ids: Any, among: Any) -> Any:
    """A mask over `ids`: which of them are in `among` (both ascending, unique)."""
    if not len(among):
        return np.zeros(len(ids), dtype=bool)
    at = np.searchsorted(among, ids)
    at[at == len(among)] = 0
    return among[at] == ids


def _positions(ids: Any, within: Any) -> Any:
    """Where each of `ids` is in `within` (every one of them is there; both ascending)."""
    return np.searchsorted(within, ids)


def _and(parts: list[Pair]) -> Pair:
    """The documents in every part, their scores summed in the parts' order (as Whoosh adds them)."""
    if any(not len(ids) for ids, _ in parts):
        return _EMPTY
    order = sorted(range(len(parts)), key=lambda i: len(parts[i][0]))
    keys = parts[order[0]][0]
    for index in order[1:]:
        keys = keys[_member(keys, parts[index][0])]
        if not len(keys):
            return _EMPTY
    total = None
    for ids, scores in parts:
        mine = scores[_positions(keys, ids)]
        total = mine if total is None else total + mine
    return keys, total


def _or(parts: list[Pair]) -> Pair:
    """Every part's documents, scores summed from the biggest part, then the others in order
    (reader.search.scores.merge: the order three floats are added in)."""
    parts = [part for part in parts if len(part[0])]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    biggest = max(range(len(parts)), key=lambda i: len(parts[i][0]))
    keys = _union([ids for ids, _ in parts])
    total = np.zeros(len(keys), dtype=np.float64)
    have = np.zeros(len(keys), dtype=bool)
    for index in [biggest, *(i for i in range(len(parts)) if i != biggest)]:
        ids, scores = parts[index]
        at = _positions(ids, keys)
        total[at] = np.where(have[at], total[at] + scores, scores)
        have[at] = True
    return keys, total


def _union(arrays: list[Any]) -> Any:
    """The documents of every array, ascending, each once (np.unique hashed them: ~10 ms for
    200k docnums, where a sort and a comparison take ~2)."""
    joined = np.sort(np.concatenate(arrays))
    if len(joined) < 2:
        return joined
    keep = np.empty(len(joined), dtype=bool)
    keep[0] = True
    np.not_equal(joined[1:], joined[:-1], out=keep[1:])
    return joined[keep]


def _boosted(pair: Pair, boost: float) -> Pair:
    if boost == 1.0 or not len(pair[0]):
        return pair
    return pair[0], pair[1] * boost


class RankedArrays(Sequence[tuple[int, float]]):
    """Scored documents best first, equal scores in docnum order (reader.search.scores.Ranked)."""

    def __init__(self, ids: Any, scores: Any, excluded: set[int] | frozenset[int] = frozenset()) -> None:
        if excluded and len(ids):
            gone = np.array(sorted(excluded), dtype=np.int64)
            keep = ~_member(ids, gone)
            ids, scores = ids[keep], scores[keep]
        order = np.lexsort((ids, -scores))  # the last key first: score descending, then docnum
        self._ids: list[int] = ids[order].tolist()
        self._scores: list[float] = scores[order].tolist()

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> tuple[int, float]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, float]]: ...
    def __getitem__(self, index: int | slice) -> tuple[int, float] | list[tuple[int, float]]:
        if isinstance(index, slice):
            return list(zip(self._ids[index], self._scores[index], strict=True))
        return self._ids[index], self._scores[index]

    def __iter__(self) -> Iterator[tuple[int, float]]:
        return zip(self._ids, self._scores, strict=True)

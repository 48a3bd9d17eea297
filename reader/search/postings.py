"""Running a Whoosh query without Whoosh's matcher trees: postings read in bulk, sets and sums.

A Korean word is an AND of bigrams, each maybe an OR with its cross-space
form, over two fields, with its stem as another OR: a deep tree that
Whoosh walks one document at a time in Python, where block-max pruning
cannot skip (0.1-0.5 s for a two-word query at 10k posts). Here every
term's postings are read once per searcher, block by block, into a dict
{docnum: BM25F score}; AND is a key intersection, OR a merge, AND NOT a
difference, all over whole sets. The scores are Whoosh's own formula on
Whoosh's own inputs (weights, length bytes, idf, average length), so the
order is the same as `searcher.search` gives: score, then docnum.

Term dicts are kept per searcher (a searcher is replaced when the index
changes), within a budget of postings, so the terms a user types again
(narrowing a query, paging) cost nothing. Query types this module does
not know (dates, `Every`) are scored by Whoosh itself.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar, cast, overload

from whoosh import query as wq
from whoosh.codec.whoosh3 import STORED_COLUMN
from whoosh.util.numeric import byte_to_length

from reader.search.blocks import length_bytes, term_postings

Scores = dict[int, float]
V = TypeVar("V")
CACHE_POSTINGS = 200_000  # term postings kept per searcher (~20 MB at most: ~20 common bigrams at 10k)
CACHE_RESULTS = 150_000  # postings of evaluated queries kept per searcher (a few long words' trees)
FEW_PATHS = 256  # paths read one at a time before all are read at once


class Postings:
    """One searcher's term postings as score dicts, and queries evaluated over them."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves: list[tuple[Any, int]] = list(self.reader.leaf_readers())
        weighting = searcher.weighting
        self.B = getattr(weighting, "B", 0.75)
        self.K1 = getattr(weighting, "K1", 1.2)
        self._field_B: dict[str, float] = getattr(weighting, "_field_B", {})
        self._norms: dict[str, list[float]] = {}
        self._terms: OrderedDict[tuple[str, Any], Scores] = OrderedDict()
        self._size = 0
        self._results: OrderedDict[int, tuple[Any, Scores]] = OrderedDict()  # hash -> (query, its scores)
        self._results_size = 0
        self._paths: list[str] | None = None
        self._some_paths: dict[int, str] = {}
        self._lock = threading.Lock()
        self._vocabularies: dict[str, Any] = {}
        self.terms = TermCounts(self.reader)

    def vocabulary(self, fieldname: str, make: Callable[[Any, str], V]) -> V:
        """A per-searcher helper over one field's terms (made with `self.terms`)."""
        with self._lock:
            found = self._vocabularies.get(fieldname)
            if found is None:
                found = self._vocabularies[fieldname] = make(self.terms, fieldname)
            return cast(V, found)

    # --- evaluating a query --------------------------------------------------------------

    def scores(self, q: Any) -> Scores:
        """Every document `q` matches, with the score Whoosh would give it.

        The dict may be one this cache keeps (a term's, a query's): read it, never change it.
        A query's is kept too: a repeated or narrowed search, and the counts a search makes
        of its own words, evaluate the same trees again (읽은다섯's respellings: ~20 ms each time)."""
        if isinstance(q, wq.Term):
            found = self.term(q.fieldname, q.text)
            return _boosted(found, q.boost)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        try:
            key = hash(q)
        except TypeError:
            return self._evaluate(q)
        with self._lock:
            known = self._results.get(key)
            if known is not None and known[0] == q:
                self._results.move_to_end(key)
                return known[1]
        found = self._evaluate(q)
        with self._lock:
            old = self._results.pop(key, None)
            if old is not None:
                self._results_size -= len(old[1])
            self._results[key] = (q, found)
            self._results_size += len(found)
            while self._results_size > CACHE_RESULTS and len(self._results) > 1:
                _, (_, dropped) = self._results.popitem(last=False)
                self._results_size -= len(dropped)
        return found

    def _evaluate(self, q: Any) -> Scores:
        if isinstance(q, wq.And | wq.Or) and type(q) in (wq.And, wq.Or):
            subs = q.subqueries
            if not subs:
                return {}
            if len(subs) == 1:
                return self.scores(subs[0])  # Whoosh drops a one-child compound's boost too
            combined = self._and(subs) if isinstance(q, wq.And) else self._or(subs)
            return _boosted(combined, q.boost)
        if type(q) is wq.Require:  # scored by `a`, kept where `b` matches too
            required = self.docs(q.b)  # first: a word no post holds has no trigrams to read `a` for
            if not required:
                return {}
            kept = self.scores(q.a)
            if len(required) < len(kept):
                return {d: kept[d] for d in required if d in kept}
            return {d: s for d, s in kept.items() if d in required}
        if type(q) is wq.AndNot:
            kept = self.scores(q.a)
            if not kept:
                return kept
            dropped = self.docs(q.b)
            return {d: s for d, s in kept.items() if d not in dropped}
        return self._whoosh(q)

    def docs(self, q: Any) -> Scores:
        """The documents `q` matches: the keys (the scores are there, unasked for)."""
        return self.scores(q)

    def _and(self, subs: list[Any]) -> Scores:
        parts: list[Scores] = []
        for sub in subs:
            part = self.scores(sub)
            if not part:
                return {}
            parts.append(part)
        # From the smallest part up, each step looking the survivors up in the next part
        # (set.intersection_update(dict_keys) walks the whole dict: 9k keys a common bigram).
        ordered = sorted(parts, key=len)
        keys: Any = ordered[0].keys()
        for part in ordered[1:]:
            keys = [d for d in keys if d in part]
            if not keys:
                return {}
        # Summed in the parts' order, as Whoosh adds them (the same floats, the same ties).
        if len(parts) == 2:
            a, b = parts
            return {d: a[d] + b[d] for d in keys}
        if len(parts) == 3:
            a, b, c = parts
            return {d: a[d] + b[d] + c[d] for d in keys}
        first, *rest = parts
        out = {d: first[d] for d in keys}
        for part in rest:
            out = {d: s + part[d] for d, s in out.items()}
        return out

    def _or(self, subs: list[Any]) -> Scores:
        parts = [part for part in (self.scores(sub) for sub in subs) if part]
        if not parts:
            return {}
        # The biggest part copied whole (C speed), the smaller ones merged into it:
        # a title's few postings into the body's many, not the other way round.
        biggest = max(range(len(parts)), key=lambda i: len(parts[i]))
        out = dict(parts[biggest])
        for index, part in enumerate(parts):
            if index == biggest:
                continue
            get = out.get
            for d, s in part.items():
                have = get(d)
                out[d] = s if have is None else have + s
        return out

    def _whoosh(self, q: Any) -> Scores:
        """A query type not handled here, scored by Whoosh (dates: a few hundred terms at most)."""
        results = self.searcher.search(q, limit=None, terms=False)
        return {hit.docnum: float(hit.score or 0.0) for hit in results}

    # --- one term ------------------------------------------------------------------------

    def term(self, fieldname: str, text: Any) -> Scores:
        """{docnum: score} of one term, as Whoosh's scorer for its field gives it."""
        key = (fieldname, text)
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        found = self._read_term(fieldname, text)
        with self._lock:
            if key not in self._terms:
                self._terms[key] = found
                self._size += len(found)
                while self._size > CACHE_POSTINGS and len(self._terms) > 1:
                    _, dropped = self._terms.popitem(last=False)
                    self._size -= len(dropped)
        return found

    def _read_term(self, fieldname: str, text: Any) -> Scores:
        schema = self.searcher.schema
        if fieldname not in schema:
            return {}
        field = schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return {}
        out: Scores = {}
        scorable = field.scorable
        if scorable:
            idf = self.searcher.idf(fieldname, btext)  # as Term.matcher asks it: by the term's bytes
            norms = self.norms(fieldname)
            k1 = self.K1
            lift = k1 + 1
        for leaf, offset in self.leaves:
            ids, weights = term_postings(leaf, fieldname, btext)
            if not ids:
                continue
            if offset:
                ids = [offset + d for d in ids]
            if scorable:
                # Whoosh: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
                out.update({d: idf * ((w * lift) / (w + norms[d])) for d, w in zip(ids, weights, strict=True)})
            else:
                out.update(zip(ids, weights, strict=True))
        return out

    def norms(self, fieldname: str) -> list[float]:
        """`K1 * ((1 - B) + B * fl / avgfl)` per docnum, fl as Whoosh stores it (one byte)."""
        found = self._norms.get(fieldname)
        if found is not None:
            return found
        B = self._field_B.get(fieldname, self.B)
        k1 = self.K1
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        # By length byte: 0 is a document without the field (doc_field_length gives None).
        by_byte = [0.0] + [k1 * ((1 - B) + B * byte_to_length(b) / avgfl) for b in range(1, 256)]
        out: list[float] = []
        for leaf, _ in self.leaves:
            column = length_bytes(leaf, fieldname)
            if column is not None:
                out.extend(map(by_byte.__getitem__, column))
                continue
            length = leaf.doc_field_length
            for docnum in range(leaf.doc_count_all()):
                fl = length(docnum, fieldname, 1)
                out.append(k1 * ((1 - B) + B * fl / avgfl) if fl is not None else 0.0)
        self._norms[fieldname] = out
        return out

    # --- stored paths ------------------------------------------------------------------------

    def path(self, docnum: int) -> str:
        """The stored path of a document: one at a time for the first few a searcher
        asks for, then all of them in one pass (25 ms at 10k posts; one call each: 200)."""
        paths = self._paths
        if paths is not None:
            return paths[docnum]
        found = self._some_paths.get(docnum)
        if found is None:
            if len(self._some_paths) >= FEW_PATHS:
                self._paths = self._all_paths()
                return self._paths[docnum]
            found = self._some_paths[docnum] = str(self.searcher.stored_fields(docnum).get("path", ""))
        return found

    def _all_paths(self) -> list[str]:
        out: list[str] = []
        for leaf, _ in self.leaves:
            count = leaf.doc_count_all()
            try:  # the stored column read in one pass: 25 ms at 10k posts, where one call a post takes 200
                column = leaf._perdoc._cached_reader("_stored", STORED_COLUMN)
                stored = list(islice(column, count)) if column is not None else None
            except AttributeError:
                stored = None
            if stored is None or len(stored) != count:
                stored = [leaf.stored_fields(docnum) for docnum in range(count)]
            out.extend((fields or {}).get("path", "") for fields in stored)
        return out


class TermCounts:
    """An index reader whose document frequencies are each looked up once per searcher.

    A lookup walks Whoosh's term hash in every segment (~25 µs); a plan asks for
    both forms of each bigram of each word in each field, a did-you-mean for
    hundreds, and a repeated or narrowed search for the same again. Anything
    else is the reader's own.
    """

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self._df: dict[tuple[str, Any], int] = {}

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        key = (fieldname, text)
        found = self._df.get(key)
        if found is None:
            found = self._df[key] = int(self.reader.doc_frequency(fieldname, text))
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.reader, name)


class Ranked(Sequence[tuple[int, float]]):
    """Scored documents best first, equal scores in docnum order (as Whoosh ranks them).

    Most searches read only the first few: those come from a heap, and the
    whole list is sorted only when a reader goes past them.
    """

    HEAD = 64

    def __init__(self, scores: Scores, excluded: set[int] | frozenset[int] = frozenset()) -> None:
        gone = scores.keys() & excluded if excluded else ()  # walks the smaller of the two, in C
        if gone:
            scores = dict(scores)
            for docnum in gone:
                del scores[docnum]
        self._scores = scores
        self._head = _head(self._scores, self.HEAD)
        self._all: list[tuple[int, float]] | None = None if len(self._scores) > self.HEAD else self._head

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


def _boosted(scores: Scores, boost: float) -> Scores:
    if boost == 1.0:
        return scores
    return {d: s * boost for d, s in scores.items()}


_ATTRIBUTE = "_reader_postings"  # kept on the searcher itself: it goes when the searcher goes
_CREATE_LOCK = threading.Lock()


def for_searcher(searcher: Any) -> Postings:
    """The postings cache of an open searcher (made on first use, dropped with the searcher)."""
    found = getattr(searcher, _ATTRIBUTE, None)
    if found is None:
        with _CREATE_LOCK:
            found = getattr(searcher, _ATTRIBUTE, None)
            if found is None:
                found = Postings(searcher)
                setattr(searcher, _ATTRIBUTE, found)
    return cast(Postings, found)

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

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from itertools import chain
from math import log
from typing import TYPE_CHECKING, Any, TypeVar, cast

from whoosh import query as wq
from whoosh.scoring import WeightingModel
from whoosh.util.numeric import byte_to_length

from reader.search.blocks import TermCounts, length_bytes, stored_fields, term_postings
from reader.search.scores import Docs, Scores, among, boosted, merge, restricted

if TYPE_CHECKING:
    from reader.search.arrays import Arrays

RAW, WEIGHTS, SCORES = "raw", "weights", "scores"  # a term's postings as read, or by docnum (kept)
Entry = tuple[str, Any, bytes]  # (RAW, (docnums, weights)) or (WEIGHTS | SCORES, {docnum: value}), its bytes
V = TypeVar("V")
CACHE_POSTINGS = 200_000  # term postings kept per searcher (~20 MB at most: ~20 common bigrams at 10k)
CACHE_RESULTS = 150_000  # postings of evaluated queries kept per searcher (a few long words' trees)
WHOLE_WITHIN = 4  # a part is evaluated whole unless the documents asked for are under a quarter of it
LAZY_FROM = 2_000  # documents a query may match before `in_order` walks it instead of collecting them
FEW_PATHS = 256  # paths read one at a time before all are read at once
ONE_PATH_COSTS = 4  # paths read together in the time of one read alone (10k: 8-12 us alone, 1.8-3.1 each of all)
ARRAYS_FROM = 30_000  # documents from which a search is scored with numpy (reader.search.arrays)


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
        self._idf: dict[tuple[str, bytes], float] = {}
        self._terms: OrderedDict[tuple[str, Any], Entry] = OrderedDict()
        self._size = 0
        self._results: OrderedDict[int, tuple[Any, Docs, bool]] = OrderedDict()  # hash -> (query, found, scored)
        self._results_size = 0
        self._paths: list[str] | None = None
        self._some_paths: dict[int, str] = {}
        self._lock = threading.Lock()
        self._arrays: Any = None
        self._vocabularies: dict[str, Any] = {}
        self.terms = TermCounts(self.reader)
        self._doc_count = self.reader.doc_count_all()
        # (path, words' byte patterns) -> whether the file the index read holds them in its body:
        # a search's count asks again for the posts it counted unread (reader.search.searcher).
        self.held: dict[tuple[str, tuple[bytes, ...]], bool] = {}
        # (the query's words together, as a pattern; path; the post's digest) -> its proximity tier:
        # the app asks again for the same query (paging, a scope, a search repeated).
        self.tiers: dict[tuple[str, str, str], int] = {}

    def vocabulary(self, fieldname: str, make: Callable[[Any, str], V]) -> V:
        """A per-searcher helper over one field's terms (made with `self.terms`)."""
        with self._lock:
            found = self._vocabularies.get(fieldname)
            if found is None:
                found = self._vocabularies[fieldname] = make(self.terms, fieldname)
            return cast(V, found)

    def arrays(self) -> Arrays | None:
        """The numpy evaluation of this searcher's queries (reader.search.arrays), for an index
        big enough to pay for numpy's import or a searcher prepared for the app; None for
        another."""
        if self._arrays is None and self._doc_count < ARRAYS_FROM:
            return None
        return self._make_arrays()

    def _make_arrays(self) -> Arrays:
        if self._arrays is None:
            from reader.search.arrays import Arrays

            with self._lock:
                if self._arrays is None:
                    self._arrays = Arrays(self)
        return cast("Arrays", self._arrays)

    # --- evaluating a query --------------------------------------------------------------

    def scores(self, q: Any) -> Scores:
        """Every document `q` matches, with the score Whoosh would give it.

        The dict may be one this cache keeps (a term's, a query's): read it, never change it.
        A query's is kept too: a repeated or narrowed search, and the counts a search makes
        of its own words, evaluate the same trees again (읽은다섯's respellings: ~20 ms each time)."""
        return self._scores(q, None)

    def docs(self, q: Any) -> Docs:
        """The documents `q` matches, none scored (a kept collection: read it, never change it)."""
        return self._docs(q, None)

    def in_order(self, q: Any) -> Iterator[int]:
        """The documents `q` matches in docnum order, found as they are asked for: what a
        count of a few posts or a "does any post match" reads first.

        A common word's documents as a set read every posting of its bigrams (at 100k
        posts, 위험하기 took ~250 ms to learn that one post holds it). Here a query of
        the kinds this module evaluates itself, not kept already and estimated at over
        LAZY_FROM documents, is walked by Whoosh's own matcher, which reads its terms'
        postings a block at a time and leaps over the blocks an AND cannot match: the
        same documents (deleted ones left out by Whoosh's segment reader), the first
        ones after a few blocks."""
        known = self._known(query_key(q), q)
        if known is not None or not walkable(q) or self.estimate(q) <= LAZY_FROM:
            return iter(sorted(known[0] if known is not None else self.docs(q)))
        return self.walk(q)

    def walk(self, q: Any) -> Iterator[int]:
        """The documents `q` matches as Whoosh's matcher walks them."""
        matcher = q.matcher(self.searcher)
        while matcher.is_active():
            yield matcher.id()
            matcher.next()

    def _scores(self, q: Any, within: Docs | None) -> Scores:
        """`scores(q)`, only for the documents in `within` when given: each the same float.

        Within an AND, a part is evaluated only over the documents its rarer parts left
        (a compound's common bigrams scored for its 56 posts, not their 18k postings)."""
        if isinstance(q, wq.Term):
            return boosted(self._term(q.fieldname, q.text, within), q.boost)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        key = query_key(q)
        known = self._known(key, q)
        if known is not None and known[1]:
            return known[0] if within is None else restricted(known[0], within)
        if within is not None:
            if len(within) * WHOLE_WITHIN < self.estimate(q):
                return self._evaluate(q, within)
            # Not much smaller than what `q` matches: evaluated whole (and kept), then cut once,
            # rather than each of its terms cut (a common word's stem asks for the same terms).
            return restricted(self._scores(q, None), within)
        found = self._evaluate(q, None)
        self._keep(key, q, found, True)
        return found

    def _docs(self, q: Any, within: Docs | None) -> Docs:
        """`docs(q)`, only those in `within` when given."""
        if isinstance(q, wq.Term):
            found: Docs = self._term_docs(q.fieldname, q.text)
            return found if within is None else among(found, within)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return frozenset()
        key = query_key(q)
        known = self._known(key, q)
        if known is not None:
            return known[0] if within is None else among(known[0], within)
        if within is not None and len(within) * WHOLE_WITHIN >= self.estimate(q):
            return among(self._docs(q, None), within)
        found = self._evaluate_docs(q, within)
        if within is None:
            self._keep(key, q, found, False)
        return found

    def _known(self, key: int | None, q: Any) -> tuple[Any, bool] | None:
        """A kept evaluation of `q`: (its scores or docs, whether scored)."""
        if key is None:
            return None
        with self._lock:
            known = self._results.get(key)
            if known is None or known[0] != q:
                return None
            self._results.move_to_end(key)
            return known[1], known[2]

    def _keep(self, key: int | None, q: Any, found: Any, scored: bool) -> None:
        if key is None:
            return
        with self._lock:
            old = self._results.pop(key, None)
            if old is not None:
                self._results_size -= len(old[1])
            self._results[key] = (q, found, scored)
            self._results_size += len(found)
            while self._results_size > CACHE_RESULTS and len(self._results) > 1:
                _, (_, dropped, _) = self._results.popitem(last=False)
                self._results_size -= len(dropped)

    def _evaluate(self, q: Any, within: Docs | None) -> Scores:
        if isinstance(q, wq.And | wq.Or) and type(q) in (wq.And, wq.Or):
            subs = q.subqueries
            if not subs:
                return {}
            if len(subs) == 1:
                return self._scores(subs[0], within)  # Whoosh drops a one-child compound's boost too
            combined = self._and(subs, within) if isinstance(q, wq.And) else self._or(q, subs, within)
            return boosted(combined, q.boost)
        if type(q) is wq.Require:  # scored by `a`, kept where `b` matches too
            required = self._docs(q.b, within)  # first: a word no post holds has no trigrams to read `a` for
            if not required:
                return {}
            return self._scores(q.a, required)
        if type(q) is wq.AndNot:
            kept = self._scores(q.a, within)
            if not kept:
                return kept
            dropped = self._docs(q.b, kept)
            return {d: s for d, s in kept.items() if d not in dropped}
        found = self._whoosh(q)
        return found if within is None else restricted(found, within)

    def _evaluate_docs(self, q: Any, within: Docs | None) -> Docs:
        if isinstance(q, wq.And | wq.Or) and type(q) in (wq.And, wq.Or):
            subs = q.subqueries
            if isinstance(q, wq.Or):
                parts = [part for part in (self._docs(sub, within) for sub in subs) if part]
                if len(parts) <= 1:
                    return parts[0] if parts else frozenset()
                return dict.fromkeys(chain.from_iterable(parts))
            kept: Docs | None = within
            for sub in sorted(subs, key=self.estimate):
                kept = self._docs(sub, kept)
                if not kept:
                    return frozenset()
            return kept if kept is not None else frozenset()
        if type(q) is wq.Require:
            required = self._docs(q.b, within)
            return self._docs(q.a, required) if required else frozenset()
        if type(q) is wq.AndNot:
            found = self._docs(q.a, within)
            if not found:
                return found
            dropped = self._docs(q.b, found)
            return {d: None for d in found if d not in dropped} if dropped else found
        return self._scores(q, within).keys()

    def estimate(self, q: Any) -> int:
        """At least how many documents `q` may match, as cheaply as it can be told: its
        terms' document frequencies (an AND's parts are evaluated rarest first)."""
        if isinstance(q, wq.Term):
            with self._lock:
                found = self._terms.get((q.fieldname, q.text))
            if found is not None:
                return _entry_size(found)
            try:
                return int(self.terms.doc_frequency(q.fieldname, q.text))
            except (KeyError, TypeError, ValueError):
                return self._doc_count
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return 0
        if type(q) is wq.And:
            return min(map(self.estimate, q.subqueries), default=0)
        if type(q) is wq.Or:
            return min(self._doc_count, sum(map(self.estimate, q.subqueries)))
        if type(q) is wq.Require:
            return min(self.estimate(q.a), self.estimate(q.b))
        if type(q) is wq.AndNot:
            return self.estimate(q.a)
        return self._doc_count

    def _and(self, subs: list[Any], within: Docs | None) -> Scores:
        # Rarest first, each part evaluated only where the ones before it matched; a part not
        # much bigger than that is evaluated whole (kept so), and the survivors looked up in it.
        parts: list[Scores] = [{}] * len(subs)
        keys: Any = within  # None, documents, or the survivors as a list (looked up, never in)
        for index in sorted(range(len(subs)), key=lambda i: self.estimate(subs[i])):
            sub = subs[index]
            if keys is not None and len(keys) * WHOLE_WITHIN < self.estimate(sub):
                part = self._scores(sub, dict.fromkeys(keys) if isinstance(keys, list) else keys)
                keys = part
            else:
                part = self._scores(sub, None)
                keys = part if keys is None else [d for d in keys if d in part]
            if not keys:
                return {}
            parts[index] = part
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

    def _or(self, q: Any, subs: list[Any], within: Docs | None) -> Scores:
        if within is not None and len(subs) > 2:
            # Merged from its biggest part, as evaluated whole: which part that is decides the
            # order three floats are added in. Known for terms; anything else is evaluated whole.
            if not all(isinstance(sub, wq.Term) for sub in subs):
                return restricted(self._scores(q, None), within)
            sizes = [len(self._term_docs(sub.fieldname, sub.text)) for sub in subs]
            biggest = max(range(len(subs)), key=sizes.__getitem__) if any(sizes) else 0
            parts = [self._scores(sub, within) for sub in subs]
            return merge(parts, biggest)
        parts = [part for part in (self._scores(sub, within) for sub in subs) if part]
        if not parts:
            return {}
        # The biggest part copied whole (C speed), the smaller ones merged into it:
        # a title's few postings into the body's many, not the other way round.
        # (With two parts, which is copied changes no sum: a + b == b + a.)
        return merge(parts, max(range(len(parts)), key=lambda i: len(parts[i])))

    def _whoosh(self, q: Any) -> Scores:
        """A query type not handled here, scored by Whoosh (dates: a few hundred terms at most)."""
        results = self.searcher.search(q, limit=None, terms=False)
        return {hit.docnum: float(hit.score or 0.0) for hit in results}

    # --- one term ------------------------------------------------------------------------

    def term(self, fieldname: str, text: Any) -> Scores:
        """{docnum: score} of one term, as Whoosh's scorer for its field gives it."""
        return self._term(fieldname, text, None)

    def _term(self, fieldname: str, text: Any, within: Docs | None) -> Scores:
        """A term's scores (only in `within`, when given). Where `within` is not much smaller
        than the term, it is scored whole and kept so: the same bigram is asked for again by
        the word's stem, or by the next search. Else only its documents in `within` are."""
        key = (fieldname, text)
        entry = self._entry(key)
        kind, data, btext = entry
        if kind == SCORES:
            return data if within is None else restricted(data, within)
        size = len(data[0]) if kind == RAW else len(data)
        if within is None or len(within) * WHOLE_WITHIN >= size:
            whole = self._score(fieldname, btext, data if kind == WEIGHTS else zip(*data, strict=True), None)
            self._store(key, (SCORES, whole, btext))
            return whole if within is None else restricted(whole, within)
        return self._score(fieldname, btext, self._weights(key, entry), within)

    def _term_docs(self, fieldname: str, text: Any) -> Scores:
        """The documents of a term: the keys of its kept weights or scores."""
        key = (fieldname, text)
        return self._weights(key, self._entry(key))

    def _weights(self, key: tuple[str, Any], entry: Entry) -> Scores:
        """A term's {docnum: weight} (or its scores, once scored), made (and kept) from its
        postings as read."""
        kind, data, btext = entry
        if kind != RAW:
            return data
        found = dict(zip(*data, strict=True))
        self._store(key, (WEIGHTS, found, btext))
        return found

    def _entry(self, key: tuple[str, Any]) -> Entry:
        """A term's kept entry, or its postings as read (kept once made a dict)."""
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        entry = self._read_term(*key)
        if entry[0] != RAW:
            self._store(key, entry)
        return entry

    def _store(self, key: tuple[str, Any], entry: Entry) -> None:
        with self._lock:
            old = self._terms.pop(key, None)
            if old is not None:
                self._size -= _entry_size(old)
            self._terms[key] = entry
            self._size += _entry_size(entry)
            while self._size > CACHE_POSTINGS and len(self._terms) > 1:
                _, dropped = self._terms.popitem(last=False)
                self._size -= _entry_size(dropped)

    def _read_term(self, fieldname: str, text: Any) -> Entry:
        """A term's postings in every segment, as read (docnums and weights); scored already
        where the field is not scored (a weight is its score)."""
        schema = self.searcher.schema
        if fieldname not in schema:
            return SCORES, {}, b""
        field = schema[fieldname]
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return SCORES, {}, b""
        all_ids: list[int] = []
        all_weights: list[float] = []
        for leaf, offset in self.leaves:
            ids, weights = term_postings(leaf, fieldname, btext)
            all_ids.extend(map(offset.__add__, ids) if offset else ids)
            all_weights.extend(weights)
        if not field.scorable:
            return SCORES, dict(zip(all_ids, all_weights, strict=True)), btext
        return RAW, (all_ids, all_weights), btext

    def _score(self, fieldname: str, btext: bytes, weights: Any, within: Docs | None) -> Scores:
        """Whoosh: idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl))), per document:
        of every (docnum, weight) pair `weights` gives, or of the {docnum: weight} in `within`."""
        if not self.searcher.doc_count_all():
            return {}  # an index of no document (every file binary): Whoosh's idf would be log(0)
        idf = self.idf(fieldname, btext)
        norms = self.norms(fieldname)
        lift = self.K1 + 1
        if within is None:
            pairs = weights.items() if isinstance(weights, dict) else weights
            return {d: idf * ((w * lift) / (w + norms[d])) for d, w in pairs}
        if len(within) < len(weights):
            get = weights.get
            return {d: idf * ((w * lift) / (w + norms[d])) for d in within if (w := get(d)) is not None}
        return {d: idf * ((w * lift) / (w + norms[d])) for d, w in weights.items() if d in within}

    def idf(self, fieldname: str, btext: bytes) -> float:
        """The term's idf as the searcher's BM25F gives it (WeightingModel.idf: log(N / (df + 1))
        + 1), its document frequency read with `self.terms` (os.pread: Whoosh's own lookup
        walked every segment's hash through three file layers, ~0.9 ms a term at 100k posts)."""
        key = (fieldname, btext)
        found = self._idf.get(key)
        if found is None:
            try:
                if type(self.searcher.weighting).idf is not WeightingModel.idf:
                    raise ValueError("another weighting's idf")
                text = btext.decode("utf-8", "surrogatepass")
            except ValueError:  # UnicodeDecodeError too: not a text field's term
                found = float(self.searcher.idf(fieldname, btext))
            else:
                found = log(self._doc_count / (self.terms.doc_frequency(fieldname, text) + 1)) + 1
            self._idf[key] = found
        return found

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

    def prepare(self) -> None:
        """Read now what a first search would wait for: every scored field's lengths and every
        document's path (at 10k posts ~45 ms of the first search past FEW_PATHS hits)."""
        for fieldname, field in self.searcher.schema.items():
            if field.scorable:
                self.norms(fieldname)
        if self._paths is None:
            self._paths = self._all_paths()
        # Searched with numpy at any size: the app's process stays, and numpy's import (~0.1 s)
        # is paid here, off its UI thread (at 10k posts the app's first two-word and word
        # searches took ~25% less than with the dicts).
        self._make_arrays().prepare()

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

    def paths_of(self, docnums: list[int]) -> list[str]:
        """The stored paths of `docnums`: one at a time when that is quicker than all at once
        (a zero-hit search ranks a respelling by the sizes of its ~300 candidates' files: 3 ms
        one at a time, where 256 of them and then all took ~25 ms at 10k posts)."""
        if self._paths is None and len(docnums) * ONE_PATH_COSTS > self._doc_count:
            self._paths = self._all_paths()
        if self._paths is not None:
            return [self._paths[docnum] for docnum in docnums]
        some, stored = self._some_paths, self.searcher.stored_fields
        for docnum in docnums:
            if docnum not in some:
                some[docnum] = str(stored(docnum).get("path", ""))
        return [some[docnum] for docnum in docnums]

    def _all_paths(self) -> list[str]:
        out: list[str] = []
        for leaf, _ in self.leaves:
            count = leaf.doc_count_all()
            stored = stored_fields(leaf)  # the stored column read at once: ~10 ms at 10k posts
            if stored is None or len(stored) != count:
                stored = [leaf.stored_fields(docnum) for docnum in range(count)]
            out.extend((fields or {}).get("path", "") for fields in stored)
        return out


def walkable(q: Any) -> bool:
    """Whether `q` is made of the query kinds whose documents `Postings` finds as Whoosh's
    matcher does (tests/test_search_postings.py holds the two to the same documents)."""
    if isinstance(q, wq.Term):
        return True
    if type(q) in (wq.And, wq.Or):
        return all(walkable(sub) for sub in q.subqueries)
    if type(q) in (wq.Require, wq.AndNot):
        return walkable(q.a) and walkable(q.b)
    return False


def _entry_size(entry: Entry) -> int:
    kind, data, _ = entry
    return len(data[0]) if kind == RAW else len(data)


def query_key(q: Any) -> int | None:
    """A query's key in a cache of evaluations (None: it cannot be hashed)."""
    try:
        return hash(q)
    except TypeError:
        return None


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

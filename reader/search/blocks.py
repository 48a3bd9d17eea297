"""Whoosh's on-disk postings, columns and term dictionary read in bulk, as its own readers give them.

Whoosh reads a postings block's length and info pickle a few bytes at a time,
and a document's field length one call at a time; a search at 10k posts
asked for tens of thousands of each. These read a term's postings with one
file read and a segment's length column at once, in the same formats
(W3PostingsWriter, W3PerDocWriter), and fall back to Whoosh's own readers
for a segment of another kind. Pinned by tests against those readers.
"""

from __future__ import annotations

import io
import os
import pickle
import struct
import zlib
from bisect import bisect_left
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    STORED_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3LeafMatcher,
    W3TermsReader,
)
from whoosh.columns import CompressedBytesColumn, NumericColumn, PickleColumn
from whoosh.filedb.compound import SubFile
from whoosh.filedb.filetables import OrderedHashReader
from whoosh.filedb.structfile import StructFile
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def term_postings(leaf: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]]:
    """A term's docnums and weights in one segment, deleted documents left out."""
    read = read_whole(leaf, fieldname, btext)
    if read is not None:
        ids, weights = read
        gone: frozenset[int] = leaf.deleted_docs_set if leaf.has_deletions() else frozenset()
        return without_deleted(ids, weights, gone)
    if (fieldname, btext) not in leaf:
        return [], []
    matcher = leaf.postings(fieldname, btext)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher):
        deleted = leaf.deleted_docs_set
        matcher = matcher.child
    if isinstance(matcher, W3LeafMatcher):
        ids, weights = block_postings(matcher)
    else:
        ids, weights = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return without_deleted(ids, weights, deleted)


def without_deleted(ids: list[int], weights: list[float], gone: frozenset[int]) -> tuple[list[int], list[float]]:
    """Postings with the deleted documents left out. A segment's deletions are few beside a
    common term's postings (12 of 50k in a synced 100k-post index, where a comprehension over
    every posting took ~4 ms a term): the ids are ascending, so each deleted one is found by
    bisection and only the lists around it are copied."""
    if not gone or gone.isdisjoint(ids):
        return ids, weights
    drop = [at for d in sorted(gone) if (at := bisect_left(ids, d)) < len(ids) and ids[at] == d]
    kept_ids: list[int] = []
    kept_weights: list[float] = []
    start = 0
    for at in drop:
        kept_ids.extend(ids[start:at])
        kept_weights.extend(weights[start:at])
        start = at + 1
    kept_ids.extend(ids[start:])
    kept_weights.extend(weights[start:])
    return kept_ids, kept_weights


def length_bytes(leaf: Any, fieldname: str) -> bytes | None:
    """Every document's length byte of `fieldname` in one segment, read at once (one
    `doc_field_length` call a document: 20k calls, ~0.2 s of a cold CLI search at 10k
    posts), or None where the segment stores them some other way."""
    try:
        reader = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    except AttributeError:
        return None
    if type(reader) is not NumericColumn.Reader or reader._typecode != "B":
        return None
    count = leaf.doc_count_all()
    stored = bytes(reader._dbfile.get(reader._basepos, min(reader._count, count))) if reader._count else b""
    return stored + bytes(count - len(stored))  # documents past the stored ones: the default, 0


def stored_fields(leaf: Any) -> list[Any] | None:
    """Every document's stored fields in one segment (None for a document without), its
    stored column read with one file read, or None where it is stored some other way.

    Whoosh's own iteration reads each document's bytes with a seek and a read through
    three file layers (10k documents: ~30 ms, ~130 under cProfile)."""
    try:
        column = leaf._perdoc._cached_reader("_stored", STORED_COLUMN)
    except AttributeError:
        return None
    if type(column) is not PickleColumn.Reader:
        return None
    child = column._child
    if type(child) is not CompressedBytesColumn.Reader or child._decompress is not zlib.decompress:
        return None
    count = leaf.doc_count_all()
    lengths = list(child._lengths)
    if len(lengths) < count:
        return None
    lengths = lengths[:count]
    data = bytes(child._dbfile.get(child._basepos, sum(lengths)))
    out: list[Any] = []
    at = 0
    for length in lengths:
        raw = data[at : at + length]
        at += length
        value = zlib.decompress(raw) if raw else raw
        out.append(pickle.loads(value) if value else None)
    return out


_BLOCK_LENGTH = struct.Struct("!i")  # W3PostingsWriter.write_int: negative for the last block


def read_whole(leaf: Any, fieldname: str, btext: bytes) -> tuple[list[int], list[float]] | None:
    """A term's postings in one segment read with one file read and decoded in memory, or
    None where this segment is not one this knows (then Whoosh's matcher reads them).

    Whoosh's matcher reads a block's length and its info pickle a few bytes at a time
    through the compound file (27k reads for 8 first searches at 10k posts: ~0.25 s of
    their 0.76 s under cProfile). Same format, read as W3LeafMatcher reads it (see
    `term_blocks`).
    """
    blocks = term_blocks(leaf, fieldname, btext)
    if blocks is None:
        return None
    out_ids: list[int] = []
    out_weights: list[float] = []
    for ids, weights, count, coded in blocks:
        out_ids.extend(accumulate(ids) if coded else ids)  # whoosh.util.numlists.delta_decode
        extend_weights(out_weights, weights, count)
    return out_ids, out_weights


def extend_weights(out: list[float], weights: Any, count: int) -> None:
    """A block's weights onto `out`: None for each 1.0, one float for all the same, or one each."""
    if weights is None:
        out.extend([1.0] * count)
    elif isinstance(weights, float):
        out.extend([weights] * count)
    else:
        out.extend(weights)


# ids, weights (None: each 1.0; a float: all the same; or one each), count, delta-coded
Block = tuple[Any, Any, int, bool]


def term_blocks(leaf: Any, fieldname: str, btext: bytes) -> list[Block] | None:
    """A term's postings blocks in one segment, decoded from one file read, or None where
    this segment is not one this knows. Whoosh's format (W3PostingsWriter): per block a
    length, a pickled info tuple, the data (maybe zlib'd) pickled as (ids delta-coded,
    weights). A term in few documents is inlined in its term info: one block, not coded."""
    terms: Any = getattr(leaf, "_terms", None)
    if type(terms) is not W3TermsReader or fieldname not in leaf.schema:
        return None
    try:
        info = terms.term_info(fieldname, btext)
    except (KeyError, TermNotFound):
        return []
    if info.is_inlined():
        ids, weights, _ = info.inlined_postings()
        return [(list(ids), [float(w) for w in weights] if weights else None, len(ids), False)]
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
        (length,) = length
    data = terms._postfile.get(offset, length)
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        return None
    out: list[Block] = []
    view = memoryview(data)
    at, end = 4, len(data)
    while at < end:
        (size,) = _BLOCK_LENGTH.unpack_from(data, at)
        at += 4
        last, size = size < 0, abs(size)
        stream = io.BytesIO(view[at : at + size])
        count, _maxid, _maxweight, compression, _, _ = pickle.load(stream)
        block = view[at + stream.tell() : at + size]
        ids, weights, _values = pickle.loads(zlib.decompress(block) if compression else block)
        out.append((ids, weights, count, True))
        at += size
        if last:
            break
    return out


def block_postings(matcher: Any) -> tuple[list[int], list[float]]:
    """Whole blocks at a time: the ids and weights arrays Whoosh decodes for its own
    matcher, without a Python call per posting (Whoosh internals, pinned by the tests)."""
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    return ids, weights


_SLOT = struct.Struct("!Iq")  # a hash table slot: the key's hash, the position of its record
_RECORD = struct.Struct("!ii")  # a record's key and value lengths
_DOC_FREQ_AT = 1 + 4  # in a W3TermInfo: the flags byte and the total weight come first
_DOC_FREQ = struct.Struct("!I")
_PROBE_SLOTS = 4  # slots read at once: most keys are found (or found missing) within them


class TermHashes:
    """A segment's term dictionary (Whoosh's on-disk hash, W3TermsReader) looked up with
    `os.pread`: a probe is one read of a few slots and one of the record.

    Whoosh's own lookup seeks and reads through three file layers four times a probe
    (~35 µs); a did-you-mean looks up ~600 spellings' bigrams in each segment.
    `make` gives None for a segment stored any other way (then ask Whoosh).
    """

    def __init__(self, fd: int, base: int, tables: list[tuple[int, int]], hashfn: Any, fieldmap: dict[str, int]):
        self._fd = fd
        self._base = base
        self._tables = tables
        self._hash = hashfn
        self._fields = {name: struct.pack("!H", number) for name, number in fieldmap.items()}

    @classmethod
    def make(cls, leaf: Any) -> TermHashes | None:
        terms: Any = getattr(leaf, "_terms", None)
        if type(terms) is not W3TermsReader:
            return None
        index = terms._tindex
        dbfile: Any = getattr(index, "dbfile", None)
        if type(index) is not OrderedHashReader or type(dbfile) is not StructFile:
            return None
        sub = dbfile.file
        if type(sub) is not SubFile or not hasattr(sub._file, "fileno"):
            return None
        try:
            fd = sub._file.fileno()
        except (OSError, ValueError, io.UnsupportedOperation):
            return None
        return cls(fd, sub._offset, list(index.tables), index.hashfn, dict(terms._fieldmap))

    def doc_frequency(self, fieldname: str, btext: bytes) -> int:
        """What `W3TermsReader.doc_frequency` gives (0 for a term it does not hold)."""
        prefix = self._fields.get(fieldname)
        if prefix is None:
            return 0
        key = prefix + btext
        keyhash = self._hash(key)
        start, slots = self._tables[keyhash & 255]
        if not slots:
            return 0
        slot = (keyhash >> 8) % slots
        size = _SLOT.size
        looked = 0
        while looked < slots:
            count = min(_PROBE_SLOTS, slots - slot, slots - looked)
            data = os.pread(self._fd, count * size, self._base + start + slot * size)
            for at in range(0, count * size, size):
                slothash, position = _SLOT.unpack_from(data, at)
                if not position:
                    return 0
                if slothash == keyhash:
                    wanted = _RECORD.size + len(key) + _DOC_FREQ_AT + _DOC_FREQ.size
                    record = os.pread(self._fd, wanted, self._base + position)
                    keylen, _ = _RECORD.unpack_from(record)
                    if keylen == len(key) and record[_RECORD.size : _RECORD.size + keylen] == key:
                        return int(_DOC_FREQ.unpack_from(record, _RECORD.size + keylen + _DOC_FREQ_AT)[0])
            looked += count
            slot = (slot + count) % slots
        return 0


class TermCounts:
    """An index reader whose document frequencies are each looked up once per searcher.

    A lookup walks Whoosh's term hash in every segment (~35 µs a segment through
    Whoosh's file layers; read here with `os.pread`, see blocks.TermHashes); a plan
    asks for both forms of each bigram of each word in each field, a did-you-mean
    for hundreds, and a repeated or narrowed search for the same again. Anything
    else is the reader's own.
    """

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self._df: dict[tuple[str, Any], int] = {}
        self._hashes: list[TermHashes] | None = None
        self._direct = True  # False once a segment proves to be one TermHashes cannot read

    def doc_frequency(self, fieldname: str, text: Any) -> int:
        key = (fieldname, text)
        found = self._df.get(key)
        if found is None:
            found = self._df[key] = self._lookup(fieldname, text)
        return found

    def _lookup(self, fieldname: str, text: Any) -> int:
        schema = self.reader.schema
        hashes = self._segment_hashes() if isinstance(text, str) and fieldname in schema else None
        if hashes is None:
            return int(self.reader.doc_frequency(fieldname, text))
        btext = schema[fieldname].to_bytes(text)
        return sum(segment.doc_frequency(fieldname, btext) for segment in hashes)

    def _segment_hashes(self) -> list[TermHashes] | None:
        if self._hashes is None and self._direct:
            made = [TermHashes.make(leaf) for leaf, _ in self.reader.leaf_readers()]
            if all(hashes is not None for hashes in made):
                self._hashes = [hashes for hashes in made if hashes is not None]
            else:
                self._direct = False
        return self._hashes

    def __getattr__(self, name: str) -> Any:
        return getattr(self.reader, name)

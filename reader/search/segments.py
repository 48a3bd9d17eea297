"""Whoosh's segment writer, made fit for a 10k-post build.

Two costs of `whoosh.writing.SegmentWriter` grew with the blog, measured by
profiling the workers of a 4,000-post build:

- Every posting went through Whoosh's posting pool as a Python tuple; past
  `limitmb` the pool pickles sorted runs to disk and merges them back with
  `heapq.merge` (one `pickle.dump`, one `pickle.load` and one heap step per
  posting). At 4,000 posts each worker spilled 4 runs, and the spill and
  merge took more time than the analysis. Here the postings of our own text
  fields (`CompactFormat`) are kept per term in two `array('I')` (document,
  count): 8 bytes a posting instead of ~180, never spilled, sorted once by
  term at the flush. Other fields (path, tags, dates) still use the pool.
- At the flush, `FieldWriter.add_postings` asked the segment's length column
  for every posting (a seek and a read each); `CachedLengths` reads each
  field's lengths once. And it fed the postings writer one posting at a
  time (four Python calls and five asserts each: 60% of a 1k build's time
  under cProfile). The compact fields' blocks are handed to Whoosh's
  postings writer whole instead (`_write_field`): the same term infos and
  statistics, made from array slices, in blocks of 1024 postings holding
  arrays (`_write_block`: a search decodes them as bytes).

The writer handles only what our schema uses (no vectors, spelling or
per-document boosts); a schema with them gets Whoosh's own `add_document`.
"""

from __future__ import annotations

import tempfile
from array import array
from functools import partial
from hashlib import md5
from itertools import accumulate, groupby
from operator import add, ge, itemgetter, sub
from pickle import dumps
from struct import Struct
from typing import Any, Protocol
from zlib import compress, crc32

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter, crc_hash
from whoosh.system import pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

_PACKED = [pack_uint(n) for n in range(256)]
# A term in fewer documents is kept inside its term info, not in a postings block
# (Whoosh's inlining, whose own writer path calls a method whoosh-reloaded lacks): most
# trigrams are in one or two posts, and a block costs ~100 bytes of header and pickle.
INLINE_BELOW = 128
BLOCK_POSTINGS = 1024  # postings a block of a term in more posts holds (Whoosh writes 128)
SHARED_ROWS = 1 << 16  # inlined rows kept for terms in the same posts; past this many, forgotten
ROWS_AT_ONCE = 4096  # inlined term info rows written in one piece (held in memory until then)


class PrivateRamStorage(RamStorage):
    """An index in memory whose writer's temporary files go to a folder of its own.

    Whoosh's RamStorage puts them in `<tmp>/<indexname>.tmp`: one path for every
    in-memory index of every process (`/tmp/MAIN.tmp`), so two processes building
    in memory at once removed each other's files (FileNotFoundError, 1 run in 15-20
    of test_two_processes_building_a_new_index_at_once), and anyone could create
    that path first. mkdtemp makes a new 0700 folder each time.
    """

    def temp_storage(self, name: str | None = None) -> FileStorage:
        return FileStorage(tempfile.mkdtemp(prefix="reader-index-")).create()


class CompactFormat(Protocol):
    """A field format whose postings are a count per term (reader.search.schema.KoreanFrequency)."""

    field_boost: float

    def counts(self, value: str) -> dict[str, int]: ...


class CachedLengths:
    """The `doc_field_length` of a per-document reader, from memory."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._count = reader.doc_count_all()
        self._fields: dict[str, list[int]] = {}

    def of(self, fieldname: str) -> list[int]:
        """The length of `fieldname` in every document of the segment (as Whoosh stores it)."""
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [read(n, fieldname, 0) for n in range(self._count)]
        return lengths

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self.of(fieldname)
        if 0 <= docnum < self._count:
            return lengths[docnum] or default
        return self._reader.doc_field_length(docnum, fieldname, default)

    def close(self) -> None:
        self._reader.close()


class CompactFlush:
    """Mixin for a Whoosh `SegmentWriter` (or `MpWriter`): the flush writes the compact
    postings with the pool's, and reads field lengths once."""

    def _flush_segment(self: Any) -> None:
        self.perdocwriter.close()
        lengths = CachedLengths(self.per_document_reader()) if self.codec.length_stats else None
        compact = {name: terms for name, terms in getattr(self, "_compact", {}).items() if terms}
        writer, schema = self.fieldwriter, self.schema
        table = getattr(writer, "_tindex", None)
        if isinstance(table, HashWriter):
            keyed_by_crc32(table)
        if lengths is None or not compact:
            writer.add_postings(schema, lengths, self.pool.iter_postings())
        else:
            pooled = groupby(self.pool.iter_postings(), key=itemgetter(0))
            for name in sorted(set(self.pool.fieldnames) | set(compact)):
                if name in compact:
                    field = schema[name]
                    _write_field(writer, name, field, compact[name], lengths.of(name) if field.scorable else None)
                    continue
                for group_name, postings in pooled:  # the pool's fields, in the same order
                    writer.add_postings(schema, lengths, postings)
                    if group_name == name:
                        break
        if isinstance(table, HashWriter):
            table._write_hashes = partial(write_hashes, table)
        writer.close()
        if lengths is not None:
            lengths.close()


class FastSegmentWriter(CompactFlush, SegmentWriter):
    """`index.writer()` with compact postings for `CompactFormat` fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = [(name, self.schema[name]) for name in self.schema.names()]
        plain = all(not f.vector and not f.separate_spelling() for _, f in fields)
        # field name -> term -> (documents, counts); no counts where only presence is stored
        self._compact: dict[str, dict[str, Postings]] = {
            name: {} for name, f in fields if plain and hasattr(f.format, "counts") and f.indexed
        }
        self._presence = {name for name in self._compact if _presence_only(self.schema[name])}

    def add_document(self, **fields: Any) -> None:
        compact = self._compact
        if not compact or any(name.startswith("_") for name in fields):
            super().add_document(**fields)  # boosts and custom stored values: Whoosh's way
            return
        self._check_state()
        schema, docnum, perdoc, add_post = self.schema, self.docnum, self.perdocwriter, self.pool.add
        self._check_fields(schema, fields)
        perdoc.start_doc(docnum)
        try:
            for name in sorted(fields):
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                terms = compact.get(name)
                if terms is not None and name in self._presence:
                    for term in field.format.counts(value):
                        postings = terms.get(term)
                        if postings is None:
                            terms[term] = (array("I", (docnum,)), None)
                        else:
                            postings[0].append(docnum)
                elif terms is not None:
                    for term, count in field.format.counts(value).items():
                        postings = terms.get(term)
                        if postings is None:
                            terms[term] = (array("I", (docnum,)), array("I", (count,)))
                        else:
                            postings[0].append(docnum)
                            postings[1].append(count)  # type: ignore[union-attr]  # a counted field
                        length += count
                    if not field.scorable:
                        length = 0
                elif field.indexed:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        if field.scorable:
                            length += freq
                        add_post((name, tbytes, docnum, weight, vbytes))
                perdoc.add_field(name, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


Postings = tuple["array[int]", "array[int] | None"]  # documents, counts (None: presence only)


def _presence_only(field: Any) -> bool:
    """A field whose postings say only that a document holds the term (no count, no length)."""
    return not field.scorable and field.format.fixed_value_size() == 0


_TERM_INFO = W3TermInfo._struct  # inlined, weight, df, min length, max length, max weight, min id, max id


def _inlined_info(docs: Any, weights: tuple[float, ...], values: tuple[bytes, ...], lengths: list[int]) -> bytes:
    """The term info row of a term whose postings it holds: what W3TermInfo's add_block,
    set_inlined and to_bytes make of one block of them, without the objects (a sync of
    eleven posts at 10k had 15.5k terms to write; most of its flush went to those calls)."""
    minimum = length_to_byte(min(lengths)) if lengths else 0
    maximum = length_to_byte(max(lengths, default=0))
    total, top = (sum(weights), max(weights)) if weights else (float(len(docs)), 1.0)  # none: each 1.0
    head = _TERM_INFO.pack(True, total, len(docs), minimum, maximum, top, docs[0], docs[-1])
    return head + dumps((tuple(docs), weights, values), 2)


def _write_field(writer: Any, name: str, field: Any, terms: dict[str, Postings], lengths: list[int] | None) -> None:
    """One compact field's terms, block by block, through Whoosh's postings writer: what
    `add_postings` + `add_posting` build one posting at a time, made from array slices.

    `lengths` is None for a field with no lengths (not scored): no block has any."""
    writer.start_field(name, field)
    tindex, field_key = writer._tindex, pack_ushort(writer._fieldid)
    # A term in the same posts as another, as often in each, has its term info row: most
    # terms of a sync's small segment share one (~15k rows of eleven posts' terms at 10k).
    shared: dict[bytes, bytes] = {}
    # UTF-8 keeps code point order, so sorting the strings sorts the bytes Whoosh compares.
    names = sorted(terms)  # then their postings: sorting (term, postings) pairs took twice as long
    postings = list(map(terms.__getitem__, names))
    blocked = [n for n, (docs, _) in enumerate(postings) if len(docs) >= INLINE_BELOW]
    start = 0
    for stop in [*blocked, len(names)]:
        # The inlined terms before this one, in runs of ROWS_AT_ONCE (held in memory until written).
        for at in range(start, stop, ROWS_AT_ONCE):
            end = min(at + ROWS_AT_ONCE, stop)
            rows = _inlined_rows(postings[at:end], field.format.field_boost, lengths, shared)
            _add_rows(tindex, [field_key + term.encode("utf-8", "surrogatepass") for term in names[at:end]], rows)
            if len(shared) > SHARED_ROWS:  # a full build has millions of rare terms
                shared.clear()
        if stop < len(names):
            _write_blocks(writer, field, names[stop], postings[stop], lengths)
        start = stop + 1
    writer.finish_field()


def _inlined_rows(
    run: list[Postings], boost: float, lengths: list[int] | None, shared: dict[bytes, bytes]
) -> list[bytes]:
    """The term info rows of terms in fewer than INLINE_BELOW posts, each holding its postings;
    one row made for the terms with the same postings (`shared`: by their bytes)."""
    if run and run[0][1] is None:  # a presence field: no counts
        keys = [docs.tobytes() for docs, _ in run]
    else:
        keys = [docs.tobytes() + counts.tobytes() for docs, counts in run]  # type: ignore[union-attr]
    new = {key: postings for key, postings in zip(keys, run, strict=True) if key not in shared}
    packed = _PACKED
    for key, (docs, counts) in new.items():
        total = len(docs)
        if counts is None:  # presence: no weights stored at 1.0 (ListMatcher.weight gives 1.0)
            weights, values, seen = () if boost == 1.0 else tuple(array("f", [boost]) * total), (), []
        else:
            weights = tuple(array("f", counts) if boost == 1.0 else array("f", [c * boost for c in counts]))
            values = tuple(packed[c] if c < 256 else pack_uint(c) for c in counts)
            seen = [length for length in map(lengths.__getitem__, docs) if length] if lengths else []
        shared[key] = _inlined_info(docs, weights, values, seen)
    return list(map(shared.__getitem__, keys))


def _write_blocks(writer: Any, field: Any, term: str, postings: Postings, lengths: list[int] | None) -> None:
    """A term in INLINE_BELOW posts or more: its postings in blocks of BLOCK_POSTINGS, in
    Whoosh's postings file (see `_write_block`)."""
    docs, counts = postings
    boost, packed, total = field.format.field_boost, _PACKED, len(docs)
    writer.start_term(term.encode("utf-8", "surrogatepass"))
    block = writer._postwriter
    for start in range(0, total, BLOCK_POSTINGS):
        ids = docs[start : start + BLOCK_POSTINGS]
        if counts is None:  # presence only: every weight the boost, no values
            block._weights, block._values = array("f", [boost]) * len(ids), None
        else:
            block_counts = counts[start : start + BLOCK_POSTINGS]
            block._weights = array("f", block_counts) if boost == 1.0 else array("f", [c * boost for c in block_counts])
            block._values = [packed[c] if c < 256 else pack_uint(c) for c in block_counts]
        block._ids = ids
        block._maxweight = max(block._weights)
        seen = [length for length in map(lengths.__getitem__, ids) if length] if lengths else []  # as add_posting
        block._minlength = min(seen) if seen else None
        block._maxlength = max(seen, default=0)
        _write_block(block, last=start + BLOCK_POSTINGS >= total)
    writer.finish_term()


def _write_block(block: Any, last: bool) -> None:
    """W3PostingsWriter._write_block, its ids and weights pickled as arrays.

    The same file layout, block info and term statistics; the data tuple holds the
    delta-coded ids as an `array('I')` and the weights as the `array('f')` Whoosh keeps
    them in, pickled with protocol 5, where Whoosh's holds tuples of Python numbers
    (protocol 2). Whoosh's matcher reads both (it iterates the ids and indexes the
    weights). A search reads them as bytes (reader.search.arrays: `np.frombuffer`) instead
    of making a Python number a posting. A synthetic term of 57k postings decoded into
    numpy arrays in 8.9 ms as tuples in blocks of 128, 2.4 ms as arrays in blocks of 1024
    (in process, best of 5); the 10k blog's index: 167 MB before, 141 MB after.
    """
    postfile = block._postfile
    if not block._blockcount:
        postfile.write(WHOOSH3_HEADER_MAGIC)
    block._terminfo.add_block(block)
    ids, weights = block._ids, block._weights
    deltas = array("I", ids[:1])
    deltas.extend(map(sub, ids[1:], ids[:-1]))  # whoosh.util.numlists.delta_encode
    # Whoosh's _mini_weights: None when all are 1.0, one float when all the same.
    first = weights[0]
    if weights.count(first) == len(weights):
        weights = None if first == 1.0 else first
    data = dumps((deltas, weights, block._mini_values()), 5)
    compression = block._compression
    if compression:
        data = compress(data, compression)
    info = dumps(
        (
            len(ids),
            ids[-1],
            block._maxweight,
            compression,
            length_to_byte(block._minlength),
            length_to_byte(block._maxlength),
        ),
        2,
    )
    length = len(info) + len(data)
    postfile.write_int(-length if last else length)  # the last block's length negative
    postfile.write(info)
    postfile.write(data)
    block._blockcount += 1
    block._new_block()


_HEADER = 13  # a hash table file's magic (4 bytes), hash type (1) and two unused ints
_CRC32 = 1  # Whoosh's hash type of `crc_hash`


def keyed_by_crc32(table: HashWriter) -> None:
    """Key a terms table not written yet by CRC-32 (Whoosh's hash type 1) instead of MD5.

    The type is a byte of the file's header, which Whoosh's reader reads to pick its hash
    function: only the writer chooses. An MD5 object a term was ~15 ms of a sync of eleven
    posts at 10k (15.5k terms); zlib's crc32 over them takes ~1 ms."""
    dbfile = table.dbfile
    if table.hashtype == _CRC32 or len(table.index) or dbfile.tell() != table.startoffset + _HEADER:
        return  # keys written already: they stay as they were hashed
    dbfile.seek(table.startoffset + 4)
    dbfile.write_byte(_CRC32)
    dbfile.seek(table.startoffset + _HEADER)
    table.hashtype, table.hashfn = _CRC32, crc_hash


_LENGTHS = Struct("!ii")  # a row's key and value lengths, as HashWriter writes them
_POINTER = Struct("!Iq")  # a hash table slot: the key's hash and its row's position
_EMPTY_SLOT = _POINTER.pack(0, 0)


def add_rows(table: OrderedHashWriter, rows: list[tuple[bytes, bytes]]) -> None:
    """`table.add(key, value)` for each row (keys increasing), written in one piece.

    The same bytes, positions and hash entries as Whoosh's one row at a time, whose
    three writes, two `tell`s and an MD5 hex string made into an int a row were half
    the flush of a sync's small segment."""
    if rows:
        _add_rows(table, list(map(itemgetter(0), rows)), list(map(itemgetter(1), rows)))


def _add_rows(table: OrderedHashWriter, keys: list[bytes], values: list[bytes]) -> None:
    """`add_rows` of the rows' keys and values, given apart."""
    if not keys:
        return
    if keys[0] <= table.lastkey or any(map(ge, keys, keys[1:])):
        raise ValueError(f"Keys must increase: {table.lastkey!r}, then {len(keys)} keys not in order")
    # Each row is its two lengths, its key and its value; each part made by a C loop.
    key_lengths, value_lengths = list(map(len, keys)), list(map(len, values))
    parts: list[bytes] = [b""] * (3 * len(keys))
    parts[0::3] = map(_LENGTHS.pack, key_lengths, value_lengths)
    parts[1::3], parts[2::3] = keys, values
    start = table.dbfile.tell()
    ends = accumulate(map(add, key_lengths, value_lengths))  # of each row, but for its 8-byte head
    starts = [start, *map(add, ends, range(start + 8, start + 8 * len(keys), 8))]
    data = b"".join(parts)
    if table.hashtype == _CRC32:  # crc_hash, without its `& 0xFFFFFFFF` (crc32 is unsigned)
        hashes = list(map(crc32, keys))
    elif table.hashtype == 0:  # md5_hash: the digest's last four bytes, big-endian
        hashes = [int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big") for key in keys]
    else:
        hashes = list(map(table.hashfn, keys))
    buckets = table.buckets
    for h, position in zip(hashes, starts, strict=True):
        buckets[h & 255].append((h, position))
    _extend(table.index, starts)
    table.dbfile.write(data)
    table.lastkey = keys[-1]


def _extend(positions: Any, numbers: list[int]) -> None:
    """`GrowableArray.extend` (increasing numbers): at once while its array type holds the last."""
    held = positions.array
    if isinstance(held, array) and numbers[-1] < 1 << (8 * held.itemsize - held.typecode.islower()):
        held.extend(numbers)
    else:
        for number in numbers:
            positions.append(number)  # retypes the array as the numbers grow


def write_hashes(table: HashWriter) -> None:
    """`HashWriter._write_hashes`: the 256 hash tables of a closing table, each written in one
    piece (Whoosh writes a slot at a time: ~31k writes for a sync's ~15k terms at 10k posts)."""
    dbfile, directory, pack, empty = table.dbfile, table.directory, _POINTER.pack, _EMPTY_SLOT
    for entries in table.buckets:
        slots = 2 * len(entries)
        directory.append((dbfile.tell(), slots))
        if not slots:
            continue
        hashtable = [empty] * slots
        for hashval, position in entries:
            slot = (hashval >> 8) % slots
            while hashtable[slot] is not empty:  # taken: the next free one, as Whoosh probes
                slot = (slot + 1) % slots
            hashtable[slot] = pack(hashval, position)
        dbfile.write(b"".join(hashtable))

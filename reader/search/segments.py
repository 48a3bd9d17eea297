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
  field's lengths once.

The writer handles only what our schema uses (no vectors, spelling or
per-document boosts); a schema with them gets Whoosh's own `add_document`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

Posting = tuple[str, bytes, int, float, bytes]
_PACKED = [pack_uint(n) for n in range(256)]


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

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._fields.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = self._fields[fieldname] = [read(n, fieldname, 0) for n in range(self._count)]
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
        compact = _compact_postings(self.schema, getattr(self, "_compact", {}))
        self.fieldwriter.add_postings(self.schema, lengths, _by_field(self.pool.iter_postings(), compact))
        self.fieldwriter.close()
        if lengths is not None:
            lengths.close()


class FastSegmentWriter(CompactFlush, SegmentWriter):
    """`index.writer()` with compact postings for `CompactFormat` fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = [(name, self.schema[name]) for name in self.schema.names()]
        plain = all(not f.vector and not f.separate_spelling() for _, f in fields)
        # field name -> term -> (documents, counts)
        self._compact: dict[str, dict[str, tuple[array[int], array[int]]]] = {
            name: {} for name, f in fields if plain and hasattr(f.format, "counts") and f.indexed
        }

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
                if terms is not None:
                    for term, count in field.format.counts(value).items():
                        postings = terms.get(term)
                        if postings is None:
                            terms[term] = (array("I", (docnum,)), array("I", (count,)))
                        else:
                            postings[0].append(docnum)
                            postings[1].append(count)
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


def _compact_postings(schema: Any, compact: dict[str, dict[str, tuple[array[int], array[int]]]]) -> dict[str, Any]:
    """Per compact field, its postings in (term, document) order, made when the flush reaches it."""
    return {name: _field_postings(name, schema[name].format.field_boost, terms) for name, terms in compact.items()}


def _field_postings(name: str, boost: float, terms: dict[str, tuple[array[int], array[int]]]) -> Iterator[Posting]:
    packed = _PACKED
    # UTF-8 keeps code point order, so sorting the strings sorts the bytes Whoosh compares.
    for term in sorted(terms):
        btext = term.encode("utf-8", "surrogatepass")
        docs, counts = terms[term]
        for doc, count in zip(docs, counts, strict=True):
            yield name, btext, doc, count * boost, packed[count] if count < 256 else pack_uint(count)


def _by_field(pooled: Iterable[Posting], compact: dict[str, Iterator[Posting]]) -> Iterator[Posting]:
    """The pool's postings and the compact fields' in field order (their fields are disjoint)."""
    pending = sorted(compact)
    for posting in pooled:
        while pending and pending[0] < posting[0]:
            yield from compact[pending.pop(0)]
        yield posting
    for name in pending:
        yield from compact[name]

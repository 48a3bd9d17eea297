"""Our segment writer writes the same index as Whoosh's own, from compact postings."""

from __future__ import annotations

import random
from functools import partial

import pytest
from whoosh import fields
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter
from whoosh.util.numlists import GrowableArray

from reader.search import segments
from reader.search.schema import _text_field, build_schema
from reader.search.segments import FastSegmentWriter
from reader.search.store import storage

WORDS = ["데이터를", "자연어 처리", "머신러닝", "임베딩은", "Python", "C++", "검색", "색인이", "한국어", "모델"]


def _documents(count: int) -> list[dict]:
    rng = random.Random(7)
    docs = []
    for n in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 300)))
        rare = "".join(chr(0xAC00 + n // 3 + k) for k in range(3))  # in three posts: an inlined trigram
        docs.append(
            {
                "path": f"p{n:03}.md",
                "title": " ".join(rng.sample(WORDS, 2)),
                "text": body,
                "tri": f"{body}\n{rare}",
                "tag": ",".join(rng.sample(["ml", "nlp", "python"], rng.randint(0, 2))),
                "category": "dev,dev/search" if n % 2 else "",
                "day": 20200101 + n,
                "draft": n % 5 == 0,
            }
        )
    return docs


def _dump(index) -> dict:
    with index.reader() as reader:
        paths = {n: stored["path"] for n, stored in reader.iter_docs()}
        names = index.schema.names()
        out: dict = {"lengths": {}}
        for n, path in paths.items():
            out["lengths"][path] = [reader.doc_field_length(n, name) for name in names]
        for field in names:
            for term in reader.lexicon(field):
                info = reader.term_info(field, term)
                stats = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(), info.max_weight())
                postings = reader.postings(field, term)
                # A presence-only term has no values: Whoosh's blocks give '', an inlined term None.
                values = sorted((paths[d], w, postings.value() or "") for d, w in _items(postings))
                out[(field, term)] = (stats, values)
        return out


def _items(matcher):
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


def _interleaved(docs: list[dict]) -> tuple[fields.Schema, list[dict]]:
    """Compact fields sorting before, between and after pool fields."""
    schema = fields.Schema(
        path=fields.ID(stored=True), body=_text_field(), tag=fields.KEYWORD(commas=True), zz=_text_field(2.0)
    )
    return schema, [{"path": d["path"], "body": d["text"], "tag": d["tag"], "zz": d["title"]} for d in docs]


@pytest.mark.parametrize("rows_at_once", [4096, 7])  # term info rows written in runs of a few too
@pytest.mark.parametrize("kind", ["ours", "interleaved"])
def test_the_compact_writer_matches_whooshs_own(tmp_path, kind, rows_at_once, monkeypatch):
    monkeypatch.setattr(segments, "ROWS_AT_ONCE", rows_at_once)
    schema, docs = build_schema(), _documents(300)  # 300: terms with several blocks of 128
    if kind == "interleaved":
        schema, docs = _interleaved(docs)
    dumps = []
    for name, make in (("whoosh", lambda ix: ix.writer()), ("ours", lambda ix: FastSegmentWriter(ix))):
        folder = tmp_path / name
        folder.mkdir()
        index = FileStorage(str(folder)).create_index(schema)
        writer = make(index)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        dumps.append(_dump(index))
        if "tri" in schema:
            with index.reader() as reader:
                inlined = reader.term_info("tri", "가각갂").is_inlined()
                assert inlined == (name == "ours")  # in three posts: ours inlines it, Whoosh's does not
        index.close()
    whoosh, ours = dumps
    assert len(whoosh) > 100  # terms of every field, and the lengths
    assert ours == whoosh
    if kind == "ours":  # trigrams of a few posts (inlined) and of many (blocks) read back the same
        assert len(ours[("tri", "가각갂".encode())][1]) == 3
        assert max(len(value[1]) for key, value in ours.items() if key[0] == "tri") > 128


def test_updates_through_the_compact_writer_replace_documents(tmp_path):
    index = FileStorage(str(tmp_path)).create_index(build_schema())
    writer = FastSegmentWriter(index)
    for doc in _documents(10):
        writer.add_document(**doc)
    writer.commit()
    old = _documents(10)[3]
    writer = FastSegmentWriter(index)
    writer.update_document(**{**old, "title": "바뀐 제목", "text": "새 본문"})
    writer.commit()
    with index.searcher() as searcher:
        assert searcher.doc_count() == 10

        def paths(field, term):
            return {searcher.stored_fields(n)["path"] for n in searcher.document_numbers(**{field: term})}

        assert paths("title", "바뀐") == {"p003.md"}
        assert paths("text", "본문") == {"p003.md"}
        assert "p003.md" not in paths("title", old["title"].split()[0][:2])


@pytest.mark.parametrize("first", ["ours", "ours in blocks of 50", "whoosh's"])
def test_postings_read_whole_are_whooshs_matchers(tmp_path, first, monkeypatch):
    """reader.search.blocks decodes a term's blocks itself: the same docnums and weights as
    Whoosh's matcher, for terms in one block, in several, inlined, and with deleted documents;
    and reader.search.arrays (a big index's numpy search) reads the same as arrays. Blocks as
    our writer writes them (arrays pickled) and as Whoosh's own does (tuples: an index
    written before them)."""
    from reader.search.arrays import _segment_postings
    from reader.search.blocks import read_whole, term_blocks, term_postings

    if first == "ours in blocks of 50":
        monkeypatch.setattr(segments, "BLOCK_POSTINGS", 50)
    index = FileStorage(str(tmp_path)).create_index(build_schema())
    writer = index.writer() if first == "whoosh's" else FastSegmentWriter(index)
    for doc in _documents(300):
        writer.add_document(**doc)
    writer.commit()
    writer = FastSegmentWriter(index)
    writer.delete_by_term("path", "p010.md")
    writer.add_document(**_documents(1)[0] | {"path": "new.md"})
    writer.commit(merge=False)
    with index.reader() as reader:
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert len(leaves) == 2 and leaves[0].has_deletions()
        compared = several = 0
        pickled: set[str] = set()  # how the compact fields' blocks (not inlined terms) hold their ids
        for leaf in leaves:
            for field in ("title", "text", "tri", "tag"):
                for term in leaf.lexicon(field):
                    assert read_whole(leaf, field, term) is not None  # not Whoosh's way
                    matcher = leaf.postings(field, term)
                    expected = list(_items(matcher))
                    ids, weights = term_postings(leaf, field, term)
                    assert list(zip(ids, weights, strict=True)) == expected, (field, term)
                    as_arrays = _segment_postings(leaf, field, term)
                    assert (as_arrays[0].tolist(), as_arrays[1].tolist()) == (ids, weights), (field, term)
                    compared += 1
                    blocks = term_blocks(leaf, field, term) or []
                    several += len(blocks) > 1
                    if field != "tag":  # a pool field (Whoosh's own writer)
                        pickled |= {type(ids).__name__ for ids, _, _, coded in blocks if coded}
        assert compared > 500
        # Terms in several blocks (each block's ids coded from its own start): of 300 posts,
        # only in blocks smaller than ours.
        assert bool(several) == (first != "ours")
        assert pickled == ({"tuple"} if first == "whoosh's" else {"array"})
        assert term_postings(leaves[0], "text", "없는말".encode()) == ([], [])


def test_field_lengths_read_at_once_are_doc_field_lengths(tmp_path):
    """The scorer's length norms come from each segment's length column read whole: the same
    as asking `doc_field_length` for every document (documents without the field included)."""
    from whoosh import scoring

    from reader.search.blocks import length_bytes
    from reader.search.postings import Postings

    index = FileStorage(str(tmp_path)).create_index(build_schema())
    writer = FastSegmentWriter(index)
    for doc in [*_documents(300), {"path": "empty.md", "day": 20200101, "draft": False}]:
        writer.add_document(**doc)
    writer.commit()
    writer = FastSegmentWriter(index)
    writer.add_document(**_documents(1)[0] | {"path": "new.md"})
    writer.commit(merge=False)
    with index.searcher(weighting=scoring.BM25F(B=0.75, K1=1.2)) as searcher:
        postings = Postings(searcher)
        for field in ("title", "text"):
            avgfl = searcher.avg_field_length(field)
            expected = []
            for leaf, _ in searcher.reader().leaf_readers():
                assert length_bytes(leaf, field) is not None  # read at once, not one by one
                for n in range(leaf.doc_count_all()):
                    fl = leaf.doc_field_length(n, field, 1)
                    expected.append(1.2 * (0.25 + 0.75 * fl / avgfl) if fl is not None else 0.0)
            assert postings.norms(field) == expected
            assert expected.count(0.0) >= 1  # empty.md has neither field


def test_an_index_in_memory_writes_its_temporary_files_to_a_folder_of_its_own(tmp_path, monkeypatch):
    """Whoosh's RamStorage used `<tmp>/MAIN.tmp` for every in-memory index of every process:
    two builds at once removed each other's files."""
    import stat
    import tempfile

    from reader.search.segments import PrivateRamStorage

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first, second = PrivateRamStorage().temp_storage("MAIN.tmp"), PrivateRamStorage().temp_storage("MAIN.tmp")
    assert first.folder != second.folder
    assert stat.S_IMODE((tmp_path / first.folder).stat().st_mode) == 0o700
    index = PrivateRamStorage().create_index(build_schema())
    writer = FastSegmentWriter(index)
    for doc in _documents(20):
        writer.add_document(**doc)
    writer.commit()
    assert index.doc_count() == 20
    assert not (tmp_path / "MAIN.tmp").exists()


@pytest.mark.parametrize("crc32", [False, True])  # Whoosh's default MD5, and the CRC-32 our flush keys by
def test_term_info_rows_and_hash_tables_written_at_once_are_the_bytes_whoosh_writes_one_at_a_time(tmp_path, crc32):
    from whoosh.filedb.filetables import OrderedHashReader

    from reader.search.segments import add_rows, keyed_by_crc32, write_hashes

    rng = random.Random(3)
    keys = sorted({bytes(rng.randrange(256) for _ in range(rng.randint(1, 12))) for _ in range(3000)})
    rows = [(key, bytes(rng.randrange(256) for _ in range(rng.randint(0, 40)))) for key in keys]
    storage = FileStorage(str(tmp_path))
    theirs = (_Crc32Writer if crc32 else OrderedHashWriter)(storage.create_file("theirs"))
    for key, value in rows:
        theirs.add(key, value)
    theirs.close()
    ours = OrderedHashWriter(storage.create_file("ours"))
    if crc32:
        keyed_by_crc32(ours)
    ours._write_hashes = partial(write_hashes, ours)  # as our flush closes it
    add_rows(ours, rows[:1000])
    ours.add(*rows[1000])  # Whoosh's own add between two runs, as a term with a postings block is
    add_rows(ours, rows[1001:])
    ours.close()
    assert (tmp_path / "ours").read_bytes() == (tmp_path / "theirs").read_bytes()
    reader = OrderedHashReader.open(storage, "ours")
    assert reader.hashtype == (1 if crc32 else 0)  # read from the header: Whoosh looks keys up by it
    assert [reader[key] for key, _ in rows[::97]] == [value for _, value in rows[::97]]
    with pytest.raises(ValueError, match="Keys must increase"):
        add_rows(OrderedHashWriter(storage.create_file("bad")), [rows[1], rows[0]])


class _Crc32Writer(OrderedHashWriter):
    """Whoosh's own ordered hash writer, keyed by its CRC-32 (its constructor takes no hash type)."""

    def __init__(self, dbfile):
        HashWriter.__init__(self, dbfile, hashtype=1)
        self.index = GrowableArray("H")
        self.lastkey = b""


def test_a_flushed_segment_keys_its_terms_by_crc32_and_whoosh_finds_them(tmp_path):
    from whoosh.filedb.filetables import OrderedHashReader
    from whoosh.query import Term

    index = storage(str(tmp_path)).create_index(build_schema())
    writer = FastSegmentWriter(index)
    for doc in _documents(12):
        writer.add_document(**doc)
    writer.commit()
    (segment,) = index._segments()
    names = [name for name in tmp_path.iterdir() if name.suffix == ".seg"]
    assert len(names) == 1
    compound = segment.open_compound_file(storage(str(tmp_path)))
    table = OrderedHashReader.open(compound, segment.make_filename(".trm"))
    assert table.hashtype == 1
    with index.searcher() as searcher:
        assert searcher.document(path="p003.md")["path"] == "p003.md"
        assert {searcher.stored_fields(n)["path"] for n in searcher.docs_for_query(Term("tag", "ml"))} == {
            d["path"] for d in _documents(12) if "ml" in d["tag"].split(",")
        }

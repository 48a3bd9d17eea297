"""Our segment writer writes the same index as Whoosh's own, from compact postings."""

from __future__ import annotations

import random

from whoosh.filedb.filestore import FileStorage

from reader.search.schema import build_schema
from reader.search.segments import FastSegmentWriter, _by_field

WORDS = ["데이터를", "자연어 처리", "머신러닝", "임베딩은", "Python", "C++", "검색", "색인이", "한국어", "모델"]


def _documents(count: int) -> list[dict]:
    rng = random.Random(7)
    docs = []
    for n in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 300)))
        docs.append(
            {
                "path": f"p{n:03}.md",
                "title": " ".join(rng.sample(WORDS, 2)),
                "text": body,
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
        out: dict = {"lengths": {}}
        for n, path in paths.items():
            out["lengths"][path] = (reader.doc_field_length(n, "text"), reader.doc_field_length(n, "title"))
        for field in ("path", "title", "text", "tag", "category", "day", "draft"):
            for term in reader.lexicon(field):
                postings = reader.postings(field, term)
                values = sorted((paths[d], w, postings.value()) for d, w in _items(postings))
                out[(field, term)] = values
        return out


def _items(matcher):
    while matcher.is_active():
        yield matcher.id(), matcher.weight()
        matcher.next()


def test_the_compact_writer_matches_whooshs_own(tmp_path):
    docs = _documents(60)
    dumps = []
    for name, make in (("whoosh", lambda ix: ix.writer()), ("ours", lambda ix: FastSegmentWriter(ix))):
        folder = tmp_path / name
        folder.mkdir()
        index = FileStorage(str(folder)).create_index(build_schema())
        writer = make(index)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        dumps.append(_dump(index))
        index.close()
    whoosh, ours = dumps
    assert len(whoosh) > 100  # terms of every field, and the lengths
    assert ours == whoosh


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


def test_the_pool_and_compact_fields_are_merged_in_field_order():
    pooled = [("a", b"x", 0, 1.0, b""), ("c", b"x", 0, 1.0, b"")]
    compact = {"b": iter([("b", b"y", 0, 1.0, b"")]), "d": iter([("d", b"z", 1, 1.0, b"")])}
    assert [p[0] for p in _by_field(iter(pooled), compact)] == ["a", "b", "c", "d"]

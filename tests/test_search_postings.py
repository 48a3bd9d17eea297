"""The search's own query evaluation and its quick file check, held to what they replace.

`reader.search.postings` must rank exactly as Whoosh's own unpruned search
does (same documents, same scores, same order), over several segments and
with deleted documents; `reader.search.sources` may only reject a candidate
the post's own text rejects too.
"""

from __future__ import annotations

import unicodedata

import pytest
from whoosh import query as wq
from whoosh import scoring

import reader.search.postings as postings_module
import reader.search.searcher as searcher_module
from reader.library import Library
from reader.search.blocks import TermHashes, without_deleted
from reader.search.plan import make_plan, post_texts
from reader.search.postings import Postings, for_searcher
from reader.search.query import parse
from reader.search.scores import ranked
from reader.search.searcher import FIELDS
from reader.search.sources import quick_texts
from tests.conftest import KST, POSTS

EXTRA = {
    "ml.md": "---\ntitle: 머신러닝 입문\ndate: 2021-03-01\ntags: [ml, python]\ncategories: [공부]\n---\n"
    "머신러닝에서 데이터를 나누는 법. Django를 쓰지 않는다.\n",
    "nlp.md": "---\ntitle: 자연어처리 개론\ndate: 2018-01-01\n---\n자연어 처리를 공부한다. 머신러닝도 조금.\n",
    "draft.md": "---\ntitle: 초안 머신러닝\ndraft: true\ndate: 2023-01-01\n---\n머신러닝 초안\n",
}

QUERIES = [
    "머신러닝",
    "자연어처리",
    "데이터를",
    "django",
    "검색 색인",
    '"자연어 처리"',
    "머신러닝 -초안",
    "tag:python 머신러닝",
    "title:머신러닝",
    "pyth*",
    "딥러닝 OR 인구",
    "date:2018..2021 머신러닝",
    "-머신러닝",
    "없는낱말이다",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    root = tmp_path_factory.mktemp("posts")
    for post in sorted(POSTS.glob("*.md")):
        (root / post.name).write_bytes(post.read_bytes())
    library = Library.open(root, KST, index_dir=tmp_path_factory.mktemp("index"))
    library.sync_index()
    # A second commit: a new segment, and a document deleted from the first one.
    for name, text in EXTRA.items():
        (root / name).write_text(text, encoding="utf-8")
    first = sorted(POSTS.glob("*.md"))[0].name
    (root / first).write_text((root / first).read_text("utf-8") + "\n머신러닝 한 줄 더.\n", encoding="utf-8")
    library.load()
    library.sync_index()
    return library


def test_the_index_has_segments_and_a_deleted_document(library):
    with library.index.searcher() as searcher:
        leaves = searcher.reader().leaf_readers()
        assert len(leaves) > 1
        assert any(leaf.has_deletions() for leaf, _ in leaves)


@pytest.mark.parametrize("text", QUERIES)
def test_scores_and_order_are_whooshs_own(library, text):
    with library.index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        q = make_plan(parse(text), searcher.reader()).strict()
        theirs = [(hit.docnum, hit.score) for hit in searcher.search(q, limit=None, terms=False)]
        ours = list(ranked(for_searcher(searcher).scores(q)))
    assert [d for d, _ in ours] == [d for d, _ in theirs]
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-12)


FIRST_QUERIES = [
    *QUERIES,
    "pyth* 머신러닝",  # an OR of many terms inside an AND with a rarer part
    "(딥러닝 OR 인구 OR 머신러닝) 데이터를",  # an OR of three words, evaluated where 데이터를 is
    "머신러닝 데이터를 -초안",
    "자연어처리 데이터",
]


def subqueries(q) -> list:
    """Every node of a Whoosh query tree, leaves first."""
    out = []
    for child in [*getattr(q, "subqueries", ()), *[getattr(q, side) for side in ("a", "b") if hasattr(q, side)]]:
        out.extend(subqueries(child))
    return [*out, q]


@pytest.mark.parametrize("text", FIRST_QUERIES)
def test_a_query_evaluated_first_scores_as_one_whose_parts_were_evaluated_whole(library, text):
    """An AND's parts are evaluated rarest first, each only where the ones before it matched:
    the same documents, each with the same float, as when every part is evaluated whole."""
    with library.index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        q = make_plan(parse(text), searcher.reader()).strict()
        whole = Postings(searcher)
        for part in subqueries(q):
            whole.scores(part)  # kept whole: the AND above reads them as they are
        expected = whole.scores(q)
        first = Postings(searcher)
        got = first.scores(q)
        assert got == expected  # the same floats, not only close ones
        assert list(ranked(got)) == list(ranked(expected))
        assert set(Postings(searcher).docs(q)) == set(expected)  # unscored, the same documents
        if text == QUERIES[0]:
            assert got  # the corpus holds it: not a vacuous comparison


@pytest.mark.parametrize("text", FIRST_QUERIES)
def test_documents_walked_in_order_are_the_collected_ones(library, text, monkeypatch):
    """`in_order` walks a query with Whoosh's matcher (every query here, LAZY_FROM at 0):
    the documents `docs` collects, deleted ones left out, in docnum order; the walk
    itself, not a fallback, for the query kinds it knows."""
    monkeypatch.setattr(postings_module, "LAZY_FROM", 0)
    with library.index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        q = make_plan(parse(text), searcher.reader()).strict()
        expected = sorted(Postings(searcher).docs(q))
        walked = Postings(searcher)
        asked = []
        real = q.matcher
        monkeypatch.setattr(q, "matcher", lambda *a, **k: asked.append(q) or real(*a, **k), raising=False)
        got = list(walked.in_order(q))
    assert got == expected
    if postings_module.walkable(q) and walked.estimate(q) > 0:
        assert asked, "walked by the matcher"
    if text == "머신러닝":
        assert got and asked


def test_document_frequencies_read_directly_are_whooshs_own(library):
    with library.index.searcher() as searcher:
        reader = searcher.reader()
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        hashes = [TermHashes.make(leaf) for leaf in leaves]
        assert all(h is not None for h in hashes)
        terms = [(f, t) for leaf in leaves for f, t in leaf.all_terms() if f in ("text", "title", "tri", "path")]
        terms += [("text", b"\xea\xb0\x80\xea\xb0\x80"), ("title", b"nothing"), ("tri", b"zzz"), ("nofield", b"x")]
        assert len(terms) > 100
        for leaf, direct in zip(leaves, hashes, strict=True):
            for fieldname, btext in terms:
                expected = leaf.doc_frequency(fieldname, btext) if fieldname in leaf.schema else 0
                assert direct is not None and direct.doc_frequency(fieldname, btext) == expected


def test_drafts_are_left_out_as_whooshs_mask_does(library):
    with library.index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        postings = for_searcher(searcher)
        q = make_plan(parse("머신러닝"), searcher.reader()).strict()
        mask = wq.Term("draft", True)
        theirs = [hit.docnum for hit in searcher.search(q, limit=None, mask=mask, terms=False)]
        ours = [d for d, _ in ranked(postings.scores(q), set(postings.docs(mask)))]
    assert ours == theirs
    assert len(ours) < len(list(ranked(postings.scores(q))))


@pytest.mark.parametrize(
    "gone",
    [
        frozenset(),
        frozenset({10**6}),
        frozenset({0}),
        frozenset({2998}),
        frozenset({3, 6, 9, 12, 2997}),
        frozenset(range(0, 3000, 3)),
    ],
)
def test_deleted_documents_leave_a_terms_postings_as_a_filter_would(gone):
    ids = list(range(0, 3000, 3))  # ascending, as a segment's postings are
    weights = [float(i % 5) + 1 for i in range(len(ids))]
    expected = [(d, w) for d, w in zip(ids, weights, strict=True) if d not in gone]
    got_ids, got_weights = without_deleted(ids, weights, gone)
    assert list(zip(got_ids, got_weights, strict=True)) == expected


def test_ranked_reads_past_its_first_part_in_order():
    scores = {d: float(d % 7) for d in range(500)}
    expected = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    assert list(ranked(scores)) == expected
    assert ranked(scores)[100] == expected[100]
    assert len(ranked(scores, {1, 2, 3})) == 497


def test_ranked_leaves_out_the_excluded_and_keeps_the_scores_it_was_given():
    """Thousands tie at the head's cut (one length byte, one term frequency): put in score
    then docnum order in C. The dict ranked may be a cached one: never changed."""
    scores = {d: float(d % 3) for d in range(5000, 0, -1)}
    kept = dict(scores)
    excluded = {2, 5, 4999, 10**6}
    expected = sorted(((d, s) for d, s in scores.items() if d not in excluded), key=lambda item: (-item[1], item[0]))
    got = ranked(scores, excluded)
    assert list(got) == expected
    assert got[:64] == expected[:64]
    assert len(got) == len(expected) == 4997
    assert scores == kept


def test_paths_are_the_stored_ones_one_by_one_and_all_at_once(library, monkeypatch):
    with library.index.searcher() as searcher:
        count = searcher.doc_count_all()
        postings = for_searcher(searcher)
        monkeypatch.setattr("reader.search.postings.FEW_PATHS", 2)
        postings._paths, postings._some_paths = None, {}
        stored = [(searcher.stored_fields(d) or {}).get("path", "") for d in range(count)]
        assert [postings.path(d) for d in range(count)] == stored
        assert postings._paths is not None  # went over FEW_PATHS: read all at once


def test_paths_asked_together_are_read_one_at_a_time_when_few(library):
    """A zero-hit search ranks a respelling by its candidates' file sizes: their paths, a few
    hundred of 10k, are read alone (3 ms), not all of them (~25 ms)."""
    with library.index.searcher() as searcher:
        count = searcher.doc_count_all()
        stored = [(searcher.stored_fields(d) or {}).get("path", "") for d in range(count)]
        few = list(range(0, count, 5))[: count // 5]  # under a quarter of the posts
        postings = for_searcher(searcher)
        postings._paths, postings._some_paths = None, {}
        assert postings.paths_of(few) == [stored[d] for d in few]
        assert postings._paths is None  # not all read
        assert postings.paths_of(list(range(count))) == stored  # all of them: at once
        assert postings._paths is not None


# --- the quick check on the file ---------------------------------------------------------

ODD = {
    # The title comes from the file name; tags and categories are joined as the check joins them.
    "2020-01-01-쿼리로그-분석.md": (
        "---\ndate: 2020-01-01\ntags: [쿼리, 로그]\ncategories: [자연어, 처리]\n---\n본문.\n"
    ),
    "crlf.md": "---\r\ntitle: 줄바꿈\r\n---\r\n검색 엔진을\r\n만든다. 형태소 분석기.\r\n",
    "nfd.md": unicodedata.normalize("NFD", "---\ntitle: 분해\n---\n형태소분석기를 쓴다.\n"),
    "yaml.md": '---\ntitle: "따옴표 \\"색인어휘\\" 제목"\n---\n본문에는 없다.\n',
    # Every bigram of the queries, never together: the index turns it down (it lacks their trigrams).
    "absent.md": (
        "---\ntitle: 없음\n---\n로그를 본다. 쿼리는 자리로 간다. 연어와 자연, 어처구니없는 처리. 분석 형태 어휘 색인.\n"
    ),
    # Every trigram too, never together: a candidate the text check turns down.
    "apart.md": "---\ntitle: 따로\n---\n쿼리로 본다. 머리로그린다. 자연어를, 연어처럼, 어처리.\n",
}
ODD_QUERIES = ["쿼리로그", "자연어처리", "검색엔진", "형태소분석기", "색인어휘", "쿼리로그분석", '"형태소 분석기"']


@pytest.fixture(scope="module")
def odd_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("odd")
    for name, text in ODD.items():
        (root / name).write_bytes(text.encode("utf-8"))
    index_dir = tmp_path_factory.mktemp("odd-index")
    Library.open(root, KST, index_dir=index_dir).sync_index()
    return root, index_dir


@pytest.mark.parametrize("text", ODD_QUERIES)
def test_files_read_first_reject_only_what_the_posts_reject(odd_root, text, monkeypatch):
    root, index_dir = odd_root
    loaded = Library.open(root, KST, index_dir=index_dir)  # every post in memory: no file is read first
    expected = loaded.search(text)
    monkeypatch.setattr(searcher_module, "SLOW_POST_S", -1.0)  # every post counts as slow: files first
    monkeypatch.setattr(searcher_module, "FILES_FIRST_AFTER", 1)
    unloaded = Library(root, KST, index_dir=index_dir)
    unloaded.sync_index()
    got = unloaded.search(text)
    assert [h.path for h in got.hits] == [h.path for h in expected.hits]
    assert (got.total, got.total_exact, got.missing) == (expected.total, expected.total_exact, expected.missing)


def test_the_odd_posts_are_found_at_all(odd_root):
    root, index_dir = odd_root
    library = Library.open(root, KST, index_dir=index_dir)
    assert [h.path for h in library.search("쿼리로그").hits] == ["2020-01-01-쿼리로그-분석.md"]
    assert {h.path for h in library.search("형태소분석기").hits} == {"crlf.md", "nfd.md"}
    assert [h.path for h in library.search("색인어휘").hits] == ["yaml.md"]
    assert library.search("자연어처리").total == 1  # the categories, joined
    for text in ("쿼리로그", "자연어처리"):
        with library.index.searcher() as searcher:
            q = make_plan(parse(text), searcher.reader()).strict()
            candidates = {searcher.stored_fields(d)["path"] for d in for_searcher(searcher).docs(q)}
            assert "apart.md" in candidates  # its trigrams are there: only its text says no
            assert "absent.md" not in candidates  # its bigrams are there, its trigrams are not
        assert library.search(text).total == 1


def test_a_post_that_passes_passes_on_its_file_too(odd_root):
    root, index_dir = odd_root
    library = Library.open(root, KST, index_dir=index_dir)
    assert library.index.load_manifest() and library.index.manifest is not None
    quick = quick_texts(str(root), library.index.manifest.meta)
    rejected = set()
    for text in ODD_QUERIES:
        check = make_plan(parse(text)).check
        assert check is not None
        for path in ODD:
            on_post = check(post_texts(library.get(path)))
            on_file = check(dict.fromkeys(FIELDS, quick(path) or ""))
            assert on_file or not on_post, (text, path)
            if not on_file:
                rejected.add((text, path))
    assert ("쿼리로그", "apart.md") in rejected  # a candidate turned down without loading its post
    assert quick("missing.md") is None


def test_a_total_counted_on_the_files_is_said_to_be_approximate(odd_root, monkeypatch):
    root, index_dir = odd_root
    loaded = Library.open(root, KST, index_dir=index_dir).search("형태소분석기", limit=1)
    assert (len(loaded.hits), loaded.total, loaded.total_exact) == (1, 2, True)
    monkeypatch.setattr(searcher_module, "SLOW_POST_S", -1.0)
    monkeypatch.setattr(searcher_module, "FILES_FIRST_AFTER", 1)
    unloaded = Library(root, KST, index_dir=index_dir)
    unloaded.sync_index()
    result = unloaded.search("형태소분석기", limit=1)
    assert (result.total, result.total_exact) == (2, True)  # one post more: read to count it
    monkeypatch.setattr(searcher_module, "READ_TO_COUNT", 0)
    result = unloaded.search("형태소분석기", limit=1)
    assert [h.path for h in result.hits] == [h.path for h in loaded.hits]
    assert (result.total, result.total_exact) == (2, False)  # the other post's file holds it; not read


def test_a_count_read_from_the_files_reads_a_sample_and_estimates_the_rest(tmp_path, monkeypatch):
    """A search whose posts are on disk (the CLI's) reads COUNT_FROM_FILES candidates' files at
    most to count the posts that match; the rest is estimated from them, and said to be."""
    from reader.search import filecheck

    root = tmp_path / "posts"
    root.mkdir()
    for n in range(180):  # every other post holds the word; the others its parts apart
        text = "형태소분석기로 나눕니다" if n % 2 else "형태소분 그리고 소분석기"
        (root / f"p{n:03d}.md").write_text(f"---\ntitle: 글 {n}\n---\n{text}\n", encoding="utf-8")
    Library.open(root, KST, index_dir=tmp_path / "index").sync_index()
    monkeypatch.setattr(searcher_module, "SLOW_POST_S", -1.0)  # as posts read from disk are
    monkeypatch.setattr(searcher_module, "FILES_FIRST_AFTER", 1)
    read: list[str] = []
    real = filecheck.FileCheck.file_bytes

    def file_bytes(self, path):
        if path not in self._bytes:
            read.append(path)
        return real(self, path)

    monkeypatch.setattr(filecheck.FileCheck, "file_bytes", file_bytes)
    monkeypatch.setattr(searcher_module, "COUNT_FROM_FILES", 20)

    def cli_search() -> tuple[int, bool, int]:
        library = Library(root, KST, index_dir=tmp_path / "index")  # as `reader search` opens it
        listed = library.read_cached(listing_only=True)
        assert listed is not None
        library.adopt(listed)
        read.clear()
        result = library.search("형태소분석기", limit=1)
        assert len(result.hits) == 1
        return result.total, result.total_exact, len(read)

    total, exact, files = cli_search()
    assert (exact, 60 <= total <= 120) == (False, True), total  # 90 hold it
    assert files < 150, files  # those the hits were looked for in, and 20 more
    monkeypatch.setattr(searcher_module, "COUNT_FROM_FILES", 1000)
    total, exact, files = cli_search()
    assert (total, exact, files > 170) == (90, True, True), files  # every candidate read: exact


def test_a_post_indexed_in_part_is_still_found_past_the_cut(tmp_path, monkeypatch):
    """The index holds a post's first MAX_INDEXED_CHARS; a word written whole only past them,
    its bigrams before, is found by the text check, not turned down for lacking trigrams."""
    import reader.search.schema as schema_module

    monkeypatch.setattr(schema_module, "MAX_INDEXED_CHARS", 200)
    root = tmp_path / "posts"
    root.mkdir()
    (root / "big.md").write_text("쿼리 리로 로그\n" + "가" * 400 + "\n쿼리로그 끝\n", encoding="utf-8")
    (root / "small.md").write_text("쿼리로그\n", encoding="utf-8")
    (root / "apart.md").write_text("쿼리 리로 로그\n", encoding="utf-8")
    library = Library.open(root, KST, index_dir=tmp_path / "index")
    library.sync_index()
    assert sorted(h.path for h in library.search("쿼리로그").hits) == ["big.md", "small.md"]


# --- the numpy evaluation of a big index (reader.search.arrays) ---------------------------

ARRAY_QUERIES = [
    *FIRST_QUERIES,
    "머신러닝 데이터를 자연어처리",  # an AND of three words: sums of three parts, in order
    "(딥러닝 OR 인구 OR 머신러닝 OR 데이터) 검색",  # an OR of four: merged from its biggest
    "title:머신러닝 -tag:python",
]


@pytest.mark.parametrize("text", ARRAY_QUERIES)
def test_arrays_rank_as_the_dicts_do_float_for_float(library, text, monkeypatch):
    """What a search at 100k posts ranks with numpy: the same documents, the same floats
    (not close ones: equal), the same order, drafts masked as the dicts mask them."""
    monkeypatch.setattr(postings_module, "ARRAYS_FROM", 0)
    with library.index.searcher() as searcher:
        searcher.weighting = scoring.BM25F(B=0.75, K1=1.2)
        q = make_plan(parse(text), searcher.reader()).strict()
        dicts = Postings(searcher)
        arrays = Postings(searcher).arrays()
        assert arrays is not None
        mask = set(dicts.docs(wq.Term("draft", True)))
        for excluded in (frozenset(), mask):
            expected = list(ranked(dicts.scores(q), excluded))
            got = arrays.ranked(q, excluded)
            assert list(got) == expected
            assert len(got) == len(expected)
            assert got[:3] == expected[:3]
            if expected:
                assert got[len(expected) - 1] == expected[-1]
        assert list(arrays.ranked(q)) == expected if not mask else True  # kept: asked again, the same
        if text == QUERIES[0]:
            assert expected and mask  # the corpus holds it and a draft of it: not vacuous


@pytest.mark.parametrize("text", ["머신러닝", "검색 색인", "데이터를 -초안", "tag:python", "없는낱말이다", "ㅁㅅㄹㄴ"])
def test_a_search_of_a_big_index_finds_what_a_small_ones_does(library, text, monkeypatch):
    """The whole search, as the app and the CLI ask it, once with the dicts and once with
    numpy (ARRAYS_FROM lowered): the same hits, scores, totals and corrections."""

    def search() -> list:
        library.index.close()  # a new searcher: nothing kept from the other way
        result = library.search(text, limit=200)
        return [result.total, result.total_exact, result.corrected, [(h.path, h.score) for h in result.hits]]

    expected = search()
    monkeypatch.setattr(postings_module, "ARRAYS_FROM", 0)
    assert search() == expected
    if text == "머신러닝":
        assert expected[0] > 1


def test_the_apps_prepared_searcher_scores_with_numpy_at_any_size(library):
    """The app prepares its searcher once the index is ready (numpy imported then, off its UI
    thread): its searches are scored with arrays even below ARRAYS_FROM; a searcher nobody
    prepared (a CLI's) keeps the dicts. Found the same either way."""
    from reader.search.arrays import Arrays
    from reader.search.postings import for_searcher

    library.index.close()
    cold = library.search("머신러닝 데이터를", limit=200)
    with library.index.searcher() as searcher:
        assert searcher.doc_count_all() < postings_module.ARRAYS_FROM
        assert for_searcher(searcher).arrays() is None
    library.index.close()
    library.prepare_search()
    with library.index.searcher() as searcher:
        postings = for_searcher(searcher)
        assert isinstance(postings.arrays(), Arrays)
        assert not postings._terms  # nothing read by the dicts yet
    prepared = library.search("머신러닝 데이터를", limit=200)
    with library.index.searcher() as searcher:
        postings = for_searcher(searcher)
        assert postings.arrays()._terms and not postings._terms  # read by the arrays alone
    assert [(h.path, h.score) for h in prepared.hits] == [(h.path, h.score) for h in cold.hits]
    assert prepared.total == cold.total and len(cold.hits) > 1


def test_arrays_sum_and_rank_as_the_dicts_where_order_changes_the_float():
    """(0.1 + 0.2) + 0.3 != (0.1 + 0.3) + 0.2: an OR's sums start from its biggest part and
    add the others in order, an AND's in its parts' order; thousands of equal scores rank
    in docnum order. Random parts, compared with reader.search.scores."""
    import random

    import numpy as np

    from reader.search.arrays import RankedArrays, _and, _or
    from reader.search.scores import merge

    rng = random.Random(7)
    values = [0.1, 0.2, 0.3, 0.7, 1e-9, 3.0]
    for _ in range(200):
        parts = []
        for _ in range(rng.randint(2, 5)):
            docs = sorted(rng.sample(range(60), rng.randint(0, 40)))
            parts.append({d: rng.choice(values) for d in docs})
        as_arrays = [(np.array(list(p), dtype=np.int64), np.array(list(p.values()))) for p in parts]
        nonempty = [p for p in parts if p]
        expected = merge(nonempty, max(range(len(nonempty)), key=lambda i: len(nonempty[i]))) if nonempty else {}
        ids, scores = _or(as_arrays)
        assert dict(zip(ids.tolist(), scores.tolist(), strict=True)) == expected
        common = set.intersection(*(set(p) for p in parts))
        ids, scores = _and(as_arrays)
        assert dict(zip(ids.tolist(), scores.tolist(), strict=True)) == {
            d: sum((p[d] for p in parts[1:]), parts[0][d]) for d in common
        }
        excluded = set(rng.sample(range(60), 5))
        assert list(RankedArrays(*_or(as_arrays), frozenset(excluded))) == list(ranked(expected, excluded))

"""Searching: the Korean rules, the operators, ranking, honest zero results, did-you-mean, 초성, counts, snippets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library import Library
from reader.search.query import InvalidQuery
from tests.conftest import KST, POSTS

CORPUS = {
    "ml.md": "---\ntitle: 머신러닝 입문\ndate: 2021-03-01\ntags: [ml, python]\ncategories: [공부]\n---\n"
    "머신러닝에서 데이터를 나누는 법. Django를 쓰지 않는다.\n",
    "dl.md": "---\ntitle: 딥러닝 노트\ndate: 2020-05-01\ntags: [dl]\n---\n딥러닝과 신경망. 러닝 머신은 운동기구다.\n",
    "nlp-spaced.md": "---\ntitle: 말 다루기\ndate: 2019-01-01\n---\n자연어 처리는 재미있다.\n",
    "nlp-joined.md": "---\ntitle: 자연어처리 개론\ndate: 2018-01-01\n---\n자연어처리를 공부한다.\n",
    "apart.md": "---\ntitle: 따로\ndate: 2017-01-01\n---\n자연어는 어렵고 처리 속도는 느리다.\n",
    "census.md": "---\ntitle: 통계\ndate: 2016-01-01\n---\n인구 통계를 본다.\n",
    "structure.md": "---\ntitle: 구조\ndate: 2015-01-01\n---\n데이터 기반인 구조를 만든다.\n",
    "web.md": "---\ntitle: Django 튜토리얼\ndate: 2022-01-01\ntags: [django, web]\ncategories: [개발/웹]\n---\n"
    "Django로 웹을 만든다. pythonic 코드.\n",
    "draft.md": "---\ntitle: 초안 머신러닝\ndraft: true\ndate: 2023-01-01\n---\n머신러닝 초안\n",
}


def indexed(tmp_path_factory, name: str) -> Library:
    """CORPUS in a folder of its own, indexed."""
    root = tmp_path_factory.mktemp(name)
    for file, text in CORPUS.items():
        (root / file).write_text(text, encoding="utf-8")
    library = Library.open(root, KST, index_dir=tmp_path_factory.mktemp(name + "-index"))
    library.sync_index()
    return library


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Library:
    return indexed(tmp_path_factory, "posts")


def paths(library: Library, query: str, **kw) -> list[str]:
    return [h.path for h in library.search(query, **kw).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("머신러닝", {"ml.md", "draft.md"}),  # 머신러닝에서 counts; 딥러닝 and 러닝 머신 do not
        ("자연어처리", {"nlp-spaced.md", "nlp-joined.md"}),
        ("인구", {"census.md"}),  # not 기반인 구조
        ("데이터를", {"ml.md", "structure.md"}),  # the stem 데이터 counts too
        ("django", {"ml.md", "web.md"}),  # Django를 splits its particle
        ("DJANGO", {"ml.md", "web.md"}),
        ('"자연어 처리"', {"nlp-spaced.md"}),
        ("머신러닝 -초안", {"ml.md"}),
        ("tag:python", {"ml.md"}),
        ("category:개발", {"web.md"}),
        ("category:개발/웹 django", {"web.md"}),
        ("title:머신러닝", {"ml.md", "draft.md"}),
        ("date:2020..2021", {"ml.md", "dl.md"}),
        ("date:2019", {"nlp-spaced.md"}),
        ("pyth*", {"ml.md", "web.md"}),
        ("딥러닝 OR 인구", {"dl.md", "census.md"}),
    ],
)
def test_matches(library, query, expected):
    result = library.search(query, limit=50)
    assert not result.approximate
    assert set(paths(library, query, limit=50)) == expected


def test_words_are_anded_and_the_joined_form_ranks_first(library):
    found = paths(library, "자연어 처리")
    assert set(found) == {"nlp-spaced.md", "nlp-joined.md", "apart.md"}
    assert found[-1] == "apart.md"  # both words, but not together: last


def test_title_outranks_body(library):
    assert paths(library, "django")[0] == "web.md"


def test_drafts_can_be_left_out(library):
    assert "draft.md" not in paths(library, "머신러닝", include_drafts=False)


def test_a_latin_typo_is_corrected_and_labelled(library):
    result = library.search("djnago")
    assert result.approximate and result.corrected == "django" and result.missing == ["djnago"]
    assert {h.path for h in result.hits} == {"ml.md", "web.md"}
    hit = next(h for h in result.hits if h.path == "web.md")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["Django"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("머신러닌", "머신러닝"),  # a final consonant
        ("머신러닌을", "머신러닝을"),  # the same, a particle kept
        ("머신라닝", "머신러닝"),  # a vowel
        ("머싱러닝", "머신러닝"),  # a final added
        ("신경먕", "신경망"),
    ],
)
def test_a_korean_typo_is_corrected_by_its_letters(library, typed, meant):
    result = library.search(typed)
    assert result.approximate and result.corrected == meant and result.missing == [typed]
    assert "ml.md" in {h.path for h in result.hits} or meant == "신경망"
    assert all(h.snippet[a:b] for h in result.hits for a, b in h.highlights)


def test_a_typo_within_a_scope_is_corrected_within_it_or_its_spelling_offered(library):
    """The app's sidebar filter is a scope: a typo within it is corrected within it, and where
    none of the scope's posts holds a spelling of it, the spellings the others hold are offered
    (`elsewhere`), not searched."""
    from reader.search.query import facet

    inside = library.search("머신러닌", scope=facet("tag", "python"))
    assert inside.corrected == "머신러닝" and [h.path for h in inside.hits] == ["ml.md"] and inside.elsewhere == []
    outside = library.search("머신러닌", scope=facet("tag", "django"))
    assert (outside.hits, outside.corrected, outside.missing) == ([], None, ["머신러닌"])
    assert outside.elsewhere == ["머신러닝"]
    assert library.search("쿠버네티스", scope=facet("tag", "django")).elsewhere == []  # no spelling anywhere
    assert library.search("머신러닌").elsewhere == []  # every post: corrected as ever


def test_a_word_no_post_holds_gives_no_posts_at_all(library):
    for query in ("zzzzqqq", "쿠버네티스", "없는단어xyz", "쿠버네티스 머신러닝"):
        result = library.search(query)
        assert (result.total, result.hits, result.approximate, result.corrected) == (0, [], False, None), query
    assert library.search("쿠버네티스 머신러닝").missing == ["쿠버네티스"]


def test_words_that_are_there_but_never_together_are_not_missing(library):
    result = library.search("django 신경망")
    assert result.hits == [] and result.missing == [] and not result.approximate


@pytest.fixture(scope="module")
def walking(tmp_path_factory) -> Library:
    """The same posts, a library of its own: its searcher has evaluated no query yet."""
    return indexed(tmp_path_factory, "walked")


@pytest.mark.parametrize(
    "query",
    ["tag:python 신경망", "django 신경망", "머신러닝 쿠버네티스", "머신러닌을", "djnago", "ㅁㅅㄹㄴ", "데이터를"],
)
def test_words_counted_as_their_posts_are_walked_answer_as_when_collected(library, walking, query, monkeypatch):
    """A search that finds nothing counts its words (missing ones named, respellings
    tried); at 100k posts a common word's posts are walked in order, not collected
    (LAZY_FROM). Walked here at every size: the same answer, word for word."""
    import reader.search.postings as postings_module

    monkeypatch.setattr(postings_module, "LAZY_FROM", 10**9)
    collected = {**library.search(query).to_json(), "took_ms": None}
    walked = []
    real = postings_module.Postings.walk

    def spied(self, q):
        walked.append(q)
        return real(self, q)

    monkeypatch.setattr(postings_module.Postings, "walk", spied)
    monkeypatch.setattr(postings_module, "LAZY_FROM", 0)
    assert {**walking.search(query).to_json(), "took_ms": None} == collected
    if query in ("머신러닝 쿠버네티스", "djnago"):
        assert walked, "the words were counted by walking their posts"


def test_whether_a_word_is_held_is_learnt_from_its_first_post(tmp_path, monkeypatch):
    """A search that finds nothing asks of each word whether any post holds it: the word's
    posts are walked only until one holds it, not all of them (up to 300) first."""
    import reader.search.postings as postings_module

    root = tmp_path / "posts"
    root.mkdir()
    for n in range(40):
        (root / f"ml{n:02}.md").write_text(f"머신러닝 노트 {n}.\n", encoding="utf-8")
    library = Library.open(root, KST, index_dir=tmp_path / "index")
    library.sync_index()
    walked: list[int] = []
    real = postings_module.Postings.walk

    def spied(self, q):
        for docnum in real(self, q):
            walked.append(docnum)
            yield docnum

    monkeypatch.setattr(postings_module.Postings, "walk", spied)
    monkeypatch.setattr(postings_module, "LAZY_FROM", 0)
    result = library.search("머신러닝 쿠버네티스")
    assert result.hits == [] and result.missing == ["쿠버네티스"]
    assert 1 <= len(walked) < 5, walked


def test_counts_are_exact_and_checked_on_the_text(tmp_path):
    posts = {f"nlp{n}.md": "자연어처리를 배운다.\n" for n in range(12)}
    # Every bigram of 자연어처리 (자연 연어 어처 처리) is here, but not the word: a candidate the check rejects.
    posts["decoy.md"] = "어처구니없게 자연 속의 연어를 처리했다.\n"
    for name, text in posts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = Library.open(tmp_path, KST, index_dir=tmp_path.parent / f"{tmp_path.name}-index")
    library.sync_index()
    result = library.search("자연어처리", limit=3)
    assert (result.total, result.total_exact, len(result.hits)) == (12, True, 3)
    assert "decoy.md" not in {h.path for h in library.search("자연어처리", limit=50).hits}


@pytest.mark.parametrize(
    ("typed", "read", "expected"),
    [
        ("ㅁㅅㄹㄴ", "머신러닝", {"ml.md", "draft.md"}),
        ("ㅁㅅ러닝", "머신러닝", {"ml.md", "draft.md"}),
        ("ㅈㅇㅇ ㅊㄹ", "자연어 처리", {"nlp-spaced.md", "nlp-joined.md", "apart.md"}),
        ("ㄷㄹㄴ", "딥러닝", {"dl.md"}),
    ],
)
def test_initial_consonants_read_as_the_word_the_posts_hold(library, typed, read, expected):
    result = library.search(typed)
    assert result.corrected == read and not result.approximate
    assert {h.path for h in result.hits} == expected
    assert all(h.title[a:b] for h in result.hits for a, b in h.title_highlights)


def test_initials_nothing_stands_for_find_nothing(library):
    result = library.search("ㅋㅋㅋㅋ")
    assert result.hits == [] and result.corrected is None and result.missing == ["ㅋㅋㅋㅋ"]


PROXIMITY_POSTS = {
    "scattered.md": "---\ntitle: a\n---\n모두 왔다."
    + " 그리고 다른 이야기." * 20
    + " 위한 것. 긴 글." * 5
    + " 딥러닝 끝.\n",
    "near.md": "---\ntitle: b\n---\n딥러닝 수업은 모두 좋았다. 누구를 위한 것인가.\n",
    "together.md": "---\ntitle: c\n---\n오늘은 모두의 위한 딥러닝 강의를 들었다.\n",
}


def test_words_together_rank_above_words_near_above_scattered(tmp_path):
    for name, text in PROXIMITY_POSTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = Library.open(tmp_path, KST, index_dir=tmp_path.parent / f"{tmp_path.name}-index")
    library.sync_index()
    assert paths(library, "모두를 위한 딥러닝") == ["together.md", "near.md", "scattered.md"]
    assert paths(library, "모두를 위한 딥러닝") == ["together.md", "near.md", "scattered.md"]  # kept: the same

    # The scattered post rewritten with the words together, the index not synced yet (the app
    # between a file's change and its index update): ranked by the text the search shows.
    (tmp_path / "scattered.md").write_text(
        "---\ntitle: a\n---\n" + " 그리고 다른 이야기." * 20 + " 모두를 위한 딥러닝 끝.\n", encoding="utf-8"
    )
    snapshot = library.read(library.snapshot)
    first, second, third = paths(library, "모두를 위한 딥러닝", snapshot=snapshot)
    assert {first, second} == {"together.md", "scattered.md"} and third == "near.md"


def test_search_prepared_before_its_first_query_answers_the_same(tmp_path):
    for name, text in PROXIMITY_POSTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path.parent / f"{tmp_path.name}-index"
    library = Library.open(tmp_path, KST, index_dir=index_dir)
    library.prepare_search()  # no index yet: nothing to open, nothing made
    assert not index_dir.exists() or not any(index_dir.iterdir())
    library.sync_index()
    library.prepare_search()
    assert paths(library, "모두를 위한 딥러닝") == ["together.md", "near.md", "scattered.md"]
    assert paths(library, "딥러닝") == paths(Library.open(tmp_path, KST, index_dir=index_dir), "딥러닝")


def test_snippet_highlights_exactly_the_query_word(library):
    hit = next(h for h in library.search("머신러닝").hits if h.path == "ml.md")
    assert [hit.snippet[a:b] for a, b in hit.highlights] == ["머신러닝"]
    assert hit.title_highlights == [(0, 4)]
    assert hit.tags == ["ml", "python"] and hit.date.startswith("2021-03-01")


def test_invalid_query_raises_a_clear_error(library):
    with pytest.raises(InvalidQuery):
        library.search("*x")


def test_search_on_the_bundled_posts(tmp_path):
    library = Library(POSTS, KST, index_dir=tmp_path / "ix")
    library.sync_index()
    result = library.search("머신러닝")
    assert result.hits[0].path == "2025-11-20-머신러닝-입문.md"
    assert library.search("자연어처리").hits[0].path == "2025-10-02-자연어-처리.md"
    assert library.search("Python: 시작하기").hits[0].path == "broken/python-colon.md"


HOSTILE_ALPHABET = list('()"-*?:~^\\ OR AND tag:date:title:가나다머신러닝abcXYZ019.\x00\x1b\u202e')


@pytest.mark.timeout(300)  # a hang or a blow-up fails here; how fast is the benchmark's business
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(HOSTILE_ALPHABET), max_size=120))
def test_hostile_queries_search_or_fail_clearly(library, text):
    try:
        result = library.search(text)
    except InvalidQuery as exc:
        assert str(exc)
    else:
        assert all(0 <= a < b <= len(h.snippet) for h in result.hits for a, b in h.highlights)


def test_a_respelling_whose_syllables_stand_nowhere_in_order_is_not_offered(tmp_path):
    """The did-you-mean bound of a long word is its rarest trigram: `가나다` has both of its
    bigrams in `가나 나다` but no post holds the syllables in that order."""
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("가나 나다 라마바사\n", encoding="utf-8")
    library = Library.open(tmp_path / "posts", KST, index_dir=tmp_path / "index")
    library.sync_index()
    from reader.search.suggest import Vocabulary

    with library.index.searcher() as searcher:
        words = Vocabulary(searcher.reader())
        assert words.frequency("라마바") == 1 and words.frequency("가나나") == 1  # across a space too
        assert words.frequency("가나다") == 0
    assert library.search("가나다").missing == ["가나다"]


def test_a_spelling_is_counted_on_the_small_posts_first(tmp_path, monkeypatch):
    """Counting a respelling reads COUNT_BYTES of posts at most, the smallest first: a long post
    holding its trigrams apart does not use up the budget before a short one holding it."""
    import reader.search.respell as respell_module

    root, index_dir = tmp_path / "posts", tmp_path / "index"
    root.mkdir()
    (root / "a-long.md").write_text("자연어를 본다. 연어처럼 헤엄친다. 어처리.\n" + "다른 말. " * 2000, "utf-8")
    (root / "b-short.md").write_text("자연어처리를 배운다.\n", encoding="utf-8")
    Library.open(root, KST, index_dir=index_dir).sync_index()
    monkeypatch.setattr(respell_module, "COUNT_BYTES", (root / "b-short.md").stat().st_size + 10)
    result = Library(root, KST, index_dir=index_dir).search("자연어처라")  # posts read from their files
    assert result.corrected == "자연어처리" and [h.path for h in result.hits] == ["b-short.md"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2]), max_size=40), st.integers(1, 45))
def test_hits_ranked_by_proximity_ask_only_what_the_shown_ones_need(tiers, limit):
    from types import SimpleNamespace

    from reader.search.searcher import NEAR, NOT_TOGETHER, SCATTERED, TOGETHER, by_proximity

    found = [(f"{at}.md", 1.0 / (at + 1), SimpleNamespace(path=f"{at}.md", tier=t)) for at, t in enumerate(tiers)]
    asked_near: list[str] = []

    def tier(post, near):
        if post.tier == TOGETHER:
            return TOGETHER
        if not near:
            return NOT_TOGETHER
        asked_near.append(post.path)
        return NEAR if post.tier == 1 else SCATTERED

    shown = by_proximity(found, limit, tier)  # type: ignore[arg-type]
    assert shown == sorted(found, key=lambda item: item[2].tier)[:limit]  # stable: score order within
    together = tiers.count(0)
    if together >= limit:
        assert asked_near == []
    elif tiers.count(1) >= limit - together:  # asked until the near ones fill the hits
        last_near = [i for i, t in enumerate(tiers) if t == 1][limit - together - 1]
        assert asked_near == [f"{i}.md" for i, t in enumerate(tiers) if t != 0 and i <= last_near]


def test_initials_read_as_a_word_of_its_own_before_the_start_of_a_longer_one(tmp_path):
    """`ㅂㅌㅂ` is 비터비 (a title's word), not 베타분: more posts hold 베타분포, but 베타분 is no word."""
    posts = {f"beta{n}.md": f"---\ntitle: 베타분포 노트 {n}\n---\n베타분포를 정리한다.\n" for n in range(3)}
    posts["viterbi.md"] = "---\ntitle: 비터비 알고리즘\n---\n비터비를 구현한다.\n"
    for name, text in posts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    library = Library.open(tmp_path, KST, index_dir=tmp_path.parent / f"{tmp_path.name}-index")
    library.sync_index()
    result = library.search("ㅂㅌㅂ")
    assert result.corrected == "비터비"
    assert [h.path for h in result.hits] == ["viterbi.md"]
    assert library.search("ㅂㅌㅂㅍ").corrected == "베타분포"  # the longer word, typed whole

"""What a search that finds nothing costs: the did-you-mean's lookups and counts, run as `reader search`."""

from __future__ import annotations

import json

import pytest

import reader.search.respell as respell_module
from reader.search.blocks import TermCounts
from reader.search.suggest import hangul_variants

POSTS = {
    # 서버 and 운영 stand in posts, never together, not even across a space: 버운 is in no post.
    **{f"server{n}.md": f"# 서버 {n}\n\n오늘 서버를 켰다. 서버관리는 어렵다.\n" for n in range(3)},
    **{f"ops{n}.md": f"# 운영 {n}\n\n가게를 운영한다. 운영은 쉽다.\n" for n in range(3)},
    **{f"ml{n}.md": f"# 공부 {n}\n\n머신러닝을 배운다.\n" for n in range(3)},
    "words.md": "# 잡담\n\n서로 서점 서류 버스 버릇 운동 운전 영화 영어 사이 세상 저녁 어제 더위.\n",
}


@pytest.fixture
def search(cli, write_tree, tmp_path):
    root = write_tree(POSTS, tmp_path / "posts")
    env = {"GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    assert cli("index", "--posts", str(root), env=env).returncode == 0

    def run(query: str) -> dict:
        result = cli("search", query, "--json", "--posts", str(root), env=env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return run


@pytest.fixture
def lookups(monkeypatch):
    """Every (field, term) whose document frequency the search asks of the index's terms."""
    asked: set[tuple[str, str]] = set()
    original = TermCounts.doc_frequency

    def doc_frequency(self, fieldname, text):
        asked.add((fieldname, text))
        return original(self, fieldname, text)

    monkeypatch.setattr(TermCounts, "doc_frequency", doc_frequency)
    return asked


@pytest.fixture
def counted(monkeypatch):
    """The words the did-you-mean counts in the posts (not whether the typed words are held)."""
    words: list[str] = []
    original = respell_module.Spellings.count

    def count(self, word, literal=None, enough=respell_module.MAX_COUNTED):
        if literal is not None:
            words.append(word.text)
        return original(self, word, literal, enough)

    monkeypatch.setattr(respell_module.Spellings, "count", count)
    return words


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [("서버운영", None), ("서버관라", "서버관리")],
)
def test_a_word_no_post_holds_rules_out_its_respellings_with_a_lookup_each_at_most(search, lookups, typed, corrected):
    """Most of a word's ~270 respellings are in no post. Those keeping one of the typed word's
    own terms that no post holds (버운) are ruled out with no lookup; the others by one term in
    no post, a trigram before a bigram's two forms (before: two lookups for most of them)."""
    result = search(typed)
    assert (result["missing"], result["corrected"], result["suggestions"]) == ([typed], corrected, [])
    assert bool(result["hits"]) == (corrected is not None)
    respellings = sum(1 for _ in hangul_variants(typed))
    assert respellings == 267
    asked = {key for key in lookups if key[0] in ("text", "tri")}
    assert len(asked) < respellings * 2 // 3, len(asked)


def test_a_query_with_a_word_nothing_is_close_to_counts_no_respelling_of_the_others(search, counted):
    """No query can be offered when one of its words has no spelling the posts hold: the
    spellings of the others are not counted in the posts."""
    result = search("쿠버네티스 머신러닌")
    assert result["missing"] == ["쿠버네티스", "머신러닌"]
    assert (result["total"], result["corrected"], result["suggestions"]) == (0, None, [])
    assert counted == []
    alone = search("머신러닌")  # the same word alone is respelt and counted
    assert alone["corrected"] == "머신러닝" and "머신러닝" in counted

"""Did-you-mean offers words the posts write, not pieces of longer ones, run as `reader search`.

The index holds syllable pairs, so a respelling made of them may stand in posts only inside
longer words (`임베딩드` -> `임베딩되` of `임베딩되는`, `임베딩으` of `임베딩으로`): it is counted
only where a post writes it as a word (reader.search.respell.as_written).
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.search.analysis import strip_particle
from reader.search.respell import VERB_ENDINGS, Written, as_written


@pytest.fixture
def search(cli, write_tree, tmp_path):
    def run(posts: dict[str, str | bytes], query: str) -> dict:
        root = write_tree(posts, tmp_path / "posts")
        env = {"GEULBAT_INDEX_DIR": str(tmp_path / "index")}
        result = cli("search", query, "--json", "--posts", str(root), env=env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    return run


def offered(result: dict) -> list[str]:
    return ([result["corrected"]] if result["corrected"] else []) + result["suggestions"]


def test_a_typo_is_read_as_the_word_the_posts_write_not_a_piece_of_longer_ones(search):
    """임베딩되 and 임베딩으 are one letter from 임베딩드, 임베딩 one syllable: the posts write
    only 임베딩 as a word (before a particle: 으로, 을, 되는 as strip_particle reads them)."""
    posts = {
        "a.md": "# 변환\n\n단어가 벡터로 임베딩되는 과정을 본다.\n",
        "b.md": "# 벡터\n\n문장을 임베딩으로 바꾼다.\n",
        "c.md": "# 기법\n\n임베딩을 배운다.\n",
    }
    result = search(posts, "임베딩드")
    assert result["missing"] == ["임베딩드"]
    assert offered(result) == ["임베딩"]
    assert {hit["path"] for hit in result["hits"]} == {"a.md", "b.md", "c.md"}


@pytest.mark.parametrize("encoding", ["cp949", "nfd"])
def test_a_post_read_as_text_counts_a_spelling_only_where_it_is_a_word(search, encoding):
    """A CP949 file, or one in decomposed Hangul, is not looked in as UTF-8 bytes: its text
    is read, and holds 임베딩되 only inside 임베딩되는."""
    text = "# 변환\n\n단어가 벡터로 임베딩되는 과정을 본다.\n"
    data = text.encode("cp949") if encoding == "cp949" else unicodedata.normalize("NFD", text).encode("utf-8")
    posts: dict[str, str | bytes] = {f"a{n}.md": data for n in range(3)}
    posts["c.md"] = "# 기법\n\n임베딩을 배운다.\n"
    assert offered(search(posts, "임베딩드")) == ["임베딩"]


def test_a_stem_written_only_before_a_verbs_ending_is_no_word(search):
    """`임베딩되고`: 고 ends a verb's stem far more often than a noun, so 임베딩되 is no word."""
    posts = {f"v{n}.md": f"# 학습 {n}\n\n벡터로 임베딩되고 나서 학습한다.\n" for n in range(3)}
    posts["w.md"] = "# 기법\n\n임베딩 기법을 배운다.\n"
    assert offered(search(posts, "임베딩드")) == ["임베딩"]


def test_a_two_syllable_respelling_inside_a_longer_word_is_not_offered(search):
    """`그릠을`: more posts hold 그램 than 그림, but only inside 프로그램; 그림을 is offered."""
    posts = {f"code{n}.md": f"# 코드 {n}\n\n이 프로그램을 고쳤다.\n" for n in range(3)}
    posts["draw.md"] = "# 그림\n\n오늘도 그림을 그렸다.\n"
    result = search(posts, "그릠을")
    assert offered(result) == ["그림을"]
    assert [hit["path"] for hit in result["hits"]] == ["draw.md"]


def test_a_word_the_posts_write_before_a_particle_of_their_own_is_offered_with_the_typed_one(search):
    """`머신러닌을`: the posts write 머신러닝에서 and 머신러닝은, never 머신러닝을; the stem is a word."""
    posts = {
        "a.md": "# 공부\n\n머신러닝에서 배운다.\n",
        "b.md": "# 정리\n\n머신러닝은 재미있다.\n",
    }
    assert offered(search(posts, "머신러닌을")) == ["머신러닝을"]


# --- the pattern a count looks for, in a file's text and in its bytes ----------------------------

SYLLABLES = "임베딩되으로을는고프램그"
SPELLINGS = st.text(alphabet=st.sampled_from(SYLLABLES), min_size=2, max_size=4)


@st.composite
def spelling_and_text(draw) -> tuple[str, str]:
    """A spelling, and a text made of it, syllables, particles and what ends a word."""
    spelling = draw(SPELLINGS)
    pieces = [spelling, *SYLLABLES, "으로", "되는", "에서는", " ", "a", ".", "\n"]
    return spelling, "".join(draw(st.lists(st.sampled_from(pieces), max_size=8)))


def written_as_word(spelling: str, text: str) -> bool:
    """The definition, run by run: some Hangul run is `spelling`, or `spelling` and a particle
    strip_particle takes off, none of VERB_ENDINGS."""
    return any(
        run == spelling or (strip_particle(run) == spelling and run[len(spelling) :] not in VERB_ENDINGS)
        for run in re.findall("[\uac00-\ud7a3]+", text)
    )


@given(spelling_and_text())
def test_a_spelling_is_found_where_a_post_writes_it_as_a_word_in_its_text_and_its_bytes(case):
    spelling, text = case
    written = Written(spelling)
    found = written_as_word(spelling, text)
    assert (written.search(text) is not None) == found
    assert written.in_bytes(text.encode("utf-8")) == found


def test_a_latin_word_is_counted_as_it_is_and_one_with_hangul_as_a_word():
    """`gpt모델`: case ignored, and its files' texts read (no bytes to look for); `pytorch`:
    a whole word of the index, counted as the index finds it."""
    mixed = as_written("gpt모델")
    assert isinstance(mixed, Written) and mixed.data is None
    assert mixed.search("GPT모델을 썼다") and not mixed.search("GPT모델링")
    assert as_written("pytorch") == re.compile("pytorch", re.IGNORECASE)

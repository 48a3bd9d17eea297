"""A warm searcher: what it keeps between searches, and did-you-mean counted from the index and the files' bytes."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader.search.filecheck as filecheck_module
import reader.search.searcher as searcher_module
from reader.library import Library
from reader.search.kept import KeptMetas
from reader.search.plan import make_plan
from reader.search.query import Word, parse
from tests.conftest import KST


def make_library(root, index_dir, posts: dict[str, str]) -> Library:
    root.mkdir()
    for name, text in posts.items():
        (root / name).write_bytes(text.encode("utf-8"))
    Library.open(root, KST, index_dir=index_dir).sync_index()
    return Library(root, KST, index_dir=index_dir)  # posts read from their files, as the CLI does


def outcome(library: Library, query: str) -> tuple:
    result = library.search(query)
    return (
        [(h.path, h.score, h.snippet) for h in result.hits],
        result.total,
        result.corrected,
        result.suggestions,
        result.missing,
    )


def test_a_search_repeated_or_narrowed_gives_what_it_gave_the_first_time(tmp_path):
    posts = {f"p{i}.md": f"# 글 {i}\n\n자연어처리와 데이터를 다룬다. 쿼리 {i}번.\n" for i in range(12)}
    posts["spaced.md"] = "# 띄어\n\n자연어 처리는 데이터로 한다.\n"
    posts["apart.md"] = "# 따로\n\n자연어는 어렵고 처리 속도는 느리다. 데이터.\n"
    library = make_library(tmp_path / "posts", tmp_path / "index", posts)
    queries = ["자연어처리", "자연어처리 데이터", "자연어처리 -쿼리", "데이터를", "자연어처라", "쿼리로그"]
    first = [outcome(library, q) for q in queries]
    again = [outcome(library, q) for q in reversed(queries)][::-1]
    assert again == first
    fresh = Library(tmp_path / "posts", KST, index_dir=tmp_path / "index")
    assert [outcome(fresh, q) for q in queries] == first
    assert first[0][1] == 13 and len(first[0][0]) == 10  # twelve joined, one spaced; `apart` holds it nowhere
    assert first[4][2] == "자연어처리"  # the typo's correction, counted in the files


def test_a_typo_of_a_stem_is_read_as_the_spelling_most_posts_hold(tmp_path):
    """`그릠을` is one letter from both 그림 and 그램: counted where posts write them as words."""
    posts = {f"draw{i}.md": f"# 그림 {i}\n\n오늘도 그림을 그렸다.\n" for i in range(3)}
    posts["cook.md"] = "# 요리\n\n설탕 5그램을 넣었다.\n"
    posts["apart.md"] = "# 따로\n\n그 램프를 켰다.\n"  # 그 and 램 stand apart: not 그램
    library = make_library(tmp_path / "posts", tmp_path / "index", posts)
    result = library.search("그릠을")
    assert result.approximate and result.corrected == "그림을" and result.missing == ["그릠을"]
    assert {h.path for h in result.hits} == {"draw0.md", "draw1.md", "draw2.md"}
    assert "그램을" in result.suggestions


def test_a_respelling_held_in_decomposed_hangul_is_still_counted(tmp_path):
    """A file saved with decomposed syllables (as some macOS tools write them) holds none of
    the respelling's bytes as typed: it is read as text, where it does hold it."""
    decomposed = unicodedata.normalize("NFD", "# 노트\n\n자연어처리를 배운다.\n")
    posts = {"nfd.md": decomposed, "other.md": "# 다른 글\n\n자연어는 어렵고 처리 속도는 느리다.\n"}
    library = make_library(tmp_path / "posts", tmp_path / "index", posts)
    result = library.search("자연어처라")
    assert result.corrected == "자연어처리" and [h.path for h in result.hits] == ["nfd.md"]


def test_a_file_changed_since_the_last_search_is_read_again(tmp_path, monkeypatch):
    """The searcher keeps the candidates' file texts between searches; one whose file has
    changed since (the index not yet synced) is read again, never answered from what was kept."""
    monkeypatch.setattr(searcher_module, "SLOW_POST_S", -1.0)  # every post counts as read from disk:
    monkeypatch.setattr(searcher_module, "FILES_FIRST_AFTER", 1)  # candidates are checked on their files first
    posts = {f"p{i}.md": f"# 글 {i}\n\n자연어처리를 배운다. {'말 ' * i}\n" for i in range(4)}
    # Every bigram and trigram of 자연어처리, never the word: a candidate the text check turns down
    # (long, so that it ranks last and is never the one post loaded before files are read first).
    apart = "자연어를 본다. 연어처럼 헤엄친다. 어처리.\n" + "다른 말. " * 200
    posts["later.md"] = "# 나중\n\n" + apart
    root = tmp_path / "posts"
    library = make_library(root, tmp_path / "index", posts)
    before = {h.path for h in library.search("자연어처리", limit=50).hits}
    assert before == {f"p{i}.md" for i in range(4)}
    (root / "later.md").write_text("# 나중\n\n이제 자연어처리도 한다. " + apart, "utf-8")
    after = library.search("자연어처리", limit=50)
    assert {h.path for h in after.hits} == before | {"later.md"}


@pytest.mark.parametrize("query", ["데이터", "데이터 자연어처리", "자연어처리 OR 쿼리"])
def test_drafts_left_out_of_a_repeated_search_stay_out(tmp_path, query):
    posts = {f"p{i}.md": f"# 글 {i}\n\n데이터와 자연어처리. 쿼리.\n" for i in range(5)}
    posts["draft.md"] = "---\ntitle: 초안\ndraft: true\n---\n데이터와 자연어처리. 쿼리.\n"
    library = make_library(tmp_path / "posts", tmp_path / "index", posts)
    with_drafts = {h.path for h in library.search(query, limit=50).hits}
    without = {h.path for h in library.search(query, limit=50, include_drafts=False).hits}
    assert with_drafts == without | {"draft.md"} and "draft.md" not in without
    assert {h.path for h in library.search(query, limit=50).hits} == with_drafts


def test_a_typo_is_corrected_to_a_spelling_held_in_cp949_posts_or_a_file_name_title(tmp_path):
    """Spellings are counted on the files' bytes where they can be: a CP949 post (an old Korean
    blog) and a title made from a file name are counted too, not taken for posts without them."""
    site = tmp_path / "site"
    site.mkdir()
    for n in range(3):
        text = f"---\ntitle: 글{n}\n---\n오늘은 머신러닝 공부를 했다 {n}.\n"
        (site / f"cp{n}.md").write_bytes(text.encode("cp949"))
    (site / "2020-01-01-트랜스포머.md").write_text("본문에는 그 단어가 없다.\n", "utf-8")
    (site / "other.md").write_text("---\ntitle: 다른\n---\n다른 본문.\n", "utf-8")
    library = Library(site, index_dir=tmp_path / "index")
    library.load()
    library.sync_index()
    typo = library.search("머신러닌")
    assert typo.corrected == "머신러닝" and sorted(h.path for h in typo.hits) == ["cp0.md", "cp1.md", "cp2.md"]
    named = library.search("트랜스포마")
    assert named.corrected == "트랜스포머" and [h.path for h in named.hits] == ["2020-01-01-트랜스포머.md"]


def test_a_compound_written_apart_is_found_on_the_files_as_on_the_posts(tmp_path, monkeypatch):
    """Read first from the files, a candidate holding the words as typed (or with a space
    between syllables) is taken from its bytes; one in decomposed Hangul or split otherwise is
    read as text. Hits, total and its exactness are what the loaded posts give."""
    filler = "다른 말을 길게 쓴다. " * 50
    posts = {
        "joined.md": f"# 하나\n\n규칙일째 지켰다. {filler}\n",
        "spaced.md": f"# 둘\n\n규칙 일째 지켰다. {filler}\n",
        "split.md": f"# 셋\n\n규 칙일 째 지켰다. {filler}\n",
        "nfd.md": unicodedata.normalize("NFD", f"# 넷\n\n규칙일째 지켰다. {filler}\n"),
        "apart.md": f"# 따로\n\n규칙일 없다. 칙일째 없다. 일째 규칙. {filler}\n",
        "crlf.md": f"# 다섯\r\n\r\n지켰다\r\n규칙 일째\r\n{filler}\r\n",
    }
    posts.update({f"p{i}.md": f"# 글 {i}\n\n오늘도 규칙 일째. 데이터 {i}.\n" for i in range(4)})
    root = tmp_path / "posts"
    make_library(root, tmp_path / "index", posts)
    queries = ["규칙일째", "규칙일째 데이터", "일째 규칙", "규칙일째를"]
    loaded = Library.open(root, KST, index_dir=tmp_path / "index")
    expected = [outcome(loaded, q) for q in queries]
    monkeypatch.setattr(searcher_module, "SLOW_POST_S", -1.0)  # every post counts as read from disk:
    monkeypatch.setattr(searcher_module, "FILES_FIRST_AFTER", 1)  # candidates are checked on their files first
    unloaded = Library(root, KST, index_dir=tmp_path / "index")
    got = [outcome(unloaded, q) for q in queries]
    assert [(paths, total) for paths, total, *_ in got] == [(paths, total) for paths, total, *_ in expected]
    assert {h[0] for h in expected[0][0]} == {"joined.md", "spaced.md", "split.md", "nfd.md", "crlf.md"} | {
        f"p{i}.md" for i in range(4)
    }


@given(
    st.lists(
        st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=6),
        min_size=1,
        max_size=3,
    ),
    st.randoms(),
)
@settings(max_examples=200, deadline=None)
def test_a_query_of_hangul_words_passes_on_each_spelling_its_bytes_are_looked_for(words, rng):
    """A candidate's file holding each word's bytes as typed (a space or none between its
    syllables) is taken to pass the text check without decoding it: it must pass."""
    plan = make_plan(parse(" ".join(words)))
    spelt = ["".join(c + (" " if rng.random() < 0.5 else "") for c in w[:-1]) + w[-1] for w in words]
    text = "앞 " + " 그리고 ".join(spelt) + " 뒤"
    needles = [filecheck_module._spellings(Word(w)) for w in words]
    assert all(needle.search(text.encode("utf-8")) for needle in needles)
    assert plan.check is None or plan.check(dict.fromkeys(searcher_module.FIELDS, text))


def test_the_metadata_a_search_reads_is_the_manifests_own(tmp_path):
    """Taken from the listing written with the manifest (marshal), or from the manifest
    itself for a post the listing leaves out and once the manifest has changed since."""
    posts = {
        "2020-01-01-파일이름.md": "본문만 있다.\n",
        "tagged.md": "---\ntitle: 태그\ntags: [가나, b]\ncategories: [개발/웹, 공부]\n---\n본문.\n",
    }
    library = make_library(tmp_path / "posts", tmp_path / "index", posts)
    assert library.index.load_manifest() and library.index.manifest is not None
    manifest = library.index.manifest
    meta = KeptMetas().reader(manifest)
    assert meta is not manifest.meta  # the listing's
    for path in posts:
        own = manifest.meta(path)
        assert own is not None and meta(path) == {k: own[k] for k in ("title", "tags", "categories")}
    assert meta("missing.md") is None
    manifest.dirty = True
    assert KeptMetas().reader(manifest) == manifest.meta
    manifest.dirty = False
    manifest.metas()  # decoded already: nothing to gain from the listing
    assert KeptMetas().reader(manifest) == manifest.meta


def test_a_total_counted_on_the_files_bodies_is_the_loaded_posts_total(tmp_path, monkeypatch):
    """Read first from the files, a candidate whose body (after its front matter, in the
    unchanged file the index read) holds the words is counted without loading its post; one
    holding them only in its front matter, or in a file changed since, is not. The total and
    its exactness are what the loaded posts give, first and again."""
    filler = "다른 말을 길게 쓴다. " * 50
    pieces = "규칙일 없다. 칙일째 없다. 일째 규칙."  # every bigram and trigram, never the word
    posts = {f"p{i}.md": f"---\ntitle: 글 {i}\n---\n오늘도 규칙일째 지켰다. {i}\n" for i in range(3)}
    posts.update({f"long{i}.md": f"---\ntitle: 긴 글 {i}\n---\n{filler}규칙 일째 지켰다.\n" for i in range(4)})
    posts["front.md"] = f"---\ntitle: 앞\ndescription: 규칙일째 지켰다\n---\n{pieces} {filler}\n"
    posts["crlf.md"] = f"---\r\ntitle: 줄\r\n---\r\n{filler}규칙일째\r\n"
    posts["json.md"] = '{"title": "제이슨"}\n' + f"{filler}규칙일째 지켰다.\n"
    posts["edited.md"] = f"---\ntitle: 고친 글\n---\n{pieces} {filler}규칙일째\n"
    root = tmp_path / "posts"
    make_library(root, tmp_path / "index", posts)
    # Not synced: the word moved into front matter lines where the indexed file's body began.
    (root / "edited.md").write_text(f"---\ntitle: 고친 글\nabout: 규칙일째\n---\n{pieces} {filler}\n", "utf-8")
    loaded = Library.open(root, KST, index_dir=tmp_path / "index")
    expected = loaded.search("규칙일째", limit=2)
    assert (expected.total, expected.total_exact) == (9, True)  # front.md and edited.md turned down
    monkeypatch.setattr(searcher_module, "SLOW_POST_S", -1.0)  # every post counts as read from disk:
    monkeypatch.setattr(searcher_module, "FILES_FIRST_AFTER", 1)  # candidates are checked on their files first
    loads: list[str] = []
    post = searcher_module._Session.post
    monkeypatch.setattr(searcher_module._Session, "post", lambda self, path: loads.append(path) or post(self, path))
    unloaded = Library(root, KST, index_dir=tmp_path / "index")
    for _ in range(2):
        loads.clear()
        got = unloaded.search("규칙일째", limit=2)
        assert (got.total, got.total_exact) == (expected.total, expected.total_exact)
        assert [h.path for h in got.hits] == [h.path for h in expected.hits]
        # Loaded: the hits and the posts their bodies cannot tell (front matter, CRLF, JSON, edited).
        assert not {f"long{i}.md" for i in range(4)} & set(loads[2:])
        assert {"front.md", "edited.md"} <= set(loads)

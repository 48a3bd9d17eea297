"""The scan search over posts whose bodies are not held: a file ruled out on its bytes before
decoding finds exactly what reading every post whole finds (reader.search.scanfiles)."""

from __future__ import annotations

import re
import sys
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader import library as library_module
from reader.library import Library
from reader.posts.post import Post
from reader.posts.text import BinaryFileError, decode
from reader.search import scan, scanfiles
from reader.search.query import parse
from reader.search.scanfiles import ASCII_LIKE, SPACES, FileBytes, prefilter


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def post_file(title: str, body: str, tags: str = "[]") -> str:
    return f"---\ntitle: {title}\ndate: 2024-03-01\ntags: {tags}\n---\n{body}\n"


FILES: dict[str, bytes] = {
    "_posts/2024-01-01-spaced.md": post_file("띄어 쓴 글", "자연어 처리를 배웁니다.").encode(),
    "_posts/2024-01-02-joined.md": post_file("붙여 쓴 글", "자연어처리가 재밌다. Hugo로 블로그를 만든다.").encode(),
    "_posts/2024-01-03-nfd.md": nfd(post_file("풀어 쓴 글", "자연어처리와 데이터를 다룬다.")).encode(),
    nfd("_posts/2024-01-04-한글이름.md"): post_file("이름이 풀어 쓰인 글", nfd("머신러닝 노트")).encode(),
    "_posts/2024-01-05-utf16.md": post_file("열여섯", "자연어처리 wide 글").encode("utf-16"),
    "_posts/2024-01-06-cp949.md": post_file("옛 인코딩", "데이터를 다룹니다 legacy").encode("cp949"),
    "_posts/2024-01-07-title.md": post_file("보안배포 안내", "본문에는 그 낱말이 없다.").encode(),
    "_posts/2024-01-08-tag.md": post_file("태그만", "본문은 다른 이야기.", "[kotlin, 안내]").encode(),
    "_posts/2024-01-09-case.md": post_file("대소문자", "HUGO static site 그리고 hugo.").encode(),
    "_posts/2024-01-10-kelvin.md": post_file("켈빈", "\u212aotlin 코틀린 \u017fass").encode(),
    "_posts/2024-01-11-crlf.md": post_file("줄바꿈", "자연어\n처리 hugo").replace("\n", "\r\n").encode(),
    "_posts/2024-01-12-nbsp.md": post_file("넓은 칸", "자연어\xa0처리와 데이터").encode(),
    "_posts/2024-01-13-control.md": post_file("제어 문자", "데이\x1b터 자연어\x0b처리").encode(),
    "_posts/2024-01-14-particle.md": post_file("조사", "데이터를 모으고 데이터가 쌓인다.").encode(),
    "_posts/2024-01-15-jamo.md": post_file("자모", "\u1112\u1161\u11ab 자연\u110b\u1165처리").encode(),
    "_posts/2024-01-16-other.md": post_file("다른 글", "아무 관련 없는 내용 python").encode(),
    "_drafts/2024-02-01-draft.md": post_file("초안", "자연어처리 초안 hugo").encode(),
}
# The posts holding 자연어처리 in every way the tricky files write it (spaced, joined, NFD,
# UTF-16, CRLF, a no-break space, conjoining jamo).
SPACED_EVERY_WAY = {
    "_posts/2024-01-01-spaced.md",
    "_posts/2024-01-02-joined.md",
    "_posts/2024-01-03-nfd.md",
    "_posts/2024-01-05-utf16.md",
    "_posts/2024-01-11-crlf.md",
    "_posts/2024-01-12-nbsp.md",
    "_posts/2024-01-15-jamo.md",
}
QUERIES = [
    "자연어처리",
    "자연어 처리",
    '"자연어 처리"',
    "데이터를",
    "데이터",
    "hugo",
    "HUGO",
    "kotlin",
    "sass",
    "보안배포",
    "tag:kotlin",
    "tag:안내 본문",
    "kotlin -코틀린",
    "자연어처리 -hugo",
    "hugo OR title:보안배포",
    "hugo OR 데이터",
    "title:자연어",
    "body:자연어처리",
    "ㅈㅇㅇ",
    "ㅈㅇㅇㅊㄹ",
    "ㅁㅅㄹㄴ",
    "머신러닝",
    "한",
    "wide",
    "legacy",
    "열여섯",
    "date:2024 자연어",
    "pyth*",
    "자연*",
    "없는낱말",
    "없는낱말 hugo",
]


def write(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def read_whole(monkeypatch) -> None:
    """Every stub read whole, as before the bytes were looked at."""
    monkeypatch.setattr(scan, "prefilter", lambda node, exact: None)
    monkeypatch.setattr(scanfiles, "read_unchanged", lambda post: None)


def found(library: Library, snapshot, query: str) -> tuple[object, ...]:
    result = library.scan(query, snapshot, limit=50)
    return result.total, [hit.path for hit in result.hits], result.missing, result.corrected


@pytest.fixture
def site(tmp_path, monkeypatch):
    """The blog read twice: with its bodies held, and as stubs (a blog past BODIES_HELD_UP_TO)."""
    root = write(tmp_path / "site", FILES)
    held = Library(root, index_dir=tmp_path / "held")
    held_snapshot = held.read()
    monkeypatch.setattr(library_module, "BODIES_HELD_UP_TO", 0)
    stubs = Library(root, index_dir=tmp_path / "stubs", hold_bodies=False)
    stub_snapshot = stubs.read()
    assert not any(p.stub for p in held_snapshot.posts) and all(p.stub for p in stub_snapshot.posts)
    return root, (held, held_snapshot), (stubs, stub_snapshot)


def test_stubs_ruled_out_on_their_bytes_find_what_held_bodies_and_whole_reads_find(site, monkeypatch):
    _root, (held, held_snapshot), (stubs, stub_snapshot) = site
    quick = {q: found(stubs, stub_snapshot, q) for q in QUERIES}
    assert quick == {q: found(held, held_snapshot, q) for q in QUERIES}
    read_whole(monkeypatch)
    assert quick == {q: found(stubs, stub_snapshot, q) for q in QUERIES}
    # What the tricky files are there for: each is found.
    assert set(quick["자연어처리"][1]) == {*SPACED_EVERY_WAY, "_drafts/2024-02-01-draft.md"}
    assert quick["머신러닝"][1] == ["_posts/2024-01-04-한글이름.md"]
    assert quick["kotlin"][1] == ["_posts/2024-01-10-kelvin.md", "_posts/2024-01-08-tag.md"]
    assert quick["sass"][1] == ["_posts/2024-01-10-kelvin.md"]
    assert quick["보안배포"][1] == ["_posts/2024-01-07-title.md"]
    assert quick["legacy"][1] == ["_posts/2024-01-06-cp949.md"]
    assert "_posts/2024-01-14-particle.md" in quick["데이터를"][1]
    assert "_posts/2024-01-09-case.md" in quick["HUGO"][1]
    assert quick["한"][1] == ["_posts/2024-01-15-jamo.md"]
    assert quick["없는낱말"][:3] == (0, [], ["없는낱말"])
    assert quick["ㅈㅇㅇㅊㄹ"][3] is not None  # read as the word the posts write whole


def test_the_hits_so_far_grow_as_the_scan_reads_on_and_end_in_its_whole_answer(site, monkeypatch):
    """`so_far` is given the best hits found so far (here after every hit), how far the scan has
    read, each a growing part of the answer the scan ends with; stubs and held bodies alike."""
    monkeypatch.setattr(scan, "SO_FAR_FIRST", 0.0)
    monkeypatch.setattr(scan, "SO_FAR_EVERY", 0.0)
    for library, snapshot in site[1:]:
        seen = []
        whole = library.scan("자연어처리", snapshot, limit=50, so_far=seen.append)
        assert whole.read_so_far is None and whole.total >= 4
        assert [r.total for r in seen] == list(range(1, whole.total + 1))
        read = [r.read_so_far for r in seen]
        assert all(done < of for done, of in read[:-1]) and read == sorted(read)
        assert all({h.path for h in r.hits} <= {h.path for h in whole.hits} for r in seen)
        assert not seen[-1].missing and all(r.scanned for r in seen)


def test_a_rare_word_decodes_only_the_files_whose_bytes_hold_it(site, monkeypatch):
    _root, _held, (stubs, stub_snapshot) = site
    decoded: list[str] = []
    real = scan.body_of

    def counted(post: Post, data: bytes) -> tuple[str, str] | None:
        decoded.append(post.path)
        return real(post, data)

    monkeypatch.setattr(scan, "body_of", counted)
    assert found(stubs, stub_snapshot, "보안배포")[1] == ["_posts/2024-01-07-title.md"]
    # Its title holds the word, no other file's bytes do; those with conjoining jamo may once
    # decoded (NFC), and those not UTF-8 are read whole (not decoded here).
    assert sorted(decoded) == [
        "_posts/2024-01-03-nfd.md",
        "_posts/2024-01-04-한글이름.md",
        "_posts/2024-01-07-title.md",
        "_posts/2024-01-15-jamo.md",
    ]
    decoded.clear()
    assert found(stubs, stub_snapshot, "kotlin -코틀린")[1] == ["_posts/2024-01-08-tag.md"]
    assert sorted(decoded) == ["_posts/2024-01-08-tag.md", "_posts/2024-01-10-kelvin.md"]


def test_a_tag_reads_only_the_files_of_the_posts_it_names(site, monkeypatch):
    _root, _held, (stubs, stub_snapshot) = site
    read: list[str] = []
    real = scanfiles.read_unchanged

    def counted(post: Post) -> bytes | None:
        read.append(post.path)
        return real(post)

    monkeypatch.setattr(scanfiles, "read_unchanged", counted)
    assert found(stubs, stub_snapshot, "tag:안내 본문")[1] == ["_posts/2024-01-08-tag.md"]
    assert read == ["_posts/2024-01-08-tag.md"]


def test_a_file_changed_since_it_was_listed_is_read_again(site, monkeypatch):
    root, _held, (stubs, stub_snapshot) = site
    changed = post_file("다른 글", "이제는 보안배포 이야기", "[kotlin]")
    (root / "_posts/2024-01-16-other.md").write_text(changed, encoding="utf-8")
    quick = [found(stubs, stub_snapshot, q) for q in ("보안배포", "tag:kotlin")]
    assert quick[0][1] == ["_posts/2024-01-07-title.md", "_posts/2024-01-16-other.md"]
    assert quick[1][1] == ["_posts/2024-01-08-tag.md", "_posts/2024-01-16-other.md"]  # its new tags
    read_whole(monkeypatch)
    assert [found(stubs, stub_snapshot, q) for q in ("보안배포", "tag:kotlin")] == quick


def test_the_byte_tables_match_what_the_patterns_and_nfc_do():
    """SPACES is what `\\s` matches; ASCII_LIKE the characters past ASCII that IGNORECASE matches
    to an ASCII character or NFC makes one; and no character alone becomes a Hangul syllable."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert "".join(re.findall(r"\s", every)) == SPACES
    like = set(re.findall(r"[\x00-\x7f]", every, re.IGNORECASE))
    made = {c: unicodedata.normalize("NFC", c) for c in every if not unicodedata.is_normalized("NFC", c)}
    like |= {c for c, normal in made.items() if re.search(r"[\x00-\x7f]", normal)}
    assert "".join(sorted(c for c in like if not c.isascii())) == ASCII_LIKE
    assert not [c for c, normal in made.items() if re.search("[\uac00-\ud7a3]", normal)]


PIECES = [
    "자연어",
    "처리",
    "자연",
    "어처리",
    "데이터",
    "를",
    "가",
    "머신러닝",
    "모델",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\u3000",
    "\xa0",
    "\u2002",
    "\x0b",
    "\x1b",
    "\u202e",
    nfd("자연어"),
    nfd("처리"),
    "\u1100\u1161",
    "\u11a8",
    "hugo",
    "HUGO",
    "Hugo",
    "\u212a",
    "otlin",
    "kotlin",
    "\u017f",
    "ass",
    "sass",
    "\u0131",
    "\u0130",
    "s",
    "c++",
    "gpt",
    "GPT",
    "e\u0301",
    "\u037e",
    ";",
    ".",
    "-",
]
WORDS = [
    "자연어처리",
    "자연어 처리",
    '"자연어 처리"',
    "데이터를",
    "머신러닝",
    "자연",
    "hugo",
    "kotlin",
    "sass",
    "is",
    "c++",
    "GPT모델",
    "gpt",
    "머신*",
    "hug*",
    "자연어처리 -hugo",
    "hugo OR 데이터",
    "body:처리",
    "title:자연어",
    "ㅈㅇㅇ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.sampled_from(WORDS))
@example(["\u212a", "otlin"], "kotlin")
@example(["\u017f", "ass"], "sass")
@example(["\u0130", "s"], "is")
@example(["\u0131", "s"], "is")
@example(["자연어", "\u3000", "처리"], "자연어처리")
@example(["자연어", "\r\n", "처리"], "자연어처리")
@example([nfd("자연어"), "처리"], "자연어처리")
@example(["\u1100\u1161", "\u11a8", "처리"], "각처리")
def test_the_bytes_never_rule_out_a_body_the_query_matches(pieces, query):
    text = "".join(pieces)
    data = ("---\ntitle: 글\n---\n" + text).encode()
    try:
        body = decode(data).text.split("\n", 3)[-1]
    except BinaryFileError:
        return
    node = parse(query)
    assert node is not None
    post = Post("a.md", Path("a.md"), "글", datetime(2024, 1, 1, tzinfo=UTC), None, (), (), False, "", 4, stub=True)
    check = prefilter(node, scan._compile)
    matches = scan._compile(node)(post, scan._texts(post, body))
    if check is not None and not check(post, scan._texts(post, ""), FileBytes(post, data)):
        assert not matches, (text, query)


async def test_searches_typed_while_a_big_blogs_first_index_is_built_show_the_posts(tmp_path, monkeypatch):
    """The app over a blog past BODIES_HELD_UP_TO: its posts are stubs while the first index is
    built, and what is typed is answered by the scan from the files, NFD, UTF-16 and all."""
    from reader.ui.app import build_app
    from reader.ui.post_list import PostList
    from tests.app_fixtures import hold_first_build
    from tests.waiting import until

    monkeypatch.setattr(library_module, "BODIES_HELD_UP_TO", 0)
    root = write(tmp_path / "site", FILES)
    release = hold_first_build(monkeypatch)
    app = build_app(root, index_dir=tmp_path / "index", watch=False, settings_path=tmp_path / "c.toml")
    shown: dict[str, list[str]] = {}
    try:
        async with app.run_test(size=(150, 45)) as pilot:
            screen = app.main
            await until(pilot, lambda: screen.loaded and not screen.index_ready, "posts read, index not built")
            assert all(post.stub for post in app.library.snapshot.posts)
            for query in ["자연어처리", "kotlin", "보안배포", "wide", "없는낱말"]:
                if not screen.search_box.active:
                    await pilot.press("slash")
                screen.search_box.value = ""
                await pilot.press(*query)
                await until(
                    pilot,
                    lambda q=query: screen.search_result is not None and screen.search_result.query == q,
                    f"results for {query}",
                )
                assert screen.search_result is not None and screen.search_result.scanned
                shown[query] = [row.path for row in app.main.query_one(PostList).rows]
    finally:
        release.set()
    assert set(shown["자연어처리"]) == SPACED_EVERY_WAY  # the draft left out, as the app lists posts
    assert shown["kotlin"] == ["_posts/2024-01-10-kelvin.md", "_posts/2024-01-08-tag.md"]
    assert shown["보안배포"] == ["_posts/2024-01-07-title.md"]
    assert shown["wide"] == ["_posts/2024-01-05-utf16.md"]
    assert shown["없는낱말"] == []

"""`reader index` and `reader search`, in-process (the console script's own main)."""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.conftest import POSTS


@pytest.fixture
def env(tmp_path):
    return {"GEULBAT_POSTS": str(POSTS), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}


@pytest.fixture
def run(cli):
    def call(env, *args):
        return cli(*args, env=env)

    return call


def test_index_json_then_nothing_changes(run, env):
    first = json.loads(run(env, "index", "--json").stdout)
    assert set(first) >= {"posts", "added", "updated", "removed", "unchanged", "seconds", "warnings"}
    assert first["posts"] >= 15 and first["added"] >= 15
    assert any("python-colon.md:2:14" in w for w in first["warnings"])
    second = json.loads(run(env, "index", "--json").stdout)
    assert (second["added"], second["updated"], second["removed"]) == (0, 0, 0)
    rebuilt = json.loads(run(env, "index", "--rebuild", "--json").stdout)
    assert rebuilt["added"] == first["added"]


def test_search_json_contract(run, env):
    result = run(env, "search", "머신러닝", "--json")  # syncs first: works on a fresh cache
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"query", "total", "approximate", "took_ms", "hits"}
    assert data["query"] == "머신러닝" and data["total"] >= 1 and data["approximate"] is False
    hit = data["hits"][0]
    assert set(hit) >= {"path", "title", "date", "categories", "tags", "score", "snippet", "highlights"}
    assert hit["path"] == "2025-11-20-머신러닝-입문.md"
    assert hit["highlights"] and all(hit["snippet"][a:b] == "머신러닝" for a, b in hit["highlights"])


def test_search_text_marks_matches(run, env):
    result = run(env, "search", "자연어처리", "--limit", "1")
    assert result.returncode == 0
    assert "[자연어 처리]" in result.stdout and "1 of" in result.stderr  # the summary is not a row


def test_a_typo_shows_results_for_the_spelling_the_posts_use(run, env):
    approx = json.loads(run(env, "search", "rendreing", "--json").stdout)
    assert approx["approximate"] is True and approx["hits"]
    assert approx["corrected"] == "rendering" and approx["missing"] == ["rendreing"]
    text = run(env, "search", "머신러닌")
    assert text.returncode == 0 and "머신러닝" in text.stdout
    assert "no posts contain 머신러닌; showing results for 머신러닝" in text.stderr


def test_a_word_no_post_holds_says_so_in_one_line(run, env):
    for query in (["qqqqzzzz"], ["쿠버네티스"], ["쿠버네티스", "머신러닝"]):
        empty = run(env, "search", *query)
        assert empty.returncode == 0 and empty.stdout == "" and empty.stderr == "no posts contain " + query[0] + "\n"
        data = json.loads(run(env, "search", *query, "--json").stdout)
        assert (data["hits"], data["total"], data["approximate"], data["suggestions"]) == ([], 0, False, [])
        assert data["missing"] == [query[0]]


def test_initial_consonants_in_the_cli(run, env):
    result = run(env, "search", "ㅁㅅㄹㄴ")
    assert result.returncode == 0 and "[머신러닝]" in result.stdout
    assert "showing results for 머신러닝" in result.stderr


def test_counts_are_exact_and_plural_right(run, env):
    one = run(env, "search", "자연어처리", "--limit", "1")
    data = json.loads(run(env, "search", "자연어처리", "--json", "--limit", "1").stdout)
    assert data["total_exact"] is True
    noun = "post" if data["total"] == 1 else "posts"
    assert f"1 of {data['total']} {noun} (" in one.stderr
    assert data["total"] == len(json.loads(run(env, "search", "자연어처리", "--json", "--limit", "50").stdout)["hits"])


@pytest.mark.parametrize("query", ["*abc", "(" * 30 + "a", "date:어제", "x" * 600])
def test_invalid_queries_exit_1_with_a_message(run, env, query):
    result = run(env, "search", query)
    assert result.returncode == 1
    assert result.stderr.startswith("reader: invalid query:")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("tag:", "tag: needs a value after the colon, as in tag:python"),
        ("category:", "category: needs a value after the colon, as in category:공부"),
        ("title: 검색", "title: needs a value after the colon, as in title:검색"),
    ],
)
def test_a_field_with_no_value_says_what_it_needs(run, env, query, message):
    """`reader search tag:` searched the word "tag" (and found the posts about tags)."""
    result = run(env, "search", query)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"reader: invalid query: {message}\n"
    result = run(env, "search", query, "--json")  # asked for JSON: the error is a JSON object
    assert (result.returncode, result.stdout) == (1, "")
    assert json.loads(result.stderr) == {"error": f"invalid query: {message}", "kind": "invalid_query"}


def test_bad_limit_is_a_usage_error(run, env):
    assert run(env, "search", "x", "--limit", "0").returncode == 2


def test_damaged_index_is_rebuilt_by_search(run, env, tmp_path):
    run(env, "index")
    index = tmp_path / "index"
    gen = index / (index / "CURRENT").read_text()
    for path in gen.iterdir():
        if path.suffix == ".seg":
            path.write_bytes(b"garbage")
    result = run(env, "search", "머신러닝", "--json")
    assert result.returncode == 0
    assert "damaged" in result.stderr and json.loads(result.stdout)["hits"]


def test_index_that_cannot_be_written_exits_1_and_says_why(run, env, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run({**env, "GEULBAT_INDEX_DIR": str(blocker / "index")}, "index")
    assert result.returncode == 1
    assert "cannot update the index" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""  # no "N posts indexed" claim
    data = json.loads(run({**env, "GEULBAT_INDEX_DIR": str(blocker / "index")}, "index", "--json").stdout)
    assert data["written"] is False and data["added"] == data["posts"]  # in memory only, and said so


def test_index_counts_posts_not_files(run, env, tmp_path, write_tree):
    root = write_tree(
        {
            "a.md": "---\ntitle: 가\n---\n본문\n",
            "b.md": "---\ntitle: 나\n---\n본문\n",
            "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)),
        }
    )
    data = json.loads(run({**env, "GEULBAT_POSTS": str(root)}, "index", "--json").stdout)
    assert (data["posts"], data["added"]) == (2, 2)  # the binary file is remembered, not counted


def test_a_query_that_is_not_utf8_is_invalid_and_rebuilds_nothing(run, env, tmp_path, reader_cmd):
    assert run(env, "index").returncode == 0
    current = (tmp_path / "index" / "CURRENT").read_text()
    result = run(env, "search", "ab\udcff*")  # what `reader search $'ab\xff*'` puts in argv
    assert result.returncode == 1 and result.stderr.startswith("reader: invalid query: the query is not valid UTF-8")
    assert (tmp_path / "index" / "CURRENT").read_text() == current
    import os
    import subprocess

    real = subprocess.run(
        [*reader_cmd, "search", b"ab\xff*"], capture_output=True, timeout=120, env={**os.environ, **env}
    )  # the real command, with the real byte
    assert real.returncode == 1 and b"not valid UTF-8" in real.stderr and b"Traceback" not in real.stderr
    assert (tmp_path / "index" / "CURRENT").read_text() == current


def test_the_real_command_writes_all_it_prints_and_leaves_quietly(write_tree, tmp_path):
    """The console script ends without the interpreter's teardown: what it printed is all there
    (more than a pipe holds), and a reader that goes away early still gets a quiet exit 0."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    root = write_tree({f"post-{n:03d}.md": f"# 글 {n}\n\n사과나무 " + "사과를 먹는다. " * 40 for n in range(300)})
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as a user's is
    env["GEULBAT_INDEX_DIR"] = str(tmp_path / "index")
    command = [sys.executable, "-m", "reader", "search", "사과", "--json", "--limit", "1000", "--posts", str(root)]
    whole = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, timeout=300)
    assert whole.returncode == 0 and whole.stderr == b"", whole.stderr
    assert len(whole.stdout) > 128 * 1024 and whole.stdout.endswith(b"}\n")  # to its last byte
    assert len(json.loads(whole.stdout)["hits"]) == 300
    early = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    assert early.stdout is not None and early.stderr is not None
    assert early.stdout.read(1) == b"{"
    early.stdout.close()  # as `| head -c 1` does
    stderr = early.stderr.read()
    assert early.wait(timeout=300) == 0 and stderr == b"", stderr


def test_a_profiled_command_still_writes_its_profile(env, tmp_path):
    """`python -m cProfile -o … -m reader search …` (the benchmark's profile): the profiler's
    data is written when the command ends, so the process ends the interpreter's way then."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = tmp_path / "search.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "reader", "search", "머신러닝", "--json"]
    result = subprocess.run(command, capture_output=True, env={**os.environ, **env}, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["hits"] and out.stat().st_size > 0


# Every way a post can start: the hit a later search shows reads the body from the file at the
# line the index found it on (no front matter parsed again) and must be what a parse gives.
STARTS = {
    "yaml.md": "---\ntitle: 야믈\ntags: [a]\n---\n첫줄 가나다야믈 본문.\n",
    "toml.md": '+++\ntitle = "토믈"\n+++\n\n가나다토믈 본문.\n',
    "json.md": '{\n  "title": "제이슨"\n}\n가나다제이슨 본문.\n',
    "json-inline.md": '{"title": "한줄"} 가나다한줄 본문.\n',  # not read as front matter: a body
    "json-midline.md": '{\n"title": "중간",\n"tags": ["태그"]\n} 가나다중간 본문.\n',  # the body starts mid-line
    "hexo.md": "title: 헥소\ndate: 2020-01-02\n---\n가나다헥소 본문.\n",
    "unclosed.md": "---\ntitle: 열림\n\n가나다열림 본문.\n",
    "plain.md": "# 제목만\n\n가나다평문 본문.\n",
    "crlf.md": "---\r\ntitle: 윈도\r\n---\r\n가나다윈도 본문.\r\n",
    "bom.md": "\ufeff---\ntitle: 봄\n---\n가나다봄 본문.\n",
    "empty.md": "---\ntitle: 가나다빈글\n---",
}


def test_a_search_of_the_index_shows_each_post_as_its_parse_does(cli, tmp_path, write_tree):
    from reader.library import Library

    site = write_tree({**STARTS, "utf16.md": "---\ntitle: 유티에프\n---\n가나다유티에프 본문.\n".encode("utf-16")})
    for file in site.iterdir():  # written well before the index: a search's sync reads none again
        os.utime(file, (time.time() - 3600,) * 2)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    assert cli("index", "--json", env=env).returncode == 0
    loaded = Library(site, index_dir=tmp_path / "index")
    loaded.load()  # the app's way: every post parsed
    words = ["야믈", "토믈", "제이슨", "한줄", "중간", "헥소", "열림", "평문", "윈도", "봄", "빈글", "유티에프"]
    app = Library(site, index_dir=tmp_path / "index", hold_bodies=False)  # the app once an index exists:
    listed = app.read_cached()  # the list from the index first,
    assert listed is not None
    app.adopt(listed)
    app.load()  # then every post read, kept as a stub (its body read again when wanted)
    assert app.snapshot.files["json-midline.md"].stub
    for word in words:
        shown = json.loads(cli("search", f"가나다{word}", "--json", env=env).stdout)["hits"]
        parsed = loaded.search(f"가나다{word}").hits
        assert [h["path"] for h in shown] == [h.path for h in parsed] and len(shown) == 1, word
        assert shown[0]["snippet"] == parsed[0].snippet and shown[0]["title"] == parsed[0].title, word
        assert word in shown[0]["snippet"] + shown[0]["title"]
        [in_app] = app.search(f"가나다{word}").hits
        assert (in_app.snippet, in_app.title) == (parsed[0].snippet, parsed[0].title), word


def test_a_post_edited_after_indexing_is_shown_as_it_is_now(cli, tmp_path, write_tree):
    """The index's body line is used only for the file it read (same hash): an edit that moves
    the body is read again, whole."""
    from reader.library import Library

    site = write_tree({"a.md": "---\ntitle: 처음\n---\n가나다라 본문이다.\n"})
    os.utime(site / "a.md", (time.time() - 3600,) * 2)
    Library(site, index_dir=tmp_path / "index").sync_index()
    library = Library(site, index_dir=tmp_path / "index")  # as `reader search` after the index is up to date
    listed = library.read_cached()
    assert listed is not None
    library.adopt(listed)
    (site / "a.md").write_text("---\ntitle: 나중\nextra: 1\n---\n가나다라 고친 본문이다.\n", "utf-8")
    hits = library.search("가나다라").hits
    assert [h.title for h in hits] == ["나중"] and "고친" in hits[0].snippet


def test_a_search_without_the_index_listing_reads_the_posts_instead(cli, tmp_path, write_tree):
    """An index from before the listing's format (or with it lost) still answers, from the files."""
    site = write_tree({"a.md": "---\ntitle: 목록없음\n---\n가나다마 본문이다.\n"})
    os.utime(site / "a.md", (time.time() - 3600,) * 2)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    assert cli("index", env=env).returncode == 0
    for listing in (tmp_path / "index").glob("g-*/listing.marshal"):
        listing.unlink()
    [hit] = json.loads(cli("search", "가나다마", "--json", env=env).stdout)["hits"]
    assert (hit["title"], hit["snippet"]) == ("목록없음", "가나다마 본문이다.")


def test_a_post_named_in_nfd_is_found(cli, tmp_path, write_tree):
    """A Hangul file name written decomposed (as macOS writes it) is still a hit, read from its file."""
    import unicodedata

    from reader.library import Library

    text = "---\ntitle: 엔에프디\n---\n가나다엔에프디 본문.\n"
    site = write_tree({unicodedata.normalize("NFD", "한글제목.md"): text})
    os.utime(next(site.iterdir()), (time.time() - 3600,) * 2)
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    assert cli("index", env=env).returncode == 0
    [hit] = json.loads(cli("search", "가나다엔에프디", "--json", env=env).stdout)["hits"]
    assert (hit["path"], hit["title"], hit["snippet"]) == ("한글제목.md", "엔에프디", "가나다엔에프디 본문.")
    parsed = Library(site, index_dir=tmp_path / "index")
    parsed.load()
    assert [h.snippet for h in parsed.search("가나다엔에프디").hits] == ["가나다엔에프디 본문."]


def test_a_folder_of_posts_that_are_all_binary_finds_nothing_and_says_so(run, tmp_path):
    """Every file is unreadable as text: the index holds no document, a search of it answers
    none (it was an internal error: Whoosh's idf of an empty index is log(0)), and the command
    fails saying why, as for a folder without posts (it exited 0 with no hits)."""
    from reader.library import Library

    folder = tmp_path / "binary"
    folder.mkdir()
    for name in ("a.md", "b.md"):
        (folder / name).write_bytes(bytes(range(256)) * 8)
    env = {"GEULBAT_POSTS": str(folder), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    library = Library(folder, index_dir=tmp_path / "index")
    assert library.sync_index().posts == 0
    for query in ("본문", "hugo OR 다른 -없음", '"두 단어"', "ㅂㅁ"):
        assert library.search(query).hits == []
        result = run(env, "search", query, "--json")
        assert result.returncode == 1 and result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines[:-1] == [
            "warning: a.md: skipped: binary content (NUL or control bytes)",
            "warning: b.md: skipped: binary content (NUL or control bytes)",
        ]
        assert json.loads(lines[-1]) == {
            "error": f"no Markdown posts in {folder} (GEULBAT_POSTS); give a folder of posts or a site root",
            "kind": "no_posts",
        }


def test_a_word_left_out_needs_no_quoting_in_the_shell(run, env):
    both = json.loads(run(env, "search", "머신러닝", "--json").stdout)
    assert len(both["hits"]) >= 2
    left_out = both["hits"][0]["title"].split()[-1]  # a word of the first hit's title
    for args in (
        ("search", "머신러닝", f"-{left_out}", "--json"),
        ("search", "--json", "머신러닝", f"-{left_out}"),
        ("search", "--limit", "5", "머신러닝", "--json", f"-{left_out}"),
        ("search", "--json", "--", "머신러닝", f"-{left_out}"),
    ):
        result = run(env, *args)
        assert result.returncode == 0, (args, result.stderr)
        data = json.loads(result.stdout)
        assert data["query"] == f"머신러닝 -{left_out}"
        assert both["hits"][0]["path"] not in [h["path"] for h in data["hits"]]
    alone = json.loads(run(env, "search", f"-{left_out}", "--json").stdout)
    assert alone["query"] == f"-{left_out}"
    mistyped = run(env, "search", "머신러닝", "--jsn")
    assert mistyped.returncode == 2 and "--jsn" in mistyped.stderr


def test_a_snippet_reads_math_as_the_post_pane_does(cli, tmp_path, write_tree):
    """A snippet of a math-heavy post shows its formulas as readable text, not their source;
    one cut at the window's edge is left out, not shown as a tail of LaTeX (`\\end{align*} $$`);
    money and a formula it cannot read stay as written, as in the post pane."""
    lead = "앞말 " * 60
    site = write_tree(
        {
            "math.md": "---\ntitle: 행렬식\n---\n$$\n\\begin{align*}\nx &= " + "y + " * 40 + "z\n\\end{align*}\n$$\n"
            "행렬식의 성질: 행렬 $A$의 행에 $\\alpha$ 곱을 더해 $B$를 만들면 $\\det B = \\det A$이다.\n"
            "| 구분 | a | b |\n|:--:|:--:|:--:|\n| 행렬 | 0 | 1 |\n\n>(1) 인용한 행렬 이야기.\n",
            "money.md": f"---\ntitle: 가격\n---\n{lead}사과가 $5 and $10 이다.\n\n행렬값 $\\unknown{{x}}$ 그대로.\n",
        }
    )
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    hits = {h["path"]: h for h in json.loads(cli("search", "행렬", "--json", env=env).stdout)["hits"]}
    shown = hits["math.md"]["snippet"]
    assert "A의 행에 α 곱을 더해 B를 만들면 det B = det A이다" in shown, shown
    assert "$" not in shown and "\\" not in shown and "align" not in shown, shown
    assert "구분 a b" in shown and "|" not in shown and ":--:" not in shown, shown
    assert "(1) 인용한" in shown and ">" not in shown, shown
    money = hits["money.md"]["snippet"]
    assert "$5 and $10" in money and "$\\unknown{x}$" in money, money
    assert all(hit["snippet"][a:b].startswith("행렬") for hit in hits.values() for a, b in hit["highlights"])


def test_a_snippet_near_the_start_of_a_post_keeps_its_first_word_whole(cli, tmp_path, write_tree):
    """The window before a match near the start fell inside the first word with no space before
    it: `…선 대규모 말뭉치를` for a post opening `우선 대규모 말뭉치를`."""
    site = write_tree({"a.md": "---\ntitle: 글\n---\n우선 대규모 말뭉치를 학습시켜 임베딩을 미리 만들어 놓습니다.\n"})
    env = {"GEULBAT_POSTS": str(site), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    [hit] = json.loads(cli("search", "임베딩을", "--json", env=env).stdout)["hits"]
    assert hit["snippet"].startswith("우선 대규모"), hit["snippet"]


# The collector's state in each part of the console script's command, recorded by a probe that
# wraps the library's search and sync (run as `python -c`: the console script's own main).
GC_PROBE = """
import gc, sys
from reader.library import Library
seen = []
def probe(name, method):
    def wrapped(self, *args, **kwargs):
        seen.append((name, gc.isenabled()))
        return method(self, *args, **kwargs)
    return wrapped
Library.search = probe("search", Library.search)
Library.sync_index = probe("sync", Library.sync_index)
import atexit
atexit.register(lambda: print(*seen, file=sys.stderr))
sys.argv = ["reader", *sys.argv[1:]]
from reader.cli import main
sys.exit(main())
"""


def gc_states(root, index, *words):
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "GEULBAT_INDEX_DIR": str(index), "GEULBAT_SERVER": "off"}
    done = subprocess.run(
        [sys.executable, "-c", GC_PROBE, *words], capture_output=True, env=env, cwd=ROOT, timeout=300, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.strip().splitlines()[-1]


def test_a_cold_search_runs_without_the_cyclic_collector_and_its_sync_with_it(write_tree, tmp_path):
    """A cold `reader search` turns the collector off (its passes over the modules' and the
    listing's objects cost ~9 ms at 10k posts), and on again before the sync, which may have a
    whole blog to index; any other command, even on a folder named `search`, keeps it."""
    root = write_tree({"search/a.md": "# 사과\n\n사과나무 아래.\n", "search/b.md": "# 배\n\n배나무.\n"})
    folder, index = str(root / "search"), tmp_path / "index"
    first = gc_states(root, index, "search", "사과", "--json", "--posts", folder)
    assert first == "('sync', True) ('search', True)"  # no index yet: built first, with the collector
    again = gc_states(root, index, "search", "사과", "--json", "--posts", folder)
    assert again == "('search', False) ('sync', True)"  # searched ahead of the scan, then synced
    other = gc_states(root, index, "index", "--posts", folder)  # `search` in the words: the folder's name
    assert other == "('sync', True)"


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_query_is_a_mistake_said_not_an_answer_of_no_posts(run, env, query):
    """`reader search "$WORD"` with an empty variable said `no posts match ''` and exited 0, as
    if the blog had been searched and held nothing."""
    said = run(env, "search", query)
    assert said.returncode == 1 and said.stdout == ""
    assert said.stderr.strip() == "reader: nothing to search for: give a word (reader posts lists every post)"
    as_json = run(env, "search", query, "--json")
    assert as_json.returncode == 1 and json.loads(as_json.stderr)["kind"] == "invalid_query"

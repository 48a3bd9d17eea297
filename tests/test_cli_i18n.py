"""The CLI in English or Korean, as the app: the config's `language`, else the locale (reader.language).

Every message of reader/cli goes through its catalog (reader.cli.i18n); the real command, run
as a user runs it, speaks Korean under LANG=ko_KR.UTF-8 and English under LANG=C, while what
a script reads (JSON, piped fields, an error's kind) is the same in both.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from reader.cli import i18n
from reader.cli.tables import TABLES
from reader.search import problems
from tests.test_cli_terminal import POSTS as RATSGO_LIKE
from tests.test_cli_terminal import blog, run, whole_or_cropped, width  # noqa: F401 -- `blog` is a fixture

CLI = Path(i18n.__file__).parent
PROBLEMS = Path(problems.__file__)
RELATED = PROBLEMS.with_name("related.py")  # why a post is related: said by the app and the CLI alike
KOREAN = {"LANG": "ko_KR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
HANGUL = re.compile("[가-힣]")


def strings_passed_to_t() -> set[str]:
    """The texts said through t(), and those the search core gives t() to say (`speak`: why a
    query cannot run, reader.search.problems, and why a post is related, reader.search.related:
    said by the app and the CLI alike)."""
    found = set()
    for path in [*CLI.glob("*.py"), PROBLEMS, RELATED]:
        name = "speak" if path in (PROBLEMS, RELATED) else "t"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                elif isinstance(first, ast.IfExp):  # t("a" if x else "b")
                    found.update(n.value for n in (first.body, first.orelse) if isinstance(n, ast.Constant))
    return found


def table_headers() -> set[str]:
    """The headers of the commands' tables (shown through t() when drawn), those with words."""
    return {c.header for table in TABLES.values() for c in table.columns if re.search("[a-z]", c.header)}


def test_every_message_of_the_cli_has_a_korean_text():
    wanted = strings_passed_to_t() | table_headers()
    assert len(wanted) > 100
    assert sorted(wanted - set(i18n.KO)) == []


def test_the_catalog_holds_nothing_the_cli_does_not_use():
    assert sorted(set(i18n.KO) - strings_passed_to_t() - table_headers()) == []


def test_placeholders_survive_translation():
    for english, korean in i18n.KO.items():
        names = sorted(part.split("}")[0] for part in english.split("{")[1:])
        assert sorted(part.split("}")[0] for part in korean.split("{")[1:]) == names, english
        assert "%" not in korean, english  # argparse formats a help text with %
        assert HANGUL.search(korean) or english in ("url", "JFMAMJJASOND"), english  # said in Korean


MESSAGE_CALLS = {"warn", "UserError", "ServeError", "ArgumentTypeError", "report_error"}
MESSAGE_KEYWORDS = {"help", "description", "epilog", "title"}


def _untranslated(node: ast.AST) -> list[str]:
    """English words in the string literals of `node`, outside any t(…) call."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t":
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        words = re.findall("[A-Za-z]{2,}", node.value.replace("reader:", ""))
        return [node.value] if words else []
    return [text for child in ast.iter_child_nodes(node) for text in _untranslated(child)]


def test_no_message_of_the_cli_bypasses_the_catalog():
    """A warning, an error or a help text written as a plain English literal would be shown
    in English to a Korean user: each goes through t()."""
    bypassing = []
    for path in CLI.glob("*.py"):
        if path.name == "client.py":  # kept to the standard library (a served search's start); says nothing itself
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in MESSAGE_CALLS and node.args:
                bypassing += [f"{path.name}: {text}" for text in _untranslated(node.args[0])]
            for keyword in node.keywords:
                if keyword.arg in MESSAGE_KEYWORDS:
                    bypassing += [f"{path.name}: {text}" for text in _untranslated(keyword.value)]
    assert bypassing == []


# --- the real command ------------------------------------------------------------------------

SITE = {
    "_config.yml": "title: blog\n",
    "_posts/2024-03-10-a.md": "---\ntitle: 형태소 분석 입문\ndate: 2024-03-10\ntags: [nlp]\n---\n"
    "형태소 분석을 배운다.\n",
    "_posts/2024-04-01-b.md": "---\ntitle: 품사 태깅\ndate: 2024-04-01\n---\n형태소 분석 다음에 품사를 붙인다.\n",
    "_drafts/c.md": "---\ntitle: 초안\n---\n아직 쓰는 중.\n",
}


@pytest.fixture
def command(reader_cmd, write_tree, tmp_path):
    """`reader ARGS` in a subprocess, in a locale, its config and index its own (piped output)."""
    site = write_tree(SITE)

    def run_reader(*args: str, locale: dict[str, str], **env: str) -> subprocess.CompletedProcess[str]:
        full = {
            **os.environ,
            **locale,
            "GEULBAT_POSTS": str(site),
            "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
            "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
            "COLUMNS": "80",
            **env,
        }
        return subprocess.run([*reader_cmd, *args], capture_output=True, text=True, env=full, timeout=120)

    return run_reader


def _without_timing(output: str) -> object:
    data = json.loads(output)
    data.pop("took_ms", None)
    return data


def test_a_korean_locale_gets_the_search_in_korean_and_scripts_the_same_data(command):
    korean, english = command("search", "형태소", locale=KOREAN), command("search", "형태소", locale=ENGLISH)
    assert korean.returncode == english.returncode == 0, korean.stderr
    assert korean.stdout == english.stdout  # the piped hits: data, never translated
    assert re.fullmatch(r"글 2개 중 2개 \(\d+ ms\)\n", korean.stderr), korean.stderr
    assert re.fullmatch(r"2 of 2 posts \(\d+ ms\)\n", english.stderr), english.stderr
    as_json = [command("search", "형태소", "--json", locale=locale) for locale in (KOREAN, ENGLISH)]
    assert _without_timing(as_json[0].stdout) == _without_timing(as_json[1].stdout)
    nothing = command("search", "쿠버네티스", locale=KOREAN)
    assert (nothing.returncode, nothing.stdout) == (0, "")
    assert nothing.stderr == "이 낱말이 들어간 글이 없습니다: 쿠버네티스\n"
    assert command("search", "쿠버네티스", locale=ENGLISH).stderr == "no posts contain 쿠버네티스\n"


def test_a_correction_ending_in_a_particle_is_said_without_another_after_it(command):
    """`분석믈` is read as the posts write it, `분석을`: "분석을의 결과를 보여 줍니다" put a
    particle after the word's own; the query the hits are for now comes after a colon."""
    said = command("search", "분석믈", locale=KOREAN)
    assert said.returncode == 0 and said.stdout, said.stderr
    assert "대신 다음 검색 결과를 보여 줍니다: 분석을\n" in said.stderr and "을의" not in said.stderr, said.stderr


def test_errors_are_korean_their_kind_the_same(command):
    """The text error and, with --json, the `error` field speak the user's language; `kind`,
    what a script tests, does not change (nor the exit code)."""
    plain = command("search", "title:", locale=KOREAN)
    assert plain.returncode == 1 and plain.stderr == "reader: title: 콜론 바로 뒤에 값을 적으세요 (예: title:검색)\n"
    korean = json.loads(command("links", "nope.md", "--json", locale=KOREAN).stderr.splitlines()[-1])
    english = json.loads(command("links", "nope.md", "--json", locale=ENGLISH).stderr.splitlines()[-1])
    assert korean["kind"] == english["kind"] == "post_not_found"
    assert "글이 없습니다" in korean["error"] and english["error"].startswith("no post 'nope.md' under ")
    usage = command("search", "x", "--limit", "0", locale=KOREAN)
    assert usage.returncode == 2 and usage.stderr.splitlines()[-1].endswith("1에서 1000 사이여야 합니다")


@pytest.mark.parametrize(
    ("query", "korean", "english"),
    [
        ("(머신", "닫는 ) 가 없습니다", "missing ')'"),
        ("date:2020-13", "13월은 없습니다: '2020-13'", "no month 13 in '2020-13'"),
        ("*러닝", "* 로 낱말을 시작할 수 없습니다: '*러닝'", "a wildcard cannot start a word: '*러닝'"),
    ],
)
def test_why_a_query_cannot_run_is_said_in_korean_as_the_app_says_it(command, query, korean, english):
    """`reader search` under a Korean locale said `검색어를 쓸 수 없습니다: missing ')'`: the
    reason in the search core's English, where the app's status line says it in Korean."""
    said = command("search", query, locale=KOREAN)
    assert (said.returncode, said.stderr) == (1, f"reader: 검색어를 쓸 수 없습니다: {korean}\n")
    as_json = json.loads(command("search", query, "--json", locale=KOREAN).stderr.splitlines()[-1])
    assert as_json == {"error": f"검색어를 쓸 수 없습니다: {korean}", "kind": "invalid_query"}
    assert command("search", query, locale=ENGLISH).stderr == f"reader: invalid query: {english}\n"


def test_posts_stats_and_index_speak_korean(command):
    posts = command("posts", locale=KOREAN)
    assert posts.stdout == command("posts", locale=ENGLISH).stdout  # tab-separated fields for scripts
    assert posts.stderr == "글 3개\n"
    stats = command("stats", locale=KOREAN).stdout.splitlines()
    assert stats[0].startswith("글 3개 (초안 1개), 낱말 ")
    assert "달마다 쓴 글 (█ = 1)" in stats and "      1  4  7  10" in stats and "태그" in stats
    assert "posts per month (█ = 1)" in command("stats", locale=ENGLISH).stdout
    index = command("index", locale=KOREAN)
    assert index.returncode == 0 and re.fullmatch(
        r"글 3개 색인: 추가 \d, 수정 0, 삭제 0, 그대로 \d \([\d.]+초\)\n", index.stdout
    )


def test_the_config_language_wins_over_the_locale(command, tmp_path):
    """The same key as the app's: `language = "ko"` under LANG=C, `"en"` under a Korean locale."""
    config = tmp_path / "config.toml"
    config.write_text('language = "ko"\n', encoding="utf-8")
    assert command("posts", locale=ENGLISH).stderr == "글 3개\n"
    config.write_text('language = "en"\n', encoding="utf-8")
    assert command("posts", locale=KOREAN).stderr == "3 posts\n"
    config.write_text('language = "auto"\n', encoding="utf-8")
    assert command("posts", locale=KOREAN).stderr == "글 3개\n"
    assert command("posts", locale={**ENGLISH, "LC_ALL": "ko_KR.UTF-8"}).stderr == "글 3개\n"


def test_help_is_korean_and_fits_80_columns(command):
    """argparse wraps a help text by characters: a Korean one (two cells a syllable) ran past
    the edge of an 80-column terminal. Its own words (usage:, options:) are said in Korean too."""
    for args in (["--help"], ["search", "-h"], ["serve", "-h"]):
        shown = command(*args, locale=KOREAN)
        assert shown.returncode == 0, shown.stderr
        lines = shown.stdout.splitlines()
        assert all(width(line) <= 80 for line in lines), [line for line in lines if width(line) > 80]
        assert shown.stdout.startswith("사용법: reader")
    top = command("--help", locale=KOREAN).stdout
    assert "Markdown 블로그 글 폴더를 읽는 터미널 리더." in top and "\n명령:\n" in top
    assert "글을 검색합니다 (먼저 색인을 맞춥니다)" in top
    assert "결과를 최대 N개까지 (기본 10)" in command("search", "-h", locale=KOREAN).stdout
    assert "search the posts (syncs the index first)" in command("--help", locale=ENGLISH).stdout


@pytest.mark.parametrize("cols", [80, 120])
def test_korean_tables_fit_the_terminal(reader_cmd, tmp_path, blog, cols, monkeypatch):  # noqa: F811
    """On a real terminal (a pty), the headers in Korean and every line within its width."""
    for name, value in KOREAN.items():
        monkeypatch.setenv(name, value)
    lines, _ = run(reader_cmd, tmp_path, ["posts", "--tag", "syntax", "--posts", str(blog)], cols)
    assert lines[0].split()[:2] == ["날짜", "제목"] and "경로" in lines[0]
    assert all(width(line) <= cols for line in lines)
    for file, _title in RATSGO_LIKE:
        assert any(whole_or_cropped(line, f"_posts/{file}") for line in lines), file
    assert lines[-1] == f"글 {len(RATSGO_LIKE)}개"
    lines, _ = run(reader_cmd, tmp_path, ["search", "형태소", "분석", "--posts", str(blog)], cols)
    assert all(width(line) <= cols for line in lines)
    assert re.fullmatch(rf"글 {len(RATSGO_LIKE)}개 중 {len(RATSGO_LIKE)}개 \(\d+ ms\)", lines[-1]), lines[-1]
    lines, _ = run(reader_cmd, tmp_path, ["links", "2017-11-26-dijkstra.md", "--posts", str(blog)], cols)
    assert lines[0].split()[:3] == ["#", "종류", "링크"] and all(width(line) <= cols for line in lines)


def test_a_long_read_shows_its_progress_in_korean(reader_cmd, tmp_path, monkeypatch):
    root = tmp_path / "blog"
    root.mkdir()
    for n in range(1200):  # a big folder: a small one reads too fast to need a bar
        (root / f"p{n}.md").write_text(f"---\ntitle: 글 {n}\n---\n본문\n", encoding="utf-8")
    for name, value in KOREAN.items():
        monkeypatch.setenv(name, value)
    lines, raw = run(reader_cmd, tmp_path, ["posts", "--posts", str(root)], 80)
    assert "읽는 중 [".encode() in raw and b"1200/1200" in raw
    assert lines[-1] == "글 1200개"  # the bar erased: the count alone on the last line


def test_show_under_a_korean_locale_has_the_apps_korean_header(command, write_tree, tmp_path):
    """`reader show` renders with the app's renderer: its words follow the same decision."""
    post = "---\ntitle: 글\ndate: 2024-01-01\nupdated: 2024-02-01\ndraft: true\n---\n본문\n"
    site = write_tree({"a.md": post}, root=tmp_path / "one")
    shown = command("show", "a.md", locale=KOREAN, GEULBAT_POSTS=str(site))
    assert shown.returncode == 0, shown.stderr
    assert "수정 2024-02-01" in shown.stdout and "초안" in shown.stdout
    english = command("show", "a.md", locale=ENGLISH, GEULBAT_POSTS=str(site)).stdout
    assert "updated 2024-02-01" in english and "DRAFT" in english

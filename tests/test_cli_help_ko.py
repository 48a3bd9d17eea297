"""`reader --help` and the usage errors wholly in Korean when the CLI speaks Korean: argparse's
own words (`usage:`, its sections, `-h`'s text, `error:` and its messages) too, English as
argparse has it, `--json` usage errors as before; options named as their text names them; a
QUERY help that says the search syntax, each of its examples a query that finds posts."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from reader.cli.i18n import language, use_language
from reader.cli.run import COMMANDS
from tests.test_cli_terminal import width

KOREAN = {"LANG": "ko_KR.UTF-8", "COLUMNS": "80"}
ENGLISH = {"LANG": "C.UTF-8", "COLUMNS": "80"}
# argparse's own English, none of which a Korean help or error may still hold
ARGPARSE_ENGLISH = re.compile(
    r"usage:|positional arguments|options:|show this help|error:|required|invalid choice"
    r"|unrecognized|expected one|ambiguous|explicit argument|argument "
)


@pytest.fixture(autouse=True)
def own_language():
    """main() sets the CLI's language for the process: the next test starts as this one did."""
    before = language()
    yield
    use_language(before)


def test_the_whole_help_is_korean_under_a_korean_locale(reader_cmd, tmp_path):
    env = {
        **os.environ,
        **KOREAN,
        "LC_ALL": "",
        "LC_MESSAGES": "",
        "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
    }
    shown = subprocess.run([*reader_cmd, "--help"], capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(
        "사용법: reader [--index-dir DIR] [FOLDER | POST.md]\n"
        "        reader [--posts DIR] [--index-dir DIR] COMMAND [ARGS ...]\n"  # under the first: 8 cells in
        "        reader --version | --print-completion SHELL\n\n"
    ), shown.stdout[:200]
    assert "\n위치 인수:\n" in shown.stdout and "\n옵션:\n" in shown.stdout and "\n명령:\n" in shown.stdout
    assert "  -h, --help            이 도움말을 보여 주고 끝냅니다\n" in shown.stdout
    assert ARGPARSE_ENGLISH.findall(shown.stdout) == []
    assert all(width(line) <= 80 for line in shown.stdout.splitlines())


@pytest.mark.parametrize("command", COMMANDS)
def test_each_commands_help_is_korean(cli, command):
    shown = cli(command, "-h", env=KOREAN)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith(f"사용법: reader {command} [-h]"), shown.stdout[:80]
    assert "\n옵션:\n  -h, --help " in shown.stdout and "이 도움말을 보여 주고 끝냅니다" in shown.stdout
    assert ("\n위치 인수:\n" in shown.stdout) == (command in ("links", "show", "search", "related", "config"))
    assert ARGPARSE_ENGLISH.findall(shown.stdout) == []
    assert all(width(line) <= 80 for line in shown.stdout.splitlines())
    more = shown.stdout.split("\n\n")[0].splitlines()[1:]  # the usage's lines after the first: under it
    indent = width(f"사용법: reader {command} ")
    assert all(line[:indent] == " " * indent and line[indent] != " " for line in more), more


# (the words, the error's line in Korean, in English: argparse's own, as before)
USAGE_ERRORS = [
    (
        ["search"],
        "reader search: 오류: 이 인수가 필요합니다: QUERY",
        "reader search: error: the following arguments are required: QUERY",
    ),
    (["posts", "--nope"], "reader: 오류: 알 수 없는 인수: --nope", "reader: error: unrecognized arguments: --nope"),
    (
        ["posts", "--tag"],
        "reader posts: 오류: 인수 --tag: 값이 하나 필요합니다",
        "reader posts: error: argument --tag: expected one argument",
    ),
    (
        ["config", "nope"],
        "reader config: 오류: 인수 show|edit: 고를 수 없는 값: 'nope' ('show', 'edit' 중에서 고르세요)",
        "reader config: error: argument show|edit: invalid choice: 'nope' (choose from 'show', 'edit')",
    ),
    (
        ["--print-completion", "fish"],
        "reader: 오류: 인수 --print-completion: 고를 수 없는 값: 'fish' ('bash', 'zsh', 'tcsh' 중에서 고르세요)",
        "reader: error: argument --print-completion: invalid choice: 'fish' (choose from 'bash', 'zsh', 'tcsh')",
    ),
    (
        ["--p", "x"],
        "reader: 오류: 모호한 옵션: --p (--print-completion, --posts 중 어느 것인지 알 수 없습니다)",
        "reader: error: ambiguous option: --p could match --print-completion, --posts",
    ),
    (
        ["posts", "--json=yes"],
        "reader posts: 오류: 인수 --json: 이 옵션은 값을 받지 않습니다: 'yes'",
        "reader posts: error: argument --json: ignored explicit argument 'yes'",
    ),
    (
        ["search", "x", "--limit", "0"],  # our own message inside argparse's
        "reader search: 오류: 인수 --limit: 1에서 1000 사이여야 합니다",
        "reader search: error: argument --limit: must be between 1 and 1000",
    ),
]


@pytest.mark.parametrize(("words", "korean", "english"), USAGE_ERRORS, ids=[" ".join(w) for w, _, _ in USAGE_ERRORS])
def test_usage_errors_are_korean_and_english_as_argparse_says_them(cli, words, korean, english):
    said = cli(*words, env=KOREAN)
    assert said.returncode == 2 and said.stdout == ""
    assert said.stderr.startswith("사용법: reader") and said.stderr.splitlines()[-1] == korean
    assert ARGPARSE_ENGLISH.findall(said.stderr) == []
    said = cli(*words, env=ENGLISH)
    assert said.returncode == 2 and said.stdout == ""
    assert said.stderr.startswith("usage: reader") and said.stderr.splitlines()[-1] == english


@pytest.mark.parametrize(
    ("setting", "locale", "line"),
    [
        ("ko", ENGLISH, "reader search: 오류: 이 인수가 필요합니다: QUERY"),
        ("en", KOREAN, "reader search: error: the following arguments are required: QUERY"),
    ],
)
def test_the_config_language_decides_argparses_words_too(cli, tmp_path, setting, locale, line):
    """`language = "ko"` under LANG=C (gettext, which argparse asks, knows only the locale)."""
    config = tmp_path / "config.toml"
    config.write_text(f'language = "{setting}"\n', encoding="utf-8")
    said = cli("search", env={**locale, "GEULBAT_CONFIG": str(config)})
    assert said.returncode == 2 and said.stderr.splitlines()[-1] == line
    assert said.stderr.startswith("사용법: " if setting == "ko" else "usage: ")


def test_english_help_is_argparses(cli):
    shown = cli("search", "-h", env=ENGLISH).stdout
    assert shown.startswith("usage: reader search [-h] [--posts DIR] [--index-dir DIR] [--limit N] [--json]\n")
    assert "\npositional arguments:\n  QUERY " in shown
    assert "\noptions:\n  -h, --help       show this help message and exit\n" in shown


@pytest.mark.parametrize("locale", [KOREAN, ENGLISH], ids=["ko", "en"])
def test_json_usage_errors_keep_argparses_english(cli, locale):
    """A script reads `kind`; the words argparse puts in `error` are as before, in any language."""
    said = cli("search", "x", "--json", "--nope", env=locale)
    assert said.returncode == 2 and said.stderr.splitlines() == [
        json.dumps({"error": "unrecognized arguments: --nope", "kind": "usage"})
    ]
    said = cli("posts", "--json", "--tag", env=locale)
    assert json.loads(said.stderr) == {"error": "argument --tag: expected one argument", "kind": "usage"}
    # Our own value checks' words too: in Korean, "argument --limit: 수가 아닙니다" mixed the two.
    said = cli("search", "x", "--json", "--limit", "x", env=locale)
    assert json.loads(said.stderr) == {"error": "argument --limit: not a number: 'x'", "kind": "usage"}
    said = cli("search", "x", "--json", "--limit", "0", env=locale)
    assert json.loads(said.stderr) == {"error": "argument --limit: must be between 1 and 1000", "kind": "usage"}


@pytest.mark.parametrize(
    ("locale", "hits", "posts", "columns"),
    [
        (KOREAN, "결과를 최대 N개", "최대 N개의 글", "N 칸에서"),
        (ENGLISH, "at most N hits", "at most N posts", "wrap at N columns"),
    ],
    ids=["ko", "en"],
)
def test_options_are_named_as_their_text_names_them(cli, locale, hits, posts, columns):
    """`--limit LIMIT  at most N hits`: the option said LIMIT, its text N (the README: `--limit N`)."""
    for command, option, text in (
        ("search", "--limit", hits),
        ("related", "--limit", posts),
        ("show", "--width", columns),
    ):
        shown = cli(command, "-h", env=locale).stdout
        assert f"[{option} N]" in shown
        assert re.search(rf"\n  {option} N +{re.escape(text)}", shown), shown
    assert re.search(r"\n  --idle MINUTES +(end after|검색 없이) MINUTES", cli("serve", "-h", env=locale).stdout)


QUERY_HELP = {
    "ko": ("초성: ㅁㅅㄹㄴ은 머신러닝을", "-낱말: 그 낱말이 없는 글", '"구절": 쓴 그대로', "a OR b: 둘 중 하나"),
    "en": ("초성: ㅁㅅㄹㄴ finds 머신러닝", "-word: without it", '"a phrase" as written', "a OR b;"),
}


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_the_query_help_says_the_search_syntax(cli, locale):
    shown = cli("search", "-h", env=KOREAN if locale == "ko" else ENGLISH).stdout
    help_text = " ".join(shown.split("\n\n")[1].split())  # the QUERY section, its lines joined
    for said in (*QUERY_HELP[locale], "tag:python", "category:공부/머신러닝", "title:검색", "date:2019..2021", "pyth*"):
        assert said in help_text, said


SITE = {
    "_config.yml": "title: blog\n",
    "_posts/2020-06-01-a.md": "---\ntitle: 머신러닝 검색 입문\ndate: 2020-06-01\ntags: [python]\n"
    "categories: 공부/머신러닝\n---\n자연어 처리에서 임베딩을 배운다. word2vec과 python.\n",
    "_posts/2019-03-01-b.md": '---\ntitle: 벡터\ndate: 2019-03-01\ncategories: ["Machine Learning"]\n---\n'
    "glove 임베딩의 초안.\n",
    "_posts/2018-01-01-c.md": "---\ntitle: 노트\ndate: 2018-01-01\n---\n머신러닝에서 쓰는 말.\n",
}
# each example of the QUERY help: the posts it finds (a, b, c above), those it leaves out
EXAMPLES = [
    (["ㅁㅅㄹㄴ"], "a", ""),
    (["머신러닝"], "ac", "b"),  # 머신러닝에서 too
    (['"자연어 처리"'], "a", "bc"),
    (["임베딩", "-초안"], "a", "bc"),
    (["word2vec", "OR", "glove"], "ab", "c"),
    (["(", "word2vec", "OR", "glove", ")", "임베딩"], "ab", "c"),
    (["pyth*"], "a", "bc"),
    (["tag:python"], "a", "bc"),
    (["category:공부/머신러닝"], "a", "bc"),
    (["title:검색"], "a", "bc"),
    (["date:2020"], "a", "bc"),
    (["date:2019..2021"], "ab", "c"),
    (["date:2020-06"], "a", "bc"),
    (['category:"Machine Learning"'], "b", "ac"),
]


def test_each_example_of_the_query_help_finds_its_posts(cli, write_tree, tmp_path):
    """What the help shows is what `reader search` does."""
    env = {**ENGLISH, "GEULBAT_POSTS": str(write_tree(SITE)), "GEULBAT_INDEX_DIR": str(tmp_path / "index")}
    for query, finds, leaves in EXAMPLES:
        found = cli("search", *query, env=env)
        assert found.returncode == 0, (query, found.stderr)
        shown = {line.split("\t")[2][-4] for line in found.stdout.splitlines()}  # the path's a, b or c
        assert set(finds) <= shown and not set(leaves) & shown, (query, found.stdout)

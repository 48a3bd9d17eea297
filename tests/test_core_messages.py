"""The core's messages (reader.posts.messages) in a Korean interface: every template the core
says has a Korean text (reader.messages_ko), a message reads back into its template and values,
and the app and the CLI show a post's warnings, the index's and the config's problems in Korean,
while `--json` keeps the English a script matches on."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reader
from reader import messages_ko
from reader.messages_ko import ERRORS, KO, korean
from reader.posts import frontmatter
from reader.posts.messages import NUMBERS, Message, at, joined, read, say, slots
from tests.app_fixtures import app_for, open_row
from tests.waiting import ready, until

READER = Path(reader.__file__).parent
INTERFACES = (READER / "ui", READER / "cli")
KOREAN = {"LANG": "ko_KR.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
ENGLISH = {"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}
HANGUL = re.compile("[가-힣]")

# A post broken three ways: an ESC byte in its body, a title with an unquoted colon, a date no
# calendar has (PyYAML raised ValueError on it: the whole folder failed to load).
BROKEN = "---\ntitle: 파이썬: 입문\ndate: 2020-13-45\n---\n\x1b[31mred\x1b[0m text\n".encode()
BROKEN_WARNINGS = [
    "broken.md: 2 control characters (ESC U+001B) replaced with \ufffd",
    "broken.md:2:11: invalid YAML: mapping values are not allowed here (recovered)",
    "broken.md: unreadable date '2020-13-45'; using the file name or time",
]
BROKEN_KOREAN = [
    "broken.md: 제어 문자 2개(ESC U+001B)를 \ufffd로 바꿨습니다",
    "broken.md:2:11: YAML 오류: 여기에는 `키: 값`이 올 수 없습니다 (콜론이 든 값은 따옴표로 감싸세요) "
    "(고쳐서 읽었습니다)",
    "broken.md: 읽을 수 없는 날짜입니다: '2020-13-45'. 파일 이름의 날짜나 파일 시각을 씁니다",
]
SITE = {"broken.md": BROKEN, "ok.md": "---\ntitle: 멀쩡한 글\ndate: 2020-01-02\n---\n보통 본문.\n"}


def core_modules() -> list[Path]:
    """Every module of the reader but the interfaces' (which say their own words through t())."""
    return [path for path in READER.rglob("*.py") if not any(path.is_relative_to(ui) for ui in INTERFACES)]


def said_templates() -> dict[str, str]:
    """The template of every `say("…")` in the core, with where it is; a template that is not a
    literal is named by its place, so that the test below fails on it."""
    found = {}
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say":
                first = node.args[0] if node.args else None
                where = f"{path.relative_to(READER.parent)}:{node.lineno}"
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found[first.value] = where
                elif path.name != "messages.py":  # Message.__str__ says a template read back
                    found[f"<not a literal at {where}>"] = where
    return found


# --- the catalog ---------------------------------------------------------------------------------


def test_every_template_the_core_says_has_a_korean_text():
    templates = said_templates()
    assert len(templates) > 60
    assert sorted(f"{where}: {template}" for template, where in templates.items() if template not in KO) == []


def test_the_catalog_holds_nothing_the_core_does_not_say():
    assert sorted(set(KO) - set(said_templates())) == []


# Where the core's messages go: the argument (by position) of a call that holds one.
MESSAGE_ARGUMENTS = {
    "IndexUnavailable": 0,
    "ManifestError": 0,
    "BinaryFileError": 0,
    "NotADirectoryError": 0,
    "_NotAMapping": 0,
    "_AliasBomb": 0,
    "UnreadableConfig": 1,
    "FrontMatterIssue": 2,
    "Decision": 2,
}
MESSAGE_LISTS = {"warnings", "messages", "problems"}  # `warnings.add(…)`, `report.messages.append(…)`


def _unsaid(node: ast.AST) -> list[str]:
    """English words in the string literals of `node`, outside any say(…) call."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "say":
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value] if re.search("[A-Za-z]{2,}", node.value) else []
    return [text for child in ast.iter_child_nodes(node) for text in _unsaid(child)]


def test_no_message_of_the_core_bypasses_say():
    """A warning or a reason written as an English f-string would stay English in a Korean
    interface: each is made by say()."""
    bypassing = []
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            arguments: list[ast.expr] = []
            if isinstance(func, ast.Name) and func.id in MESSAGE_ARGUMENTS:
                arguments = node.args[MESSAGE_ARGUMENTS[func.id] : MESSAGE_ARGUMENTS[func.id] + 1]
            elif isinstance(func, ast.Attribute) and func.attr in ("add", "append", "extend"):
                owner = func.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                arguments = node.args if name in MESSAGE_LISTS else []
            rel = path.relative_to(READER.parent)
            bypassing += [f"{rel}:{node.lineno}: {text}" for argument in arguments for text in _unsaid(argument)]
    assert bypassing == []


@pytest.mark.parametrize("template", sorted(KO))
def test_a_korean_text_keeps_the_values_and_needs_no_fixed_particle_after_one(template):
    korean_text = KO[template]
    assert sorted(slots(korean_text)) == sorted(slots(template))
    assert HANGUL.search(korean_text) or set(korean_text) <= set("{}:; " + "".join(slots(template)))
    # `{path}을` reads wrong after half the values: a particle after a value is written both ways
    # (`{path}을(를)`, chosen for the value) or the value stands where none follows it.
    assert not re.search(r"\}(?:을|를|이|가|은|는|과|와|로|으로)(?!\()", korean_text)
    assert "}{" not in template  # two values side by side could not be told apart


def _sample(name: str) -> str:
    if name.startswith("message"):
        return "no index yet"
    if name.startswith("error"):
        return "Permission denied"
    return "3" if name in NUMBERS else "x.md"


@pytest.mark.parametrize("template", sorted(KO))
def test_a_message_reads_back_into_its_template_and_values(template):
    values = {name: _sample(name) for name in slots(template)}
    text = say(template, **values)
    found = read(text, KO)
    assert found is not None and found.template == template and str(found) == text
    assert {k: str(v) for k, v in found.values.items()} == values


def test_the_errors_are_said_as_this_system_and_pyyaml_say_them():
    """The words ERRORS knows are the ones a reader meets: the system's strerror for its errors,
    PyYAML's problems for an unquoted colon, a tab and a quote left open."""
    system = {os.strerror(number) for number in range(1, 134)}
    problems = []
    for block in ("title: a: b", "title: a\n\tdate: 2020", 'title: "open'):
        post = frontmatter.parse(f"---\n{block}\n---\nbody\n")
        problems += [issue.message for issue in post.issues]
    assert len(problems) == 3
    yaml_words = {p.removeprefix("invalid YAML: ").rsplit(" (recovered", 1)[0] for p in problems}
    assert set(ERRORS) - system == yaml_words
    assert all(HANGUL.search(korean_text) for korean_text in ERRORS.values())


# --- reading back and saying in Korean ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "said"),
    [
        *zip(BROKEN_WARNINGS, BROKEN_KOREAN, strict=True),
        ("a.md: cannot read: Permission denied", "a.md: 읽을 수 없습니다: 권한이 없습니다"),
        (
            "b.md: skipped: binary content (NUL or control bytes)",
            "b.md: 건너뜀: 글이 아니라 바이너리 파일입니다 (NUL이나 제어 바이트)",
        ),
        ("drafts: cannot list: Permission denied", "drafts: 폴더를 읽을 수 없습니다: 권한이 없습니다"),
        (
            "c.md:3:1: invalid YAML: found character '\\t' that cannot start any token (recovered line by line)",
            "c.md:3:1: YAML 오류: 탭 문자가 올 수 없는 자리입니다 (들여쓰기는 빈칸으로 하세요) "
            "(줄마다 따로 읽었습니다)",
        ),
        (
            "index damaged (index file _MAIN_1.toc is missing); rebuilding",
            "색인이 망가져 다시 만듭니다 (색인 파일이 없습니다: _MAIN_1.toc)",
        ),
        (
            "/home/u/config.toml: unknown key 'colour'; language should be one of auto, en, ko, not 'fr' "
            "(defaults used for those)",
            "/home/u/config.toml: 모르는 키입니다: 'colour'; language에는 auto, en, ko 가운데 하나를 적어야 합니다 "
            "('fr' 말고) (이 값들은 기본값을 씁니다)",
        ),
        ("Permission denied", "권한이 없습니다"),  # the system's words alone (an OSError's)
        ("a message no template makes: it stays", "a message no template makes: it stays"),
    ],
)
def test_a_message_is_said_in_korean(english, said):
    assert korean(english) == said


def test_values_from_posts_are_never_translated():
    """A file name or a date typed in a post that reads like a message of the core is data."""
    named = at("no index yet", say("cannot read: {error}", error="Permission denied"))
    assert korean(named) == "no index yet: 읽을 수 없습니다: 권한이 없습니다"
    dated = at("a.md", say("unreadable date {date}; using the file name or time", date="'Permission denied'"))
    assert korean(dated) == "a.md: 읽을 수 없는 날짜입니다: 'Permission denied'. 파일 이름의 날짜나 파일 시각을 씁니다"
    colon = at("2020: 회고: cannot read: x.md", say("not UTF-8: decoded as {encoding}", encoding="cp949"))
    assert korean(colon) == "2020: 회고: cannot read: x.md: UTF-8이 아니어서 이 인코딩으로 읽었습니다: cp949"


# Data: any text without the separators templates are made of (`: `, `; `, brackets).
DATA = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda text: not any(mark in text for mark in (": ", "; ", "(", ")", "{", "}")) and text.strip() == text
)


@settings(max_examples=300, deadline=None)
@given(template=st.sampled_from(sorted(KO)), where=DATA, value=DATA)
def test_data_in_a_message_is_said_as_it_is(template, where, value):
    """Whatever a place or a data value holds (Hangul, digits, `recovered`, a particle), the
    Korean text holds it as it is, and the English reads back into the same template."""
    values = {name: (value if _sample(name) == "x.md" else _sample(name)) for name in slots(template)}
    english = say(template, **values)
    found = read(at(where, english), KO)
    assert found is not None and str(found) == at(where, english)
    assert korean(at(where, english)) == f"{where}: {korean(english)}"
    assert found.values["message"] == read(english, KO) or template == "{where}: {message}"


def test_several_messages_in_one_line_are_each_said():
    line = joined([say("unknown key {key}", key="'a'"), say("unknown key {key}", key="'b'"), say("no index yet")])
    assert line == "unknown key 'a'; unknown key 'b'; no index yet"
    assert korean(line) == "모르는 키입니다: 'a'; 모르는 키입니다: 'b'; 아직 색인이 없습니다"
    assert read(line, KO) == Message(
        "{message}; {message2}",
        {
            "message": Message("unknown key {key}", {"key": "'a'"}),
            "message2": Message(
                "{message}; {message2}",
                {"message": Message("unknown key {key}", {"key": "'b'"}), "message2": Message("no index yet", {})},
            ),
        },
    )


def test_a_particle_written_both_ways_fits_the_value():
    assert messages_ko.particles("{words}이(가) 없습니다", {"words": "임베딩"}) == "{words}이 없습니다"
    assert messages_ko.particles("{words}이(가) 없습니다", {"words": "쿠버네티스"}) == "{words}가 없습니다"
    assert messages_ko.particles("{words}이(가) 없습니다", {"words": "hugo"}) == "{words}가 없습니다"
    assert messages_ko.particles("{words}이(가) 없습니다", {"words": "C++"}) == "{words}이(가) 없습니다"


# --- the app and the command ---------------------------------------------------------------------


async def test_the_korean_app_shows_a_posts_warnings_in_korean(tmp_path, write_tree):
    from reader.ui import i18n

    site = write_tree(SITE)
    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=(150, 45)) as pilot:
            await ready(pilot)
            await open_row(pilot, "broken.md")
            header = app.main.query_one("#post-header")
            await until(pilot, lambda: "⚠" in str(header.render()), "the warnings shown")
            shown = [line.removeprefix("⚠ ") for line in str(header.render()).splitlines() if line.startswith("⚠")]
            assert shown == BROKEN_KOREAN
            assert app.main.loaded and "경고 1개" in str(app.main.query_one("#status").render())
    finally:
        i18n.set_language("en")


async def test_the_korean_app_says_why_there_is_no_search_in_korean(tmp_path, write_tree):
    from reader.ui import i18n

    site = write_tree(SITE)
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "notes.txt").write_text("mine\n", encoding="utf-8")  # not a folder for the index
    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=(150, 45)) as pilot:
            status = app.main.query_one("#status")
            await until(pilot, lambda: "검색할 수 없음" in str(status.render()), "the index problem said")
            assert f"다른 파일이 있는 폴더여서 색인을 두지 않습니다: {tmp_path / 'index'} (notes.txt)" in str(
                status.render()
            )
    finally:
        i18n.set_language("en")


async def test_the_korean_app_says_the_configs_problem_and_why_a_link_is_not_followed_in_korean(
    tmp_path, write_tree, monkeypatch
):
    from reader.ui import i18n
    from reader.ui.screens import ConfirmScreen

    site = write_tree(
        {
            "a.md": "---\ntitle: 가\n---\n[없는 글](nope.md)와 [없는 제목](b.md#없음), [편지](mailto:a@b.c).\n",
            "b.md": "---\ntitle: 나\n---\n# 있음\n",
        }
    )
    config = tmp_path / "config.toml"
    config.write_text('language = "ko"\ncolour = "red"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    told: list[str] = []
    real_notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: told.append(str(message)) or real_notify(message, **kw))
    try:
        async with app.run_test(size=(150, 45)) as pilot:
            await ready(pilot)
            assert f"{config}: 모르는 키입니다: 'colour' (이 값들은 기본값을 씁니다)" in told
            await open_row(pilot, "a.md")
            nope, heading = (
                next(link.n for link in app.main.links if link.url == url) for url in ("nope.md", "b.md#없음")
            )
            await pilot.press("l", str(nope), "enter")
            await until(pilot, lambda: any("열지 않았습니다" in line for line in told), "the link refused, said")
            assert "열지 않았습니다: 이 폴더에 nope.md 글이 없습니다" in told
            await pilot.press(str(heading), "enter")  # the panel stays open after a refusal
            await until(pilot, lambda: "그 글에 #없음 제목이 없습니다" in told, "the post opened at its top, said why")
            await open_row(pilot, "a.md")
            mail = next(link.n for link in app.main.links if link.url == "mailto:a@b.c")
            await pilot.press("l", str(mail), "enter")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked before the system opens it")
            assert app.screen.question == "이 mailto: 링크를 시스템에 맡겨 열까요?"
            await pilot.press("n")
            config.write_text("language = \n", encoding="utf-8")  # broken while the app runs: said on a save
            await pilot.press("d")
            await until(pilot, lambda: any("저장되지 않습니다" in line for line in told), "the unsaved setting said")
            assert told[-1].startswith(f"읽을 수 없습니다: {config}: Invalid value (at line 1, column 12); ")
            assert told[-1].endswith("; 고칠 때까지 앱에서 바꾼 설정은 저장되지 않습니다")
    finally:
        i18n.set_language("en")


async def test_the_korean_app_says_why_there_are_no_related_posts_in_korean(tmp_path, write_tree, monkeypatch):
    from reader.library import IndexUnavailable, Library
    from reader.ui import i18n
    from reader.ui.connections import ConnectionsPanel

    def busy(self, *args, **kwargs):
        raise IndexUnavailable(say("the index is being written by another process; try again"))

    site = write_tree(SITE)
    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    monkeypatch.setattr(Library, "related", busy)
    try:
        async with app.run_test(size=(150, 45)) as pilot:
            await ready(pilot)
            await pilot.press("L")
            panel = app.main.query_one(ConnectionsPanel)

            def lines() -> list[str]:
                return [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]

            await until(pilot, lambda: any("비슷한 글을 찾을 수 없습니다" in line for line in lines()), "said why not")
            assert "  비슷한 글을 찾을 수 없습니다: 다른 프로세스가 색인을 쓰는 중입니다. 다시 해 보세요" in lines()
    finally:
        i18n.set_language("en")


def _index_of_another_version(site: Path, index: Path) -> None:
    """An index of `site` in `index` as another version of reader wrote it (schema 9)."""
    from reader.library import Library

    Library(site, index_dir=index).sync_index()
    [state] = index.glob("g-*/state.json")
    head, rows = state.read_text("utf-8").split("\n", 1)
    state.write_text(json.dumps({**json.loads(head), "schema": 9}) + "\n" + rows, "utf-8")


async def test_the_korean_app_says_what_the_index_sync_had_to_say_in_korean(tmp_path, write_tree):
    from reader.ui import i18n

    site = write_tree(SITE)
    _index_of_another_version(site, tmp_path / "index")
    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=(150, 45)) as pilot:
            await ready(pilot)
            status = app.main.query_one("#status")
            await until(pilot, lambda: "스키마 9" in str(status.render()), "the rebuild said")
            assert str(status.render()).endswith(" · 다른 버전이 쓴 색인이어서(스키마 9) 다시 만듭니다")
    finally:
        i18n.set_language("en")


@pytest.fixture
def reader_in(reader_cmd, write_tree, tmp_path):
    """`reader ARGS` on the broken site in a subprocess, in a locale, its config and index its own."""
    site = write_tree(SITE)

    def run(*args: str, locale: dict[str, str], **env: str) -> subprocess.CompletedProcess[str]:
        full = {
            **os.environ,
            **locale,
            "GEULBAT_POSTS": str(site),
            "GEULBAT_INDEX_DIR": str(tmp_path / "index"),
            "GEULBAT_CONFIG": str(tmp_path / "config.toml"),
            **env,
        }
        return subprocess.run([*reader_cmd, *args], capture_output=True, text=True, env=full, timeout=120)

    return run


def test_the_korean_command_says_a_posts_warnings_in_korean_and_json_keeps_them_english(reader_in):
    posts = reader_in("posts", locale=KOREAN)
    assert posts.returncode == 0, posts.stderr
    assert posts.stderr.splitlines() == [*(f"경고: {line}" for line in BROKEN_KOREAN), "글 2개, 경고 3개"]
    english = reader_in("posts", locale=ENGLISH)
    assert english.stderr.splitlines() == [*(f"warning: {line}" for line in BROKEN_WARNINGS), "2 posts, 3 warnings"]
    for locale in (KOREAN, ENGLISH):  # what a script reads is the same in both
        listed = json.loads(reader_in("posts", "--json", locale=locale).stdout)
        assert next(p["warnings"] for p in listed if p["path"] == "broken.md") == BROKEN_WARNINGS
        indexed = reader_in("index", "--json", locale=locale)
        assert json.loads(indexed.stdout)["warnings"] == BROKEN_WARNINGS


def test_the_korean_command_says_the_configs_and_the_indexs_problems_in_korean(reader_in, tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('colour = "red"\nsidebar = "left"\n', encoding="utf-8")
    posts = reader_in("posts", locale=KOREAN)
    assert posts.stderr.splitlines()[0] == (
        f"reader: {config}: 모르는 키입니다: 'colour'; sidebar에는 auto, shown, hidden 가운데 하나를 적어야 "
        "합니다 ('left' 말고) (이 값들은 기본값을 씁니다)"
    )
    config.unlink()
    _index_of_another_version(tmp_path / "site", tmp_path / "index")
    rebuilt = reader_in("index", locale=KOREAN)
    assert (
        rebuilt.returncode == 0
        and "reader: 다른 버전이 쓴 색인이어서(스키마 9) 다시 만듭니다" in rebuilt.stderr.splitlines()
    )
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder\n", encoding="utf-8")
    searched = reader_in("search", "본문", locale=KOREAN, GEULBAT_INDEX_DIR=str(blocked / "index"))
    assert searched.returncode == 0 and searched.stderr.splitlines()[:2] == [
        f"reader: {blocked / 'index'}의 색인을 갱신할 수 없습니다: 폴더가 아닙니다",  # the system's words too
        "reader: 대신 메모리의 임시 색인에서 찾습니다",
    ]
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("mine\n", encoding="utf-8")
    index = reader_in("index", locale=KOREAN, GEULBAT_INDEX_DIR=str(theirs))
    assert index.returncode == 1
    assert index.stderr.splitlines()[-1] == (
        f"reader: 다른 파일이 있는 폴더여서 색인을 두지 않습니다: {theirs} (notes.txt). "
        "--index-dir로 빈 폴더나 새 폴더를 주세요"
    )
    inside = reader_in("search", "본문", "--json", locale=KOREAN, GEULBAT_INDEX_DIR=str(tmp_path / "site" / "index"))
    assert json.loads(inside.stderr.splitlines()[-1]) == {
        "error": f"색인 폴더는 글 폴더 안에 둘 수 없습니다: {tmp_path / 'site' / 'index'}",
        "kind": "index_unavailable",
    }
    as_json = json.loads(
        reader_in("index", "--json", locale=KOREAN, GEULBAT_INDEX_DIR=str(theirs)).stderr.splitlines()[-1]
    )
    assert as_json["kind"] == "index_unavailable" and as_json["error"].startswith("다른 파일이 있는 폴더여서")


def test_the_korean_search_says_that_it_rebuilt_a_damaged_index_in_korean(reader_in, tmp_path):
    assert reader_in("index", locale=ENGLISH).returncode == 0
    for segment in (tmp_path / "index").glob("g-*/*.seg"):  # damage no size or time shows: zeros
        before = segment.stat()
        segment.write_bytes(bytes(before.st_size))
        os.utime(segment, ns=(before.st_atime_ns, before.st_mtime_ns))
    searched = reader_in("search", "본문", locale=KOREAN)
    assert searched.returncode == 0 and "ok.md" in searched.stdout
    said = [line for line in searched.stderr.splitlines() if line.startswith("reader: ")]
    assert said[:2] == [
        "reader: 색인이 망가져 다시 만들었습니다",
        f"reader: 색인이 망가져 다시 만듭니다 (색인 파일의 내용이 쓴 것과 다릅니다: {segment.name})",
    ]


def test_a_config_of_hundreds_of_problems_is_said_as_it_is_without_a_crash(reader_in, tmp_path):
    """Each problem joined is a message deeper: 400 unknown keys made a RecursionError in every
    Korean command and the app (an internal error, exit 1), and 100 took 2.5 s to read back.
    Past what a message of the core needs, the text is said as it is; a few are said in Korean."""
    config = tmp_path / "config.toml"
    config.write_text("\n".join(f"k{n} = 1" for n in range(400)), encoding="utf-8")
    posts = reader_in("posts", locale=KOREAN)
    assert posts.returncode == 0, posts.stderr
    first = posts.stderr.splitlines()[0]
    assert first.startswith(f"reader: {config}: unknown key 'k0'; unknown key 'k1'; ")
    assert first.endswith("unknown key 'k399' (defaults used for those)")
    config.write_text('sidebar = "' + "x; " * 1200 + '"\n', encoding="utf-8")  # a value full of "; "
    assert reader_in("posts", locale=KOREAN).returncode == 0
    config.write_text("\n".join(f"k{n} = 1" for n in range(20)), encoding="utf-8")
    said = reader_in("posts", locale=KOREAN).stderr.splitlines()[0]
    assert said.startswith(f"reader: {config}: 모르는 키입니다: 'k0'; 모르는 키입니다: 'k1'; ")

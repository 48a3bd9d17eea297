"""The interface in English and Korean: every string has both, and the locale chooses."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual.binding import Binding

from reader.search import problems
from reader.ui import i18n
from reader.ui.app import ReaderApp
from reader.ui.connections import ConnectionsPanel
from reader.ui.image_view import ImageScreen
from reader.ui.link_panel import LinkPanel
from reader.ui.main_screen import MainScreen
from reader.ui.outline import Outline
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from reader.ui.screens import ConfirmScreen, HelpScreen
from reader.ui.sidebar import Sidebar

UI = Path(i18n.__file__).parent
PROBLEMS = Path(problems.__file__)
RELATED = PROBLEMS.with_name("related.py")  # why a post is related: said by the app and the CLI alike


def strings_passed_to_t() -> set[str]:
    """The texts said through t(), and those the search core gives t() to say (`speak`: why a
    query cannot run, reader.search.problems, and why a post is related, reader.search.related:
    said by the app and the CLI alike)."""
    found = set()
    for path in [*UI.glob("*.py"), PROBLEMS, RELATED]:
        name = "speak" if path in (PROBLEMS, RELATED) else "t"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name:
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                elif isinstance(first, ast.IfExp):  # t("a" if x else "b")
                    found.update(n.value for n in (first.body, first.orelse) if isinstance(n, ast.Constant))
    return found


def binding_descriptions() -> set[str]:
    owners = [ReaderApp, MainScreen, PostList, PostBody, LinkPanel, Sidebar, Outline, ConnectionsPanel]
    owners += [HelpScreen, ConfirmScreen, ImageScreen]
    return {b.description for owner in owners for b in owner.BINDINGS if isinstance(b, Binding) and b.description}


def test_every_string_of_the_interface_has_a_korean_text():
    wanted = strings_passed_to_t() | binding_descriptions()
    assert len(wanted) > 80
    missing = sorted(wanted - set(i18n.KO))
    assert missing == []


def test_the_catalog_holds_nothing_the_interface_does_not_use():
    assert sorted(set(i18n.KO) - strings_passed_to_t() - binding_descriptions()) == []


def test_placeholders_survive_translation():
    for english, korean in i18n.KO.items():
        names = sorted(part.split("}")[0] for part in english.split("{")[1:])
        assert sorted(part.split("}")[0] for part in korean.split("{")[1:]) == names, english


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
        ({"LC_ALL": "C", "LANG": "ko_KR.UTF-8"}, "en"),
    ],
)
def test_the_locale_chooses(environ, language):
    assert i18n.locale_language(environ) == language


def test_the_config_overrides_the_locale(monkeypatch):
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    try:
        assert i18n.set_language("en") == "en" and i18n.t("Search") == "Search"
        assert i18n.set_language("auto") == "ko" and i18n.t("Search") == "검색"
        assert i18n.t("{count} posts match", count=3) == "글 3개가 맞습니다"
    finally:
        i18n.set_language("en")


@pytest.mark.parametrize(
    ("words", "said"),
    [
        ("쿠버네티스", "쿠버네티스가 들어간 글이 없습니다"),
        ("임베딩", "임베딩이 들어간 글이 없습니다"),
        ("hugo", "hugo가 들어간 글이 없습니다"),  # a Latin word as Korean reads it (휴고)
        ("C++", "C++이(가) 들어간 글이 없습니다"),  # after a symbol: both ways
        ("이(가)", "이(가)이(가) 들어간 글이 없습니다"),  # the value itself is never rewritten
    ],
)
def test_a_korean_particle_after_a_value_is_the_one_its_last_syllable_takes(words, said):
    try:
        i18n.set_language("ko")
        assert i18n.t("no posts contain {words}", words=words) == said
    finally:
        i18n.set_language("en")


def test_every_particle_written_both_ways_follows_its_value_so_it_can_be_chosen():
    """`{path} 이(가)` (a space between) was never chosen: the choice reads the value just
    before the particle. Every catalog text, the interface's and the core's."""
    import re

    from reader.messages_ko import ERRORS
    from reader.messages_ko import KO as CORE

    both_ways = re.compile(r"(.)(?:이\(가\)|을\(를\)|은\(는\)|과\(와\))")
    loose = [
        text
        for catalog in (i18n.KO, CORE, ERRORS)
        for text in catalog.values()
        for before in both_ways.findall(text)
        if before != "}"
    ]
    assert loose == []
    try:
        i18n.set_language("ko")
        assert i18n.t("{path} is gone", path="글.md") == "글.md가 없어졌습니다"
    finally:
        i18n.set_language("en")

"""The help screen's content, read from the bindings themselves."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.binding import Binding
from textual.containers import VerticalScroll

from reader.ui.i18n import t
from reader.ui.link_panel import LinkPanel
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
from reader.ui.sidebar import Sidebar

_KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "dollar_sign": "$",
}


def _describe(bindings: Iterable[Any]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        keys = ", ".join(_KEY_NAMES.get(k, k) for k in binding.key.split(","))
        rows.append((keys, t(binding.description)))
    return rows


Section = tuple[str, list[tuple[str, str]]]


def help_sections(app_bindings: Iterable[Any], screen_bindings: Iterable[Any]) -> list[Section]:
    return [
        (
            t("Everywhere"),
            [
                *_describe(app_bindings),
                *_describe(screen_bindings),
                (t("0-9 then Enter"), t("Open the link numbered [n] in the post")),
                ("ctrl+p", t("Command palette: open post, filter, theme")),
            ],
        ),
        (
            t("Post list"),
            [
                *_describe(PostList.BINDINGS),
                # The marks before a title (a new user found the `!` and no word on it).
                ("!", t("the post has warnings: its header lists them when it is open")),
                ("D", t("a draft")),
                ("• ★", t("not read yet · bookmarked")),
            ],
        ),
        (t("Post"), _describe(PostBody.BINDINGS)),
        (t("Sidebar"), _describe(Sidebar.BINDINGS)),
        (t("Link panel"), [*_describe(LinkPanel.BINDINGS), (t("enter / click"), t("Follow the link"))]),
    ]


class HelpScroll(VerticalScroll):
    """The help screen's body, scrolled with the reader's own keys (`j`/`k`, `g`/`G`, Space), as a
    post is: the help lists them, so they work on it too."""

    BINDINGS = [binding for binding in PostBody.BINDINGS if isinstance(binding, Binding)]

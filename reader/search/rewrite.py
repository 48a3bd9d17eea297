"""A query's plain words, and the query with some of its words replaced: in its tree and as typed."""

from __future__ import annotations

import re
import unicodedata

from reader.search.query import And, Node, Not, Or, Phrase, Word


def positive_words(node: Node) -> list[Word]:
    """The plain words of the query that must (or may) be found: not under NOT, not prefixes."""
    if isinstance(node, Word):
        return [] if node.prefix else [node]
    if isinstance(node, And | Or):
        return [w for child in node.children for w in positive_words(child)]
    return []


def replace_words(node: Node, replaced: dict[str, str]) -> Node:
    if isinstance(node, Word):
        return Word(replaced[node.text], node.field, node.prefix) if node.text in replaced else node
    if isinstance(node, And):
        return And(tuple(replace_words(c, replaced) for c in node.children))
    if isinstance(node, Or):
        return Or(tuple(replace_words(c, replaced) for c in node.children))
    if isinstance(node, Not | Phrase):
        return node
    return node


def rewrite(text: str, replaced: dict[str, str]) -> str:
    """The query as typed with some words replaced (each where it first stands alone)."""
    out = unicodedata.normalize("NFC", text)
    for typed, new in replaced.items():
        at = re.search(rf"(?<![^\s(:]){re.escape(typed)}(?![^\s)])", out)
        if at is not None:
            out = out[: at.start()] + new + out[at.end() :]
    return out

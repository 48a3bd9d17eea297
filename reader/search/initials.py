"""초성 queries: the words the posts hold for words typed as initial consonants alone (`ㅈㅇㅇ` -> 자연어).

A word is read from the index's vocabularies (titles first: their words are
topics) and kept only where posts hold it, counted by the search's count
(reader.search.respell): the reading most posts hold replaces the typed word.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reader.search import hangul
from reader.search.analysis import PARTICLES
from reader.search.query import And, Node, Or, Word
from reader.search.respell import MAX_SUGGESTIONS
from reader.search.rewrite import positive_words, replace_words
from reader.search.suggest import Vocabulary

Count = Callable[..., int]  # (word, pattern, enough=...): how many posts hold a word written as the pattern is
# After a word written whole: a particle at most, then no more Hangul (`비터비를`, not `베타분포`).
_WORD_END = "(?=(?:" + "|".join(map(re.escape, PARTICLES)) + ")?(?![\uac00-\ud7a3]))"


def resolve_initials(
    node: Node, titles: Vocabulary, words: Vocabulary, count: Count
) -> tuple[Node, dict[str, str], list[dict[str, str]]]:
    """The query with each 초성 word replaced by the word the posts most often hold for it.

    Consecutive 초성 words are first tried as one (`ㅈㅇㅇ ㅊㄹ` -> 자연어 처리),
    which keeps a compound together. Returns the new tree, what replaced
    what, and up to MAX_SUGGESTIONS other readings. `titles` and `words` are
    the vocabularies of the posts' titles and texts.
    """
    typed = [w for w in positive_words(node) if hangul.is_initials(w.text)]
    if not typed:
        return node, {}, []
    replaced: dict[str, str] = {}
    alternatives: list[dict[str, str]] = []
    for run in initials_runs(node, typed):
        readings = read_initials(run, titles, words, count)
        if readings:
            replaced.update(readings[0])
            alternatives.extend(readings[1:])
    if not replaced:
        return node, {}, []
    return replace_words(node, replaced), replaced, [{**replaced, **alt} for alt in alternatives]


def read_initials(run: list[Word], titles: Vocabulary, words: Vocabulary, count: Count) -> list[dict[str, str]]:
    """Readings of a run of 초성 words, best first: {typed word: word read}."""
    if len(run) > 1:
        joined = "".join(w.text for w in run)
        for word in initials_candidates(Word(joined, run[0].field), titles, words, count, [len(w.text) for w in run]):
            return [dict(zip([w.text for w in run], split_like(word, run), strict=True))]
    readings: list[dict[str, str]] = []
    for typed in run:
        candidates = initials_candidates(typed, titles, words, count)
        if candidates:
            readings.append({typed.text: candidates[0]})
            readings.extend({typed.text: other} for other in candidates[1:MAX_SUGGESTIONS])
    if len(run) > 1 and readings:
        best: dict[str, str] = {}
        for reading in readings:
            for key, value in reading.items():
                best.setdefault(key, value)
        return [best]
    return readings


def initials_candidates(
    typed: Word, titles: Vocabulary, words: Vocabulary, count: Count, parts: list[int] | None = None
) -> list[str]:
    """Words that `typed` stands for and posts really hold, most posts first.

    Titles first: their words are topics, where a post's text also holds
    every phrase that happens to share the letters (`ㅎㄱㅇ`: 한국어, not 하기의).
    A word counts where it is written at a word's start; typed as `parts`
    (`ㅈㅇㅇ ㅊㄹ`), with or without a space between them. One some post writes as
    a word of its own comes before one only ever the start of a longer word
    (`ㅂㅌㅂ`: 비터비, though more posts hold 베타분포, whose 베타분 is no word).
    """

    def literal(word: str) -> re.Pattern[str]:
        pieces, at = [], 0
        for size in parts or [len(word)]:
            pieces.append(re.escape(word[at : at + size]))
            at += size
        return re.compile(r"(?<![\uac00-\ud7a3])" + r"[^\S\n]?".join(pieces))  # at a word's start

    phases = [(titles, "title"), (words, typed.field)] if typed.field in (None, "title") else []
    for vocabulary, where in phases or [(words, typed.field)]:
        counted = {c: count(Word(c, where), literal(c)) for c in vocabulary.initials(typed.text)}
        held = sorted((c for c in counted if counted[c]), key=lambda c: -counted[c])
        if len(held) > 1:
            whole = {c: count(Word(c, where), re.compile(literal(c).pattern + _WORD_END), enough=1) for c in held}
            held.sort(key=lambda c: not whole[c])  # stable: most posts first within each
        if held:
            return held
    return []


def initials_runs(node: Node, words: list[Word]) -> list[list[Word]]:
    """The 초성 words grouped into runs that stand next to each other in one AND."""
    runs: list[list[Word]] = []
    chosen = set(map(id, words))

    def walk(n: Node) -> None:
        if isinstance(n, And):
            current: list[Word] = []
            for child in n.children:
                if isinstance(child, Word) and id(child) in chosen and (not current or current[0].field == child.field):
                    current.append(child)
                    continue
                if current:
                    runs.append(current)
                current = [child] if isinstance(child, Word) and id(child) in chosen else []
                if not current:
                    walk(child)
            if current:
                runs.append(current)
        elif isinstance(n, Or):
            for child in n.children:
                walk(child)
        elif isinstance(n, Word) and id(n) in chosen:
            runs.append([n])

    walk(node)
    return runs


def split_like(word: str, run: list[Word]) -> list[str]:
    """`자연어처리` split as `ㅈㅇㅇ ㅊㄹ` was typed: [자연어, 처리]."""
    out, at = [], 0
    for typed in run:
        out.append(word[at : at + len(typed.text)])
        at += len(typed.text)
    return out

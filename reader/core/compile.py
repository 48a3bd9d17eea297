"""Turning a parsed query into Whoosh queries: strict first, then a looser fallback."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from reader.core.analysis import MARK_CROSS, bigrams, is_hangul, shape, split_word
from reader.core.query import And, DateRange, Facet, Node, Not, Or, Phrase, Word

FIELD_BOOSTS = {"title": 4.0, "text": 1.0}  # `text` holds title, tags, categories and body
_INDEX_FIELDS = {None: ("title", "text"), "title": ("title",), "body": ("text",), "tags": ("text",),
                 "categories": ("text",)}
MAX_EXPANSIONS = 64  # a prefix or a one-syllable word expands to at most this many terms


class Compiler:
    """Compiles against one index reader (for bounded prefix expansion)."""

    def __init__(self, reader: Any, loose: bool = False) -> None:
        self.reader = reader
        self.loose = loose

    def compile(self, node: Node) -> wq.Query:
        if isinstance(node, Word):
            return self._fields(node.field, lambda f: self.word(f, node))
        if isinstance(node, Phrase):
            return self._fields(node.field, lambda f: self.phrase(f, node.text))
        if isinstance(node, Facet):
            return wq.Term(node.field, node.value)
        if isinstance(node, DateRange):
            return wq.NumericRange("day", node.low, node.high)
        if isinstance(node, Not):
            return wq.Not(self.compile(node.child))
        if isinstance(node, Or):
            return wq.Or([self.compile(c) for c in node.children])
        assert isinstance(node, And)
        return self._and(node)

    def _and(self, node: And) -> wq.Query:
        compiled = [(c, self.compile(c)) for c in node.children if not isinstance(c, Not)]
        negatives = [self.compile(c.child) for c in node.children if isinstance(c, Not)]
        positives = [q for _, q in compiled]
        if self.loose:
            # The fallback keeps the filters (tag:, date:) but lets any word match.
            texts = [q for c, q in compiled if isinstance(c, Word | Phrase)]
            positives = ([wq.Or(texts)] if texts else []) + [q for c, q in compiled if not isinstance(c, Word | Phrase)]
        required: wq.Query = (wq.And(positives) if len(positives) > 1 else positives[0]) if positives else wq.Every()
        if negatives:
            return wq.AndNot(required, wq.Or(negatives))
        return required

    def _fields(self, field: str | None, build: Any) -> wq.Query:
        names = _INDEX_FIELDS[field]
        queries = []
        for name in names:
            q = build(name)
            if q is not None:
                queries.append(q.with_boost(q.boost * FIELD_BOOSTS[name]) if hasattr(q, "with_boost") else q)
        if not queries:
            return wq.NullQuery
        return queries[0] if len(queries) == 1 else wq.Or(queries)

    # --- one word in one field ----------------------------------------------------

    def word(self, field: str, word: Word) -> wq.Query | None:
        if word.prefix:
            return self._prefix(field, word.text.lower())
        parsed = shape(word.text)
        if parsed is None:
            return None
        if self.loose:
            return self._loose(field, parsed.pieces)
        parts = [self._piece(field, piece) for piece in parsed.pieces]
        main = parts[0] if len(parts) == 1 else wq.And(parts)
        stems = [self._piece(field, stem) for stem in parsed.stems]
        return wq.Or([main, *stems]) if stems else main

    def _piece(self, field: str, piece: str, boost: float = 1.0) -> wq.Query:
        if is_hangul(piece):
            return self._hangul(field, piece, boost)
        return wq.Term(field, piece, boost=boost)

    def _hangul(self, field: str, run: str, boost: float = 1.0) -> wq.Query:
        if len(run) == 1:
            return self._syllable(field, run, boost)
        if len(run) == 2:
            # Only where it does not straddle a space: no `~` alternative.
            return wq.Term(field, run, boost=boost)
        # Three or more syllables: every bigram, each maybe written across a
        # space (`~어처` in `자연어 처리`). Order is checked on the text later.
        steps = [self._gram(field, g) for g in bigrams(run)]
        return wq.And(steps, boost=boost)

    def _gram(self, field: str, gram: str) -> wq.Query:
        """The bigram, or its cross-space form, or both: only what the index has."""
        plain, cross = wq.Term(field, gram), wq.Term(field, MARK_CROSS + gram)
        if not self._has(field, MARK_CROSS + gram):
            return plain
        if not self._has(field, gram):
            return cross
        return wq.Or([plain, cross])

    def _has(self, field: str, term: str) -> bool:
        try:
            return self.reader.doc_frequency(field, term) > 0
        except (KeyError, TypeError):
            return False

    def _syllable(self, field: str, syllable: str, boost: float) -> wq.Query:
        terms = [wq.Term(field, syllable)]
        for term in self._expand(field, syllable):
            if len(terms) > MAX_EXPANSIONS:
                break
            if term != syllable:
                terms.append(wq.Term(field, term))
        return wq.Or(terms, boost=boost)

    def _prefix(self, field: str, prefix: str) -> wq.Query | None:
        terms = [wq.Term(field, t) for t in self._expand(field, prefix)][:MAX_EXPANSIONS]
        return wq.Or(terms) if terms else None

    def _expand(self, field: str, prefix: str) -> list[str]:
        out = []
        try:
            for term in self.reader.expand_prefix(field, prefix):
                out.append(term.decode("utf-8") if isinstance(term, bytes) else term)
                if len(out) >= MAX_EXPANSIONS:
                    break
        except KeyError:
            return []
        return out

    def phrase(self, field: str, text: str) -> wq.Query | None:
        """A quoted phrase: every term, spaces where the phrase has them.

        The index has no positions; the order is checked on the text of the
        hits (see reader.core.verify)."""
        steps: list[wq.Query] = []
        for index, chunk in enumerate(text.split()):
            for piece_index, piece in enumerate(split_word(chunk)):
                if is_hangul(piece):
                    if index > 0 and piece_index == 0 and steps and isinstance(steps[-1], wq.Term) \
                            and is_hangul(steps[-1].text[-1:]):
                        steps.append(wq.Term(field, MARK_CROSS + steps[-1].text[-1] + piece[0]))
                    steps.extend(wq.Term(field, g) for g in bigrams(piece))
                else:
                    steps.append(wq.Term(field, piece))
        if not steps:
            return None
        return steps[0] if len(steps) == 1 else wq.And(steps)

    # --- the approximate fallback ---------------------------------------------------

    def _near(self, field: str, word: str) -> list[str]:
        """Indexed words one typo away: a wrong, missing, extra or swapped letter.

        Whoosh's Levenshtein counts a swap (pyhton) as two edits, and two
        edits let in far too much; so expand at two and keep what is one
        edit away counting a swap as one (two for words of eight letters or more).
        """
        limit = 2 if len(word) >= 8 else 1
        try:
            candidates = self.reader.terms_within(field, word, 2, prefix=1)
        except KeyError:
            return []
        near = [t for t in candidates if t != word and _typo_distance(word, t) <= limit]
        return near[:MAX_EXPANSIONS]

    def _loose(self, field: str, pieces: tuple[str, ...]) -> wq.Query | None:
        queries: list[wq.Query] = []
        for piece in pieces:
            if is_hangul(piece):
                for gram in bigrams(piece):
                    queries.append(wq.Term(field, gram))
                    if len(gram) == 2:
                        queries.append(wq.Term(field, MARK_CROSS + gram, boost=0.5))
            elif len(piece) >= 4 and piece.isalpha():
                queries.extend(wq.Term(field, t) for t in self._near(field, piece))
            else:
                queries.append(wq.Term(field, piece))
        return wq.Or(queries) if queries else None


def _typo_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: Levenshtein with adjacent swaps as one edit."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]

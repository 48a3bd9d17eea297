"""Words the index holds: did-you-mean spellings and 초성 words, from its own vocabulary.

Korean: the index holds syllable bigrams, so the spellings tried for a typo
are the word with one jamo changed in one syllable (an initial, a vowel or a
final consonant: `머신러닌` -> `머신러닝`), one syllable dropped, or two
neighbouring syllables swapped; a spelling is a candidate when every one of
its bigrams is in the index. A 초성 word (`ㅁㅅㄹㄴ`) is resolved by chaining
the indexed bigrams whose syllables fit each pair of its letters. Latin:
words one typo away in the index's own vocabulary (a swap counts as one
edit; two for words of eight letters or more).

Candidates are ranked by how many posts could hold them (the rarest bigram's
count); the searcher then keeps only those the posts really contain. Nothing
is suggested from outside the blog.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reader.search import hangul
from reader.search.analysis import MARK_CROSS, bigrams, is_hangul, trigrams

MAX_VARIANTS = 2000
TRIGRAMS = "tri"  # every post's trigrams (reader.search.schema): a long word's tighter bound
MIN_SYLLABLES = 2
MIN_LATIN = 4  # shorter Latin words have too many neighbours to guess from
BEAM = 200  # partial 초성 words kept at each step
MAX_PAIR_TERMS = 20_000  # terms read for one pair of 초성 letters


def hangul_variants(word: str) -> Iterator[str]:
    """Spellings one jamo, one dropped syllable or one swap away from `word`."""
    for index, syllable in enumerate(word):
        parts = hangul.split(syllable)
        if parts is None:
            continue
        initial, medial, final = parts
        head, tail = word[:index], word[index + 1 :]
        for other in range(hangul.INITIALS):
            if other != initial:
                yield head + hangul.join(other, medial, final) + tail
        for other in range(hangul.MEDIALS):
            if other != medial:
                yield head + hangul.join(initial, other, final) + tail
        for other in range(hangul.FINALS):
            if other != final:
                yield head + hangul.join(initial, medial, other) + tail
    if len(word) > MIN_SYLLABLES:
        for index in range(len(word)):
            yield word[:index] + word[index + 1 :]
    for index in range(len(word) - 1):
        yield word[:index] + word[index + 1] + word[index] + word[index + 2 :]


def _text(term: Any) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else str(term)


class Vocabulary:
    """What one index reader's term dictionary holds, with close spellings."""

    def __init__(self, reader: Any, field: str = "text") -> None:
        self.reader = reader
        self.field = field
        self._df: dict[tuple[str, str], int] = {}
        self._pair_counts: dict[tuple[str, str], dict[str, int]] = {}

    def df(self, term: str, field: str | None = None) -> int:
        key = (field or self.field, term)
        found = self._df.get(key)
        if found is None:
            try:
                found = int(self.reader.doc_frequency(*key))
            except (KeyError, TypeError):
                found = 0
            self._df[key] = found
        return found

    def frequency(self, piece: str) -> int:
        """How many posts could hold `piece`: for Hangul its rarest bigram's count
        (written plain or across a space) or, from three syllables, its rarest trigram's
        (any field's: a bound for this one too); for a Latin word its own."""
        if not is_hangul(piece):
            return self.df(piece.lower())
        if len(piece) < 2:
            return self.df(piece)
        # One term in no post (a bigram in neither form, a trigram) tells a respelling is none,
        # and most are. Those looked up already first: a respelling keeps most of the typed
        # word's terms (see suggest), and one of them in no post rules out every variant
        # keeping it. Then the rest, a trigram first (one lookup: most variants fail on one),
        # a bigram's cross-space form only while its plain one is in no post; all of them
        # only for a respelling that some post may hold, to count it.
        field, known = self.field, self._df.get
        grams = [(g, MARK_CROSS + g) for g in bigrams(piece)]
        for plain, cross in grams:
            if known((field, plain)) == 0 and known((field, cross)) == 0:
                return 0
        # A respelling whose syllables stand in no post in this order is no suggestion,
        # and counting it would read every long post holding its bigrams.
        threes = sorted(trigrams(piece)) if len(piece) >= 3 else []
        for three in threes:
            if known((TRIGRAMS, three)) == 0:
                return 0
        for three in threes:
            if not self.df(three, TRIGRAMS):
                return 0
        for plain, cross in grams:
            if not self.df(plain) and not self.df(cross):
                return 0
        counts = [self.df(three, TRIGRAMS) for three in threes]
        return min(counts + [self.df(plain) + self.df(cross) for plain, cross in grams])

    def known(self, piece: str) -> bool:
        return self.frequency(piece) > 0

    # --- did you mean ----------------------------------------------------------------------

    def suggest(self, piece: str, limit: int = 5) -> list[str]:
        """Up to `limit` spellings the index holds, most frequent first; [] when none is close."""
        if is_hangul(piece):
            if len(piece) < MIN_SYLLABLES:
                return []
            # The typed word's own terms first: each one in no post rules out the variants
            # keeping it, with no lookup. `reader search 서버운영` at 10k posts (five segments):
            # 351 lookups in Whoosh's term hash for its 267 variants, ~23 ms; 140 so, ~11 ms.
            for gram in bigrams(piece):
                if not self.df(gram):
                    self.df(MARK_CROSS + gram)
            for three in trigrams(piece) if len(piece) >= 3 else ():
                self.df(three, TRIGRAMS)
            scored: dict[str, int] = {}
            for count, variant in enumerate(hangul_variants(piece)):
                if count >= MAX_VARIANTS:
                    break
                if variant != piece and variant not in scored:
                    frequency = self.frequency(variant)
                    if frequency:
                        scored[variant] = frequency
            # A changed letter before a dropped syllable: `머신러` holds every `머신러닝`.
            return sorted(scored, key=lambda w: (len(w) != len(piece), -scored[w], w))[:limit]
        from reader.search.plan import typo_distance

        lowered = piece.lower()
        if len(lowered) < MIN_LATIN or not lowered.isalpha():
            return []
        allowed = 2 if len(lowered) >= 8 else 1
        try:
            candidates = self.reader.terms_within(self.field, lowered, 2, prefix=1)
        except KeyError:
            return []
        close = {}
        for term in candidates:
            text = _text(term)
            if (
                text != lowered
                and len(text) >= MIN_LATIN
                and text.isalpha()
                and typo_distance(lowered, text) <= allowed
            ):
                close[text] = self.df(text)
        return _best(close, limit)

    # --- 초성 --------------------------------------------------------------------------------

    def initials(self, word: str, limit: int = 10) -> list[str]:
        """Words the index could hold that `word`'s letters stand for (`ㅁㅅㄹㄴ` -> 머신러닝), likeliest first."""
        slots = list(word)
        if len(slots) < hangul.MIN_INITIALS:
            return []
        paths: dict[str, int] = dict(self._pairs(slots[0], slots[1]))
        for index in range(1, len(slots) - 1):
            by_first: dict[str, list[tuple[str, int]]] = {}
            for gram, count in self._pairs(slots[index], slots[index + 1]).items():
                by_first.setdefault(gram[0], []).append((gram[1], count))
            grown: dict[str, int] = {}
            for path, score in paths.items():
                for second, count in by_first.get(path[-1], ()):
                    grown[path + second] = min(score, count)
            paths = dict(sorted(grown.items(), key=lambda item: -item[1])[:BEAM])
            if not paths:
                return []
        return _best(paths, limit)

    def _pairs(self, first: str, second: str) -> dict[str, int]:
        """Indexed bigrams (plain or across a space) whose syllables fit two slots, with their counts.

        Kept for the searcher's life: a pair of common initials walks ~10k terms (~0.1 s),
        and the same letters are typed again as a 초성 query is narrowed or repeated."""
        known = self._pair_counts.get((first, second))
        if known is not None:
            return known
        found = self._pair_counts[(first, second)] = self._count_pairs(first, second)
        return found

    def _count_pairs(self, first: str, second: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for mark in ("", MARK_CROSS):
            for gram in self._grams_from(mark, first):
                if len(gram) == 2 and hangul.fits(gram[1], second):
                    found[gram] = found.get(gram, 0) + self.df(mark + gram)
        return found

    def _grams_from(self, mark: str, slot: str) -> Iterator[str]:
        """Terms (without `mark`) whose first syllable fits `slot`."""
        if not hangul.is_consonant(slot):
            try:
                for term in self.reader.expand_prefix(self.field, mark + slot):
                    yield _text(term)[len(mark) :]
            except KeyError:
                return
            return
        low, high = hangul.consonant_range(slot)
        try:
            terms = self.reader.terms_from(self.field, mark + low)
        except KeyError:
            return
        for count, (fieldname, term) in enumerate(terms):
            text = _text(term)
            if fieldname != self.field or count >= MAX_PAIR_TERMS or not text.startswith(mark):
                return
            text = text[len(mark) :]
            if not text or text[0] > high:
                return
            yield text


def _best(scored: dict[str, int], limit: int) -> list[str]:
    return [w for w, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0]))[:limit]]

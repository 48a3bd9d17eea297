"""Hangul by its letters: syllables split into jamo, and 초성 (initial-consonant) words.

Pure functions, no index: the search, the palette and the list filter share them.
A 초성 word is typed with compatibility consonants (`ㅁㅅㄹㄴ`), maybe mixed with
whole syllables (`ㅁㅅ러닝`); each consonant stands for any syllable it begins.
"""

from __future__ import annotations

import re
import unicodedata

BASE, INITIALS, MEDIALS, FINALS = 0xAC00, 19, 21, 28
LAST = BASE + INITIALS * MEDIALS * FINALS - 1
# The 19 initial consonants as typed on a keyboard (compatibility jamo), in syllable order.
CONSONANTS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CONSONANT_INDEX = {c: i for i, c in enumerate(CONSONANTS)}
MIN_INITIALS = 2  # one consonant alone stands for a fifth of all words: never resolved


def split(syllable: str) -> tuple[int, int, int] | None:
    """(initial, medial, final) indices of a Hangul syllable; None for anything else."""
    code = ord(syllable) - BASE
    if not 0 <= code < INITIALS * MEDIALS * FINALS:
        return None
    return code // (MEDIALS * FINALS), (code // FINALS) % MEDIALS, code % FINALS


def join(initial: int, medial: int, final: int) -> str:
    return chr(BASE + (initial * MEDIALS + medial) * FINALS + final)


def is_syllable(char: str) -> bool:
    return BASE <= ord(char) <= LAST


def is_consonant(char: str) -> bool:
    return char in _CONSONANT_INDEX


def consonant_range(char: str) -> tuple[str, str]:
    """The first and last syllable that begin with the consonant `char`."""
    first = BASE + _CONSONANT_INDEX[char] * MEDIALS * FINALS
    return chr(first), chr(first + MEDIALS * FINALS - 1)


def initial_of(char: str) -> str | None:
    """The consonant a syllable begins with (`머` -> `ㅁ`); None for a non-syllable."""
    parts = split(char)
    return CONSONANTS[parts[0]] if parts else None


def is_initials(word: str) -> bool:
    """`ㅁㅅㄹㄴ`, `ㅁㅅ러닝`: only syllables and consonants, at least one consonant, two or more letters."""
    word = unicodedata.normalize("NFC", word)
    return (
        len(word) >= MIN_INITIALS
        and any(is_consonant(c) for c in word)
        and all(is_consonant(c) or is_syllable(c) for c in word)
    )


def fits(char: str, slot: str) -> bool:
    """Whether the syllable `char` fits `slot`: the same syllable, or one beginning with the consonant."""
    if is_consonant(slot):
        return initial_of(char) == slot
    return char == slot


def slot_pattern(slot: str) -> str:
    if is_consonant(slot):
        low, high = consonant_range(slot)
        return f"[{low}-{high}]"
    return re.escape(slot)


def initials_pattern(word: str, spaces: bool = True) -> str:
    """A regex for the syllables `word` stands for; a space may fall between two of them."""
    word = unicodedata.normalize("NFC", word)
    between = r"[^\S\n]?" if spaces else ""
    return between.join(slot_pattern(c) for c in word)


def initials_regex(query: str) -> re.Pattern[str] | None:
    """Every 초성 word of a query, as one alternation (for the palette and the list); None if none."""
    words = [w for w in query.split() if is_initials(w)]
    if not words:
        return None
    return re.compile("|".join(f"(?:{initials_pattern(w)})" for w in words))

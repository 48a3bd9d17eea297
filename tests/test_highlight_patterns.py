"""The query patterns open with their first character's class (fast to search for) and match
exactly what the same patterns written the plain way match under IGNORECASE."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.highlight import _GAP, Matcher, Proximity, _cases, word_alternatives
from reader.search.plan import make_plan
from reader.search.query import Phrase, Word, parse
from reader.search.scan import _matcher as scan_matcher
from reader.search.scan import _whole

QUERIES = [
    "hugo",
    "HuGo",
    "kotlin",  # K also matches the Kelvin sign
    "sass",  # s also matches ſ
    "is",  # i also matches ı and İ
    "x",
    "3d",
    "k8s",
    "c++",
    "C#",
    "GPT모델",
    "scikit-learn",
    "pyth*",
    "머신*",
    "머신러닝",
    "머신러닝을",
    "데이터를",
    "인구",
    "가",
    "자연어처리",
    '"자연어 처리"',
    '"hugo 블로그"',
    '"- hugo"',  # a phrase opening with nothing searchable
    "hugo 머신러닝",
    "머신러닝 hugo jekyll",
    "데이터 kaggle",
    "élan",  # a non-ASCII first letter: matched as written, not split
    "straße",
    "漢字",
    "ひらがな",
]
TRICKY = [
    "hugo",
    "Hugo를",
    "HUGO.",
    "thehugo",
    "hugoblog",
    "hugo123",
    "éhugo",
    "_hugo",
    "\u212aotlin",
    "ſass",
    "ıs",
    "İs",
    "is",
    "머신러닝을",
    "머신 러닝",
    "딥러닝",
    "데이터를",
    "데이터에서",
    "기반인 구조",
    "인구",
    "자연어 처리",
    "자연어처리",
    "GPT 모델",
    "gpt모델",
    "scikit-learn",
    "c++",
    "C#",
    "3d",
    "k8s",
    "élan",
    "Élan",
    "STRASSE",
    "漢字",
    "ひ ら が な",
    "블로그",
    "jekyll",
    "kaggle",
    "python",
    "pythonic",
    " ",
    "\n",
    "- ",
    "x",
]


def plain_way(words: list[Word | Phrase]) -> re.Pattern[str] | None:
    """The words' patterns as they were compiled before: one alternation, IGNORECASE."""
    texts = [a.text for a in word_alternatives(words)]
    return re.compile("|".join(f"(?:{t})" for t in texts), re.IGNORECASE) if texts else None


def spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()] if pattern is not None else []


def test_a_letters_class_holds_every_character_ignorecase_matches_to_it():
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    near_ascii = "".join(sorted(set(re.findall(r"[\x20-\x7e]", every, re.IGNORECASE))))  # ASCII and ı İ K ſ
    for code in range(0x20, 0x7F):
        char = chr(code)
        cases = _cases(char)
        assert cases is not None
        expected = re.findall(re.escape(char), near_ascii, re.IGNORECASE)
        assert re.findall(f"[{cases}]", near_ascii) == expected, char


@pytest.mark.parametrize("query", QUERIES)
def test_the_patterns_open_with_a_class_and_match_as_before(query):
    words = list(make_plan(parse(query)).words)
    pattern = Matcher.for_words(words).pattern
    assert pattern is not None
    if query not in ("élan", '"- hugo"'):
        assert pattern.pattern.startswith("[") and not pattern.flags & re.IGNORECASE  # the search skips to it
    reference = plain_way(words)
    for text in TRICKY:
        for sample in (text, f"앞 {text} 뒤", f"{text}{text}", f"a{text}를"):
            assert spans(pattern, sample) == spans(reference, sample), (query, sample)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(QUERIES),
    st.lists(st.sampled_from([*TRICKY, "a", "Z", "_", "-", "을", "를", "\t", "K", "ſ", "ı"]), max_size=12),
)
def test_any_text_matches_as_before(query, parts):
    text = "".join(parts)
    words = list(make_plan(parse(query)).words)
    assert Matcher.for_words(words).spans(text) == spans(plain_way(words), text)
    proximity = Proximity.for_words(words)
    if proximity is not None:
        each = [plain_way([w]) for w in words]
        together = re.compile(_GAP.join(f"(?:{p.pattern})" for p in each if p is not None), re.IGNORECASE)
        assert spans(proximity.together, text) == spans(together, text)
        for mine, theirs in zip(proximity.words, each, strict=True):
            assert spans(mine, text) == spans(theirs, text)


@pytest.mark.parametrize("query", ["ㅁㅅㄹㄴ", "ㅁㅅ러닝", "머ㅅㄹㄴ", "ㅁㅅ ㄹㄴ", "hugo ㅁㅅ", "머신러닝 ㄹㄴ"])
def test_initial_consonants_open_with_their_syllables_and_match_as_before(query):
    from reader.search import hangul

    node = parse(query)
    matcher = scan_matcher(node)
    assert matcher.pattern is not None and matcher.pattern.pattern.startswith("[")
    initials = [w.text for w in node.children] if hasattr(node, "children") else [node.text]
    words = [Word(w) for w in initials if not hangul.is_initials(w)]
    reference = "|".join(
        [f"(?:{a.text})" for a in word_alternatives(words)]
        + [f"(?:{_whole(w).text})" for w in initials if hangul.is_initials(w)]
    )
    for text in ["머신러닝", "머신 러닝", "딥머신러닝", "마사라나", "먹심렁늑을", "hugo 마소", "러닝머신", "라나", ""]:
        assert matcher.spans(text) == spans(re.compile(reference, re.IGNORECASE), text), (query, text)


def _near_every_way(proximity: Proximity, text: str) -> bool:
    """Near, the plain way: some start of each word, all within NEAR_CHARS of each other."""
    from itertools import product

    from reader.search.highlight import NEAR_CHARS

    starts = [[m.start() for m in pattern.finditer(text)] for pattern in proximity.words]
    return any(max(pick) - min(pick) <= NEAR_CHARS for pick in product(*starts))


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["머신러닝 데이터", "데이터를 hugo", "모두를 위한 딥러닝", "위한 위한", "c++ 데이터", "hugo 위한"]),
    st.lists(
        st.one_of(
            st.sampled_from(["머신러닝", "데이터를", "hugo", "c++", "모두", "위한", "딥러닝", " ", "\n", "을"]),
            st.integers(50, 62).map(".".__mul__),  # fillers putting words about NEAR_CHARS apart
        ),
        max_size=14,
    ),
)
def test_words_are_near_exactly_when_some_of_their_starts_are_within_reach(query, parts):
    proximity = Proximity.for_words(make_plan(parse(query)).words)
    assert proximity is not None
    text = "".join(parts)
    assert proximity._near(text) == _near_every_way(proximity, text), (query, text)


@pytest.mark.parametrize("apart", [58, 59, 60, 61, 62])
@pytest.mark.parametrize("order", [("hugo", "위한"), ("위한", "hugo")])
@pytest.mark.parametrize("crowded", ["first", "second"])
def test_two_words_are_near_up_to_near_chars_apart_in_either_order(apart, order, crowded):
    from reader.search.highlight import NEAR_CHARS

    proximity = Proximity.for_words(make_plan(parse("hugo 위한")).words)
    assert proximity is not None
    first, second = order
    pair = f" {first}{'.' * (apart - len(first))}{second} "
    # Many starts of one word, one of the other: before the pair, or after it.
    text = f" {first}" * 5 + pair if crowded == "first" else pair + f" {second}" * 5
    assert proximity.tier(text) == (1 if apart <= NEAR_CHARS else 2)
    assert proximity._near(text) == _near_every_way(proximity, text)

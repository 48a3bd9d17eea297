"""A Korean particle after a value (`{words}이(가)`) is the one its reading takes: after Hangul,
a number read in Korean, a Latin word read as Korean reads English; both ways where unsure."""

from __future__ import annotations

import pytest

from reader.messages_ko import final_consonant, particles
from reader.ui import i18n
from tests.app_fixtures import app_for
from tests.waiting import ready, until

CONSONANT, VOWEL, UNSURE = True, False, None


@pytest.mark.parametrize(
    ("value", "ends"),
    [
        # Hangul: its last syllable
        ("임베딩", CONSONANT),
        ("쿠버네티스", VOWEL),
        ("머신러닝 입문", CONSONANT),
        # digits, read in Korean: 영 일 이 삼 사 오 육 칠 팔 구
        *[(str(d), ends) for d, ends in enumerate([CONSONANT, CONSONANT, VOWEL, CONSONANT, VOWEL, VOWEL])],
        *[(str(d), ends) for d, ends in zip(range(6, 10), [CONSONANT, CONSONANT, CONSONANT, VOWEL], strict=True)],
        ("2024", VOWEL),  # 이천이십사
        ("10", CONSONANT),  # 십
        ("300", CONSONANT),  # 삼백
        ("1,000", CONSONANT),  # 천
        ("20000", CONSONANT),  # 이만
        ("3.14", VOWEL),  # 삼 점 일사
        ("3.10", CONSONANT),  # 삼 점 일영, or 삼 점 십
        ("1000000000000", UNSURE),  # 일조: past 억 the units end either way
        # a number after a Latin word is read in English or in Korean
        ("utf-8", CONSONANT),  # 에잇, 팔
        ("v2", VOWEL),  # 투, 이
        ("MP3", UNSURE),  # 쓰리, 삼
        ("Python 3", UNSURE),
        ("cp949", UNSURE),
        # Latin words as Korean reads English
        ("Python", CONSONANT),  # 파이썬
        ("Jekyll", CONSONANT),  # 지킬
        ("Vim", CONSONANT),
        ("string", CONSONANT),  # -ng: 스트링
        ("Google", CONSONANT),  # -le: 구글
        ("time", CONSONANT),  # -me: 타임
        ("Webpack", CONSONANT),  # -ck: 웹팩
        ("Git", CONSONANT),  # one vowel before t: 깃
        ("app", CONSONANT),  # a doubled letter read once: 앱
        ("music", CONSONANT),  # 뮤직
        ("Hugo", VOWEL),
        ("Django", VOWEL),
        ("server", VOWEL),  # 서버
        ("blog", VOWEL),  # 블로그
        ("code", VOWEL),  # 코드
        ("React", VOWEL),  # a consonant before t: 리액트
        ("script", VOWEL),  # 스크립트
        ("book", UNSURE),  # 북, but root 루트
        ("good", UNSURE),  # 굿, but food 푸드
        # spelt out: an abbreviation, or lowercase letters with no vowel
        ("HTML", CONSONANT),  # 엘
        ("LLM", CONSONANT),  # 엠
        ("GPT", VOWEL),  # 티
        ("macOS", VOWEL),  # 에스
        ("npm", CONSONANT),  # 엠
        ("post.md", VOWEL),  # 엠디
        ("in", CONSONANT),  # 인, 아이엔
        ("ok", UNSURE),  # 오케이, 옥
        # anything else
        ("C++", UNSURE),
        ("C#", UNSURE),
        ("(가)", UNSURE),
        ("", UNSURE),
    ],
)
def test_how_a_values_reading_ends(value, ends):
    assert final_consonant(value) is ends
    chosen = {CONSONANT: "이", VOWEL: "가", UNSURE: "이(가)"}[ends]
    assert particles("{words}이(가) 없습니다", {"words": value}) == "{words}" + chosen + " 없습니다"


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("Python", "Python을 Python은 Python과"),
        ("Hugo", "Hugo를 Hugo는 Hugo와"),
        ("7", "7을 7은 7과"),
        ("9", "9를 9는 9와"),
        ("C++", "C++을(를) C++은(는) C++과(와)"),
    ],
)
def test_every_particle_written_both_ways_is_chosen_alike(value, said):
    template = "{a}을(를) {a}은(는) {a}과(와)"
    assert particles(template, {"a": value}).format(a=value) == said


async def test_the_korean_app_says_a_latin_word_or_a_number_no_post_holds_with_one_particle(tmp_path, write_tree):
    site = write_tree({"_posts/2024-01-01-a.md": "---\ntitle: 첫 글\n---\n블로그를 열었다.\n"})
    (tmp_path / "config.toml").write_text('language = "ko"\n', encoding="utf-8")
    app = app_for(site, tmp_path)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await ready(pilot)
            status = app.main.query_one("#status")
            for query, said in [("Python", "Python이 들어간"), ("Hugo", "Hugo가 들어간"), ("2024", "2024가 들어간")]:
                await pilot.press("slash")
                app.main.search_box.value = ""
                await pilot.press(*query)
                await until(pilot, lambda said=said: said in str(status.render()), f"{said}: one particle")
                await pilot.press("escape")
    finally:
        i18n.set_language("en")

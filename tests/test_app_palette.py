"""The command palette's posts, typed as Korean writers space (or do not space) their compounds."""

from __future__ import annotations

import pytest

from tests.app_fixtures import app_for
from tests.sites import write_blog
from tests.waiting import ready, shown, until

SIZE = (120, 36)
POSTS = {
    "_posts/2025-03-01-logistic.md": "---\ntitle: 로지스틱회귀 정리\ndate: 2025-03-01\n---\n붙여 쓴 제목.\n",
    "_posts/2025-04-01-linear.md": "---\ntitle: 선형 회귀 분석\ndate: 2025-04-01\n---\n띄어 쓴 제목.\n",
    "_posts/2025-05-01-other.md": "---\ntitle: 다른 글\ndate: 2025-05-01\n---\n본문.\n",
}


def first_hit(app) -> tuple[str, str]:
    """The palette's first hit and the letters it marks as matching what was typed."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found or not found.first().option_count:
        return "", ""
    prompt = found.first().get_option_at_index(0).prompt
    text = str(prompt)
    marked = {i for span in getattr(prompt, "spans", []) for i in range(span.start, span.end)}
    return text, "".join(text[i] for i in sorted(marked) if i < len(text))


@pytest.mark.parametrize(
    ("typed", "title", "path"),
    [
        ("로지스틱 회귀", "로지스틱회귀 정리", "_posts/2025-03-01-logistic.md"),  # spaced, written joined
        ("선형회귀", "선형 회귀 분석", "_posts/2025-04-01-linear.md"),  # joined, written spaced
        ("선형 회귀분석", "선형 회귀 분석", "_posts/2025-04-01-linear.md"),
    ],
)
async def test_the_palette_finds_a_title_however_it_is_spaced(tmp_path, typed, title, path):
    app = app_for(write_blog(tmp_path / "site", POSTS), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen is not app.main, "palette open")
        await pilot.press(*typed)
        # Every letter typed is marked in the title (a hit for part of the typing marks fewer).
        letters = "".join(typed.split())
        await until(pilot, lambda: first_hit(app) == (f"open: {title}", letters), f"{title} first, {letters} marked")
        await pilot.press("enter")
        await shown(pilot, path)

"""The search quality harness's queries, as a user sees their results: honest, corrected, with
the match visible in every snippet at the widths a list really has."""

from __future__ import annotations

import random

import pytest

from bench.quality import documents, draw_queries, measure
from reader.library import Library
from reader.ui.snippets import fit
from tests.conftest import CORPORA, KST, ROOT

WIDTHS = (30, 40, 80)


def corpora() -> list:
    return [ROOT / "posts", *(CORPORA / name for name in ("ratsgo", "philm2k") if (CORPORA / name).is_dir())]


@pytest.mark.parametrize("root", corpora(), ids=lambda p: p.name)
def test_every_hit_shows_a_highlighted_query_word_at_30_40_and_80_cells(root, tmp_path):
    library = Library.open(root, KST, index_dir=tmp_path / "index")
    library.sync_index()
    queries = draw_queries(documents(library), random.Random(7), 12)
    checked = 0
    for query in queries:
        for hit in library.search(query.text, limit=10).hits:
            if not hit.highlights:
                # Only where the words are in the title, a tag or a category, not the text.
                post = library.get(hit.path)
                assert hit.title_highlights or hit.tags or post.categories, (query.text, hit.path)
                continue
            for width in WIDTHS:
                for lines in (1, 2):
                    out = fit(hit.snippet, hit.highlights, width, lines)
                    marked = [line.plain[s.start : s.end] for line in out for s in line.spans]
                    assert any(m.strip(" …") for m in marked), (query.text, hit.path, width, [x.plain for x in out])
            checked += 1
    assert checked > 50


def test_the_harness_scores_honesty_and_corrections_on_the_bundled_posts():
    result = measure(ROOT / "posts")
    ours = result["reader"]
    assert ours["absent"]["right"] == 1.0  # nothing unlabelled for a word no post holds
    assert ours["typo"]["right"] >= 0.9 and ours["korean_typo"]["right"] >= 0.9
    assert ours["initials"]["offered"] >= 0.9  # the word meant is among the readings offered
    assert ours["proximity"]["mrr"] > result["baseline"]["proximity"]["mrr"]
    for cls in ("korean_word", "korean_particle", "compound", "spacing", "multi_word", "english", "mixed"):
        assert ours[cls]["recall@10"] >= 0.95, cls

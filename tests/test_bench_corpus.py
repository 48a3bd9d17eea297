"""The benchmark's generated blogs: the growing vocabulary keeps growing, the output is the same for a seed."""

from __future__ import annotations

from itertools import pairwise

from bench.corpus import Writer, distinct_words, generate, growing_posts, vocabulary
from reader.library import Library
from tests.conftest import ROOT

POSTS = ROOT / "posts"


def fixed_posts(count: int, size: int) -> list[str]:
    writer = Writer(20261121, *vocabulary(POSTS))
    return [writer.post(n, count, size) for n in range(count)]


def test_the_growing_vocabulary_keeps_growing_and_the_fixed_one_levels_off():
    at = [100, 200, 400]
    growing = distinct_words(growing_posts(400, POSTS, size=4000), at)
    fixed = distinct_words(iter(fixed_posts(400, 4000)), at)
    # Heaps' law, V(n) = K·n^β: each doubling of the blog multiplies the distinct words by 2^β.
    growing_growth = [b / a for a, b in pairwise(growing)]
    fixed_growth = [b / a for a, b in pairwise(fixed)]
    assert all(g > 1.3 for g in growing_growth), growing  # β > 0.38 and holding
    assert fixed_growth[1] < fixed_growth[0] and fixed_growth[1] < growing_growth[1] - 0.15, fixed  # levelling off
    assert growing[-1] > 1.5 * fixed[-1]


def test_coined_words_recur_like_real_words():
    """A coined word is not a one-off: a post repeats its topic words, the commonest recur across posts."""
    texts = list(growing_posts(200, POSTS, size=4000))
    stems = set(vocabulary(POSTS)[0])
    counts: dict[str, int] = {}
    for text in texts:
        for word in set(text.split()):
            counts[word] = counts.get(word, 0) + 1
    coined = {w: c for w, c in counts.items() if w.isalpha() and not w.isascii() and w not in stems and len(w) >= 2}
    assert len(coined) > 1000
    assert max(coined.values()) >= 20  # a head of the tail shared by many posts


def test_generation_is_the_same_for_a_seed_whichever_the_number_of_processes(tmp_path):
    one = generate(tmp_path / "one", 40, POSTS, vocab="growing", workers=1)
    two = generate(tmp_path / "two", 40, POSTS, vocab="growing", workers=2)
    names = sorted(p.name for p in one.glob("*.md"))
    assert names == sorted(p.name for p in two.glob("*.md")) and len(names) == 40
    assert all((one / n).read_bytes() == (two / n).read_bytes() for n in names)
    library = Library.open(two)
    assert len(library.posts) == 40
    assert all(post.title and post.date for post in library.posts)

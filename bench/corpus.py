"""Generated blogs for benchmarks: Korean-heavy posts built from the bundled posts' vocabulary.

Deterministic for a seed. Sizes follow a log-normal law with a median of
about 9 KB and a tail of long posts (a few of 50-500 KB), like a real blog.
Front matter mixes the Jekyll and Hexo dialects; bodies have headings,
paragraphs with particles glued on, lists, code blocks, tables and links.

Two vocabularies: "fixed" draws every word from the bundled posts (about
900 Korean stems), so a bigger blog only repeats them; "growing" adds an
endless tail of coined words (see `GrowingWriter`), so the number of
distinct words keeps rising with the corpus (Heaps' law), as in a real blog.
"""

from __future__ import annotations

import itertools
import math
import os
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from reader.library import Library

PARTICLES = ["", "", "", "을", "를", "이", "가", "은", "는", "에서", "으로", "와", "의", "도", "에"]
HANGUL = re.compile(r"[\uac00-\ud7a3]{2,}")
LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+#-]{2,}")
SEED_WORDS = (
    "데이터",
    "모델",
    "학습",
    "검색",
    "색인",
    "문서",
    "한국어",
    "자연어",
    "처리",
    "형태소",
    "분석",
    "바이그램",
    "터미널",
    "화면",
    "목록",
    "본문",
    "링크",
    "카테고리",
    "태그",
    "블로그",
    "글쓰기",
    "파이썬",
    "함수",
    "클래스",
    "모듈",
    "테스트",
    "성능",
    "측정",
    "결과",
    "사용자",
    "설정",
    "파일",
    "폴더",
    "머신러닝",
    "딥러닝",
    "신경망",
    "임베딩",
    "벡터",
    "행렬",
    "확률",
    "통계",
    "회귀",
    "분류",
    "군집",
    "추천",
    "시스템",
    "서버",
    "클라이언트",
    "데이터베이스",
    "쿼리",
    "트랜잭션",
    "캐시",
    "네트워크",
    "프로토콜",
    "보안",
    "암호",
    "인증",
    "배포",
    "컨테이너",
    "운영",
    "로그",
    "모니터링",
)
LATIN_SEED = (
    "python",
    "rust",
    "textual",
    "whoosh",
    "sqlite",
    "markdown",
    "jekyll",
    "hexo",
    "hugo",
    "django",
    "flask",
    "numpy",
    "pandas",
    "git",
    "docker",
)


def vocabulary(posts_dir: Path) -> tuple[list[str], list[str]]:
    """Korean stems and Latin words from the bundled posts (our own writing)."""
    library = Library.open(posts_dir)
    korean: Counter[str] = Counter(SEED_WORDS)
    latin: Counter[str] = Counter(LATIN_SEED)
    for post in library.posts:
        text = post.title + "\n" + post.body
        korean.update(w for w in HANGUL.findall(text) if len(w) <= 6)
        latin.update(w.lower() for w in LATIN.findall(text) if len(w) <= 14)
    return [w for w, _ in korean.most_common(3000)], [w for w, _ in latin.most_common(800)]


class Writer:
    def __init__(self, seed: int, korean: list[str], latin: list[str]) -> None:
        self.rng = random.Random(seed)
        self.korean = korean
        self.latin = latin
        # Zipf-like weights: common words are common.
        self.k_cum = list(itertools.accumulate(1 / (i + 1) ** 0.9 for i in range(len(korean))))
        self.l_cum = list(itertools.accumulate(1 / (i + 1) ** 0.9 for i in range(len(latin))))
        self.categories = [self.word() for _ in range(12)]
        self.tags = [self.word() if i % 3 else self.rng.choice(latin) for i in range(60)]

    def word(self) -> str:
        return self.rng.choices(self.korean, cum_weights=self.k_cum)[0]

    def latin_word(self) -> str:
        return self.rng.choices(self.latin, cum_weights=self.l_cum)[0]

    def sentence(self) -> str:
        words = []
        for _ in range(self.rng.randint(5, 14)):
            if self.rng.random() < 0.12:
                words.append(self.latin_word() + self.rng.choice(PARTICLES))
            else:
                words.append(self.word() + self.rng.choice(PARTICLES))
        return " ".join(words) + self.rng.choice([".", ".", ".", "?", "!"])

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def body(self, target: int, n: int, total: int) -> str:
        parts: list[str] = []
        size = 0
        section = 0
        while size < target:
            roll = self.rng.random()
            if roll < 0.12:
                section += 1
                part = f"## {section}. {self.word()} {self.word()}"
            elif roll < 0.18:
                part = "\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(2, 5)))
            elif roll < 0.22:
                part = (
                    "```python\n"
                    + "\n".join(f"def {self.rng.choice(self.latin)}_{i}(x):\n    return x * {i}" for i in range(3))
                    + "\n```"
                )
            elif roll < 0.24:
                part = "| 항목 | 값 |\n|---|---|\n" + "\n".join(
                    f"| {self.word()} | {self.rng.randint(1, 999)} |" for _ in range(4)
                )
            elif roll < 0.28:
                other = self.rng.randrange(total)
                part = (
                    f"{self.sentence()} [{self.word()}](post-{other:05d}.md) 그리고 "
                    f"[문서](https://example.org/{self.rng.choice(self.latin)}) 참고."
                )
            else:
                part = self.paragraph()
            parts.append(part)
            size += len(part.encode()) + 2
        return "\n\n".join(parts) + "\n"

    def post(self, n: int, total: int, size: int) -> str:
        year = 2015 + n % 10
        date = f"{year}-{1 + n % 12:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}:00"
        title = f"{self.word()} {self.word()} {self.rng.choice(self.latin) if n % 4 == 0 else self.word()}"
        tags = sorted(set(self.rng.sample(self.tags, self.rng.randint(1, 4))))
        cats = self.rng.sample(self.categories, self.rng.randint(1, 2))
        if n % 5 == 0:  # Hexo dialect
            head = (
                f"---\ntitle: {title}\ndate: {date.replace('-', '.', 2)}\ncategories:\n"
                + "".join(f"- {c}\n" for c in cats)
                + "tags:\n"
                + "".join(f"- {t}\n" for t in tags)
                + "---\n"
            )
        else:
            head = (
                f'---\nlayout: post\ntitle: "{title}"\ndate: {date} +0900\n'
                f"categories: [{', '.join(cats)}]\ntags: [{', '.join(tags)}]\n---\n"
            )
        return head + "\n" + self.body(size, n, total)


# Heaps' law for the growing vocabulary: a share of the word draws comes from an endless
# list of coined words whose ranks follow Zipf's law with exponent ALPHA (> 1); n draws
# then meet about n^(1/ALPHA) distinct coined words, so β = 1/ALPHA ≈ 0.56.
TAIL_SHARE = 0.14  # Korean word draws taken from the coined tail (the rest: the bundled stems, Zipf 0.9)
LATIN_TAIL_SHARE = 0.3  # Latin word draws that are coined identifiers
TOPIC_SHARE = 0.4  # tail draws that repeat one of the post's own topic words (a post names its new thing often)
ALPHA = 1.8
TAIL_SCALE = 400.0  # the tail's head: how many coined words are about as common as the rarest stems


class GrowingWriter(Writer):
    """A writer whose vocabulary never runs out: new words, compounds and identifiers keep coming.

    Every post has its own random stream (seeded by the post's number), so posts can be
    written by several processes in any order and still come out the same.
    """

    def __init__(self, seed: int, korean: list[str], latin: list[str]) -> None:
        self.seed = seed
        self.coin = Coiner(korean, latin)
        self.topics: list[str] = []
        super().__init__(seed, korean, latin)  # its categories and tags: some coined words too

    def start(self, n: int) -> int:
        """Reseed for post `n`; returns the post's size in bytes."""
        self.rng = random.Random(self.seed * 1_000_003 + n)
        self.topics = [self.coined() for _ in range(self.rng.randint(2, 6))]
        return post_size(self.rng)

    def coined(self) -> str:
        # Pareto by inversion: P(rank ≥ r) = (r / TAIL_SCALE) ** -(ALPHA - 1)
        return self.coin.word(int(TAIL_SCALE * (1.0 - self.rng.random()) ** (-1 / (ALPHA - 1))))

    def word(self) -> str:
        return self.tail_word() if self.rng.random() < TAIL_SHARE else super().word()

    def tail_word(self) -> str:
        return self.rng.choice(self.topics) if self.topics and self.rng.random() < TOPIC_SHARE else self.coined()

    def sentence(self) -> str:
        # The base class's sentence with its draws batched (the growing corpus is the big one).
        rng = self.rng
        count = rng.randint(5, 14)
        stems = rng.choices(self.korean, cum_weights=self.k_cum, k=count)
        particles = rng.choices(PARTICLES, k=count)
        words = []
        for stem, particle in zip(stems, particles, strict=True):
            roll = rng.random()
            if roll < 0.12:
                stem = self.latin_word()
            elif roll < 0.12 + 0.88 * TAIL_SHARE:
                stem = self.tail_word()
            words.append(stem + particle)
        return " ".join(words) + rng.choice(".....?!")

    def latin_word(self) -> str:
        if self.rng.random() < LATIN_TAIL_SHARE:
            word = self.coined()
            if word.isascii():
                return word
        return super().latin_word()


class Coiner:
    """Rank → coined word, one word per rank: Korean words, compounds of stems, identifiers."""

    def __init__(self, korean: list[str], latin: list[str]) -> None:
        counts = Counter(ch for w in korean for ch in w)
        self.syllables = [ch for ch, _ in counts.most_common(256)]
        self.stems = korean[:400]
        self.parts = [w for w in latin if w.isalpha()][:200]
        self.word: Callable[[int], str] = lru_cache(maxsize=100_000)(self.coin)  # the head ranks recur

    def coin(self, rank: int) -> str:
        kind = (rank * 0x9E3779B1) >> 7 & 15  # a scrambled digit of the rank: which kind of word
        if kind < 10:
            return self.korean(rank)
        if kind < 13:  # a compound: stem + stem, then stem + invented word
            head, rest = divmod(rank, len(self.stems))
            return self.stems[rest] + (self.stems[head] if head < len(self.stems) else self.korean(head))
        head, rest = divmod(rank, len(self.parts))  # an identifier: snake_case or camelCase
        tail = self.parts[head % len(self.parts)] + (str(head // len(self.parts)) if head >= len(self.parts) else "")
        return f"{self.parts[rest]}_{tail}" if kind < 15 else self.parts[rest] + tail.capitalize()

    def korean(self, rank: int) -> str:
        """An invented Korean word of two syllables or more (bijective base-256 digits of the rank)."""
        base = len(self.syllables)
        return "".join(self.syllables[d] for d in digits(rank + base + 1, base))


def digits(number: int, base: int) -> list[int]:
    """`number` (≥ 1) in bijective base-`base` numeration: distinct numbers, distinct digit lists."""
    out = []
    while number > 0:
        number, d = divmod(number - 1, base)
        out.append(d)
    return out[::-1]


def post_size(rng: random.Random) -> int:
    """Log-normal around 9 KB; about 1% long posts (50-500 KB)."""
    if rng.random() < 0.01:
        return rng.randint(50_000, 500_000)
    return int(min(45_000, max(800, rng.lognormvariate(math.log(9000), 0.7))))


def sizes(count: int, rng: random.Random) -> list[int]:
    return [post_size(rng) for _ in range(count)]


def generate(
    target: Path,
    count: int,
    posts_dir: Path,
    seed: int = 20261121,
    vocab: str = "fixed",
    workers: int | None = None,
) -> Path:
    """Write `count` posts under `target` (a fresh folder), streaming; returns it.

    "fixed" writes in one process (its one random stream keeps the cached corpora
    comparable); "growing" splits the posts among `workers` processes (default: every CPU).
    """
    korean, latin = vocabulary(posts_dir)
    target.mkdir(parents=True, exist_ok=True)
    if vocab == "fixed":
        writer = Writer(seed, korean, latin)
        for n, size in enumerate(sizes(count, random.Random(seed))):
            (target / f"post-{n:05d}.md").write_text(writer.post(n, count, size), encoding="utf-8")
        return target
    if vocab != "growing":
        raise ValueError(f"vocabulary {vocab!r}: fixed or growing")
    chunks = [range(start, min(count, start + 250)) for start in range(0, count, 250)]
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        _init_growing(seed, korean, latin)
        for chunk in chunks:
            _write_growing(target, chunk, count)
        return target
    with ProcessPoolExecutor(workers, initializer=_init_growing, initargs=(seed, korean, latin)) as pool:
        for _ in pool.map(_write_growing, itertools.repeat(target), chunks, itertools.repeat(count)):
            pass
    return target


_growing: GrowingWriter | None = None  # each worker process's writer


def _init_growing(seed: int, korean: list[str], latin: list[str]) -> None:
    global _growing
    _growing = GrowingWriter(seed, korean, latin)


def _write_growing(target: Path, numbers: range, total: int) -> int:
    assert _growing is not None
    written = 0
    for n in numbers:
        text = _growing.post(n, total, _growing.start(n))
        written += (target / f"post-{n:05d}.md").write_text(text, encoding="utf-8")
    return written


def growing_posts(count: int, posts_dir: Path, seed: int = 20261121, size: int | None = None) -> Iterator[str]:
    """The growing corpus's posts one by one, in memory (for tests and vocabulary counts)."""
    writer = GrowingWriter(seed, *vocabulary(posts_dir))
    for n in range(count):
        natural = writer.start(n)
        yield writer.post(n, count, size or natural)


def distinct_words(texts: Iterator[str] | list[str], at: list[int]) -> list[int]:
    """How many distinct Korean and Latin words the first `at[i]` texts hold (a Heaps curve)."""
    seen: set[str] = set()
    out = []
    for i, text in enumerate(texts, 1):
        seen.update(HANGUL.findall(text))
        seen.update(LATIN.findall(text))
        if i in at:
            out.append(len(seen))
    return out


def write_sized_post(path: Path, size: int, posts_dir: Path, seed: int = 7) -> Path:
    korean, latin = vocabulary(posts_dir)
    path.write_text(Writer(seed, korean, latin).post(1, 1, size), encoding="utf-8")
    return path

"""Generated blogs for benchmarks: Korean-heavy posts built from the bundled posts' vocabulary.

Deterministic for a seed. Sizes follow a log-normal law with a median of
about 9 KB and a tail of long posts (a few of 50-500 KB), like a real blog.
Front matter mixes the Jekyll and Hexo dialects; bodies have headings,
paragraphs with particles glued on, lists, code blocks, tables and links.
"""

from __future__ import annotations

import itertools
import math
import random
import re
from collections import Counter
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

    def sentence(self) -> str:
        words = []
        for _ in range(self.rng.randint(5, 14)):
            if self.rng.random() < 0.12:
                words.append(self.rng.choices(self.latin, cum_weights=self.l_cum)[0] + self.rng.choice(PARTICLES))
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


def sizes(count: int, rng: random.Random) -> list[int]:
    """Log-normal around 9 KB; about 1% long posts (50-500 KB)."""
    out = []
    for _ in range(count):
        if rng.random() < 0.01:
            out.append(rng.randint(50_000, 500_000))
        else:
            out.append(int(min(45_000, max(800, rng.lognormvariate(math.log(9000), 0.7)))))
    return out


def generate(target: Path, count: int, posts_dir: Path, seed: int = 20261121) -> Path:
    """Write `count` posts under `target` (a fresh folder); returns it."""
    korean, latin = vocabulary(posts_dir)
    writer = Writer(seed, korean, latin)
    target.mkdir(parents=True, exist_ok=True)
    for n, size in enumerate(sizes(count, random.Random(seed))):
        (target / f"post-{n:05d}.md").write_text(writer.post(n, count, size), encoding="utf-8")
    return target


def write_sized_post(path: Path, size: int, posts_dir: Path, seed: int = 7) -> Path:
    korean, latin = vocabulary(posts_dir)
    path.write_text(Writer(seed, korean, latin).post(1, 1, size), encoding="utf-8")
    return path

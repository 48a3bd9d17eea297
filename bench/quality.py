"""Search quality: recall@10, precision@10 and MRR per query class, against a baseline.

Queries are drawn from the corpus itself at run time with a fixed seed, so
no corpus text is stored in the repository, and relevance is computed from
the text with rules anyone can check:

- a Korean word of three or more syllables is relevant where it occurs in
  the text with white space removed (자연어처리 in `자연어 처리`);
- a two-syllable word only where it occurs as written (인구, not `기반인 구조`);
- a query word with a particle (데이터를) by its stem (데이터);
- an English word where it occurs as a whole word, case-insensitively;
- a multi-word query where every word is relevant (the product ANDs words);
  a compound written with a space (`자연 어처리`) is such a query too;
- a typo where the word it misspells is relevant.

Classes beyond ranking (the search must be honest, not only good):

- `absent`: words no post holds (real words' syllables shuffled, and tech
  words the blog never uses). Right when nothing unlabelled is shown: no
  hits, or hits marked `approximate` for a spelling the blog does use.
- `typo` (Latin, two letters swapped) and `korean_typo` (one jamo of one
  syllable changed: 머신러닝 -> 머신러닌): also scored on whether the
  correction offered is the word that was misspelt (`corrected`).
- `initials`: a title word typed as its 초성 (ㅁㅅㄹㄴ); right when the word
  read is the title word (another word with the same letters is a miss).
- `proximity`: two words that stand together in some posts and apart in
  others (`A B`); relevant are the posts where they stand together (only
  particles and spaces between), so ranking them first is what counts.

The baseline is Whoosh's StandardAnalyzer with an AND query parser over the
same fields.

    python -m bench.quality [--corpus DIR ...] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.library import Library
from reader.search import hangul
from reader.search.analysis import PARTICLES, strip_particle
from reader.search.markup import searchable

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
LATIN_WORD = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{4,}(?![0-9A-Za-z])")
CLASSES = (
    "korean_word",
    "korean_particle",
    "compound",
    "spacing",
    "multi_word",
    "english",
    "mixed",
    "typo",
    "korean_typo",
    "initials",
    "proximity",
    "absent",
)
RANKED = CLASSES[:-1]  # `absent` has nothing relevant: it is scored on honesty only
# Topics a Korean tech blog may or may not have: kept only when no post of the corpus holds them.
ABSENT_WORDS = (
    "쿠버네티스",
    "블록체인",
    "스마트계약",
    "메타버스",
    "양자컴퓨터",
    "자율주행차",
    "kubernetes",
    "blockchain",
)


@dataclass
class Doc:
    path: str
    text: str  # NFC, lowercased
    squeezed: str  # white space removed


@dataclass(frozen=True)
class Query:
    cls: str
    text: str
    relevant: frozenset[str]
    meant: str | None = None  # the word a typo or 초성 stands for: the right correction


@dataclass(frozen=True)
class Outcome:
    paths: list[str]
    corrected: str | None = None
    approximate: bool = False
    suggestions: tuple[str, ...] = ()


def documents(library: Library) -> list[Doc]:
    """Each post's words as the truth reads them: its body as search reads it, an HTML tag's
    markup no word of it (`<table>` is not the word `table` to a reader of the post)."""
    out = []
    for post in library.posts:
        parts = [post.title, searchable(post.body), " ".join(post.tags), " ".join(post.category_names)]
        text = unicodedata.normalize("NFC", "\n".join(parts)).lower()
        out.append(Doc(post.path, text, re.sub(r"\s+", "", text)))
    return out


def relevant_for_word(word: str, docs: list[Doc]) -> frozenset[str]:
    word = word.lower()
    if HANGUL_RUN.fullmatch(word):
        stem = strip_particle(word)
        if stem:
            word = stem
        if len(word) >= 3:
            return frozenset(d.path for d in docs if word in d.squeezed)
        return frozenset(d.path for d in docs if word in d.text)
    pattern = re.compile(rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])")
    return frozenset(d.path for d in docs if pattern.search(d.text))


def relevant_for(words: list[str], docs: list[Doc]) -> frozenset[str]:
    sets = [relevant_for_word(w, docs) for w in words]
    return frozenset.intersection(*sets) if sets else frozenset()


def draw_queries(docs: list[Doc], rng: random.Random, per_class: int) -> list[Query]:
    """Sample queries of every class from the corpus vocabulary."""
    runs_df: Counter[str] = Counter()
    stems_with_particle: Counter[str] = Counter()
    latin_df: Counter[str] = Counter()
    for doc in docs:
        runs = set(HANGUL_RUN.findall(doc.text))
        runs_df.update(runs)
        for run in runs:
            stem = strip_particle(run)
            if stem and len(stem) >= 2:
                stems_with_particle[stem] += 1
        latin_df.update(set(LATIN_WORD.findall(doc.text)))
    n = len(docs)

    def useful(count: int) -> bool:
        return 2 <= count <= max(3, n // 3)

    queries: list[Query] = []

    def add(cls: str, text: str, words: list[str]) -> None:
        rel = relevant_for(words, docs)
        if rel and all(q.text != text for q in queries):
            queries.append(Query(cls, text, rel))

    # Dictionary forms that mostly occur with a particle glued on.
    stems = sorted(s for s, c in stems_with_particle.items() if useful(c) and 2 <= len(s) <= 4)
    for stem in rng.sample(stems, min(per_class, len(stems))):
        add("korean_word", stem, [stem])
    with_particle = sorted(
        r for r, c in runs_df.items() if useful(c) and strip_particle(r) and len(strip_particle(r) or "") >= 2
    )
    for run in rng.sample(with_particle, min(per_class, len(with_particle))):
        add("korean_particle", run, [run])
    compounds = sorted(r for r, c in runs_df.items() if useful(c) and 4 <= len(r) <= 6 and not strip_particle(r))
    for run in rng.sample(compounds, min(per_class, len(compounds))):
        add("compound", run, [run])
        cut = len(run) // 2
        add("spacing", f"{run[:cut]} {run[cut:]}", [run[:cut], run[cut:]])
    frequent = [r for r, c in runs_df.items() if useful(c) and len(r) >= 2 and not strip_particle(r)]
    frequent.sort()
    attempts = 0
    while sum(q.cls == "multi_word" for q in queries) < per_class and attempts < 500 and len(frequent) > 1:
        attempts += 1
        a, b = rng.sample(frequent, 2)
        if len(relevant_for([a, b], docs)) >= 1:
            add("multi_word", f"{a} {b}", [a, b])
    english = sorted(w for w, c in latin_df.items() if useful(c))
    for word in rng.sample(english, min(per_class, len(english))):
        add("english", word, [word])
    attempts = 0
    while sum(q.cls == "mixed" for q in queries) < per_class and attempts < 500 and english and frequent:
        attempts += 1
        a, b = rng.choice(frequent), rng.choice(english)
        if relevant_for([a, b], docs):
            add("mixed", f"{a} {b}", [a, b])
    long_english = [w for w in english if len(w) >= 6]
    for word in rng.sample(long_english, min(per_class, len(long_english))):
        i = rng.randrange(1, len(word) - 2)
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if typo not in latin_df and typo != word:
            rel = relevant_for([word], docs)
            if rel:
                queries.append(Query("typo", typo, rel, word))
    queries += honesty_queries(docs, rng, per_class, runs_df, useful)
    return queries


def _jamo_typo(word: str, rng: random.Random) -> str:
    """`word` with one jamo of one syllable changed: the typo a Korean keyboard makes."""
    index = rng.randrange(len(word))
    parts = hangul.split(word[index])
    assert parts is not None
    initial, medial, final = parts
    which = rng.randrange(3)
    if which == 0:
        initial = rng.choice([i for i in range(hangul.INITIALS) if i != initial])
    elif which == 1:
        medial = rng.choice([m for m in range(hangul.MEDIALS) if m != medial])
    else:
        final = rng.choice([f for f in range(hangul.FINALS) if f != final])
    return word[:index] + hangul.join(initial, medial, final) + word[index + 1 :]


def honesty_queries(
    docs: list[Doc], rng: random.Random, per_class: int, runs_df: Counter[str], useful: Callable[[int], bool]
) -> list[Query]:
    """Queries for the classes beyond ranking: Korean typos, 초성, proximity, absent words."""
    out: list[Query] = []
    words = sorted(r for r, c in runs_df.items() if useful(c) and 3 <= len(r) <= 5 and not strip_particle(r))
    for word in rng.sample(words, min(per_class * 3, len(words))):
        typo = _jamo_typo(word, rng)
        if sum(q.cls == "korean_typo" for q in out) < per_class and not any(typo in d.squeezed for d in docs):
            out.append(Query("korean_typo", typo, relevant_for([word], docs), word))
    title_words = sorted({w for d in docs for w in HANGUL_RUN.findall(d.text.split("\n", 1)[0]) if 2 <= len(w) <= 4})
    for word in rng.sample(title_words, min(per_class, len(title_words))):
        initials = "".join(hangul.initial_of(c) or c for c in word)
        out.append(Query("initials", initials, relevant_for([word], docs), word))
    pairs: Counter[tuple[str, str]] = Counter()
    for doc in docs:
        pairs.update(set(re.findall(r"([\uac00-\ud7a3]{2,})[ ]([\uac00-\ud7a3]{2,})", doc.text)))
    candidates = sorted(p for p, c in pairs.items() if 1 <= c <= 5 and not strip_particle(p[0]))
    rng.shuffle(candidates)
    for a, b in candidates:
        if sum(q.cls == "proximity" for q in out) >= per_class:
            break
        both = relevant_for([a, b], docs)
        together = re.compile(rf"{re.escape(a)}(?:{'|'.join(map(re.escape, PARTICLES))})?\s{{0,2}}{re.escape(b)}")
        standing = frozenset(d.path for d in docs if together.search(d.text))
        if standing and len(both) >= len(standing) + 2:  # some posts hold them apart
            out.append(Query("proximity", f"{a} {b}", standing))
    absent = [w for w in ABSENT_WORDS if not any(w in d.squeezed for d in docs)]
    shuffled = []
    for word in rng.sample(words, min(per_class * 3, len(words))):
        mixed = "".join(rng.sample(word, len(word)))
        if mixed != word and not any(mixed in d.squeezed for d in docs):
            shuffled.append(mixed)
    for word in (absent + shuffled)[:per_class]:
        out.append(Query("absent", word, frozenset()))
    return out


Engine = Callable[[str], Outcome]


def evaluate(engine: Engine, queries: list[Query]) -> dict[str, dict[str, float]]:
    """Per class: recall@10, precision@10, MRR and queries with no hits; `right` where it applies:
    the correction offered was the word meant (typos, 초성), or nothing unlabelled was shown (absent)."""
    per_class: dict[str, list[tuple[float, float, float, int]]] = defaultdict(list)
    right: dict[str, list[int]] = defaultdict(list)
    right3: dict[str, list[int]] = defaultdict(list)
    for query in queries:
        outcome = engine(query.text)
        top = outcome.paths[:10]
        if query.cls == "absent":
            right[query.cls].append(int(not top or outcome.approximate))
            per_class[query.cls].append((0.0, 0.0, 0.0, 0 if top else 1))
            continue
        if query.meant is not None:
            shown = outcome.corrected or query.text
            right[query.cls].append(int(shown.lower() == query.meant.lower()))
            offered = [shown.lower(), *(s.lower() for s in outcome.suggestions)]
            right3[query.cls].append(int(query.meant.lower() in offered))
        hits = [p for p in top if p in query.relevant]
        if query.cls == "proximity":  # R-precision: are the posts holding the words together first?
            right[query.cls].append(int(len(set(top[: len(query.relevant)]) & query.relevant) == len(query.relevant)))
        recall = len(hits) / min(10, len(query.relevant))
        precision = len(hits) / len(top) if top else 0.0
        rr = next((1 / (i + 1) for i, p in enumerate(top) if p in query.relevant), 0.0)
        per_class[query.cls].append((recall, precision, rr, 0 if top else 1))
    report = {}
    for cls in (*CLASSES, "all"):
        rows = [r for c, rs in per_class.items() if c in RANKED for r in rs] if cls == "all" else per_class.get(cls, [])
        if rows:
            report[cls] = {
                "queries": len(rows),
                "recall@10": sum(r[0] for r in rows) / len(rows),
                "precision@10": sum(r[1] for r in rows) / len(rows),
                "mrr": sum(r[2] for r in rows) / len(rows),
                "no_hits": sum(r[3] for r in rows),
            }
            if right.get(cls):
                report[cls]["right"] = sum(right[cls]) / len(right[cls])
            if right3.get(cls):
                report[cls]["offered"] = sum(right3[cls]) / len(right3[cls])
    return report


def reader_engine(library: Library) -> Engine:
    library.sync_index()

    def run(text: str) -> Outcome:
        result = library.search(text, limit=10)
        return Outcome([h.path for h in result.hits], result.corrected, result.approximate, tuple(result.suggestions))

    return run


def baseline_engine(library: Library) -> Engine:
    """Whoosh's StandardAnalyzer over the same fields, words ANDed."""
    from whoosh import fields, qparser
    from whoosh.analysis import StandardAnalyzer
    from whoosh.filedb.filestore import RamStorage

    schema = fields.Schema(
        path=fields.ID(stored=True),
        title=fields.TEXT(analyzer=StandardAnalyzer(), field_boost=4),
        body=fields.TEXT(analyzer=StandardAnalyzer()),
        tags=fields.TEXT(analyzer=StandardAnalyzer(), field_boost=2),
    )
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for post in library.posts:
        writer.add_document(path=post.path, title=post.title, body=post.body, tags=" ".join(post.tags))
    writer.commit()
    parser = qparser.MultifieldParser(["title", "body", "tags"], schema, group=qparser.AndGroup)
    searcher = index.searcher()

    def run(text: str) -> Outcome:
        return Outcome([hit["path"] for hit in searcher.search(parser.parse(text), limit=10)])

    return run


def measure(root: Path, per_class: int = 12, seed: int = 7) -> dict[str, object]:
    library = Library.open(root, index_dir=Path(tempfile.mkdtemp(prefix="reader-quality-")))
    docs = documents(library)
    queries = draw_queries(docs, random.Random(seed), per_class)
    return {
        "corpus": str(root),
        "posts": len(docs),
        "reader": evaluate(reader_engine(library), queries),
        "baseline": evaluate(baseline_engine(library), queries),
        "queries": [{"class": q.cls, "text": q.text, "relevant": len(q.relevant)} for q in queries],
    }


def table(result: dict) -> str:
    head = f"{'class':<16}{'n':>4}  {'recall@10':>13}  {'precision@10':>13}  {'MRR':>13}  {'no hits':>9}  {'right':>13}"
    lines = [
        f"{result['corpus']} ({result['posts']} posts)",
        head + f"  {'offered':>8}",
        f"{'':<20}" + f"  {'reader / base':>13}" * 3 + f"  {'':>9}  {'reader / base':>13}",
    ]
    ours, base = result["reader"], result["baseline"]

    def pair(key: str, o: dict, b: dict) -> str:
        return f"{o[key]:>6.2f} / {b.get(key, 0.0):<4.2f}" if key in o else f"{'':>13}"

    for cls in (*CLASSES, "all"):
        if cls not in ours:
            continue
        o, b = ours[cls], base[cls]
        ranked = cls != "absent"
        cells = [pair(k, o, b) if ranked else f"{'':>13}" for k in ("recall@10", "precision@10", "mrr")]
        offered = f"{o['offered']:>8.2f}" if "offered" in o else ""
        lines.append(
            f"{cls:<16}{o['queries']:>4}  {'  '.join(cells)}  {o['no_hits']:>4} / {b['no_hits']:<2}  "
            f"{pair('right', o, b)}  {offered}".rstrip()
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parent.parent
    default = [here / "posts", *sorted((here.parent / "shared" / "corpora").glob("*"))]
    parser.add_argument("--corpus", type=Path, action="append", help="posts root (repeatable)")
    parser.add_argument("--per-class", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    results = []
    for root in args.corpus or [p for p in default if p.is_dir()]:
        result = measure(root, args.per_class)
        results.append(result)
        print(table(result), end="\n\n")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

__all__ = ["PARTICLES", "main", "measure"]

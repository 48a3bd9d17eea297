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
from reader.search.analysis import PARTICLES, strip_particle

HANGUL_RUN = re.compile(r"[\uac00-\ud7a3]+")
LATIN_WORD = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{4,}(?![0-9A-Za-z])")
CLASSES = ("korean_word", "korean_particle", "compound", "spacing", "multi_word", "english", "mixed", "typo")


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


def documents(library: Library) -> list[Doc]:
    out = []
    for post in library.posts:
        text = unicodedata.normalize(
            "NFC", "\n".join([post.title, post.body, " ".join(post.tags), " ".join(post.category_names)])
        ).lower()
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
                queries.append(Query("typo", typo, rel))
    return queries


Engine = Callable[[str], list[str]]


def evaluate(engine: Engine, queries: list[Query]) -> dict[str, dict[str, float]]:
    per_class: dict[str, list[tuple[float, float, float, int]]] = defaultdict(list)
    for query in queries:
        top = engine(query.text)[:10]
        hits = [p for p in top if p in query.relevant]
        recall = len(hits) / min(10, len(query.relevant))
        precision = len(hits) / len(top) if top else 0.0
        rr = next((1 / (i + 1) for i, p in enumerate(top) if p in query.relevant), 0.0)
        per_class[query.cls].append((recall, precision, rr, 0 if top else 1))
    report = {}
    for cls in (*CLASSES, "all"):
        rows = [r for c, rs in per_class.items() for r in rs] if cls == "all" else per_class.get(cls, [])
        if rows:
            report[cls] = {
                "queries": len(rows),
                "recall@10": sum(r[0] for r in rows) / len(rows),
                "precision@10": sum(r[1] for r in rows) / len(rows),
                "mrr": sum(r[2] for r in rows) / len(rows),
                "no_hits": sum(r[3] for r in rows),
            }
    return report


def reader_engine(library: Library) -> Engine:
    library.sync_index()

    def run(text: str) -> list[str]:
        return [h.path for h in library.search(text, limit=10).hits]

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

    def run(text: str) -> list[str]:
        return [hit["path"] for hit in searcher.search(parser.parse(text), limit=10)]

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
    lines = [
        f"{result['corpus']} ({result['posts']} posts)",
        f"{'class':<16}{'n':>4}  {'recall@10':>16}  {'precision@10':>16}  {'MRR':>16}  {'no hits':>8}",
        f"{'':<20}  {'reader / base':>16}  {'reader / base':>16}  {'reader / base':>16}",
    ]
    ours, base = result["reader"], result["baseline"]
    for cls in (*CLASSES, "all"):
        if cls not in ours:
            continue
        o, b = ours[cls], base[cls]
        lines.append(
            f"{cls:<16}{o['queries']:>4}  {o['recall@10']:>7.2f} / {b['recall@10']:<6.2f}  "
            f"{o['precision@10']:>7.2f} / {b['precision@10']:<6.2f}  {o['mrr']:>7.2f} / {b['mrr']:<6.2f}  "
            f"{o['no_hits']:>3} / {b['no_hits']:<3}"
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

"""The reader's benchmark: build, sync, cold start, search, the app, memory; beside ripgrep and SQLite FTS5.

    python -m bench                    # 1k and 10k posts (`make bench`)
    python -m bench --quick            # 200 posts, one repetition (CI proves it runs)
    python -m bench --sizes 1000,10000,50000
    python -m bench --sizes 100000 --vocab growing

Corpora are generated from the bundled posts with a fixed seed and cached
under bench-results/corpora/<size> (fixed vocabulary) or <size>-growing
(Heaps' law: new words keep coming as the blog grows). Output: a table on
the terminal (each targeted figure beside its target from issue 16, MISSED
marked), cProfile summaries of the cold CLI search and of the slowest warm
search class, and bench-results/latest.json. Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import measure, report
from bench.corpus import generate
from bench.profile import import_time, profile_cli, profile_search
from bench.tui import measure_first_build, measure_tui
from reader.library import Library

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
SEED = 20261121
FIRST_BUILD_UP_TO = 10_000  # posts; beyond, the app's first build takes many minutes: asked for by flag


def corpus(size: int, vocab: str) -> Path:
    """The cached corpus of `size` posts, generated (and timed) on first use."""
    target = RESULTS / "corpora" / (f"{size}" if vocab == "fixed" else f"{size}-{vocab}")
    stamp = target / ".complete"
    if not stamp.exists():
        shutil.rmtree(target, ignore_errors=True)
        print(f"[{size} posts] generating the {vocab}-vocabulary corpus…", file=sys.stderr)
        seconds, _ = measure.timed(lambda: generate(target, size, ROOT / "posts", SEED, vocab))
        stamp.write_text(f"seed {SEED}\n" if vocab == "fixed" else f"seed {SEED} {vocab}\n")
        (target / ".generated").write_text(f"{seconds:.1f} s\n")
    return target


def run_size(
    size: int,
    vocab: str,
    reps: int,
    rng: random.Random,
    first_build: bool | None = None,
    given: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    posts = corpus(size, vocab)
    scratch = Path(tempfile.mkdtemp(prefix=f"reader-bench-{size}-"))
    index_dir = scratch / "index"
    classes = given or measure.queries(rng)
    quick = reps == 1

    def say(what: str) -> None:
        print(f"[{size} posts] {what}…", file=sys.stderr)

    result: dict[str, Any] = {
        "posts": size,
        "vocab": vocab,
        "corpus_mb": sum(p.stat().st_size for p in posts.glob("*.md")) / 1e6,
        "generated": (posts / ".generated").read_text().strip() if (posts / ".generated").exists() else None,
    }
    try:
        say("building")
        result["build"] = measure.measure_build(posts, index_dir)
        say("syncing, searching")
        result["sync"] = measure.measure_syncs(posts, index_dir, reps * 3)
        measure.settle(posts, index_dir)  # the files it wrote back: out of the racy window first
        env = measure.child_env(index_dir)
        result["imports"] = {m: import_time(m, 1 if quick else 5, env) for m in ("reader.cli.run", "reader.ui.app")}
        result["cli"] = measure.measure_cli(posts, index_dir, classes, 1 if quick else max(5, reps))
        result["cli_served"] = measure.measure_served_cli(posts, index_dir, classes, 1 if quick else max(5, reps))
        result["cold_start"] = {"first_result_ms": result["cli"]["korean_word"]["reader_ms"]}  # the old figure
        result["search"] = measure.measure_search(posts, index_dir, classes, reps)
        library = Library.open(posts, index_dir=index_dir)
        library.sync_index()
        result["app_search"] = measure.measure_app_search(library, classes, reps)
        result["ripgrep"] = measure.measure_ripgrep(posts, classes, reps)
        result["fts5"] = measure.measure_fts5(posts, classes, reps, scratch)
        result["connections"] = measure.measure_connections(library, rng)
        say("profiling")
        cold = max(result["cli"].values(), key=lambda c: c["reader_ms"]["median"])  # the slowest class of each
        slowest, _ = report.worst(result["app_search"], "p95")
        result["profiles"] = [
            profile_cli(posts, cold["query"], env),
            profile_search(library, slowest, classes[slowest], measure.APP_RESULTS_LIMIT),
        ]
        del library
        say("the app")
        result["tui"] = measure_tui(posts, index_dir, env)
        if first_build if first_build is not None else size <= FIRST_BUILD_UP_TO:
            say("the app while it builds its first index")
            picked = [classes[c][0] for c in ("korean_word", "korean_compound", "english", "two_words")]
            result["first_build"] = measure_first_build(posts, scratch, picked, env)
        result["queries"] = classes
        result["targets"] = report.targets(size)
        result["verdicts"] = report.verdicts(result)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 posts, one repetition")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument(
        "--vocab",
        choices=("fixed", "growing"),
        default="fixed",
        help="fixed: the bundled posts' words only (default, comparable with earlier runs); "
        "growing: new words keep appearing as the corpus grows (Heaps' law)",
    )
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each timed query")
    parser.add_argument(
        "--first-build",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"also time the app while it builds its first index (default: at {FIRST_BUILD_UP_TO:,} posts or fewer)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--queries",
        type=Path,
        help="the queries of an earlier run's JSON (its first size's): figures comparable across runs "
        "(drawn anew, they follow the bundled posts' words, which change as the guide does)",
    )
    args = parser.parse_args(argv)
    given = json.loads(args.queries.read_text(encoding="utf-8"))["results"][0]["queries"] if args.queries else None
    sizes = [200] if args.quick else [int(s) for s in args.sizes.split(",")]
    reps = 1 if args.quick else args.reps
    results = [run_size(size, args.vocab, reps, random.Random(size), args.first_build, given) for size in sizes]
    output = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "when": time.strftime("%Y-%m-%d %H:%M"),
        },
        "targets": {
            key: {"figure": f, "unit": u, "to_10k": a, "beyond_10k": b} for key, (f, u, a, b) in report.TARGETS.items()
        },
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(output, ensure_ascii=False, indent=2), "utf-8")
    print(report.table(results))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The reader's benchmark: build, sync, cold start, search, TUI, memory; beside ripgrep and SQLite FTS5.

    python -m bench            # 1k and 10k posts (`make bench`)
    python -m bench --quick    # 200 posts, one repetition (CI proves it runs)
    python -m bench --sizes 1000,10000,50000

Corpora are generated from the bundled posts with a fixed seed and cached
under bench-results/corpora. Output: a table on the terminal and
bench-results/latest.json. Timing is reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.corpus import generate, vocabulary, write_sized_post
from reader.library import Library

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench-results"
TARGETS = {
    "build_s": 90.0,
    "sync_nochange_ms": 100.0,
    "search_p95_ms": 50.0,
    "first_screen_s": 1.0,
    "open_50kb_ms": 150.0,
    "open_500kb_ms": 300.0,
    "sync_10_changes_s": 0.5,
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "p95": percentile(values, 0.95), "n": len(values)}


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


# --- corpora and queries ------------------------------------------------------------


def corpus(size: int) -> Path:
    target = RESULTS / "corpora" / f"{size}"
    stamp = target / ".complete"
    if not stamp.exists():
        shutil.rmtree(target, ignore_errors=True)
        generate(target, size, ROOT / "posts")
        stamp.write_text("seed 20261121\n")
    return target


def queries(rng: random.Random) -> dict[str, list[str]]:
    korean, latin = vocabulary(ROOT / "posts")
    long_words = [w for w in korean[:400] if len(w) >= 3]
    pairs = [w for w in korean[:400] if len(w) == 2]
    english = [w for w in latin[:200] if w.isalpha() and len(w) >= 4]
    return {
        "korean_word": rng.sample(long_words, 8),
        "korean_compound": [a + b for a, b in zip(rng.sample(pairs, 8), rng.sample(pairs, 8), strict=True)],
        "two_words": [f"{a} {b}" for a, b in zip(rng.sample(long_words, 8), rng.sample(pairs, 8), strict=True)],
        "english": rng.sample(english, 8),
        "phrase": [f'"{a} {b}"' for a, b in zip(rng.sample(pairs, 8), rng.sample(pairs, 8), strict=True)],
        "field": [
            f"tag:{t} {w}"
            for t, w in zip(rng.sample(english, 4) + rng.sample(pairs, 4), rng.sample(long_words, 8), strict=True)
        ],
    }


def first_word(query: str) -> str:
    return query.replace('"', "").split()[-1 if query.startswith("tag:") else 0]


# --- the reader -----------------------------------------------------------------------


def measure_build(posts: Path, index_dir: Path) -> dict[str, Any]:
    """A full build in a child process: wall, CPU (with its workers), peak RSS, size."""
    code = (
        "import sys; from pathlib import Path; from reader.library import Library;"
        "Library(Path(sys.argv[1]), index_dir=Path(sys.argv[2])).sync_index(rebuild=True)"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _ = timed(lambda: subprocess.run([sys.executable, "-c", code, str(posts), str(index_dir)], check=True))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    return {
        "wall_s": wall,
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "peak_rss_mb": after.ru_maxrss / 1024,
        "index_mb": size / 1e6,
    }


def measure_syncs(posts: Path, index_dir: Path, reps: int) -> dict[str, Any]:
    nochange = []
    for _ in range(reps):
        library = Library(posts, index_dir=index_dir)  # a fresh process would do the same work
        nochange.append(timed(library.sync_index)[0] * 1000)
    files = sorted(posts.glob("post-*.md"))
    edited = files[:10]
    originals = {p: p.read_bytes() for p in edited}
    renamed, deleted = files[10], files[11]
    deleted_bytes = deleted.read_bytes()
    try:
        for path in edited:
            path.write_bytes(originals[path] + "\n\n벤치마크 편집 줄.\n".encode())
        renamed.rename(renamed.with_name("renamed-" + renamed.name))
        deleted.unlink()
        library = Library(posts, index_dir=index_dir)
        seconds, report = timed(library.sync_index)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        renamed.with_name("renamed-" + renamed.name).rename(renamed)
        deleted.write_bytes(deleted_bytes)
        Library(posts, index_dir=index_dir).sync_index()
    return {
        "nochange_ms": summary(nochange),
        "changes_s": seconds,
        "changes": {"updated": report.updated, "added": report.added, "removed": report.removed},
    }


def measure_cold_start(posts: Path, index_dir: Path, query: str, reps: int) -> dict[str, Any]:
    reader = Path(sys.executable).parent / "reader"
    env = {**os.environ, "GEULBAT_INDEX_DIR": str(index_dir)}
    runs = []
    for _ in range(reps):
        seconds, _ = timed(
            lambda: subprocess.run(
                [str(reader), "search", query, "--json", "--posts", str(posts)],
                check=True,
                capture_output=True,
                env=env,
            )
        )
        runs.append(seconds * 1000)
    return {"first_result_ms": summary(runs)}


def measure_search(posts: Path, index_dir: Path, classes: dict[str, list[str]], reps: int) -> dict[str, Any]:
    library = Library(posts, index_dir=index_dir)  # posts not loaded: snippets read the files, as the CLI does
    library.sync_index()
    library.search("warm up")
    out = {}
    for cls, items in classes.items():
        times, hits = [], []
        for query in items:
            for _ in range(reps):
                seconds, result = timed(lambda q=query: library.search(q, limit=10))
                times.append(seconds * 1000)
            hits.append(result.total)
        out[cls] = {**summary(times), "median_total": statistics.median(hits)}
    return out


def measure_connections(posts: Path, index_dir: Path, rng: random.Random) -> dict[str, Any]:
    """Backlinks (the first scan of every post, then a post's lookup) and related posts."""
    library = Library.open(posts, index_dir=index_dir)
    library.sync_index()
    paths = [p.path for p in library.posts]
    scan_s, _ = timed(lambda: library.backlinks(paths[0]))
    sample = rng.sample(paths, min(200, len(paths)))
    lookups = [timed(lambda p=p: library.backlinks(p))[0] * 1000 for p in sample]
    related = [timed(lambda p=p: library.related(p))[0] * 1000 for p in sample[:30]]
    return {
        "backlinks_scan_s": scan_s,
        "backlinks_ms": summary(lookups),
        "with_backlinks": sum(1 for p in sample if library.backlinks(p)),
        "related_ms": summary(related),
    }


# --- references -------------------------------------------------------------------


def measure_ripgrep(posts: Path, classes: dict[str, list[str]], reps: int) -> dict[str, Any] | None:
    rg = shutil.which("rg") or shutil.which("rg", path=str(Path(sys.executable).parent))
    if rg is None:
        return None
    out = {}
    for cls, items in classes.items():
        times = []
        for query in items:
            for _ in range(reps):
                seconds, _ = timed(
                    lambda q=query: subprocess.run([rg, "-l", "-F", first_word(q), str(posts)], capture_output=True)
                )
                times.append(seconds * 1000)
        out[cls] = summary(times)
    return out


def measure_fts5(posts: Path, classes: dict[str, list[str]], reps: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    texts = [(p.name, p.read_text("utf-8")) for p in sorted(posts.glob("*.md"))]
    for tokenizer in ("unicode61", "trigram"):
        db = sqlite3.connect(":memory:")
        db.execute(f"CREATE VIRTUAL TABLE posts USING fts5(path, body, tokenize='{tokenizer}')")
        build, _ = timed(lambda db=db: (db.executemany("INSERT INTO posts VALUES (?, ?)", texts), db.commit()))
        result: dict[str, Any] = {"build_s": build}
        for cls, items in classes.items():
            times = []
            for query in items:
                words = [w for w in query.replace('"', "").split() if not w.startswith("tag:")]
                match = " AND ".join('"' + w.replace('"', "") + '"' for w in words)
                sql = (
                    "SELECT path, snippet(posts, 1, '[', ']', '…', 12) FROM posts WHERE posts MATCH ? "
                    "ORDER BY rank LIMIT 10"
                )
                for _ in range(reps):
                    try:
                        seconds, _ = timed(lambda s=sql, m=match, db=db: db.execute(s, (m,)).fetchall())
                    except sqlite3.OperationalError:
                        continue
                    times.append(seconds * 1000)
            result[cls] = summary(times) if times else None
        out[tokenizer] = result
        db.close()
    return out


# --- the TUI --------------------------------------------------------------------------


def measure_tui(posts: Path, index_dir: Path) -> dict[str, Any]:
    """First screen, opening 5/50/500 KB posts, and memory, in a child process."""
    code = f"""
import asyncio, json, sys, time, resource
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
started = time.perf_counter()
from reader.ui.app import build_app
from reader.ui.post_list import PostList
from reader.ui.post_view import PostBody
posts, index_dir, extra = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
async def main():
    app = build_app(posts, index_dir=index_dir, watch=False, settings_path=index_dir / "bench-config.toml")
    out = {{}}
    async with app.run_test(size=(160, 48)) as pilot:
        while not app.screen_stack or not hasattr(app.screen, "services"):
            await asyncio.sleep(0.005)
        screen = app.main
        body = screen.query_one(PostBody)
        while not screen.query_one(PostList).rows or not body.text.strip():
            await asyncio.sleep(0.005)
        out["first_screen_s"] = time.perf_counter() - started
        while not screen.index_ready:
            await asyncio.sleep(0.05)
        for label, path in extra.items():
            times = []
            for _ in range(5):
                app.library.forget_documents()  # cold: read from the snapshot, parsed, first screen drawn
                t = time.perf_counter()
                screen.show_post(path, False)
                while body.document is None or body.text.count(chr(10)) < body.size.height:
                    await asyncio.sleep(0.001)
                times.append((time.perf_counter() - t) * 1000)
            out["open_" + label + "_ms"] = sorted(times)[len(times) // 2]
        with open("/proc/self/status") as status:
            rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        out["rss_mb"] = rss / 1024
    print(json.dumps(out))
asyncio.run(main())
"""
    extra = {}
    for label, size in (("5kb", 5_000), ("50kb", 50_000), ("500kb", 500_000)):
        name = f"zz-bench-{label}.md"
        write_sized_post(posts / name, size, ROOT / "posts")
        extra[label] = name
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, str(posts), str(index_dir), json.dumps(extra)],
            capture_output=True,
            text=True,
            timeout=1800,
            check=True,
        )
        return json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        for name in extra.values():
            (posts / name).unlink(missing_ok=True)


# --- running and reporting -------------------------------------------------------------


def run_size(size: int, reps: int, rng: random.Random) -> dict[str, Any]:
    posts = corpus(size)
    index_dir = Path(tempfile.mkdtemp(prefix=f"reader-bench-{size}-"))
    classes = queries(rng)
    print(f"[{size} posts] building…", file=sys.stderr)
    result: dict[str, Any] = {"posts": size, "corpus_mb": sum(p.stat().st_size for p in posts.glob("*.md")) / 1e6}
    result["build"] = measure_build(posts, index_dir)
    print(f"[{size} posts] syncing, searching…", file=sys.stderr)
    result["sync"] = measure_syncs(posts, index_dir, reps * 3)
    result["cold_start"] = measure_cold_start(posts, index_dir, classes["korean_word"][0], max(1, reps))
    result["search"] = measure_search(posts, index_dir, classes, reps)
    result["ripgrep"] = measure_ripgrep(posts, classes, reps)
    result["fts5"] = measure_fts5(posts, classes, reps)
    result["connections"] = measure_connections(posts, index_dir, rng)
    print(f"[{size} posts] the app…", file=sys.stderr)
    result["tui"] = measure_tui(posts, index_dir)
    result["queries"] = classes
    shutil.rmtree(index_dir, ignore_errors=True)
    return result


def table(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        b, s, t = r["build"], r["sync"], r["tui"]
        lines.append(f"== {r['posts']} posts ({r['corpus_mb']:.0f} MB) ==")
        lines.append(
            f"build           {b['wall_s']:8.1f} s wall  {b['cpu_s']:7.1f} s CPU  "
            f"{b['peak_rss_mb']:6.0f} MB peak  index {b['index_mb']:.0f} MB"
            f"   (target ≤ {TARGETS['build_s']:.0f} s)"
        )
        fts = r["fts5"]
        lines.append(
            f"  FTS5 build    unicode61 {fts['unicode61']['build_s']:.1f} s, trigram {fts['trigram']['build_s']:.1f} s"
        )
        nochange = s["nochange_ms"]
        lines.append(
            f"sync no change  {nochange['median']:8.0f} ms median, p95 {nochange['p95']:.0f} ms"
            f"   (target ≤ {TARGETS['sync_nochange_ms']:.0f} ms)"
        )
        lines.append(f"sync 10 edits, 1 rename, 1 deletion  {s['changes_s']:.2f} s   (target ≤ 0.5 s)")
        lines.append(f"cold start → first result  {r['cold_start']['first_result_ms']['median']:.0f} ms median")
        lines.append(
            f"{'search (ms)':<18}{'median':>8}{'p95':>8}{'rg -l':>9}{'fts5 u61':>10}{'fts5 tri':>10}"
            f"{'×rg':>7}{'×u61':>7}"
        )
        for cls, value in r["search"].items():
            rg = (r["ripgrep"] or {}).get(cls)
            u61, tri = fts["unicode61"].get(cls), fts["trigram"].get(cls)

            def fmt(v: dict | None) -> str:
                return f"{v['median']:.1f}" if v else "–"

            ratio_rg = f"{value['median'] / rg['median']:.1f}" if rg else "–"
            ratio_u = f"{value['median'] / u61['median']:.0f}" if u61 and u61["median"] else "–"
            lines.append(
                f"  {cls:<16}{value['median']:8.1f}{value['p95']:8.1f}{fmt(rg):>9}{fmt(u61):>10}"
                f"{fmt(tri):>10}{ratio_rg:>7}{ratio_u:>7}"
            )
        c = r["connections"]
        lines.append(
            f"backlinks: first scan {c['backlinks_scan_s']:.2f} s, then {c['backlinks_ms']['median']:.3f} ms median"
            f" / p95 {c['backlinks_ms']['p95']:.3f} ms a post (target ≤ 50 ms); "
            f"related {c['related_ms']['median']:.0f} ms median / p95 {c['related_ms']['p95']:.0f} ms"
        )
        lines.append(
            f"TUI first screen {t['first_screen_s']:.2f} s (target ≤ 1.0 s); "
            f"open 5 KB {t['open_5kb_ms']:.0f} ms, "
            f"50 KB {t['open_50kb_ms']:.0f} ms (≤ 150), 500 KB {t['open_500kb_ms']:.0f} ms (≤ 300); "
            f"RSS {t['rss_mb']:.0f} MB"
        )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 posts, one repetition")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each timed query")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args(argv)
    sizes = [200] if args.quick else [int(s) for s in args.sizes.split(",")]
    reps = 1 if args.quick else args.reps
    results = [run_size(size, reps, random.Random(size)) for size in sizes]
    report = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "when": time.strftime("%Y-%m-%d %H:%M"),
        },
        "targets": TARGETS,
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2), "utf-8")
    print(table(results))
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

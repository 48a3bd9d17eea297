"""The reader measured in process and as a whole process, beside ripgrep and SQLite FTS5 on the same files."""

from __future__ import annotations

import json
import os
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

from bench.corpus import vocabulary
from reader.library import Library
from reader.search.report import RACY_NS

ROOT = Path(__file__).resolve().parent.parent
APP_RESULTS_LIMIT = 200  # hits the app's search worker asks for (reader.ui.services.RESULTS_LIMIT)


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


def child_env(index_dir: Path | None = None) -> dict[str, str]:
    """The environment of a timed child: .pyc caches used, as a user's would be."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if index_dir is not None:
        env["GEULBAT_INDEX_DIR"] = str(index_dir)
    return env


def ripgrep() -> str | None:
    return shutil.which("rg") or shutil.which("rg", path=str(Path(sys.executable).parent))


# --- queries -----------------------------------------------------------------------------


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
    """The word `rg -F` looks for in place of a query."""
    return query.replace('"', "").split()[-1 if query.startswith("tag:") else 0]


# --- building and syncing ----------------------------------------------------------------


def measure_build(posts: Path, index_dir: Path) -> dict[str, Any]:
    """A full build in a child process: wall, CPU (with its workers), peak RSS, size."""
    code = (
        "import sys; from pathlib import Path; from reader.library import Library;"
        "Library(Path(sys.argv[1]), index_dir=Path(sys.argv[2])).sync_index(rebuild=True)"
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, _ = timed(
        lambda: subprocess.run([sys.executable, "-c", code, str(posts), str(index_dir)], check=True, env=child_env())
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    size = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    return {
        "wall_s": wall,
        "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "peak_rss_mb": after.ru_maxrss / 1024,  # the largest child so far (the build is the first)
        "index_mb": size / 1e6,
    }


def racy_wait(posts: Path, now_ns: int) -> float:
    """Seconds until the newest post file is older than the racy window (reader.search.report
    .RACY_NS): until then a sync cannot take the index's word that nothing changed, and each
    search verifies the files again (~130 ms more at 10k posts)."""
    newest = max((entry.stat().st_mtime_ns for entry in os.scandir(posts) if entry.is_file()), default=0)
    return max(0.0, (newest + RACY_NS - now_ns) / 1e9)


def settle(posts: Path, index_dir: Path) -> None:
    """Wait out the racy window of the files the sync stage wrote back, then sync once, so
    that the timed searches after find the index up to date, as a user's would be."""
    time.sleep(racy_wait(posts, time.time_ns()) + 0.01)
    Library(posts, index_dir=index_dir).sync_index()


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


# --- searching -----------------------------------------------------------------------------


def measure_cli(
    posts: Path, index_dir: Path, classes: dict[str, list[str]], reps: int, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """One query a class, the whole `reader search` process, each run paired with `rg -l` on the same files."""
    reader, rg = Path(sys.executable).parent / "reader", ripgrep()
    env = env or child_env(index_dir)
    out = {}
    for cls, items in classes.items():
        query = items[0]
        ours, theirs, ratios = [], [], []
        for _ in range(reps):
            command = [str(reader), "search", query, "--json", "--posts", str(posts)]
            seconds, _ = timed(lambda c=command: subprocess.run(c, check=True, capture_output=True, env=env))
            ours.append(seconds * 1000)
            if rg is not None:
                command = [rg, "-l", "-F", first_word(query), str(posts)]
                seconds, _ = timed(lambda c=command: subprocess.run(c, capture_output=True))
                theirs.append(seconds * 1000)
                ratios.append(ours[-1] / theirs[-1])
        out[cls] = {
            "query": query,
            "reader_ms": summary(ours),
            "rg_ms": summary(theirs) if theirs else None,
            "ratio": statistics.median(ours) / statistics.median(theirs) if theirs else None,
            "paired_ratio": summary(ratios) if ratios else None,
        }
    return out


def measure_served_cli(posts: Path, index_dir: Path, classes: dict[str, list[str]], reps: int) -> dict[str, Any]:
    """`measure_cli` with a `reader serve` running (started here, its first answer included):
    the same whole `reader search` process, answered by the server."""
    reader = Path(sys.executable).parent / "reader"
    folder = Path(tempfile.mkdtemp(prefix="geulbat-bench-"))  # short: a socket path has ~100 bytes
    env = {**child_env(index_dir), "GEULBAT_SERVER": str(folder / "s.sock")}
    server = subprocess.Popen(
        [str(reader), "serve", "--idle", "0"], env=env, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stderr is not None
        line = server.stderr.readline()  # written once it listens
        if "serving searches" not in line:
            raise RuntimeError(f"reader serve did not start: {line}{server.stderr.read()}")
        out = measure_cli(posts, index_dir, classes, reps, env)
        status = subprocess.run([str(reader), "serve", "--status"], env=env, capture_output=True, text=True)
        answered = json.loads(status.stdout)["answered"]
        runs = sum(c["reader_ms"]["n"] for c in out.values())
        if answered != runs:
            raise RuntimeError(f"the server answered {answered} of {runs} searches")
        return out
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def search_classes(
    library: Library, classes: dict[str, list[str]], reps: int, limit: int, loaded: bool
) -> dict[str, Any]:
    out = {}
    snapshot = library.snapshot if loaded else None
    for cls, items in classes.items():
        times, hits = [], []
        for query in items:
            for _ in range(reps):
                seconds, result = timed(lambda q=query: library.search(q, limit=limit, snapshot=snapshot))
                times.append(seconds * 1000)
            hits.append(result.total)
        out[cls] = {**summary(times), "median_total": statistics.median(hits)}
    return out


def measure_search(posts: Path, index_dir: Path, classes: dict[str, list[str]], reps: int) -> dict[str, Any]:
    """Warm, in process, as the CLI searches: 10 hits, the posts listed from the index (a hit's
    body read from its file, as `reader search` does), none loaded."""
    library = Library(posts, index_dir=index_dir)
    library.sync_index()
    listed = library.read_cached(listing_only=True)
    if listed is not None:
        library.adopt(listed)
    library.search("warm up")
    return search_classes(library, classes, reps, 10, loaded=False)


def measure_app_search(library: Library, classes: dict[str, list[str]], reps: int) -> dict[str, Any]:
    """Warm, in process, as the app's search worker asks: every post loaded, up to 200 hits, the
    search prepared as the app prepares it once its index is ready."""
    library.prepare_search(library.snapshot)
    library.search("warm up", snapshot=library.snapshot)
    return search_classes(library, classes, reps, APP_RESULTS_LIMIT, loaded=True)


def measure_connections(library: Library, rng: random.Random) -> dict[str, Any]:
    """Backlinks (the first scan of every post, then a post's lookup) and related posts (posts loaded)."""
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


# --- references -------------------------------------------------------------------------


def measure_ripgrep(posts: Path, classes: dict[str, list[str]], reps: int) -> dict[str, Any] | None:
    rg = ripgrep()
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


def measure_fts5(posts: Path, classes: dict[str, list[str]], reps: int, scratch: Path) -> dict[str, Any]:
    """FTS5 with both tokenizers; in memory up to 20k posts, in a file under `scratch` beyond."""
    out: dict[str, Any] = {}
    big = sum(1 for _ in posts.glob("*.md")) > 20_000
    for tokenizer in ("unicode61", "trigram"):
        db = sqlite3.connect(scratch / f"fts5-{tokenizer}.db" if big else ":memory:")
        db.execute(f"CREATE VIRTUAL TABLE posts USING fts5(path, body, tokenize='{tokenizer}')")
        rows = ((p.name, p.read_text("utf-8")) for p in sorted(posts.glob("*.md")))  # streamed: 100k posts fit
        build, _ = timed(
            lambda db=db, rows=rows: (db.executemany("INSERT INTO posts VALUES (?, ?)", rows), db.commit())
        )
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
        (scratch / f"fts5-{tokenizer}.db").unlink(missing_ok=True)
    return out

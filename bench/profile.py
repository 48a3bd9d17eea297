"""Where the time goes: `python -X importtime` summaries and compact cProfile summaries."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from reader.library import Library

ROOT = Path(__file__).resolve().parent.parent
TOP = 15
# Frames every profile has and no one can act on: the interpreter running a module or an import.
PLUMBING = ("<frozen importlib", "<frozen runpy", "<built-in method builtins.exec>", "<string>:1", "<method 'disable'")


def import_time(module: str, runs: int, env: dict[str, str]) -> dict[str, Any]:
    """Import `module` in fresh interpreters: the median total, and the run's top 5 packages by own time."""
    totals, tops = [], []
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=ROOT,
        )
        own: dict[str, float] = {}
        for line in result.stderr.splitlines():
            if not line.startswith("import time:") or "imported package" in line:
                continue
            self_us, _cumulative, name = line[len("import time:") :].split("|")
            name = name.strip()
            parts = name.split(".")
            package = ".".join(parts[:2]) if parts[0] == "reader" else parts[0]
            own[package] = own.get(package, 0.0) + int(self_us) / 1000
        totals.append(sum(own.values()))
        tops.append(sorted(own.items(), key=lambda kv: -kv[1])[:5])
    middle = sorted(range(runs), key=lambda i: totals[i])[runs // 2]
    return {
        "total_ms": statistics.median(totals),
        "runs": runs,
        "top": [{"package": name, "ms": ms} for name, ms in tops[middle]],
    }


def summarise(stats: pstats.Stats, what: str) -> dict[str, Any]:
    """The top functions by cumulative time (own + callees), plumbing left out."""
    prefixes = (sysconfig.get_paths()["purelib"] + "/", sysconfig.get_paths()["stdlib"] + "/", str(ROOT) + "/")
    rows = []
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    for (filename, line, function), (_cc, ncalls, own, cumulative, _callers) in raw.items():
        where = f"{filename}:{line}({function})" if line else function
        if where.startswith(PLUMBING) or filename.startswith(PLUMBING):
            continue
        for prefix in prefixes:
            where = where.removeprefix(prefix)
        rows.append({"function": where, "calls": ncalls, "own_ms": own * 1000, "cum_ms": cumulative * 1000})
    rows.sort(key=lambda r: -r["cum_ms"])
    total: float = stats.total_tt  # type: ignore[attr-defined]
    return {"what": what, "total_ms": total * 1000, "top": rows[:TOP]}


def profile_cli(posts: Path, query: str, env: dict[str, str]) -> dict[str, Any]:
    """`reader search QUERY --json` run whole under cProfile (imports included)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "cli.prof"
        command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "reader"]
        subprocess.run(
            [*command, "search", query, "--json", "--posts", str(posts)], check=True, capture_output=True, env=env
        )
        return summarise(pstats.Stats(str(out)), f"cold CLI: reader search {query!r} --json")


def profile_search(library: Library, cls: str, items: list[str], limit: int) -> dict[str, Any]:
    """The warm searches of one class, each once, in process, as the app asks."""
    profiler = cProfile.Profile()
    profiler.enable()
    for query in items:
        library.search(query, limit=limit, snapshot=library.snapshot)
    profiler.disable()
    return summarise(pstats.Stats(profiler), f"warm app search, class {cls} ({len(items)} queries)")


def profile_text(profile: dict[str, Any]) -> list[str]:
    lines = [f"profile: {profile['what']} — {profile['total_ms']:.0f} ms under cProfile"]
    lines.append(f"  {'cum ms':>8} {'own ms':>8} {'calls':>8}  function")
    for row in profile["top"]:
        lines.append(f"  {row['cum_ms']:8.1f} {row['own_ms']:8.1f} {row['calls']:8d}  {row['function']}")
    return lines

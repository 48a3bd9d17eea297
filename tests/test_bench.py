"""The benchmark harness runs end to end in --quick mode (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from bench import tui as bench_tui
from tests.conftest import ROOT


def test_quick_benchmark_produces_every_figure(tmp_path):
    """With an earlier run's queries (`--queries`): the same queries, run for run."""
    out = tmp_path / "bench.json"
    earlier = {
        "korean_word": ["머신러닝을", "데이터를"],
        "korean_compound": ["자연어처리"],
        "two_words": ["머신러닝 데이터"],
        "english": ["python"],
        "phrase": ['"자연어 처리"'],
        "field": ["tag:python 데이터"],
    }
    (tmp_path / "earlier.json").write_text(json.dumps({"results": [{"queries": earlier}]}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out), "--queries", str(tmp_path / "earlier.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(out.read_text())
    run = report["results"][0]
    assert run["posts"] == 200
    assert {"wall_s", "cpu_s", "peak_rss_mb", "index_mb"} <= set(run["build"])
    assert {"nochange_ms", "changes_s", "changes"} <= set(run["sync"])
    assert run["sync"]["changes"] == {"updated": 10, "added": 1, "removed": 2}
    assert set(run["search"]) == {"korean_word", "korean_compound", "two_words", "english", "phrase", "field"}
    assert all(v["n"] > 0 and v["p95"] >= v["median"] for v in run["search"].values())
    assert set(run["app_search"]) == set(run["search"])
    tui = run["tui"]
    assert {"first_screen_s", "open_5kb_ms", "open_50kb_ms", "open_500kb_ms", "rss_mb", "peak_rss_mb"} <= set(tui)
    assert len(tui["write_to_row_ms"]) == bench_tui.WRITES and all(ms > 0 for ms in tui["write_to_row_ms"])
    assert {"unicode61", "trigram"} <= set(run["fts5"])
    # The app opened with no index: its first screen, searches typed while it builds, the loop's lateness.
    first = run["first_build"]
    assert 0 < first["first_screen_s"] <= first["index_ready_s"] and first["loop_lag_ms"]["n"] > 0
    assert run["queries"] == earlier
    asked = {q for queries in run["queries"].values() for q in queries}
    assert all(s["query"] in asked and s["ms"] > 0 for s in first["searches"])
    assert "app with no index yet: first screen" in result.stdout
    connections = run["connections"]
    assert connections["backlinks_ms"]["n"] == 200 and connections["related_ms"]["n"] == 30

    # Import times: a total and the five packages that cost most, for the CLI and the app.
    for module in ("reader.cli.run", "reader.ui.app"):
        imports = run["imports"][module]
        assert imports["total_ms"] > 0 and len(imports["top"]) == 5
    assert run["imports"]["reader.ui.app"]["top"][0]["package"] != "reader.cli"
    # The cold CLI: one query a class, each run paired with rg on the same files.
    assert set(run["cli"]) == set(run["search"])
    for cls, cold in run["cli"].items():
        assert cold["query"] in run["queries"][cls] and cold["reader_ms"]["n"] == 1
        assert cold["rg_ms"]["n"] == 1 and cold["ratio"] > 0
    # Profiles of the cold CLI search and of the slowest warm class, top 15 by cumulative time.
    cli_profile, search_profile = run["profiles"]
    assert cli_profile["what"].startswith("cold CLI") and "warm" in search_profile["what"]
    for profile in run["profiles"]:
        assert 0 < len(profile["top"]) <= 15
        cumulative = [row["cum_ms"] for row in profile["top"]]
        assert cumulative == sorted(cumulative, reverse=True)
    assert any("cmd_search" in row["function"] for row in cli_profile["top"])
    # Every targeted figure with its target and verdict, and the same on the terminal.
    verdicts = {v["figure"]: v for v in run["verdicts"]}
    assert {"build_s", "cli_vs_rg", "app_search_p95_ms", "first_screen_s", "rss_mb", "write_to_row_ms"} <= set(verdicts)
    for v in verdicts.values():
        assert v["met"] == (v["value"] <= v["target"])
    for label in ("full build", "app: file write → row on screen", "profile: cold CLI", "profile: warm app search"):
        assert label in result.stdout
    missed = [v for v in verdicts.values() if not v["met"]]
    assert result.stdout.count("MISSED") >= len(missed)


def test_the_cold_searches_wait_out_the_racy_window_of_the_files_the_sync_stage_wrote(tmp_path):
    """For RACY_NS after a post is written a sync cannot trust the index, and each search
    verifies the files again: the harness waits until the newest file is older than that."""
    import os

    from bench.measure import racy_wait
    from reader.search.report import RACY_NS

    posts = tmp_path / "posts"
    posts.mkdir()
    for n, age_s in enumerate((30, 0.5)):
        path = posts / f"p{n}.md"
        path.write_text("본문\n", encoding="utf-8")
        then = 1_000_000_000_000_000_000 - int(age_s * 1e9)
        os.utime(path, ns=(then, then))
    now = 1_000_000_000_000_000_000
    assert racy_wait(posts, now) == (RACY_NS - 500_000_000) / 1e9  # the newest: written 0.5 s before
    assert racy_wait(posts, now + RACY_NS) == 0.0

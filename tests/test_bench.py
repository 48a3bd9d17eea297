"""The benchmark harness runs end to end in --quick mode (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_quick_benchmark_produces_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
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
    assert {"first_screen_s", "open_5kb_ms", "open_50kb_ms", "open_500kb_ms", "rss_mb"} <= set(run["tui"])
    assert {"unicode61", "trigram"} <= set(run["fts5"])
    connections = run["connections"]
    assert connections["backlinks_ms"]["n"] == 200 and connections["related_ms"]["n"] == 30
    assert "search (ms)" in result.stdout

"""The benchmark's targets (issue 16) and the terminal table: each figure beside its target, MISSED marked."""

from __future__ import annotations

import math
from typing import Any

from bench.profile import profile_text

# (figure, unit, target at ≤ 10k posts, target beyond 10k); None: no target at that size.
TARGETS: dict[str, tuple[str, str, float | None, float | None]] = {
    "build_s": ("full build", "s", 90.0, 900.0),
    "sync_nochange_ms": ("sync, nothing changed (median)", "ms", 100.0, None),
    "sync_10_changes_s": ("sync, 10 edits + rename + delete", "s", 0.5, None),
    "cli_vs_rg": ("CLI search, whole process, worst class (× rg -l)", "×", 2.0, 1.0),
    "served_cli_vs_rg": ("… with `reader serve` running (× rg -l)", "×", 2.0, 1.0),
    "search_p95_ms": ("warm search p95, worst class (CLI-like)", "ms", 50.0, 200.0),
    "app_search_p95_ms": ("warm search p95, worst class (app)", "ms", 50.0, 200.0),
    "first_screen_s": ("app: first screen", "s", 1.0, 2.0),
    "rss_mb": ("app: peak RSS", "MB", 150.0, 1024.0),
    "write_to_row_ms": ("app: file write → row on screen (median)", "ms", 200.0, 200.0),
    "open_50kb_ms": ("app: open a 50 KB post", "ms", 150.0, 150.0),
    "open_500kb_ms": ("app: open a 500 KB post", "ms", 300.0, 300.0),
}


def targets(size: int) -> dict[str, float | None]:
    """The targets at `size` posts: the 10k ones up to 10k, the 100k ones beyond (CLI: faster than rg from 50k)."""
    out = {key: (small if size <= 10_000 else large) for key, (_, _, small, large) in TARGETS.items()}
    if 10_000 < size < 50_000:
        out["cli_vs_rg"] = out["served_cli_vs_rg"] = 2.0
    return out


def worst(values: dict[str, Any], key: str) -> tuple[str, float]:
    cls, value = max(((c, v[key] if v else math.nan) for c, v in values.items()), key=lambda cv: cv[1])
    return cls, value


def figures(r: dict[str, Any]) -> dict[str, tuple[float, str]]:
    """Every targeted figure of one size's run, with a note (which class, which file)."""
    t, s = r["tui"], r["sync"]
    out = {
        "build_s": (r["build"]["wall_s"], ""),
        "sync_nochange_ms": (s["nochange_ms"]["median"], ""),
        "sync_10_changes_s": (s["changes_s"], ""),
        "first_screen_s": (t["first_screen_s"], ""),
        "rss_mb": (t["peak_rss_mb"], f"now {t['rss_mb']:.0f} MB"),
        "write_to_row_ms": (sorted(t["write_to_row_ms"])[len(t["write_to_row_ms"]) // 2], ""),
        "open_50kb_ms": (t["open_50kb_ms"], ""),
        "open_500kb_ms": (t["open_500kb_ms"], ""),
    }
    for key, cli in (("cli_vs_rg", r["cli"]), ("served_cli_vs_rg", r.get("cli_served"))):
        ratios = {c: {"ratio": v["ratio"]} if v["ratio"] is not None else None for c, v in (cli or {}).items()}
        if ratios and all(ratios.values()):
            cls, value = worst(ratios, "ratio")
            out[key] = (value, cls)
    for key, search in (("search_p95_ms", r["search"]), ("app_search_p95_ms", r["app_search"])):
        cls, value = worst(search, "p95")
        out[key] = (value, cls)
    return out


def verdicts(r: dict[str, Any]) -> list[dict[str, Any]]:
    goal = targets(r["posts"])
    out = []
    measured = figures(r)
    for key in (k for k in TARGETS if k in measured):
        (value, note), target = measured[key], goal[key]
        out.append(
            {
                "figure": key,
                "value": value,
                "note": note,
                "target": target,
                "met": None if target is None else value <= target,
            }
        )
    return out


def mark(value: float, target: float | None) -> str:
    return "MISSED" if target is not None and value > target else ""


def table(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        lines += [f"== {r['posts']} posts, {r['vocab']} vocabulary ({r['corpus_mb']:.0f} MB) ==", ""]
        lines += [*target_lines(r), "", *search_lines(r), "", *other_lines(r), ""]
        for profile in r["profiles"]:
            lines += [*profile_text(profile), ""]
    return "\n".join(lines)


def target_lines(r: dict[str, Any]) -> list[str]:
    lines = [f"{'figure':<52}{'measured':>12}{'target':>10}"]
    for v in r["verdicts"]:
        label, unit, _, _ = TARGETS[v["figure"]]
        target = "–" if v["target"] is None else f"≤ {v['target']:g} {unit}"
        note = f"  ({v['note']})" if v["note"] else ""
        verdict = {True: "ok", False: "MISSED", None: ""}[v["met"]]
        lines.append(f"{label:<52}{v['value']:>9.2f} {unit:<3}{target:>10}  {verdict:<6}{note}")
    return lines


def search_lines(r: dict[str, Any]) -> list[str]:
    goal = targets(r["posts"])
    rg = r["ripgrep"] or {}
    fts = r["fts5"]
    lines = [
        "search, ms: cold = whole `reader search` process paired with `rg -l` (one query a class);",
        "served = the same with `reader serve` running;",
        "warm = in process, CLI-like (10 hits) and as the app asks (200 hits, posts loaded), beside rg -l and FTS5",
        f"{'class':<16}{'cold med':>9}{'p95':>7}{'rg med':>8}{'p95':>6}{'×rg':>6} {'':<6}"
        f"{'served':>7}{'p95':>6}{'×rg':>6} {'':<6}"
        f"{'warm med':>9}{'p95':>7} {'':<6}{'app med':>8}{'p95':>7} {'':<6}{'×rg':>6}{'u61':>7}{'tri':>7}",
    ]
    for cls, warm in r["search"].items():
        cold, app = r["cli"][cls], r["app_search"][cls]
        rg_cold = cold["rg_ms"] or {"median": math.nan, "p95": math.nan}
        ratio = cold["ratio"] if cold["ratio"] is not None else math.nan
        served = (r.get("cli_served") or {}).get(cls) or {"reader_ms": {"median": math.nan, "p95": math.nan}}
        served_ratio = served.get("ratio") or math.nan
        warm_rg = app["median"] / rg[cls]["median"] if cls in rg else math.nan
        u61, tri = fts["unicode61"].get(cls), fts["trigram"].get(cls)
        lines.append(
            f"{cls:<16}{cold['reader_ms']['median']:9.0f}{cold['reader_ms']['p95']:7.0f}"
            f"{rg_cold['median']:8.0f}{rg_cold['p95']:6.0f}{ratio:6.1f} {mark(ratio, goal['cli_vs_rg']):<6}"
            f"{served['reader_ms']['median']:7.0f}{served['reader_ms']['p95']:6.0f}{served_ratio:6.1f} "
            f"{mark(served_ratio, goal['served_cli_vs_rg']):<6}"
            f"{warm['median']:9.1f}{warm['p95']:7.1f} {mark(warm['p95'], goal['search_p95_ms']):<6}"
            f"{app['median']:8.1f}{app['p95']:7.1f} {mark(app['p95'], goal['app_search_p95_ms']):<6}"
            f"{warm_rg:6.2f}{u61['median'] if u61 else math.nan:7.1f}{tri['median'] if tri else math.nan:7.1f}"
        )
    return lines


def other_lines(r: dict[str, Any]) -> list[str]:
    b, c, t = r["build"], r["connections"], r["tui"]
    fts = r["fts5"]
    lines = [
        f"build: {b['wall_s']:.1f} s wall, {b['cpu_s']:.1f} s CPU, {b['peak_rss_mb']:.0f} MB peak, "
        f"index {b['index_mb']:.0f} MB; FTS5 build unicode61 {fts['unicode61']['build_s']:.1f} s, "
        f"trigram {fts['trigram']['build_s']:.1f} s",
        f"sync changes: {r['sync']['changes']}; nothing changed p95 {r['sync']['nochange_ms']['p95']:.0f} ms",
        f"backlinks: first scan {c['backlinks_scan_s']:.2f} s, then {c['backlinks_ms']['median']:.3f} ms median"
        f" / p95 {c['backlinks_ms']['p95']:.3f} ms a post (target ≤ 50 ms); "
        f"related {c['related_ms']['median']:.0f} ms median / p95 {c['related_ms']['p95']:.0f} ms",
        f"app: open 5 KB {t['open_5kb_ms']:.0f} ms; RSS now {t['rss_mb']:.0f} MB, peak {t['peak_rss_mb']:.0f} MB; "
        f"write → row {', '.join(f'{ms:.0f}' for ms in t['write_to_row_ms'])} ms",
    ]
    first = r.get("first_build")
    if first:
        searches = ", ".join(
            f"{s['query']} {s['ms']:.0f} ms{' (scan)' if s['scanned'] else ''}"
            + (f", first rows at {s['first_rows_ms']:.0f}" if s.get("first_rows_ms", s["ms"]) < s["ms"] - 1 else "")
            for s in first["searches"]
        )
        lag = first["loop_lag_ms"]
        lines.append(
            f"app with no index yet: first screen {first['first_screen_s']:.1f} s; searches typed while it builds: "
            f"{searches or 'none (built first)'}; event loop late by {lag['median']:.0f} ms median, "
            f"p95 {lag['p95']:.0f}, max {lag['max']:.0f}; index ready at {first['index_ready_s']:.0f} s; "
            f"RSS {first['rss_while_building_mb']:.0f} MB while building, peak {first['peak_rss_mb']:.0f} MB"
        )
    for module, imp in r["imports"].items():
        top = ", ".join(f"{p['package']} {p['ms']:.0f}" for p in imp["top"])
        lines.append(f"import {module}: {imp['total_ms']:.0f} ms (median of {imp['runs']}); top: {top} ms")
    return lines

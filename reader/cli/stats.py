"""`reader stats`: how many posts, when (a bar chart of posts per month), under which tags and categories."""

from __future__ import annotations

import argparse
import shutil
from typing import TYPE_CHECKING

from reader.cli.commands import open_library
from reader.cli.output import on_terminal, to_json
from reader.posts.text import cell_width, fit, printable

MONTH_INITIALS = "JFMAMJJASOND"
if TYPE_CHECKING:
    from reader.posts.stats import Stats

TOP = 20  # tags and categories listed in the text output (JSON has them all)


def cmd_stats(args: argparse.Namespace) -> int:
    from reader.posts.stats import Stats, text_totals

    library = open_library(args)
    posts = library.snapshot.posts
    stats = Stats.from_taxonomy(
        library.snapshot.taxonomy, sum(1 for p in posts if p.draft), sum(1 for p in posts if p.date is None)
    )
    words, characters = text_totals(posts)
    if args.json:
        print(to_json({"root": str(library.root), **stats.to_json(), "words": words, "characters": characters}))
        return 0
    columns = shutil.get_terminal_size().columns if on_terminal() else None
    for line in stats_lines(stats, words, characters, columns):
        print(line)
    return 0


def stats_lines(stats: Stats, words: int, characters: int, columns: int | None = None) -> list[str]:
    """The text output: totals, a chart of posts per month (a row a year, with its total), tags,
    categories. `columns`: the terminal's width, that a tag's or a category's line fits in."""
    from reader.posts.stats import sparkline

    drafts = f" ({stats.drafts} {'draft' if stats.drafts == 1 else 'drafts'})" if stats.drafts else ""
    lines = [
        f"{stats.posts} {'post' if stats.posts == 1 else 'posts'}{drafts}, {words:,} words, {characters:,} characters"
    ]
    if stats.undated:
        lines.append(f"{stats.undated} without a date")
    rows = stats.year_rows()
    if rows:
        top = max(max(counts) for _, counts in rows)
        lines += ["", f"posts per month (█ = {top})", "      " + MONTH_INITIALS]
        empty: list[int] = []  # a run of years without posts is one line
        for year, counts in [*rows, (0, [1])]:
            if not sum(counts):
                empty.append(year)
                continue
            if empty:
                span = f"{empty[-1]:04d}–{empty[0]:04d}" if len(empty) > 1 else f"{empty[0]:04d}"
                lines.append(f"{span}  no posts")
                empty = []
            if year:
                lines.append(f"{year:04d}  {sparkline(counts, top)}  {sum(counts)}")
    if stats.tags:
        lines += ["", "tags", *_counted([(f"#{t}", n) for t, n in stats.tags.items()], len(stats.tags), columns)]
    if stats.categories:
        named = [("/".join(path), n) for path, n in stats.categories.items()]  # a category, then those below it
        lines += ["", "categories", *_counted(named, len(named), columns)]
    return lines


def _counted(items: list[tuple[str, int]], total: int, columns: int | None) -> list[str]:
    shown = [(printable(name), count) for name, count in items[:TOP]]
    width = max(cell_width(name) for name, _ in shown)
    if columns is not None:  # a long name is cropped with `…`: its count is never broken over two lines
        width = max(1, min(width, columns - 4 - max(len(str(count)) for _, count in shown)))
    out = [f"  {fit(name, width)}  {count}" for name, count in shown]
    if total > TOP:
        out.append(f"  … {total - TOP} more (--json lists them all)")
    return out

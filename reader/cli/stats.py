"""`reader stats`: how many posts, when (a bar chart of posts per month), under which tags and categories."""

from __future__ import annotations

import argparse
import shutil
from typing import TYPE_CHECKING

from reader.cli.commands import open_library
from reader.cli.i18n import t
from reader.cli.output import on_terminal, to_json
from reader.posts.text import cell_width, fit, printable

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

    drafts = t(" ({count} draft)" if stats.drafts == 1 else " ({count} drafts)", count=stats.drafts)
    lines = [
        t(
            "{posts} post{drafts}, {words} words, {characters} characters"
            if stats.posts == 1
            else "{posts} posts{drafts}, {words} words, {characters} characters",
            posts=stats.posts,
            drafts=drafts if stats.drafts else "",
            words=f"{words:,}",
            characters=f"{characters:,}",
        )
    ]
    if stats.undated:
        lines.append(t("{count} without a date", count=stats.undated))
    rows = stats.year_rows()
    if rows:
        top = max(max(counts) for _, counts in rows)
        # A letter a month over the chart's columns (Korean months have numbers, not names).
        lines += ["", t("posts per month (█ = {top})", top=top), "      " + t("JFMAMJJASOND")]
        empty: list[int] = []  # a run of years without posts is one line
        for year, counts in [*rows, (0, [1])]:
            if not sum(counts):
                empty.append(year)
                continue
            if empty:
                span = f"{empty[-1]:04d}–{empty[0]:04d}" if len(empty) > 1 else f"{empty[0]:04d}"
                lines.append(t("{years}  no posts", years=span))
                empty = []
            if year:
                lines.append(f"{year:04d}  {sparkline(counts, top)}  {sum(counts)}")
    if stats.tags:
        tags = [(f"#{tag}", n) for tag, n in stats.tags.items()]
        lines += ["", t("tags"), *_counted(tags, len(stats.tags), columns)]
    if stats.categories:
        named = [("/".join(path), n) for path, n in stats.categories.items()]  # a category, then those below it
        lines += ["", t("categories"), *_counted(named, len(named), columns)]
    return lines


def _counted(items: list[tuple[str, int]], total: int, columns: int | None) -> list[str]:
    shown = [(printable(name), count) for name, count in items[:TOP]]
    width = max(cell_width(name) for name, _ in shown)
    if columns is not None:  # a long name is cropped with `…`: its count is never broken over two lines
        width = max(1, min(width, columns - 4 - max(len(str(count)) for _, count in shown)))
    out = [f"  {fit(name, width)}  {count}" for name, count in shown]
    if total > TOP:
        out.append("  " + t("… {count} more (--json lists them all)", count=total - TOP))
    return out

"""The fidelity harness on the guide and both real blogs: nothing left that the sites would not show."""

from __future__ import annotations

import os

import pytest

from bench.fidelity import CLASSES, Report, run
from tests.conftest import CORPORA, POSTS

# Word lists where the author typed blanks as underscores (`여름귤나무(__橘__)`, `(梧桐__)`):
# not emphasis in any renderer's sense, so whatever pairs up looks like a stray `__x__`.
SOURCE_EXCEPTIONS = {"_posts/2017-05-17-nounontology.md", "_posts/2017-05-16-nounontology2.md"}


def counted(report: Report, kind: str) -> list[str]:
    return [e for e in report.examples.get(kind, []) if e.split(":", 1)[0] not in SOURCE_EXCEPTIONS]


def test_the_guide_renders_without_artifacts():
    report = run(POSTS)
    assert report.posts >= 20
    assert {kind: report.counts[kind] for kind in CLASSES} == dict.fromkeys(CLASSES, 0), report.examples


@pytest.mark.parametrize("name", ["ratsgo", "philm2k"])
def test_the_real_blogs_render_without_artifacts(name):
    if os.environ.get("GEULBAT_NO_CORPORA") == "1":
        pytest.skip("GEULBAT_NO_CORPORA=1")
    assert CORPORA.is_dir(), f"{CORPORA} is missing: the real-blog tests need ../shared/corpora beside the repo"
    report = run(CORPORA / name)
    for kind in CLASSES:
        assert counted(report, kind) == [], (kind, report.examples[kind])

"""Built as a wheel and as an sdist, installed into fresh virtual environments, run as users run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(900)

BLOG = {
    "_config.yml": "url: https://blog.example.org\n",
    "_posts/2024-01-01-first.md": "---\ntitle: 첫 글\n---\n[둘째](2024-01-02-second.md)\n",
    "_posts/2024-01-02-second.md": "---\ntitle: 둘째 글\n---\n본문\n",
}


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--sdist", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_installed_from_a_built_package(kind, artifacts, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = env_dir / "bin" / "pip"
    subprocess.run([str(pip), "install", "--quiet", str(artifacts[kind])], check=True, capture_output=True, timeout=600)
    reader = str(env_dir / "bin" / "reader")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GEULBAT_")}
    env.update(
        HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config")
    )

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([reader, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)

    version = run("--version", cwd=tmp_path)
    assert version.returncode == 0 and "geulbat" in version.stdout
    second = subprocess.run([str(env_dir / "bin" / "geulbat"), "--version"], capture_output=True, text=True, env=env)
    assert second.stdout == version.stdout

    blog = tmp_path / "blog"
    for rel, text in BLOG.items():
        (blog / rel).parent.mkdir(parents=True, exist_ok=True)
        (blog / rel).write_text(text, encoding="utf-8")
    listed = run("posts", "--json", cwd=blog)  # no --posts: the blog it is run in
    assert listed.returncode == 0, listed.stderr
    assert sorted(p["title"] for p in json.loads(listed.stdout)) == ["둘째 글", "첫 글"]
    inside = run("posts", "--json", cwd=blog / "_posts")  # inside _posts/: the site around it
    assert sorted(p["path"] for p in json.loads(inside.stdout)) == [
        "_posts/2024-01-01-first.md",
        "_posts/2024-01-02-second.md",
    ]

    empty = tmp_path / "empty"
    empty.mkdir()
    guide = run("posts", "--json", cwd=empty)  # nowhere to read: the guide inside the package
    assert guide.returncode == 0, guide.stderr
    assert any(p["path"] == "2026-01-05-welcome.md" for p in json.loads(guide.stdout))

    post = blog / "_posts" / "2024-01-01-first.md"
    shown = run("show", str(post), cwd=empty)  # an absolute path, from anywhere
    assert shown.returncode == 0 and "첫 글" in shown.stdout and "둘째[1]" in shown.stdout
    links = json.loads(run("links", str(post), "--json", cwd=empty).stdout)
    assert [(link["kind"], link["target"]) for link in links] == [("post", "_posts/2024-01-02-second.md")]

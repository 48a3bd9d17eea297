"""The settings file: whatever sits at its path, the app starts and nothing is lost."""

from __future__ import annotations

import os

import pytest

from reader.settings import Settings


def test_round_trip(tmp_path):
    path = tmp_path / "config.toml"
    Settings(theme='no"rd', show_drafts=True).save(path)
    assert Settings.load(path) == (Settings(theme='no"rd', show_drafts=True), None)
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


@pytest.mark.timeout(10)  # a FIFO used to block the app on a blank screen
def test_a_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    settings, problem = Settings.load(path)
    assert settings == Settings() and problem and "not a regular file" in problem


def test_a_device_is_refused():
    settings, problem = Settings.load(__import__("pathlib").Path("/dev/zero"))  # read 2.5 GB in 2 s before
    assert settings == Settings() and problem and "not a regular file" in problem


def test_a_huge_file_is_refused(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"#" * (1024 * 1024))
    assert "larger than 64 KB" in (Settings.load(path)[1] or "")


def test_invalid_toml_keeps_the_defaults_and_says_where(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord\n', encoding="utf-8")
    settings, problem = Settings.load(path)
    assert settings == Settings() and problem and str(path) in problem
    assert path.read_text(encoding="utf-8") == 'theme = "nord\n'  # nothing lost


def test_saving_over_a_directory_fails_cleanly(tmp_path):
    path = tmp_path / "config.toml"
    path.mkdir()
    with pytest.raises(OSError):
        Settings().save(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]  # no stray .tmp

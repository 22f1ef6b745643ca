"""Bad input at the command line: one line on stderr, a non-zero exit, no traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .conftest import run_cli


def assert_one_line_error(result, fragment: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert fragment in lines[0]


@pytest.fixture
def busy_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def test_unknown_site(tmp_path: Path) -> None:
    result = run_cli("crawl", "atlantis", "--archive", str(tmp_path / "a.db"))
    assert_one_line_error(result, "unknown site 'atlantis'")
    assert not (tmp_path / "a.db").exists()


def test_missing_archive_directory(tmp_path: Path) -> None:
    result = run_cli("crawl", "--archive", str(tmp_path / "nowhere" / "a.db"))
    assert_one_line_error(result, "does not exist")


def test_archive_that_is_not_sqlite(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("these are my notes, not a database\n" * 50)
    result = run_cli("crawl", "--archive", str(bogus))
    assert_one_line_error(result, "notes.db")
    assert bogus.read_text().startswith("these are my notes")


def test_replay_port_in_use(busy_port: int) -> None:
    assert_one_line_error(run_cli("replay", "--port", str(busy_port)), "cannot listen")


def test_serve_port_in_use(tmp_path: Path, busy_port: int) -> None:
    archive = tmp_path / "archive.db"
    assert run_cli("runs", "--archive", str(archive)).returncode != 0  # not created by `runs`
    from archive.db import Archive

    Archive.open(archive).close()
    assert_one_line_error(
        run_cli("serve", "--archive", str(archive), "--port", str(busy_port)), "in use"
    )


def test_serve_without_archive(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("serve", "--archive", str(tmp_path / "none.db")), "no archive")


@pytest.mark.parametrize(
    "args",
    [
        ("replay", "--port", "eighty"),
        ("replay", "--port", "70000"),
        ("serve", "--port", "-1"),
        ("crawl", "--bogus-flag"),
        ("no-such-command",),
    ],
)
def test_bad_arguments(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_help_lists_every_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("crawl", "replay", "serve", "demo", "normalize", "sources", "runs"):
        assert command in result.stdout

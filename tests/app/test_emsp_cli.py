"""The `emsp` command on a real database file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import main


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("EMSP_DATABASE_URL", url)
    return url


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_migrate_then_seed_berlin_then_seed_is_skipped_when_not_empty(sqlite_env: str) -> None:
    import asyncio

    from app.cli import _seed_berlin_if_empty

    _run("db", "upgrade")
    first = asyncio.run(_seed_berlin_if_empty(sqlite_env))
    assert first["seeded"] is True
    assert first["locations"] > 500
    second = asyncio.run(_seed_berlin_if_empty(sqlite_env))
    assert second == {"seeded": False, "existing_locations": first["locations"]}


def test_import_ocpi_file_reports_counts(sqlite_env: str, repo_root: Path) -> None:
    _run("db", "upgrade")
    example = repo_root / "tests" / "fixtures" / "ocpi" / "2.2.1" / "location_example.json"
    output = json.loads(_run("stations", "import", str(example), "--format", "ocpi-2.2.1"))
    assert output == {"locations": 1, "evses": 2, "connectors": 3, "skipped": []}


def test_import_reports_bad_records_instead_of_failing(sqlite_env: str, tmp_path: Path) -> None:
    _run("db", "upgrade")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "nope", "country_code": "DE"}]))
    output = json.loads(_run("stations", "import", str(bad), "--format", "ocpi-2.2.1"))
    assert output["locations"] == 0
    assert output["skipped"][0]["id"] == "[0] nope"


def test_openapi_check_detects_drift(tmp_path: Path) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}")
    result = CliRunner().invoke(main, ["openapi", "export", str(stale), "--check"])
    assert result.exit_code != 0
    assert "out of date" in result.output
    _run("openapi", "export", str(stale))
    _run("openapi", "export", str(stale), "--check")


def test_upgrade_creates_the_folder_of_a_new_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A fresh clone has no var/ folder; `make run` must still work.
    target = tmp_path / "not" / "there" / "emsp.sqlite3"
    monkeypatch.setenv("EMSP_DATABASE_URL", f"sqlite+aiosqlite:///{target}")
    _run("db", "upgrade")
    assert target.exists()

"""Shared fixtures: a throw-away project folder and one site build shared by the site tests."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CARD_DIR = REPO / "data" / "llama-3.1"
EPOCH = "1721692800"  # 2024-07-23, the card's release date


def make_project(where: Path) -> Path:
    """A folder laid out like the repository root (config, docs, templates), data excluded."""
    where.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(REPO / "docs", where / "docs")
    shutil.copytree(REPO / "templates", where / "templates")
    return where


Snapshot = dict[str, str]


def snapshot(project: Path) -> Snapshot:
    """sha256 of every file under ``site/`` and ``dist/``, by path relative to the project."""
    return {
        f.relative_to(project).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for top in ("site", "dist")
        for f in sorted((project / top).rglob("*"))
        if f.is_file()
    }


def copy_card(where: Path) -> Path:
    """A private copy of the Llama 3.1 card to break or change."""
    return Path(shutil.copytree(CARD_DIR, where))


def run_cardsite(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user or a CI script would."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "cardsite.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project where `cardsite build` (all targets) ran once on the Llama 3.1 card."""
    project = make_project(tmp_path_factory.mktemp("project"))
    result = run_cardsite(
        "build", str(CARD_DIR), "--site-url", "https://example.org/llama/", cwd=project
    )
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture(scope="session")
def site(built_project: Path) -> Path:
    return built_project / "site"

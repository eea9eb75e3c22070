"""cardsite as a user gets it: a wheel installed in a fresh virtual environment outside the
checkout, used in empty folders (``cardsite new``, ``build``, ``generate`` + plain MkDocs, and
the plugin in a MkDocs site that has pages of its own).

An editable install, or running from the checkout, would hide files missing from the package;
here nothing of the repository is on the path.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.conftest import CARD_DIR, EPOCH, REPO

VARIANTS = [
    "Llama 3.1 8B",
    "Llama 3.1 8B Instruct",
    "Llama 3.1 70B",
    "Llama 3.1 70B Instruct",
    "Llama 3.1 405B",
    "Llama 3.1 405B Instruct",
]
CATEGORIES = [
    "General",
    "Knowledge reasoning",
    "Reading comprehension",
    "Reasoning",
    "Code",
    "Math",
    "Tool Use",
    "Multilingual",
]


class Venv:
    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"

    def run(
        self, *args: str, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        clean = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
        return subprocess.run(
            command,
            cwd=cwd,
            env={**clean, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Venv]:
    """A fresh venv holding the wheel built from this checkout (and its dependencies)."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = wheels.glob("cardsite-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True, timeout=300)
    env = Venv(root / "venv")
    installed = subprocess.run(
        [str(env.bin / "pip"), "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    yield env


def titles(site: Path, folder: str) -> list[str]:
    pages = sorted((site / folder).glob("*/index.html"))
    return [h1(page) for page in pages]


def h1(page: Path) -> str:
    heading = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("h1")
    assert heading is not None, page
    for permalink in heading.select("a.headerlink"):
        permalink.decompose()
    return heading.get_text(" ", strip=True)


def assert_card_pages(site: Path) -> None:
    assert sorted(titles(site, "variants")) == sorted(VARIANTS)
    assert sorted(titles(site, "benchmarks")) == sorted(CATEGORIES)


def test_the_package_runs_outside_the_checkout(venv: Venv, tmp_path: Path) -> None:
    where = venv.run("python", "-c", "import cardsite; print(cardsite.__file__)", cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(REPO) not in where.stdout and "site-packages" in where.stdout


def test_new_then_build_in_an_empty_folder(venv: Venv, tmp_path: Path) -> None:
    made = venv.run("cardsite", "new", "project", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    project = tmp_path / "project"
    assert (project / "mkdocs.yml").is_file() and (project / "templates").is_dir()
    assert (project / "data" / "llama-3.1" / "family.yaml").is_file()
    assert "cardsite" in (project / "mkdocs.yml").read_text(encoding="utf-8")

    built = venv.run("cardsite", "build", cwd=project)
    assert built.returncode == 0, built.stderr
    assert_card_pages(project / "site")
    assert (project / "dist" / "offline" / "index.html").is_file()
    assert (project / "dist" / "embed" / "index.html").is_file()
    # Work folders and caches stay in the project, never in the card folder.
    assert sorted(p.name for p in (project / "data" / "llama-3.1").iterdir()) == sorted(
        p.name for p in CARD_DIR.iterdir()
    )

    again = venv.run("cardsite", "new", "project", cwd=tmp_path)
    assert again.returncode == 1 and "not an empty folder" in again.stderr


def test_build_with_no_mkdocs_yml_uses_defaults_and_out(venv: Venv, tmp_path: Path) -> None:
    card = shutil.copytree(CARD_DIR, tmp_path / "cards" / "llama")
    empty = tmp_path / "empty"
    empty.mkdir()
    built = venv.run(
        "cardsite", "build", str(card), "--out", "out", "--target", "hosted", cwd=empty
    )
    assert built.returncode == 0, built.stderr
    assert_card_pages(empty / "out" / "site")
    assert not (empty / "site").exists()
    assert sorted(p.name for p in card.iterdir()) == sorted(p.name for p in CARD_DIR.iterdir())


def test_generate_then_plain_mkdocs(venv: Venv, tmp_path: Path) -> None:
    generated = venv.run("cardsite", "generate", str(CARD_DIR), "-o", "gen", cwd=tmp_path)
    assert generated.returncode == 0, generated.stderr
    config = yaml.safe_load((tmp_path / "gen" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"] and "hooks" not in config
    assert config["docs_dir"] == "docs"  # relative: some builders refuse absolute paths
    built = venv.run("mkdocs", "build", "--strict", "-f", "gen/mkdocs.yml", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert_card_pages(tmp_path / "gen" / "site")


EXISTING_SITE = """\
site_name: !ENV [TEAM_SITE_NAME, "Our team"]
theme:
  name: material
plugins:
  - search
  - cardsite:
      card: data/my-card
"""


def test_plugin_in_an_existing_site_keeps_its_home_page(venv: Venv, tmp_path: Path) -> None:
    site = tmp_path / "team-docs"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Team home\n\nOur own page.\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(EXISTING_SITE, encoding="utf-8")
    shutil.copytree(CARD_DIR, site / "data" / "my-card")

    built = venv.run("mkdocs", "build", cwd=site, env={"TEAM_SITE_NAME": "Models at ACME"})
    assert built.returncode == 0, built.stderr
    assert h1(site / "site" / "index.html") == "Team home"
    assert_card_pages(site / "site" / "llama-3-1")
    home = (site / "site" / "index.html").read_text(encoding="utf-8")
    assert "Models at ACME" in home  # !ENV read by MkDocs' own loader
    assert "Llama 3.1" in home  # the card's nav section

    # `cardsite build` reads the same mkdocs.yml, !ENV included.
    built = venv.run(
        "cardsite", "build", "--target", "hosted", cwd=site, env={"TEAM_SITE_NAME": "ACME 2"}
    )
    assert built.returncode == 0, built.stderr
    assert h1(site / "site" / "index.html") == "Team home"
    assert "ACME 2" in (site / "site" / "index.html").read_text(encoding="utf-8")
    assert_card_pages(site / "site" / "llama-3-1")


def test_plugin_option_errors_name_the_option(venv: Venv, tmp_path: Path) -> None:
    site = tmp_path / "team-docs"
    (site / "docs").mkdir(parents=True)
    (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        EXISTING_SITE.replace("data/my-card", "data/missing"), encoding="utf-8"
    )
    built = venv.run("mkdocs", "build", cwd=site)
    assert built.returncode == 1
    assert "data/missing" in built.stderr and "no such card folder" in built.stderr
    assert "Traceback" not in built.stderr

    (site / "mkdocs.yml").write_text(
        EXISTING_SITE.replace("card: data/my-card", "card: data/missing\n      jobs: many"),
        encoding="utf-8",
    )
    built = venv.run("mkdocs", "build", cwd=site)
    assert built.returncode == 1
    assert "jobs" in built.stderr and "Traceback" not in built.stderr

"""What README.md promises a new user, checked: the minimal card it shows builds, and the
commands it lists exist."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO, run_cardsite
from tests.site_checks import page, visible_text

README = (REPO / "README.md").read_text(encoding="utf-8")


def minimal_card_files() -> dict[str, str]:
    """The YAML blocks that follow a `name.yaml` line in the card format section."""
    section = README.split("## The card format", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^`([a-z]+\.yaml)`\n\n```yaml\n(.*?)```", section, re.M | re.S)
    return dict(blocks)


def test_the_minimal_card_builds(tmp_path: Path) -> None:
    files = minimal_card_files()
    assert set(files) == {"family.yaml", "variants.yaml", "results.yaml"}
    card = tmp_path / "data" / "my-model"
    card.mkdir(parents=True)
    for name, text in files.items():
        (card / name).write_text(text, encoding="utf-8")
    done = run_cardsite("build", str(card), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert visible_text(page(site, "").select_one("article h1")) == "My Model"
    variant = page(site, "variants/my-model-7b")
    assert visible_text(variant.select_one("article h1")) == "My Model 7B"
    assert "62.12" in visible_text(variant.select_one("article"))
    assert visible_text(page(site, "benchmarks/main").select_one("article h1")) == "Evaluation"
    # Nothing it has no data for: no training, safety or glossary page.
    for absent in ("training", "safety", "glossary"):
        assert not (site / absent).exists()


def test_every_command_of_the_table_exists() -> None:
    commands = set(re.findall(r"^\| `cardsite ([a-z]+)", README, re.M))
    assert commands >= {"validate", "build", "serve", "export", "import", "new", "generate"}
    for command in commands:
        done = run_cardsite(command, "--help", cwd=REPO)
        assert done.returncode == 0, (command, done.stderr)

"""``cardsite export``: formats, output paths and exit codes, in process and as a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from huggingface_hub import ModelCard

from cardsite.card.loader import load_card
from cardsite.card.models import Card
from cardsite.cli import main
from cardsite.exports import tables as export

ROOT = Path(__file__).resolve().parents[1]
CARD_DIR = ROOT / "data" / "llama-3.1"


@pytest.fixture(scope="module")
def card() -> Card:
    return load_card(CARD_DIR)[0]


def test_csv_to_stdout(card: Card, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(CARD_DIR), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out == export.to_csv(card)
    assert out.startswith("variant,benchmark,category,shots,metric,language,value,table,column\n")


def test_json_to_file(card: Card, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "deep" / "card.json"
    assert main(["export", str(CARD_DIR), "--format", "json", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_bytes() == export.to_json(card).encode("utf-8")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data.pop("cardsite_format") == 2
    assert Card.model_validate(data) == card


def test_hf_to_folder(
    card: Card, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert main(["export", str(CARD_DIR), "--format", "hf", "-o", str(tmp_path)]) == 0
    readmes = sorted(tmp_path.glob("*/README.md"))
    assert [p.parent.name for p in readmes] == sorted(v.id for v in card.own_variants)
    for path in readmes:
        assert ModelCard.load(path).data.eval_results
    assert f"wrote {len(readmes)} model cards" in capsys.readouterr().err


def test_hf_without_output_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(CARD_DIR), "--format", "hf"]) == 2
    assert "-o" in capsys.readouterr().err


def test_missing_card_folder_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    assert main(["export", str(missing), "--format", "csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"{missing}:1:1:" in captured.err and "no such card folder" in captured.err
    assert "Traceback" not in captured.err


def _broken_copy(tmp_path: Path) -> tuple[Path, int]:
    """A copy of the card with a cell that holds no score (N/A) among the scores; its line."""
    broken = tmp_path / "card"
    shutil.copytree(CARD_DIR, broken)
    results = broken / "results.yaml"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.strip().endswith('"55.0"'))
    lines[index] = lines[index].replace('"55.0"', '"N/A"')
    results.write_text("".join(lines), encoding="utf-8")
    return broken, index + 1


def test_bad_card_exits_1_with_a_located_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken, line = _broken_copy(tmp_path)
    assert main(["export", str(broken), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"results.yaml:{line}:" in captured.err
    assert "'N/A' is not a score" in captured.err
    assert "Traceback" not in captured.err


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "cardsite.cli", "export", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_subprocess(card: Card, tmp_path: Path) -> None:
    done = _run(str(CARD_DIR), "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == export.to_csv(card)

    broken, line = _broken_copy(tmp_path)
    done = _run(str(broken), "--format", "csv")
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"results.yaml:{line}:" in done.stderr
    assert "Traceback" not in done.stderr

    done = _run(str(CARD_DIR), "--format", "hf")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_hf_export_with_hub_org_names_the_base_model_repo(tmp_path: Path, capsys) -> None:
    out = tmp_path / "hf"
    assert (
        main(["export", str(CARD_DIR), "--format", "hf", "-o", str(out), "--hub-org", "meta-llama"])
        == 0
    )
    text = (out / "llama-3-1-8b-instruct" / "README.md").read_text(encoding="utf-8")
    assert "base_model: meta-llama/llama-3-1-8b" in text

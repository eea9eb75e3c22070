"""The JSON Schema editors use must be the one the models define, and must accept the card."""

from __future__ import annotations

import json

import yaml

from cardsite.card.schema import card_schema
from cardsite.cli import main
from tests.conftest import CARD_DIR, REPO


def test_committed_schema_is_current(capsys) -> None:
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    committed = json.loads((REPO / "schema" / "card.schema.json").read_text(encoding="utf-8"))
    assert printed == committed, "run: cardsite schema > schema/card.schema.json"


def test_every_card_file_points_at_the_schema() -> None:
    for path in sorted(CARD_DIR.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/card.schema.json", path


def test_schema_refuses_unknown_top_level_keys() -> None:
    schema = card_schema()
    assert schema["additionalProperties"] is False
    for path in sorted(CARD_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= set(schema["properties"]), path


def _properties(schema: dict) -> list[tuple[str, str, dict]]:
    """(definition, field, property schema) for every field of every model in the schema."""
    found = [("CardFile", name, prop) for name, prop in schema["properties"].items()]
    for definition, model in schema.get("$defs", {}).items():
        found += [(definition, name, prop) for name, prop in model.get("properties", {}).items()]
    return found


def test_every_field_has_a_description_and_an_example() -> None:
    undocumented = [
        f"{definition}.{name}: {', '.join(k for k in ('description', 'examples') if k not in prop)}"
        for definition, name, prop in _properties(card_schema())
        if "description" not in prop or "examples" not in prop
    ]
    assert undocumented == []

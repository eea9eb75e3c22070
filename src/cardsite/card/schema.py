"""The JSON Schema of the card format, for editors (yaml-language-server) and other tools.

One schema serves every file of a card folder: each file holds some of its top-level keys, so
all are optional here and unknown ones are refused, as the loader refuses them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from cardsite.card.models import CARD_FILES

SCHEMA_ID = "https://cardsite.dev/schema/card.schema.json"


def card_schema() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for model in CARD_FILES.values():
        for name, info in model.model_fields.items():
            fields[name] = (
                info.annotation | None,
                Field(None, description=info.description, examples=info.examples),
            )
    combined: type[BaseModel] = create_model(
        "CardFile", __config__=ConfigDict(extra="forbid"), **fields
    )
    schema = combined.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["title"] = "cardsite card file"
    schema["description"] = (
        "One YAML file of a cardsite card folder: " + ", ".join(CARD_FILES) + " (only "
        "family.yaml is required)."
    )
    return schema

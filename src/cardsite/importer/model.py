"""What the interpreter hands the writer: the card as plain data, every guess beside the value
it concerns, and the cells that were not imported.

A :class:`Reviewed` wraps any value (a scalar, a mapping, a list item) that the importer
guessed; the writer prints its note as a ``# review:`` comment at that value's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Reviewed:
    """A value the importer guessed, with what a person should check."""

    value: Any
    note: str


@dataclass(frozen=True)
class Skipped:
    """A table cell holding a number that the card folder does not keep."""

    line: int
    text: str
    where: str
    reason: str


@dataclass
class TableSummary:
    title: str
    line: int
    kind: str
    """``results``, ``data``, ``facts``, ``model list`` or ``model-index``."""
    scores: int = 0
    missing: int = 0
    layout: str = ""
    columns: int = 0
    rows: int = 0


@dataclass
class Imported:
    """The card folder to write: file name -> data (with :class:`Reviewed` wrappers)."""

    files: dict[str, dict[str, Any]]
    tables: list[TableSummary] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Plain remarks for the report (front matter ignored, merged variants)."""
    variants: int = 0
    scores: int = 0


def unwrap(value: Any) -> Any:
    """The data without review notes (what the YAML will hold)."""
    if isinstance(value, Reviewed):
        return unwrap(value.value)
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value


def count_reviews(value: Any) -> int:
    if isinstance(value, Reviewed):
        return 1 + count_reviews(value.value)
    if isinstance(value, dict):
        return sum(count_reviews(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_reviews(v) for v in value)
    return 0

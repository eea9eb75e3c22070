"""What an import did, for a person (lines on stderr) and for a script (``--report FILE``).

The last line is always the one-line summary:
``imported S scores from T tables (V variants); U cells not imported; G guesses to review``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from cardsite.importer.model import Skipped, TableSummary


@dataclass
class Report:
    source: str
    card_dir: str
    scores: int
    variants: int
    tables: list[TableSummary]
    skipped: list[Skipped]
    guesses: int
    notes: list[str] = field(default_factory=list)
    review_lines: list[str] = field(default_factory=list)
    """``file:line: note`` for every review comment written."""

    @property
    def results_tables(self) -> int:
        return sum(1 for t in self.tables if t.kind not in ("data", "facts", "model list"))

    def summary(self) -> str:
        return (
            f"imported {self.scores} scores from {self.results_tables} tables "
            f"({self.variants} variants); {len(self.skipped)} cells not imported; "
            f"{self.guesses} guesses to review"
        )

    def lines(self) -> list[str]:
        out = [f"{self.source} -> {self.card_dir}"]
        for t in self.tables:
            if t.kind in ("data", "facts", "model list"):
                out.append(f"  line {t.line}: {t.kind} table {t.title!r} ({t.rows} rows)")
            else:
                layout = f", {t.layout.replace('-', ' ')}" if t.layout else ""
                out.append(
                    f"  line {t.line}: {t.kind} {t.title!r}{layout}: {t.columns} models x "
                    f"{t.rows} rows, {t.scores} scores, {t.missing} missing"
                )
        for note in self.notes:
            out.append(f"  note: {note}")
        if self.skipped:
            out.append("cells not imported:")
            for s in self.skipped:
                out.append(f"  line {s.line}: {s.text!r} ({s.where}): {s.reason}")
        if self.guesses:
            out.append(
                f"guesses to review ({self.guesses}): search the card's files for '# review:'"
            )
        out.append(self.summary())
        return out

    def write_json(self, path: Path) -> None:
        data = {
            "source": self.source,
            "card_dir": self.card_dir,
            "scores": self.scores,
            "tables": [asdict(t) for t in self.tables],
            "variants": self.variants,
            "not_imported": [asdict(s) for s in self.skipped],
            "guesses": self.guesses,
            "reviews": self.review_lines,
            "notes": self.notes,
            "summary": self.summary(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

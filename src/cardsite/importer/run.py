"""One import, start to end: read, parse, interpret, write, validate, report."""

from __future__ import annotations

import re
from pathlib import Path

from cardsite.card.loader import load_card
from cardsite.card.problems import CardError
from cardsite.importer.document import DocumentError, read_document
from cardsite.importer.interpret import interpret
from cardsite.importer.model import Imported
from cardsite.importer.report import Report
from cardsite.importer.tables import TableError, outline
from cardsite.importer.writer import WriteError, render, write_folder


class ImportFailed(Exception):
    """Nothing was written; the message is one line for the user."""


def convert(source: Path) -> tuple[Imported, dict[str, str]]:
    """The card folder's files (name -> YAML text) for one document, not yet written."""
    try:
        doc = read_document(source)
        blocks = outline(doc.body, doc.body_line)
    except (DocumentError, TableError) as err:
        raise ImportFailed(str(err)) from None
    except RecursionError:
        raise ImportFailed(f"{source}: the document nests too deeply to read") from None
    if not any(b.kind == "table" for b in blocks) and not doc.raw_model_index:
        raise ImportFailed(f"{source} has no tables and no model-index: nothing to import")
    imported = interpret(doc, blocks)
    if doc.front_matter_error:
        imported.notes.append(doc.front_matter_error)
    if "results.yaml" not in imported.files:
        raise ImportFailed(f"{source} has tables but none of them holds scores: nothing to import")
    return imported, {name: render(name, data) for name, data in imported.files.items()}


def import_card(source: Path, card_dir: Path, *, force: bool = False) -> Report:
    """Import ``source`` into ``card_dir``; raises :class:`ImportFailed` with nothing written."""
    if (card_dir.exists() or card_dir.is_symlink()) and not force:
        raise ImportFailed(f"{card_dir} exists; use --force to replace it (nothing was written)")
    try:
        imported, texts = convert(source)
    except ImportFailed:
        raise
    except Exception as err:  # a document no rule foresaw: one line, never a traceback
        raise ImportFailed(
            f"{source}: could not be read as a model card ({type(err).__name__}: {err}); "
            "nothing was written"
        ) from None

    def check(folder: Path) -> None:
        try:
            load_card(folder)
        except CardError as err:
            first = next((p for p in err.problems if p.severity == "error"), err.problems[0])
            raise ImportFailed(
                f"the imported card does not validate ({len(err.problems)} problem(s), first: "
                f"{first.path}: {first.message}); nothing was written"
            ) from None

    try:
        write_folder(texts, card_dir, force=force, check=check)
    except WriteError as err:
        raise ImportFailed(f"{err}; nothing was written") from None
    reviews = [
        f"{name}:{n}: {line.strip()[len('# review: ') :]}"
        for name, text in texts.items()
        for n, line in enumerate(text.split("\n"), 1)
        if re.match(r"\s*# review: ", line)
    ]
    return Report(
        source=str(source),
        card_dir=str(card_dir),
        scores=imported.scores,
        variants=imported.variants,
        tables=imported.tables,
        skipped=imported.skipped,
        guesses=len(reviews),
        notes=imported.notes,
        review_lines=reviews,
    )

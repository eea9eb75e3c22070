"""Collect a card: read its folder, validate every file, join them into a :class:`Card`.

This is the only way data enters cardsite. Problems come back located (file, line, column,
YAML path) so that ``cardsite validate`` can print them and every other command can refuse a
bad card with the same messages.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from cardsite.card import checks
from cardsite.card.models import (
    CARD_FILES,
    FIGURE_PATTERN,
    SLUG_PATTERN,
    BenchmarksFile,
    Card,
    FamilyFile,
    ProseFile,
    Result,
    ResultsFile,
    TrainingFile,
    VariantsFile,
)
from cardsite.card.problems import CardError, Problem, unknown
from cardsite.card.yamlsource import YamlDocument, YamlFileError, read_yaml

DEFAULT_CARD_DIR = Path("data/llama-3.1")


def load_card(card_dir: Path | str = DEFAULT_CARD_DIR) -> tuple[Card, list[Problem]]:
    """The validated card and its warnings; raises :class:`CardError` when it has errors."""
    card_dir = Path(card_dir)
    problems = _check_folder(card_dir)
    if problems:
        raise CardError(problems)

    docs: dict[str, YamlDocument] = {}
    parsed: dict[str, BaseModel] = {}
    for name, model in CARD_FILES.items():
        file = card_dir / name
        try:
            _check_inside(card_dir, file)
            doc = read_yaml(file)
        except YamlFileError as err:
            problems.append(err.problem)
            continue
        docs[name] = doc
        try:
            parsed[name] = model.model_validate(doc.data)
        except ValidationError as err:
            problems.extend(_located(doc, model, e) for e in err.errors())
    if problems:
        raise CardError(sorted(problems))

    problems = checks.check_card(parsed, docs)
    if any(p.severity == "error" for p in problems):
        raise CardError(problems)
    return _join(parsed), problems


def _check_folder(card_dir: Path) -> list[Problem]:
    here = Path(card_dir)
    if not here.exists():
        return [Problem(here, 1, 1, (), "no such card folder")]
    if not here.is_dir():
        return [Problem(here, 1, 1, (), "expected a card folder, found a file")]
    return [
        Problem(here / name, 1, 1, (), f"missing card file {name}")
        for name in CARD_FILES
        if not (here / name).exists() and not (here / name).is_symlink()
    ]


def _check_inside(card_dir: Path, file: Path) -> None:
    """Refuse a file that is, or leads through a link to, something outside the card folder."""
    try:
        target = file.resolve()
    except RuntimeError:  # a link loop, before Python 3.13
        raise YamlFileError(
            Problem(file, 1, 1, (), "is a link that leads back to itself (a loop); refused")
        ) from None
    except OSError as err:  # a link loop from Python 3.13 on, or an unreadable folder
        raise YamlFileError(
            Problem(file, 1, 1, (), f"cannot follow this link: {err.strerror}; refused")
        ) from None
    if not target.is_relative_to(card_dir.resolve()):
        raise YamlFileError(
            Problem(file, 1, 1, (), f"is a link to {target}, outside the card folder; refused")
        )


def _join(parsed: dict[str, Any]) -> Card:
    family: FamilyFile = parsed["family.yaml"]
    variants: VariantsFile = parsed["variants.yaml"]
    benchmarks: BenchmarksFile = parsed["benchmarks.yaml"]
    results: ResultsFile = parsed["results.yaml"]
    training: TrainingFile = parsed["training.yaml"]
    prose: ProseFile = parsed["prose.yaml"]
    order = {v.id: i for i, v in enumerate(variants.variants)}
    flat: list[Result] = []
    for row in results.results:
        cells = [(v, {"value": text}) for v, text in row.scores.items()]
        cells += [(v, {"missing": reason}) for v, reason in row.missing.items()]
        cells.sort(key=lambda cell: order.get(cell[0], len(order)))
        flat.extend(
            Result(
                variant=variant,
                benchmark=row.benchmark,
                language=row.language,
                language_label=row.language_label,
                **cell,
            )
            for variant, cell in cells
        )
    return Card(
        family=family.family,
        comparison_families=family.comparison_families,
        variants=variants.variants,
        categories=benchmarks.categories,
        tables=benchmarks.tables,
        benchmarks=benchmarks.benchmarks,
        glossary=benchmarks.glossary,
        results=flat,
        training=training.training,
        sections=prose.sections,
    )


# ------------------------------------------------------------------ pydantic error -> Problem

_FRIENDLY_PATTERNS = {
    SLUG_PATTERN: "must be an id of lowercase letters, digits and inner dashes "
    "(at most 64 characters), e.g. llama-3-1-8b",
    FIGURE_PATTERN: 'must be a number written as the card publishes it, e.g. "80.4", '
    '"62.12", "2,040" or "1.46M"',
}
_DASHES = {"-", "\u2013", "\u2014", "n/a", "N/A", ""}
"""What a card prints for "no score": such a value belongs under ``missing``, not ``scores``."""


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters: a message stays one readable line."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def _located(doc: YamlDocument, model: type[BaseModel], error: Any) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    is_key = "[key]" in loc
    path = tuple(part for part in loc if part != "[key]")
    message = error["msg"]
    if kind == "extra_forbidden":
        message = unknown("key", str(path[-1]), _known_keys(model, path[:-1]))
        is_key = True
    elif kind == "missing":
        message = f"required field {path[-1]!r} is missing"
        line, col = doc.locate(path[:-1])
        return Problem(doc.file, line, col, path, message)
    elif kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern")
        hint = _FRIENDLY_PATTERNS.get(pattern, f"must match {pattern}")
        found = _short(error["input"])
        message = f"{found} {hint}" if is_key else f"{hint} (found {found})"
        if path[-2:-1] == ("scores",) and str(error["input"]).strip() in _DASHES:
            message = (
                f"{found} is not a score: for a score the card does not report, "
                f"write it under missing instead ({path[-1]}: not_reported)"
            )
    elif kind == "string_type" and error["input"] is None:
        message = "text is needed here, found nothing (an empty value, null or ~)"
    elif kind == "string_type" and isinstance(error["input"], bool):
        message = (
            f"text is needed here, found {str(error['input']).lower()}: YAML reads an "
            "unquoted yes, no, on, off, true or false as true or false; put text in quotes"
        )
    elif kind in {"model_type", "dict_type", "model_attributes_type"}:
        message = f"a mapping of keys to values is needed here (found {_short(error['input'])})"
    elif kind in {"list_type", "tuple_type"}:
        message = f"a list is needed here (found {_short(error['input'])})"
    elif kind == "string_type":
        message = f"text is needed here (found {_short(error['input'])})"
    elif kind.endswith(("_type", "_parsing")):
        message = f"{message} (found {_short(error['input'])})"
    elif kind == "literal_error":
        message = f"{message.replace('Input', 'value')} (found {_short(error['input'])})"
    return doc.problem(path, message, key=is_key)


def _known_keys(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """Field names of the model found at ``path`` inside ``model`` (for "did you mean")."""
    current: Any = model
    for part in path:
        current = _inner(current, part)
        if current is None:
            return []
    return list(current.model_fields) if _is_model(current) else []


def _inner(annotation: Any, part: Any) -> Any:
    if _is_model(annotation):
        field = annotation.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field else None
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        candidates = [_inner(a, part) for a in args if a is not type(None)]
        return next((c for c in candidates if c is not None), None)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict:
        return args[1]
    if origin is typing.Annotated:
        return _inner(args[0], part)
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)

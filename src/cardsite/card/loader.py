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
    LANGUAGE_PATTERN,
    ONE_LINE_PATTERN,
    REQUIRED_FILES,
    SLUG_PATTERN,
    Benchmark,
    Card,
    Category,
    FamilyFile,
    Metric,
    MissingCell,
    ProseFile,
    Result,
    ResultsFile,
    Row,
    Scale,
    Scores,
    TablesFile,
    VariantsFile,
    slug_of,
)
from cardsite.card.problems import CardError, Problem, unknown
from cardsite.card.values import infer_scale
from cardsite.card.yamlsource import YamlDocument, YamlFileError, read_yaml
from cardsite.paths import DEFAULT_CARD_DIR

EMPTY_CELL = MissingCell(mark="", reason=None)
"""A column of the table the row gives nothing for: the card leaves that cell empty."""


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
        if name not in REQUIRED_FILES and not _exists(file):
            continue
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

    problems = checks.check_card(parsed, docs) + _unknown_files(card_dir)
    if any(p.severity == "error" for p in problems):
        raise CardError(sorted(problems))
    return join(parsed), sorted(problems)


def _exists(file: Path) -> bool:
    return file.exists() or file.is_symlink()


def _check_folder(card_dir: Path) -> list[Problem]:
    here = Path(card_dir)
    try:
        if not here.exists():
            return [Problem(here, 1, 1, (), "no such card folder")]
        if not here.is_dir():
            return [Problem(here, 1, 1, (), "expected a card folder, found a file")]
    except OSError as err:  # a name too long for the file system, a folder we may not read
        return [Problem(here, 1, 1, (), f"cannot read the card folder: {err.strerror or err}")]
    return [
        Problem(here / name, 1, 1, (), f"missing card file {name}")
        for name in REQUIRED_FILES
        if not _exists(here / name)
    ]


def _unknown_files(card_dir: Path) -> list[Problem]:
    """YAML files cardsite does not read: most likely a misspelt name, so a warning says so."""
    try:
        names = sorted(p.name for p in card_dir.glob("*.y*ml"))
    except OSError:
        return []
    return [
        Problem(
            card_dir / name,
            1,
            1,
            (),
            unknown("card file", name, CARD_FILES) + "; it is not read",
            severity="warning",
        )
        for name in names
        if name not in CARD_FILES
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


# ------------------------------------------------------------------------------- joining


def benchmark_id(row: Row) -> str:
    """A row's id: the one it gives, else its name as an id."""
    return row.id or slug_of(row.name, "benchmark")


def join(parsed: dict[str, Any]) -> Card:
    """The validated files as one :class:`Card` (defaults filled in, rows flattened)."""
    family_file: FamilyFile = parsed["family.yaml"]
    variants: VariantsFile | None = parsed.get("variants.yaml")
    results: ResultsFile | None = parsed.get("results.yaml")
    tables: TablesFile | None = parsed.get("tables.yaml")
    prose: ProseFile | None = parsed.get("prose.yaml")
    family = family_file.family
    if family.id is None:
        family = family.model_copy(update={"id": slug_of(family.name, "card")})

    categories = list(results.categories) if results else []
    known = {c.id for c in categories}
    metrics = {m.name: m for m in results.metrics} if results else {}
    benchmarks: list[Benchmark] = []
    flat: list[Result] = []
    for table in results.results if results else []:
        for row in table.rows:
            category = row.category or table.category or table.id
            if category not in known:  # a table without categories is one of its own
                categories.append(Category(id=category, name=table.title))
                known.add(category)
            metric = metrics.get(row.metric or "")
            bench = Benchmark(
                id=benchmark_id(row),
                name=row.name,
                label=row.label or row.name,
                category=category,
                table=table.id,
                group=row.group,
                shots=row.shots,
                metric=row.metric,
                cot=row.cot,
                higher_is_better=(
                    row.higher_is_better
                    if row.higher_is_better is not None
                    else metric.higher_is_better
                    if metric
                    else True
                ),
                scale=row_scale(row, metric),
                range=row.range,
                headline=row.headline,
                footnotes=tuple(row.footnotes),
                subsets=tuple((s.name, s.language) for s in row.subsets),
                subset_footnotes=tuple(m for s in row.subsets for m in s.footnotes),
                source=row.source,
            )
            benchmarks.append(bench)
            for subset in row.subsets or [None]:
                cells: Scores = subset or row
                for variant in table.columns:
                    flat.append(_result(bench.id, variant, cells, subset))
    return Card(
        family=family,
        comparison_families=family_file.comparison_families,
        variants=variants.variants if variants else [],
        categories=categories,
        metrics=list(metrics.values()),
        tables=results.results if results else [],
        benchmarks=benchmarks,
        results=flat,
        data_tables=tables.tables if tables else [],
        glossary=family_file.glossary,
        pages=prose.pages if prose else [],
        sections=prose.sections if prose else [],
    )


def row_scale(row: Row, metric: Metric | None) -> Scale:
    """The row's scale as declared (on the row, else its metric), else read from its values."""
    if row.scale is not None:
        return row.scale
    if metric is not None and metric.scale is not None:
        return metric.scale
    cells = [row, *row.subsets]
    return infer_scale([text for c in cells for text in c.scores.values()])


def _result(benchmark: str, variant: str, cells: Scores, subset: Any) -> Result:
    text = cells.scores.get(variant)
    return Result(
        variant=variant,
        benchmark=benchmark,
        subset=subset.name if subset else None,
        language=subset.language if subset else None,
        text=text,
        error=cells.errors.get(variant),
        missing=None if text is not None else cells.missing.get(variant, EMPTY_CELL),
    )


# ------------------------------------------------------------------ pydantic error -> Problem

_FRIENDLY_PATTERNS = {
    SLUG_PATTERN: "must be an id of lowercase letters and digits joined by single dashes "
    "(at most 64 characters), e.g. llama-3-1-8b",
    ONE_LINE_PATTERN: "must be one line of text",
    LANGUAGE_PATTERN: "must be a BCP 47 language code such as pt, pt-BR or zh-Hans",
}


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
    elif kind == "value_error":  # a rule of the card format (an address, a range)
        reason = str(error.get("ctx", {}).get("error") or message.removeprefix("Value error, "))
        found = error["input"]
        message = f"{reason} (found {_short(found)})" if isinstance(found, str) else reason
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

"""Write the card's YAML files, each guess as a ``# review:`` comment on the line above the
value it concerns, into a temporary folder beside the target that is renamed into place only
once the card validates: the folder is written whole or not at all.

The YAML is emitted here rather than by a library so that the comments sit exactly where a
person reviewing the card needs them. Every string is double-quoted (a published ``55.0`` stays
text) except prose, which is a literal block so that it stays readable; each file is read back
and compared with what was meant, and written all double-quoted if a block ever differs.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from cardsite.importer.model import Reviewed, unwrap

SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/card.schema.json"
_HEADERS = {
    "family.yaml": "The model family, imported: name, license, facts, languages and links.",
    "variants.yaml": "Every model the card scores: the card's own, then models it compares with.",
    "results.yaml": "The card's results tables, row by row; scores are text exactly as printed.",
    "tables.yaml": "The card's other tables, as published.",
    "prose.yaml": "The card's prose, section by section, as Markdown.",
}
_UNPRINTABLE = re.compile(
    "[^\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]"
)


class WriteError(Exception):
    pass


def dump(data: Any, *, block_prose: bool = True) -> str:
    lines: list[str] = []
    _emit(data, 0, lines, block_prose)
    return "\n".join(lines) + "\n"


def render(name: str, data: dict[str, Any]) -> str:
    """One card file's text, header comments first; read back to make sure it says what was
    meant."""
    header = [SCHEMA_LINE, f"# {_HEADERS.get(name, name)}"]
    header.append(
        "# Imported by `cardsite import`: check each `# review:` comment, then delete it."
    )
    text = "\n".join(header) + "\n\n" + dump(data)
    if yaml.safe_load(text) != unwrap(data):
        text = "\n".join(header) + "\n\n" + dump(data, block_prose=False)
        if yaml.safe_load(text) != unwrap(data):  # pragma: no cover - quoting is total
            raise WriteError(f"{name}: the YAML written does not read back as meant")
    return text


def _quote(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(
        lambda m: (
            f"\\u{ord(m.group(0)):04x}"
            if ord(m.group(0)) < 0x10000
            else f"\\U{ord(m.group(0)):08x}"
        ),
        out,
    )


def _scalar(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return _quote(str(value))


def _comment(note: str, indent: int, lines: list[str]) -> None:
    text = " ".join(note.split())
    lines.append(" " * indent + "# review: " + text)


def _block_ok(text: str) -> bool:
    return (
        "\n" in text
        and not _UNPRINTABLE.search(text)
        and "\t" not in text
        and "\r" not in text
        and not text.startswith((" ", "\n"))
        and not any(line.strip() == "" and line for line in text.split("\n"))
    )


def _emit(value: Any, indent: int, lines: list[str], block_prose: bool) -> None:
    pad = " " * indent
    if isinstance(value, Reviewed):
        _comment(value.note, indent, lines)
        _emit(value.value, indent, lines, block_prose)
        return
    if isinstance(value, dict):
        if not value:
            lines.append(pad + "{}")
            return
        for key, item in value.items():
            _key_value(str(key), _unwrap(item, indent, lines), indent, lines, block_prose)
        return
    if isinstance(value, list):
        if not value:
            lines.append(pad + "[]")
            return
        for item in value:
            _list_item(item, indent, lines, block_prose)
        return
    lines.append(pad + _scalar(value))


def _key_value(key: str, item: Any, indent: int, lines: list[str], block_prose: bool) -> None:
    pad = " " * indent
    k = (
        key
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key)
        and key not in ("y", "n", "yes", "no", "on", "off", "true", "false", "null")
        else _quote(key)
    )
    if isinstance(item, dict):
        if not item:
            lines.append(f"{pad}{k}: {{}}")
            return
        lines.append(f"{pad}{k}:")
        _emit(item, indent + 2, lines, block_prose)
    elif isinstance(item, list):
        if not item:
            lines.append(f"{pad}{k}: []")
            return
        if (
            all(not isinstance(x, (dict, list, Reviewed)) for x in item)
            and sum(len(str(x)) + 4 for x in item) <= 80
        ):
            lines.append(f"{pad}{k}: [{', '.join(_scalar(x) for x in item)}]")
            return
        lines.append(f"{pad}{k}:")
        _emit(item, indent + 2, lines, block_prose)
    elif isinstance(item, str) and block_prose and _block_ok(item):
        chomp = (
            ""
            if item.endswith("\n") and not item.endswith("\n\n")
            else "-"
            if not item.endswith("\n")
            else "+"
        )
        lines.append(f"{pad}{k}: |{chomp}")
        body = item[:-1] if item.endswith("\n") else item
        for line in body.split("\n"):
            lines.append(f"{pad}  {line}" if line else "")
    else:
        lines.append(f"{pad}{k}: {_scalar(item)}")


def _unwrap(item: Any, indent: int, lines: list[str]) -> Any:
    """The value inside review notes; the notes are written as one comment above it."""
    notes = []
    while isinstance(item, Reviewed):
        notes.append(item.note)
        item = item.value
    if notes:
        _comment("; ".join(notes), indent, lines)
    return item


def _list_item(item: Any, indent: int, lines: list[str], block_prose: bool) -> None:
    pad = " " * indent
    item = _unwrap(item, indent, lines)
    if isinstance(item, dict) and item:
        sub: list[str] = []
        _emit(item, indent + 2, sub, block_prose)
        first = next(i for i, line in enumerate(sub) if not line.lstrip().startswith("#"))
        comments = sub[:first]
        lines.extend(comments)
        lines.append(pad + "- " + sub[first][indent + 2 :])
        lines.extend(sub[first + 1 :])
    elif isinstance(item, list):
        sub = []
        _emit(item, indent + 2, sub, block_prose)
        lines.append(pad + "-")
        lines.extend(sub)
    else:
        lines.append(pad + "- " + _scalar(item))


# ------------------------------------------------------------------------------ the folder


def write_folder(files: dict[str, str], target: Path, *, force: bool, check: Any) -> None:
    """Write ``files`` (name -> text) as the folder ``target``, whole or not at all.

    The files go to a temporary folder beside ``target``; ``check(folder)`` validates it there;
    only then is it renamed into place (an existing ``target`` is moved aside first and removed
    after, when ``force``)."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as err:
        raise WriteError(f"cannot write beside {target}: {err.strerror or err}") from None
    try:
        for name, text in files.items():
            (work / name).write_text(text, encoding="utf-8", newline="\n")
        check(work)
        if target.exists() or target.is_symlink():
            if not force:
                raise WriteError(f"{target} exists; use --force to replace it")
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=parent))
            old.rmdir()
            os.replace(target, old)
            try:
                os.replace(work, target)
            except OSError:
                os.replace(old, target)
                raise
            _remove(old)
        else:
            os.replace(work, target)
    except OSError as err:
        _remove(work)
        raise WriteError(f"cannot write {target}: {err.strerror or err}") from None
    except BaseException:
        _remove(work)
        raise


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()

"""Read a model card document: its text, and its YAML front matter.

Refuses, with one plain sentence, whatever cannot be a model card document (binary data, an
empty file, a file too large to be one), so that the importer never works on garbage. The front
matter is read twice on purpose: with :mod:`huggingface_hub` for what its fields mean (license,
languages, base model, pipeline tag, model-index) and once more as YAML nodes so that every
number of the model-index keeps the text it was written with (``0.9060`` stays ``0.9060``,
where a float would print ``0.906``).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cardsite.card.yamlsource import UNSHOWABLE

MAX_INPUT_BYTES = 2 * 1024 * 1024
"""Largest document imported. Published cards are far below it (the largest known: ~100 KB);
anything larger is not a model card, and refusing it keeps an import within its time bound."""


class DocumentError(Exception):
    """The file is not a document the importer can read; the message is one sentence."""


@dataclass(frozen=True)
class Raw:
    """A front-matter scalar as written: its text and its 1-based line in the document."""

    text: str
    line: int


@dataclass
class Document:
    path: Path
    text: str
    """The whole document, line endings normalised to ``\\n``."""
    body_line: int
    """1-based line of the document where the Markdown body (after front matter) starts."""
    body: str
    metadata: dict[str, Any] = field(default_factory=dict)
    """Front matter as huggingface_hub reads it (``ModelCardData.to_dict()``)."""
    raw_model_index: list[Any] = field(default_factory=list)
    """The ``model-index`` list with every scalar as :class:`Raw`."""
    front_matter_error: str | None = None

    @functools.cached_property
    def lines(self) -> list[str]:
        """The document's lines (split once: the importer asks for lines all along)."""
        return self.text.split("\n")

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def body_lines(self, first: int, last: int) -> str:
        """The document's lines ``first`` to ``last`` (1-based, inclusive) as one text."""
        return "\n".join(self.lines[max(first, 1) - 1 : max(last, first)])


def read_document(path: Path) -> Document:
    """Read and check one document; raises :class:`DocumentError` with a one-line reason."""
    try:
        if path.is_dir():
            raise DocumentError(f"{path} is a folder, not a model card document")
        size = path.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise DocumentError(
                f"{path} is {size / 1024 / 1024:.1f} MB; a model card document is at most "
                f"{MAX_INPUT_BYTES // 1024 // 1024} MB"
            )
        with path.open("rb") as stream:  # a device or a pipe has no size: read up to the limit
            raw = stream.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise DocumentError(f"{path}: no such file") from None
    except OSError as err:
        raise DocumentError(f"cannot read {path}: {err.strerror or err}") from None
    return parse_document(path, raw)


def parse_document(path: Path, raw: bytes) -> Document:
    if len(raw) > MAX_INPUT_BYTES:
        raise DocumentError(f"{path} is larger than {MAX_INPUT_BYTES // 1024 // 1024} MB")
    if b"\x00" in raw[:65536] or b"\x00" in raw:
        raise DocumentError(f"{path} is binary data (it holds NUL bytes), not a text document")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise DocumentError(
            f"{path} is not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})"
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{path} is empty")
    controls = sum(1 for c in text[:65536] if ord(c) < 32 and c not in "\n\t\f\v")
    if controls > 8:
        raise DocumentError(f"{path} holds control characters: not a text document")
    text = UNSHOWABLE.sub("", text)  # a stray form feed or escape: no card file may hold one
    front, body, body_line = split_front_matter(text)
    doc = Document(path=path, text=text, body_line=body_line, body=body)
    if front is not None:
        _read_front_matter(doc, front)
    return doc


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, 1-based line of the body). Front matter is a ``---``
    line first, up to the next ``---`` line, as the Hugging Face Hub reads it."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    return None, text, 1


def _read_front_matter(doc: Document, front: str) -> None:
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        doc.front_matter_error = f"the YAML front matter is not valid YAML{where}; it was ignored"
        return
    if not isinstance(data, dict):
        doc.front_matter_error = "the front matter is not a mapping of keys; it was ignored"
        return
    if _expanded_size(node, {}) > MAX_FRONT_MATTER_VALUES:
        doc.front_matter_error = (
            f"the front matter holds more than {MAX_FRONT_MATTER_VALUES:,} values once its "
            "aliases are expanded; it was ignored"
        )
        return
    doc.metadata = _hub_metadata(front)
    raw = _raw(node, 1) if node is not None else None
    if isinstance(raw, dict):
        index = raw.get("model-index")
        if isinstance(index, list):
            doc.raw_model_index = index


MAX_FRONT_MATTER_VALUES = 100_000
"""Front matter larger than this (counting each alias as the values it repeats) is ignored: a
few lines of aliases can stand for billions of values."""


def _expanded_size(node: yaml.Node | None, sizes: dict[int, int]) -> int:
    """How many values ``node`` stands for with its aliases expanded (each shared node is
    counted once per use, computed once)."""
    if node is None:
        return 0
    known = sizes.get(id(node))
    if known is not None:
        return known
    sizes[id(node)] = 1  # a node that holds itself counts once while it is being measured
    total = 1
    if isinstance(node, yaml.SequenceNode):
        total += sum(_expanded_size(child, sizes) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        total += sum(_expanded_size(k, sizes) + _expanded_size(v, sizes) for k, v in node.value)
    sizes[id(node)] = total
    return total


def _hub_metadata(front: str) -> dict[str, Any]:
    """The front matter as huggingface_hub's ``ModelCardData`` reads it (its own messages about
    malformed metadata are silenced: the importer reports what it could not use)."""
    from huggingface_hub import ModelCard

    hub_log = logging.getLogger("huggingface_hub")
    level = hub_log.level
    hub_log.setLevel(logging.CRITICAL)
    try:
        card = ModelCard(f"---\n{front}\n---\n", ignore_metadata_errors=True)
        data = card.data.to_dict()
    except Exception:  # huggingface_hub raises many kinds on malformed metadata
        return {}
    finally:
        hub_log.setLevel(level)
    return data if isinstance(data, dict) else {}


def _raw(node: yaml.Node, offset: int) -> Any:
    """The node as plain data with every scalar as :class:`Raw` (text as written, line)."""
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                out[str(key.value)] = _raw(value, offset)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_raw(item, offset) for item in node.value]
    if isinstance(node, yaml.ScalarNode):
        return Raw(str(node.value), node.start_mark.line + offset + 1)
    return None

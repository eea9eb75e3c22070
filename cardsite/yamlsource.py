"""Read one YAML file of a card into plain data plus the position of every value.

PyYAML's own constructors lose positions and silently keep the last of two duplicate keys, so
this module composes the node graph and builds the data itself:

* every mapping key and value gets its (line, column), so a validation error can name both;
* duplicate keys are errors, not overwrites;
* numbers keep the text they were written with (``55.0`` stays ``"55.0"``): the card format
  treats published figures as text, and pydantic turns the text into an int or float where a
  field wants one;
* alias expansion is bounded, so a "billion laughs" file is refused at once instead of eating
  memory;
* file-level hazards (size, NUL bytes, invalid UTF-8, tabs, empty files) get plain messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cardsite.problems import Problem, YamlPath

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A hand-written card file is a few kilobytes; anything this big is a mistake or an attack."""

MAX_NODES = 200_000
"""Values built from one file, aliases expanded. The Llama 3.1 card has about 3,000."""

MAX_DEPTH = 40
"""Nesting depth. The card format needs 6."""

_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}


@dataclass
class YamlDocument:
    """The data of one file and where each of its values starts."""

    file: Path
    data: Any
    positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[YamlPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: YamlPath, *, key: bool = False) -> tuple[int, int]:
        """The (line, col) of the value at ``path``, or of its nearest existing parent."""
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return (1, 1)

    def problem(self, path: YamlPath, message: str, *, key: bool = False, **kw: Any) -> Problem:
        line, col = self.locate(path, key=key)
        return Problem(self.file, line, col, path, message, **kw)


class YamlFileError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_yaml(file: Path) -> YamlDocument:
    """Read ``file``; raise :class:`YamlFileError` with a located problem if it is unusable."""
    raw = _read_bytes(file)
    text = _decode(file, raw)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlFileError(Problem(file, 1, 1, (), "the file is empty; it must hold a mapping"))
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        raise YamlFileError(_syntax_problem(file, err)) from None
    except yaml.YAMLError as err:
        raise YamlFileError(Problem(file, 1, 1, (), f"not valid YAML: {err}")) from None
    except RecursionError:
        raise YamlFileError(
            Problem(file, 1, 1, (), f"nesting is too deep (the limit is {MAX_DEPTH} levels)")
        ) from None
    if node is None:
        raise YamlFileError(Problem(file, 1, 1, (), "the file is empty; it must hold a mapping"))
    doc = YamlDocument(file, None)
    doc.data = _Builder(doc).build(node, (), 0)
    if not isinstance(doc.data, dict):
        line, col = _mark(node)
        raise YamlFileError(
            Problem(file, line, col, (), "the file must hold a mapping of keys to values")
        )
    return doc


def _read_bytes(file: Path) -> bytes:
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise YamlFileError(
                Problem(
                    file, 1, 1, (),
                    f"the file is {size:,} bytes; card files are refused above "
                    f"{MAX_FILE_BYTES:,} bytes",
                )
            )
        raw = file.read_bytes()
    except IsADirectoryError:
        raise YamlFileError(Problem(file, 1, 1, (), "expected a file, found a folder")) from None
    except OSError as err:
        raise YamlFileError(Problem(file, 1, 1, (), f"cannot read: {err.strerror}")) from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw.count(b"\n", 0, nul) + 1
        col = nul - (raw.rfind(b"\n", 0, nul) + 1) + 1
        raise YamlFileError(
            Problem(file, line, col, (), "the file holds a NUL byte: it is binary, not YAML text")
        )
    return raw


def _decode(file: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise YamlFileError(
            Problem(
                file, line, col, (),
                f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8",
            )
        ) from None
    return text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is harmless: accept it


def _syntax_problem(file: Path, err: yaml.MarkedYAMLError) -> Problem:
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = err.problem or "syntax error"
    if "'\\t'" in problem or "\\t" in problem:
        message = "a tab character: YAML indentation must use spaces"
    else:
        context = f" ({err.context})" if err.context else ""
        message = f"YAML syntax error: {problem}{context}"
    return Problem(file, line, col, (), message)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions on the way."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.count = 0
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, path: YamlPath, message: str) -> YamlFileError:
        line, col = _mark(node)
        return YamlFileError(Problem(self.doc.file, line, col, path, message))

    def build(self, node: yaml.Node, path: YamlPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node, path,
                f"the file expands to more than {MAX_NODES:,} values (aliases?); refused",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, path, f"nesting is too deep (the limit is {MAX_DEPTH} levels)")
        self.doc.positions.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, path, "merge keys (<<) are not supported in card files")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, path, "a key must be plain text, not a list or mapping")
            key = str(key_node.value)
            if key in result:
                first = self.doc.key_positions[(*path, key)]
                raise self.fail(
                    key_node, (*path, key),
                    f"duplicate key {key!r} (first written at line {first[0]})",
                )
            self.doc.key_positions[(*path, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: YamlPath) -> Any:
        if node.tag in _NUMBER_TAGS:
            return node.value  # keep the text as written; see the module docstring
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise self.fail(node, path, f"cannot read this value: {err}") from None

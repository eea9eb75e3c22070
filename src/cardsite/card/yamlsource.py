"""Read one YAML file of a card into plain data plus the position of every value.

PyYAML's own constructors lose positions and silently keep the last of two duplicate keys, so
this module composes the node graph and builds the data itself:

* every mapping key and value gets its (line, column), so a validation error can name both;
* duplicate keys are errors, not overwrites;
* numbers keep the text they were written with (``55.0`` stays ``"55.0"``): the card format
  treats published figures as text, and pydantic turns the text into an int or float where a
  field wants one;
* alias expansion is bounded, so a "billion laughs" file is refused at once instead of eating
  memory; so are nesting depth, the number of values and the characters of text (a long string
  used through many aliases counts each time), while the file is read;
* only YAML's plain tags are read: ``!!python/...``, ``!!binary`` or ``!custom`` are refused,
  so no tag ever makes PyYAML construct anything;
* file-level hazards (size, NUL bytes, invalid UTF-8, tabs, empty files) get plain messages.
"""

from __future__ import annotations

import bisect
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cardsite.card import limits
from cardsite.card.problems import Problem, YamlPath

MAX_FILE_BYTES = limits.MAX_FILE_BYTES
MAX_NODES = limits.MAX_VALUES
MAX_DEPTH = limits.MAX_DEPTH
MAX_CHARS = limits.MAX_EXPANDED_CHARS

_NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"}
_TEXT_TAGS = {"tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"}  # a bare "=" or "<<" value
_PLAIN_TAGS = {
    *_NUMBER_TAGS,
    *_TEXT_TAGS,
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}
"""Tags a card may use. Others (``!!python/...``, ``!!binary``, ``!custom``) are refused unread."""


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
    lines = _Lines(text)
    try:
        _prescan(text)
        node = _compose(text)
    except _TooMany as err:
        line, col = lines.at(err.index)
        raise YamlFileError(
            Problem(
                file,
                line,
                col,
                (),
                f"the file holds more than {MAX_NODES:,} values; "
                "card files are far smaller, refused",
            )
        ) from None
    except _TooDeep as err:
        line, col = lines.at(err.index)
        raise YamlFileError(
            Problem(file, line, col, (), f"nesting is too deep (the limit is {MAX_DEPTH} levels)")
        ) from None
    except yaml.MarkedYAMLError as err:
        raise YamlFileError(_syntax_problem(file, err, lines)) from None
    except yaml.reader.ReaderError as err:
        line, col = lines.at(err.position)
        raise YamlFileError(
            Problem(
                file,
                line,
                col,
                (),
                f"the file holds the control character U+{err.character:04X}, which YAML "
                "does not allow; remove it",
            )
        ) from None
    except yaml.YAMLError as err:
        raise YamlFileError(Problem(file, 1, 1, (), f"not valid YAML: {err}")) from None
    except RecursionError:
        raise YamlFileError(
            Problem(file, 1, 1, (), f"nesting is too deep (the limit is {MAX_DEPTH} levels)")
        ) from None
    if node is None:
        raise YamlFileError(Problem(file, 1, 1, (), "the file is empty; it must hold a mapping"))
    doc = YamlDocument(file, None)
    doc.data = _Builder(doc, lines).build(node, (), 0)
    if not isinstance(doc.data, dict):
        line, col = lines.mark(node)
        raise YamlFileError(
            Problem(file, line, col, (), "the file must hold a mapping of keys to values")
        )
    return doc


def _read_bytes(file: Path) -> bytes:
    try:
        info = file.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):
            raise YamlFileError(
                Problem(file, 1, 1, (), "is not a regular file (a device or pipe?); refused")
            )
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise YamlFileError(
                Problem(
                    file,
                    1,
                    1,
                    (),
                    f"the file is {size:,} bytes; card files are refused above "
                    f"{MAX_FILE_BYTES:,} bytes",
                )
            )
        with file.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)  # the file may grow after stat()
        if len(raw) > MAX_FILE_BYTES:
            raise YamlFileError(
                Problem(file, 1, 1, (), f"card files are refused above {MAX_FILE_BYTES:,} bytes")
            )
    except IsADirectoryError:
        raise YamlFileError(Problem(file, 1, 1, (), "expected a file, found a folder")) from None
    except OSError as err:
        raise YamlFileError(Problem(file, 1, 1, (), f"cannot read: {err.strerror}")) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 (or UTF-32) byte-order mark
        raise YamlFileError(
            Problem(file, 1, 1, (), "the file is UTF-16 or UTF-32 text; save it as UTF-8")
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = _Lines(raw).at(nul)
        raise YamlFileError(
            Problem(file, line, col, (), "the file holds a NUL byte: it is binary, not YAML text")
        )
    return raw


def _decode(file: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, col = _Lines(raw).at(err.start)
        raise YamlFileError(
            Problem(
                file,
                line,
                col,
                (),
                f"the file is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8",
            )
        ) from None
    return text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is harmless: accept it


def _syntax_problem(file: Path, err: yaml.MarkedYAMLError, lines: _Lines) -> Problem:
    mark = err.problem_mark or err.context_mark
    line, col = lines.at(mark.index) if mark else (1, 1)
    problem = err.problem or "syntax error"
    if "'\\t'" in problem or "\\t" in problem:
        message = "a tab character: YAML indentation must use spaces"
    else:
        context = f" ({err.context})" if err.context else ""
        message = f"YAML syntax error: {problem}{context}"
    return Problem(file, line, col, (), message)


class _Lines:
    """Line and column of a character (or byte) offset, counting lines as editors do.

    PyYAML also breaks lines at U+0085, U+2028 and U+2029, which editors show inline; positions
    are therefore computed here from the offset, with ``\\n``, ``\\r\\n`` and ``\\r`` as line
    ends.
    """

    def __init__(self, text: str | bytes) -> None:
        self.text = text
        breaks = re.finditer(r"\r\n?|\n" if isinstance(text, str) else rb"\r\n?|\n", text)
        self.starts = [0, *(m.end() for m in breaks)]

    def at(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index)
        start = self.starts[line - 1]
        if isinstance(self.text, str):
            return line, index - start + 1
        return line, len(self.text[start:index].decode("utf-8", "replace")) + 1  # in characters

    def mark(self, node: yaml.Node) -> tuple[int, int]:
        return self.at(node.start_mark.index)


class _OverLimit(Exception):
    """A limit was passed at character ``index`` of the text."""

    def __init__(self, index: int) -> None:
        self.index = index


class _TooDeep(_OverLimit):
    pass


class _TooMany(_OverLimit):
    pass


def _compose(text: str) -> yaml.Node | None:
    """The file's node graph, composed by libyaml when PyYAML has it (about 20 times faster
    than PyYAML's pure-Python reader, which matters for large results files), else by
    :class:`_Loader`. On a syntax error, :class:`_Loader` reads the file again: its messages
    are the ones users see (and it refuses control characters that libyaml lets through)."""
    if getattr(yaml, "__with_libyaml__", False):
        try:
            node = yaml.compose(text, Loader=yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
        else:
            if not _CONTROL.search(text):
                return node
    loader = _Loader(text)  # refuses control characters at once
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters YAML does not allow, which PyYAML's reader refuses with a position."""


def _prescan(text: str) -> None:
    """Apply the limits of :class:`_Loader` with libyaml, when PyYAML has it.

    PyYAML's own reader is pure Python and takes seconds on the many values a file just under
    :data:`MAX_FILE_BYTES` can hold; libyaml's event stream finds the excess in milliseconds.
    A syntax error ends the scan: :class:`_Loader` reads up to it again and reports it.
    """
    if not getattr(yaml, "__with_libyaml__", False):
        return
    depth = nodes = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            nodes += 1
            level = depth + 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            if level > MAX_DEPTH + 1:
                raise _TooDeep(event.start_mark.index)
            if nodes > MAX_NODES:
                raise _TooMany(event.start_mark.index)
    except yaml.YAMLError:
        return


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing deep nesting (before Python's stack runs out) and huge numbers
    of values (before they fill the memory) while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        self.depth += 1
        self.nodes += 1
        try:
            if self.depth > MAX_DEPTH + 1:
                raise _TooDeep(self.peek_event().start_mark.index)
            if self.nodes > MAX_NODES:
                raise _TooMany(self.peek_event().start_mark.index)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!", 1)


UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
"""Characters no page, chart or export can hold: C0 and C1 controls but tab and line breaks,
and the noncharacters U+FFFE and U+FFFF. YAML's reader refuses them written raw; written as
escapes in double quotes (``"\\e"``), they reach here."""


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions on the way."""

    def __init__(self, doc: YamlDocument, lines: _Lines) -> None:
        self.doc = doc
        self.lines = lines
        self.count = 0
        self.chars = 0
        self.open: set[int] = set()  # nodes being built: an alias to one of them is a loop
        self.constructor = yaml.SafeLoader("")

    def fail(self, node: yaml.Node, path: YamlPath, message: str) -> YamlFileError:
        line, col = self.lines.mark(node)
        return YamlFileError(Problem(self.doc.file, line, col, path, message))

    def build(self, node: yaml.Node, path: YamlPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                path,
                f"the file expands to more than {MAX_NODES:,} values (aliases?); refused",
            )
        if depth > MAX_DEPTH:
            raise self.fail(node, path, f"nesting is too deep (the limit is {MAX_DEPTH} levels)")
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(
                node,
                path,
                f"the tag {_short_tag(node.tag)} is not allowed in card files; "
                "write plain YAML values",
            )
        if id(node) in self.open:
            raise self.fail(node, path, "an alias refers to a value that contains it; refused")
        self.doc.positions.setdefault(path, self.lines.mark(node))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path, depth)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, path: YamlPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, path, "merge keys (<<) are not supported in card files")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, path, "a key must be plain text, not a list or mapping")
            if key_node.tag not in _PLAIN_TAGS:
                raise self.fail(
                    key_node,
                    path,
                    f"the tag {_short_tag(key_node.tag)} is not "
                    "allowed in card files; write plain YAML values",
                )
            key = str(key_node.value)
            if key in result:
                first = self.doc.key_positions[(*path, key)]
                raise self.fail(
                    key_node,
                    (*path, key),
                    f"duplicate key {key!r} (first written at line {first[0]})",
                )
            self.doc.key_positions[(*path, key)] = self.lines.mark(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: yaml.ScalarNode, path: YamlPath) -> Any:
        self.chars += len(node.value)
        if self.chars > MAX_CHARS:
            raise self.fail(
                node,
                path,
                f"the file expands to more than {MAX_CHARS:,} characters of text (a long value "
                "used through aliases counts each time); refused",
            )
        control = UNSHOWABLE.search(node.value)
        if control is not None:
            raise self.fail(
                node,
                path,
                f"the value holds the control character U+{ord(control[0]):04X} (an escape "
                "such as \\e or \\0 in quotes); no page can show it, remove it",
            )
        if node.tag in _NUMBER_TAGS or node.tag in _TEXT_TAGS:
            return node.value  # keep the text as written; see the module docstring
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as err:
            raise self.fail(node, path, f"cannot read this value: {err}") from None

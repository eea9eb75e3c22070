"""Located problems: what ``cardsite validate`` prints, one a line."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

YamlPath = tuple[str | int, ...]


def format_yaml_path(path: YamlPath) -> str:
    """``("results", 3, "scores")`` -> ``results[3].scores``; the empty path is ``<root>``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return one_line(text) or "<root>"


def one_line(text: str) -> str:
    """``text`` with line breaks and other unprintable characters escaped (``\\n``, ``\\x07``).

    A problem is printed on one line; a key or value from the card may hold anything.
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    col: int
    path: YamlPath = field(compare=False)  # mixes str and int: not orderable
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return (
            f"{one_line(display_path(self.file))}:{self.line}:{self.col}: "
            f"{format_yaml_path(self.path)}: {prefix}{one_line(self.message)}"
        )


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        return (
            os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
        )
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return str(path)


class CardError(Exception):
    """The card cannot be used; carries every problem found, errors and warnings."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} problem(s) in the card")
        self.problems = problems


def unknown(what: str, value: str, known: Iterable[str]) -> str:
    """``unknown key 'benchmrk'; did you mean 'benchmark'?``, or the known names when none is
    close: the message for any name that refers to nothing."""
    names = sorted(known)
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if close:
        return f"unknown {what} {value!r}; did you mean {close[0]!r}?"
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"unknown {what} {value!r}; known: {shown or '(none)'}"


def describe_os_error(err: OSError) -> str:
    """``cannot use site/index.html: No space left on device``: an operating-system error as
    one line naming the file, for any command (a full disk, a name too long, no permission)."""
    reason = err.strerror or str(err) or type(err).__name__
    names = [str(n) for n in (err.filename, err.filename2) if n is not None]
    where = " -> ".join(one_line(display_path(Path(n))) for n in names)
    return f"cannot use {where}: {reason}" if where else reason

"""Replace an output folder in one step, so readers see the old folder or the new, never half.

On Linux, ``renameat2(RENAME_EXCHANGE)`` swaps two folders atomically: a ``kill -9`` at any
moment leaves either the old output or the new one in place. Elsewhere, two renames in a row
leave a window of a few microseconds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap ``a`` and ``b``; False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def replace_dir(new: Path, final: Path) -> None:
    """Put ``new`` (a file or folder) at ``final``; the old one is deleted after the swap."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists() and not final.is_symlink():
        os.replace(new, final)
        return
    if final.is_dir() == new.is_dir() and _exchange(new, final):
        _remove(new)  # ``new`` now holds the old output
        return
    old = final.with_name(f".{final.name}.old")
    _remove(old)
    os.replace(final, old)
    os.replace(new, final)
    _remove(old)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()

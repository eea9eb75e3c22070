"""Put a build's outputs in place all together, even if the build is killed (``kill -9``) midway.

A build has several outputs (``site/``, ``dist/offline/``, ``dist/embed/``, the zip). Each one
is swapped in atomically (Linux ``renameat2(RENAME_EXCHANGE)``), but a kill between two swaps
would leave some outputs new and others old. So the swaps form one small transaction:

1. :func:`commit` writes a journal (``swap-journal.json`` in the build's work folder) that lists
   every (new, final) pair with the identity (device, inode) of each new output, fsyncs it and
   renames it into place. The journal's appearance is the commit point.
2. It swaps each pair. After a swap the *new* path holds the old output, so nothing is deleted
   while the journal exists.
3. It removes the journal. The caller then deletes the work folder, old outputs with it.

A kill before the commit point leaves no journal and the outputs untouched. A kill after it
leaves the journal, and the next build (holding the build lock, before it deletes stale work
folders) calls :func:`recover`, which **rolls forward**: it swaps in every new output that is
not yet in place, so the outputs end up all from the killed build. Why forward, not back:

* At the commit point the killed build had succeeded: every output is complete in its work
  folder, and only renames remain, which cannot fail for reasons of card data or MkDocs.
* Rolling forward repeats step 2 with the same code. Rolling back would need a reverse path,
  and would flip outputs that readers (a web server on ``site/``) already see new back to old;
  forward, each output changes at most once, old to new.

Either way the outputs are all from one build, never a mix (between the kill and the next
build they can be a mix; there is no single rename that covers both ``site/`` and ``dist/``).

A swap that *fails* (not a kill: an output made immutable, a folder without write permission,
another file system) is a different matter, and rolling forward would not get past it. So
:func:`commit` first checks that every output can be replaced (:func:`check_replaceable`) and
swaps nothing if one cannot. Should a swap still fail (the permissions changed in between), the
swaps already done are undone at once and the journal dropped, so the outputs are again all the
old ones; only if undoing fails too does the journal stay (:class:`IncompleteSwap`), for the next
build to roll forward.

Identities make recovery unambiguous and safe to repeat (a kill during recovery): a new output
found at its final path was swapped; one found at its new path was not, so it is swapped now;
one found at neither was replaced since by a later build, so it is left alone.

Durability: journal and swapped folders are fsynced; that and the atomic renames are what a
killed process needs (the kernel's page cache outlives it). The output files themselves are not
fsynced, so after a power cut the journal could name outputs that did not all reach the disk.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

JOURNAL = "swap-journal.json"
"""The journal's name inside a build's work folder; tests poll for it to find the swap."""

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


_FS_IOC_GETFLAGS = 0x80086601
_FS_IMMUTABLE_FL = 0x10
_FS_APPEND_FL = 0x20


class IncompleteSwap(OSError):
    """A swap failed and could not be undone: some outputs are new, the others old, and the
    journal stays so that the next build finishes the swap."""


def commit(pairs: Sequence[tuple[Path, Path]], journal: Path) -> None:
    """Put each ``new`` at its ``final`` path, all or none.

    ``journal`` lives in the folder holding the new outputs, on the same file system as the
    final paths. Afterwards each ``new`` path holds the old output (or nothing); delete them.
    Raises :class:`OSError` with every output as it was, or :class:`IncompleteSwap`.
    """
    check_replaceable([final for _new, final in pairs], journal.parent)
    entries = [{"new": str(new), "final": str(final), "id": _identity(new)} for new, final in pairs]
    _write_durably(journal, json.dumps(entries, indent=1))
    try:
        _swap_all(entries)
    except OSError as err:
        try:
            _undo(entries)
        except OSError as undo_err:
            raise IncompleteSwap(
                undo_err.errno, undo_err.strerror, undo_err.filename or err.filename
            ) from err
        journal.unlink()
        _fsync_dir(journal.parent)
        raise
    journal.unlink()
    _fsync_dir(journal.parent)


def check_replaceable(finals: Sequence[Path], work: Path) -> None:
    """Raise :class:`OSError`, naming the output, unless every ``final`` path can be replaced by
    a rename from ``work``: same file system, folders writable, nothing immutable or
    append-only (``chattr +i``/``+a``). Creates missing parent folders (an empty ``dist/``)."""
    device = os.stat(work).st_dev
    for final in finals:
        final.parent.mkdir(parents=True, exist_ok=True)
        if os.stat(final.parent).st_dev != device:
            raise OSError(errno.EXDEV, "it is on another file system than the build", str(final))
        exists = _identity(final) is not None
        moved = [final.parent, final] if exists else [final.parent]
        for path in moved:
            if _flags(path) & (_FS_IMMUTABLE_FL | _FS_APPEND_FL):
                raise OSError(errno.EPERM, "it is marked immutable or append-only", str(path))
        # Moving a folder to another parent rewrites its "..": it must be writable too.
        folders = [final.parent, final] if exists and final.is_dir() else [final.parent]
        for folder in folders:
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OSError(errno.EACCES, "no permission to replace it", str(folder))


def _flags(path: Path) -> int:
    """The inode flags of ``path`` (Linux ``lsattr``); 0 where the system keeps none."""
    if not sys.platform.startswith("linux"):
        return 0
    import array
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return 0
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(fd, _FS_IOC_GETFLAGS, flags, True)
        return flags[0]
    except OSError:  # a file system without inode flags
        return 0
    finally:
        os.close(fd)


def _undo(entries: Sequence[dict[str, Any]]) -> None:
    """Put back the old output of every entry already swapped (last first)."""
    for entry in reversed(entries):
        new, final = Path(entry["new"]), Path(entry["final"])
        if _identity(final) != entry["id"]:
            continue  # not swapped
        if _identity(new) is None:  # there was no old output: take the new one back out
            os.replace(final, new)
        else:
            exchange(new, final)
        _fsync_dir(final.parent)


def recover(journal: Path) -> None:
    """Finish the swaps an interrupted :func:`commit` left undone, then drop its journal."""
    _swap_all(json.loads(journal.read_text(encoding="utf-8")))
    journal.unlink()
    _fsync_dir(journal.parent)


def exchange(new: Path, final: Path) -> None:
    """Put ``new`` at ``final`` in one step; the old ``final``, if any, ends up at ``new``."""
    final.parent.mkdir(parents=True, exist_ok=True)
    if _identity(final) is None:
        os.replace(new, final)
    elif not _rename_exchange(new, final):
        # No atomic exchange: three renames. A kill in between leaves ``final`` missing for a
        # moment, and recovery puts ``new`` there; the parked old output stays in the work folder.
        parked = new.with_name(f"{new.name}.old")
        os.replace(final, parked)
        os.replace(new, final)
        os.replace(parked, new)


def _swap_all(entries: Iterable[dict[str, Any]]) -> None:
    folders = set()
    for entry in entries:
        new, final, wanted = Path(entry["new"]), Path(entry["final"]), entry["id"]
        if _identity(final) == wanted:
            continue  # swapped before the kill
        if _identity(new) == wanted:
            exchange(new, final)
            folders |= {new.parent, final.parent}
        # else: a later build replaced it; leave that build's output alone
    for folder in sorted(folders):
        _fsync_dir(folder)


def _identity(path: Path) -> list[int] | None:
    """(device, inode): the same through renames on one file system. A list, as JSON reads it."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino]


def _write_durably(path: Path, text: str) -> None:
    """Write ``path`` so that it appears whole or not at all, and stays after a crash."""
    tmp = path.with_name(f"{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rename_exchange(a: Path, b: Path) -> bool:
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

"""Imported only in the process that starts workers (the "forkserver"; see
:func:`cardsite.output.workers.worker_pool`): silence its standard error until a worker is set.

A build interrupted while a worker is being started (Ctrl-C, a kill) leaves that worker unable
to finish starting, and Python's start-up code would print a traceback on the terminal the
build shared with it, after the build's own one-line "interrupted". So children of this
process write standard error nowhere until the worker initializer, which runs once the worker
is a worker, gives it back (:func:`restore_stderr`).
"""

from __future__ import annotations

import os

_SAVED = os.dup(2)
_QUIET = os.open(os.devnull, os.O_WRONLY)
os.dup2(_QUIET, 2)
os.close(_QUIET)


def restore_stderr() -> None:
    """In a worker: standard error back to where the build's goes."""
    os.dup2(_SAVED, 2)

"""Worker processes that never outlive the build that started them.

Chart drawing and card generation run in worker processes (matplotlib and the page rendering
hold the GIL). A build may end any way, ``kill -9`` included, and its workers must end with it
and write nothing after it: each worker watches the build's process (a pidfd where Linux has
one, else polling), the kernel kills it when its parent goes (``PR_SET_PDEATHSIG``), and
:func:`exit_unless_build_alive` is called before each write into a shared cache.

Workers start from a "forkserver" (or "spawn" where there is none), never "fork", which would
copy the parent's threads and matplotlib state; the server imports the modules the work needs
once (``preload``), so each worker does not pay for them.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


def worker_pool(workers: int, *, preload: list[str]) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes tied to this (the build's) process."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["cardsite.output.forkserver", "__main__", *preload])
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )


_build_pid: int | None = None
"""In a worker: the process id of the build it works for."""


def _start_worker(build_pid: int) -> None:
    """Worker initializer: tie the worker's life to the build's. Ctrl-C (sent to the whole
    process group) is the build's to handle: the worker ignores it, and ends with the build."""
    global _build_pid
    _build_pid = build_pid
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    quieted = sys.modules.get("cardsite.output.forkserver")
    if quieted is not None:  # started by the forkserver, whose standard error is quiet
        quieted.restore_stderr()
    _die_with_parent()
    try:  # Linux 5.3+: a handle on the build's process, readable once it exits
        pidfd: int | None = os.pidfd_open(build_pid)
    except (AttributeError, OSError):
        pidfd = None
    if not _alive(build_pid):
        os._exit(1)
    watchdog = threading.Thread(target=_watch, args=(build_pid, pidfd), daemon=True)
    watchdog.start()


def _die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent (the forkserver) exits."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _watch(build_pid: int, pidfd: int | None) -> None:
    """Watchdog thread: end the worker as soon as the build's process has exited."""
    if pidfd is not None:
        poller = select.poll()
        poller.register(pidfd, select.POLLIN)
        poller.poll()
    else:
        while _alive(build_pid):
            time.sleep(0.2)
    os._exit(1)


def _alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2] != "Z"
    return True


def exit_unless_build_alive() -> None:
    """In a worker, before writing into the cache: nothing is written for a build that is
    gone."""
    if _build_pid is not None and not _alive(_build_pid):
        os._exit(1)

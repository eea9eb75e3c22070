"""The ``cardsite`` console command (and ``python -m cardsite``).

A Ctrl-C at any moment (the libraries still loading, a worker process starting, MkDocs
building) ends the command at once with ``interrupted`` on stderr and exit 130, never a
traceback: the signal handler installed first thing here leaves straight away. Nothing needs
tidying first: a build is safe against being killed at any point (its outputs are swapped in
whole or rolled forward by the next build, its lock dies with the process, its worker
processes end with it), so an interrupted build is left exactly like a killed one.

Nothing is imported here but what the interpreter has already loaded, so the handler is in
place before the slow imports start.
"""

import contextlib
import os
import signal
import sys

INTERRUPTED = 130


def _interrupted(signum: int, frame: object) -> None:
    os.write(2, b"interrupted\n")
    _stop_helpers()
    os._exit(INTERRUPTED)


def _stop_helpers() -> None:
    """The processes multiprocessing starts beside worker pools (the forkserver, the resource
    tracker) go with the command: left alone, the tracker would report the pools' semaphores as
    leaked, on a terminal the command has already left. (Workers end with the build anyway.)"""
    tracker = sys.modules.get("multiprocessing.resource_tracker")
    server = sys.modules.get("multiprocessing.forkserver")
    pids = (
        getattr(getattr(tracker, "_resource_tracker", None), "_pid", None),
        getattr(getattr(server, "_forkserver", None), "_forkserver_pid", None),
    )
    for pid in pids:
        if isinstance(pid, int) and pid > 0:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def run() -> None:
    signal.signal(signal.SIGINT, _interrupted)
    try:
        from cardsite.cli import main

        code = main()
    except KeyboardInterrupt:  # a KeyboardInterrupt raised by other means than the signal
        _interrupted(signal.SIGINT, None)
    # The answer is known: a Ctrl-C from here on cannot change it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(code)


if __name__ == "__main__":
    run()

"""The ``cardsite`` console command (and ``python -m cardsite``).

Nothing is imported here but what the interpreter has already loaded, so that a Ctrl-C while
the command starts (the libraries take a while to load) is caught by :func:`run` like one at any
later moment: ``interrupted`` on stderr and exit 130, never a traceback.
"""

import os
import signal
import sys

INTERRUPTED = 130


def run() -> None:
    try:
        from cardsite.cli import main

        code = main()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        code = INTERRUPTED
    # The answer is known: a Ctrl-C from here on cannot change it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if code == INTERRUPTED:
        # Python ends a process that saw a KeyboardInterrupt as killed by SIGINT (exit -2) in
        # some cases even when it was handled; the command has cleaned up, so leave now.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(INTERRUPTED)
    sys.exit(code)


if __name__ == "__main__":
    run()

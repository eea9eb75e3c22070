"""How long ``cardsite serve`` takes to show an edited score.

Run by hand: ``.venv/bin/python benchmarks/serve_reload.py [--edits 5]``. Serves a copy of the
Llama 3.1 card, then, ``--edits`` times, changes one published score in ``results.yaml`` and
measures the time until the served variant page shows the new value (what the browser's live
reload then loads). Prints each time and the median.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGE = "variants/llama-3-1-405b/"
SCORE = 'llama-3-1-405b: "85.2"'


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        card = Path(shutil.copytree(REPO / "data" / "llama-3.1", Path(tmp) / "card"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cardsite",
                "serve",
                str(card),
                "--dev-addr",
                f"127.0.0.1:{port}",
            ],
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}/{PAGE}"
        try:
            deadline = time.monotonic() + 120
            while "85.2" not in fetch(url):
                if time.monotonic() > deadline:
                    raise SystemExit("the site was never served")
                time.sleep(0.2)
            times = []
            results = card / "results.yaml"
            current = "85.2"
            for i in range(args.edits):
                new = f"85.{(i + 3) % 10}" if f"85.{(i + 3) % 10}" != current else "84.9"
                text = results.read_text(encoding="utf-8")
                results.write_text(
                    text.replace(f'llama-3-1-405b: "{current}"', f'llama-3-1-405b: "{new}"', 1),
                    encoding="utf-8",
                )
                started = time.monotonic()
                while f">{new}<" not in fetch(url):
                    if time.monotonic() - started > 60:
                        raise SystemExit("no reload after an edit")
                    time.sleep(0.05)
                times.append(time.monotonic() - started)
                current = new
                time.sleep(1.0)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(" ".join(f"{t:.2f}" for t in times), f"median {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

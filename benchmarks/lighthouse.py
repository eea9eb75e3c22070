"""Lighthouse scores of the Llama 3.1 site's pages, served with gzip as a web server would.

Run by hand: ``.venv/bin/python benchmarks/lighthouse.py [SITE] [--lighthouse PATH]``. Needs
Node and Lighthouse from npm (``npm install lighthouse@12`` in any folder, then pass
``--lighthouse that/node_modules/.bin/lighthouse``; by default ``lighthouse`` on ``PATH``) and
Debian's ``chromium`` (``CHROME_PATH``; Lighthouse downloads no browser). Without ``SITE`` it
builds the hosted Llama 3.1 site into a temporary folder.

For the pages of :mod:`page_weight` it runs Lighthouse's default (mobile, simulated throttling)
audit of the four categories and prints each score, median of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from page_weight import CHROMIUM_ARGS, PAGES, REPO

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzip-compressed when the client accepts it."""

    def log_message(self, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        if not self.path.split("?")[0].endswith("/") and path.name == "index.html":
            return super().send_head()  # the directory redirect
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *_args: object) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def audit(lighthouse: str, url: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(
            [
                lighthouse,
                url,
                "--quiet",
                "--output=json",
                f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags=--headless=new {' '.join(CHROMIUM_ARGS)}",
            ],
            check=True,
            env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
        )
        data = json.loads(report.read_text(encoding="utf-8"))
    return {c: data["categories"][c]["score"] * 100 for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", nargs="?", type=Path)
    parser.add_argument("--lighthouse", default="lighthouse")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            card = str(REPO / "data" / "llama-3.1")
            build = ["build", card, "--target", "hosted", "--out", tmp]
            subprocess.run(
                [sys.executable, "-m", "cardsite.cli", *build],
                check=True,
                capture_output=True,
            )
            site = Path(tmp) / "site"
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            print("| page | " + " | ".join(CATEGORIES) + " |")
            print("|---" * (len(CATEGORIES) + 1) + "|")
            for name, path in PAGES.items():
                runs = [audit(args.lighthouse, base + path) for _ in range(args.runs)]
                scores = [statistics.median(r[c] for r in runs) for c in CATEGORIES]
                print(f"| {name} | " + " | ".join(f"{s:.0f}" for s in scores) + " |")
        finally:
            server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""First-visit weight of the Llama 3.1 site's pages, measured in Chromium.

Run by hand: ``.venv/bin/python benchmarks/page_weight.py [SITE]`` (default: builds the hosted
Llama 3.1 site into a temporary folder). For the home page, a variant page, a category page and
the Compare page, each opened in a fresh browser context (an empty cache, as a first visit),
it adds up the uncompressed bytes of every response the page and its workers fetch (HTML, CSS,
scripts, the search worker, its index and language files, images in view) until the network is
idle, and prints them per page with the largest files.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Response, sync_playwright

REPO = Path(__file__).resolve().parents[1]
PAGES = {
    "home": "",
    "variant": "variants/llama-3-1-8b-instruct/",
    "category": "benchmarks/general/",
    "compare": "compare/",
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(site: Path) -> dict[str, list[tuple[str, int]]]:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    results: dict[str, list[tuple[str, int]]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for name, url in PAGES.items():
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                fetched: list[tuple[str, int]] = []

                def record(response: Response, fetched: list[tuple[str, int]] = fetched) -> None:
                    try:
                        body = response.body()
                    except Exception:  # a redirect or an aborted request has no body
                        return
                    fetched.append((response.url.removeprefix(base), len(body)))

                context.on("response", record)
                tab = context.new_page()
                tab.goto(base + url, wait_until="networkidle")
                tab.wait_for_timeout(1500)  # the search worker's own fetches
                results[name] = fetched
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("site", nargs="?", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "cardsite.cli",
                    "build",
                    str(REPO / "data" / "llama-3.1"),
                    "--target",
                    "hosted",
                    "--out",
                    tmp,
                ],
                check=True,
                capture_output=True,
            )
            site = Path(tmp) / "site"
        for name, fetched in measure(site).items():
            total = sum(size for _url, size in fetched)
            print(f"{name}: {total / 1024:.0f} KiB in {len(fetched)} files")
            for url, size in sorted(fetched, key=lambda item: -item[1])[:6]:
                print(f"    {size / 1024:7.1f} KiB  {url or '(page)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

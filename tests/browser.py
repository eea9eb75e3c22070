"""Shared helpers for tests that drive a real browser over a built site.

Debian's Chromium (``/usr/bin/chromium``) through Playwright, never a downloaded browser. A site
folder is served by a local ``http.server`` on 127.0.0.1; every request that leaves it (any
other host) is blocked and recorded, so a test can assert the pages need no network.

Typical use in a test module::

    @pytest.fixture(scope="module")
    def base_url(site):
        with serve_dir(site) as url:
            yield url

    @pytest.fixture(scope="module")
    def browser():
        with launch() as chromium:
            yield chromium

    def test_x(browser, base_url):
        with visit(browser, base_url + "compare/", color_scheme="dark") as (page, watch):
            ...
        watch.assert_clean()

``visit`` also works with ``file://`` URLs (for a site opened from disk).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

CHROMIUM = Path(os.environ.get("CARDSITE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_PREFIXES = ("http://127.0.0.1:", "file://", "data:", "blob:", "about:")

ColorScheme = Literal["light", "dark"]


# --------------------------------------------------------------------------- serving


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder; no log line per request on stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_dir(path: Path | str) -> Iterator[str]:
    """Serve ``path`` on 127.0.0.1 (a free port) from a background thread; yield the base URL.

    The URL ends with ``/``, so ``base_url + "compare/"`` is a page.
    """
    folder = Path(path)
    if not (folder / "index.html").is_file():
        raise FileNotFoundError(f"no index.html in {folder}: build the site first")
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="serve_dir", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --------------------------------------------------------------------------- browser


@contextmanager
def launch() -> Iterator[Browser]:
    """Debian's Chromium, headless, with no background traffic of its own."""
    if not CHROMIUM.is_file():
        raise FileNotFoundError(
            f"{CHROMIUM} not found: install Debian's chromium package (`make system`); "
            "do not use `playwright install`"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watch:
    """What a browsing context did that a test should know about."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"request left the machine (blocked): {url}" for url in self.blocked]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"uncaught error: {text}" for text in self.page_errors]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "\n".join(problems)


def guard(context: BrowserContext, watch: Watch | None = None) -> Watch:
    """Block and record every request of ``context`` that is not local (127.0.0.1, file://)."""
    watch = watch if watch is not None else Watch()

    def route(route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_PREFIXES):
            route.continue_()
        else:
            watch.blocked.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", route)
    return watch


def listen(page: Page, watch: Watch) -> None:
    """Record console errors and uncaught exceptions of ``page`` into ``watch``."""
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(f"{page.url}: {message.text}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watch.page_errors.append(f"{page.url}: {error}"))


@contextmanager
def visit(
    browser: Browser,
    url: str,
    *,
    color_scheme: ColorScheme = "light",
    viewport: dict[str, int] | None = None,
) -> Iterator[tuple[Page, Watch]]:
    """A fresh, guarded browsing context on ``url``, loaded; yields the page and its Watch.

    ``color_scheme`` is what the page sees as ``prefers-color-scheme``: Material's palette in
    mkdocs.yml follows it, so "dark" gives the slate scheme.
    """
    context = browser.new_context(
        color_scheme=color_scheme,
        viewport=viewport or {"width": 1280, "height": 900},
        service_workers="block",
    )
    context.set_default_timeout(30_000)
    try:
        watch = guard(context)
        page = context.new_page()
        listen(page, watch)
        page.goto(url, wait_until="load")
        yield page, watch
    finally:
        context.close()


def load_images(page: Page) -> None:
    """Load every ``loading=lazy`` image now (for a full-page screenshot) and wait for them."""
    page.evaluate(
        """() => Promise.all(Array.from(document.images, img => {
             img.loading = 'eager';
             return img.complete ? null : new Promise(done => {
               img.addEventListener('load', done, {once: true});
               img.addEventListener('error', done, {once: true});
             });
           }))"""
    )


def color_scheme_of(page: Page) -> str | None:
    """Material's scheme as applied: ``default`` (light) or ``slate`` (dark)."""
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


# --------------------------------------------------------------------------- axe-core


def axe_violations(page: Page, context: str | dict | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (all rules axe runs by default)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, context=context).response["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One readable block per violation: rule, impact, and the first few offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def settle(page: Page, timeout: float = 5_000) -> None:
    """Wait until no finite CSS transition or animation runs (Material fades things in).

    axe-core measures colours as they are at that instant; mid-fade they are paler.
    """
    page.wait_for_function(
        """() => document.getAnimations().every(a => a.playState !== 'running'
             || a.effect === null || a.effect.getComputedTiming().endTime === Infinity)""",
        timeout=timeout,
    )


def assert_accessible(page: Page, where: str = "") -> None:
    """axe-core finds nothing on the page once it is still."""
    settle(page)
    violations = axe_violations(page)
    assert not violations, f"axe-core on {where or page.url}:\n{describe_violations(violations)}"

"""Offline target: a built site that works opened from disk (file://) with no network.

Material's ``offline`` plugin does most of the work (relative links, search index inlined
as ``search/search_index.js``), but it appends ``https://unpkg.com/iframe-worker/shim`` to
``extra.polyfills`` so that the search Web Worker can run from file://. Without network,
that shim never loads, Chromium refuses ``new Worker("file:///...")`` and search is lost.

The plugin skips adding unpkg when a polyfill URL already contains ``iframe-worker``, so we
list our own shim (``cardsite/assets/iframe-worker.js``) under that name and copy it into the
built site. Polyfills are emitted in ``<head>`` before Material's bundle, which is what the
shim needs: it must replace ``window.Worker`` before the bundle creates the search worker.
``extra_javascript`` would load it after the bundle, too late.
"""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

SHIM_NAME = "iframe-worker.js"
#: Where the shim lives in the built site. Relative, so MkDocs' ``url`` filter rewrites it per
#: page (``../../assets/...`` two folders down). The name must contain ``iframe-worker``.
SHIM_SITE_PATH = f"assets/javascripts/{SHIM_NAME}"

_OFFLINE_NAMES = frozenset({"offline", "material/offline"})
_SEARCH_NAMES = frozenset({"search", "material/search"})
_REMOTE_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def prepare_offline_config(config: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of a MkDocs config (plain dict, as loaded from YAML) for the offline target.

    Every change removes a reason the site would reach the network or break on file://:
    directory URLs need a server to resolve ``page/`` to ``page/index.html``; ``theme.font``
    pulls Google Fonts; instant navigation uses XHR (Material also turns it off on file://,
    dropping it keeps the config honest); analytics and ``repo_url`` (GitHub API) would call
    out; the polyfill list must name our shim so the offline plugin does not add unpkg; and
    the logo's home link must name ``index.html``, not a folder.
    """
    result = copy.deepcopy(config)
    result["use_directory_urls"] = False

    theme = result.get("theme") or {"name": "material"}
    if isinstance(theme, str):
        theme = {"name": theme}
    theme["font"] = False
    features = theme.get("features")
    if features:
        theme["features"] = [f for f in features if not str(f).startswith("navigation.instant")]
    result["theme"] = theme

    result["plugins"] = _with_offline_plugin(result.get("plugins"))

    # With repo_url set, Material's header fetches star/fork counts from api.github.com on
    # every page, file:// included; offline readers get the live site's link from the banner.
    for key in ("repo_url", "repo_name", "edit_uri"):
        result.pop(key, None)

    extra = result.get("extra") or {}
    extra.pop("analytics", None)
    # Material's logo links to `extra.homepage`, else to the nav's home page. A nav that puts
    # index.md inside a section has none, so the logo links to "." / "..": a folder, which
    # file:// shows as a directory listing. The `url` filter makes this relative per page.
    extra.setdefault("homepage", "index.html")
    polyfills = [str(p) for p in extra.get("polyfills") or [] if "iframe-worker" not in str(p)]
    extra["polyfills"] = [*polyfills, SHIM_SITE_PATH]
    result["extra"] = extra
    return result


def _plugin_name(entry: Any) -> str | None:
    """Name of a ``plugins`` list entry: ``"search"`` or ``{"search": {...}}``."""
    return entry if isinstance(entry, str) else next(iter(entry), None)


def _with_offline_plugin(plugins: Any) -> list[Any] | dict[str, Any]:
    """Enable the offline plugin and keep search, whose index the offline plugin inlines.

    MkDocs adds ``search`` by itself only when ``plugins`` is unset, so listing ``offline``
    alone would silently drop search.
    """
    if plugins is None:
        return ["search", {"offline": {"enabled": True}}]
    if isinstance(plugins, dict):  # MkDocs also accepts a mapping of name -> options
        mapping = {k: v for k, v in plugins.items() if k not in _OFFLINE_NAMES}
        if not _SEARCH_NAMES & mapping.keys():
            mapping = {"search": {}, **mapping}
        mapping["offline"] = {"enabled": True}
        return mapping
    result = [entry for entry in plugins if _plugin_name(entry) not in _OFFLINE_NAMES]
    if not any(_plugin_name(entry) in _SEARCH_NAMES for entry in result):
        result.insert(0, "search")
    result.append({"offline": {"enabled": True}})
    return result


def shim_source() -> bytes:
    """Return the shim shipped as package data (``cardsite/assets/iframe-worker.js``)."""
    return resources.files("cardsite").joinpath("assets", SHIM_NAME).read_bytes()


def install_shim(site_dir: Path) -> Path:
    """Copy the shim into a built site at :data:`SHIM_SITE_PATH` and return its path.

    Done after ``mkdocs build`` rather than as a docs asset: the shim belongs to cardsite, not
    to the author's docs folder, and MkDocs does not check that a polyfill URL exists.
    """
    if not (site_dir / "index.html").is_file():
        raise FileNotFoundError(f"{site_dir} holds no index.html; build the site first")
    target = site_dir / SHIM_SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(shim_source())
    return target


_FETCHING_LINKS = frozenset(
    {
        "stylesheet",
        "preconnect",
        "preload",
        "modulepreload",
        "icon",
        "manifest",
        "dns-prefetch",
        "prefetch",
    }
)


class _ResourceURLs(HTMLParser):
    """Collect URLs a browser would fetch while loading a page (not ``<a href>`` links)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            if set(values.get("rel", "").lower().split()) & _FETCHING_LINKS:
                self.urls.append(values.get("href", ""))
        else:
            self.urls.extend(values.get(a, "") for a in ("src", "poster", "data") if a in values)
            self.urls.extend(u.split()[0] for u in values.get("srcset", "").split(",") if u.strip())


def remote_references(site_dir: Path) -> list[str]:
    """List ``page: url`` for every resource a page would fetch from the network.

    Plain ``<a href>`` links and ``rel=canonical`` are not fetched and are not reported.
    Scripts may still fetch at run time (Material loads mermaid from unpkg when a page has a
    diagram); only a browser run with the network blocked proves those absent.
    """
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        parser = _ResourceURLs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        rel = page.relative_to(site_dir).as_posix()
        found.extend(f"{rel}: {u}" for u in parser.urls if _REMOTE_URL.match(u))
    return found

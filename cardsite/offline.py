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
from importlib import resources
from pathlib import Path
from typing import Any

SHIM_NAME = "iframe-worker.js"
#: Where the shim lives in the built site. Relative, so MkDocs' ``url`` filter rewrites it per
#: page (``../../assets/...`` two folders down). The name must contain ``iframe-worker``.
SHIM_SITE_PATH = f"assets/javascripts/{SHIM_NAME}"

_OFFLINE_NAMES = frozenset({"offline", "material/offline"})
_SEARCH_NAMES = frozenset({"search", "material/search"})


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

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

from pathlib import Path

from material.plugins.offline.plugin import OfflinePlugin
from mkdocs.config.defaults import MkDocsConfig

from cardsite.paths import ASSETS

SHIM_NAME = "iframe-worker.js"
#: Where the shim lives in the built site. Relative, so MkDocs' ``url`` filter rewrites it per
#: page (``../../assets/...`` two folders down). The name must contain ``iframe-worker``.
SHIM_SITE_PATH = f"assets/javascripts/{SHIM_NAME}"


def configure(config: MkDocsConfig, banner: dict[str, str]) -> None:
    """Change a loaded MkDocs config for the offline target, in place.

    Every change removes a reason the site would reach the network or break on file://:
    directory URLs need a server to resolve ``page/`` to ``page/index.html``; ``theme.font``
    pulls Google Fonts; instant navigation uses XHR (Material also turns it off on file://,
    dropping it keeps the config honest); analytics and ``repo_url`` (GitHub API) would call
    out; the polyfill list must name our shim so the offline plugin does not add unpkg; and
    the logo's home link must name ``index.html``, not a folder. Material's ``offline`` plugin
    is added, which inlines the search index into a script a page on disk can load.
    """
    config.use_directory_urls = False
    config.theme["font"] = False
    features = config.theme.get("features") or []
    config.theme["features"] = [f for f in features if not str(f).startswith("navigation.instant")]
    # With repo_url set, Material's header fetches star/fork counts from api.github.com on
    # every page, file:// included; offline readers get the live site's link from the banner.
    config.repo_url = config.repo_name = config.edit_uri = None
    extra = config.extra
    extra.pop("analytics", None)
    # Material's logo links to `extra.homepage`, else to the nav's home page. A nav that puts
    # index.md inside a section has none, so the logo links to "." / "..": a folder, which
    # file:// shows as a directory listing. The `url` filter makes this relative per page.
    extra.setdefault("homepage", "index.html")
    polyfills = [str(p) for p in extra.get("polyfills") or [] if "iframe-worker" not in str(p)]
    extra["polyfills"] = [*polyfills, SHIM_SITE_PATH]
    extra["cardsite_banner"] = banner
    if not any(isinstance(p, OfflinePlugin) for p in config.plugins.values()):
        plugin = OfflinePlugin()
        plugin.load_config({"enabled": True})
        config.plugins["material/offline"] = plugin


def finish(site_dir: Path) -> None:
    """After MkDocs: our search shim in, and MkDocs' 404 page out (it links from the server
    root, which a folder on disk does not have)."""
    (site_dir / "404.html").unlink(missing_ok=True)
    install_shim(site_dir)


def shim_source() -> bytes:
    """Return the shim shipped as package data (``cardsite/assets/iframe-worker.js``)."""
    return (ASSETS / SHIM_NAME).read_bytes()


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

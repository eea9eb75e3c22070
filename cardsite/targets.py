"""The MkDocs settings of each target. Targets differ here and nowhere else.

Each function takes the project's ``mkdocs.yml`` (as a plain dict) and returns the config for
one MkDocs run; :mod:`cardsite.build` runs it. The hosted site and the offline bundle are the
same pages under two settings; the embed target needs no run of its own, it is cut from the
hosted one (:mod:`cardsite.embed`).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from cardsite.offline import prepare_offline_config

PACKAGE_DIR = Path(__file__).resolve().parent
OUR_HOOK = "cardsite/mkdocs_hook.py"
"""The hook that lets plain ``mkdocs build`` generate pages; a cardsite build has done that."""


def base_config(
    mkdocs_yml: dict[str, Any],
    *,
    docs_dir: Path,
    nav: list[Any],
    site_url: str | None,
    site_name: str | None = None,
) -> dict[str, Any]:
    config = copy.deepcopy(mkdocs_yml)
    config["docs_dir"] = str(docs_dir)
    config["nav"] = nav
    config["strict"] = True
    config["hooks"] = [h for h in config.get("hooks", []) if not h.endswith(OUR_HOOK)]
    if site_url:
        config["site_url"] = site_url.rstrip("/") + "/"
    if site_name:
        config["site_name"] = site_name
    config.update(package_paths(config))
    return config


def package_paths(config: dict[str, Any]) -> dict[str, Any]:
    """``hooks`` and ``theme`` with absolute paths; ours (``cardsite/...``) point into the
    installed package, so a config works from any folder (a build's work folder, a project
    that is not this repository)."""
    theme = copy.deepcopy(config.get("theme", {}))
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = absolute(theme["custom_dir"])
    return {"theme": theme, "hooks": [absolute(h) for h in config.get("hooks", [])]}


def absolute(path: str) -> str:
    if path.startswith("cardsite/"):
        return str(PACKAGE_DIR / path.removeprefix("cardsite/"))
    return str(Path(path).resolve())


def hosted(config: dict[str, Any]) -> dict[str, Any]:
    config = copy.deepcopy(config)
    config["use_directory_urls"] = True
    return config


def offline(config: dict[str, Any], banner: dict[str, str]) -> dict[str, Any]:
    """Opened from disk with no network: see :mod:`cardsite.offline` for why each setting."""
    config = prepare_offline_config(config)
    config.setdefault("extra", {})["cardsite_banner"] = banner
    return config

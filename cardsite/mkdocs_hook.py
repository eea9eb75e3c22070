"""MkDocs hook: lets plain ``mkdocs build`` and ``mkdocs serve`` show a card's generated pages.

A thin adapter over :mod:`cardsite.generate`. The pages are written to a folder outside
``docs/`` and added to MkDocs' file list, so ``mkdocs serve`` never sees its own output change
(writing into ``docs/`` would rebuild forever). The card folder is ``data/llama-3.1`` unless
``CARDSITE_CARD_DIR`` names another (``cardsite serve CARD_DIR`` sets it).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from cardsite.generate import site_name, write_docs
from cardsite.loader import DEFAULT_CARD_DIR, load_card
from cardsite.problems import CardError

GENERATED = Path(".cache/generated")
_state: dict[str, Any] = {}


def _card_dir(config: MkDocsConfig) -> Path:
    root = Path(config.config_file_path).parent
    return root / os.environ.get("CARDSITE_CARD_DIR", str(DEFAULT_CARD_DIR))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    try:
        card, _warnings = load_card(_card_dir(config))
    except CardError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        raise PluginError("the card has errors (listed above); nothing was built") from None
    out = root / GENERATED
    shutil.rmtree(out, ignore_errors=True)
    templates = root / "templates"
    generated = write_docs(
        card,
        out,
        cache_dir=root / ".cache/charts",
        template_dirs=[templates] if templates.is_dir() else [],
    )
    config.nav = generated.nav
    config.site_name = site_name(card, config.site_name)
    _state["out"] = out
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    out: Path = _state["out"]
    for path in sorted(out.rglob("*")):
        if path.is_file():
            src_uri = path.relative_to(out).as_posix()
            existing = files.get_file_from_path(src_uri)
            if existing is not None:
                files.remove(existing)
            files.append(File(src_uri, str(out), config.site_dir, config.use_directory_urls))
    return files


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when card data or templates change (they live outside ``docs/``)."""
    root = Path(config.config_file_path).parent
    server.watch(str(_card_dir(config)))
    if (root / "templates").is_dir():
        server.watch(str(root / "templates"))
    return server

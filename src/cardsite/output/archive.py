"""Deterministic zip files: same input, same bytes (sorted entries, fixed times and modes)."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

ZIP_EPOCH_FLOOR = 315532800  # 1980-01-01: the earliest time a zip entry can hold


def build_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    return int(value) if value and value.isdigit() else int(time.time())


def zip_folder(
    src: Path, zip_path: Path, *, top_folder: str | None = None, epoch: int | None = None
) -> None:
    """Zip every file under ``src``, optionally inside one ``top_folder``."""
    files = sorted(p for p in src.rglob("*") if p.is_file())
    stamp = time.gmtime(max(epoch if epoch is not None else build_epoch(), ZIP_EPOCH_FLOOR))[:6]
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for file in files:
            name = file.relative_to(src).as_posix()
            info = zipfile.ZipInfo(f"{top_folder}/{name}" if top_folder else name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine built it
            zf.writestr(info, file.read_bytes())

"""Deterministic zip files: same input, same bytes (sorted entries, fixed times and modes)."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

ZIP_EPOCH_FLOOR = 315532800  # 1980-01-01: the earliest time a zip entry can hold
MAX_EPOCH = 4354819199
"""2107-12-31 23:59:59 UTC: the latest time a zip entry can hold."""


class EpochError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set to something that is not a time a build can carry."""


def build_epoch() -> int:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now.

    The value must be a whole number of seconds since 1970 up to :data:`MAX_EPOCH`: anything
    else is an :class:`EpochError`, not silently replaced by the current time (MkDocs reads the
    same variable for its sitemap, and a zip entry cannot date past 2107).
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return int(time.time())
    if not (value.isascii() and value.isdigit() and len(value) <= 10) or int(value) > MAX_EPOCH:
        raise EpochError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 from 0 to "
            f"{MAX_EPOCH} (2107-12-31), found {value[:40]!r}"
        )
    return int(value)


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

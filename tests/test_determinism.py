"""Same input, same bytes: two builds of one card give identical ``site/`` and ``dist/``.

Given ``SOURCE_DATE_EPOCH``, nothing else may show in the output. The two builds here differ in
everything else at once: ``PYTHONHASHSEED``, time zone and time of day, project and card paths,
the order in which every input file was written and its mtime, and a cold versus a warm chart
cache. When they disagree, the assertion lists the files that differ.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EPOCH, copy_card, make_project, run_cardsite, snapshot


def scrambled_copy(src: Path, dest: Path, *, first_mtime: int) -> None:
    """Copy ``src`` writing files in reverse order, each with its own odd mtime."""
    items = sorted(src.rglob("*"), reverse=True)
    for i, item in enumerate(items):
        target = dest / item.relative_to(src)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(item, target)
        os.utime(target, (first_mtime + 7919 * i, first_mtime + 104729 * i))
    for i, item in enumerate(items):  # folders last: writing files into them changed theirs
        if item.is_dir():
            os.utime(dest / item.relative_to(src), (first_mtime - i, first_mtime - 3 * i))


def cache_entries(project: Path) -> set[str]:
    return {
        p.name
        for p in (project / ".cache" / "cardsite" / "charts").iterdir()
        if not p.name.startswith(".")
    }


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("determinism")

    first = make_project(root / "first")
    first_card = copy_card(root / "card")
    assert not (first / ".cache").exists()  # cold chart cache
    done = run_cardsite(
        "build", str(first_card), cwd=first, env={"PYTHONHASHSEED": "1", "TZ": "UTC"}
    )
    assert done.returncode == 0, done.stderr

    time.sleep(1.1)  # another second of the day, at least

    staging = make_project(root / "staging")
    second = root / "second project" / "site root"
    scrambled_copy(staging, second, first_mtime=2_000_000_000)  # mtimes in 2033
    second_card = root / "another copy" / "llama card"
    scrambled_copy(copy_card(root / "card-staging"), second_card, first_mtime=400_000_000)
    shutil.copytree(first / ".cache", second / ".cache")  # warm chart cache
    done = run_cardsite(
        "build",
        str(second_card),
        cwd=second,
        env={"PYTHONHASHSEED": "2", "TZ": "Pacific/Kiritimati"},  # UTC+14: another date
    )
    assert done.returncode == 0, done.stderr
    assert cache_entries(second) == cache_entries(first), "the warm build drew charts again"
    return first, second


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = (snapshot(p) for p in two_builds)
    assert len(first) > 100
    assert any(p.startswith("site/") for p in first)
    assert {"dist/offline/index.html", "dist/embed/index.html"} <= first.keys()
    differing = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    assert differing == [], f"{len(differing)} files differ: {differing[:30]}"


def test_zip_entries_are_sorted_and_stamped_with_the_epoch(two_builds: tuple[Path, Path]) -> None:
    stamp = time.gmtime(int(EPOCH))[:6]
    zips = [*two_builds[0].glob("dist/*.zip"), *two_builds[0].glob("site/**/*.zip")]
    assert len(zips) >= 2  # the offline bundle and the Hugging Face cards download
    for path in zips:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names, key=lambda n: n.split("/")), path  # folder by folder
        assert {i.date_time for i in infos} == {stamp}, path
        assert {i.external_attr >> 16 for i in infos} == {0o644}, path

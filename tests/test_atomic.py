"""Nothing lost: a failed, killed or concurrent build leaves ``site/`` and ``dist/`` whole.

Every test starts from a project whose outputs are a good build of the card ("old") and ends by
comparing every file's bytes with either that snapshot or a good build of the card with one
score changed ("new"). A killed build may only leave the old outputs, or, when it was killed
after its commit point (the swap journal, see :mod:`cardsite.output.swap`), the new outputs once the
next build has finished its swap. Never a mix, never a damaged file.

Kill points: a real ``cardsite build`` killed with SIGKILL at fixed times and at moments found
by polling the file system (journal written, first output swapped, journal removed), and a
stand-in process that runs :func:`cardsite.output.swap.commit` on prebuilt outputs and kills itself
at each step of the swap, which polling cannot hit reliably.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from cardsite.cli import main
from cardsite.output import build as build_module
from cardsite.output import swap
from tests.conftest import EPOCH, Snapshot, copy_card, make_project, run_cardsite, snapshot

OLD_SCORE = 'llama-3-1-405b: "85.2"'  # MMLU, the first score of results.yaml
NEW_SCORE = 'llama-3-1-405b: "85.3"'


def differences(got: Snapshot, want: Snapshot, limit: int | None = 20) -> list[str]:
    """Paths whose bytes differ (or that only one side has), the first ``limit`` of them."""
    return [p for p in sorted(got.keys() | want.keys()) if got.get(p) != want.get(p)][:limit]


@dataclass(frozen=True)
class Builds:
    old_card: Path
    new_card: Path
    old_project: Path  # built from old_card
    new_project: Path  # built from new_card
    old: Snapshot
    new: Snapshot

    def outputs(self, project: Path) -> dict[str, str]:
        """Which build each output comes from: ``old``, ``new`` or ``other``."""
        got = snapshot(project)
        result = {}
        for name in self.output_names:
            mine = {p: h for p, h in got.items() if _under(p, name)}
            result[name] = next(
                (
                    which
                    for which, snap in (("old", self.old), ("new", self.new))
                    if mine == {p: h for p, h in snap.items() if _under(p, name)}
                ),
                "other",
            )
        return result

    @property
    def output_names(self) -> list[str]:
        """In the order a build swaps them (embed, wiki, hosted, offline, zip)."""
        zips = sorted(p.name for p in (self.old_project / "dist").glob("*.zip"))
        return ["dist/embed", "dist/wiki", "site", "dist/offline", *(f"dist/{z}" for z in zips)]


def _under(path: str, output: str) -> bool:
    return path == output or path.startswith(output + "/")


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    root = tmp_path_factory.mktemp("atomic")
    old_card = copy_card(root / "card-old")
    new_card = copy_card(root / "card-new")
    results = new_card / "results.yaml"
    text = results.read_text(encoding="utf-8")
    assert OLD_SCORE in text
    results.write_text(text.replace(OLD_SCORE, NEW_SCORE, 1), encoding="utf-8")

    old_project = make_project(root / "old")
    done = run_cardsite("build", str(old_card), cwd=old_project)
    assert done.returncode == 0, done.stderr
    new_project = make_project(root / "new")
    _copy_cache(old_project, new_project)  # warm: saves a few seconds
    done = run_cardsite("build", str(new_card), cwd=new_project)
    assert done.returncode == 0, done.stderr
    builds = Builds(
        old_card, new_card, old_project, new_project, snapshot(old_project), snapshot(new_project)
    )
    changed = differences(builds.old, builds.new, limit=None)
    for name in builds.output_names:  # else a kill test could not tell old from new
        assert any(_under(p, name) for p in changed), f"the changed score left {name} as it was"
    return builds


@pytest.fixture
def project(builds: Builds, tmp_path: Path) -> Path:
    """A fresh project holding the old build's outputs, with a warm chart cache."""
    project = make_project(tmp_path / "project")
    for top in ("site", "dist"):
        shutil.copytree(builds.old_project / top, project / top)
    _copy_cache(builds.new_project, project)
    assert snapshot(project) == builds.old
    return project


def _copy_cache(source: Path, target: Path) -> None:
    if (source / ".cache").is_dir():
        shutil.copytree(source / ".cache", target / ".cache")


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", **extra}


def start_build(project: Path, card: Path, log: Path) -> subprocess.Popen[bytes]:
    """``cardsite build`` in the background, in its own process group (chart workers too)."""
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "cardsite.cli", "build", str(card)],
            cwd=project,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_9(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the build, then whatever it started (chart workers) by its process group."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def journals(project: Path) -> list[Path]:
    return sorted((project / ".cardsite-tmp").glob(f"build-*/{swap.JOURNAL}"))


def work_folders(project: Path) -> list[Path]:
    return sorted((project / ".cardsite-tmp").glob("build-*"))


def next_build_start(project: Path) -> None:
    """What every build does first under its lock: finish an interrupted swap, then delete
    stale work folders (the same code, in process, without building again)."""
    with contextlib.chdir(project), build_module._lock(Path(build_module.WORK_FOLDER)):
        pass


def check_after_kill(builds: Builds, project: Path, *, committed: bool | None) -> str:
    """The outputs after a kill, and after the next build's recovery; returns a summary.

    ``committed``: whether the kill came after the commit point (None: unknown, a timed kill).
    """
    before = builds.outputs(project)
    leftover = journals(project)
    if not leftover:  # no journal, nothing to finish: outputs must already be whole
        assert set(before.values()) in ({"old"}, {"new"}), before
    next_build_start(project)
    after = snapshot(project)
    assert after in (builds.old, builds.new), differences(after, builds.old)
    if committed is not None:
        assert after == (builds.new if committed else builds.old), before
    if leftover:
        assert after == builds.new, "a journal means committed: recovery rolls forward"
    assert not work_folders(project), "the next build removes stale work folders"
    mixed = len(set(before.values())) > 1
    return (
        f"before recovery {'MIXED ' if mixed else ''}{before}, journal={bool(leftover)}; "
        f"after recovery {'new' if after == builds.new else 'old'}"
    )


# ------------------------------------------------------------------ a real build, killed


@pytest.mark.parametrize("seconds", [0.2, 1.0, 2.0, 3.5, 5.0])
def test_kill_at_time(builds: Builds, project: Path, tmp_path: Path, seconds: float) -> None:
    proc = start_build(project, builds.new_card, tmp_path / "build.log")
    time.sleep(seconds)
    finished = proc.poll() is not None
    kill_9(proc)
    summary = check_after_kill(builds, project, committed=True if finished else None)
    print(f"\nkill -9 at {seconds} s{' (build had finished)' if finished else ''}: {summary}")


def _poll_then_kill(proc: subprocess.Popen[bytes], moment: Callable[[], bool]) -> float:
    """Kill the moment ``moment()`` turns true (busy polling); returns seconds since start."""
    started = time.monotonic()
    while not moment():
        assert proc.poll() is None, "the build ended before the kill point"
        assert time.monotonic() - started < 300
    kill_9(proc)
    return time.monotonic() - started


def test_kill_when_journal_appears(builds: Builds, project: Path, tmp_path: Path) -> None:
    proc = start_build(project, builds.new_card, tmp_path / "build.log")
    at = _poll_then_kill(proc, lambda: bool(journals(project)))
    summary = check_after_kill(builds, project, committed=True)
    print(f"\nkill -9 when the journal appeared ({at:.1f} s): {summary}")


def test_kill_after_first_swap(builds: Builds, project: Path, tmp_path: Path) -> None:
    site = project / "site"
    inode = site.stat().st_ino
    proc = start_build(project, builds.new_card, tmp_path / "build.log")
    at = _poll_then_kill(proc, lambda: site.stat().st_ino != inode)
    summary = check_after_kill(builds, project, committed=True)
    print(f"\nkill -9 when site/ was swapped ({at:.1f} s): {summary}")


def test_kill_after_journal_removed(builds: Builds, project: Path, tmp_path: Path) -> None:
    proc = start_build(project, builds.new_card, tmp_path / "build.log")
    seen: list[bool] = []

    def journal_gone() -> bool:
        if journals(project):
            seen.append(True)
            return False
        return bool(seen)

    at = _poll_then_kill(proc, journal_gone)
    summary = check_after_kill(builds, project, committed=True)
    print(f"\nkill -9 when the journal was removed ({at:.1f} s): {summary}")


# ------------------------------------------------- the swap itself, killed at every step

# Runs swap.commit on prebuilt outputs and SIGKILLs itself at step ``argv[1]``:
# -1 while writing the journal; k = 0..3 before swap number k (0: journal written, nothing
# swapped); 4 after all four swaps, before the journal is removed; 5 after commit() returned.
_SELF_KILLER = """
import json, os, signal, sys
from pathlib import Path
from cardsite.output import swap

step = int(sys.argv[1])
die = lambda: os.kill(os.getpid(), signal.SIGKILL)
swapped = 0
real_exchange, real_swap_all = swap.exchange, swap._swap_all

def exchange(new, final):
    global swapped
    if swapped == step:
        die()
    real_exchange(new, final)
    swapped += 1

def swap_all(entries):
    real_swap_all(entries)
    if step == len(entries):
        die()

def write_half(path, text):
    path.with_name(path.name + ".tmp").write_text(text[: len(text) // 2])
    die()

swap.exchange, swap._swap_all = exchange, swap_all
if step == -1:
    swap._write_durably = write_half
pairs = [(Path(new), Path(final)) for new, final in json.loads(sys.argv[2])]
swap.commit(pairs, Path(sys.argv[3]))
die()
"""


def _stage_new_outputs(builds: Builds, project: Path) -> list[tuple[str, str]]:
    """Copy the new build's outputs into a work folder, as a build leaves them before its swap."""
    work = project / ".cardsite-tmp" / "build-killed"
    work.mkdir(parents=True)
    pairs = []
    for i, name in enumerate(builds.output_names):
        source = builds.new_project / name
        staged = work / f"output-{i}"
        if source.is_dir():
            shutil.copytree(source, staged)
        else:
            shutil.copy(source, staged)
        pairs.append((staged.relative_to(project).as_posix(), name))
    return pairs


def _kill_swap_at(builds: Builds, project: Path, step: int) -> None:
    pairs = _stage_new_outputs(builds, project)
    journal = Path(".cardsite-tmp/build-killed") / swap.JOURNAL
    done = subprocess.run(
        [sys.executable, "-c", _SELF_KILLER, str(step), json.dumps(pairs), str(journal)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize("step", [-1, 0, 1, 2, 3, 4, 5])
def test_kill_during_swap(builds: Builds, project: Path, step: int) -> None:
    _kill_swap_at(builds, project, step)
    names = builds.output_names
    expected = {name: "new" if 0 <= i < step else "old" for i, name in enumerate(names)}
    if step >= len(names):
        expected = dict.fromkeys(names, "new")
    assert builds.outputs(project) == expected
    assert bool(journals(project)) == (0 <= step <= len(names))
    summary = check_after_kill(builds, project, committed=step >= 0)
    print(f"\nkill -9 at swap step {step}: {summary}")


def test_recovery_survives_a_second_kill(builds: Builds, project: Path) -> None:
    """Killed again halfway through recovery: the journal stays and the next recovery ends it."""
    _kill_swap_at(builds, project, 1)
    journal = journals(project)[0]
    entries = json.loads(journal.read_text(encoding="utf-8"))
    with contextlib.chdir(project):
        swap._swap_all(entries[:3])  # recovery got this far when it was killed
    assert list(builds.outputs(project).values()).count("new") == 3
    check_after_kill(builds, project, committed=True)


def test_swap_without_atomic_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where renameat2 is missing: three renames, and recovery from a kill between them."""
    monkeypatch.setattr(swap, "_rename_exchange", lambda a, b: False)
    monkeypatch.chdir(tmp_path)
    work, out = Path("work"), Path("out")
    for folder, text in ((work / "site", "new"), (out / "site", "old")):
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(text, encoding="utf-8")
    (work / "bundle.zip").write_text("new zip", encoding="utf-8")  # no old one yet

    swap.commit(
        [(work / "site", out / "site"), (work / "bundle.zip", out / "bundle.zip")],
        work / swap.JOURNAL,
    )

    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "new"
    assert (work / "site" / "index.html").read_text(encoding="utf-8") == "old"
    assert (out / "bundle.zip").read_text(encoding="utf-8") == "new zip"
    assert not (work / swap.JOURNAL).exists()

    # Killed after the first of the three renames: the old output parked, nothing at final.
    (work / "site2").mkdir()
    (work / "site2" / "index.html").write_text("newer", encoding="utf-8")
    entry = {"new": "work/site2", "final": "out/site", "id": swap._identity(work / "site2")}
    swap._write_durably(work / swap.JOURNAL, json.dumps([entry]))
    os.replace(out / "site", work / "site2.old")
    swap.recover(work / swap.JOURNAL)
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "newer"
    assert not (work / swap.JOURNAL).exists()


def test_next_build_finishes_the_swap_and_cleans_up(builds: Builds, project: Path) -> None:
    _kill_swap_at(builds, project, 2)
    assert "old" in builds.outputs(project).values()
    assert "new" in builds.outputs(project).values()
    stale = project / ".cardsite-tmp" / "build-stale"
    (stale / "docs").mkdir(parents=True)
    (stale / "docs" / "index.md").write_text("left by a killed build\n", encoding="utf-8")

    done = run_cardsite("build", str(builds.new_card), cwd=project)

    assert done.returncode == 0, done.stderr
    assert "finishing the output swap of an interrupted build" in done.stderr
    assert differences(snapshot(project), builds.new) == []
    assert not work_folders(project), work_folders(project)


# ---------------------------------------------------------------- failed builds


def _assert_failed_cleanly(
    done: subprocess.CompletedProcess[str], builds: Builds, project: Path, message: str
) -> None:
    assert done.returncode == 1, done.stderr
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert differences(snapshot(project), builds.old) == []
    assert not work_folders(project)


def test_bad_card_changes_nothing(builds: Builds, project: Path, tmp_path: Path) -> None:
    card = copy_card(tmp_path / "bad-card")
    results = card / "results.yaml"
    results.write_text(
        results.read_text(encoding="utf-8").replace(OLD_SCORE, "llama-3-1-405b: [85.2", 1),
        encoding="utf-8",
    )
    done = run_cardsite("build", str(card), cwd=project)
    _assert_failed_cleanly(done, builds, project, "results.yaml:")


def test_mkdocs_failure_changes_nothing(builds: Builds, project: Path) -> None:
    """A template override with a link to no page: strict MkDocs fails the hosted build."""
    home = project / "templates" / "home.md.jinja"
    home.write_text(
        '{% extends "base/home.md.jinja" %}{% block intro %}[broken](no-such-page.md)'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    done = run_cardsite("build", str(builds.new_card), cwd=project)
    _assert_failed_cleanly(done, builds, project, "build failed: MkDocs could not build")
    assert "no-such-page.md" in done.stderr
    assert "earlier outputs were left as they were" in done.stderr


# What a project or its machine can get wrong: each fails the build in one line naming the
# cause (file, setting or variable), and leaves every output as it was.
def _template(name: str, text: str | bytes) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (project / "templates" / name).write_bytes(data)

    return change


def _write(name: str, text: str | bytes) -> Callable[[Path], None]:
    def change(project: Path) -> None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)

    return change


def _folder(name: str) -> Callable[[Path], None]:
    return lambda project: (project / name).mkdir(parents=True)


BROKEN_PROJECTS: dict[str, tuple[Callable[[Path], None], dict[str, str], tuple[str, ...]]] = {
    # id: (change to the project, environment, words of the message)
    "work-folder-is-a-file": (_write(".cardsite-tmp", "x\n"), {}, (".cardsite-tmp", "File exists")),
    "lock-is-a-folder": (_folder(".cardsite-tmp/build.lock"), {}, ("build.lock", "directory")),
    "mkdocs-yml-a-list": (_write("mkdocs.yml", "- a\n- b\n"), {}, ("mkdocs.yml", "mapping")),
    "mkdocs-yml-empty": (_write("mkdocs.yml", ""), {}, ("mkdocs.yml",)),
    "mkdocs-yml-javascript-site-url": (
        _write("mkdocs.yml", "site_name: x\nsite_url: javascript://x/%0aalert(7)\n"),
        {},
        ("site_url", "javascript:"),
    ),
    "template-divides-by-zero": (
        _template(
            "home.md.jinja",
            '{% extends "base/home.md.jinja" %}{% block intro %}{{ 1/0 }}{% endblock %}',
        ),
        {},
        ("home.md.jinja", "division by zero"),
    ),
    "template-not-utf-8": (
        _template("glossary.md.jinja", b"# caf\xe9\n"),
        {},
        ("glossary.md.jinja", "not UTF-8"),
    ),
    "docs-page-not-utf-8": (
        _write("docs/how-this-site-is-made.md", b"# caf\xe9\n"),
        {},
        ("not UTF-8",),
    ),
    "source-date-epoch-abc": ((lambda project: None), {"SOURCE_DATE_EPOCH": "abc"}, ("'abc'",)),
    "source-date-epoch-negative": (
        (lambda project: None),
        {"SOURCE_DATE_EPOCH": "-5"},
        ("SOURCE_DATE_EPOCH", "'-5'"),
    ),
    "source-date-epoch-far-future": (
        (lambda project: None),
        {"SOURCE_DATE_EPOCH": "99999999999999"},
        ("SOURCE_DATE_EPOCH", "2107"),
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_PROJECTS))
def test_broken_project_changes_nothing(builds: Builds, project: Path, case: str) -> None:
    change, env, words = BROKEN_PROJECTS[case]
    change(project)
    done = run_cardsite("build", str(builds.new_card), cwd=project, env=env)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert not re.search(r"^\w+(Error|Exception): ", done.stderr, re.MULTILINE), done.stderr
    failure = next(line for line in done.stderr.splitlines() if "failed" in line or ": " in line)
    assert all(w.lower() in done.stderr.lower() for w in words), done.stderr
    assert failure
    assert differences(snapshot(project), builds.old) == []


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_output_that_cannot_be_replaced_changes_nothing(builds: Builds, project: Path) -> None:
    """``site/`` made immutable: the build checks every output before it swaps any, so
    ``dist/embed`` (swapped first) is not replaced either, and the message says so."""
    if not _chattr("+i", project / "site"):
        pytest.skip("chattr +i is not available here (needs root and a file system with flags)")
    try:
        done = run_cardsite("build", str(builds.new_card), cwd=project)
        outputs = builds.outputs(project)
    finally:
        _chattr("-i", project / "site")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "could not put the new outputs in place" in done.stderr
    assert "site" in done.stderr and "immutable" in done.stderr
    assert "no output was replaced" in done.stderr
    assert set(outputs.values()) == {"old"}, outputs
    assert differences(snapshot(project), builds.old) == []
    assert not work_folders(project)


def test_swap_that_fails_midway_is_undone(
    builds: Builds, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passed but the third swap fails (a permission changed in between): the two
    swaps done are undone at once, the journal dropped; no output is new."""
    pairs = _stage_new_outputs(builds, project)
    real = swap.exchange
    calls = []

    def failing(new: Path, final: Path) -> None:
        calls.append(final)
        if len(calls) == 3:
            raise PermissionError(1, "Operation not permitted", str(final))
        real(new, final)

    monkeypatch.setattr(swap, "exchange", failing)
    monkeypatch.chdir(project)
    journal = Path(".cardsite-tmp/build-killed") / swap.JOURNAL
    with pytest.raises(PermissionError):
        swap.commit([(Path(new), Path(final)) for new, final in pairs], journal)
    assert not journal.exists()
    assert set(builds.outputs(project).values()) == {"old"}


def test_swap_that_cannot_be_undone_says_so(
    builds: Builds, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Undoing fails too: the journal stays, the error says the swap is incomplete, and the
    next build rolls forward to the new outputs."""
    pairs = _stage_new_outputs(builds, project)
    real = swap.exchange
    calls = []

    def failing(new: Path, final: Path) -> None:
        calls.append(final)
        if len(calls) >= 3:
            raise PermissionError(1, "Operation not permitted", str(final))
        real(new, final)

    monkeypatch.setattr(swap, "exchange", failing)
    monkeypatch.chdir(project)
    journal = Path(".cardsite-tmp/build-killed") / swap.JOURNAL
    with pytest.raises(swap.IncompleteSwap):
        swap.commit([(Path(new), Path(final)) for new, final in pairs], journal)
    assert journal.exists()
    monkeypatch.setattr(swap, "exchange", real)
    check_after_kill(builds, project, committed=True)


def _mount_tmpfs(where: Path, megabytes: int) -> bool:
    where.mkdir(parents=True)
    command = ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)]
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.mark.skipif(sys.platform != "linux", reason="tmpfs")
def test_full_disk_changes_nothing(builds: Builds, tmp_path: Path) -> None:
    """The project on a small file system that fills up at different points of the build:
    each build either succeeds (new outputs) or fails in one line saying the disk is full,
    with the old outputs whole."""
    old_size = sum(len(p.read_bytes()) for p in builds.old_project.rglob("*") if p.is_file())
    base = old_size // 2**20 + 1
    failed = 0
    for extra in (1, 3, 5, 8, 11, 40):
        disk = tmp_path / f"disk-{extra}"
        if not _mount_tmpfs(disk, base + extra):
            pytest.skip("cannot mount a tmpfs here (needs root)")
        try:
            project = make_project(disk / "project")
            for top in ("site", "dist"):
                shutil.copytree(builds.old_project / top, project / top)
            done = run_cardsite("build", str(builds.new_card), cwd=project)
            assert "Traceback" not in done.stderr, done.stderr
            if done.returncode == 0:
                assert differences(snapshot(project), builds.new) == []
            else:
                failed += 1
                assert done.returncode == 1, done.stderr
                assert "No space left on device" in done.stderr, done.stderr
                assert "earlier outputs were left as they were" in done.stderr
                assert differences(snapshot(project), builds.old) == []
            print(f"\n{base + extra} MB disk: exit {done.returncode}")
        finally:
            subprocess.run(["umount", "-l", str(disk)], check=False)
    assert failed >= 3, "the disk never filled up: make the sizes smaller"


# ---------------------------------------------------------------- two builds at once


def test_concurrent_builds_take_turns(builds: Builds, project: Path, tmp_path: Path) -> None:
    first = start_build(project, builds.new_card, tmp_path / "first.log")
    started = time.monotonic()
    while not work_folders(project):  # the first build holds the lock once its folder exists
        assert first.poll() is None, (tmp_path / "first.log").read_text()
        assert time.monotonic() - started < 120
        time.sleep(0.01)
    second = start_build(project, builds.new_card, tmp_path / "second.log")
    try:
        assert first.wait(timeout=300) == 0, (tmp_path / "first.log").read_text()
        assert second.wait(timeout=300) == 0, (tmp_path / "second.log").read_text()
    finally:
        kill_9(first)
        kill_9(second)
    first_log = (tmp_path / "first.log").read_text()
    second_log = (tmp_path / "second.log").read_text()
    assert "waiting" not in first_log
    assert "another cardsite build holds .cardsite-tmp/build.lock; waiting up to" in second_log
    assert "lock acquired after" in second_log
    assert differences(snapshot(project), builds.new) == []
    assert not work_folders(project)


def test_gives_up_waiting_with_a_clear_message(
    builds: Builds,
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (project / ".cardsite-tmp").mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from filelock import FileLock; "
            "lock = FileLock('.cardsite-tmp/build.lock'); lock.acquire(); "
            "print('held', flush=True); time.sleep(120)",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setattr(build_module, "LOCK_WAIT_SECONDS", 1)
        monkeypatch.chdir(project)
        assert main(["build", str(builds.new_card)]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "another cardsite build holds .cardsite-tmp/build.lock; waiting up to 1 s" in err
    assert "build failed: gave up after 1 s waiting for another build" in err
    assert differences(snapshot(project), builds.old) == []

"""`cardsite serve`: a live preview that follows edits to the card data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import copy_card, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_serve_reloads_when_a_score_changes(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    card = copy_card(tmp_path / "card")
    port = free_port()
    url = f"http://127.0.0.1:{port}/variants/llama-3-1-405b/"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cardsite.cli",
            "serve",
            str(card),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        start_new_session=True,
    )
    try:
        assert wait_for(lambda: "85.2" in (fetch(url) or ""), 90), "site never served"
        results = card / "results.yaml"
        text = results.read_text(encoding="utf-8")
        assert text.count('llama-3-1-405b: "85.2"') == 1
        results.write_text(
            text.replace('llama-3-1-405b: "85.2"', 'llama-3-1-405b: "85.3"'), encoding="utf-8"
        )
        assert wait_for(lambda: "85.3" in (fetch(url) or ""), 90), "no reload after the edit"
        # The generated pages live outside docs/, so serving does not rebuild in a loop.
        assert not (project / "docs" / "index.md").exists()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output

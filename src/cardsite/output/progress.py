"""Build progress: a Rich progress bar on a terminal, one plain line a step elsewhere (CI)."""

from __future__ import annotations

import os
import sys
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress


class Progress:
    def __init__(self, total: int) -> None:
        self.console = Console(stderr=True)
        # CI logs are read later, not watched: a bar's redraws there are noise.
        self.live = self.console.is_terminal and not os.environ.get("CI")
        self.total = total
        self._bar: RichProgress | None = None
        self._task = None
        self._started = False

    def __enter__(self) -> Progress:
        if self.live:
            self._bar = RichProgress(
                TextColumn("{task.description}"),
                BarColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("cardsite build", total=self.total)
        return self

    def step(self, description: str) -> None:
        if self._bar is not None and self._task is not None:
            if self._started:
                self._bar.advance(self._task)
            self._bar.update(self._task, description=description)
        elif not os.environ.get("CI"):
            print(f"cardsite: {description}", file=sys.stderr)
        self._started = True

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, value, tb)

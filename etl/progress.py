"""Progress bars for long CLI runs (backfill, bench, synth), drawn by ``rich`` on stderr.

Why rich: it is already a dependency (tables), redraws in place, estimates time left, and draws
nothing when stderr is not a terminal, so piped ``--json`` output and Airflow task logs stay clean.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


class Bar:
    """One bar: ``advance(n)`` counts work done, ``describe(text)`` names the phase."""

    def __init__(self, progress: object | None = None, task: object | None = None) -> None:
        self._progress, self._task = progress, task

    def advance(self, n: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, n)  # type: ignore[attr-defined]

    def total(self, total: int) -> None:
        """Set the number of steps once it is known (after planning)."""
        if self._progress is not None:
            self._progress.update(self._task, total=total)  # type: ignore[attr-defined]

    def describe(self, text: str) -> None:
        if self._progress is not None:
            self._progress.update(self._task, description=text)  # type: ignore[attr-defined]


@contextlib.contextmanager
def progress_bar(total: int, label: str, enabled: bool | None = None) -> Iterator[Bar]:
    """A bar of ``total`` steps on stderr when it is a terminal (or ``enabled``); else a silent one."""
    on = sys.stderr.isatty() if enabled is None else enabled
    if not on or total <= 0:
        yield Bar()
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn, TimeRemainingColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True),
                  transient=True) as prog:
        yield Bar(prog, prog.add_task(label, total=total))

"""Long CLI runs draw a progress bar on a terminal, and nothing into piped output."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

CLI = str(Path(sys.executable).parent / "edgar-etl")


def _run_on_terminal(args: list[str], timeout: float = 120.0) -> tuple[int, str, str]:
    """Run with stderr on a pseudo-terminal (as in an operator's shell), stdout piped."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, text=True,
                            env={**os.environ, "COLUMNS": "120", "TERM": "xterm"})
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    out = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))[0]
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode("utf-8", "replace")


def test_synth_draws_a_bar_on_a_terminal_and_keeps_stdout_json(tmp_path: Path) -> None:
    rc, out, terminal = _run_on_terminal([CLI, "synth", "--deals", "3", "--months", "12", "--seed", "5",
                                          "--out", str(tmp_path / "m")])
    assert rc == 0, terminal[-2000:]
    summary = json.loads(out)  # the bar never reaches stdout
    assert summary["deals"] == 3 and summary["filings"] > 30
    assert "synth 3 deals: month" in terminal and " of " in terminal


def test_synth_piped_prints_no_bar(tmp_path: Path) -> None:
    done = subprocess.run([CLI, "synth", "--deals", "2", "--months", "3", "--seed", "5", "--out",
                           str(tmp_path / "m")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "month" not in done.stderr
    assert json.loads(done.stdout)["deals"] == 2

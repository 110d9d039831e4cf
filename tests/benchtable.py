"""make bench's table: one row per figure, with its target beside it, and how a command is timed."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from runbook_kb.layout import Layout

LAYOUT = Layout.of(Path(__file__).parent)
ROOT = LAYOUT.root
PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
FAILED = LAYOUT.build / "bench-failed.log"


@dataclass
class Row:
    what: str
    figure: str
    target: str = ""
    met: bool | None = None

    def line(self) -> str:
        verdict = {True: "met", False: "NOT MET", None: ""}[self.met]
        return f"{self.what:58} {self.figure:>26}   {self.target:>12} {verdict}"


ROWS: list[Row] = []


def report(row: Row) -> None:
    ROWS.append(row)
    print(row.line(), flush=True)


def run(argv: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak resident memory (MiB) of one command, which must succeed. Its output goes to a
    file, not a pipe, which a command that writes much would fill and block on while it is waited for; a
    failure's output is kept whole in build/bench-failed.log, and its end is shown."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env={**ENV, **(env or {})}, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            output.seek(0)
            said = output.read().decode(errors="replace")
            FAILED.parent.mkdir(parents=True, exist_ok=True)
            FAILED.write_text(f"$ {' '.join(argv)}\n{said}")
            raise SystemExit(f"{' '.join(argv)} failed (its whole output: {FAILED.relative_to(ROOT)}):\n"
                             f"{said[-6000:]}")
    return elapsed, usage.ru_maxrss // 1024

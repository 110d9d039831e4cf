"""make bench's table: one row per figure, with its target beside it, and how a command is timed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from runbook_kb.layout import Layout

LAYOUT = Layout.of(Path(__file__).parent)
ROOT = LAYOUT.root
PY = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


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
    """Wall seconds and peak resident memory (MiB) of one command, which must succeed."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env={**ENV, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{proc.stderr.read().decode()[-3000:]}")
    return elapsed, usage.ru_maxrss // 1024

"""The results file: what each lab run showed, per step and per snippet, with where and when it ran.

Written by the runner, read by the site adapters. One JSON file; a run replaces only the labs it ran, so
running one runbook's lab keeps the others' results.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import SpecError

SCHEMA = 1
PASSED, FAILED = "passed", "failed"


@dataclass
class HostEnv:
    image: str
    image_id: str
    os: str
    packages: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        versions = ", ".join(f"{name} {version}" for name, version in self.packages.items())
        return f"{self.os}; {versions}" if versions else self.os


@dataclass
class StepResult:
    index: int
    kind: str
    name: str
    host: str
    outcome: str
    duration: float
    finished: str  # ISO 8601, UTC
    snippet: str | None = None  # the snippet file, relative to snippets/
    first_line: int | None = None
    last_line: int | None = None
    sha256: str | None = None  # of the lines that ran: a later edit makes the result stale
    message: str | None = None
    values: dict[str, str] | None = None  # placeholders the lab filled in, as run
    artifacts: dict[str, str] | None = None  # file name → sha256 of what the step made, in artifacts/<lab>/


@dataclass
class LabResult:
    lab: str
    title: str
    started: str
    duration: float
    outcome: str
    hosts: dict[str, HostEnv] = field(default_factory=dict)
    steps: list[StepResult] = field(default_factory=list)
    inputs: str | None = None  # digest of every file the lab read (harness.inputs): unchanged → result stands

    @classmethod
    def from_json(cls, data: dict) -> LabResult:
        return cls(
            **{k: v for k, v in data.items() if k not in ("hosts", "steps")},
            hosts={name: HostEnv(**env) for name, env in data["hosts"].items()},
            steps=[StepResult(**step) for step in data["steps"]],
        )


def load_results(path: Path) -> dict[str, LabResult]:
    """Lab name → result; an absent file means nothing has run yet."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SpecError(path, exc.lineno, f"not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise SpecError(path, 1, f"not a results file of schema {SCHEMA}; delete it and run the labs again")
    try:
        return {name: LabResult.from_json(lab) for name, lab in data["labs"].items()}
    except (KeyError, TypeError) as exc:
        raise SpecError(path, None, f"malformed lab result: {exc}") from None


def record(path: Path, result: LabResult) -> None:
    """Merge one lab's result into the file, atomically and safe against concurrent writers."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        labs = load_results(path)
        labs[result.lab] = result
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        payload = {"schema": SCHEMA, "labs": {name: asdict(lab) for name, lab in sorted(labs.items())}}
        tmp.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        os.replace(tmp, path)

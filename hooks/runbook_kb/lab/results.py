"""The results file: what each lab run showed, per step and per snippet, with where and when it ran.

Written by the runner, read by the site adapters. One JSON file, checked against lab-results.schema.json on
every read, with one entry per lab and release (a Run); a run replaces only the entries it ran, so running one
runbook's lab keeps the others' results. Each entry is signed by the run that made it (runbook_kb.lab.signing);
harness.trust decides what a reader sees.
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import fastjsonschema
import jsonschema

from ..errors import SpecError
from ..textfile import read_text

SCHEMA = 3
SCHEMA_FILE = Path(__file__).with_name("lab-results.schema.json")
PASSED, FAILED = "passed", "failed"


class Run(NamedTuple):
    """One lab on one release: what a pytest item runs and a results entry records."""

    lab: str
    release: str

    def __str__(self) -> str:
        return f"{self.lab} on {self.release}"


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
    release: str  # runbook_kb.lab.releases key: debian-13
    title: str
    started: str
    duration: float
    outcome: str
    hosts: dict[str, HostEnv] = field(default_factory=dict)
    steps: list[StepResult] = field(default_factory=list)
    inputs: str | None = None  # digest of every file the lab read (runbook_kb.lab.inputs): unchanged → result stands
    signature: dict | None = None  # runbook_kb.lab.signing: {"key": key id, "value": base64 Ed25519 signature}

    @property
    def run(self) -> Run:
        return Run(self.lab, self.release)

    @classmethod
    def from_json(cls, data: dict) -> LabResult:
        return cls(
            **{k: v for k, v in data.items() if k not in ("hosts", "steps")},
            hosts={name: HostEnv(**env) for name, env in data["hosts"].items()},
            steps=[StepResult(**step) for step in data["steps"]],
        )


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@cache
def _fast_check():
    """The schema compiled to Python (fastjsonschema), which tells a valid file in a fraction of jsonschema's
    time; a file it refuses is judged again by jsonschema, whose message names the field. fastjsonschema knows
    drafts up to 7, and the schema keeps to keywords that mean the same there as in 2020-12 (a test holds it)."""
    return fastjsonschema.compile(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _valid(data) -> bool:
    try:
        _fast_check()(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def _where(error: jsonschema.ValidationError) -> str:
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return where.lstrip(".") or "the top level"


def load_results(path: Path, root: Path | None = None) -> dict[Run, LabResult]:
    """(lab, release) → result; an absent file means nothing has run yet, and so does one of an older schema
    (the labs run again and replace it). Anything else that does not match the schema is an error, and so is a
    file that resolves outside `root` (the project, for the site)."""
    return {run: LabResult.from_json(raw) for run, raw in load_entries(path, root).items()}


def load_entries(path: Path, root: Path | None = None) -> dict[Run, dict]:
    """(lab, release) → its entry as the file holds it (what was signed), checked as load_results checks it."""
    if not path.exists() and not path.is_symlink():
        return {}
    text = read_text(path, root)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SpecError(path, exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise SpecError(path, None, "not a results file: nested deeper than any results file is") from None
    if isinstance(data, dict) and isinstance(data.get("schema"), int) and 0 < data["schema"] < SCHEMA:
        return {}
    error = None if _valid(data) else jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is not None:
        raise SpecError(path, None, f"not a results file of schema {SCHEMA}: at {_where(error)}: {error.message}")
    entries = {}
    for name, releases in data["labs"].items():
        for release, lab in releases.items():
            if (lab["lab"], lab["release"]) != (name, release):
                raise SpecError(path, None, f"not a results file of schema {SCHEMA}: at labs.{name}.{release}: "
                                            f"{lab['lab']} on {lab['release']} is not the run it is filed under")
            entries[Run(name, release)] = lab
    return entries


def entry(result: LabResult) -> dict:
    """The lab's entry in the file: what is signed, and what is written."""
    return asdict(result)


def record(path: Path, result: LabResult, signer) -> None:
    """Sign one run's result and merge it into the file, atomically and safe against concurrent writers."""
    result.signature = None
    result.signature = signer.sign(entry(result))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runs = load_results(path)
        runs[result.run] = result
        write(path, runs)


def write(path: Path, runs: dict[Run, LabResult | dict]) -> None:
    """The whole file, atomically: a reader sees the old one or the new one. A run is a result or its entry."""
    labs: dict[str, dict[str, dict]] = {}
    for run, lab in sorted(runs.items()):
        labs.setdefault(run.lab, {})[run.release] = lab if isinstance(lab, dict) else entry(lab)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    payload = {"schema": SCHEMA, "labs": labs}
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)

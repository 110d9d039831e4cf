"""What mutating a lab's snippets showed: per lab and release, each mutant and what became of it. Bound to the
lab's inputs and to the mutants made, and signed, as lab results are: an unchanged snippet and lab are not
mutated again, and a file nobody signed counts for nothing."""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import SpecError
from ..lab.inputs import lab_inputs
from ..lab.results import Run
from ..lab.signing import MUTATION_CONTEXT, check, trusted_keys
from ..lab.spec import Lab
from ..layout import Layout
from ..textfile import read_text

SCHEMA = 1
KILLED, SURVIVED, EQUIVALENT, ERROR = "killed", "survived", "equivalent", "error"


@dataclass
class MutantResult:
    id: str  # the operator's id of the mutant within its snippet: number@12, option@3#2
    snippet: str  # relative to snippets/
    operator: str
    line: int
    start: int
    end: int
    replacement: str
    description: str
    status: str
    step: int | None = None  # the step that failed (killed), or the last step (survived)
    message: str | None = None  # the failing step's first line, or why the mutant is equivalent
    duration: float = 0.0


@dataclass
class MutationRun:
    lab: str
    release: str
    inputs: str  # the lab's inputs digest when the mutants ran
    mutants_digest: str  # of the mutants chosen: another choice means another run
    finished: str
    duration: float
    mutants: list[MutantResult] = field(default_factory=list)
    basis: str | None = None  # of all the lab reads but its snippet files (incremental.py)
    files: dict[str, str] = field(default_factory=dict)  # each snippet file's digest
    signature: dict | None = None

    @property
    def run(self) -> Run:
        return Run(self.lab, self.release)

    def counts(self) -> dict[str, int]:
        return tally(self.mutants)

    @classmethod
    def from_json(cls, data: dict) -> MutationRun:
        return cls(**{**data, "mutants": [MutantResult(**m) for m in data["mutants"]]})


def tally(mutants: list[MutantResult]) -> dict[str, int]:
    counts = dict.fromkeys((KILLED, SURVIVED, EQUIVALENT, ERROR), 0)
    for mutant in mutants:
        counts[mutant.status] += 1
    return counts


def caught(mutants: list[MutantResult]) -> str:
    """`4 of 5`: the breaks its lab noticed, of those any observation could (equivalents apart)."""
    counts = tally(mutants)
    line = f"{counts[KILLED]} of {counts[KILLED] + counts[SURVIVED] + counts[ERROR]}"
    return line + (f", {counts[EQUIVALENT]} equivalent" if counts[EQUIVALENT] else "")


def load(path: Path) -> dict[Run, MutationRun]:
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        data = json.loads(read_text(path))
        if data.get("schema") != SCHEMA:
            return {}
        return {Run(lab, release): MutationRun.from_json(entry)
                for lab, releases in data["labs"].items() for release, entry in releases.items()}
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise SpecError(path, None, f"not a mutation results file of schema {SCHEMA}: {exc}") from None


def payload(run: MutationRun) -> dict:
    """What is signed: a run from before incremental runs was signed without their two fields."""
    data = asdict(run)
    if data["basis"] is None and not data["files"]:
        del data["basis"], data["files"]
    return data


def signed(runs: dict[Run, MutationRun], layout: Layout) -> dict[Run, MutationRun]:
    """The runs signed by a trusted key, whatever inputs they ran on."""
    keys = trusted_keys(layout)
    return {run: result for run, result in runs.items()
            if check(payload(result), keys, MUTATION_CONTEXT)[0] is not None}


def vet(runs: dict[Run, MutationRun], labs: list[Lab], layout: Layout) -> dict[Run, MutationRun]:
    """The runs a reader may be shown: signed by a trusted key, on the inputs the lab has now."""
    current = {Run(lab.name, release.key): (lab, release) for lab in labs for release in lab.releases}
    return {run: result for run, result in signed(runs, layout).items()
            if run in current and result.inputs == lab_inputs(current[run][0], layout, current[run][1])}


def record(path: Path, run: MutationRun, signer) -> None:
    """Sign one lab's mutation run and merge it into the file, atomically and safe against concurrent writers."""
    run.signature = None
    run.signature = signer.sign(payload(run), MUTATION_CONTEXT)
    merge_into(path, [run])


def merge_into(path: Path, runs: list[MutationRun]) -> None:
    """Signed runs into the file, each replacing the one of its lab and release, under the file's lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        kept = load(path)
        kept.update({run.run: run for run in runs})
        labs: dict[str, dict[str, dict]] = {}
        for key, entry in sorted(kept.items()):
            labs.setdefault(key.lab, {})[key.release] = payload(entry)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps({"schema": SCHEMA, "labs": labs}, indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        os.replace(tmp, path)

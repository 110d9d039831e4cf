"""Files a lab step made for its page (screenshots, measured figures), and the line that says where from.

A page refers to one as `<lab>/<file>`; the results say which step made it and its sha256, and the file sits
in build/lab-artifacts/<lab>/<release>/ from the same run. A page shows the one made on the first release the
lab ran on (the site's releases are in readers' order), and says which.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from runbook_kb.lab.results import LabResult, Run, StepResult

IMAGES = {".png", ".svg", ".jpg", ".jpeg", ".webp"}


class ArtifactError(ValueError):
    pass


@dataclass(frozen=True)
class Artifact:
    lab: str
    name: str
    path: Path
    result: LabResult
    step: StepResult

    @property
    def is_image(self) -> bool:
        return self.path.suffix.lower() in IMAGES

    def provenance(self) -> str:
        env = self.result.hosts.get(self.step.host)
        where = f", {env.describe()}" if env else ""
        when = self.step.finished.replace("T", " ")[:16] + " UTC"
        return f"Made by lab {self.lab}, step {self.step.index} ({self.step.name}) on {self.step.host}, {when}{where}."


def parse_ref(ref: str) -> tuple[str, str]:
    lab, _, name = ref.strip().partition("/")
    if not lab or not name or "/" in name:
        raise ArtifactError(f"artifact reference {ref!r} is not <lab>/<file>")
    return lab, name


def find(ref: str, results: dict[Run, LabResult], artifacts_dir: Path, releases: list[str]) -> Artifact | None:
    """None while no run has made it; an error when the results and the files disagree. `releases`: the
    lab's, in the site's order."""
    lab, name = parse_ref(ref)
    for release in releases:
        result = results.get(Run(lab, release))
        step = next((s for s in (result.steps if result else []) if name in (s.artifacts or {})), None)
        if step is None:
            continue
        path = artifacts_dir / lab / release / name
        if not path.is_file():
            raise ArtifactError(f"{ref}: the results name it, but {path} is missing; run lab {lab} again")
        if hashlib.sha256(path.read_bytes()).hexdigest() != step.artifacts[name]:
            raise ArtifactError(f"{ref}: {path} is not the file lab {lab} recorded; run lab {lab} again")
        return Artifact(lab, name, path, result, step)
    return None

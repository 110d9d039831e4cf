"""Which recorded lab results count: the results file says what ran, this decides whether to believe it.

A lab's result counts only if a trusted key signed it (runbook_kb.lab.signing), it was recorded on the inputs the
lab has now (runbook_kb.lab.inputs), and its times are real times, none in the future. Of a failed lab only what came
before the failing step counts, and that step as failing: a later claim in the same entry is not believed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from .inputs import lab_inputs
from ..layout import Layout
from .results import FAILED, PASSED, LabResult, Run, entry
from .signing import check, trusted_keys
from .spec import Lab


@dataclass
class Vetted:
    results: dict[Run, LabResult] = field(default_factory=dict)  # what of each run's result counts
    signers: dict[Run, str] = field(default_factory=dict)  # who signed it (signing.CI or LOCAL)
    rejected: dict[Run, str] = field(default_factory=dict)  # why a run's result counts for nothing (a sentence)


def _times_wrong(result: LabResult, now: datetime) -> str | None:
    for label, value in [("started", result.started), *((f"step {s.index} finished", s.finished) for s in result.steps)]:
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return f"Its lab's recorded time ({label}) {value!r} is not a real time."
        if when.tzinfo is None:
            return f"Its lab's recorded time ({label}) {value} has no time zone."
        if when > now:
            return f"Its lab's recorded time ({label}) {value} is in the future."
    return None


def _claims(result: LabResult) -> LabResult | None:
    """What a result may claim: all its steps if it passed; if it failed, those up to its first failing step."""
    failing = next((n for n, step in enumerate(result.steps) if step.outcome == FAILED), None)
    if result.outcome != FAILED:
        return None if failing is not None else result
    return replace(result, steps=result.steps[: failing + 1] if failing is not None else [])


def vet(results: dict[Run, LabResult], labs: list[Lab], layout: Layout, now: datetime | None = None) -> Vetted:
    now = now or datetime.now(timezone.utc)
    keys = trusted_keys(layout)
    releases = {(lab.name, release.key): (lab, release) for lab in labs for release in lab.releases}
    vetted = Vetted()
    for run, result in results.items():
        if run not in releases:
            continue  # a lab that no longer exists, or no longer runs there: nothing shows its result
        lab, release = releases[run]
        who, why = check(entry(result), keys)
        if who is None:
            vetted.rejected[run] = why
        elif result.inputs != lab_inputs(lab, layout, release):
            vetted.rejected[run] = "Its lab's inputs (spec, snippets, images or harness) changed since it ran."
        elif why := _times_wrong(result, now):
            vetted.rejected[run] = why
        elif (claims := _claims(result)) is None:
            vetted.rejected[run] = "Its lab's result is recorded as passed, with a failed step."
        else:
            vetted.results[run], vetted.signers[run] = claims, who
    return vetted


def standing(results: dict[Run, LabResult], labs: list[Lab], layout: Layout) -> dict[Run, LabResult]:
    """The runs whose last result passed, counts as it is, and left its artifacts on disk: running them
    again would only repeat it."""
    vetted = vet(results, labs, layout)
    return {run: result for run, result in vetted.results.items()
            if result.outcome == PASSED and all((layout.run_artifacts(run) / artifact).is_file()
                                                for step in result.steps for artifact in (step.artifacts or {}))}

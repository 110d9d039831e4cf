"""make bench's mutant budgets, from the signed mutation runs on the labs' current inputs (a fresh run of every
runbook's mutants takes hours, so the table reads the last ones `make mutants` recorded on this machine): each
runbook on each release against its 30-minute budget, and the whole knowledge base split as the weekly CI
workflow splits it, against its hour."""

from __future__ import annotations

from runbook_kb.lab import shards
from runbook_kb.lab.results import Run
from runbook_kb.lab.spec import load_labs
from runbook_kb.mutation.results import load, tally, vet

from benchtable import LAYOUT, Row, report

RUNBOOK_BUDGET, MATRIX_BUDGET = 30 * 60, 60 * 60  # seconds, as the mutation issue set them
CI_SHARDS = 4  # per release, as .github/workflows/mutants.yml runs them


def mutant_budgets() -> None:
    labs = [lab for lab in load_labs(LAYOUT.labs, LAYOUT.snippets) if lab.runnable]
    runs = vet(load(LAYOUT.mutation_results), labs, LAYOUT)
    releases = sorted({release.key for lab in labs for release in lab.releases})
    for lab in sorted(labs, key=lambda lab: lab.name):
        for release in lab.releases:
            run = runs.get(Run(lab.name, release.key))
            what = f"mutants: {lab.name} on {release.key}"
            if run is None:
                report(Row(what, "not run on its inputs", "<= 30 min"))
                continue
            counts = tally(run.mutants)
            report(Row(what, f"{run.duration / 60:.1f} min, {len(run.mutants)} mutants, "
                             f"{counts['killed']} killed", "<= 30 min", run.duration <= RUNBOOK_BUDGET))
    for release in releases:
        timed = {LAYOUT.item_id(run): result.duration for run, result in runs.items() if run.release == release}
        missing = sum(1 for lab in labs for r in lab.releases if r.key == release) - len(timed)
        if not timed:
            continue
        longest = max(seconds for _, seconds in shards.plan(sorted(timed), timed, CI_SHARDS))
        report(Row(f"mutants: every runbook on {release}, longest of {CI_SHARDS} CI shards",
                   f"{longest / 60:.1f} min" + (f" ({missing} not run)" if missing else ""), "<= 60 min",
                   longest <= MATRIX_BUDGET if not missing else None))

"""`python -m runbook_kb.mutation [RUNBOOK…] [--release KEY] [--cap N] [--all]` (`make mutants`): each named
runbook's snippets broken the ways authors break them, and its lab run against each break, on every release
it runs on. Without --all, a lab whose inputs and mutants are those of its last signed mutation run is not
run again, and one whose snippet files alone changed runs only the mutants of those (incremental.py).
Results go to build/mutation-results.json, signed; survivors are listed with the page line that shows the
snippet, since each names a check the lab lacks."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from runbook_kb.errors import SpecError
from runbook_kb.includes import pages_showing, scan_docs
from runbook_kb.lab import shards
from runbook_kb.lab.releases import Release
from runbook_kb.lab.results import PASSED, LabResult, Run, load_results
from runbook_kb.lab.shards import Shard, load_durations
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import Lab, load_labs
from runbook_kb.lab import trust
from runbook_kb.lab.podman import sweep
from runbook_kb.lab.vm import sweep_vms
from runbook_kb.layout import Layout

from . import report
from .engine import DEFAULT_CAP, digest, mutate, plan
from .results import SURVIVED, MutationRun, load, record, signed, vet


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m runbook_kb.mutation", description=__doc__)
    parser.add_argument("runbooks", nargs="*", metavar="RUNBOOK", help="a lab's name (default: every lab)")
    parser.add_argument("--release", help="only this release (a key in tests/releases.yml)")
    parser.add_argument("--cap", type=int, default=DEFAULT_CAP, help="mutants per snippet file")
    parser.add_argument("--all", action="store_true",
                        help="run every mutant again, those of unchanged files and labs too")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="mutants run at once, each in a lab run of its own (default: one per core)")
    parser.add_argument("--shard", help="K/N: one CI job's share of the lab × release runs, by their cost")
    args = parser.parse_args(argv)
    layout = Layout.of(Path.cwd())
    try:
        labs = {lab.name: lab for lab in load_labs(layout.labs, layout.snippets) if lab.runnable}
        if unknown := [name for name in args.runbooks if name not in labs]:
            parser.error(f"no runnable lab {unknown[0]} (labs: {', '.join(sorted(labs))})")
        chosen = [(lab, release, plan(lab, release, layout, args.cap))
                  for lab in (labs[name] for name in args.runbooks or sorted(labs))
                  for release in lab.releases if args.release in (None, release.key)]
        if args.shard:
            chosen = _share(chosen, Shard.parse(args.shard), layout)
        recorded = signed(load(layout.mutation_results), layout)
        kept = vet(recorded, list(labs.values()), layout)
        for leftover in [*sweep(), *sweep_vms()]:  # its owner is gone: a run killed before it removed them
            print(f"removed leftover {leftover} of an earlier, killed run")
        rows = []
        for lab, release, planned in chosen:
            last = kept.get(Run(lab.name, release.key))
            if not args.all and last and last.mutants_digest == digest(planned):
                rows.append((last, "unchanged"))
                continue
            if (baseline := _baseline(lab, release, layout)) is None:
                return 2
            result = mutate(lab, release, layout, planned, lambda message, r=baseline.run: print(f"{r}: {message}",
                                                                                               flush=True),
                            args.jobs, {step.index: step.duration for step in baseline.steps},
                            None if args.all else recorded.get(Run(lab.name, release.key)))
            record(layout.mutation_results, result, signer(layout))
            rows.append((result, "ran"))
    except (SpecError, ValueError) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    _report(rows, layout)
    print(f"report: {report.write(load(layout.mutation_results), layout).relative_to(layout.root)}")
    return 0


def _share(chosen: list, shard: Shard, layout: Layout) -> list:
    """Shard K of N, balanced by what each run costs: its lab's last duration times its mutants to run."""
    durations = load_durations(layout.durations)
    by_id = {layout.item_id(Run(lab.name, release.key)): (lab, release, planned) for lab, release, planned in chosen}
    costs = {item: durations.get(item, 60.0) * max(1, sum(p.equivalent is None for p in planned))
             for item, (_, _, planned) in by_id.items()}
    return [by_id[item] for item in shards.plan(sorted(by_id), costs, shard.count)[shard.index - 1][0]]


def _baseline(lab: Lab, release: Release, layout: Layout) -> LabResult | None:
    """The lab's passing result on its current inputs, from a run of the unmutated lab when it has none (as
    mutation tools run the tests once before any mutant): mutants of a lab that fails prove nothing."""
    run = Run(lab.name, release.key)
    for attempt in range(2):
        passing = trust.vet(load_results(layout.results, layout.root), [lab], layout).results.get(run)
        if passing is not None and passing.outcome == PASSED:
            return passing
        if attempt == 0:
            print(f"{run}: no passing lab result on the lab's current inputs: running the lab first", flush=True)
            subprocess.run([sys.executable, "-m", "runbook_kb.lab", lab.name, "--release", release.key, "-q"],
                           cwd=layout.root, check=False)
    print(f"{run}: the lab does not pass as it is (make lab RUNBOOK={lab.name}): mutants of a lab that fails "
          "prove nothing", file=sys.stderr)
    return None


def _report(rows: list[tuple[MutationRun, str]], layout: Layout) -> None:
    index = scan_docs(layout.docs)
    print(f"\n{'lab':32} {'release':10} {'mutants':>7} {'killed':>6} {'survived':>8} {'equiv.':>6} {'error':>5} "
          f"{'time':>7}")
    for run, how in rows:
        counts = run.counts()
        print(f"{run.lab:32} {run.release:10} {len(run.mutants):7} {counts['killed']:6} {counts['survived']:8} "
              f"{counts['equivalent']:6} {counts['error']:5} {run.duration:6.0f}s" + (" (unchanged)" if how == "unchanged" else ""))
    for run, _ in rows:
        for mutant in (m for m in run.mutants if m.status == SURVIVED):
            shown = ", ".join(f"docs/{inc.page}:{inc.line}" for inc in pages_showing(index, mutant.snippet))
            print(f"survived: snippets/{mutant.snippet}:{mutant.line} on {run.release} (shown at {shown or 'no page'}): "
                  f"{mutant.description}; the lab passed through step {mutant.step}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

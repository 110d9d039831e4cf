"""`python -m runbook_kb.mutation [RUNBOOK…] [--release KEY] [--cap N] [--all]` (`make mutants`): each named
runbook's snippets broken the ways authors break them, and its lab run against each break, on every release
it runs on. Without --all, a lab whose inputs and mutants are those of its last signed mutation run is not
run again. Results go to build/mutation-results.json, signed; survivors are listed with the page line that
shows the snippet, since each names a check the lab lacks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runbook_kb.errors import SpecError
from runbook_kb.includes import pages_showing, scan_docs
from runbook_kb.lab.results import Run, load_results
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_labs
from runbook_kb.lab import trust
from runbook_kb.layout import Layout

from . import report
from .engine import DEFAULT_CAP, digest, mutate, plan
from .results import SURVIVED, MutationRun, load, record, vet


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m runbook_kb.mutation", description=__doc__)
    parser.add_argument("runbooks", nargs="*", metavar="RUNBOOK", help="a lab's name (default: every lab)")
    parser.add_argument("--release", help="only this release (a key in tests/releases.yml)")
    parser.add_argument("--cap", type=int, default=DEFAULT_CAP, help="mutants per snippet file")
    parser.add_argument("--all", action="store_true", help="run again what is unchanged since the last run")
    args = parser.parse_args(argv)
    layout = Layout.of(Path.cwd())
    try:
        labs = {lab.name: lab for lab in load_labs(layout.labs, layout.snippets) if lab.runnable}
        if unknown := [name for name in args.runbooks if name not in labs]:
            parser.error(f"no runnable lab {unknown[0]} (labs: {', '.join(sorted(labs))})")
        passing = trust.vet(load_results(layout.results, layout.root), list(labs.values()), layout).results
        kept = vet(load(layout.mutation_results), list(labs.values()), layout)
        sign_with = signer(layout)
        rows = []
        for lab in (labs[name] for name in args.runbooks or sorted(labs)):
            for release in (r for r in lab.releases if args.release in (None, r.key)):
                run = Run(lab.name, release.key)
                planned = plan(lab, release, layout, args.cap)
                last = kept.get(run)
                if not args.all and last and last.mutants_digest == digest(planned):
                    rows.append((last, "unchanged"))
                    continue
                if run not in passing or passing[run].outcome != "passed":
                    print(f"{run}: its lab has no passing result on its current inputs; run `make lab "
                          f"RUNBOOK={lab.name}` first: mutants of a lab that fails prove nothing", file=sys.stderr)
                    return 2
                result = mutate(lab, release, layout, planned, lambda message, r=run: print(f"{r}: {message}",
                                                                                           flush=True))
                record(layout.mutation_results, result, sign_with)
                rows.append((result, "ran"))
    except SpecError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    _report(rows, layout)
    print(f"report: {report.write(load(layout.mutation_results), layout).relative_to(layout.root)}")
    return 0


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

"""`make merge-mutants`: the mutation results of every CI shard (build/mutation-shards/*.json) into
build/mutation-results.json, once each run has been checked: signed by a trusted key, and made by one shard
only. Anything wrong is reported, naming the file, and nothing is written."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import SpecError
from ..lab.results import Run
from ..lab.signing import MUTATION_CONTEXT, check, trusted_keys
from ..layout import Layout
from .results import MutationRun, load, merge_into, payload


def merge(layout: Layout) -> tuple[int, int]:
    """(runs merged, shard files read)."""
    folder = layout.build / "mutation-shards"
    files = sorted(folder.glob("*.json"))
    if not files:
        raise SpecError(folder, None, "no shard results to merge (make mutants SHARD=K/N writes them)")
    keys = trusted_keys(layout)
    merged: dict[Run, MutationRun] = {}
    where: dict[Run, Path] = {}
    problems = []
    for file in files:
        name = file.relative_to(layout.root)
        for run, result in load(file).items():
            if check(payload(result), keys, MUTATION_CONTEXT)[0] is None:
                problems.append(f"{name}: {run}: not signed by a key this project trusts")
            if run in where:
                problems.append(f"{run} was mutated by two shards: {where[run].relative_to(layout.root)} and {name}")
            merged[run], where[run] = result, file
    if problems:
        raise SpecError(folder, None, "\n".join(problems))
    merge_into(layout.mutation_results, list(merged.values()))
    return len(merged), len(files)


def main() -> int:
    layout = Layout.of(Path.cwd())
    try:
        count, files = merge(layout)
    except SpecError as exc:
        print(f"merge-mutants: {exc}", file=sys.stderr)
        return 1
    print(f"merge-mutants: {count} mutation runs from {files} shard files into "
          f"{layout.mutation_results.relative_to(layout.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make merge-results`: every shard's results (build/shards/*.json) into build/lab-results.json, the file
the site reads, once each has been checked. Every entry must carry a trusted signature, every lab × release
the specs list must be in exactly one shard, and none that they do not list; any of that is reported,
naming the files, and nothing is written. The merged durations become the next split's
(tests/labs/durations.json)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import SpecError
from ..layout import Layout
from .results import Run, load_entries, write
from .shards import write_durations
from .signing import check, trusted_keys
from .releases import load_releases
from .spec import lab_runs


class MergeError(Exception):
    pass


def merge(layout: Layout) -> tuple[int, int]:
    """(results merged, shard files read)."""
    files = sorted(layout.shards.glob("*.json"))
    if not files:
        raise MergeError(f"{layout.shards.relative_to(layout.root)}/: no shard results to merge "
                         "(make labs SHARD=K/N writes them)")
    keys = trusted_keys(layout)
    expected = {Run(*run) for run in lab_runs(layout.labs, load_releases(layout.releases))}
    merged: dict[Run, dict] = {}
    where: dict[Run, Path] = {}
    problems = []
    for file in files:
        name = file.relative_to(layout.root)
        for run, result in load_entries(file).items():
            signer, why = check(result, keys)
            if signer is None:
                problems.append(f"{name}: {run}: {why}")
            if run in where:
                problems.append(f"{run} was run by two shards: {where[run].relative_to(layout.root)} and {name}")
            if run not in expected:
                problems.append(f"{name}: {run} is no lab × release the specs list")
            merged[run], where[run] = result, file
    problems += [f"{run} is in none of the {len(files)} shard files" for run in sorted(expected - set(merged))]
    if problems:
        raise MergeError("\n".join(problems))
    write(layout.results, merged)
    write_durations(layout.durations, {layout.item_id(run): result["duration"] for run, result in merged.items()})
    return len(merged), len(files)


def main() -> int:
    layout = Layout.of(Path.cwd())
    try:
        count, files = merge(layout)
    except (MergeError, SpecError) as exc:
        print(f"merge-results: {exc}", file=sys.stderr)
        return 1
    print(f"merge-results: {count} results from {files} shard files into "
          f"{layout.results.relative_to(layout.root)}; durations in {layout.durations.relative_to(layout.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

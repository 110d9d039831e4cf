"""What a mutation run takes over from the last one instead of running it again. As in Stryker's incremental
mode, a mutant keeps its result when its own file is unchanged and so is everything the lab reads but its
snippet files: the spec, the harness, the images, the mounts, the release's recipe. Only the mutants of the
files that changed run again. An edit to another snippet file can in principle change a mutant's fate, as
Stryker's documentation says of its own mode; `make mutants ARGS=--all` runs every mutant again, and so does a
CI job, which starts without the results file."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from ..lab.inputs import input_files
from ..lab.releases import Release
from ..lab.spec import Lab
from ..layout import Layout
from .results import KILLED, SURVIVED, MutantResult, MutationRun

Key = tuple[str, str, str]  # snippet file, mutant id, replacement


def basis(lab: Lab, layout: Layout, release: Release) -> tuple[str, dict[str, str]]:
    """The digest of all the lab reads but its snippet files, and each snippet file's own digest."""
    own = {(layout.snippets / step.snippet.path).resolve(): step.snippet.path for step in lab.steps if step.snippet}
    digest = hashlib.sha256(release.recipe.encode() + b"\0")
    root = layout.root.resolve()
    for path in input_files(lab, layout):
        if (resolved := path.resolve()) in own:
            continue
        name = resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else str(path)
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    files = {name: hashlib.sha256(path.read_bytes()).hexdigest() for path, name in sorted(own.items())}
    return digest.hexdigest(), files


def reusable(last: MutationRun | None, now: tuple[str, dict[str, str]]) -> dict[Key, MutantResult]:
    """The last run's verdicts that still hold: none when more than snippet files changed."""
    digest, files = now
    if last is None or last.basis != digest:
        return {}
    return {(m.snippet, m.id, m.replacement): replace(m) for m in last.mutants
            if m.status in (KILLED, SURVIVED) and last.files.get(m.snippet) == files.get(m.snippet)}

"""Mutants judged without a lab run of their own: those of a snippet file only compare steps read, as what
their command must print. Such a mutant changes what the lab expects and nothing it observes, so it is held
against what one unmutated run printed at those steps, with the placeholder values of that moment."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from ..lab.matching import mismatch
from ..lab.placeholders import fill
from ..lab.releases import Release
from ..lab.runner import LabRunner
from ..lab.spec import Lab, step_texts
from ..layout import Layout
from ..snippets import SnippetRef, read_snippet, select
from .results import KILLED, SURVIVED, MutantResult
from .resume import Checkpoints, SavingRunner

Observed = dict[int, tuple[str, dict[str, str]]]  # step → what its command printed, and the values then


def judged_files(lab: Lab, release: Release, layout: Layout) -> set[str]:
    """Files read by compare steps alone, with no `wait` (which polls until the output matches), under no
    host's mount (where a command could read them by a glob or a folder walk), and named by nothing a host is
    sent."""
    steps = lab.steps_on(release.key)
    using: dict[str, list] = {}
    for step in steps:
        if step.snippet:
            using.setdefault(step.snippet.path, []).append(step)
    mounted = [source.resolve() for host in lab.hosts.values() for source, _ in host.mounts]
    sent = [text for step in steps for text in step_texts(step, layout.snippets)]
    own = {path: read_snippet(layout.snippets, SnippetRef(path)).text for path in using}
    return {path for path, readers in using.items()
            if all(step.kind == "compare" and not step.wait for step in readers)
            and not any((layout.snippets / path).resolve().is_relative_to(source) for source in mounted)
            and not any(path.rsplit("/", 1)[-1] in text for text in sent if text != own[path])}


def observe(lab: Lab, release: Release, layout: Layout, progress: Callable[[str], None],
            checkpoints: Checkpoints | None = None) -> Observed | None:
    """What each step's command printed in one unmutated run; None when that run failed (its mutants then run
    the lab as the others do, from its first step). With `checkpoints`, the run saves them too."""
    progress("an unmutated run, to judge the mutants of files only compare steps read"
             + (" and to save the VMs' state at each reboot" if checkpoints else ""))
    runner = (SavingRunner(lab, release, layout, lambda message: None, texts={}, checkpoints=checkpoints)
              if checkpoints else LabRunner(lab, release, layout, progress=lambda message: None, texts={}))
    try:
        _, failure = runner.run()
    except (RuntimeError, OSError, EOFError, ValueError, subprocess.SubprocessError):
        failure = True
    if failure and checkpoints:
        checkpoints.saved.clear()
    return None if failure else runner.observed


def judge(lab: Lab, release: Release, snippet: str, mutated: str, observed: Observed, result: MutantResult) -> None:
    readers = [step for step in lab.steps_on(release.key) if step.snippet and step.snippet.path == snippet]
    for step in readers:
        output, values = observed[step.index]
        try:
            expected = fill(select(step.snippet, mutated).text, values)
        except ValueError as exc:  # the mutant no longer has the lines the step shows
            result.status, result.step, result.message = KILLED, step.index, str(exc)
            return
        if diff := mismatch(expected, output, "output"):
            result.status, result.step = KILLED, step.index
            result.message = f"{diff.splitlines()[0]} (held against this step's output in an unmutated run)"
            return
    result.status, result.step = SURVIVED, readers[-1].index
    result.message = "matched what an unmutated run printed at each step that compares it"

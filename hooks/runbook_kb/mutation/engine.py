"""Each snippet a lab runs, installs or compares, broken the ways operators.py knows, and the lab run against
each break: the first failing step kills the mutant, and a lab that still passes lets it survive, which names a
check the lab lacks. Mutants a step declares equivalent are not run; the report lists them with their reason.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone

from ..lab.inputs import lab_inputs
from ..lab.releases import Release
from ..lab.results import FAILED
from ..lab.runner import LabRunner
from ..lab.spec import Lab
from ..layout import Layout
from ..snippets import SnippetRef, read_snippet, select
from .incremental import basis, reusable
from .judged import judge, judged_files, observe
from .operators import Mutation, choose
from .resume import Checkpoint, Checkpoints, ResumedRunner, resumable
from .results import EQUIVALENT, ERROR, KILLED, SURVIVED, MutantResult, MutationRun

DEFAULT_CAP = 4  # mutants per snippet file: a few, the same on every run
# A mutant's step may take this many times what it took in the lab's passing run, plus SLACK seconds, before it
# counts as caught (as Stryker's timeoutFactor and timeoutMS do): a break that hangs a step is noticed, and a
# step slowed by a busy machine is not.
TIMEOUT_FACTOR, SLACK = 2.0, 15.0


@dataclass(frozen=True)
class Planned:
    snippet: str
    text: str  # the whole file, as it is
    mutation: Mutation
    equivalent: str | None  # the reason, when a step declares it

    @property
    def key(self) -> tuple[str, str, str]:
        """What identifies the mutant from one run to the next (incremental.Key)."""
        return self.snippet, self.mutation.id, self.mutation.replacement


def plan(lab: Lab, release: Release, layout: Layout, cap: int = DEFAULT_CAP) -> list[Planned]:
    """The mutants of every snippet file the lab's steps cover on this release, on the lines they cover."""
    texts: dict[str, str] = {}  # each file read once, however many steps cover it
    spans: dict[str, set[int]] = {}
    declared: dict[tuple[str, str], str] = {}
    for step in lab.steps_on(release.key):
        if step.snippet is None:
            continue
        path = step.snippet.path
        if path not in texts:
            texts[path] = read_snippet(layout.snippets, SnippetRef(path)).text
        shown = select(step.snippet, texts[path])
        spans.setdefault(path, set()).update(range(shown.first_line, shown.last_line + 1))
        declared.update({(path, mutant): why for mutant, why in step.equivalent})
    planned = []
    for path, lines in spans.items():
        text = texts[path]
        for mutation in choose(path, text, cap, lines):
            planned.append(Planned(path, text, mutation, declared.get((path, mutation.id))))
    return planned


def digest(planned: list[Planned]) -> str:
    return hashlib.sha256("\n".join(f"{p.snippet}\0{p.mutation.id}\0{p.mutation.replacement}\0{p.equivalent}"
                                    for p in planned).encode()).hexdigest()


def mutate(lab: Lab, release: Release, layout: Layout, planned: list[Planned],
           progress: Callable[[str], None], jobs: int = 1, baseline: dict[int, float] | None = None,
           last: MutationRun | None = None) -> MutationRun:
    """Each mutant in a lab run of its own; `jobs` of them at once, each on its own hosts and network (a lab
    mostly waits on its services, so two runs on two cores take little more than one). `baseline`: each
    step's seconds in the lab's passing run, which bound the mutants' steps. `last`: a run whose verdicts
    hold for the mutants of unchanged files (incremental.py)."""
    timeouts = {index: TIMEOUT_FACTOR * seconds + SLACK for index, seconds in (baseline or {}).items()}
    clock = time.monotonic()
    inputs = lab_inputs(lab, layout, release)  # what the mutants run against: an edit meanwhile is not theirs
    now = basis(lab, layout, release)
    taken = reusable(last, now)
    if taken:
        progress(f"{sum(p.key in taken for p in planned)} mutants of "
                 f"unchanged files keep their verdict from the run of {last.finished}")

    def one(numbered: tuple[int, Planned]) -> MutantResult:
        n, item = numbered
        mutation = item.mutation
        if item.equivalent is None and item.key in taken:
            return taken[item.key]
        shown = mutation.describe(item.text)
        progress(f"mutant {n}/{len(planned)}: {item.snippet} {mutation.id}: {shown}")
        result = MutantResult(mutation.id, item.snippet, mutation.operator, mutation.line, mutation.start,
                              mutation.end, mutation.replacement, shown, EQUIVALENT, message=item.equivalent)
        try:
            if item.equivalent is None and observed is not None and item.snippet in judged:
                judge(lab, release, item.snippet, mutation.apply(item.text), observed, result)
            elif item.equivalent is None:
                _run(lab, release, layout, item, result, timeouts,
                     checkpoints.before(lab.steps_on(release.key), item.snippet) if checkpoints else None)
        except Exception as exc:  # noqa: BLE001 - one mutant's broken harness must not lose the others' results
            result.status, result.message = ERROR, f"{type(exc).__name__}: {exc}"
        progress(f"mutant {n}/{len(planned)}: {result.status}" + (f" at step {result.step}" if result.step else ""))
        return result

    judged = judged_files(lab, release, layout)
    to_run = [item for item in planned if item.equivalent is None and item.key not in taken]
    checkpoints = Checkpoints() if to_run and resumable(lab) else None
    try:
        observed = observe(lab, release, layout, progress, checkpoints) if checkpoints or any(
            item.snippet in judged for item in to_run) else None
        results = _in_pool(one, planned, jobs)
    finally:
        if checkpoints:
            checkpoints.remove()
    return MutationRun(lab.name, release.key, inputs, digest(planned),
                       datetime.now(timezone.utc).isoformat(timespec="seconds"), round(time.monotonic() - clock, 1),
                       results, basis=now[0], files=now[1])


def _in_pool(one: Callable[[tuple[int, Planned]], MutantResult], planned: list[Planned],
             jobs: int) -> list[MutantResult]:
    pool = ThreadPoolExecutor(max_workers=max(1, jobs))
    try:
        results = list(pool.map(one, enumerate(planned, 1)))
    except KeyboardInterrupt:  # the mutants not started yet are not started; those under way clean up
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown()
    return results


def _run(lab: Lab, release: Release, layout: Layout, item: Planned, result: MutantResult,
         timeouts: dict[int, float], checkpoint: Checkpoint | None = None) -> None:
    """A lab run against the mutant, from `checkpoint` when there is one. A step that timed out under the
    shortened limit is not yet a catch: a busy machine can slow a step that the mutant did not touch, so the
    mutant runs again with the spec's timeouts."""
    clock = time.monotonic()
    for limits in (timeouts, {}):
        texts = {item.snippet: item.mutation.apply(item.text)}
        runner = (ResumedRunner(lab, release, layout, lambda message: None, checkpoint=checkpoint, texts=texts,
                                timeouts=limits) if checkpoint else
                  LabRunner(lab, release, layout, progress=lambda message: None, texts=texts, timeouts=limits))
        try:
            ran, failure = runner.run()
        except ValueError as exc:  # the mutant no longer has the lines a step shows: a page build fails too
            result.status, result.message = KILLED, str(exc)
            break
        except (RuntimeError, OSError, EOFError, subprocess.SubprocessError) as exc:  # the harness broke
            result.status, result.message = ERROR, f"{type(exc).__name__}: {exc}"
            break
        last = ran.steps[-1] if ran.steps else None
        result.status = KILLED if ran.outcome == FAILED else SURVIVED
        result.step = last.index if last else None
        result.message = last.message if last and ran.outcome == FAILED else None
        if not (limits and last and last.index in limits and (last.message or "").startswith("timed out after")):
            break
    result.duration = round(time.monotonic() - clock, 1)

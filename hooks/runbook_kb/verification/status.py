"""Each included snippet's status, from the page's declaration, the lab specs and the results file.

A snippet a lab covers has a status on each release the covering steps run on, and one for all of them: the
worst (failing, then not yet verified), else verified or illustrative. These are the statuses:

verified       a lab step ran it (or installed it and checked its effect), and every such step passed
illustrative   it shows output or config, and a lab compared it with the real thing
not-executable the page gives the reason no lab can run it here
failing        a lab step that covers it failed in the last run
unverified     a lab covers it but has not run it since its last change (or its lab is pending), or its
               lab's recorded result does not count (runbook_kb.lab.trust: unsigned, stale, impossible times)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from runbook_kb.includes import Include
from runbook_kb.lab.releases import Release
from runbook_kb.lab.results import PASSED, LabResult, Run, StepResult
from runbook_kb.snippets import SnippetText, read_snippet
from runbook_kb.lab.spec import Lab, Step
from runbook_kb.lab.trust import Vetted
from runbook_kb.mutation.results import MutantResult, MutationRun

VERIFIED, ILLUSTRATIVE, NOT_EXECUTABLE, FAILING, UNVERIFIED = (
    "verified", "illustrative", "not-executable", "failing", "unverified",
)
STATUSES = (VERIFIED, ILLUSTRATIVE, NOT_EXECUTABLE, FAILING, UNVERIFIED)


@dataclass(frozen=True)
class Problem:
    """An author's mistake found while resolving statuses; the adapter decides how loudly to report it."""

    page: str
    line: int
    message: str
    fatal: bool = False  # the page cannot be rendered (an include that cannot be read): the build stops

    def __str__(self) -> str:
        return f"docs/{self.page}:{self.line}: {self.message}"


@dataclass
class ReleaseStatus:
    """What backs a snippet on one release: the run of its lab there."""

    release: Release
    status: str
    note: str = ""
    result: LabResult | None = None
    steps: list[tuple[Step, StepResult | None]] = field(default_factory=list)
    signer: str | None = None  # who signed the result it rests on (runbook_kb.lab.signing.CI or LOCAL)
    mutants: list[MutantResult] = field(default_factory=list)  # make mutants' breaks of its lines, on this release
    mutated: str | None = None  # when they ran

    @property
    def ran(self) -> list[StepResult]:
        return [res for _, res in self.steps if res is not None]

    @property
    def finished(self) -> str | None:
        return max((res.finished for res in self.ran), default=None)

    @property
    def duration(self) -> float | None:
        return round(sum(res.duration for res in self.ran), 2) if self.ran else None

    @property
    def systems(self) -> set[str]:
        """The operating systems of the hosts its lab ran it on, as the run recorded them."""
        if not self.result:
            return set()
        hosts = {step.host for step, _ in self.steps}
        return {self.result.hosts[host].os for host in hosts if host in self.result.hosts}


@dataclass
class SnippetStatus:
    include: Include
    status: str  # over every release it runs on
    note: str = ""  # the reason (not executable, not yet verified) or the failure
    lab: Lab | None = None
    releases: list[ReleaseStatus] = field(default_factory=list)  # in the site's order of releases
    anchor: str = ""  # the id of the code block on its page, unique there
    shown: SnippetText | None = None  # the lines the page shows, as read for this status: the fence expands to them

    @property
    def steps(self) -> list[Step]:
        """The lab steps that cover it, on any release."""
        seen: dict[int, Step] = {}
        for release in self.releases:
            for step, _ in release.steps:
                seen.setdefault(step.index, step)
        return [seen[index] for index in sorted(seen)]

    @property
    def hosts(self) -> list[str]:
        return sorted({step.host for step in self.steps})

    @property
    def ran(self) -> list[StepResult]:
        return [res for release in self.releases for res in release.ran]

    @property
    def finished(self) -> str | None:
        return max((release.finished for release in self.releases if release.finished), default=None)

    @property
    def systems(self) -> set[str]:
        return set().union(*(release.systems for release in self.releases))


@dataclass(frozen=True)
class _Coverage:
    lab: Lab
    step: Step
    first: int
    last: int
    sha256: str


def _coverage(labs: list[Lab], snippets_dir: Path) -> dict[str, list[_Coverage]]:
    by_file: dict[str, list[_Coverage]] = {}
    for lab in labs:
        for step in lab.steps:
            if step.snippet:
                text = read_snippet(snippets_dir, step.snippet)
                by_file.setdefault(step.snippet.path, []).append(
                    _Coverage(lab, step, text.first_line, text.last_line, text.sha256)
                )
    return by_file


def resolve(
    includes: dict[str, list[Include]], labs: list[Lab], vetted: Vetted, snippets_dir: Path,
    mutations: dict[Run, MutationRun] | None = None,
) -> tuple[list[SnippetStatus], list[Problem]]:
    coverage = _coverage(labs, snippets_dir)
    pending = {lab.name: lab.pending for lab in labs if lab.pending}
    statuses: list[SnippetStatus] = []
    problems: list[Problem] = []
    for page, page_includes in includes.items():
        anchors: set[str] = set()
        for inc in page_includes:
            try:
                shown = read_snippet(snippets_dir, inc.ref)
            except (OSError, ValueError) as exc:
                # read_snippet's own messages name the snippet; the operating system's do not.
                reason = f"snippet {inc.ref}: {exc.strerror or exc}" if isinstance(exc, OSError) else str(exc)
                problems.append(Problem(page, inc.line, reason, fatal=True))
                continue
            covering = [c for c in coverage.get(inc.ref.path, []) if c.first <= shown.last_line and c.last >= shown.first_line]
            status = _status(inc, shown.first_line, shown.last_line, covering, vetted, pending, problems)
            status.anchor, status.shown = _anchor(inc, anchors), shown
            for on in status.releases:
                _attach_mutants(on, (mutations or {}).get(Run(status.lab.name, on.release.key)), shown)
            statuses.append(status)
    return statuses, problems


def _status(inc: Include, first: int, last: int, covering: list[_Coverage], vetted: Vetted,
            pending: dict[str, str], problems: list[Problem]) -> SnippetStatus:
    if inc.reason is not None:
        if not inc.reason.strip():
            problems.append(Problem(inc.page, inc.line, "not-executable needs a reason readers can see"))
        for c in covering:
            problems.append(Problem(inc.page, inc.line, f"declared not-executable, but {c.lab.path.name}:{c.step.line} runs it"))
        return SnippetStatus(inc, NOT_EXECUTABLE, inc.reason)
    runbook = inc.ref.runbook
    if not covering:
        if runbook in pending:
            return SnippetStatus(inc, UNVERIFIED, pending[runbook])
        problems.append(Problem(inc.page, inc.line, f"snippet {inc.ref} has no lab step and no not-executable reason"))
        return SnippetStatus(inc, UNVERIFIED, "No lab runs this snippet.")
    uncovered = set(range(first, last + 1)) - {n for c in covering for n in range(c.first, c.last + 1)}
    if uncovered:
        problems.append(Problem(inc.page, inc.line, f"lines {min(uncovered)}-{max(uncovered)} of {inc.ref.path} are run by no lab step"))
    lab = covering[0].lab
    status = SnippetStatus(inc, UNVERIFIED, lab=lab)
    for release in lab.releases:
        on = [c for c in covering if c.step.runs_on(release.key)]
        if on:
            status.releases.append(_on_release(release, lab, on, vetted))
    if uncovered:
        status.note = f"Lines {min(uncovered)}-{max(uncovered)} are run by no lab step."
        return status
    failing = [r for r in status.releases if r.status == FAILING]
    unverified = [r for r in status.releases if r.status == UNVERIFIED]
    if failing:
        status.status, status.note = FAILING, f"on {failing[0].release.name}, {failing[0].note}"
    elif unverified:
        status.note = f"On {unverified[0].release.name}: {unverified[0].note}" if len(status.releases) > 1 \
            else unverified[0].note
    else:
        status.status = status.releases[0].status
    return status


def _on_release(release: Release, lab: Lab, covering: list[_Coverage], vetted: Vetted) -> ReleaseStatus:
    run = Run(lab.name, release.key)
    result = vetted.results.get(run)
    pairs = [(c.step, _step_result(result, c)) for c in covering]
    status = ReleaseStatus(release, UNVERIFIED, result=result, steps=pairs, signer=vetted.signers.get(run))
    failed = [res for _, res in pairs if res is not None and res.outcome != PASSED]
    if failed:
        status.status, status.note = FAILING, f"step {failed[0].index}: {failed[0].message or 'failed'}"
    elif missing := [step for step, res in pairs if res is None]:
        status.note = _why_not_run(result, missing[0], vetted.rejected.get(run))
    else:
        status.status = ILLUSTRATIVE if all(step.shows_output for step, _ in pairs) else VERIFIED
    return status


def _attach_mutants(on: ReleaseStatus, run: MutationRun | None, shown: SnippetText) -> None:
    """The mutants of the lines the page shows, from the lab's last mutation run on this release."""
    if run is not None:
        on.mutants = [m for m in run.mutants if m.snippet == shown.ref.path and shown.first_line <= m.line <= shown.last_line]
        on.mutated = run.finished if on.mutants else None


def _anchor(inc: Include, taken: set[str]) -> str:
    base = "snippet-" + re.sub(r"[^a-z0-9]+", "-", str(inc.ref).lower()).strip("-")
    anchor, n = base, 1
    while anchor in taken:
        n += 1
        anchor = f"{base}-{n}"
    taken.add(anchor)
    return anchor


def _why_not_run(result: LabResult | None, step: Step, rejected: str | None) -> str:
    if rejected:
        return rejected
    if result is None:
        return "Its lab has not run yet."
    if any(res.index == step.index for res in result.steps):
        return "Changed since its lab last ran it."
    return f"Its lab's last run ({result.outcome}) ended before step {step.index}."


def _step_result(result: LabResult | None, cover: _Coverage) -> StepResult | None:
    """The recorded result of this very step on these very lines, or None when it is missing or stale."""
    if result is None:
        return None
    for res in result.steps:
        if res.index == cover.step.index and res.snippet == cover.step.snippet.path and res.sha256 == cover.sha256:
            return res
    return None


def totals(statuses: list[SnippetStatus]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        counts[status.status] += 1
    return counts


def totals_on(statuses: list[SnippetStatus], release: str) -> dict[str, int]:
    """The same counts on one release: the snippets its labs cover there, and those declared not executable."""
    counts = dict.fromkeys(STATUSES, 0)
    for status in statuses:
        if status.status == NOT_EXECUTABLE:
            counts[NOT_EXECUTABLE] += 1
        for on in status.releases:
            if on.release.key == release:
                counts[on.status] += 1
    return counts

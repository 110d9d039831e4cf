"""The Runbook status page's body: every runbook, every snippet it shows, what backs it, and the totals."""

from __future__ import annotations

from pathlib import Path

from runbook_kb.lab.releases import Release
from runbook_kb.lab.results import PASSED, LabResult, Run
from runbook_kb.lab.spec import Lab
from runbook_kb.lab.trust import Vetted
from runbook_kb.mutation.results import MutationRun, caught

from .badges import ICONS, LABELS
from .html import link, markdown_text
from .status import FAILING, STATUSES, UNVERIFIED, VERIFIED, SnippetStatus, totals, totals_on


def _lab_cell(lab: Lab | None) -> str:
    if lab is not None and lab.pending:
        return f"`{lab.path.name}` pending: {markdown_text(lab.pending)}"
    if lab is None or not lab.runnable:
        return "no steps: nothing here is executable"
    return f"`{lab.path.name}`"


def _run_cell(lab: Lab | None, release: Release, result: LabResult | None, rejected: str | None) -> str:
    """One cell of the runbook × release matrix: ✓ / ✗ / not run, with the reason."""
    if lab is None or not lab.runnable or lab.pending:
        return "not run"
    if release.key in lab.not_on:
        return f"not run: {markdown_text(lab.not_on[release.key])}"
    if rejected:
        return f"not counted: {markdown_text(rejected)}"
    if result is None:
        return "not run yet"
    icon = ICONS[VERIFIED] if result.outcome == PASSED else ICONS[FAILING]
    systems = ", ".join(sorted({env.os for env in result.hosts.values()}))
    return (f"{icon} **{markdown_text(result.outcome)}** {markdown_text(result.started[:10])}, {result.duration:.0f} s "
            f"({markdown_text(systems)})")


def render(statuses: list[SnippetStatus], labs: list[Lab], releases: tuple[Release, ...], vetted: Vetted,
           titles: dict[str, str], results_path: Path, mutations: dict[Run, MutationRun] | None = None,
           report_page: str | None = None) -> str:
    """One row per runbook and one per snippet that needs attention: a row per snippet would make a
    page of tens of thousands of rows on a large site. Each snippet's own details are in the badge beside it on its page."""
    by_page: dict[str, list[SnippetStatus]] = {}
    for status in statuses:
        by_page.setdefault(status.include.page, []).append(status)
    pages = sorted(by_page, key=lambda p: titles.get(p, p).lower())
    out = [*_totals(statuses, releases, results_path), *_runbooks(by_page, pages, labs, releases, vetted, titles),
           *_breakages(by_page, pages, labs, releases, mutations or {}, titles, report_page),
           *_attention([status for page in pages for status in by_page[page]])]
    return "\n".join([*out, ""])


def _totals(statuses: list[SnippetStatus], releases: tuple[Release, ...], results_path: Path) -> list[str]:
    counts = totals(statuses)
    return [
        "Every snippet the runbooks show, and what backs it. Lab results come from "
        f"`{results_path.name}`, written by the last lab run on the machine that built this site; a lab's "
        "result counts only if CI's key or this machine's signed it, on the inputs the lab has now. Each "
        "snippet's badge on its page says where, on what and when it ran.",
        "",
        "| Status | Snippets |",
        "| --- | ---: |",
        *(f'| {LABELS[s]} | <span data-status-total="{s}">{counts[s]}</span> |' for s in STATUSES),
        f'| **All** | <span data-status-total="all">{len(statuses)}</span> |',
        "",
        "## Per release",
        "",
        "A snippet counts on each release its lab covers it on; one declared not executable counts on all.",
        "",
        "| Release | " + " | ".join(LABELS[s] for s in STATUSES) + " |",
        "| --- |" + " ---: |" * len(STATUSES),
        *(f"| {release.name} | " + " | ".join(
            f'<span data-release-total="{release.key} {s}">{n}</span>' for s, n in totals_on(statuses, release.key).items())
          + " |" for release in releases),
    ]


def _runbooks(by_page: dict[str, list[SnippetStatus]], pages: list[str], labs: list[Lab],
              releases: tuple[Release, ...], vetted: Vetted, titles: dict[str, str]) -> list[str]:
    out = ["", "## Runbooks", "",
           "| Runbook | Lab | " + " | ".join(release.name for release in releases) + " | Snippets |",
           "| --- | --- |" + " --- |" * len(releases) + " --- |"]
    labs_by_name = {lab.name: lab for lab in labs}
    for page in pages:
        rows = by_page[page]
        runbook = rows[0].include.ref.runbook
        counted = ", ".join(f"{n} {LABELS[s].lower()}" for s, n in totals(rows).items() if n)
        lab = labs_by_name.get(runbook)
        runs = [_run_cell(lab, release, vetted.results.get(Run(runbook, release.key)),
                          vetted.rejected.get(Run(runbook, release.key))) for release in releases]
        out.append(f"| [{markdown_text(titles.get(page, page))}]({link(page)}) | {_lab_cell(lab)} | " + " | ".join(runs)
                   + f" | {counted} |")
    return out


def _breakages(by_page: dict[str, list[SnippetStatus]], pages: list[str], labs: list[Lab],
               releases: tuple[Release, ...], mutations: dict[Run, MutationRun], titles: dict[str, str],
               report_page: str | None) -> list[str]:
    out = ["", "## Breakages caught", "",
           "`make mutants` breaks each runbook's snippets the ways authors do (a line left out, a number, a flag or "
           "a condition changed) and runs the lab against each break; the lab catches a break when one of its "
           "steps fails. Each snippet's badge names the breaks its lab let through"
           + (f", and the [breakage report]({link(report_page)}) shows each break." if report_page else "."), "",
           "| Runbook | " + " | ".join(release.name for release in releases) + " |",
           "| --- |" + " --- |" * len(releases)]
    runnable = {lab.name for lab in labs if lab.runnable and not lab.pending}
    for page in pages:
        runbook = by_page[page][0].include.ref.runbook
        cells = []
        for release in releases:
            run = mutations.get(Run(runbook, release.key))
            cells.append(f"{caught(run.mutants)} ({run.finished[:10]})" if run else
                         "not run" if runbook in runnable else "no lab")
        out.append(f"| [{markdown_text(titles.get(page, page))}]({link(page)}) | " + " | ".join(cells) + " |")
    return out


def _attention(statuses: list[SnippetStatus]) -> list[str]:
    attention = [status for status in statuses if status.status in (FAILING, UNVERIFIED)]
    out = ["", "## Needs attention", ""]
    if not attention:
        return [*out, "Every snippet is verified, illustrative or declared not executable here."]
    out += ["| Snippet | Status |", "| --- | --- |"]
    for status in attention:
        label = LABELS[status.status] + (f": {status.note}" if status.note else "")
        out.append(f"| [{markdown_text(str(status.include.ref))}]({link(status.include.page, status.anchor)}) "
                   f'| <span class="snippet-status" data-status="{status.status}">{markdown_text(label)}</span> |')
    return out

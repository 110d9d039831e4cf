"""The Runbook status page: every runbook, every snippet it shows, what backs it, and the totals."""

from __future__ import annotations

import re
from pathlib import Path

from harness.results import LabResult
from harness.spec import Lab
from harness.trust import Vetted

from .badges import LABELS
from .html import text
from .status import FAILING, STATUSES, UNVERIFIED, SnippetStatus, totals


def page_title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", markdown, re.MULTILINE)
    return match.group(1) if match else fallback


def _cell(value: str) -> str:
    """Author-written text in a table cell: as HTML (a title may hold `<`), on one line, its pipes kept."""
    return text(value).replace("|", "\\|").replace("\n", " ")


def _lab_cell(lab: Lab | None, result: LabResult | None, rejected: str | None) -> str:
    if lab is not None and lab.pending:
        return f"`{lab.path.name}` pending: {_cell(lab.pending)}"
    if lab is None or not lab.runnable:
        return "no steps: nothing here is executable"
    if rejected:
        return f"`{lab.path.name}` not counted: {_cell(rejected)}"
    if result is None:
        return f"`{lab.path.name}` has not run yet"
    return f"`{lab.path.name}` **{result.outcome}** {result.started[:10]}, {result.duration:.0f} s"


def _ran_on(statuses: list[SnippetStatus]) -> str:
    return ", ".join(sorted(set().union(*(status.systems for status in statuses))))


def render(statuses: list[SnippetStatus], labs: list[Lab], vetted: Vetted,
           titles: dict[str, str], results_path: Path) -> str:
    """One row per runbook and one per snippet that needs attention: at a thousand runbooks a row per snippet
    made a page of 11,000 rows. Each snippet's own details are in the badge beside it on its page."""
    counts = totals(statuses)
    out = [
        # Snippet paths and lab names would only crowd search results; the runbooks themselves are indexed.
        "---\nsearch:\n  exclude: true\n---\n",
        "# Runbook status",
        "",
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
        "## Runbooks",
        "",
        "| Runbook | Lab | Ran on | Snippets |",
        "| --- | --- | --- | --- |",
    ]
    labs_by_name = {lab.name: lab for lab in labs}
    by_page: dict[str, list[SnippetStatus]] = {}
    for status in statuses:
        by_page.setdefault(status.include.page, []).append(status)
    pages = sorted(by_page, key=lambda p: titles.get(p, p).lower())
    for page in pages:
        rows = by_page[page]
        runbook = rows[0].include.ref.path.split("/", 1)[0]
        page_counts = totals(rows)
        counted = ", ".join(f"{n} {LABELS[s].lower()}" for s, n in page_counts.items() if n)
        out.append(f"| [{_cell(titles.get(page, page))}]({page}) "
                   f"| {_lab_cell(labs_by_name.get(runbook), vetted.results.get(runbook), vetted.rejected.get(runbook))} "
                   f"| {_cell(_ran_on(rows))} "
                   f"| {counted} |")
    attention = [status for page in pages for status in by_page[page] if status.status in (FAILING, UNVERIFIED)]
    out += ["", "## Needs attention", ""]
    if not attention:
        return "\n".join([*out, "Every snippet is verified, illustrative or declared not executable here.", ""])
    out += ["| Snippet | Status |", "| --- | --- |"]
    for status in attention:
        label = LABELS[status.status] + (f": {status.note}" if status.note else "")
        out.append(f"| [{_cell(str(status.include.ref))}]({status.include.page}#{status.anchor}) "
                   f'| <span class="snippet-status" data-status="{status.status}">{_cell(label)}</span> |')
    return "\n".join([*out, ""])

"""The Runbook status page: every runbook, every snippet it shows, what backs it, and the totals."""

from __future__ import annotations

import re
from pathlib import Path

from harness.results import LabResult
from harness.spec import Lab

from .badges import LABELS, environment
from .status import STATUSES, SnippetStatus, totals


def page_title(markdown: str, fallback: str) -> str:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", markdown, re.MULTILINE)
    return match.group(1) if match else fallback


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _lab_line(lab: Lab | None, result: LabResult | None) -> str:
    if lab is not None and lab.pending:
        return f"Lab `{lab.path.name}` is pending: {lab.pending}"
    if lab is None or not lab.runnable:
        return "No lab steps: every snippet on this page is declared not executable here."
    if result is None:
        return f"Lab `{lab.path.name}` has not run yet."
    started = result.started.replace("T", " ").replace("+00:00", " UTC")
    return f"Lab `{lab.path.name}`: **{result.outcome}**, started {started}, took {result.duration:g} s."


def render(statuses: list[SnippetStatus], labs: list[Lab], results: dict[str, LabResult],
           titles: dict[str, str], results_path: Path) -> str:
    counts = totals(statuses)
    out = [
        "# Runbook status",
        "",
        "Every snippet the runbooks show, and what backs it. Lab results come from "
        f"`{results_path.name}`, written by the last lab run on the machine that built this site.",
        "",
        "| Status | Snippets |",
        "| --- | ---: |",
        *(f'| {LABELS[s]} | <span data-status-total="{s}">{counts[s]}</span> |' for s in STATUSES),
        f'| **All** | <span data-status-total="all">{len(statuses)}</span> |',
        "",
    ]
    labs_by_name = {lab.name: lab for lab in labs}
    by_page: dict[str, list[SnippetStatus]] = {}
    for status in statuses:
        by_page.setdefault(status.include.page, []).append(status)
    for page in sorted(by_page, key=lambda p: titles.get(p, p).lower()):
        rows = by_page[page]
        runbook = rows[0].include.ref.path.split("/", 1)[0]
        lab = labs_by_name.get(runbook)
        out += [f"## [{_cell(titles.get(page, page))}]({page})", "", _lab_line(lab, results.get(runbook)), ""]
        out += ["| Snippet | Status | Environment | Date | Duration |", "| --- | --- | --- | --- | ---: |"]
        for status in rows:
            date = (status.finished or "")[:10]
            duration = f"{status.duration:g} s" if status.duration is not None else ""
            label = LABELS[status.status] + (f": {status.note}" if status.note else "")
            out.append(
                f"| [{_cell(str(status.include.ref))}]({page}#{status.anchor}) "
                f'| <span class="snippet-status" data-status="{status.status}">{_cell(label)}</span> '
                f"| {_cell(environment(status))} | {date} | {duration} |"
            )
        out.append("")
    return "\n".join(out)

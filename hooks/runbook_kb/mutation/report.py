"""The mutation results as a report in Stryker's mutation-testing report schema (schema version 2), which its
`mutation-testing-elements` web component and other tools read: one entry per snippet file with its source,
and each mutant of each lab and release at its place in it."""

from __future__ import annotations

import json
from pathlib import Path

from ..lab.results import Run
from ..layout import Layout
from ..snippets import SnippetRef, read_snippet
from .results import EQUIVALENT, ERROR, KILLED, SURVIVED, MutantResult, MutationRun

STATUS = {KILLED: "Killed", SURVIVED: "Survived", EQUIVALENT: "Ignored", ERROR: "RuntimeError"}
LANGUAGE = {".sh": "shell", ".sql": "sql", ".php": "php", ".py": "python", ".cnf": "ini", ".conf": "ini"}
THRESHOLDS = {"high": 95, "low": 80}  # the share of mutants a lab must catch: the bar, and a warning


def report(runs: dict[Run, MutationRun], layout: Layout) -> dict:
    files: dict[str, dict] = {}
    for run in sorted(runs.values(), key=lambda r: (r.lab, r.release)):
        for mutant in run.mutants:
            name = f"snippets/{mutant.snippet}"
            if name not in files:
                try:
                    source = read_snippet(layout.snippets, SnippetRef(mutant.snippet)).text
                except (OSError, ValueError):
                    continue  # a snippet since removed: its mutants went with it
                files[name] = {"language": LANGUAGE.get(Path(name).suffix, "text"), "source": source, "mutants": []}
            files[name]["mutants"].append({
                "id": f"{run.lab}/{run.release}/{mutant.snippet}/{mutant.id}",
                "mutatorName": mutant.operator,
                "replacement": mutant.replacement,
                "description": f"{mutant.description} (lab {run.lab} on {run.release})",
                "location": _location(mutant, files[name]["source"]),
                "status": STATUS[mutant.status],
                **({"statusReason": mutant.message} if mutant.message else {}),
                **({"killedBy": [f"{run.lab}/{run.release}/step {mutant.step}"]} if mutant.status == KILLED else {}),
                "duration": round(mutant.duration * 1000),
            })
    return {"schemaVersion": "2", "thresholds": THRESHOLDS, "projectRoot": ".", "files": files,
            "framework": {"name": "runbook_kb make mutants"}}


def _location(mutant: MutantResult, source: str) -> dict:
    """1-based, end exclusive; a deleted line spans the whole line."""
    if mutant.operator != "delete-line":
        return {"start": {"line": mutant.line, "column": mutant.start + 1},
                "end": {"line": mutant.line, "column": mutant.end + 1}}
    rows = source.split("\n")
    width = len(rows[mutant.line - 1]) if mutant.line <= len(rows) else 0
    return {"start": {"line": mutant.line, "column": 1}, "end": {"line": mutant.line, "column": width + 1}}


def write(runs: dict[Run, MutationRun], layout: Layout) -> Path:
    path = layout.build / "mutation-report.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(report(runs, layout), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path

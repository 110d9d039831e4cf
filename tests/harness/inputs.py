"""Everything a lab's verdict depends on, as one digest, and whether its last result still stands.

A passing result whose inputs are unchanged would only be repeated by running the lab again, so `make test`
keeps it (LABS=all runs every lab anyway). The inputs are the files the lab reads: its spec, the snippet files
its steps run, install or compare, what it mounts, its images' Containerfiles with what they copy and their
wheel lists, and the harness itself: a change to how labs run re-runs them all.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .images import image_inputs
from .layout import Layout
from .results import PASSED, LabResult
from .spec import Lab

HARNESS = Path(__file__).parent


def _files_under(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [path]


def input_files(lab: Lab, layout: Layout) -> list[Path]:
    files = {lab.path, *_files_under(HARNESS)}
    files.update(layout.snippets / step.snippet.path for step in lab.steps if step.snippet)
    for host in lab.hosts.values():
        for source, _ in host.mounts:
            files.update(_files_under(source))
    for containerfile in lab.images.values():
        files.update(image_inputs(containerfile))
    return sorted(files)


def lab_inputs(lab: Lab, layout: Layout) -> str:
    digest = hashlib.sha256()
    for path in input_files(lab, layout):
        try:
            name = path.resolve().relative_to(layout.root.resolve()).as_posix()
        except ValueError:
            name = str(path)
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def still_stands(lab: Lab, result: LabResult | None, layout: Layout) -> bool:
    """The last result passed, on exactly these inputs, and the artifacts it made are still on disk."""
    if result is None or result.outcome != PASSED or result.inputs != lab_inputs(lab, layout):
        return False
    return all((layout.artifacts / lab.name / name).is_file()
               for step in result.steps for name in (step.artifacts or {}))

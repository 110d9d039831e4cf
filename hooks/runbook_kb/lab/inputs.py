"""Everything a lab's verdict depends on, as one digest, and whether its last result still stands.

A passing result whose inputs are unchanged would only be repeated by running the lab again, so `make test`
keeps it (LABS=all runs every lab anyway). The inputs are the files the lab reads: its spec, the snippet files
its steps run, install or compare, what it mounts, its images' Containerfiles with what they copy and their
wheel lists, and the harness itself: a change to how labs run re-runs them all. The release's recipe is part
of each run's digest, so a changed recipe re-runs that release's labs.

The build asks for every lab's digest to decide whether its result still counts, so each file's own digest is
kept while the file is unchanged (the harness's files are in every lab's inputs).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from .images import image_inputs
from ..layout import Layout
from .releases import Release
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


def lab_inputs(lab: Lab, layout: Layout, release: Release) -> str:
    """One digest per lab and release: the same files, and the recipe of the release they run on."""
    digest = hashlib.sha256(release.recipe.encode() + b"\0")
    for path in input_files(lab, layout):
        try:
            name = path.resolve().relative_to(layout.root.resolve()).as_posix()
        except ValueError:
            name = str(path)
        stat = path.stat()
        digest.update(name.encode() + b"\0" + _file_digest(path, stat.st_mtime_ns, stat.st_size) + b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=8192)
def _file_digest(path: Path, mtime_ns: int, size: int) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


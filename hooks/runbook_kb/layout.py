"""Where things live in the project; one place, so the runner, the tests and the site agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    root: Path

    @classmethod
    def of(cls, start: Path) -> Layout:
        for folder in [start, *start.parents]:
            if (folder / "tests" / "labs").is_dir() and (folder / "snippets").is_dir():
                return cls(folder)
        raise FileNotFoundError(f"no project (tests/labs and snippets/) at or above {start}")

    docs = property(lambda self: self.root / "docs")
    snippets = property(lambda self: self.root / "snippets")
    labs = property(lambda self: self.root / "tests" / "labs")
    releases = property(lambda self: self.root / "tests" / "releases.yml")
    ci_public_key = property(lambda self: self.root / "tests" / "labs" / "signers" / "ci.pub")
    build = property(lambda self: self.root / "build")
    results = property(lambda self: self.root / "build" / "lab-results.json")
    mutation_results = property(lambda self: self.root / "build" / "mutation-results.json")
    shards = property(lambda self: self.root / "build" / "shards")  # <K>-of-<N>.json: one CI job's results
    durations = property(lambda self: self.root / "tests" / "labs" / "durations.json")  # per item, for shards

    def item_id(self, run) -> str:
        """The pytest node id of one lab on one release (run: runbook_kb.lab.results.Run)."""
        return f"{self.labs.relative_to(self.root).as_posix()}/{run.lab}.yml::{run.lab}[{run.release}]"
    bench = property(lambda self: self.root / "build" / "bench.txt")  # make bench's table, its last run here
    logs = property(lambda self: self.root / "build" / "logs")
    locks = property(lambda self: self.root / "build" / "locks")
    artifacts = property(lambda self: self.root / "build" / "lab-artifacts")  # <lab>/<release>/<file>, last run

    def run_artifacts(self, run) -> Path:
        """What one lab's last run on one release made (run: runbook_kb.lab.results.Run)."""
        return self.artifacts / run.lab / run.release
    vm_files = property(lambda self: self.root / "build" / "cache" / "vm")  # kernel + initramfs per image
    barcode_cache = property(lambda self: self.root / "build" / "cache" / "barcodes")  # by content address
    wheels = property(lambda self: self.root / "build" / "cache" / "wheels")

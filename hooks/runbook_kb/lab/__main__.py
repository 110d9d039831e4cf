"""`python -m runbook_kb.lab RUNBOOK… [--release KEY] [pytest options]` (`make lab RUNBOOK=…`): an author's
check before publishing, each named runbook's lab on every release it runs on, or on one. It runs under
pytest, so `-x`, `--lf`, `-n 2` and `--junitxml` mean what they always do; the results are merged into
build/lab-results.json as any lab run's are."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

from runbook_kb.layout import Layout

from .releases import load_releases


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m runbook_kb.lab", description=__doc__)
    parser.add_argument("runbooks", nargs="+", metavar="RUNBOOK", help="a lab's name: tests/labs/RUNBOOK.yml")
    parser.add_argument("--release", help="only this release (a key in tests/releases.yml)")
    args, pytest_args = parser.parse_known_args(argv)
    layout = Layout.of(Path.cwd())
    known = {path.stem for path in layout.labs.glob("*.yml")}
    releases = {release.key for release in load_releases(layout.releases)}
    if unknown := [name for name in args.runbooks if name not in known]:
        parser.error(f"no lab spec tests/labs/{unknown[0]}.yml (labs: {', '.join(sorted(known))})")
    if args.release and args.release not in releases:
        parser.error(f"no release {args.release!r} in tests/releases.yml ({', '.join(sorted(releases))})")
    # A lab item's id is `<lab>[<release>]`, so the lab is matched as a whole word of it.
    chosen = " or ".join(f"{name}[" for name in args.runbooks)
    expression = f"({chosen})" + (f" and {args.release}" if args.release else "")
    return pytest.main(["-m", "lab", "--labs=all", "-k", expression, *pytest_args])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

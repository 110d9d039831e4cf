"""The one line a runbook's page header and its blog index entry carry: what was run where, and when.

"Verified on Debian 13.8 and 12.15, 2 Dec 2026": the releases its lab passed on, with the point releases its
hosts reported, and the day of the latest of those runs; then each release it failed on, has not run on yet,
or does not run on, with the reason its spec gives.
"""

from __future__ import annotations

import re
from datetime import date

from runbook_kb.lab.releases import Release
from runbook_kb.lab.results import PASSED, Run
from runbook_kb.lab.spec import Lab
from runbook_kb.lab.trust import Vetted


def _named(release: Release, systems: set[str]) -> tuple[str, str]:
    """("Debian", "13.8") from hosts that report "Debian 13.8 (trixie)"; the release's own number otherwise."""
    distribution, _, number = release.name.rpartition(" ")
    found = {m[1] for system in systems if (m := re.match(rf"{re.escape(distribution)} (\d+(?:\.\d+)*)", system))}
    return distribution, found.pop() if len(found) == 1 else number


def _joined(names: list[tuple[str, str]]) -> str:
    """Debian 13.8 and 12.15: a distribution named once for the versions that follow it."""
    words = [version if n and names[n - 1][0] == distribution else f"{distribution} {version}"
             for n, (distribution, version) in enumerate(names)]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def summary(lab: Lab | None, releases: tuple[Release, ...], vetted: Vetted) -> str:
    if lab is None or not lab.runnable:
        return "No lab runs this runbook: each snippet says why it is not executable here."
    if lab.pending:
        return f"Not verified yet: {lab.pending}"
    passed, failed, waiting, days, sentences = [], [], [], [], []
    for release in releases:
        result = vetted.results.get(Run(lab.name, release.key))
        if release.key in lab.not_on:
            sentences.append(f"Not run on {release.name}: {lab.not_on[release.key]}")
        elif result is None:
            waiting.append(release.name)
        elif result.outcome == PASSED:
            passed.append(_named(release, {env.os for env in result.hosts.values()}))
            days.append(result.started[:10])
        else:
            failed.append(_named(release, {env.os for env in result.hosts.values()}))
    head = []
    if passed:
        day = date.fromisoformat(max(days))
        head.append(f"Verified on {_joined(passed)}, {day.day} {day:%b %Y}.")
    if failed:
        head.append(f"Failing on {_joined(failed)}.")
    if waiting:
        head.append(f"Not yet verified on {', '.join(waiting)}.")
    return " ".join(head + sentences)

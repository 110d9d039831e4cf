"""The badge next to each snippet: a one-line summary readers see, the details on expand and on hover."""

from __future__ import annotations

import re

from runbook_kb.lab.signing import CI, LOCAL
from runbook_kb.lab.spec import DEFAULT_SHELL
from runbook_kb.lab.steps import KINDS
from runbook_kb.mutation.results import SURVIVED, caught

from .html import text as escape
from .status import FAILING, ILLUSTRATIVE, NOT_EXECUTABLE, UNVERIFIED, VERIFIED, ReleaseStatus, SnippetStatus

LABELS = {
    VERIFIED: "Verified",
    ILLUSTRATIVE: "Illustrative",
    NOT_EXECUTABLE: "Not executable here",
    FAILING: "Failing",
    UNVERIFIED: "Not yet verified",
}
ICONS = {VERIFIED: "✓", ILLUSTRATIVE: "≈", NOT_EXECUTABLE: "⊘", FAILING: "✗", UNVERIFIED: "?"}
# Who vouches for a verified or illustrative snippet: the signature on its lab's result (runbook_kb.lab.signing).
WHERE = {CI: "in CI", LOCAL: "locally"}
SIGNED = {CI: "by the CI key (tests/labs/signers/ci.pub)",
          LOCAL: "by this machine's own key: a local run, trusted by builds on this machine only"}


def _system(on: ReleaseStatus) -> str:
    """How a release is named on a badge: as its hosts reported it ("Debian 13.8"), else by the site's name."""
    systems = sorted(on.systems)
    return systems[0].split(" (")[0] if len(systems) == 1 else on.release.name


def releases_line(status: SnippetStatus) -> str:
    """`✓ Debian 13.8 · ✓ Debian 12.15`: each release it runs on, with what it showed there."""
    return " · ".join(f"{ICONS[on.status]} {_system(on)}" for on in status.releases)


def summary(status: SnippetStatus) -> str:
    """The one line shown next to the snippet (also the hover text)."""
    label = LABELS[status.status]
    if status.status in (VERIFIED, ILLUSTRATIVE):
        date = (status.finished or "")[:10]
        signers = {on.signer for on in status.releases}
        where = WHERE[CI] if signers == {CI} else WHERE[LOCAL]
        label = f"{label} {where}" if status.status == VERIFIED else f"{label}, checked {where}"
        verb = "ran in" if status.status == VERIFIED else "compared with real output in"
        return f"{label}: {verb} lab {status.lab.name} on {date}: {releases_line(status)}"
    if status.status == FAILING:
        return f"{label}: lab {status.lab.name}, {status.note}: {releases_line(status)}"
    if status.releases and len(status.releases) > 1:
        return f"{label}: {status.note} {releases_line(status)}"
    return f"{label}: {status.note}"


def details(status: SnippetStatus) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [("Snippet", f"snippets/{status.include.ref}")]
    if status.lab:
        steps = ", ".join(f"{step.index} ({step.kind} on {step.host})" for step in status.steps)
        rows.append(("Lab", f"{status.lab.path.name}, step {steps}"))
        # How each step ran the snippet, when not plainly: readers see what was executed, not just that it was.
        for step in status.steps:
            how = [step.name] if step.name != str(step.snippet) else []
            if KINDS[step.kind].executes_snippet and step.shell != DEFAULT_SHELL:
                how.append(f"run as: {step.shell}")
            if how:
                rows.append((f"Step {step.index}", "; ".join(how)))
    for on in status.releases:
        rows += _release_rows(on)
    if status.note:
        rows.append(("Note", status.note))
    return rows


def _release_rows(on: ReleaseStatus) -> list[tuple[str, str]]:
    name = on.release.name
    rows = [(name, LABELS[on.status] + (f": {on.note}" if on.note else ""))]
    if on.result:
        for host in sorted({step.host for step, _ in on.steps}):
            env = on.result.hosts.get(host)
            if env:
                rows.append((f"{name}, host {host}", f"{env.describe()}; image {env.image} ({env.image_id})"))
    filled = {key: value for res in on.ran for key, value in (res.values or {}).items()}
    if filled:
        # By name: a run records them in no particular order, and the page must not change with it.
        rows.append((f"{name}, filled in", ", ".join(f"<{key}> = {value}" for key, value in sorted(filled.items()))))
    if on.status in (VERIFIED, ILLUSTRATIVE) and on.result and on.result.signature:
        rows.append((f"{name}, signed", f"{SIGNED[on.signer]}; key {on.result.signature['key']}"))
    if on.finished:
        rows.append((f"{name}, ran", f"{on.finished.replace('T', ' ').replace('+00:00', ' UTC')}, {on.duration:g} s"))
    if on.mutants:
        rows.append((f"{name}, breakages caught", f"{caught(on.mutants)} (make mutants, {on.mutated[:10]})"))
        rows += [(f"{name}, not caught", f"{m.description}: the lab passed through step {m.step}")
                 for m in on.mutants if m.status == SURVIVED]
    return rows


def badge_html(status: SnippetStatus) -> str:
    line = summary(status)
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in details(status))
    return (
        # Not content: an indexer reading the finished page must skip it, or a copy of "Verified: ran in lab …"
        # per snippet would drown real matches.
        f'<details class="snippet-badge" data-status="{status.status}" data-search-exclude>'
        f'<summary title="{escape(line)}"><span class="snippet-badge__icon" aria-hidden="true">'
        f"{ICONS[status.status]}</span> {escape(line)}</summary><dl>{rows}</dl></details>"
    )


_BADGE = re.compile(r'<details class="snippet-badge"[^>]*>.*?</details>', re.S)


def without_badges(html: str) -> str:
    """A page as a reader reads it through: the badges are looked at, not read (reading time)."""
    return _BADGE.sub("", html)

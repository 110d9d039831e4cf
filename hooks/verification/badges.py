"""The badge next to each snippet: a one-line summary readers see, the details on expand and on hover."""

from __future__ import annotations

from harness.signing import CI, LOCAL
from harness.spec import DEFAULT_SHELL

from .html import text as escape
from .status import FAILING, ILLUSTRATIVE, NOT_EXECUTABLE, UNVERIFIED, VERIFIED, SnippetStatus

LABELS = {
    VERIFIED: "Verified",
    ILLUSTRATIVE: "Illustrative",
    NOT_EXECUTABLE: "Not executable here",
    FAILING: "Failing",
    UNVERIFIED: "Not yet verified",
}
ICONS = {VERIFIED: "✓", ILLUSTRATIVE: "≈", NOT_EXECUTABLE: "⊘", FAILING: "✗", UNVERIFIED: "?"}
# Who vouches for a verified or illustrative snippet: the signature on its lab's result (harness.signing).
WHERE = {CI: "in CI", LOCAL: "locally"}
SIGNED = {CI: "by the CI key (tests/labs/signers/ci.pub)",
          LOCAL: "by this machine's own key: a local run, trusted by builds on this machine only"}


def summary(status: SnippetStatus) -> str:
    """The one line shown next to the snippet (also the hover text)."""
    label = LABELS[status.status]
    if status.status in (VERIFIED, ILLUSTRATIVE):
        date = (status.finished or "")[:10]
        where = WHERE[status.signer]
        label = f"{label} {where}" if status.status == VERIFIED else f"{label}, checked {where}"
        verb = "ran in" if status.status == VERIFIED else "compared with real output in"
        return f"{label}: {verb} lab {status.lab.name} on {date}, {', '.join(sorted(status.systems))}"
    if status.status == FAILING:
        return f"{label}: lab {status.lab.name}, {status.note}"
    return f"{label}: {status.note}"


def details(status: SnippetStatus) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = [("Snippet", f"snippets/{status.include.ref}")]
    if status.lab:
        steps = ", ".join(f"{step.index} ({step.kind} on {step.host})" for step, _ in status.steps)
        rows.append(("Lab", f"{status.lab.path.name}, step {steps}"))
        # How each step ran the snippet, when not plainly: readers see what was executed, not just that it was.
        for step, _ in status.steps:
            how = [step.name] if step.name != str(step.snippet) else []
            if step.kind == "run" and step.shell != DEFAULT_SHELL:
                how.append(f"run as: {step.shell}")
            if how:
                rows.append((f"Step {step.index}", "; ".join(how)))
    if status.result:
        for host in status.hosts:
            env = status.result.hosts.get(host)
            if env:
                rows.append((f"Host {host}", f"{env.describe()}; image {env.image} ({env.image_id})"))
    filled = {name: value for res in status.ran for name, value in (res.values or {}).items()}
    if filled:
        rows.append(("Filled in", ", ".join(f"<{name}> = {value}" for name, value in filled.items())))
    if status.status in (VERIFIED, ILLUSTRATIVE) and status.result and status.result.signature:
        signed = SIGNED[status.signer]
        rows.append(("Signed", f"{signed}; key {status.result.signature['key']}"))
    if status.finished:
        rows.append(("Ran", f"{status.finished.replace('T', ' ').replace('+00:00', ' UTC')}, {status.duration:g} s"))
    if status.note:
        rows.append(("Note", status.note))
    return rows


def badge_html(status: SnippetStatus) -> str:
    line = summary(status)
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in details(status))
    return (
        # Not content: an indexer reading the finished page must skip it, or 189 copies of "Verified: ran in
        # lab …" would drown real matches.
        f'<details class="snippet-badge" data-status="{status.status}" data-search-exclude>'
        f'<summary title="{escape(line)}"><span class="snippet-badge__icon" aria-hidden="true">'
        f"{ICONS[status.status]}</span> {escape(line)}</summary><dl>{rows}</dl></details>"
    )

"""A sentence of a runbook that states a behaviour names the lab step that checks it: `((lab: STEP))`, STEP
being the step's name (its `name:`, or the snippet it runs, as the lab's progress lines show it). The marker
becomes a numbered check mark, and the page ends with what each one stands for: the step, and the releases
it passed on. A marker that names no step of the page's lab stops the build at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from runbook_kb.fences import lex
from runbook_kb.lab.results import PASSED, Run
from runbook_kb.lab.spec import Lab, Step
from runbook_kb.lab.trust import Vetted

from .html import text as escape

MARKER = re.compile(r"\(\(lab: *([^()\n]*?) *\)\)")
SECTION = "checked-by-the-lab"  # the id of the list at the page's end


class ClaimError(Exception):
    """A marker the build cannot stand behind; the message names the page and line."""


@dataclass(frozen=True)
class Claim:
    line: int  # in the page as written
    step: str
    indexes: tuple[int, ...]  # the steps of that name (one per release when a step differs between them)
    passed_on: tuple[str, ...]  # release names its lab passed these steps on
    other: tuple[str, ...]  # release names where it failed or has not run yet
    day: str | None  # of the latest passing run


_CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")


def _outside_fences(source: str) -> list[tuple[int, str]]:
    """(1-based line, text) of every line no fenced block holds: a marker shown as code stays code."""
    inside = {n for fence in lex(source) for n in range(fence.first, fence.last + 1)}
    return [(n + 1, line) for n, line in enumerate(source.split("\n")) if n not in inside]


def _markers(text: str) -> list[re.Match]:
    """The markers of one line, those in inline code (`((lab: …))` written about) left out."""
    blanked = _CODE_SPAN.sub(lambda span: " " * len(span[0]), text)
    return list(MARKER.finditer(blanked))


def find(where: str, source: str, lab: Lab | None, vetted: Vetted) -> list[Claim]:
    claims = []
    for line, text in _outside_fences(source):
        for match in _markers(text):
            if lab is None:
                raise ClaimError(f"{where}:{line}: ((lab: …)) names a step of the page's lab, and no lab runs "
                                 "this page's snippets")
            steps = [step for step in lab.steps if step.name == match[1]]
            if not steps:
                raise ClaimError(f"{where}:{line}: ((lab: {match[1]})): no step of lab {lab.name} is named so; a "
                                 "step's name is its name:, or the snippet it runs")
            claims.append(_claim(line, match[1], steps, lab, vetted))
    return claims


def _claim(line: int, name: str, steps: list[Step], lab: Lab, vetted: Vetted) -> Claim:
    passed, other, days = [], [], []
    for release in lab.releases:
        on = [step.index for step in lab.steps_on(release.key) if step in steps]
        if not on:
            continue
        result = vetted.results.get(Run(lab.name, release.key))
        ran = {step.index: step.outcome for step in result.steps} if result else {}
        if all(ran.get(index) == PASSED for index in on):
            passed.append(release.name)
            days.append(result.started[:10])
        else:
            other.append(release.name)
    return Claim(line, name, tuple(step.index for step in steps), tuple(passed), tuple(other),
                 max(days) if days else None)


def render(where: str, markdown: str, claims: list[Claim]) -> str:
    """The markers of `markdown` (the page as converted, the same markers as `claims`, in order) as numbered
    marks, and the list they point to at the page's end."""
    outside = {line for line, _ in _outside_fences(markdown)}
    lines = markdown.split("\n")
    found = [(n, match.start(), match.end()) for n, text in enumerate(lines, 1) if n in outside
             for match in _markers(text)]
    if len(found) != len(claims):
        raise ClaimError(f"{where}: its ((lab: …)) markers changed between reading the page and rendering it; "
                         "something else rewrote them")
    for (n, start, end), number in reversed(list(zip(found, range(1, len(found) + 1)))):
        lines[n - 1] = lines[n - 1][:start] + _mark(number, claims[number - 1]) + lines[n - 1][end:]
    items = "\n".join(_item(n, claim) for n, claim in enumerate(claims, 1))
    return "\n".join(lines) + (f"\n\n## Checked by the lab {{#{SECTION}}}\n\n"
                               f'<ol class="lab-checks">\n{items}\n</ol>\n')


def _mark(n: int, claim: Claim) -> str:
    state = "passed" if claim.passed_on and not claim.other else "unverified"
    return (f'<sup class="lab-check" data-lab-check="{state}"><a id="lab-check-ref-{n}" href="#lab-check-{n}" '
            f'aria-label="Checked by the lab: note {n}">{"✓" if state == "passed" else "?"}{n}</a></sup>')


def _item(n: int, claim: Claim) -> str:
    steps = ("Steps " if len(claim.indexes) > 1 else "Step ") + " and ".join(str(index) for index in claim.indexes)
    said = []
    if claim.passed_on:
        day = date.fromisoformat(claim.day)
        said.append(f"passed on {' and '.join(claim.passed_on)}, {day.day} {day:%b %Y}")
    if claim.other:
        said.append(f"not passed on {' and '.join(claim.other)} yet")
    return (f'<li id="lab-check-{n}">{steps}, “{escape(claim.step)}”: {"; ".join(said)}. '
            f'<a href="#lab-check-ref-{n}" aria-label="Back to the text">↩</a></li>')

"""Expected-output patterns in the spellings cram, prysk and trycmd users know.

Line by line and exact, except: a line `...` matches any number of lines (zero too); `[..]` inside a line
matches any run of characters; a line ending in ` (re)` is a full-line regular expression; one ending in
` (glob)` uses `*` and `?`. Trailing whitespace and surrounding blank lines are ignored.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

ELLIPSIS = "..."


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


@lru_cache(maxsize=4096)
def _line_pattern(expected: str) -> re.Pattern | None:
    """A compiled pattern for a pattern line, or None where the line must match exactly."""
    if expected.endswith(" (re)"):
        return re.compile(expected[: -len(" (re)")])
    if expected.endswith(" (glob)"):
        glob = expected[: -len(" (glob)")]
        return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob))
    if "[..]" in expected:
        return re.compile(".*".join(re.escape(part) for part in expected.split("[..]")))
    return None


def line_matches(expected: str, actual: str) -> bool:
    pattern = _line_pattern(expected)
    return pattern.fullmatch(actual) is not None if pattern else expected == actual


def matches(expected: str, actual: str) -> bool:
    want, got = _lines(expected), _lines(actual)

    @lru_cache(maxsize=None)
    def fits(i: int, j: int) -> bool:
        if i == len(want):
            return j == len(got)
        if want[i] == ELLIPSIS:
            return fits(i + 1, j) or (j < len(got) and fits(i, j + 1))
        return j < len(got) and line_matches(want[i], got[j]) and fits(i + 1, j + 1)

    return fits(0, 0)


def mismatch(expected: str, actual: str, label: str = "output") -> str | None:
    """None when actual fits expected; otherwise a unified diff in which pattern lines that matched are
    shown as written, so the diff points at the lines that really differ."""
    if matches(expected, actual):
        return None
    want, got = _lines(expected), _lines(actual)
    patterns = [line for line in want if line != ELLIPSIS]
    shown = [next((p for p in patterns if line_matches(p, line)), line) for line in got]
    if ELLIPSIS in want:
        shown = _fold_into_ellipses(want, shown)
    diff = difflib.unified_diff(want, shown, f"expected {label}", f"actual {label}", lineterm="", n=3)
    return "\n".join(diff) or f"expected {label} and actual {label} differ only in blank lines"


def _fold_into_ellipses(want: list[str], shown: list[str]) -> list[str]:
    """Replace runs of actual lines that an `...` of the pattern absorbs by that `...` line."""
    matcher = difflib.SequenceMatcher(a=want, b=shown, autojunk=False)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal" and want[i1:i2] == [ELLIPSIS]:
            out.append(ELLIPSIS)
        elif tag == "insert" and out and out[-1] == ELLIPSIS:
            continue
        else:
            out.extend(shown[j1:j2])
    return out

"""Placeholders a reader fills in (`<END_LOG_POS>`), which a lab fills from fixed values or from what an
earlier step printed. The page shows the placeholder; the lab runs the snippet with the value."""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*)>")


def names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fill(text: str, values: dict[str, str]) -> str:
    """Known placeholders replaced; others (say, in a usage comment) stay as the reader sees them. One the
    lab forgot to fill makes the command fail, so the step goes red rather than passing by accident."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)

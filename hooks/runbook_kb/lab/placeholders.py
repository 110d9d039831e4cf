"""Placeholders a reader fills in (`<END_LOG_POS>`), which a lab fills from fixed values or from what an
earlier step printed. The page shows the placeholder; the lab runs the snippet with the value."""

from __future__ import annotations

import re

NAME = r"[A-Z][A-Z0-9_]*"
PLACEHOLDER = re.compile(rf"<({NAME})>")


def names(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fill(text: str, values: dict[str, str]) -> str:
    """Known placeholders replaced; others (say, in a usage comment) stay as the reader sees them. One the
    lab forgot to fill makes the command fail, so the step goes red rather than passing by accident."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


# Other spellings of "fill this in": a reader should meet one form only, <UPPER_CASE>, marked on the page.
OTHER_FORMS = re.compile(r"<[a-z][a-z0-9_ -]*>|\{\{\s*\w+\s*\}\}|\bYOUR_[A-Z0-9_]+\b|\b[A-Z_]+_HERE\b")
MARKUP = {".html", ".htm", ".xml", ".php", ".svg"}  # where <lower> is a tag, not a placeholder


COMMENTS = ("#", "//", "--", ";")  # how the snippets' languages (shell, PHP, SQL, ini files) start a comment


def other_forms(text: str) -> list[tuple[int, str]]:
    """(line, token) of placeholder-like tokens in another form; comment lines (a config file's own header,
    such as fstab's `# <file system> <mount point>`) are data, not placeholders."""
    return [(number, match.group()) for number, line in enumerate(text.splitlines(), 1)
            if not line.lstrip().startswith(COMMENTS)
            for match in OTHER_FORMS.finditer(line)]

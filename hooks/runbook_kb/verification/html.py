"""Author-written text as HTML, in one place: every title, note, path and option a page, a badge, a figure
or the status page shows passes through `text` exactly once, where it is put into HTML (or into Markdown
that becomes HTML)."""

from __future__ import annotations

from html import escape


def text(value: object) -> str:
    """Safe as element content and as a quoted attribute value."""
    return escape(str(value), quote=True)

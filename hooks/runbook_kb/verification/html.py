"""Author-written text as HTML, in one place: every title, note, path and option a page, a badge, a figure
or the status page shows passes through `text` exactly once, where it is put into HTML (or into Markdown
that becomes HTML)."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

# What Markdown would read as syntax in a line of text: links and images (brackets), emphasis, code, a table's
# pipes, escapes, attr_list's braces (which put attributes, onclick= among them, on the cell). As character
# references it is text again; `<`, `>` and `&` already are.
_MARKDOWN = re.compile(r"[\\`*_\[\]{}!|]")


def text(value: object) -> str:
    """Safe as element content and as a quoted attribute value."""
    return escape(str(value), quote=True)


def markdown_text(value: object) -> str:
    """Safe where Markdown is still to be read (a table cell of the status page): text, on one line, that no
    Markdown turns into a link, an image or markup."""
    return _MARKDOWN.sub(lambda m: f"&#{ord(m[0])};", text(value)).replace("\n", " ").replace("\r", " ")


def link(page: str, anchor: str = "") -> str:
    """A link the project writes to one of the site's pages: relative, percent-encoded, so no file name can
    make it another scheme or end the Markdown link."""
    return quote(page, safe="/.-_~") + (f"#{quote(anchor, safe='-_')}" if anchor else "")

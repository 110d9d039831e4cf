"""Each included snippet's status, put on its code block: data attributes in the Markdown before it
renders, then the badge beside the block in the HTML. And the runbook's one-line summary under its title."""

from __future__ import annotations

import re
from html import unescape

from runbook_kb.includes import Include
from runbook_kb.verification import badges
from runbook_kb.verification.html import text as escape
from runbook_kb.verification.status import SnippetStatus

from .generator import Finding

# A snippet's code block, marked by brace_fence; its anchor becomes the block's id when the badge goes in.
_CONTAINER = re.compile(r'<div\b(?P<before>[^>]*?) data-snippet-anchor="(?P<id>[^"]+)"(?P<after>[^>]*)>')
_CODE = re.compile(r"<code>(.*?)</code>", re.S)


def quoted(value: str, page: str, line: int) -> str:
    """attr_list takes single or double quotes and no escapes; superfences HTML-escapes the value itself."""
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    raise Finding(f"docs/{page}:{line}: a fence option cannot hold both kinds of quote: {value}")


def brace_fence(line: str, inc: Include, status: SnippetStatus) -> str:
    """```bash title="x" → ``` { .bash title="x" data-snippet-anchor=… data-snippet=… data-snippet-status=… }
    (superfences' attribute form, which puts data attributes on the block's container). `inc` is the fence as it
    reads now, after the other fences were rewritten (a ```sigv4 declaration is shown as ```yaml)."""
    fence = re.match(r"^([ \t>]*)(`{3,}|~{3,})", line)
    attrs = [f".{inc.lang}"] if inc.lang else []
    # Not `#id`: highlight would prefix every line's three anchors with it, doubling the size of the code's
    # HTML; the id is put on the block when its badge is.
    attrs.append(f'data-snippet-anchor="{status.anchor}"')
    attrs += [f"{key}={quoted(value, status.include.page, status.include.fence_line)}"
              for key, value in inc.options.items() if key != "not-executable"]
    attrs += [f'data-snippet="{inc.ref}"', f'data-snippet-status="{status.status}"']
    return f"{fence.group(1)}{fence.group(2)} {{ {' '.join(attrs)} }}"


def with_summary(markdown: str, line: str) -> str:
    """The runbook's summary right under its title, so the page header and the blog index entry (the text
    above `<!-- more -->`) both carry it."""
    title = re.search(r"^# .*$", markdown, re.MULTILINE)
    at = title.end() if title else 0
    block = f'\n\n<p class="runbook-summary" data-runbook-summary>{escape(line)}</p>\n'
    return markdown[:at] + block + markdown[at:]


def badge_blocks(html: str, page: str, statuses: list[SnippetStatus]) -> str:
    """Each marked block gets its id and its badge. Every include must have become exactly one block, holding
    exactly the lines its status was worked out from: a badge stands beside nothing else."""
    by_anchor = {status.anchor: status for status in statuses}
    stamped: dict[str, str] = {}  # anchor → the code its block holds

    def stamp(match: re.Match) -> str:
        anchor = match.group("id")
        code = _CODE.search(html, match.end())
        stamped[anchor] = "" if anchor in stamped or code is None else unescape(re.sub(r"<[^>]+>", "", code[1]))
        if anchor not in by_anchor:
            return match[0]
        return f'<div id="{anchor}"{match.group("before")}{match.group("after")}>' + badges.badge_html(by_anchor[anchor])

    html = _CONTAINER.sub(stamp, html)
    for status in statuses:
        shown = status.shown.text if status.shown else ""
        if stamped.get(status.anchor, "").strip("\n") != shown.strip("\n"):  # Pygments drops blank ends
            raise Finding(f"docs/{page}:{status.include.fence_line}: this include did not become one code block "
                          f"holding snippet {status.include.ref} in the HTML: pymdownx.superfences reads the "
                          "fence, or one near it, differently")
    return html

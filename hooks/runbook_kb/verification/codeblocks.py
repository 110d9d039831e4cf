"""Copyable code on a runbook page that carries no status: an indented block, raw `<pre>`, or any other
form the snippet includes do not cover. Found in the page's HTML, where every form has become `<pre>`."""

from __future__ import annotations

import re
from html import unescape

# A block that is accounted for: a snippet include's container (it gets its badge), or a block the SigV4
# worked example generates from a declaration that is itself an include with its badge.
_ACCOUNTED = re.compile(r'<div\b[^>]*\b(?:data-snippet-anchor|data-sigv4)="[^"]*"[^>]*>'
                        r'(?:<span class="filename">.*?</span>)?(?=<pre\b)', re.S)
_PRE = re.compile(r"<pre\b[^>]*>(?P<body>.*?)</pre>", re.S)
_INCLUDE = re.compile(r'<div\b[^>]*\bdata-snippet="(?P<snippet>[^"]*)" data-snippet-status="(?P<status>[^"]*)"')
_GENERATED = re.compile(r'<div\b(?P<attrs>[^>]*\bdata-sigv4="[^"]*"[^>]*)>')


def unstamped(html: str) -> list[str]:
    """The first line of code in each `<pre>` that no status covers, in page order."""
    accounted = {match.end() for match in _ACCOUNTED.finditer(html)}
    found = []
    for pre in _PRE.finditer(html):
        if pre.start() in accounted:
            continue
        code = unescape(re.sub(r"<[^>]+>", "", pre["body"]))
        found.append(next((line.strip() for line in code.splitlines() if line.strip()), ""))
    return found


def source_line(source: str, code_line: str) -> int:
    """Where a block's first line of code sits in the page's source; the first line when it is not found
    as written (raw HTML escapes it)."""
    lines = source.splitlines()
    if code_line:
        for number, line in enumerate(lines, start=1):
            if code_line in line or code_line in unescape(re.sub(r"<[^>]+>", "", line)):
                # A fenced block is named by its fence, where an author looks for it.
                opens = number > 1 and re.match(r"[ \t]*(`{3,}|~{3,})", lines[number - 2])
                return number - 1 if opens else number
    return 1


def inherit_statuses(html: str) -> str:
    """Each block a SigV4 worked example generates carries the status of the declaration above it, which
    its lab runs in those forms: what the page shows of the declaration's badge holds for them too."""
    includes = [(m.start(), m["snippet"], m["status"]) for m in _INCLUDE.finditer(html)]

    def stamp(block: re.Match) -> str:
        above = [(snippet, status) for start, snippet, status in includes if start < block.start()]
        if not above:
            return block[0]
        snippet, status = above[-1]
        return f'<div{block["attrs"]} data-snippet-status="{status}" data-generated-from="{snippet}">'

    return _GENERATED.sub(stamp, html)

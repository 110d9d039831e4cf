"""Placeholders a reader must fill in, marked where a page shows them: `<END_LOG_POS>` in a highlighted code
block becomes one span a stylesheet can mark. The text stays the same, so a copy button copies it unchanged."""

from __future__ import annotations

import re

from runbook_kb.lab.placeholders import NAME

_TAGS = r"(?:</?span\b[^>]*>)*"
# The highlighter may split "<NAME>" into several tokens: tags can sit between the brackets and the name.
_MARKED = re.compile(rf"&lt;(?P<a>{_TAGS})(?P<name>{NAME})(?P<b>{_TAGS})&gt;")
_CODE = re.compile(r"<code\b[^>]*>.*?</code>", re.S)


def _mark(match: re.Match) -> str:
    # The tags between the brackets move after the marked span, in their order: nesting stays balanced and
    # every token keeps its colour class.
    return (f'<span class="rb-placeholder" title="Fill in: {match["name"]}">&lt;{match["name"]}&gt;</span>'
            f'{match["a"]}{match["b"]}')


def mark_placeholders(html: str) -> str:
    return _CODE.sub(lambda code: _MARKED.sub(_mark, code.group()), html)

"""Finding ```barcode fences in a page's Markdown and putting something else in their place."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})barcode(?:[ \t]+(?P<info>.*))?$")


@dataclass(frozen=True)
class Fence:
    first: int  # 0-based index of the opening line
    last: int  # 0-based index of the closing line
    indent: str
    info: str
    body: str


def find(markdown: str) -> list[Fence]:
    lines = markdown.split("\n")
    fences, i = [], 0
    while i < len(lines):
        match = _OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() != match["fence"]:
            end += 1
        body = "\n".join(line[len(match["indent"]):] for line in lines[i + 1 : end])
        fences.append(Fence(i, min(end, len(lines) - 1), match["indent"], (match["info"] or "").strip(), body))
        i = end + 1
    return fences


def replace(markdown: str, render: Callable[[Fence], str]) -> str:
    """Each fence becomes render(fence), indented like the fence (so it stays inside tabs and admonitions)."""
    lines = markdown.split("\n")
    for fence in reversed(find(markdown)):
        html = [fence.indent + line if line else line for line in render(fence).split("\n")]
        lines[fence.first : fence.last + 1] = html
    return "\n".join(lines)

"""Finding the fenced blocks of one language (```barcode, ```sigv4) in a page's Markdown and putting something
else in their place, indented like the fence so the result stays inside tabs and admonitions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


def _opening(lang: str) -> re.Pattern:
    return re.compile(rf"^(?P<indent>[ \t]*)(?P<fence>`{{3,}}|~{{3,}}){re.escape(lang)}(?:[ \t]+(?P<info>.*))?$")


@dataclass(frozen=True)
class Fence:
    first: int  # 0-based index of the opening line
    last: int  # 0-based index of the closing line
    indent: str
    info: str
    body: str
    index: int = 0  # the n-th fence of its language in the text


def find(markdown: str, lang: str) -> list[Fence]:
    opening = _opening(lang)
    lines = markdown.split("\n")
    fences, i = [], 0
    while i < len(lines):
        match = opening.match(lines[i])
        if not match:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() != match["fence"]:
            end += 1
        body = "\n".join(line[len(match["indent"]):] for line in lines[i + 1 : end])
        fences.append(Fence(i, min(end, len(lines) - 1), match["indent"], (match["info"] or "").strip(), body,
                            len(fences)))
        i = end + 1
    return fences


def replace(markdown: str, lang: str, render: Callable[[Fence], str]) -> str:
    lines = markdown.split("\n")
    for fence in reversed(find(markdown, lang)):
        html = [fence.indent + line if line else line for line in render(fence).split("\n")]
        lines[fence.first : fence.last + 1] = html
    return "\n".join(lines)


def source_lines(source: str, lang: str) -> list[int]:
    """1-based lines of the fences of one language in a page's source file (front matter included): the n-th
    fence a plugin sees in the page's Markdown is the n-th here, however other plugins moved its lines."""
    return [fence.first + 1 for fence in find(source, lang)]

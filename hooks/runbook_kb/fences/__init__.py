"""Fenced code blocks in a page's Markdown: the fences of one language (```barcode, ```sigv4) found and put
something else in their place, prefixed like the fence so the result stays inside tabs and admonitions. The
fences are CommonMark's (lexer.py), so a fence shown inside a longer one is content, not a fence."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from .lexer import Fence, lex

__all__ = ["Fence", "find", "lex", "replace", "source_lines"]


def find(markdown: str, lang: str) -> list[Fence]:
    found = [fence for fence in lex(markdown) if fence.lang == lang]
    return [dataclasses.replace(fence, index=n) for n, fence in enumerate(found)]


def replace(markdown: str, lang: str, render: Callable[[Fence], str]) -> str:
    lines = markdown.split("\n")
    for fence in reversed(find(markdown, lang)):
        html = [fence.prefix + line if line else line for line in render(fence).split("\n")]
        lines[fence.first : fence.last + 1] = html
    return "\n".join(lines)


def source_lines(source: str, lang: str) -> list[int]:
    """1-based lines of the fences of one language in a page's source file (front matter included): the n-th
    fence a page's Markdown holds is the n-th here, however the fences before it were rewritten."""
    return [fence.first + 1 for fence in find(source, lang)]

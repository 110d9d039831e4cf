"""Fenced code blocks as CommonMark reads them, inside the containers Python-Markdown pages use.

A fence opens with three or more backticks or tildes, indented at most three columns past its container's
content; it closes on a line of the same character, at least as long, indented at most three columns, with
nothing after it but spaces; unclosed, it runs to the end of its container or of the text. A backtick
fence's info string holds no backtick. The content loses as much indentation as the opening fence had.

Containers are what puts a fence in a deeper column on these pages: admonitions (`!!!`, `???`), content
tabs (`===`), definitions (`:`), list items and footnotes, whose content is indented four columns past their
opening line, and block quotes (`>`). A line indented less than a container's content, not blank, closes that container, and a
fence in it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass

TAB = 4
_OPENING = re.compile(r"(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# What opens a container whose content is indented one tab stop: admonitions, collapsible blocks, tabs,
# list items, footnote definitions.
# Python-Markdown's forms: an admonition (`!!! note`, `!!!note`), a collapsible block (`??? note`, `???+`), a
# tab (`=== "Title"`, `===! "…"`, `===+ "…"`), a definition (`:   text`), a footnote (`[^1]: text`).
_BLOCK = re.compile(r"(?:!!! ?|\?\?\?\+? ?)[\w-]|===[!+]{0,2} +\"|:[ \t]{1,3}\S|\[\^[^\]]+\]:")
# A list item; it starts a list only after a blank line or another container's opening, as in Python-Markdown
# (a `-` line right under a paragraph is part of it).
_ITEM = re.compile(r"(?:[-*+]|\d{1,9}\.)(?:[ \t]|$)")
_QUOTE = re.compile(r" {0,3}> ?")


@dataclass(frozen=True)
class Fence:
    first: int  # 0-based index of the opening line
    last: int  # 0-based index of the closing line, or of the last line in the block when it is not closed
    prefix: str  # what stands before the fence on its line (container indentation, quote markers, spaces)
    char: str  # ` or ~
    length: int
    info: str  # stripped
    content: tuple[str, ...]  # its lines, without the containers' and the fence's indentation
    closed: bool
    closing: str = ""  # the closing line's fence characters, as written
    index: int = 0  # the n-th fence of its language in the text (set by find)

    @property
    def body(self) -> str:
        return "\n".join(self.content)

    @property
    def code(self) -> str:
        """The content as CommonMark's HTML holds it: every line ended by a newline."""
        return "".join(line + "\n" for line in self.content)

    @property
    def lang(self) -> str:
        """The info string's first word, as CommonMark takes it for the language."""
        return self.info.split(None, 1)[0] if self.info else ""

    @property
    def options(self) -> str:
        """The info string after the language: `symbology="ean13" alt="…"`."""
        return self.info[len(self.lang):].strip()


def _columns(text: str) -> int:
    width = 0
    for char in text:
        width = (width // TAB + 1) * TAB if char == "\t" else width + 1
    return width


def _indent(line: str) -> int:
    return _columns(line[: len(line) - len(line.lstrip(" \t"))])


def _strip_columns(line: str, columns: int) -> str:
    """`line` without up to `columns` columns of leading whitespace."""
    taken = 0
    for at, char in enumerate(line):
        if taken >= columns or char not in " \t":
            return line[at:]
        taken = (taken // TAB + 1) * TAB if char == "\t" else taken + 1
    return ""


class _Containers:
    """The containers open at a line: each is an indentation (columns) or a block quote (None)."""

    def __init__(self):
        self.stack: list[int | None] = []
        self.may_list = True  # the line before was blank, or opened a container

    def enter(self, line: str) -> tuple[int, str, str] | None:
        """How many containers the line continues, what it leaves once their markers are taken off, and
        those markers; None when the line is blank inside a quote that it does not continue."""
        rest, depth = line, 0
        for container in self.stack:
            if container is None:
                quote = _QUOTE.match(rest)
                if not quote:
                    break
                rest = rest[quote.end():]
            elif rest.strip() and _indent(rest) < container:
                break
            else:
                rest = _strip_columns(rest, container)
            depth += 1
        return depth, rest, line[: len(line) - len(rest)] if rest else line

    def open_from(self, depth: int, rest: str) -> str:
        """Closes what the line did not continue; opens the containers the line starts. Returns what is left."""
        del self.stack[depth:]
        while True:
            quote = _QUOTE.match(rest)
            if quote and rest.strip():
                self.stack.append(None)
                rest = rest[quote.end():]
                continue
            head = rest.lstrip(" \t")
            opens = _indent(rest) < TAB and (_BLOCK.match(head) or (self.may_list and _ITEM.match(head)))
            if opens:
                self.stack.append(_indent(rest) + TAB)
            self.may_list = bool(opens) or not rest.strip()
            return rest


@functools.lru_cache(maxsize=16)  # one page's text is lexed by each step of its conversion in turn
def lex(text: str) -> tuple[Fence, ...]:
    """Every fenced code block in `text`, in order."""
    lines = text.split("\n")
    containers = _Containers()
    fences: list[Fence] = []
    number = 0
    while number < len(lines):
        depth, rest, _ = containers.enter(lines[number])
        rest = containers.open_from(depth, rest)
        opening = _OPENING.match(rest.lstrip(" ")) if _indent(rest) < TAB and not rest.startswith("\t") else None
        if opening and not (opening["fence"][0] == "`" and "`" in opening["info"]):
            fence, number = _fence(lines, number, containers, rest, opening)
            fences.append(fence)
            containers.may_list = True  # a fenced block is a block of its own
        else:
            number += 1
    return tuple(fences)


def _fence(lines: list[str], first: int, containers: _Containers, rest: str, opening: re.Match):
    """The fence opening on line `first`, and the line after it."""
    char, length, indent = opening["fence"][0], len(opening["fence"]), _indent(rest)
    prefix = lines[first][: len(lines[first]) - len(rest.lstrip(" "))]
    closing = re.compile(rf" {{0,3}}{re.escape(char)}{{{length},}}[ \t]*$")
    body, number, depth_needed = [], first + 1, len(containers.stack)
    while number < len(lines):
        depth, inner, _ = containers.enter(lines[number])
        if depth < depth_needed:
            break  # the container ends, and the fence with it
        if closing.match(inner):
            fence = _made(first, number, prefix, char, length, opening, body, True)
            return dataclasses.replace(fence, closing=inner.strip()), number + 1
        body.append(_strip_columns(inner, indent))
        number += 1
    if number == len(lines) and body and body[-1] == "" and lines[-1] == "":
        body.pop()  # the text's final newline ends the last line; it is not an empty line of code
    return _made(first, max(first, number - 1), prefix, char, length, opening, body, False), number


def _made(first, last, prefix, char, length, opening, body, closed) -> Fence:
    return Fence(first, last, prefix, char, length, opening["info"].strip(), tuple(body), closed)

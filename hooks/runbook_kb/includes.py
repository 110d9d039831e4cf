"""Where pages include snippets: fenced code blocks whose only content is a `--8<-- "file"` line.

The scan works on the page's Markdown source, so it needs no site generator and gives real line numbers; its
fences are CommonMark's (fences/lexer.py), as the fence rewriting's are. It is the only reading of includes:
the extension expands what it finds with the very text the statuses were worked out from (`expand`), and any
other line that looks like an include, which another reading might expand or leave on the page under a badge,
is refused (`stray_markers`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from .fences.lexer import lex
from .snippets import SnippetRef, is_marker

_INCLUDE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(?P<q>["'])(?P<ref>.+?)(?P=q)[ \t]*$""")
NOT_EXECUTABLE = "not-executable"


@dataclass(frozen=True)
class Include:
    page: str  # relative to docs/
    line: int  # of the `--8<--` line
    fence_line: int
    ref: SnippetRef
    lang: str
    options: dict[str, str] = field(default_factory=dict)  # fence options other than the language

    @property
    def reason(self) -> str | None:
        """The reason given on the page why this snippet cannot run in a lab, if any."""
        return self.options.get(NOT_EXECUTABLE)


@dataclass(frozen=True)
class CodeBlock:
    """A fenced block that includes no snippet (reported by the adapters where pages must not have any)."""

    page: str
    line: int
    lang: str = ""


class FenceError(ValueError):
    pass


def parse_info(info: str) -> tuple[str, dict[str, str]]:
    """`bash title="x y" not-executable="why"` → ("bash", {...}). Brace forms are left to the author."""
    try:
        words = shlex.split(info)
    except ValueError as exc:
        raise FenceError(f"cannot parse fence options {info!r}: {exc}") from None
    lang = words.pop(0) if words and "=" not in words[0] else ""
    options = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            raise FenceError(f"fence option {word!r} is not key=\"value\"")
        options[key] = value
    return lang, options


def include_ref(body: str) -> SnippetRef | None:
    """The snippet a fence's body includes, when the body is a single `--8<-- "file"` line."""
    lines = body.strip("\n").split("\n")
    match = _INCLUDE.match(lines[0]) if len(lines) == 1 else None
    return SnippetRef.parse(match["ref"]) if match else None


def stray_markers(page: str, markdown: str, includes: list[Include]) -> None:
    """Refuses a line that looks like an include but is not one this scan found: in prose, an admonition, a
    list item or raw HTML, two in one fence, the block form, a URL. Nothing would expand it, and the page
    would show it under the status of the fence it sits in."""
    expanded = {inc.line for inc in includes}
    for number, line in enumerate(markdown.split("\n"), 1):
        if number not in expanded and is_marker(line):
            raise FenceError(f"{page}:{number}: an include is a fence whose only line is --8<-- \"file\" "
                             "(or file:first:last): this line is not one, and nothing would expand it")


def scan(page: str, markdown: str) -> tuple[list[Include], list[CodeBlock]]:
    includes: list[Include] = []
    others: list[CodeBlock] = []
    for fence in lex(markdown):
        start = fence.first + 1
        include = _INCLUDE.match(fence.content[0]) if len(fence.content) == 1 else None
        if not include:
            info = fence.info.lstrip("{").strip().lstrip(".")
            others.append(CodeBlock(page, start, re.split(r"[\s{}]", info, maxsplit=1)[0] if info else ""))
            continue
        try:
            lang, options = parse_info(fence.info)
        except ValueError as exc:
            raise FenceError(f"{page}:{start}: {exc}") from None
        try:
            ref = SnippetRef.parse(include["ref"])
        except ValueError as exc:
            raise FenceError(f"{page}:{start + 1}: {exc}") from None
        includes.append(Include(page, start + 1, start, ref, lang, options))
    return includes, others


def expand(opening: str, line: str, text: str) -> list[str]:
    """An include line's place on the page: the snippet's lines, each behind what stood before `--8<--` (the
    fence's container: indentation, quote markers). `opening` is the fence's first line: a snippet line that
    would close it would let the rest of the snippet out of the code block, as page Markdown."""
    fence = re.match(r"[ \t>]*(`{3,}|~{3,})", opening)
    closes = re.compile(rf" {{0,3}}{re.escape(fence[1][0])}{{{len(fence[1])},}}[ \t]*$")
    rows = text.removesuffix("\n").split("\n") if text else []
    for number, row in enumerate(rows, 1):
        if closes.match(row):
            raise FenceError(f"line {number} of the snippet would close the fence that includes it: open the "
                             f"fence with more {fence[1][0]} than the snippet's longest run")
    prefix = line[: len(line) - len(line.lstrip(" \t>"))]
    return [prefix + row for row in rows]


def scan_docs(docs_dir: Path) -> dict[str, list[Include]]:
    """Page (relative to docs/) → its includes, for every Markdown page."""
    found = {}
    for path in sorted(docs_dir.rglob("*.md")):
        page = path.relative_to(docs_dir).as_posix()
        found[page] = scan(page, path.read_text(encoding="utf-8"))[0]
    return found


def pages_showing(index: dict[str, list[Include]], snippet: str) -> list[Include]:
    """The includes of one snippet file, from a scan_docs() index."""
    return [inc for incs in index.values() for inc in incs if inc.ref.path == snippet]

"""A reference to a snippet file or a line range of it, spelled as pymdownx.snippets spells it."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import SpecError
from .textfile import read_text


# pymdownx.snippets' markers, loosely: an include, a block of includes, a section's start or end.
_MARKER = re.compile(r"^[ \t>]*-{1,}8<-{1,}(?:[ \t]|$)|-{1,}8<-{1,}[ \t]+\[[ \t]*(?:start|end)[ \t]*:")


_NAME = re.compile(r"[\w.+-]+(?:/[\w.+-]+)*")


def is_marker(line: str) -> bool:
    return bool(_MARKER.search(line))


def marker_line(text: str) -> int | None:
    """The 1-based line of the first include or section marker in a text: a snippet holds none."""
    return next((number for number, line in enumerate(text.split("\n"), 1) if is_marker(line)), None)


@dataclass(frozen=True)
class SnippetRef:
    path: str  # relative to the snippets folder, e.g. "saslauthd/count-workers.sh"
    start: int | None = None
    end: int | None = None

    @property
    def runbook(self) -> str:
        """The runbook, and so the lab, the snippet belongs to: its folder under snippets/."""
        return self.path.split("/", 1)[0]

    @classmethod
    def parse(cls, text: str) -> SnippetRef:
        """`file`, `file:start`, `file:start:end` (1-based, inclusive), as in `--8<-- "file:2:4"`."""
        if re.match(r"[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
            raise ValueError(f"{text!r} is a URL: a snippet is a file under snippets/, which a lab can run")
        parts = text.split(":")
        path, numbers = parts[0], parts[1:3]
        if not _NAME.fullmatch(path):
            raise ValueError(f"snippet name {path!r}: letters, digits and . _ + - / only, as a page's HTML and a "
                             "lab's shell take it as it is")
        if len(parts) > 3:
            raise ValueError(f"not a snippet reference: {text!r}")
        try:
            bounds = [int(n) if n else None for n in numbers]
        except ValueError:
            raise ValueError(f"line range of {text!r} is not numeric (sections are not supported: give the "
                             "lines, file:first:last)") from None
        start = bounds[0] if bounds else None
        end = bounds[1] if len(bounds) > 1 else None
        if (start is not None and start < 1) or (start and end and end < start):
            raise ValueError(f"bad line range in {text!r}")
        return cls(path, start, end)

    def __str__(self) -> str:
        if self.start is None and self.end is None:
            return self.path
        return f"{self.path}:{self.start or ''}:{self.end or ''}".rstrip(":")

    def span(self, total_lines: int) -> tuple[int, int]:
        """The 1-based inclusive line span this reference selects in a file of total_lines lines."""
        return (self.start or 1, min(self.end or total_lines, total_lines))


@dataclass(frozen=True)
class SnippetText:
    ref: SnippetRef
    first_line: int
    last_line: int
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def confined(root: Path, relative: str, what: str, base: Path | None = None) -> Path:
    """(base or root)/relative, which must stay inside root: no absolute path, no way out through `..` or a
    link."""
    path = ((base or root) / relative).resolve()
    if Path(relative).is_absolute() or not path.is_relative_to(root.resolve()):
        raise ValueError(f"{what} {relative!r} is outside {root.resolve().name}/, where it must be")
    return path


def read_snippet(snippets_dir: Path, ref: SnippetRef) -> SnippetText:
    """The selected lines of a snippet; raises FileNotFoundError or ValueError for a bad reference: a path
    outside the snippets folder, a folder, or a range past the file's end."""
    path = confined(snippets_dir, ref.path, "snippet")
    if path.is_dir():
        raise ValueError(f"snippet {ref.path!r} is a folder, not a file")
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), str(path))
    try:
        text = read_text(path)
    except SpecError as exc:
        raise ValueError(f"snippets/{ref.path}:{exc.line or 1}: {exc.message}") from None
    if (at := marker_line(text)) is not None:
        raise ValueError(f"snippets/{ref.path}:{at}: a snippet cannot include another or mark a section "
                         "(--8<--): the page would show one text and the lab run another")
    return select(ref, text)


def select(ref: SnippetRef, text: str) -> SnippetText:
    """The lines `ref` selects of a snippet file's whole text (as read, or as a mutant changed it)."""
    lines = text.split("\n")
    lines = [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])  # \n alone ends a line
    first, last = ref.span(len(lines))
    if max(ref.start or 0, ref.end or 0) > len(lines):
        raise ValueError(f"snippet {ref}: the file has only {len(lines)} lines")
    return SnippetText(ref, first, last, "".join(lines[first - 1 : last]))

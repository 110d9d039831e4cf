"""```example fences on the guide's pages: a real file under docs/guide/examples/, shown as its source and,
with `render="yes"`, drawn as a page draws it, so the guide's barcode, SigV4 and topology examples are made by
the very code they document. The tests load the same files."""

from __future__ import annotations

import re
from pathlib import Path

from runbook_kb.errors import SpecError
from runbook_kb.fences import Fence
from runbook_kb.includes import FenceError, parse_info
from runbook_kb.textfile import read_text

from . import generator
from .stamps import quoted

FOLDER = "guide/examples"  # under docs/
LANGUAGES = {".yml": "yaml", ".yaml": "yaml", ".txt": "markdown", ".sh": "bash", ".py": "python"}


def show(md, site, where: str, line: int, fence: Fence, rewrite) -> str:
    name = fence.body.strip()
    try:
        _, options = parse_info(f"x {fence.options}")
        path = (site.layout.docs / FOLDER / name).resolve()
        if not path.is_relative_to((site.layout.docs / FOLDER).resolve()):
            raise FenceError(f"{name!r} is outside docs/{FOLDER}/, where examples are")
        text = read(path).rstrip("\n")
    except (FenceError, SpecError) as exc:
        generator.fail(md, f"{where}:{line + 1}: example: {exc}")
    # Longer than any run of backticks in the example, so a fence in it stays content: an include in it is
    # shown, not expanded.
    ticks = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", text)), default=0))
    lang = LANGUAGES.get(path.suffix, "text")
    title = quoted(options.get("title", f"docs/{FOLDER}/{name}"), where.removeprefix("docs/"), line)
    # data-example: what a reader copies from the block is the file (the browser tests compare the two).
    out = f'{ticks} {{ .{lang} title={title} data-example="{name}" }}\n{text}\n{ticks}\n'
    if options.get("render") == "yes":
        out += "\n" + rewrite(md, site, f"docs/{FOLDER}/{name}", text, text) + "\n"
    return out


def read(path: Path) -> str:
    """An example's text (`mkdocs serve` watches what this reads)."""
    return read_text(path)

"""What a conversion was made from, so that `mkdocs serve` can tell whether a rebuild may take it over."""

from __future__ import annotations

import copy
import logging
import os
from contextlib import contextmanager
from pathlib import Path

from mkdocs.structure.toc import TableOfContents


class Kept:
    """Results by name, over two generations: what this rebuild used, and what the one before made."""

    def __init__(self):
        self.current: dict = {}
        self.previous: dict = {}

    def get(self, name, key):
        entry = self.current.get(name) or self.previous.pop(name, None)
        if entry is None or entry[0] != key or not unchanged(entry[1]):
            return None
        self.current[name] = entry
        return entry[2]

    def put(self, name, key, reads, value):
        self.current[name] = (key, reads, value)
        self.previous.pop(name, None)

    def next_rebuild(self):
        self.previous, self.current = self.current, {}


reads_under_way: list[dict[str, tuple[int, int]]] = []  # example files read by the conversions under way
made_under_way: list[dict[str, Path]] = []  # generated files (barcodes, lab screenshots) their pages refer to


def signature(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


# Each example file is looked at once per rebuild, however many pages and excerpts include it; a file saved
# during a rebuild starts another one, which looks again.
looked_at: dict[str, tuple[int, int] | None] = {}


def unchanged(reads: dict[str, tuple[int, int]]) -> bool:
    for path, recorded in reads.items():
        if path not in looked_at:
            looked_at[path] = signature(path)
        if looked_at[path] != recorded:
            return False
    return True


class _Warned(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record):
        self.seen = True


@contextmanager
def recording():
    """The example files a conversion reads, the generated files its page refers to, and whether it warned
    (MkDocs' own logger does not propagate)."""
    reads: dict[str, tuple[int, int]] = {}
    made: dict[str, Path] = {}
    warned = _Warned()
    loggers = (logging.getLogger(), logging.getLogger("mkdocs"))
    reads_under_way.append(reads)
    made_under_way.append(made)
    for logger in loggers:
        logger.addHandler(warned)
    try:
        yield reads, made, warned
    finally:
        reads_under_way.pop()
        made_under_way.pop()
        for logger in loggers:
            logger.removeHandler(warned)


def copy_toc(toc: TableOfContents) -> TableOfContents:
    """A fresh table of contents: the blog appends excerpts' headings to its views' tables."""
    def item(link):
        fresh = copy.copy(link)
        fresh.children = [item(child) for child in link.children]
        return fresh
    return TableOfContents([item(link) for link in toc.items])


def toc_key(items) -> tuple:
    return tuple((link.title, link.id, link.level, toc_key(link.children)) for link in items)

"""What the extensions need to know of the generator running them, and nothing more: which page is being
converted, how a finding stops the build, where a generated file goes, and which ids the page has.

Python-Markdown has no notion of a page or a site, so each generator is asked in its own terms: MkDocs (and
Material's blog excerpts) put the page's File on the `relpath` treeprocessor; Zensical puts its Page on the
`ContextPreprocessor` it adds to every conversion.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import os
import sys
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.runbook_kb")  # under mkdocs., so `mkdocs build --strict` counts it

MKDOCS, ZENSICAL = "mkdocs", "zensical"


def generator(md) -> str | None:
    if "relpath" in md.treeprocessors:
        return MKDOCS
    if any(type(p).__name__ == "ContextPreprocessor" for p in md.preprocessors):
        return ZENSICAL
    return None


def page_of(md) -> str | None:
    """The page being converted, relative to docs/ (`posts/saslauthd.md`); None outside a site build."""
    if "relpath" in md.treeprocessors:
        return md.treeprocessors["relpath"].file.src_uri
    for processor in md.preprocessors:
        if type(processor).__name__ == "ContextPreprocessor":
            return processor.page.path
    return None


class Finding(Exception):
    """A mistake in the site's sources that no build may publish; its message names file and line."""


def fail(md, message: str):
    """Stops the build with one message and no traceback, as each generator allows."""
    if generator(md) == ZENSICAL:
        # Zensical prints a traceback for any exception out of an extension, and it writes into a directory
        # the project's build command replaces only on success (`make site-zensical`).
        print(f"Error: {message}", file=sys.stderr, flush=True)
        os._exit(1)
    from mkdocs.exceptions import PluginError  # noqa: PLC0415 - MkDocs' own clean stop
    raise PluginError(message)


def warn(md, message: str) -> None:
    """A finding the page can still be drawn around (a failure box where a barcode would be). MkDocs counts
    the warning and `--strict` stops at the end of the build; Zensical counts no Python warning, so there it
    stops the build at once."""
    if generator(md) == ZENSICAL:
        fail(md, message)
    log.warning(message)


# Under MkDocs, files the pages refer to but the docs folder does not hold: a plugin copies them into the
# site after the build (site path → file).
published: dict[str, Path] = {}


def asset_url(md, site_path: str, file: Path) -> str:
    """The URL a page uses for a generated file. Zensical has no way to add a file to the site from an
    extension, so there the file travels inside the page as a data: URL."""
    if generator(md) != MKDOCS:
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f"data:{kind};base64,{base64.b64encode(file.read_bytes()).decode()}"
    published[site_path] = file
    # The URL of the page being drawn: a blog excerpt's is the index, archive or category page showing it.
    from mkdocs.utils import get_relative_url  # noqa: PLC0415 - MkDocs' own, as its links use
    return get_relative_url(site_path, md.treeprocessors["relpath"].file.url)


def register_anchors(md, ids) -> None:
    """The snippet ids sit in HTML the Markdown tree never held, out of sight of MkDocs' anchor collection;
    the status page links to them, so MkDocs' link validation has to know they exist."""
    if "mkdocs_extract_anchors" in md.treeprocessors:
        md.treeprocessors["mkdocs_extract_anchors"].present_anchor_ids.update(ids)

"""A workaround that matters only at a thousand pages; the built site is byte for byte the same without it."""

from __future__ import annotations

import functools

from mkdocs.structure import pages


def memoize_markdown_titles() -> None:
    """Material's blog asks `page not in posts` of every page: a scan of the post list whose equality test
    derives each post's title from its whole Markdown, for every pair of pages and posts (build time grows
    with the square of the posts). A text's title never changes, so each is derived once. Bounded, so a long
    `mkdocs serve` session does not keep every edited version."""
    if not hasattr(pages.get_markdown_title, "cache_info"):
        pages.get_markdown_title = functools.lru_cache(maxsize=8192)(pages.get_markdown_title)

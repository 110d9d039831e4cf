"""What a rebuild in `mkdocs serve` takes over from the one before it.

`mkdocs serve` rebuilds the whole site on every save, and most of a rebuild is Markdown that did not change:
each post is converted once for its page and once more for every blog index, archive and category page that
shows its excerpt (most of a large site's build), then parsed again for the search index and
counted for its reading time. This plugin keeps each of those results together with everything it was made
from: the page's Markdown, its URL, the site's file list, the Markdown configuration, what the runbook
extension put on it (statuses and the snippet lines they were worked out from) and the example files the
conversion read (by size and modification time). A rebuild gets a result back only when all of that is
unchanged, so the served site stays what a clean build makes of the same sources (`make bench` compares them
file by file after each edit).

Only under `mkdocs serve`: a one-off build has nothing to take over. A conversion that logged a warning is
not kept, so its warning comes again on every rebuild and `--strict` still stops. Results nobody asked for
during a rebuild are dropped at the next one, so a long session holds at most two rebuilds' worth.
"""

from __future__ import annotations

import copy
import os
from importlib import metadata
from pathlib import Path

from markdown import Markdown
from material.plugins.blog import plugin as blog_plugin
from material.plugins.blog import structure as blog_structure
from material.plugins.blog.structure import Excerpt
from material.plugins.search.plugin import SearchIndex
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from runbook_kb.extensions import example, generator, state
from runbook_kb.extensions.generator import Finding
from runbook_kb.extensions.runbooks import EXTENSION
from runbook_kb.layout import Layout

from .kept import (Kept, copy_toc, looked_at, made_under_way, reads_under_way, recording, signature,
                   toc_key)


_PAGES, _EXCERPTS, _SEARCH, _READTIME = Kept(), Kept(), Kept(), Kept()
_taking_over = False  # set per rebuild: once patched, the functions stay so for the process
_site: tuple = ()  # what every conversion of this rebuild depends on besides its page; see on_nav


def _site_key(files, config) -> tuple:
    pages = tuple(sorted((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files))
    markdown = repr((config["markdown_extensions"], config["mdx_configs"], config["validation"],
                     config["use_directory_urls"], config["site_url"], config["docs_dir"]))
    return pages, markdown


def _page_state(page: str) -> str | None:
    """What the runbook extension puts on the page from the rest of the site (statuses, results, the
    summary); None when the site cannot be read, and then the conversion is not taken over: it must fail."""
    site = state.build.site
    return None if site is None else site.page_key(page)


def _page_render(original):
    def render(self, config, files):
        if not _taking_over:
            return original(self, config, files)
        key = (self.markdown, self.file.url, self.file.dest_uri, _site, _page_state(self.file.src_uri))
        kept = _PAGES.get(self.file.src_uri, key)
        if kept is not None:
            self.content, toc, self._title_from_render, anchors, links, made = kept
            generator.published.update(made)
            self.toc = copy_toc(toc)
            self.present_anchor_ids = set(anchors)
            if links is not None:
                self.links_to_anchors = {files.get_file_from_path(src): dict(found) for src, found in links.items()}
            return
        with recording() as (reads, made, warned):
            original(self, config, files)
        if warned.seen:
            return
        links = (None if self.links_to_anchors is None
                 else {file.src_uri: dict(found) for file, found in self.links_to_anchors.items()})
        _PAGES.put(self.file.src_uri, key, reads, (self.content, copy_toc(self.toc), self._title_from_render,
                                                   set(self.present_anchor_ids or ()), links, made))
    return render


class _DeferredMarkdown:
    """The parser an excerpt makes when its post is read, made only once the excerpt is converted: a rebuild
    that takes over every excerpt but the edited one would otherwise build a parser per post, a cost that grows
    with the site, and never use it."""

    def __init__(self, **options):
        self.options = options
        self.registered: list[tuple] = []
        self.treeprocessors = self  # the excerpt registers its tree processors right after making the parser

    def register(self, item, name, priority):
        self.registered.append((item, name, priority))

    def made(self) -> Markdown:
        md = Markdown(**self.options)
        for item, name, priority in self.registered:
            md.treeprocessors.register(item, name, priority)
        return md


def _excerpt_parser(**options):
    return _DeferredMarkdown(**options) if _taking_over else Markdown(**options)


# Per post, this rebuild: [renders of its excerpt so far, conversions the excerpt's parser has done]. Material converts
# an excerpt for every view with one parser it never resets, so code block, tab and footnote ids go on counting
# from view to view: the n-th rendering differs from the first, and a parser must have done n conversions
# before it makes the n-th.
_excerpt_turns: dict[str, list[int]] = {}


def _excerpt_render(original):
    def render(self, page, separator):
        if not _taking_over:
            return original(self, page, separator)
        post = self.post
        turns = _excerpt_turns.setdefault(post.file.src_uri, [0, 0])
        nth = turns[0]
        turns[0] += 1
        key = (post.markdown, post._title_from_render, post.title, post.url, page.url, separator, _site,
               _page_state(post.file.src_uri))
        name = (post.file.src_uri, nth)
        kept = _EXCERPTS.get(name, key)
        if kept is not None:
            self.markdown, self.content, self.more, toc, made = kept
            generator.published.update(made)
            self.toc = copy_toc(toc)
            return
        if isinstance(self.md, _DeferredMarkdown):
            self.md = self.md.made()
        with recording() as (reads, made, warned):
            while turns[1] <= nth:
                original(self, page, separator)
                turns[1] += 1
        if not warned.seen:
            _EXCERPTS.put(name, key, reads, (self.markdown, self.content, self.more, copy_toc(self.toc), made))
    return render


def _asset_url(original):
    def asset_url(md, site_path, file):
        url = original(md, site_path, file)
        if made_under_way and site_path in generator.published:
            made_under_way[-1][site_path] = file
        return url
    return asset_url


def _example_read(original):
    def read(path):
        if reads_under_way and (stamp := signature(path)) is not None:
            reads_under_way[-1][os.path.abspath(path)] = stamp
        return original(path)
    return read


def _search_entries(original):
    def add_entry_from_context(self, page):
        if not _taking_over:
            return original(self, page)
        meta = page.meta
        key = (page.title, page.content, toc_key(page.toc),
               repr((meta.get("search"), meta.get("title"), meta.get("tags"))))
        kept = _SEARCH.get(page.url, key)
        if kept is not None:
            self.entries.extend(copy.deepcopy(kept))
            return
        start = len(self.entries)
        original(self, page)
        _SEARCH.put(page.url, key, {}, copy.deepcopy(self.entries[start:]))
    return add_entry_from_context


def _readtime(original):
    def readtime(html, words_per_minute):
        if not _taking_over:
            return original(html, words_per_minute)
        key = (html, words_per_minute)
        kept = _READTIME.get(key, key)
        if kept is None:
            kept = original(html, words_per_minute)
            _READTIME.put(key, key, {}, kept)
        return kept
    return readtime


_installed = False


# The internals patched below, as the releases they were written against have them: another release may
# have moved or changed any of them, and a patch that no longer fits would serve stale pages without a word.
WRITTEN_FOR = {"mkdocs": "1.6", "mkdocs-material": "9.8"}


def check_versions() -> None:
    for package, series in WRITTEN_FOR.items():
        found = metadata.version(package)
        if found != series and not found.startswith(f"{series}."):
            raise PluginError(f"runbook-rebuild patches {package} {series}.x internals, and this is {package} "
                              f"{found}: check each patch in {__name__} against it, then update WRITTEN_FOR "
                              "(or set the plugin's enabled: false)")


def _install() -> None:
    global _installed
    if _installed:
        return
    check_versions()
    _installed = True
    Page.render = _page_render(Page.render)
    Excerpt.render = _excerpt_render(Excerpt.render)
    blog_structure.Markdown = _excerpt_parser
    generator.asset_url = _asset_url(generator.asset_url)
    example.read = _example_read(example.read)
    SearchIndex.add_entry_from_context = _search_entries(SearchIndex.add_entry_from_context)
    blog_plugin.readtime = _readtime(blog_plugin.readtime)


class RebuildConfig(Config):
    enabled = config_options.Type(bool, default=True)


class RebuildPlugin(BasePlugin[RebuildConfig]):
    serving = False

    def on_startup(self, *, command, dirty):
        # --dirty already skips pages (and serves stale indexes); a build runs once.
        self.serving = command == "serve" and not dirty

    def on_pre_build(self, *, config):
        global _taking_over
        _taking_over = self.config.enabled and self.serving
        if _taking_over:
            _install()
            looked_at.clear()
            _excerpt_turns.clear()
            for kept in (_PAGES, _EXCERPTS, _SEARCH, _READTIME):
                kept.next_rebuild()

    # Once per rebuild, after every plugin has added its files and before the first page is converted; an
    # excerpt's render is given neither files nor config.
    @event_priority(-100)
    def on_nav(self, nav, *, config, files):
        global _site
        if _taking_over:
            _site = _site_key(files, config)
            if EXTENSION in config.markdown_extensions:
                try:
                    state.build.get(Layout.of(Path(config.config_file_path).parent))
                except (Finding, FileNotFoundError):
                    pass  # the first conversion stops the build with it

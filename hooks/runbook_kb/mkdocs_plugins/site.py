"""What only MkDocs needs of the project, besides the extension that makes the pages: a fresh start for every
build of `mkdocs serve`, the sources checked before Material's blog reads them, the folders it watches, and
the generated files (barcodes, lab screenshots) the
pages refer to, copied into the site."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.readtime import readtime
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from runbook_kb.extensions import barcode, generator, state
from runbook_kb.extensions.generator import Finding, log
from runbook_kb.layout import Layout
from runbook_kb.verification.badges import without_badges

from .scale import memoize_markdown_titles


class SiteConfig(Config):
    enabled = opt.Type(bool, default=True)


class SitePlugin(BasePlugin[SiteConfig]):
    def on_config(self, config):
        if self.config.enabled:
            memoize_markdown_titles()
            self.layout = Layout.of(Path(config.config_file_path).parent)

    def on_serve(self, server, config, builder):
        if self.config.enabled:
            layout = self.layout
            for path in (layout.labs, layout.snippets, layout.results.parent, layout.artifacts):
                if path.exists():
                    server.watch(str(path))
        return server

    def on_pre_build(self, config):
        state.build.new()
        barcode.new_build()
        generator.published.clear()

    # Before the blog reads its posts (-50), which it does with no care for a link to nothing or a stray byte:
    # the site's sources are read and checked once, here, where a finding can still stop the build cleanly.
    @event_priority(100)
    def on_files(self, files, *, config):
        if self.config.enabled:
            try:
                state.build.get(self.layout)
            except Finding as exc:
                raise PluginError(str(exc)) from None

    # Before the blog counts a post's words: its badges are part of the content, not of the reading.
    @event_priority(10)
    def on_page_content(self, html, page, config, files):
        if not self.config.enabled or getattr(page, "config", None) is None or page.config.readtime:
            return
        for plugin in config.plugins.values():
            if isinstance(plugin, BlogPlugin) and plugin.config.post_readtime and page in plugin.blog.posts:
                page.config.readtime = readtime(without_badges(html), plugin.config.post_readtime_words_per_minute)

    def on_post_build(self, config):
        for asset, source in generator.published.items():
            target = Path(config.site_dir) / asset
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        drawn, reused = barcode.counts()
        if drawn or reused:
            log.info(f"barcodes: {drawn} rendered, {reused} from the cache")

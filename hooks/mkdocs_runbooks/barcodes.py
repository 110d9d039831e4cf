"""```barcode fences → barcode images rendered at build time into the site's assets (a thin MkDocs adapter
over hooks/barcodes). An invalid barcode is an error naming page and line; in a plain build the error shows
where the image would be, never a wrong barcode."""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority

from barcodes.render import BarcodeCache
from barcodes.spec import BarcodeError, full_data, parse
from markdownfences import Fence, replace
from verification.html import text as escape

from .pagelines import fence_lines
from .siteassets import copy_into_site

log = logging.getLogger("mkdocs.plugins.runbook-barcodes")


class BarcodeConfig(Config):
    enabled = opt.Type(bool, default=True)
    cache_dir = opt.Type(str, default="build/cache/barcodes")  # relative to mkdocs.yml; survives builds
    assets_dir = opt.Type(str, default="assets/barcodes")  # inside the site


class BarcodePlugin(BasePlugin[BarcodeConfig]):
    def on_config(self, config):
        if not self.config.enabled:
            return
        self.cache = BarcodeCache(Path(config.config_file_path).parent / self.config.cache_dir)
        self.used: dict[str, Path] = {}  # asset path in the site → cached file

    def on_pre_build(self, config):
        if self.config.enabled:
            self.cache.rendered = self.cache.reused = 0
            self.used = {}

    @event_priority(50)  # before other plugins change the page's lines, so page line numbers stay right
    def on_page_markdown(self, markdown: str, page, config, files):
        if not self.config.enabled or "barcode" not in markdown:
            return
        lines = fence_lines(page, markdown, "barcode")
        page_dir = posixpath.dirname(page.file.dest_uri)

        def image(fence: Fence) -> str:
            line = lines[fence.index]
            try:
                spec = parse(fence.info, fence.body)
            except BarcodeError as exc:
                log.warning(f"docs/{page.file.src_uri}:{line + exc.body_line}: barcode: {exc}")
                return f'!!! failure "Barcode not drawn"\n    {escape(str(exc))}\n'
            cached = self.cache.file_for(spec)
            asset = f"{self.config.assets_dir}/{cached.name}"
            self.used[asset] = cached
            src = posixpath.relpath(asset, page_dir)
            width = self.cache.width_of(spec, cached)
            return (f'<img class="barcode" src="{src}" alt="{escape(spec.alt)}" width="{width}" loading="lazy" '
                    f'data-barcode="{escape(full_data(spec))}" data-symbology="{spec.symbology}">\n')

        return replace(markdown, "barcode", image)

    def on_post_build(self, config):
        if not self.config.enabled:
            return
        copy_into_site(config.site_dir, self.used)
        log.info(f"barcodes: {self.cache.rendered} rendered, {self.cache.reused} from the cache")

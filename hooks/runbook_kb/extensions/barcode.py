"""```barcode fences → a barcode image drawn at build time. An invalid barcode is a finding naming page and
line; where the build goes on (MkDocs without --strict), a failure box stands where the image would be."""

from __future__ import annotations

from runbook_kb.barcodes.render import BarcodeCache
from runbook_kb.barcodes.spec import BarcodeError, full_data, parse
from runbook_kb.fences import Fence
from runbook_kb.verification.html import text as escape

from . import generator, state

ASSETS = "assets/barcodes"  # inside the site
_caches: dict = {}  # cache folder → BarcodeCache: the widths it has read are kept across serve's rebuilds


def draw(md, site, where: str, line: int, fence: Fence) -> str:
    try:
        spec = parse(fence.options, fence.body)
    except BarcodeError as exc:
        state.report(md, f"{where}:{line + exc.body_line}: barcode: {exc}")
        return f'!!! failure "Barcode not drawn"\n    {escape(str(exc))}\n'
    folder = site.layout.barcode_cache
    cache = _caches.setdefault(folder, BarcodeCache(folder))
    cached = cache.file_for(spec)
    src = generator.asset_url(md, f"{ASSETS}/{cached.name}", cached)
    return (f'<img class="barcode" src="{src}" alt="{escape(spec.alt)}" width="{cache.width_of(spec, cached)}" '
            f'loading="lazy" data-barcode="{escape(full_data(spec))}" data-symbology="{spec.symbology}">\n')


def counts() -> tuple[int, int]:
    """Barcodes drawn and taken from the cache since new_build()."""
    return sum(c.rendered for c in _caches.values()), sum(c.reused for c in _caches.values())


def new_build() -> None:
    for cache in _caches.values():
        cache.rendered = cache.reused = 0

"""Drawing a validated barcode with python-barcode, as SVG or PNG, dark bars on a white quiet zone so it
scans on the dark palette too; and a content-addressed cache so an unchanged barcode is never redrawn."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import barcode
from barcode.writer import ImageWriter, SVGWriter
from PIL import Image

from .spec import SYMBOLOGIES, BarcodeSpec, full_data


DPI = 300
# On screen, a bar one module wide gets 3 CSS pixels: at 1 the smallest bars blur into their neighbours and
# neither a phone camera nor a decoder reads the code from the screen.
PX_PER_MODULE = 3


def render(spec: BarcodeSpec) -> bytes:
    writer = SVGWriter() if spec.format == "svg" else ImageWriter(format="PNG")
    # Code 39's optional mod-43 character would be read as part of the data: the page declares the data alone.
    options = {"add_checksum": False} if spec.symbology == "code39" else None
    code = barcode.get(SYMBOLOGIES[spec.symbology][1], full_data(spec), writer=writer, options=options)
    out = io.BytesIO()
    code.write(out, options={
        "module_width": spec.module_width, "module_height": spec.height, "write_text": spec.text,
        "background": "white", "foreground": "black", "quiet_zone": 10 * spec.module_width + 1, "dpi": DPI,
    })
    return out.getvalue()


def screen_width(spec: BarcodeSpec, content: bytes) -> int:
    """CSS pixels to show a drawn barcode at, quiet zones included (its height follows the aspect ratio)."""
    if spec.format == "svg":
        width_mm = float(re.search(rb'<svg[^>]*\swidth="([0-9.]+)mm"', content).group(1))
    else:
        width_mm = Image.open(io.BytesIO(content)).width / DPI * 25.4
    return round(width_mm / spec.module_width * PX_PER_MODULE)


class BarcodeCache:
    """Rendered files by content address; counts what a build drew and what it reused."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.rendered = self.reused = 0
        self.widths: dict[Path, int] = {}  # kept across the rebuilds of one serve session

    def width_of(self, spec: BarcodeSpec, path: Path) -> int:
        """screen_width of a cached file, read once: the file never changes under its content address."""
        if path not in self.widths:
            self.widths[path] = screen_width(spec, path.read_bytes())
        return self.widths[path]

    def file_for(self, spec: BarcodeSpec) -> Path:
        path = self.folder / f"{spec.key}.{spec.format}"
        if path.exists():
            self.reused += 1
            return path
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(render(spec))
        os.replace(tmp, path)
        self.rendered += 1
        return path

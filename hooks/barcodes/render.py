"""Drawing a validated barcode with python-barcode, as SVG or PNG, dark bars on a white quiet zone so it
scans on the dark palette too; and a content-addressed cache so an unchanged barcode is never redrawn."""

from __future__ import annotations

import io
import os
from pathlib import Path

import barcode
from barcode.writer import ImageWriter, SVGWriter

from .spec import SYMBOLOGIES, BarcodeSpec, full_data


def render(spec: BarcodeSpec) -> bytes:
    writer = SVGWriter() if spec.format == "svg" else ImageWriter(format="PNG")
    # Code 39's optional mod-43 character would be read as part of the data: the page declares the data alone.
    options = {"add_checksum": False} if spec.symbology == "code39" else None
    code = barcode.get(SYMBOLOGIES[spec.symbology][1], full_data(spec), writer=writer, options=options)
    out = io.BytesIO()
    code.write(out, options={
        "module_width": spec.module_width, "module_height": spec.height, "write_text": spec.text,
        "background": "white", "foreground": "black", "quiet_zone": 10 * spec.module_width + 1, "dpi": 300,
    })
    return out.getvalue()


class BarcodeCache:
    """Rendered files by content address; counts what a build drew and what it reused."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.rendered = self.reused = 0

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

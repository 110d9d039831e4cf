"""Reading a rendered barcode back with a real decoder (zxing-cpp), for the tests: SVG is rasterised from
its own bars, so the check covers the file the site serves, not a re-rendering of the same data."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from PIL import Image, ImageDraw

# What zxing-cpp reports for each symbology (an ISBN-13 is an EAN-13 symbol).
ZXING_FORMAT = {"code128": "Code128", "code39": "Code39", "ean13": "EAN13", "ean8": "EAN8",
                "upca": "UPCA", "isbn13": "EAN13"}
PX_PER_MM = 12


def _mm(value: str) -> float:
    return float(re.sub(r"mm$", "", value))


def rasterise_svg(svg: bytes) -> Image.Image:
    root = ET.fromstring(svg)
    width, height = _mm(root.get("width")), _mm(root.get("height"))
    image = Image.new("L", (round(width * PX_PER_MM), round(height * PX_PER_MM)), 255)
    draw = ImageDraw.Draw(image)
    for rect in root.iter("{http://www.w3.org/2000/svg}rect"):
        if "fill:black" not in (rect.get("style") or ""):
            continue
        x, y = _mm(rect.get("x")) * PX_PER_MM, _mm(rect.get("y")) * PX_PER_MM
        w, h = _mm(rect.get("width")) * PX_PER_MM, _mm(rect.get("height")) * PX_PER_MM
        draw.rectangle([round(x), round(y), round(x + w) - 1, round(y + h) - 1], fill=0)
    return image


def decode(content: bytes, fmt: str, symbology: str) -> list[tuple[str, str]]:
    """(text, zxing format name) of every barcode of the declared kind found in an SVG or PNG file. The kind
    is passed to the decoder because a UPC-A symbol is also a valid EAN-13 one with a leading 0."""
    import zxingcpp

    image = rasterise_svg(content) if fmt == "svg" else Image.open(io.BytesIO(content)).convert("L")
    wanted = getattr(zxingcpp.BarcodeFormat, ZXING_FORMAT[symbology])
    found = [(r.text, r.format.name) for r in zxingcpp.read_barcodes(image, formats=wanted)]
    # zxing-cpp 3 spells a UPC-A as its GTIN-13 (a leading 0); the symbol itself carries 12 digits.
    return [(text[1:] if name == "UPCA" and len(text) == 13 else text, name) for text, name in found]

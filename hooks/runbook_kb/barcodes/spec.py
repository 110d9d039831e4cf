"""What a ```barcode fence declares, checked before anything is drawn: a wrong check digit or a character the
symbology cannot carry is an error, never a silently corrected barcode."""

from __future__ import annotations

import hashlib
import re
import shlex
from dataclasses import dataclass

import barcode

# name → (label, python-barcode name, what the data may be)
SYMBOLOGIES = {
    "code128": ("Code 128", "code128", "printable ASCII, 1 to 80 characters"),
    "code39": ("Code 39", "code39", "digits, upper-case letters, space and - . $ / + %"),
    "ean13": ("EAN-13", "ean13", "12 digits, or 13 with a correct check digit"),
    "ean8": ("EAN-8", "ean8", "7 digits, or 8 with a correct check digit"),
    "upca": ("UPC-A", "upca", "11 digits, or 12 with a correct check digit"),
    "isbn13": ("ISBN-13", "isbn13", "978 or 979 and 9 more digits, or 13 with a correct check digit"),
}
_LENGTHS = {"ean13": 13, "ean8": 8, "upca": 12, "isbn13": 13}
_CODE39 = re.compile(r"[0-9A-Z .$/+%-]+")
OPTIONS = {"symbology", "module-width", "height", "text", "format"}


class BarcodeError(ValueError):
    def __init__(self, message: str, body_line: int = 0):
        super().__init__(message)
        self.body_line = body_line  # where in the fence's body the problem is; 0: in its options


@dataclass(frozen=True)
class BarcodeSpec:
    symbology: str
    data: str
    module_width: float = 0.3  # mm
    height: float = 15.0  # mm
    text: bool = True
    format: str = "svg"

    @property
    def label(self) -> str:
        return SYMBOLOGIES[self.symbology][0]

    @property
    def alt(self) -> str:
        return f"{self.label} barcode: {self.data}"

    @property
    def key(self) -> str:
        """Content address of the rendered file: changes with anything that changes its bytes."""
        fields = f"{barcode.version}|{self.symbology}|{self.data}|{self.module_width}|{self.height}|{self.text}"
        return hashlib.sha256(f"{fields}|{self.format}".encode()).hexdigest()[:20]


def check_digit(digits: str) -> str:
    """EAN/UPC/ISBN-13 check digit: weights 3 and 1 alternating from the rightmost data digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def _number(name: str, value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BarcodeError(f"{name} must be a number, got {value!r}") from None
    if not low <= number <= high:
        raise BarcodeError(f"{name} must be between {low:g} and {high:g} mm, got {value}")
    return number


def parse(info: str, body: str) -> BarcodeSpec:
    """`symbology="ean13" height="12"` and the data (the fence's only non-blank line)."""
    try:
        words = shlex.split(info)
    except ValueError as exc:
        raise BarcodeError(f"cannot read the options: {exc}") from None
    options = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or key not in OPTIONS:
            raise BarcodeError(f"unknown option {word!r} (known: {', '.join(sorted(OPTIONS))})")
        options[key] = value
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    data_line = next((n for n, line in enumerate(body.splitlines(), 1) if line.strip()), 0)
    if len(lines) != 1:
        raise BarcodeError(f"a barcode fence holds exactly one line of data, found {len(lines)}")
    symbology = options.get("symbology", "code128")
    if symbology not in SYMBOLOGIES:
        raise BarcodeError(f"unknown symbology {symbology!r} (known: {', '.join(SYMBOLOGIES)})")
    text = options.get("text", "yes")
    if text not in ("yes", "no"):
        raise BarcodeError(f"text must be yes or no, got {text!r}")
    fmt = options.get("format", "svg")
    if fmt not in ("svg", "png"):
        raise BarcodeError(f"format must be svg or png, got {fmt!r}")
    spec = BarcodeSpec(
        symbology, lines[0],
        _number("module-width", options.get("module-width", "0.3"), 0.1, 1.0),
        _number("height", options.get("height", "15"), 5, 50),
        text == "yes", fmt,
    )
    try:
        validate(spec)
    except BarcodeError as exc:
        raise BarcodeError(str(exc), data_line) from None
    return spec


def validate(spec: BarcodeSpec) -> None:
    data, kind = spec.data, spec.symbology
    label, _, allowed = SYMBOLOGIES[kind]
    if kind == "code128":
        bad = sorted({c for c in data if not 32 <= ord(c) <= 126})
        if bad or not 1 <= len(data) <= 80:
            what = f"characters {''.join(bad)!r}" if bad else f"{len(data)} characters"
            raise BarcodeError(f"{label} cannot carry {what}: {allowed}")
    elif kind == "code39":
        if not _CODE39.fullmatch(data):
            raise BarcodeError(f"{label} cannot carry {data!r}: {allowed}")
    else:
        full = _LENGTHS[kind]
        if not data.isdigit() or len(data) not in (full - 1, full):
            raise BarcodeError(f"{label} needs {allowed}, got {data!r}")
        if kind == "isbn13" and not data.startswith(("978", "979")):
            raise BarcodeError(f"{label} starts with 978 or 979, got {data!r}")
        if len(data) == full and data[-1] != check_digit(data[:-1]):
            raise BarcodeError(f"{label} {data}: wrong check digit {data[-1]}, it should be {check_digit(data[:-1])}")


def full_data(spec: BarcodeSpec) -> str:
    """The data as a scanner reads it: with the check digit where the symbology has one."""
    if spec.symbology in _LENGTHS and len(spec.data) == _LENGTHS[spec.symbology] - 1:
        return spec.data + check_digit(spec.data)
    return spec.data

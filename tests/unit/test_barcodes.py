import pytest

from runbook_kb.barcodes.decode import decode
from runbook_kb.barcodes.render import BarcodeCache, render
from runbook_kb.barcodes.spec import BarcodeError, check_digit, full_data, parse

CASES = [
    ('symbology="code128"', "Hello World!"),
    ('symbology="code39"', "RUNBOOK-39"),
    ('symbology="ean13"', "4006381333931"),
    ('symbology="ean13"', "400638133393"),
    ('symbology="ean8"', "96385074"),
    ('symbology="upca"', "036000291452"),
    ('symbology="isbn13"', "9780306406157"),
]


@pytest.mark.parametrize("fmt", ["svg", "png"])
@pytest.mark.parametrize("info, data", CASES)
def test_every_symbology_decodes_to_its_data(info, data, fmt):
    spec = parse(f'{info} format="{fmt}" text="no"', data)
    assert decode(render(spec), fmt, spec.symbology) == [(full_data(spec), decode_name(spec.symbology))]


def decode_name(symbology):
    from runbook_kb.barcodes.decode import ZXING_FORMAT
    return ZXING_FORMAT[symbology]


def test_check_digits():
    assert check_digit("400638133393") == "1"
    assert check_digit("03600029145") == "2"
    assert check_digit("9638507") == "4"


@pytest.mark.parametrize("info, data, message", [
    ('symbology="ean13"', "4006381333932", "wrong check digit 2, it should be 1"),
    ('symbology="ean8"', "12345", "EAN-8 needs 7 digits"),
    ('symbology="isbn13"', "1234567890128", "starts with 978 or 979"),
    ('symbology="code39"', "lower", "Code 39 cannot carry 'lower'"),
    ('symbology="code128"', "café", "Code 128 cannot carry characters 'é'"),
    ('symbology="code128"', "x" * 81, "cannot carry 81 characters"),
    ('symbology="qr"', "x", "unknown symbology 'qr'"),
    ('height="2"', "x", "height must be between 5 and 50 mm"),
    ('module-width="wide"', "x", "module-width must be a number"),
    ('text="maybe"', "x", "text must be yes or no"),
    ('colour="red"', "x", "unknown option 'colour=red'"),
    ("", "", "exactly one line of data, found 0"),
])
def test_bad_declarations_are_refused(info, data, message):
    with pytest.raises(BarcodeError, match=message):
        parse(info, data)


def test_cache_renders_each_barcode_once(tmp_path):
    cache = BarcodeCache(tmp_path)
    spec = parse('symbology="ean8"', "9638507")
    first = cache.file_for(spec)
    assert cache.file_for(spec) == first and (cache.rendered, cache.reused) == (1, 1)
    assert cache.file_for(parse('symbology="ean8" height="10"', "9638507")) != first

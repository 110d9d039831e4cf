"""The site built by MkDocs + Material (`make site`) and by Zensical (`make site-zensical`) from the same
sources: Zensical runs the project's Python-Markdown extension but none of its MkDocs plugins, so whatever
the project adds to a page must come out the same under both (run after both builds)."""

import base64
import re
from html import unescape
from pathlib import Path

import pytest

from runbook_kb.barcodes.decode import ZXING_FORMAT, decode
from runbook_kb.layout import Layout

pytestmark = pytest.mark.built

LAYOUT = Layout.of(Path(__file__).parent)
BUILDS = {"mkdocs": LAYOUT.root / "site", "zensical": LAYOUT.build / "site-zensical"}
COMMANDS = {"mkdocs": "make site", "zensical": "make site-zensical"}
# What a page carries from the lab results: each snippet's status, its badge, the runbook's summary, and the
# status page's counts.
SNIPPET = re.compile(r'<div\b[^>]*\bdata-snippet="([^"]*)"[^>]*\bdata-snippet-status="([^"]+)"')
BADGE = re.compile(r'<details class="snippet-badge" data-status="([^"]+)"')
SUMMARY = re.compile(r"data-runbook-summary>([^<]*)<")
TOTAL = re.compile(r'data-(status|release)-total="([^"]+)">(\d+)<')
BARCODE = re.compile(r'<img class="barcode" src="([^"]+)"[^>]*data-barcode="([^"]*)" data-symbology="([^"]+)"')


def _marks(html: str) -> dict[str, list]:
    return {"snippets": SNIPPET.findall(html), "badges": BADGE.findall(html), "summaries": SUMMARY.findall(html),
            "totals": TOTAL.findall(html), "barcodes": [m[1:] for m in BARCODE.findall(html)]}


@pytest.fixture(scope="module")
def sites() -> dict[str, dict[str, str]]:
    built = {}
    for name, folder in BUILDS.items():
        if not (folder / "index.html").exists():
            pytest.fail(f"{folder.relative_to(LAYOUT.root)}/ has not been built: run `{COMMANDS[name]}` first")
        built[name] = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}
    return built


def test_both_builds_publish_the_same_pages(sites):
    assert sorted(sites["mkdocs"]) == sorted(sites["zensical"])


def test_every_page_carries_the_same_statuses_badges_summaries_and_totals(sites):
    differing = {page: (_marks(html), _marks(sites["zensical"].get(page, "")))
                 for page, html in sites["mkdocs"].items() if _marks(html) != _marks(sites["zensical"].get(page, ""))}
    assert not differing, differing
    snippets = sum(len(SNIPPET.findall(html)) for html in sites["mkdocs"].values())
    assert snippets > 100 and snippets == sum(len(BADGE.findall(html)) for html in sites["zensical"].values())


def test_the_status_page_totals_are_the_same(sites):
    totals = {name: TOTAL.findall(pages["status/index.html"]) for name, pages in sites.items()}
    assert totals["mkdocs"] == totals["zensical"] and len(totals["mkdocs"]) > 5


def test_zensical_carries_each_barcode_inside_its_page_and_it_reads_back(sites):
    """Zensical cannot add a generated file to the site, so a barcode travels as a data: URL."""
    drawn = [match for html in sites["zensical"].values() for match in BARCODE.finditer(html)]
    assert drawn
    for match in drawn:
        src, data, symbology = match.groups()
        kind, payload = re.fullmatch(r"data:image/(png|svg\+xml);base64,(.+)", src).groups()
        found = decode(base64.b64decode(payload), "svg" if kind.startswith("svg") else "png", symbology)
        assert found == [(unescape(data), ZXING_FORMAT[symbology])]

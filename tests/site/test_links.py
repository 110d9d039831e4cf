"""Every internal link and anchor of the built site resolves (links to other hosts are listed, not fetched:
the lab machines have no internet)."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from runbook_kb.layout import Layout

pytestmark = pytest.mark.built

SITE = Layout.of(Path(__file__).parent).root / "site"
ORIGIN = "http://site.invalid/"


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag in ("a", "link") and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("img", "script", "source") and attrs.get("src"):
            self.links.append(attrs["src"])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(url: str) -> Path:
    path = SITE / unquote(urlsplit(url).path).lstrip("/")
    return path / "index.html" if path.is_dir() or url.split("#")[0].endswith("/") else path


def test_internal_links_and_anchors_resolve():
    pages = {path: _parse(path) for path in SITE.rglob("*.html")}
    broken, checked = [], 0
    for path, page in pages.items():
        base = ORIGIN + path.relative_to(SITE).as_posix()
        for link in page.links:
            url = urljoin(base, link)
            if not url.startswith(ORIGIN):
                continue
            checked += 1
            target = _target(url)
            where = f"{path.relative_to(SITE)}: {link}"
            if not target.is_file():
                broken.append(f"{where} → no {target.relative_to(SITE)}")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{where} → no #{fragment} in {target.relative_to(SITE)}")
    assert broken == []
    assert checked > 500

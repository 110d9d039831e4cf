"""The built site/ served on loopback and read in Debian's Chromium, as a reader reads it."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from runbook_kb.layout import Layout

LAYOUT = Layout.of(Path(__file__).parent)
SITE = LAYOUT.root / "site"
AXE = LAYOUT.build / "node/node_modules/axe-core/axe.min.js"
# Browser context options: a laptop screen, and a phone (its pixel density matters for barcodes on screen).
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
              "has_touch": True},
}
SCHEMES = ("light", "dark")


def site_pages() -> list[str]:
    """Every page of the site as a URL path ("" for the home page), 404 page excluded."""
    pages = sorted(p.parent.relative_to(SITE).as_posix() for p in SITE.rglob("index.html")
                   if not p.relative_to(SITE).as_posix().startswith("assets/"))
    return [("" if page == "." else page + "/") for page in pages]


def post_pages() -> list[str]:
    """The runbooks: pages that include snippets."""
    return [page for page in site_pages() if 'data-snippet="' in (SITE / page / "index.html").read_text()
            and page != "status/"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


@pytest.fixture(scope="session")
def site_url():
    if not (SITE / "index.html").exists():
        pytest.fail("no built site/: run `make site` first")
    server, url = serve(SITE)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if not executable:
        pytest.fail("Debian's chromium is not installed (make host installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


# The outermost closed admonition or unselected content tab that hides an element: what a reader clicks
# first (the summary, or the tab's label), or null once nothing hides it.
FIRST_HIDER = """el => {
  const chain = [];
  for (let node = el; node; node = node.parentElement) chain.unshift(node);
  for (const [depth, node] of chain.entries()) {
    const summary = node.tagName === 'DETAILS' && node.querySelector(':scope > summary');
    if (summary && !node.open && chain[depth + 1] !== summary) return summary;  // a summary shows when closed
    if (node.classList.contains('tabbed-block') && getComputedStyle(node).display === 'none') {
      const set = node.closest('.tabbed-set');
      const input = set.querySelectorAll(':scope > input')[[...node.parentElement.children].indexOf(node)];
      return set.querySelector(`:scope > .tabbed-labels > label[for="${input.id}"]`);
    }
  }
  return null;
}"""


def reveal(locator) -> None:
    """Opens the collapsed admonitions and selects the content tabs that hide an element, by clicking them
    as a reader does: setting `open` from a script left a nested admonition drawn closed, now and then."""
    for _ in range(12):
        hider = locator.evaluate_handle(FIRST_HIDER).as_element()
        if hider is None:
            return
        hider.click()
    raise AssertionError(f"{locator} is still hidden after a dozen clicks on what hides it")

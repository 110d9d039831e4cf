"""Page weight: the bytes a reader's browser transfers for each runbook, against the same page built without
the project's plugins (plain mkdocs-material: no badges, no drawn barcodes or worked examples). Budget 1.5×."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import LAYOUT, VIEWPORTS, post_pages, serve

pytestmark = pytest.mark.browser

BUDGET = 1.5
PLAIN_SITE = LAYOUT.build / "plain-site"
REPORT = LAYOUT.build / "page-weight.json"
_weights: dict[str, dict] = {}


@pytest.fixture(scope="module")
def plain_url():
    """The same pages built with RUNBOOK_HOOKS=false, served beside the real site."""
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-d", str(PLAIN_SITE)], cwd=LAYOUT.root,
                   env={**os.environ, "RUNBOOK_HOOKS": "false", "NO_MKDOCS_2_WARNING": "1"}, check=True)
    server, url = serve(PLAIN_SITE)
    yield url
    server.shutdown()
    REPORT.write_text(json.dumps(_weights, indent=1, sort_keys=True))
    print("\npage weight (bytes transferred, this site / plain mkdocs-material):")
    for path, weight in sorted(_weights.items()):
        print(f"  {path:36} {weight['site']:>9,} / {weight['plain']:>9,}  {weight['ratio']:.2f}x")


def transferred(browser, url: str) -> int:
    """Response bytes of everything the page loads until the network is idle (images scrolled into view)."""
    context = browser.new_context(**VIEWPORTS["desktop"])
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images count too
    page.wait_for_load_state("networkidle")
    total = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in responses)
    context.close()
    return total


@pytest.mark.parametrize("path", post_pages())
def test_runbook_page_weight_within_budget(browser, site_url, plain_url, path):
    site, plain = transferred(browser, site_url + path), transferred(browser, plain_url + path)
    _weights[path] = {"site": site, "plain": plain, "ratio": round(site / plain, 3)}
    assert site <= BUDGET * plain, f"{path}: {site} bytes, {site / plain:.2f}x the plain page ({plain})"

"""Every page in both palettes at desktop and phone width: nothing broken, nothing fetched from elsewhere,
badges on screen, barcodes that still scan from the screenshot."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from runbook_kb.barcodes.decode import decode

from .conftest import FIRST_HIDER, SCHEMES, VIEWPORTS, reveal, site_pages

pytestmark = pytest.mark.browser
# Where a badge sits, for a report that it is not on screen: each ancestor with its display and height.
ANCESTRY = """el => [...function* () { for (let n = el; n && n.tagName !== 'BODY'; n = n.parentElement) yield n; }()]
  .slice(0, 12).map(n => `${n.tagName}.${n.className} ${getComputedStyle(n).display}`
  + ` ${n.getBoundingClientRect().height.toFixed(0)}px`).join(' < ')"""
# Each badge's box as the page first shows it, or null where an admonition or a tab hides it.
SHOWN_BOXES = f"""els => els.map(el => {{
  if (({FIRST_HIDER})(el)) return null;
  const r = el.getBoundingClientRect();
  return r.width || r.height ? {{x: r.x, width: r.width, height: r.height}} : null;
}})"""


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", site_pages())
def test_page_loads_cleanly(browser, site_url, path, scheme, viewport):
    context = browser.new_context(**VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    own = urlsplit(site_url).netloc
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: problems.append(f"other host: {r.url}")
            if urlsplit(r.url).scheme in ("http", "https") and urlsplit(r.url).netloc != own else None)
    page.goto(site_url + path, wait_until="networkidle")
    # Badges are looked at once Material's script has mounted the page's components (the copy buttons among
    # them): a slow load that ran it after the tabs were selected left a badge hidden, now and then.
    if page.locator("pre").count():
        page.wait_for_selector("button[data-md-type=copy]", state="attached")

    palette = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert palette == ("slate" if scheme == "dark" else "default")

    badges = page.locator("details.snippet-badge > summary")
    for index, box in enumerate(badges.evaluate_all(SHOWN_BOXES)):
        if box is None:  # hidden, or not drawn: the reader opens what hides it first
            badge = badges.nth(index)
            reveal(badge)
            box = badge.bounding_box()
        if not box or box["width"] < 20 or box["height"] < 10:
            problems.append(f"badge {index} not on screen: {box}; " + badges.nth(index).evaluate(ANCESTRY))
        elif box["x"] < 0 or box["x"] + box["width"] > VIEWPORTS[viewport]["viewport"]["width"] + 1:
            problems.append(f"badge {index} sticks out of the viewport: {box}")

    barcodes = page.locator("img.barcode")
    for index in range(barcodes.count()):
        image = barcodes.nth(index)
        reveal(image)
        image.scroll_into_view_if_needed()
        data, symbology = image.get_attribute("data-barcode"), image.get_attribute("data-symbology")
        found = [text for text, _ in decode(image.screenshot(), "png", symbology)]
        if found != [data]:
            problems.append(f"{symbology} barcode {data} read from the screen as {found}")
    context.close()
    assert problems == [], "\n".join(problems)  # in full: a badge's ancestry is long

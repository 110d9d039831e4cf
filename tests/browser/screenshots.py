"""`make screenshots`: the home page, a runbook with its badges, and the status page, from the built site/,
in Debian's Chromium, for the README."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parents[1]))
from browser.conftest import LAYOUT, SITE, serve  # noqa: E402

OUT = LAYOUT.root / "screenshots"
SHOTS = {  # file → (page, element to scroll to first, colour scheme)
    "home.png": ("", None, "light"),
    "runbook-badges.png": ("mysql-impossible-position/", "#snippet-mysql-impossible-position-reposition-sql",
                           "light"),
    "runbook-badges-dark.png": ("ses-signing/", "#snippet-ses-signing-send-email-sigv4-yml", "dark"),
    "status.png": ("status/", None, "light"),
}


def main() -> None:
    server, url = serve(SITE)
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"))
        for name, (path, anchor, scheme) in SHOTS.items():
            page = browser.new_page(viewport={"width": 1280, "height": 860}, color_scheme=scheme)
            page.goto(url + path, wait_until="networkidle")
            if anchor:
                page.locator(anchor).scroll_into_view_if_needed()
                page.evaluate(f"document.querySelector('{anchor}').scrollIntoView({{block: 'start'}}); "
                              "window.scrollBy(0, -120)")
                page.locator(f"{anchor} details.snippet-badge").evaluate("d => d.open = true")
            page.screenshot(path=str(OUT / name))
            page.close()
            print(f"screenshots/{name}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()

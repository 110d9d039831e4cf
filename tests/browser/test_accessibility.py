"""axe-core run inside each page, both palettes. Four rules must hold everywhere: images have alt text, text
(badges and highlighted code included) has WCAG AA contrast, links in text are not marked by colour alone,
scrolling code blocks can be reached with the keyboard. Every other finding is counted and reported, so a
change in them shows up in the run's output, and so are those inside a third-party component the site cannot
restyle."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from .conftest import AXE, LAYOUT, SCHEMES, VIEWPORTS, site_pages

pytestmark = pytest.mark.browser

MUST_PASS = ("image-alt", "scrollable-region-focusable", "color-contrast", "link-in-text-block")
REPORT = LAYOUT.build / "axe-report.json"
# mutation-testing-elements (the breakage report) colours its scores with Tailwind's green-700 on its own grays,
# and each of its nested components redefines those colours in its own shadow root, out of reach of the site's
# stylesheet: its findings are counted, not required.
THIRD_PARTY = ("mutation-test-report-app",)
_findings: dict[str, dict] = {}


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    REPORT.write_text(json.dumps(_findings, indent=1, sort_keys=True))
    totals = Counter()
    for found in _findings.values():
        totals.update(found["violations"])
    print(f"\naxe-core on {len(_findings)} page loads: {sum(totals.values())} findings "
          f"({', '.join(f'{rule} {n}' for rule, n in totals.most_common()) or 'none'}); details in {REPORT}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", site_pages())
def test_accessibility_basics(browser, site_url, path, scheme):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: make browser installs axe-core from npm")
    context = browser.new_context(**VIEWPORTS["desktop"], color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path, wait_until="load")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    context.close()
    violations = {v["id"]: [n["target"] for n in v["nodes"]] for v in result["violations"]}
    _findings[f"{path or '/'} ({scheme})"] = {"violations": {k: len(v) for k, v in violations.items()}}
    # A node inside shadow roots is targeted as a list: its hosts' selectors, then its own.
    ours = {rule: [target for target in violations.get(rule, []) if not (isinstance(target[0], list)
                                                                        and target[0][0] in THIRD_PARTY)]
            for rule in MUST_PASS}
    assert {rule: targets for rule, targets in ours.items() if targets} == {}

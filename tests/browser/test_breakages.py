"""The breakage report as a reader opens it: the site's own copy of mutation-testing-elements draws the signed
mutation runs, from the site and from nowhere else, and a break opens on its snippet's source."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from runbook_kb.lab.results import Run
from runbook_kb.mutation.report import report
from runbook_kb.mutation.results import EQUIVALENT, KILLED, SURVIVED, MutantResult, MutationRun

from .conftest import LAYOUT, SITE

pytestmark = pytest.mark.browser
SNIPPET = "openvz-beancounters/vzcfgvalidate.sh"  # any snippet a lab runs: the report shows its source
ROW = "mutation-test-report-app tbody tr"


def _mutant(number: int, status: str, **more) -> MutantResult:
    return MutantResult(f"number@1#{number}", SNIPPET, "number", 1, 0, 1, str(number), f"break {number}", status,
                        **more)


RUN = MutationRun("openvz-beancounters", "debian-13", "inputs", "mutants", "2026-12-01T10:00:00+00:00", 12.0, [
    _mutant(1, KILLED, step=3, message="step 3: expected 908, got 909"),
    _mutant(2, SURVIVED, step=9),
    _mutant(3, EQUIVALENT, message="the count is read back as a word"),
])


def _open(browser, url: str, served: dict | None = None):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    asked, errors = [], []
    page.on("request", lambda request: asked.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    if served is not None:
        page.route("**/assets/breakages/report.json", lambda route: route.fulfill(json=served))
    page.goto(url)
    page.locator(ROW).first.wait_for()
    return page, asked, errors


def _cells(page, index: int) -> list[str]:
    return [cell.strip() for cell in page.locator(ROW).nth(index).inner_text().split("\t")]


def test_the_report_counts_each_break_and_shows_a_survivor_on_its_snippet(browser, site_url):
    page, asked, errors = _open(browser, site_url + "breakages/", report({RUN.run: RUN}, LAYOUT))
    # All files: the score (killed of killed + survived), then killed, survived, timeout, no coverage, ignored
    assert _cells(page, 0)[:8] == ["All files", "", "50.00", "", "50.00", "1", "1", "0"], _cells(page, 0)
    assert _cells(page, 0)[9] == "1"
    page.locator(ROW).get_by_role("link", name="vzcfgvalidate.sh").click()
    # The file view: the snippet's own source, a marker on the survivor's line
    source = (LAYOUT.snippets / SNIPPET).read_text(encoding="utf-8").split("\n")[0]
    assert page.locator("mutation-test-report-app mte-file").get_by_text(source).first.is_visible()
    assert page.locator("mutation-test-report-app [title='number Survived']").first.is_visible()
    assert not errors
    site = urlsplit(site_url).netloc
    assert {urlsplit(url).netloc for url in asked} == {site}, "the report asked another host"


def test_the_site_report_holds_every_signed_run(browser, site_url):
    served = json.loads((SITE / "assets/breakages/report.json").read_text(encoding="utf-8"))
    mutants = [m for file in served["files"].values() for m in file["mutants"]]
    page, _, errors = _open(browser, site_url + "breakages/")
    if not mutants:
        assert page.get_by_text("No breakage run yet").is_visible()
        return
    killed = sum(m["status"] == "Killed" for m in mutants)
    survived = sum(m["status"] == "Survived" for m in mutants)
    assert _cells(page, 0)[5:7] == [str(killed), str(survived)]
    assert not errors

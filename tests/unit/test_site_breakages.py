"""Signed mutation runs on a small project's site: each snippet's badge gives its score and the breaks its lab
let through, the status page the score per runbook and release and a link to the breakage report, and the
report page publishes the runs in the mutation-testing report schema with the component that draws them."""

import json
import logging

import pytest
from mkdocs.exceptions import Abort

from runbook_kb.extensions.breakages import COMPONENT
from runbook_kb.lab.inputs import lab_inputs
from runbook_kb.lab.results import record
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_lab
from runbook_kb.mutation import results as mutation_results
from runbook_kb.mutation.results import KILLED, SURVIVED, MutantResult, MutationRun

from .helpers import fake_run
from .sitebuild import build_site, in_project  # noqa: F401 - in_project is an autouse fixture

REPORT_PAGE = "# Breakage report\n\n```breakage-report\n```\n"


def _mutated(project) -> None:
    record(project.results, fake_run(project), signer(project))
    lab = load_lab(project.labs / "demo.yml", project.snippets)
    release = lab.releases[0]
    mutants = [MutantResult("delete-line@1", "demo/hello.sh", "delete-line", 1, 0, 10, "", "line 1 deleted",
                            KILLED, step=1, message="expected hello"),
               MutantResult("delete-line@2", "demo/hello.sh", "delete-line", 2, 0, 10, "", "line 2 deleted",
                            SURVIVED, step=2)]
    run = MutationRun("demo", release.key, lab_inputs(lab, project, release), "digest",
                      "2026-12-07T10:00:00+00:00", 20.0, mutants)
    mutation_results.record(project.mutation_results, run, signer(project))
    (project.docs / "breakages.md").write_text(REPORT_PAGE)


def test_a_signed_run_reaches_the_badge_the_status_page_and_the_report(project):
    _mutated(project)
    (project.build / COMPONENT).parent.mkdir(parents=True)
    (project.build / COMPONENT).write_text("customElements.define('mutation-test-report-app', class extends HTMLElement {});\n")
    site = build_site(project)
    demo = (site / "posts/demo/index.html").read_text()
    assert "breakages caught" in demo and "1 of 2 (make mutants, 2026-12-07)" in demo
    assert "line 2 deleted: the lab passed through step 2" in demo
    status = (site / "status/index.html").read_text()
    assert '<a href="../breakages/">breakage report</a>' in status and "1 of 2 (2026-12-07)" in status
    page = (site / "breakages/index.html").read_text()
    assert '<mutation-test-report-app src="../assets/breakages/report.json"' in page
    assert '<script src="../assets/breakages/mutation-test-elements.js"></script>' in page
    published = json.loads((site / "assets/breakages/report.json").read_text())
    assert [m["status"] for m in published["files"]["snippets/demo/hello.sh"]["mutants"]] == ["Killed", "Survived"]
    assert (site / "assets/breakages/mutation-test-elements.js").read_text().startswith("customElements.define")


def test_without_a_run_the_report_says_so(project):
    (project.docs / "breakages.md").write_text(REPORT_PAGE)
    (project.build / COMPONENT).parent.mkdir(parents=True)
    (project.build / COMPONENT).write_text("\n")
    page = (build_site(project) / "breakages/index.html").read_text()
    assert "No breakage run yet" in page
    assert json.loads((project.root / "site/assets/breakages/report.json").read_text())["files"] == {}


def test_without_its_component_the_report_stops_the_build_at_its_line(project, caplog):
    _mutated(project)
    with pytest.raises(Abort):
        build_site(project)
    assert f"docs/breakages.md:3: breakage-report: build/{COMPONENT} is missing; `make site` and `make serve` " \
           "install it from npm" in caplog.text

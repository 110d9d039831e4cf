"""Sentences that name the lab step checking them: a numbered mark, and at the page's end the step and the
releases it passed on; a name no step has, or a page no lab runs, stops the build at the marker's line."""

import pytest
from mkdocs.exceptions import Abort

from runbook_kb.lab.results import record
from runbook_kb.lab.signing import signer

from .helpers import append_to_page, fake_run
from .sitebuild import build_site, in_project  # noqa: F401 - in_project is an autouse fixture


def test_a_marked_sentence_names_its_step_and_where_it_passed(project):
    record(project.results, fake_run(project), signer(project))
    append_to_page(project, "\nIt prints both words ((lab: demo/hello.sh)), and `((lab: as code))` stays code.\n"
                            "\n```text\n((lab: in a fence))\n```\n")
    html = (build_site(project, strict=False) / "posts/demo/index.html").read_text()
    assert ('<sup class="lab-check" data-lab-check="passed"><a id="lab-check-ref-1" href="#lab-check-1" '
            'aria-label="Checked by the lab: note 1">✓1</a></sup>') in html
    assert "<code>((lab: as code))</code>" in html and "((lab: in a fence))" in html
    assert '<li id="lab-check-1">Step 1, “demo/hello.sh”: passed on Debian 13, 25 Nov 2026.' in html


def test_before_its_lab_passes_a_mark_is_a_question(project):
    append_to_page(project, "\nIt prints both words ((lab: demo/hello.sh)).\n")
    html = (build_site(project) / "posts/demo/index.html").read_text()
    assert 'data-lab-check="unverified"' in html and ">?1</a>" in html
    assert "<li id=\"lab-check-1\">Step 1, “demo/hello.sh”: not passed on Debian 13 yet." in html


def test_a_name_no_step_has_stops_the_build_at_its_line(project, caplog):
    append_to_page(project, "\nIt reboots ((lab: the reboot step)).\n")
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/posts/demo.md:15: ((lab: the reboot step)): no step of lab demo is named so" in caplog.text


def test_a_page_no_lab_runs_has_no_step_to_name(project, caplog):
    (project.docs / "about.md").write_text("# About\n\nAll checked ((lab: demo/hello.sh)).\n")
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/about.md:3: ((lab: …)) names a step of the page's lab, and no lab runs this page's snippets" \
           in caplog.text

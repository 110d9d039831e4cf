from runbook_kb.includes import scan_docs
from runbook_kb.lab.results import load_results, record
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_labs
from runbook_kb.verification.badges import badge_html
from runbook_kb.verification.status import resolve, totals, totals_on

from .helpers import append_to_page, fake_run, runs, vetted


def statuses_of(project, results):
    statuses, problems = resolve(scan_docs(project.docs), load_labs(project.labs, project.snippets),
                                 vetted(project, results), project.snippets)
    return {str(s.include.ref): s for s in statuses}, problems


def test_without_results_nothing_claims_more_than_unverified(project):
    found, problems = statuses_of(project, {})
    assert problems == []
    assert {k: s.status for k, s in found.items()} == {
        "demo/hello.sh": "unverified", "demo/hello.txt": "unverified", "demo/manual.sh": "not-executable",
    }
    assert found["demo/hello.sh"].note == "Its lab has not run yet."
    assert found["demo/manual.sh"].note == "Reboots the machine."


def test_a_passing_run_verifies_and_illustrates(project):
    found, _ = statuses_of(project, runs(fake_run(project)))
    assert found["demo/hello.sh"].status == "verified"
    assert found["demo/hello.txt"].status == "illustrative"
    badge = badge_html(found["demo/hello.sh"])
    assert "Verified locally: ran in lab demo on 2026-11-25: ✓ Debian 13.8" in badge
    assert "bash 5.2.15-2+b13" in badge and "0.25 s" in badge


def test_a_failed_step_fails_its_snippet_and_later_ones_are_not_claimed(project):
    found, _ = statuses_of(project, runs(fake_run(project, fail_at=1)))
    assert found["demo/hello.sh"].status == "failing"
    assert "exit status 1" in found["demo/hello.sh"].note
    assert found["demo/hello.txt"].status == "unverified"
    assert "ended before step 2" in found["demo/hello.txt"].note


def test_an_edit_after_the_run_makes_the_result_stale(project):
    results = runs(fake_run(project))
    (project.snippets / "demo/hello.sh").write_text("echo hello\necho there\n")
    found, _ = statuses_of(project, results)
    assert found["demo/hello.sh"].status == "unverified"
    assert found["demo/hello.sh"].note == "Its lab's inputs (spec, snippets, images or harness) changed since it ran."


def test_snippet_without_lab_or_reason_is_a_problem_with_page_line(project):
    (project.snippets / "demo/extra.sh").write_text("ls\n")
    append_to_page(project, '\n```bash\n--8<-- "demo/extra.sh"\n```\n')
    _, problems = statuses_of(project, {})
    assert [str(p) for p in problems] == [
        "docs/posts/demo.md:16: snippet demo/extra.sh has no lab step and no not-executable reason"
    ]


def test_partly_covered_include_is_a_problem(project):
    (project.labs / "demo.yml").write_text(
        (project.labs / "demo.yml").read_text().replace("run: demo/hello.sh", "run: demo/hello.sh:1:1")
        .replace("      hello\n      world\n", "      hello\n"))
    found, problems = statuses_of(project, runs(fake_run(project)))
    assert "lines 2-2 of demo/hello.sh are run by no lab step" in str(problems[0])
    assert found["demo/hello.sh"].status == "unverified"


def test_not_executable_and_run_by_a_lab_contradict(project):
    page = project.docs / "posts/demo.md"
    page.write_text(page.read_text().replace('```bash title="Say \\"hello\\""', '```bash not-executable="x"'))
    _, problems = statuses_of(project, {})
    assert "declared not-executable, but demo.yml:7 runs it" in str(problems[0])


def test_pending_lab_declares_its_snippets_unverified(project):
    (project.labs / "demo.yml").write_text("title: Demo\npending: The lab is not written yet.\n")
    found, problems = statuses_of(project, {})
    assert problems == []
    assert found["demo/hello.sh"].status == "unverified"
    assert found["demo/hello.sh"].note == "The lab is not written yet."


def test_results_merge_per_lab(project):
    path = project.results
    sign = signer(project)
    record(path, fake_run(project), sign)
    other = fake_run(project)
    other.lab = "other"
    record(path, other, sign)
    again = fake_run(project, fail_at=1)
    record(path, again, sign)
    loaded = load_results(path)
    assert sorted(loaded) == [("demo", "debian-13"), ("other", "debian-13")]
    assert loaded["demo", "debian-13"].outcome == "failed" and loaded["other", "debian-13"].outcome == "passed"


def test_totals_count_every_status(project):
    found, _ = statuses_of(project, runs(fake_run(project)))
    counts = totals(list(found.values()))
    assert counts == {"verified": 1, "illustrative": 1, "not-executable": 1, "failing": 0, "unverified": 0}


def test_each_release_has_its_status_and_the_snippet_the_worst(two_releases):
    project = two_releases
    on_13, on_12 = fake_run(project, release="debian-13"), fake_run(project, release="debian-12", fail_at=1)
    found, _ = statuses_of(project, runs(on_13, on_12))
    hello = found["demo/hello.sh"]
    assert [(r.release.key, r.status) for r in hello.releases] == [("debian-13", "verified"), ("debian-12", "failing")]
    assert hello.status == "failing" and hello.note.startswith("on Debian 12, step 1: exit status 1")
    assert "✓ Debian 13.8 · ✗ Debian 12.15" in badge_html(hello)
    assert totals_on(list(found.values()), "debian-13")["verified"] == 1
    assert totals_on(list(found.values()), "debian-12")["failing"] == 1
    found, _ = statuses_of(project, runs(on_13))
    assert found["demo/hello.sh"].status == "unverified"
    assert found["demo/hello.sh"].note == "On Debian 12: Its lab has not run yet."
    found, _ = statuses_of(project, runs(on_13, fake_run(project, release="debian-12")))
    assert found["demo/hello.sh"].status == "verified" and found["demo/hello.txt"].status == "illustrative"
    assert "Verified locally: ran in lab demo on 2026-11-25: ✓ Debian 13.8 · ✓ Debian 12.15" in \
        badge_html(found["demo/hello.sh"])


def test_a_step_for_one_release_is_claimed_on_that_release_only(two_releases):
    project = two_releases
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text().replace("  - compare: demo/hello.txt\n", "  - compare: demo/hello.txt\n"
                                             "    releases: [debian-13]\n"))
    found, _ = statuses_of(project, runs(fake_run(project, release="debian-13"),
                                         fake_run(project, release="debian-12")))
    assert [r.release.key for r in found["demo/hello.txt"].releases] == ["debian-13"]
    assert [r.release.key for r in found["demo/hello.sh"].releases] == ["debian-13", "debian-12"]
    assert "Debian 12" not in badge_html(found["demo/hello.txt"])


def test_a_lab_narrowed_to_one_release_runs_and_claims_only_there(two_releases):
    project = two_releases
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text() + "not_on:\n  debian-12: Debian 12's bash lacks the feature.\n")
    lab = load_labs(project.labs, project.snippets)[0]
    assert [r.key for r in lab.releases] == ["debian-13"] and lab.not_on["debian-12"].startswith("Debian 12's")
    found, _ = statuses_of(project, runs(fake_run(project)))
    assert found["demo/hello.sh"].status == "verified"

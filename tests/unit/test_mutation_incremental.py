"""Which verdicts a mutation run takes over from the last one: those of mutants whose own file is unchanged, and
only while nothing else the lab reads has changed; and a run signed before runs had these fields still counts."""

import json

from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_lab
from runbook_kb.mutation.incremental import basis, reusable
from runbook_kb.mutation.results import KILLED, SURVIVED, MutantResult, MutationRun, load, record, signed


def _lab(project):
    lab = load_lab(project.labs / "demo.yml", project.snippets)
    return lab, lab.releases[0]


def _last(project, now) -> MutationRun:
    mutants = [MutantResult("delete-line@1", "demo/hello.sh", "delete-line", 1, 0, 10, "", "gone", KILLED),
               MutantResult("delete-line@2", "demo/hello.txt", "delete-line", 2, 0, 5, "", "gone", SURVIVED)]
    return MutationRun("demo", "debian-13", "inputs", "digest", "2026-12-07T10:00:00+00:00", 1.0, mutants,
                       basis=now[0], files=now[1])


def test_a_changed_snippet_file_runs_its_own_mutants_again_and_keeps_the_others(project):
    lab, release = _lab(project)
    last = _last(project, basis(lab, project, release))
    assert set(reusable(last, basis(lab, project, release))) == {
        ("demo/hello.sh", "delete-line@1", ""), ("demo/hello.txt", "delete-line@2", "")}
    (project.snippets / "demo/hello.txt").write_text("hello\nthere\n")
    now = basis(lab, project, release)
    assert now[0] == last.basis and now[1]["demo/hello.sh"] == last.files["demo/hello.sh"]
    assert set(reusable(last, now)) == {("demo/hello.sh", "delete-line@1", "")}


def test_any_other_change_the_lab_reads_runs_every_mutant_again(project):
    lab, release = _lab(project)
    last = _last(project, basis(lab, project, release))
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text() + "  - command: \"true\"\n")
    lab = load_lab(spec, project.snippets)
    assert reusable(last, basis(lab, project, release)) == {}
    assert reusable(None, basis(lab, project, release)) == {}


def test_a_run_signed_without_the_incremental_fields_still_verifies(project):
    record(project.mutation_results, _last(project, (None, {})), signer(project))
    data = json.loads(project.mutation_results.read_text())
    assert "basis" not in data["labs"]["demo"]["debian-13"]
    assert len(signed(load(project.mutation_results), project)) == 1

"""The mutation engine against real containers, on the small fixture project: a snippet with a line no step
observes (its mutants survive) and one the lab checks (its mutant is killed at that step)."""

import pytest

from runbook_kb.lab.spec import load_lab
from runbook_kb.mutation.engine import mutate, plan
from runbook_kb.mutation.results import EQUIVALENT, KILLED, SURVIVED

pytestmark = pytest.mark.lab  # needs podman and the base image

QUIET = "mkdir -p /tmp/made\necho done\n"


def mutants_of_quiet(project, equivalent: str = ""):
    (project.snippets / "demo/quiet.sh").write_text(QUIET)
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text() + "  - run: demo/quiet.sh\n    expect: done\n" + equivalent)
    lab = load_lab(spec, project.snippets)
    release = lab.releases[0]
    planned = [item for item in plan(lab, release, project) if item.snippet == "demo/quiet.sh"]
    run = mutate(lab, release, project, planned, progress=lambda message: None)
    return {m.id: (m.status, m.step) for m in run.mutants}


def test_a_mutant_the_lab_observes_dies_at_its_step_and_one_it_does_not_survives(project):
    assert mutants_of_quiet(project) == {
        "delete-line@1": (SURVIVED, 3), "option@1": (SURVIVED, 3), "path@1": (SURVIVED, 3),
        "delete-line@2": (KILLED, 3)}
    assert (project.snippets / "demo/quiet.sh").read_text() == QUIET
    assert not project.artifacts.exists()


def test_a_mutant_declared_equivalent_is_not_run_and_keeps_its_reason(project):
    found = mutants_of_quiet(project, "    equivalent:\n      option@1: mkdir makes one folder here, with -p or not\n")
    assert found["option@1"] == (EQUIVALENT, None)


def test_a_file_only_a_compare_step_reads_is_judged_against_one_unmutated_run(project):
    lab = load_lab(project.labs / "demo.yml", project.snippets)
    release = lab.releases[0]
    planned = [item for item in plan(lab, release, project) if item.snippet == "demo/hello.txt"]
    said = []
    run = mutate(lab, release, project, planned, progress=said.append)
    assert said.count("an unmutated run, to judge the mutants of files only compare steps read") == 1
    assert planned and all(m.status == KILLED and m.step == 2 and "held against this step's output" in m.message
                           for m in run.mutants)

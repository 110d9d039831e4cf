"""The report make mutants writes is a valid mutation-testing report (Stryker's schema, as the npm package
mutation-testing-report-schema ships it), and says what became of each mutant, where."""

import json
from pathlib import Path

import jsonschema

from runbook_kb.lab.results import Run
from runbook_kb.lab.signing import MUTATION_CONTEXT, check, signer, trusted_keys
from runbook_kb.mutation.report import report
from runbook_kb.mutation.results import (EQUIVALENT, KILLED, SURVIVED, MutantResult, MutationRun, load,
                                         record)

SCHEMA = json.loads((Path(__file__).parent / "mutation_report_schema/mutation-testing-report-schema.json").read_text())


def run_of(statuses) -> MutationRun:
    mutants = [MutantResult(f"delete-line@{n}", "demo/hello.sh", "delete-line", n, 0, 10, "", f"line {n} deleted",
                            status, step=1 if status == KILLED else None,
                            message="because" if status == EQUIVALENT else None)
               for n, status in enumerate(statuses, 1)]
    return MutationRun("demo", "debian-13", "inputs", "digest", "2026-12-07T10:00:00+00:00", 3.0, mutants)


def test_the_report_follows_the_schema_and_places_each_mutant(project):
    data = report({Run("demo", "debian-13"): run_of([KILLED, SURVIVED])}, project)
    jsonschema.validate(data, SCHEMA)
    hello = data["files"]["snippets/demo/hello.sh"]
    assert hello["source"] == "echo hello\necho world\n"
    assert [(m["status"], m["location"]["end"]["column"]) for m in hello["mutants"]] == [("Killed", 11), ("Survived", 11)]
    assert hello["mutants"][0]["killedBy"] == ["demo/debian-13/step 1"]


def test_results_are_signed_under_their_own_context_and_merged_per_run(project):
    record(project.mutation_results, run_of([KILLED, EQUIVALENT]), signer(project))
    stored = load(project.mutation_results)[Run("demo", "debian-13")]
    entry = json.loads(project.mutation_results.read_text())["labs"]["demo"]["debian-13"]
    assert check(entry, trusted_keys(project), MUTATION_CONTEXT)[0] == "local"
    assert check(entry, trusted_keys(project))[0] is None  # not a lab result
    assert stored.counts() == {"killed": 1, "survived": 0, "equivalent": 1, "error": 0}

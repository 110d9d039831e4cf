"""Which recorded results the build believes: signed by a trusted key, on today's inputs, at real times."""

import base64
import json
import stat
from datetime import datetime, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from runbook_kb.errors import SpecError
from runbook_kb.lab.results import SCHEMA, entry, load_results, record
from runbook_kb.lab.signing import CI, CI_KEY_VARIABLE, LOCAL, Signer, local_key_path, signer
from runbook_kb.lab.spec import load_labs
from runbook_kb.lab.trust import vet
from runbook_kb.verification.badges import badge_html

from .conftest import CI_KEY_B64
from .helpers import fake_run, runs, sign
from .test_status import statuses_of


def verified(project, results) -> int:
    found, _ = statuses_of(project, results)
    return sum(s.status in ("verified", "illustrative") for s in found.values())


def test_a_locally_signed_result_verifies_locally(project):
    found, _ = statuses_of(project, runs(fake_run(project)))
    assert found["demo/hello.sh"].releases[0].signer == LOCAL
    badge = badge_html(found["demo/hello.sh"])
    assert "Verified locally: ran in lab demo" in badge
    assert "by this machine&#x27;s own key" in badge
    assert stat.S_IMODE(local_key_path().stat().st_mode) == 0o600


def test_a_result_signed_with_the_ci_key_verifies_in_ci(project, monkeypatch):
    monkeypatch.setenv(CI_KEY_VARIABLE, CI_KEY_B64)
    result = fake_run(project)
    monkeypatch.delenv(CI_KEY_VARIABLE)
    found, _ = statuses_of(project, runs(result))
    assert found["demo/hello.sh"].releases[0].signer == CI
    assert "Verified in CI: ran in lab demo" in badge_html(found["demo/hello.sh"])
    assert "Illustrative, checked in CI: compared with real output" in badge_html(found["demo/hello.txt"])


def test_a_forged_result_verifies_nothing(project):
    """Right sha256s, passed, plausible versions, the right inputs digest: everything but a signature."""
    forged = fake_run(project)
    forged.signature = None
    assert verified(project, runs(forged)) == 0
    found, _ = statuses_of(project, runs(forged))
    assert found["demo/hello.sh"].note == "Its lab's result is not signed."


def test_a_key_nobody_trusts_or_an_edit_after_signing_verifies_nothing(project):
    stranger = fake_run(project)
    stranger.signature = None
    stranger.signature = Signer(LOCAL, Ed25519PrivateKey.generate()).sign(entry(stranger))
    found, _ = statuses_of(project, runs(stranger))
    assert "neither CI's nor this machine's" in found["demo/hello.sh"].note
    edited = fake_run(project)
    edited.hosts["box"].packages["bash"] = "9.9"
    found, _ = statuses_of(project, runs(edited))
    assert found["demo/hello.sh"].note == "Its lab's result does not match its signature by the local key."
    assert verified(project, runs(stranger)) == verified(project, runs(edited)) == 0


@pytest.mark.parametrize("edit, why", [
    (lambda r: setattr(r, "inputs", "0" * 64), "Its lab's inputs (spec, snippets, images or harness) changed"),
    (lambda r: setattr(r, "started", "2999-01-01T00:00:00+00:00"), "(started) 2999-01-01T00:00:00+00:00 is in the future"),
    (lambda r: setattr(r.steps[1], "finished", "2026-13-40T10:00:00+00:00"), "(step 2 finished) '2026-13-40T10:00:00+00:00' is not a real time"),
    (lambda r: setattr(r, "started", "2026-11-12T09:00:00"), "(started) 2026-11-12T09:00:00 has no time zone"),
    (lambda r: setattr(r.steps[0], "outcome", "failed"), "recorded as passed, with a failed step"),
])
def test_a_signed_result_counts_only_on_todays_inputs_at_real_times(project, edit, why):
    result = fake_run(project)
    edit(result)
    found, _ = statuses_of(project, runs(sign(project, result)))
    assert verified(project, runs(result)) == 0
    assert why in found["demo/hello.sh"].note


def test_a_failed_lab_claims_the_steps_before_its_failure_only(project):
    result = fake_run(project, fail_at=2)
    found, _ = statuses_of(project, runs(result))
    assert found["demo/hello.sh"].status == "verified"
    assert found["demo/hello.txt"].status == "failing"
    failed_outside_steps = fake_run(project, stop_after=1)
    failed_outside_steps.outcome = "failed"
    found, _ = statuses_of(project, runs(sign(project, failed_outside_steps)))
    assert found["demo/hello.sh"].status == "unverified"


def test_the_ci_key_from_the_environment_must_be_the_one_the_repository_trusts(project, monkeypatch):
    other = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                                       serialization.NoEncryption())
    monkeypatch.setenv(CI_KEY_VARIABLE, base64.b64encode(other).decode())
    with pytest.raises(SpecError, match="this key's public half is not .*signers/ci.pub"):
        signer(project)
    monkeypatch.setenv(CI_KEY_VARIABLE, "not base64!")
    with pytest.raises(SpecError, match=f"{CI_KEY_VARIABLE}: not the base64 of a 32-byte Ed25519 private key"):
        signer(project)


@pytest.mark.parametrize("payload, where", [
    ({"schema": SCHEMA, "labs": []}, "at labs: [] is not of type 'object'"),
    ({"schema": SCHEMA + 1, "labs": {}}, "at schema: 3 was expected"),
    ("labs", "at the top level: 'labs' is not of type 'object'"),
])
def test_a_malformed_results_file_names_the_failing_field(project, payload, where):
    project.results.parent.mkdir(parents=True)
    project.results.write_text(json.dumps(payload))
    with pytest.raises(SpecError) as error:
        load_results(project.results)
    assert str(error.value) == f"{project.results}: not a results file of schema {SCHEMA}: {where}"


@pytest.mark.parametrize("edit, where", [
    (lambda lab: lab.update(hosts=[]), "at labs.demo.debian-13.hosts: [] is not of type 'object'"),
    (lambda lab: lab["steps"][1].update(outcome="maybe"), "at labs.demo.debian-13.steps[1].outcome: 'maybe' is not one of"),
    (lambda lab: lab.update(inputs="garbage"), "at labs.demo.debian-13.inputs: 'garbage' does not match '^[0-9a-f]{64}$'"),
    (lambda lab: lab.update(started="yesterday"), "at labs.demo.debian-13.started: 'yesterday' does not match"),
    (lambda lab: lab.update(lab="other"), "at labs.demo.debian-13: other on debian-13 is not the run it is filed under"),
    (lambda lab: lab.update(release="debian-12"), "at labs.demo.debian-13: demo on debian-12 is not the run"),
])
def test_a_malformed_lab_entry_names_its_path(project, edit, where):
    record(project.results, fake_run(project), signer(project))
    data = json.loads(project.results.read_text())
    edit(data["labs"]["demo"]["debian-13"])
    project.results.write_text(json.dumps(data))
    with pytest.raises(SpecError, match="not a results file of schema") as error:
        load_results(project.results)
    assert where in str(error.value)


def test_an_older_results_file_counts_as_no_results(project):
    project.results.parent.mkdir(parents=True)
    project.results.write_text(json.dumps({"schema": 1, "labs": {"demo": {}}}))
    assert load_results(project.results) == {}


def test_times_are_compared_with_now(project):
    labs = load_labs(project.labs, project.snippets)
    result = fake_run(project)
    assert result.run in vet(runs(result), labs, project).results
    before = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    assert "in the future" in vet(runs(result), labs, project, now=before).rejected[result.run]


def test_the_results_schema_means_the_same_to_fastjsonschema_as_to_jsonschema():
    """fastjsonschema reads drafts up to 7: the schema may only use keywords whose meaning is the same there
    as in 2020-12, and no $ref beside other keywords (2020-12 applies them, draft 7 ignores them)."""
    import json

    from runbook_kb.lab.results import SCHEMA_FILE

    same = {"$schema", "$id", "$defs", "$ref", "title", "description", "type", "properties", "required",
            "additionalProperties", "pattern", "minLength", "minimum", "anyOf", "propertyNames", "const", "enum",
            "items"}
    found, beside_ref = set(), []

    def walk(node, under_properties=False):
        if isinstance(node, dict):
            if not under_properties:
                found.update(node)
                if "$ref" in node and set(node) - {"$ref", "title", "description"}:
                    beside_ref.append(sorted(node))
            for key, value in node.items():
                walk(value, under_properties=key in ("properties", "$defs") and not under_properties)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(SCHEMA_FILE.read_text()))
    assert found <= same and beside_ref == []

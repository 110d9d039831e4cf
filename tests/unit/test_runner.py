"""The runner against real containers, on the small fixture project: pass, a broken snippet, a timeout."""

import pytest

from runbook_kb.lab.podman import _labelled
from runbook_kb.lab.runner import LabRunner
from runbook_kb.lab.spec import load_lab

from .conftest import CONTAINERFILE

pytestmark = pytest.mark.lab  # needs podman and the base image


def run(project):
    lab = load_lab(project.labs / "demo.yml", project.snippets)
    runner = LabRunner(lab, lab.releases[0], project, progress=lambda message: None)
    result, failure = runner.run()
    leftovers = [name for kind in ("container", "network") for name, _ in _labelled(kind) if runner.run_id in name]
    assert leftovers == []  # removed on every way out
    return result, failure


def test_passing_lab_records_every_step(project):
    result, failure = run(project)
    assert failure is None and result.outcome == "passed"
    assert [(s.index, s.outcome, s.snippet) for s in result.steps] == [
        (1, "passed", "demo/hello.sh"), (2, "passed", "demo/hello.txt")]
    assert result.hosts["box"].packages["bash"]
    assert result.hosts["box"].os.startswith("Debian 13")


def test_a_systemd_host_restarts_a_service_as_often_as_the_steps_ask(project):
    """Steps restart services faster than a reader does: systemd's start rate limit (five starts in ten
    seconds by default) must not refuse a restart the runbook asks for."""
    (project.labs / "demo/box.Containerfile").write_text(
        CONTAINERFILE + "RUN apt-get update && apt-get install -y --no-install-recommends systemd systemd-sysv"
        " && rm -rf /var/lib/apt/lists/*\n"
        "RUN printf '[Service]\\nExecStart=/bin/sleep infinity\\n' > /etc/systemd/system/demo.service\n")
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text().replace("{image: box,", "{image: box, init: systemd,") + (
        "  - command: for i in $(seq 8); do systemctl restart demo || exit 1; done; systemctl is-active demo\n"
        "    expect: active\n"))
    result, failure = run(project)
    assert failure is None, failure.report()


def test_broken_snippet_fails_with_page_line_and_diff(project):
    (project.snippets / "demo/hello.sh").write_text("echo hello\necho wrld\n")
    result, failure = run(project)
    assert result.outcome == "failed" and [s.outcome for s in result.steps] == ["failed"]
    report = failure.report()
    assert "lab demo on Debian 13, step 1 (demo.yml:7): run demo/hello.sh on box" in report
    assert "snippet shown at docs/posts/demo.md:4" in report
    assert "-world\n+wrld" in report


def test_a_step_past_its_timeout_fails_and_the_lab_is_removed(project):
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text() + "  - command: sleep 30\n    timeout: 1\n")
    result, failure = run(project)
    assert result.steps[-1].outcome == "failed"
    assert "timed out after 1 s" in failure.report()


def test_placeholders_are_filled_from_vars_and_captures_and_checks_can_wait(project):
    (project.snippets / "demo/use.sh").write_text("echo <GREETING> <NUMBER>\n")
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text().replace("steps:\n", "vars:\n  GREETING: hi\nsteps:\n") + (
        "  - command: echo token=42\n    capture: {NUMBER: 'token=(\\d+)'}\n"
        "  - run: demo/use.sh\n    expect: hi 42\n"
        "    check: test -e /tmp/late || (sleep 1 && touch /tmp/late && false)\n    wait: 10\n"))
    result, failure = run(project)
    assert failure is None, failure.report()
    assert result.steps[-1].values == {"GREETING": "hi", "NUMBER": "42"}


def test_a_capture_that_matches_nothing_fails_the_step(project):
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text() + "  - command: echo nothing\n    capture: {NUMBER: 'token=(\\d+)'}\n")
    _, failure = run(project)
    assert "capture <NUMBER>: /token=(\\d+)/ matches nothing" in failure.report()


def test_artifacts_are_copied_out_and_replace_the_last_runs(project):
    import hashlib

    stale = project.build / "lab-artifacts/demo/debian-13/old.png"
    stale.parent.mkdir(parents=True)
    (project.build / "lab-artifacts/demo/debian-12").mkdir()  # another release's: not this run's to replace
    stale.write_bytes(b"from an earlier run")
    killed = project.build / "lab-artifacts/.demo-abc123.1-0.partial"  # a run whose owner is gone
    killed.mkdir()
    with open(project.labs / "demo.yml", "a") as spec:
        spec.write("  - command: mkdir -p /out && printf 'a\\0b' > /out/shot.bin && echo made\n"
                   "    expect: made\n    artifacts: [/out/shot.bin]\n")
    result, failure = run(project)
    assert failure is None
    made = project.build / "lab-artifacts/demo/debian-13/shot.bin"
    assert made.read_bytes() == b"a\0b"  # binary-safe
    assert result.steps[2].artifacts == {"shot.bin": hashlib.sha256(b"a\0b").hexdigest()}
    assert not stale.exists() and not killed.exists()
    assert (project.build / "lab-artifacts/demo/debian-12").is_dir()


def test_an_artifact_the_step_did_not_make_fails_it(project):
    with open(project.labs / "demo.yml", "a") as spec:
        spec.write("  - command: 'true'\n    artifacts: [/out/missing.png]\n")
    result, failure = run(project)
    assert result.steps[2].outcome == "failed"
    assert "artifact /out/missing.png not made" in failure.report()
    assert not (project.build / "lab-artifacts/demo/debian-13/missing.png").exists()

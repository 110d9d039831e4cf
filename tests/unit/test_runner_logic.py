"""The runner's logic on hosts that need no podman (fakehosts.py): what each kind of step sends, how output
is judged, captures, waits, timeouts, failure reports, and that whatever started is removed."""

import pytest

from runbook_kb.lab.runner import LabRunner
from runbook_kb.lab.spec import load_lab

from .fakehosts import FakeHost, FakeProvisioner

SPEC = """\
title: Logic
vars: {GREETING: hello}
images:
  box: demo/box.Containerfile
hosts:
  box: {image: box}
  peer: {image: box}
steps:
  - run: demo/hello.sh
    expect: |
      hello
      world
    capture: {WHO: '^(w\\w+)$'}
  - install: demo/hello.txt
    to: /etc/hello.txt
    on: peer
  - command: echo <GREETING> <WHO>
    on: peer
    expect: hello world
  - compare: demo/hello.txt
    against: cat /etc/hello.txt
    on: peer
    wait: 5
"""


def _run(project, replies_box, replies_peer=(), fail_after=None):
    (project.labs / "logic.yml").write_text(SPEC)
    lab = load_lab(project.labs / "logic.yml", project.snippets)
    hosts = {"box": FakeHost("box", list(replies_box)), "peer": FakeHost("peer", list(replies_peer))}
    runner = LabRunner(lab, lab.releases[0], project, progress=lambda message: None,
                       provisioner=FakeProvisioner(hosts, fail_after))
    result, failure = runner.run()
    return result, failure, hosts


def test_each_kind_sends_what_the_page_shows_and_fills_placeholders_from_vars_and_captures(project):
    result, failure, hosts = _run(project, [(r"bash .*/demo/hello.sh", (0, "hello\nworld\n"))],
                                  [(r"^echo hello world$", (0, "hello world\n")),
                                   (r"cat /etc/hello.txt", (0, "hello\nworld\n"))])
    assert failure is None, failure.report()
    assert result.outcome == "passed"
    assert [s.kind for s in result.steps] == ["run", "install", "command", "compare"]
    assert hosts["box"].files["/run/lab/snippets/demo/hello.sh"] == b"echo hello\necho world\n"
    assert hosts["peer"].files["/etc/hello.txt"] == b"hello\nworld\n"
    assert "echo hello world" in hosts["peer"].commands  # <GREETING> from vars, <WHO> captured by step 1
    assert result.steps[2].values == {"GREETING": "hello", "WHO": "world"}
    assert all(host.removed for host in hosts.values())


def test_a_compare_that_differs_names_the_page_and_shows_the_diff(project):
    result, failure, _ = _run(project, [(r"hello.sh", (0, "hello\nworld\n"))],
                              [(r"^echo", (0, "hello world\n")), (r"cat /etc/hello.txt", (0, "hello\nwrld\n"))])
    assert result.outcome == "failed" and result.steps[-1].outcome == "failed"
    report = failure.report()
    assert "still failing after waiting 5 s" in report and "-world\n+wrld" in report
    assert "after step 2 installed demo/hello.txt as /etc/hello.txt on peer" in report


def test_wait_polls_the_command_until_it_passes(project):
    answers = [(1, "not yet\n"), (1, "not yet\n"), (0, "hello\nworld\n")]
    result, failure, hosts = _run(project, [(r"hello.sh", (0, "hello\nworld\n"))],
                                  [(r"^echo", (0, "hello world\n")), (r"cat /etc/hello.txt", answers)])
    assert failure is None
    assert hosts["peer"].commands.count("cat /etc/hello.txt") == 3


@pytest.mark.parametrize("status, output, problem", [
    (None, "", "timed out after 60 s"),
    (2, "hello\nworld\n", "exit status 2, expected 0"),
    (0, "hello\n", "@@ -1,2 +1 @@\n hello\n-world"),
])
def test_a_failing_run_step_stops_the_lab_with_what_went_wrong(project, status, output, problem):
    result, failure, hosts = _run(project, [(r"hello.sh", (status, output))])
    assert [s.outcome for s in result.steps] == ["failed"] and problem in failure.report()
    assert hosts["peer"].commands == [] and all(host.removed for host in hosts.values())


def test_hosts_that_started_are_removed_when_another_does_not_start(project):
    with pytest.raises(RuntimeError, match="host peer did not start"):
        _run(project, [], fail_after=1)

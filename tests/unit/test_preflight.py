"""The preflight's verdicts, with podman and the programs replaced: what a missing piece makes it say."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from runbook_kb.lab import images, preflight
from runbook_kb.layout import Layout
from runbook_kb.lab.podman import PodmanError
from runbook_kb.lab.releases import load_releases

CATATONIT = ("podman run --rm --init…: Error: container-init binary not found on the host: "
             "stat /usr/libexec/podman/catatonit: no such file or directory")


@pytest.fixture
def checks(monkeypatch) -> preflight.Preflight:
    """A preflight whose base image exists and whose QEMU and Chromium start."""
    monkeypatch.setattr(images, "exists", lambda image: True)
    monkeypatch.setattr(images, "ensure_base", lambda release, lock_dir, progress: "base-id")
    monkeypatch.setattr(shutil, "which", lambda program: f"/usr/bin/{program}")
    checks = preflight.Preflight(Layout(Path("/nonexistent")), print, load_releases(Layout.of(Path(__file__)).releases))
    monkeypatch.setattr(checks, "qemu", lambda: None)
    monkeypatch.setattr(checks, "chromium", lambda: None)
    return checks


def test_missing_container_init_names_catatonit_and_stops_the_container_probes(checks, monkeypatch):
    calls = []

    def podman(*args, **kwargs):
        calls.append(args[0])
        raise PodmanError(CATATONIT)

    monkeypatch.setattr(preflight, "podman", podman)
    with pytest.raises(preflight.PreflightFailed) as failed:
        checks.run()
    message = str(failed.value)
    assert message.splitlines()[0] == "preflight: 1 of 6 probes failed, so no lab ran:"
    assert "✗ a container starts with --init: podman's container init (/usr/libexec/podman/catatonit)" in message
    assert "Debian package: catatonit" in message and "stat /usr/libexec/podman/catatonit" in message
    assert message.splitlines()[-1].startswith("install: apt-get install --no-install-recommends catatonit ")
    assert calls == ["run"]  # no network, no build: they need what is missing


def test_programs_missing_are_each_named_with_their_package(checks, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda program: None if program in ("podman", "chromium") else program)
    monkeypatch.setattr(checks, "chromium", preflight.Preflight.chromium.__get__(checks))
    with pytest.raises(preflight.PreflightFailed) as failed:
        checks.run()
    missing = {m.probe: m.package for m in failed.value.missing}
    assert missing == {"podman and the base image": "podman", "Chromium starts under Playwright": "chromium"}
    assert "install: apt-get install --no-install-recommends chromium podman " in str(failed.value)


def test_a_name_that_does_not_resolve_names_the_plugin_of_the_backend_in_use(checks, monkeypatch):
    class Answer:
        returncode, stdout, stderr = 3, "", ""

    made = []
    monkeypatch.setattr(preflight, "podman", lambda *args, **kwargs: made.append(args[:2]) or "cni\n")
    monkeypatch.setattr(preflight.subprocess, "run", lambda *args, **kwargs: Answer())
    with pytest.raises(preflight.PreflightFailed) as failed:
        checks.run()
    [missing] = failed.value.missing
    assert missing.package == "golang-github-containernetworking-plugin-dnsname"
    assert "getent hosts server: no answer on a cni network" in missing.said
    # What the probe made is removed although it failed.
    assert ("rm", "-f") in made and ("network", "rm") in made

"""What a SIGKILLed run leaves behind is removed by the next run; what a live run owns is left alone."""

import signal
import subprocess
import sys
import time

import pytest

from runbook_kb.layout import Layout
from runbook_kb.lab.podman import _labelled, labels, podman, sweep
from runbook_kb.lab.releases import load_releases

pytestmark = pytest.mark.lab  # needs podman and the base image

OWNER_SCRIPT = """
import subprocess, sys, time
from runbook_kb.lab.podman import labels
net = sys.argv[1]
subprocess.run(["podman", "network", "create", *labels(), net], check=True, capture_output=True)
subprocess.run(["podman", "volume", "create", *labels(), net + "-vol"], check=True, capture_output=True)
subprocess.run(["podman", "run", "-d", "--name", net + "-c", "--network", net, *labels(),
                "{base}", "sleep", "infinity"], check=True, capture_output=True)
print("ready", flush=True)
time.sleep(600)
"""


def names(kind: str) -> set[str]:
    return {name for name, _ in _labelled(kind)}


def test_sigkilled_owner_leaves_nothing_after_the_next_sweep():
    from runbook_kb.lab.images import ensure_base
    from pathlib import Path

    layout = Layout.of(Path(__file__))
    release = load_releases(layout.releases)[0]
    ensure_base(release, layout.locks, print)
    net = f"rblab-sweeptest-{int(time.time())}"
    owner = subprocess.Popen([sys.executable, "-c", OWNER_SCRIPT.replace("{base}", release.base_image), net],
                             stdout=subprocess.PIPE, text=True)
    assert owner.stdout.readline().strip() == "ready"
    mine = f"{net}-mine"
    podman("network", "create", *labels(), mine)  # owned by this live process: must survive
    try:
        assert not [r for r in sweep() if net in r]  # the owner is alive: nothing of it is touched
        owner.send_signal(signal.SIGKILL)
        owner.wait()
        removed = [r for r in sweep() if net in r]
        assert sorted(removed) == sorted([f"container {net}-c", f"network {net}", f"volume {net}-vol"])
        assert not ({f"{net}-c"} & names("container") or {net} & names("network") or {f"{net}-vol"} & names("volume"))
        assert mine in names("network")
    finally:
        owner.kill()
        podman("network", "rm", "-f", mine, check=False)

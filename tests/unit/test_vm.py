"""The VM host's pieces that need no VM: disk sizes, and the sweep of QEMU processes a killed run left."""

import subprocess
import sys
import tempfile

import pytest

from runbook_kb.lab.podman import owner_id
from runbook_kb.lab.vm import OWNER_PREFIX, size_bytes, sweep_vms


def test_disk_sizes():
    assert size_bytes("64M") == 64 << 20 and size_bytes("2G") == 2 << 30
    with pytest.raises(ValueError):
        size_bytes("64MB")


def _process_named(owner: str) -> subprocess.Popen:
    # Stands in for QEMU: the sweep goes by the "-name guest=…" argument, whatever the program.
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "-name",
                             f"guest={OWNER_PREFIX}{owner}"])


def test_processes_and_folders_of_a_dead_owner_are_ended_and_a_live_owners_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    orphan, ours = _process_named("1-0"), _process_named(owner_id())
    (tmp_path / f"{OWNER_PREFIX}1-0-server-abc").mkdir()
    (tmp_path / f"{OWNER_PREFIX}{owner_id()}-server-def").mkdir()
    try:
        ended = sweep_vms()
        assert orphan.wait(timeout=5) == -9 and f"qemu pid {orphan.pid}" in ended
        assert ours.poll() is None
        assert [p.name for p in tmp_path.iterdir()] == [f"{OWNER_PREFIX}{owner_id()}-server-def"]
    finally:
        for proc in (orphan, ours):
            proc.kill()
            proc.wait()

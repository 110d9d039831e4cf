"""Where a VM lab's mutant starts: at the last reboot before its snippet is first used, never after it."""

from pathlib import Path

from runbook_kb.lab.podman import owner_id
from runbook_kb.lab.spec import load_lab
from runbook_kb.lab.vm import OWNER_PREFIX, sweep_vms
from runbook_kb.mutation.resume import Checkpoint, Checkpoints, resumable

LAB = Path(__file__).parents[1] / "labs" / "raid1-upgrade.yml"


def _raid1(project_root: Path):
    return load_lab(LAB, project_root / "snippets")


def test_a_mutant_starts_at_the_last_reboot_before_its_snippets_first_use(tmp_path):
    lab = _raid1(Path(__file__).parents[2])
    steps = lab.steps_on(lab.releases[0].key)
    reboots = [step.index for step in steps if step.kind == "reboot"]
    points = Checkpoints()
    try:
        points.saved = [Checkpoint(index, tmp_path / str(index)) for index in reboots]
        for step in steps:
            if step.snippet is None:
                continue
            first = min(s.index for s in steps if s.snippet and s.snippet.path == step.snippet.path)
            chosen = points.before(steps, step.snippet.path)
            assert chosen.index == max(index for index in reboots if index <= first)
        assert points.before(steps, "raid1-upgrade/no-such-file.sh") is None
    finally:
        points.remove()
    assert not points.folder.exists()


def test_only_a_lab_of_vms_resumes_and_its_saved_disks_go_with_a_killed_owner(tmp_path):
    root = Path(__file__).parents[2]
    assert resumable(_raid1(root))
    assert not resumable(load_lab(root / "tests/labs/saslauthd.yml", root / "snippets"))
    points = Checkpoints()
    try:
        assert points.folder.name.startswith(f"{OWNER_PREFIX}{owner_id()}-")
        assert str(points.folder) not in " ".join(sweep_vms())  # its owner is alive
    finally:
        points.remove()

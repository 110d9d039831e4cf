"""Mutants of a VM lab start where their snippet is first used: at the last reboot step before it. A reboot
powers the machine off, so all it carries forward is its disks and the placeholder values captured so far;
one unmutated run saves both at each reboot, and a mutant's run copies them back and boots from there. The
steps before that reboot do not see the mutant and would only repeat what the unmutated run did, as a
whole-system boot under emulation does in minutes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..lab.provision import PodmanProvisioner
from ..lab.runner import LabRunner
from ..lab.spec import Lab, Step
from ..lab.podman import owner_id
from ..lab.vm import NOBODY, OWNER_PREFIX, QemuHost, extract_vm_files


def resumable(lab: Lab) -> bool:
    """Only a lab whose every host is a VM: a container's state does not survive on disk files alone."""
    return all(host.vm for host in lab.hosts.values())


@dataclass(frozen=True)
class Checkpoint:
    index: int  # the reboot step it was taken before
    folder: Path  # host name / disk name.img, and values.json


class Checkpoints:
    """The saved states of one unmutated run, in a folder that mutate() removes when its mutants have run."""

    def __init__(self):
        # Named as a VM's own folder is, so that the sweep after a killed run removes it with theirs.
        self.folder = Path(tempfile.mkdtemp(prefix=f"{OWNER_PREFIX}{owner_id()}-checkpoints-"))
        self.saved: list[Checkpoint] = []

    def before(self, steps: tuple[Step, ...], snippet: str) -> Checkpoint | None:
        """The latest one taken no later than the first step that uses `snippet`."""
        first = min((step.index for step in steps if step.snippet and step.snippet.path == snippet), default=None)
        usable = [point for point in self.saved if first is not None and point.index <= first]
        return usable[-1] if usable else None

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _copy_disks(source: Path, dest: Path, owner: int | None) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for disk in sorted(source.glob("*.img")):
        # --sparse=always: the disks are mostly holes, and a plain copy would write all of them out.
        subprocess.run(["cp", "--sparse=always", str(disk), str(dest / disk.name)], check=True)
        if owner is not None:
            os.chown(dest / disk.name, owner, owner)


class SavingRunner(LabRunner):
    """An unmutated run that saves each VM's disks and the values so far before every reboot step."""

    def __init__(self, *args, checkpoints: Checkpoints, **kwargs):
        super().__init__(*args, **kwargs)
        self.checkpoints = checkpoints

    def _step(self, step: Step):
        if step.kind == "reboot":
            point = Checkpoint(step.index, self.checkpoints.folder / str(step.index))
            for name, host in self.hosts.items():
                host.poweroff()  # the reboot's own power-off then finds it off
                _copy_disks(host.workdir, point.folder / name, None)
            (point.folder / "values.json").write_text(json.dumps(self.values), encoding="utf-8")
            self.checkpoints.saved.append(point)
        return super()._step(step)


class _PoweredOff(QemuHost):
    """A VM that has not run yet in this lab run: there is nothing to power off before its first boot."""

    def poweroff(self, timeout: float = 30) -> None:
        if self.process is not None:
            super().poweroff(timeout)


class _ResumedProvisioner(PodmanProvisioner):
    """The lab's VMs, powered off, with the disks of a checkpoint: its reboot step boots them."""

    def __init__(self, *args, checkpoint: Checkpoint, **kwargs):
        super().__init__(*args, **kwargs)
        self.checkpoint = checkpoint

    def start(self):
        self.tags = self._images()
        for name, host in self.lab.hosts.items():
            vm = _PoweredOff(name, extract_vm_files(self.tags[name], self.layout.vm_files, self.layout.locks), host.vm)
            self.hosts[name] = vm
            _copy_disks(self.checkpoint.folder / name, vm.workdir, NOBODY if vm.unprivileged else None)
        return self.hosts


class ResumedRunner(LabRunner):
    """A lab run from a checkpoint's reboot step on, with the values captured before it."""

    def __init__(self, lab: Lab, release, layout, progress, *, checkpoint: Checkpoint, **kwargs):
        super().__init__(lab, release, layout, progress, provisioner=_ResumedProvisioner(
            lab, release, layout, f"{lab.name}-resumed", progress, kwargs.get("texts"), checkpoint=checkpoint),
            **kwargs)
        self.steps = [step for step in self.steps if step.index >= checkpoint.index]
        self.values = json.loads((checkpoint.folder / "values.json").read_text(encoding="utf-8"))

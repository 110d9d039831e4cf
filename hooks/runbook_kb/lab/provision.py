"""Where a lab's hosts come from, and where they go: its images built (or found) for the release, one
container per host on a private network or a QEMU micro-VM, and all of it removed again on every way out.
The runner asks a Provisioner; the unit tests give it hosts that need no podman."""

from __future__ import annotations

import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

from ..layout import Layout
from . import images
from .hosts import Host, PodmanHost
from .podman import labels, podman
from .releases import Release
from .results import HostEnv
from .spec import Lab
from .vm import QemuHost, extract_vm_files

# How long systemd as PID 1 may take to bring a container's services up before the first step.
SYSTEMD_BOOT = 60
# The one setting in which a systemd host differs from a reader's server: no start rate limit (the file says why).
SYSTEMD_CONF = (Path(__file__).with_name("systemd-lab.conf"), "/etc/systemd/system.conf.d/50-runbook-lab.conf")


class Provisioner(ABC):
    def __init__(self):
        self.hosts: dict[str, Host] = {}  # filled as they start, so whatever started is removed

    @abstractmethod
    def start(self) -> dict[str, Host]: ...

    @abstractmethod
    def environment(self, name: str) -> HostEnv:
        """What the badges say a host ran: image, system, package versions."""

    def remove(self) -> None:
        for host in self.hosts.values():
            host.remove()


class PodmanProvisioner(Provisioner):
    def __init__(self, lab: Lab, release: Release, layout: Layout, run_id: str, progress: Callable[[str], None],
                 texts: dict[str, str] | None = None):
        super().__init__()
        self.lab, self.release, self.layout, self.run_id, self.progress = lab, release, layout, run_id, progress
        self.texts = texts or {}  # snippet file → the text a mounted folder shows instead of the file's (a mutant)
        self.tags: dict[str, str] = {}
        self.network: str | None = None
        self.copies: list[Path] = []  # mounted folders copied with a mutant in them, removed with the hosts

    def start(self) -> dict[str, Host]:
        self.tags = self._images()
        for name, host in self.lab.hosts.items():
            if host.vm:
                vm = QemuHost(name, extract_vm_files(self.tags[name], self.layout.vm_files, self.layout.locks), host.vm)
                self.hosts[name] = vm
                self.progress(f"booting {name}: QEMU ({vm.accel}), disks {', '.join(host.vm.attach)}")
                vm.boot()
        if not all(host.vm for host in self.lab.hosts.values()):  # a VM has no network
            self._containers()
        return self.hosts

    def environment(self, name: str) -> HostEnv:
        try:
            os_name, packages = self.hosts[name].environment(self.lab.hosts[name].packages)
        except RuntimeError as exc:
            raise RuntimeError(f"{self.lab.path}: {exc}") from None
        tag = self.tags[name]
        return HostEnv(tag, images.image_id(tag)[:12], os_name, packages)

    def remove(self) -> None:
        try:
            super().remove()
        finally:
            if self.network:
                podman("network", "rm", "-f", self.network, check=False)
            for copy in self.copies:
                shutil.rmtree(copy, ignore_errors=True)

    def _mount_source(self, source: Path) -> Path:
        """The file or folder to mount: `source`, or a copy of it holding the mutant when it is, or holds, a
        mutated file (a step that reads the snippet through the mount must see what the others run)."""
        source = source.resolve()
        inside = {(self.layout.snippets / path).resolve(): text for path, text in self.texts.items()}
        inside = {path: text for path, text in inside.items() if path == source or path.is_relative_to(source)}
        if not inside:
            return source
        copy = Path(tempfile.mkdtemp(prefix=f"{self.run_id}-mount-"))
        self.copies.append(copy)
        if source.is_file():
            (copy / source.name).write_text(inside[source], encoding="utf-8")
            return copy / source.name
        shutil.copytree(source, copy / "source", symlinks=True)
        for path, text in inside.items():
            (copy / "source" / path.relative_to(source)).write_text(text, encoding="utf-8")
        return copy / "source"

    def _images(self) -> dict[str, str]:
        """Host name → image tag, building what is missing."""
        layout = self.layout
        base_id = images.ensure_base(self.release, layout.locks, self.progress)
        # Named by the Containerfile, not the lab, so labs that share one (tests/labs/mariadb/…) build it once.
        built = {
            name: images.ensure_image(images.image_name(file, layout.labs), file, self.release, base_id, layout,
                                      self.progress)
            for name, file in self.lab.images.items()
        }
        return {host.name: built[host.image] for host in self.lab.hosts.values()}

    def _containers(self) -> None:
        self.network = f"rblab-{self.run_id}"
        podman("network", "create", *labels(), self.network)
        for name, host in self.lab.hosts.items():
            if host.vm:
                continue
            container = f"rblab-{self.run_id}-{name}"
            mounts = [arg for source, target in host.mounts
                      for arg in ("-v", f"{self._mount_source(source)}:{target}:ro")]
            aliases = [arg for alias in (name, *host.aliases) for arg in ("--network-alias", alias)]
            if host.init == "systemd":
                # systemd as PID 1, as on a reader's server: services are units, managed with systemctl.
                init, command = ["--systemd=always", "-v", "{}:{}:ro".format(*SYSTEMD_CONF)], ["/sbin/init"]
            else:
                has_cmd = podman("image", "inspect", "--format", "{{json .Config.Cmd}}", self.tags[name]).strip()
                command = [] if has_cmd not in ("null", "[]", "") else ["sleep", "infinity"]
                # --init: a reaping PID 1, so daemons restarted by a step leave no zombies pgrep would count.
                init = ["--init"]
            podman("run", "-d", *init, "--name", container, "--hostname", name, "--network", self.network,
                   *aliases, *labels(), *mounts, self.tags[name], *command)
            self.hosts[name] = PodmanHost(name, container)
        for name, host in self.lab.hosts.items():
            if host.init == "systemd":
                self._await_systemd(name)

    def _await_systemd(self, name: str) -> None:
        """Until systemd has started every unit it was asked to (a step that restarts a service must not
        race the boot); a unit that failed to start is named, and the journal is shown."""
        # systemctl gives up at once if systemd has not yet made its private socket, which on a busy machine
        # comes after `podman run` has returned: wait for the socket, then for the boot.
        state = self.hosts[name].sh(
            f"timeout {SYSTEMD_BOOT} sh -c 'until [ -S /run/systemd/private ]; do sleep 0.1; done;"
            f" systemctl is-system-running --wait'", timeout=SYSTEMD_BOOT + 10).output.strip()
        if state == "running":
            return
        failed = self.hosts[name].sh("systemctl --failed --no-legend --plain", timeout=15).output.strip()
        journal = self.hosts[name].sh("journalctl -n 30 --no-pager", timeout=15).output.rstrip()
        raise RuntimeError(f"{self.lab.path.name}: host {name} on {self.release.name}: systemd is {state or 'not up'}"
                           f" after {SYSTEMD_BOOT} s; failed units: {failed or 'none'}\n--- journal (tail) ---\n"
                           f"{journal}")

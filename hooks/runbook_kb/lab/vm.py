"""A second kind of lab host: a QEMU micro-VM with its own kernel, for what containers cannot do (md RAID).

The VM boots Debian's kernel and an initramfs taken out of a lab image (`/vm/` of a Containerfile, built and
cached like any image), with sparse raw files as virtio-scsi disks (/dev/sda, /dev/sdb …), no network, and
the serial console in a log file. Commands travel over a virtio-serial port to a small agent in the guest:
one line of base64 shell script in, its output and exit status out. QEMU runs as an unprivileged user where
possible, under a hard `timeout` (QEMU can hang rather than exit), and is ended on every way out; a run that
was killed leaves processes the next lab run ends (their owner is named on QEMU's command line).
"""

from __future__ import annotations

import base64
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .hosts import ExecResult, Host
from .images import cached_folder
from .podman import owner_alive, owner_id, podman

VM_FILES = ("vmlinuz", "initrd.gz", "os", "packages")
LIFETIME = 1800  # seconds: the most any VM lives, even if the lab runner itself is killed
BOOT_TIMEOUT = 90
NOBODY = 65534
OWNER_PREFIX = "runbook-lab-vm-owner-"  # in QEMU's -name: who started it, for the sweep after a killed run
_SIZE = re.compile(r"([0-9]+)([MG])")


@dataclass(frozen=True)
class VmSpec:
    memory: int  # MiB
    disks: tuple[tuple[str, str], ...]  # name → size ("64M"), created sparse on first use
    attach: tuple[str, ...]  # disks at boot, in order: sda, sdb, …


def size_bytes(size: str) -> int:
    match = _SIZE.fullmatch(size)
    if not match:
        raise ValueError(f"disk size {size!r}: a number and M or G, e.g. 64M")
    return int(match[1]) * (1 << 20 if match[2] == "M" else 1 << 30)


def extract_vm_files(tag: str, cache: Path, lock_dir: Path) -> Path:
    """/vm/{vmlinuz,initrd.gz,os,packages} of an image, copied out once per image (its tag is its content)."""

    def fill(folder: Path) -> None:
        container = podman("create", tag, "true").strip()
        try:
            for name in VM_FILES:
                podman("cp", f"{container}:/vm/{name}", str(folder / name))
        finally:
            podman("rm", container, check=False)

    return cached_folder(cache / tag.rsplit(":", 1)[1], fill, lock_dir)


def _kvm_usable() -> bool:
    """KVM only where the CPU shows hardware virtualisation; a nested /dev/kvm without it aborts or hangs."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return bool(re.search(r"^flags\s*:.*\b(vmx|svm)\b", flags, re.M)) and os.access("/dev/kvm", os.R_OK | os.W_OK)


def qemu_version() -> str:
    out = subprocess.run(["qemu-system-x86_64", "--version"], capture_output=True, text=True, check=True).stdout
    return re.search(r"version (\S+)", out)[1]


class QemuHost(Host):
    def __init__(self, name: str, files: Path, spec: VmSpec):
        super().__init__(name)
        self.files, self.spec = files, spec
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{OWNER_PREFIX}{owner_id()}-{name}-"))
        self.console = self.workdir / "console.log"
        self.process: subprocess.Popen | None = None
        self.channel = self.reader = None
        self.accel = "kvm" if _kvm_usable() else "tcg"
        self.boots = []  # seconds from QEMU start to the agent answering, per boot
        self.unprivileged = os.geteuid() == 0
        if self.unprivileged:
            os.chown(self.workdir, NOBODY, NOBODY)

    # --- the machine -------------------------------------------------------------------------------------
    def _disk(self, name: str) -> Path:
        path = self.workdir / f"{name}.img"
        if not path.exists():
            with open(path, "wb") as handle:
                handle.truncate(size_bytes(dict(self.spec.disks)[name]))
            if self.unprivileged:
                os.chown(path, NOBODY, NOBODY)
        return path

    def _boot_file(self, name: str) -> Path:
        """The kernel or initramfs where QEMU can read it: an unprivileged QEMU cannot reach the cache when the
        project lies in a private directory, such as root's home on a fresh machine."""
        if not self.unprivileged:
            return self.files / name
        path = self.workdir / name
        if not path.exists():
            shutil.copyfile(self.files / name, path)
        return path

    def _argv(self, disks: tuple[str, ...], boot_from_disk: bool) -> list[str]:
        argv = ["qemu-system-x86_64", "-name", f"guest={OWNER_PREFIX}{owner_id()}", "-accel", self.accel,
                "-cpu", "max", "-machine", "q35", "-m", str(self.spec.memory), "-smp", "1",
                "-nodefaults", "-no-user-config", "-display", "none", "-nic", "none", "-no-reboot",
                "-serial", f"file:{self.console}", "-device", "virtio-scsi-pci,id=scsi",
                "-device", "virtio-serial-pci",
                "-chardev", f"socket,id=agent,path={self.workdir / 'agent.sock'},server=on,wait=off",
                "-device", "virtserialport,chardev=agent,name=agent"]
        if not boot_from_disk:
            argv += ["-kernel", str(self._boot_file("vmlinuz")), "-initrd", str(self._boot_file("initrd.gz")),
                     "-append", "console=ttyS0 panic=-1"]
        for index, disk in enumerate(disks):
            argv += ["-drive", f"file={self._disk(disk)},format=raw,if=none,id=d{index}",
                     "-device", f"scsi-hd,drive=d{index},bus=scsi.0,scsi-id={index},lun=0,serial={disk}"
                     + (",bootindex=1" if boot_from_disk and index == 0 else "")]
        privilege = (["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
                     if self.unprivileged else [])
        return ["timeout", "--kill-after=5", str(LIFETIME), *privilege, *argv]

    def boot(self, disks: tuple[str, ...] | None = None, boot_from_disk: bool = False) -> None:
        disks = disks or self.spec.attach
        with open(self.console, "ab") as log:
            log.write(f"\n--- boot with disks {', '.join(disks)}"
                      f"{' through the boot loader' if boot_from_disk else ''} ---\n".encode())
        if self.unprivileged:
            os.chown(self.console, NOBODY, NOBODY)
        started = time.monotonic()
        (self.workdir / "agent.sock").unlink(missing_ok=True)
        with open(self.workdir / "qemu.err", "wb") as errors:
            self.process = subprocess.Popen(self._argv(disks, boot_from_disk), stdin=subprocess.DEVNULL,
                                            stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
        deadline = started + BOOT_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: QEMU exited while booting ({self._qemu_error()})")
            channel = socket.socket(socket.AF_UNIX)
            try:
                channel.connect(str(self.workdir / "agent.sock"))
            except OSError:
                channel.close()
                time.sleep(0.05)
                continue
            self.channel, self.reader = channel, channel.makefile("rb")
            break
        if self.channel is None:
            self.kill()
            raise RuntimeError(f"{self.name}: no agent socket after {BOOT_TIMEOUT} s")
        # The agent answers once the guest has booted; the same deadline bounds the whole boot.
        ready = self.sh("true", timeout=max(1.0, deadline - time.monotonic()))
        if ready.status != 0:
            self.kill()
            raise RuntimeError(f"{self.name}: the VM did not come up in {BOOT_TIMEOUT} s; console:\n"
                               f"{self.tail('console', 15)}")
        self.boots.append(round(time.monotonic() - started, 2))

    def poweroff(self, timeout: float = 30) -> None:
        if self.channel:
            try:
                self.channel.sendall(base64.b64encode(b"sync; poweroff -f") + b"\n")
            except OSError:
                pass
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def reboot(self, disks: tuple[str, ...], boot_from_disk: bool = False) -> None:
        self.poweroff()
        self.boot(disks, boot_from_disk)

    def kill(self) -> None:
        if self.channel:
            self.reader.close()
            self.channel.close()
            self.channel = self.reader = None
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _qemu_error(self) -> str:
        return (self.workdir / "qemu.err").read_text(errors="replace").strip()[-500:] or "no message"

    # --- commands ----------------------------------------------------------------------------------------
    def exec(self, argv: list[str], *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        return self.sh(shlex.join(argv), timeout=timeout, stdin=stdin)

    def sh(self, script: str, *, timeout: float, stdin: bytes | None = None) -> ExecResult:
        started = time.monotonic()
        if self.channel is None:
            return ExecResult(None, "the VM is not running", 0.0)
        if stdin is not None:
            script = (f"base64 -d > /tmp/.agent-stdin <<'RUNBOOK_STDIN'\n{base64.encodebytes(stdin).decode()}"
                      f"RUNBOOK_STDIN\n( {script}\n) < /tmp/.agent-stdin")
        self.channel.settimeout(timeout)
        try:
            self.channel.sendall(base64.b64encode(script.encode()) + b"\n")
            output, status = self.reader.readline().split(b" ", 1), self.reader.readline().split(b" ", 1)
        except (TimeoutError, OSError):
            # The command goes on in the guest; the VM is of no further use, as a container would not be.
            self.kill()
            return ExecResult(None, "", time.monotonic() - started)
        if output[0] != b"OUT" or status[0] != b"EXIT" or len(status) < 2:
            # The channel closed mid-command: the guest powered off, panicked or QEMU died.
            self.kill()
            return ExecResult(255, f"the VM went away during the command; console:\n{self.tail('console', 15)}",
                              time.monotonic() - started)
        text = base64.b64decode(output[1]).decode(errors="replace") if len(output) > 1 else ""
        return ExecResult(int(status[1]), text, time.monotonic() - started)

    def fetch(self, path: str, dest: Path) -> None:
        result = self.sh(f"base64 -w0 {shlex.quote(path)}", timeout=60)
        if result.status != 0:
            raise RuntimeError(f"{self.name}: cannot read {path}: {result.output.strip()}")
        dest.write_bytes(base64.b64decode(result.output))

    def tail(self, path: str, lines: int = 30) -> str:
        """`console` is the VM's serial console, kept on this machine; other paths are read in the guest."""
        if path == "console":
            text = self.console.read_text(errors="replace") if self.console.exists() else ""
            return "\n".join(text.splitlines()[-lines:])
        return super().tail(path, lines)

    def environment(self, packages: tuple[str, ...]) -> tuple[str, dict[str, str]]:
        os_name = (self.files / "os").read_text().strip().replace(" GNU/Linux", "")
        versions = dict(line.split(" ", 1) for line in (self.files / "packages").read_text().splitlines())
        missing = [name for name in packages if name not in versions]
        if missing:
            raise RuntimeError(f"host {self.name}: packages not in the VM image: {', '.join(missing)}")
        accel = "KVM" if self.accel == "kvm" else "TCG, software emulation"
        return f"{os_name} in QEMU {qemu_version()} ({accel})", {name: versions[name] for name in packages}


def sweep_vms() -> list[str]:
    """QEMU processes of lab runs whose owner died (a SIGKILLed run), ended; what was ended, for the log."""
    ended = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        owner = next((a.decode()[len(OWNER_PREFIX) + 6:] for a in argv
                      if a.startswith(f"guest={OWNER_PREFIX}".encode())), None)
        if owner and not owner_alive(owner):
            try:
                os.kill(int(proc.name), signal.SIGKILL)
                ended.append(f"qemu pid {proc.name}")
            except OSError:
                pass
    # Their disk images and sockets, in folders named after the same owner.
    for folder in Path(tempfile.gettempdir()).glob(f"{OWNER_PREFIX}*"):
        pid, start = folder.name[len(OWNER_PREFIX):].split("-")[:2]
        if not owner_alive(f"{pid}-{start}"):
            shutil.rmtree(folder, ignore_errors=True)
            ended.append(f"folder {folder}")
    return ended

"""A lab spec's hosts: a container (optionally with systemd as PID 1) or a QEMU micro-VM, validated into
HostSpec records; every mistake is a SpecError naming file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import SpecError
from ..snippets import confined
from ..yamlfile import Located
from .specfields import mapping, reject_unknown, strings
from .vm import VmSpec, size_bytes

_HOST_KEYS = {"image", "packages", "logs", "mounts", "aliases", "vm", "init"}
INITS = ("systemd",)
_VM_KEYS = {"memory", "disks", "attach"}
# A DNS name other hosts may also reach this one by (e.g. the public endpoint a page's command names).
_ALIAS = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


@dataclass(frozen=True)
class HostSpec:
    name: str
    image: str
    packages: tuple[str, ...] = ()
    logs: tuple[str, ...] = ()
    mounts: tuple[tuple[Path, str], ...] = ()
    aliases: tuple[str, ...] = ()
    vm: VmSpec | None = None  # a QEMU micro-VM booted from the image's /vm/ files instead of a container
    init: str | None = None  # "systemd": the container runs systemd as PID 1, as a reader's server does


def parse_host(path: Path, name: str, raw: object, images: dict[str, Path], root: Path) -> HostSpec:
    if not isinstance(raw, Located):
        raise SpecError(path, None, f"host {name!r} must be a mapping")
    reject_unknown(path, raw, _HOST_KEYS, "host")
    image = raw.get("image")
    if image not in images:
        raise SpecError(path, raw.line_of("image"), f"host {name!r}: unknown image {image!r}")
    mounts = []
    for source, target in mapping(path, raw, "mounts").items():
        try:
            source_path = confined(root, str(source), "mount source", base=path.parent)
        except ValueError as exc:
            raise SpecError(path, raw["mounts"].line_of(source), str(exc)) from None
        if not source_path.exists():
            raise SpecError(path, raw["mounts"].line_of(source), f"mount source {source_path} does not exist")
        mounts.append((source_path, str(target)))
    aliases = strings(path, raw, "aliases")
    for alias in aliases:
        if not _ALIAS.fullmatch(alias):
            raise SpecError(path, raw.line_of("aliases"), f"host {name!r}: alias {alias!r} is not a DNS name")
    vm = _vm(path, name, raw) if "vm" in raw else None
    if vm and (mounts or aliases or "init" in raw):
        raise SpecError(path, raw.line_of("vm"), f"host {name!r}: a VM has no mounts, network aliases or init")
    init = raw.get("init")
    if init is not None and init not in INITS:
        raise SpecError(path, raw.line_of("init"), f"host {name!r}: init is {' or '.join(INITS)} (or left out: "
                                                   "a reaping init that runs no services)")
    return HostSpec(name, image, strings(path, raw, "packages"), strings(path, raw, "logs"), tuple(mounts),
                    aliases, vm, init)


def _vm(path: Path, name: str, raw: Located) -> VmSpec:
    vm = raw["vm"]
    if not isinstance(vm, Located):
        raise SpecError(path, raw.line_of("vm"), f"host {name!r}: vm is a mapping (memory, disks, attach)")
    reject_unknown(path, vm, _VM_KEYS, "vm")
    memory = vm.get("memory", 256)
    if not isinstance(memory, int) or not 64 <= memory <= 4096:
        raise SpecError(path, vm.line_of("memory"), "vm memory: MiB between 64 and 4096")
    disks = mapping(path, vm, "disks")
    for disk, size in disks.items():
        try:
            size_bytes(str(size))
        except ValueError as exc:
            raise SpecError(path, vm["disks"].line_of(disk), str(exc)) from None
    attach = strings(path, vm, "attach")
    for disk in attach:
        if disk not in disks:
            raise SpecError(path, vm.line_of("attach"), f"vm attach: no disk {disk!r} under disks")
    return VmSpec(memory, tuple((str(k), str(v)) for k, v in disks.items()), attach)

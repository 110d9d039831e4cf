"""Lab specs: `tests/labs/<runbook>.yml`, one per runbook, validated into plain records.

The format is documented in README.md ("Writing a lab"). Every mistake raises SpecError with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import SpecError
from .placeholders import COMMENTS, PLACEHOLDER, names
from ..layout import Layout
from .releases import Release, load_releases
from ..snippets import SnippetRef, confined, read_snippet
from .vm import VmSpec, size_bytes
from ..yamlfile import Located, load_yaml

STEP_KINDS = ("run", "install", "compare", "command", "reboot")
DEFAULT_SHELL = "bash {file}"
DEFAULT_TIMEOUT = 60.0

_LAB_KEYS = {"title", "images", "hosts", "vars", "steps", "pending", "not_on"}
_ARTIFACT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_HOST_KEYS = {"image", "packages", "logs", "mounts", "aliases", "vm", "init"}
INITS = ("systemd",)
_VM_KEYS = {"memory", "disks", "attach"}
# A DNS name other hosts may also reach this one by (e.g. the public endpoint a page's command names).
_ALIAS = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_STEP_KEYS = {
    "name", "on", "shell", "expect", "status", "check", "check_expect", "check_status",
    "timeout", "to", "mode", "against", "capture", "wait", "artifacts", "boot", "releases", *STEP_KINDS,
}


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


@dataclass(frozen=True)
class Step:
    index: int  # 1-based position in the lab
    line: int  # line of the step in the spec
    kind: str
    host: str
    name: str
    snippet: SnippetRef | None = None
    command: str | None = None  # kind "command": the command; kind "compare": the command whose output is shown
    shell: str = DEFAULT_SHELL
    expect: str | None = None
    status: int = 0
    check: str | None = None
    check_expect: str | None = None
    check_status: int = 0
    timeout: float = DEFAULT_TIMEOUT
    to: str | None = None
    mode: str = "0644"
    capture: tuple[tuple[str, str], ...] = ()  # (placeholder name, regex with one group) read from the output
    wait: float | None = None  # poll the verifying command until it passes, for at most this many seconds
    artifacts: tuple[str, ...] = ()  # files on the host the step makes for the page (screenshots, figures)

    @property
    def artifact_names(self) -> dict[str, str]:
        """File name (what pages refer to) → path on the host."""
        return {PurePosixPath(path).name: path for path in self.artifacts}
    disks: tuple[str, ...] = ()  # kind "reboot": the VM's disks after the power cycle, in order (sda, sdb …)
    boot_from_disk: bool = False  # kind "reboot": through the disks' boot loader, not QEMU's -kernel
    releases: tuple[str, ...] | None = None  # only on these releases (what differs between them); None: on all

    def runs_on(self, release: str) -> bool:
        return self.releases is None or release in self.releases

    @property
    def shows_output(self) -> bool:
        """A compare step checks a snippet that shows output; the others run or install it."""
        return self.kind == "compare"


@dataclass(frozen=True)
class Lab:
    name: str
    path: Path
    title: str
    images: dict[str, Path] = field(default_factory=dict)
    hosts: dict[str, HostSpec] = field(default_factory=dict)
    vars: dict[str, str] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    pending: str | None = None
    releases: tuple[Release, ...] = ()  # what it runs on: the site's releases, in their order, less not_on
    not_on: dict[str, str] = field(default_factory=dict)  # release key → why the lab does not run there

    @property
    def runnable(self) -> bool:
        return bool(self.steps)

    def steps_on(self, release: str) -> tuple[Step, ...]:
        return tuple(step for step in self.steps if step.runs_on(release))


def load_labs(labs_dir: Path, snippets_dir: Path) -> list[Lab]:
    return [load_lab(path, snippets_dir) for path in sorted(labs_dir.glob("*.yml"))]


def _releases(path: Path, data: Located, known: tuple[Release, ...]) -> tuple[tuple[Release, ...], dict[str, str]]:
    not_on = {str(k): v for k, v in _mapping(path, data, "not_on").items()}
    for key, reason in not_on.items():
        line = data["not_on"].line_of(key)
        if key not in {release.key for release in known}:
            raise SpecError(path, line, f"not_on: {key!r} is not a release in tests/releases.yml "
                                        f"({', '.join(release.key for release in known)})")
        if not isinstance(reason, str) or not reason.strip():
            raise SpecError(path, line, f"not_on: {key}: the reason readers see, as text")
    runs_on = tuple(release for release in known if release.key not in not_on)
    if not runs_on:
        raise SpecError(path, data.line_of("not_on"), "not_on leaves no release to run on")
    return runs_on, not_on


def load_lab(path: Path, snippets_dir: Path) -> Lab:
    data = load_yaml(path)
    _reject_unknown(path, data, _LAB_KEYS, "lab")
    releases, not_on = _releases(path, data, load_releases(Layout(snippets_dir.parent).releases))
    name = path.stem
    images = {}
    for image, containerfile in _mapping(path, data, "images").items():
        try:
            file = confined(path.parent, str(containerfile), f"image {image!r}: Containerfile")
        except ValueError as exc:
            raise SpecError(path, data["images"].line_of(image), str(exc)) from None
        if not file.is_file():
            raise SpecError(path, data["images"].line_of(image), f"image {image!r}: no Containerfile at {file}")
        images[image] = file
    hosts = {
        host: _host(path, host, raw, images, snippets_dir.parent) for host, raw in _mapping(path, data, "hosts").items()
    }
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list):
        raise SpecError(path, data.line_of("steps"), "steps must be a list")
    if raw_steps and not hosts:
        raise SpecError(path, data.line_of("steps"), "steps need at least one host")
    variables = {str(k): str(v) for k, v in _mapping(path, data, "vars").items()}
    for key in variables:
        if not PLACEHOLDER.fullmatch(f"<{key}>"):
            raise SpecError(path, data["vars"].line_of(key), f"vars: {key!r} is not an UPPER_CASE placeholder name")
    steps = tuple(
        _step(path, index, raw, hosts, snippets_dir, releases) for index, raw in enumerate(raw_steps, start=1)
    )
    _check_placeholders(path, steps, set(variables), snippets_dir)
    made_by: dict[str, Step] = {}
    for step in steps:
        for file_name in step.artifact_names:
            if file_name in made_by:
                raise SpecError(path, step.line, f"artifact name {file_name} is also made by step "
                                                 f"{made_by[file_name].index}; pages name artifacts by lab and file")
            made_by[file_name] = step
    pending = data.get("pending")
    if pending is not None and (steps or not isinstance(pending, str)):
        raise SpecError(path, data.line_of("pending"), "pending is a reason (text), for a lab without steps")
    return Lab(name, path, str(data.get("title") or name), images, hosts, variables, steps, pending, releases,
               not_on)


def step_texts(step: Step, snippets_dir: Path) -> list[str]:
    """Everything a step sends to a host or compares with, in which placeholders are filled."""
    texts = [step.command, step.shell, step.expect, step.check, step.check_expect]
    if step.snippet:
        texts.append(read_snippet(snippets_dir, step.snippet).text)
    return [text for text in texts if text]


def _check_placeholders(path: Path, steps: tuple[Step, ...], known: set[str], snippets_dir: Path) -> None:
    """Every placeholder a step runs is filled: by the lab's vars or by an earlier step's capture; one that
    neither defines, or that a step captures only later, would run as literal text. A usage comment
    (`# Usage: … <PASSWORD>`) is for readers and may keep its placeholders."""
    captured_at = {name: step for step in steps for name, _ in step.capture}
    for step in steps:
        used = set().union(*(names(text) for text in step_texts(step, snippets_dir)))
        # What runs as a program: a file installed or compared may mention placeholders in its own docs.
        runs = step_texts(step, snippets_dir) if step.kind == "run" else [
            text for text in (step.command, step.check) if text]
        ran = set().union(*(names(_code_lines(text)) for text in runs))
        for name in sorted(used - known):
            later = captured_at.get(name)
            if later is None and name in ran:
                raise SpecError(path, step.line, f"step {step.index} uses <{name}>, which neither the lab's vars "
                                                 "nor any step's capture defines")
            if later is not None and later.index >= step.index:
                raise SpecError(path, step.line, f"step {step.index} uses <{name}>, which step {later.index} "
                                                 "captures only later")
        known |= {name for name, _ in step.capture}


def _code_lines(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(COMMENTS))


def _reject_unknown(path: Path, data: Located, allowed: set[str], what: str) -> None:
    for key in data:
        if key not in allowed:
            known = ", ".join(sorted(allowed))
            raise SpecError(path, data.line_of(key), f"unknown {what} key {key!r} (known: {known})")


def _mapping(path: Path, data: Located, key: str) -> Located:
    value = data.get(key)
    if value is None:
        return Located()
    if not isinstance(value, dict):
        raise SpecError(path, data.line_of(key), f"{key} must be a mapping")
    return value


def _strings(path: Path, raw: Located, key: str) -> tuple[str, ...]:
    value = raw.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(path, raw.line_of(key), f"{key} must be a list of strings")
    return tuple(value)


def _host(path: Path, name: str, raw: object, images: dict[str, Path], root: Path) -> HostSpec:
    if not isinstance(raw, Located):
        raise SpecError(path, None, f"host {name!r} must be a mapping")
    _reject_unknown(path, raw, _HOST_KEYS, "host")
    image = raw.get("image")
    if image not in images:
        raise SpecError(path, raw.line_of("image"), f"host {name!r}: unknown image {image!r}")
    mounts = []
    for source, target in _mapping(path, raw, "mounts").items():
        try:
            source_path = confined(root, str(source), "mount source", base=path.parent)
        except ValueError as exc:
            raise SpecError(path, raw["mounts"].line_of(source), str(exc)) from None
        if not source_path.exists():
            raise SpecError(path, raw["mounts"].line_of(source), f"mount source {source_path} does not exist")
        mounts.append((source_path, str(target)))
    aliases = _strings(path, raw, "aliases")
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
    return HostSpec(name, image, _strings(path, raw, "packages"), _strings(path, raw, "logs"), tuple(mounts),
                    aliases, vm, init)


def _vm(path: Path, name: str, raw: Located) -> VmSpec:
    vm = raw["vm"]
    if not isinstance(vm, Located):
        raise SpecError(path, raw.line_of("vm"), f"host {name!r}: vm is a mapping (memory, disks, attach)")
    _reject_unknown(path, vm, _VM_KEYS, "vm")
    memory = vm.get("memory", 256)
    if not isinstance(memory, int) or not 64 <= memory <= 4096:
        raise SpecError(path, vm.line_of("memory"), "vm memory: MiB between 64 and 4096")
    disks = _mapping(path, vm, "disks")
    for disk, size in disks.items():
        try:
            size_bytes(str(size))
        except ValueError as exc:
            raise SpecError(path, vm["disks"].line_of(disk), str(exc)) from None
    attach = _strings(path, vm, "attach")
    for disk in attach:
        if disk not in disks:
            raise SpecError(path, vm.line_of("attach"), f"vm attach: no disk {disk!r} under disks")
    return VmSpec(memory, tuple((str(k), str(v)) for k, v in disks.items()), attach)


def _step(path: Path, index: int, raw: object, hosts: dict[str, HostSpec], snippets_dir: Path,
          releases: tuple[Release, ...]) -> Step:
    if not isinstance(raw, Located):
        raise SpecError(path, None, f"step {index} must be a mapping")
    _reject_unknown(path, raw, _STEP_KEYS, "step")
    kinds = [kind for kind in STEP_KINDS if kind in raw]
    if len(kinds) != 1:
        raise SpecError(path, raw.line, f"step {index} needs exactly one of {', '.join(STEP_KINDS)}")
    kind = kinds[0]
    host = raw.get("on", next(iter(hosts)))
    if host not in hosts:
        raise SpecError(path, raw.line_of("on"), f"step {index}: unknown host {host!r}")
    fields: dict = {}
    if kind == "reboot":
        if not hosts[host].vm:
            raise SpecError(path, raw.line_of("reboot"), f"step {index}: reboot is for a vm host, {host} is a container")
        disks = _strings(path, raw, "reboot")
        known = dict(hosts[host].vm.disks)
        unknown = [disk for disk in disks if disk not in known]
        if not disks or unknown:
            raise SpecError(path, raw.line_of("reboot"), f"reboot: list the disks to boot with, from {', '.join(known)}")
        if raw.get("boot", "kernel") not in ("kernel", "disk"):
            raise SpecError(path, raw.line_of("boot"), "boot: kernel (QEMU loads it) or disk (the boot loader)")
        fields.update(disks=disks, boot_from_disk=raw.get("boot") == "disk",
                      command=f"power off, boot with {', '.join(disks)}"
                              + (" through the boot loader" if raw.get("boot") == "disk" else ""))
    elif kind == "command":
        fields["command"] = _text(path, raw, "command")
    else:
        fields["snippet"] = _snippet(path, raw, kind, snippets_dir)
    if kind == "install":
        fields["to"] = _text(path, raw, "to", required=f"an install step needs `to:` (the path on {host})")
        fields["mode"] = str(raw.get("mode", "0644"))
    if kind == "compare":
        fields["command"] = _text(path, raw, "against", required="a compare step needs `against:` (a command)")
        if "expect" in raw:
            raise SpecError(path, raw.line_of("expect"), "a compare step's expectation is its snippet")
    for key in ("shell", "expect", "check", "check_expect"):
        if key in raw:
            fields[key] = _text(path, raw, key)
    for key in ("status", "check_status"):
        if key in raw:
            if not isinstance(raw[key], int):
                raise SpecError(path, raw.line_of(key), f"{key} must be an integer exit status")
            fields[key] = raw[key]
    if "timeout" in raw:
        if not isinstance(raw["timeout"], (int, float)) or raw["timeout"] <= 0:
            raise SpecError(path, raw.line_of("timeout"), "timeout must be a positive number of seconds")
        fields["timeout"] = float(raw["timeout"])
    if "capture" in raw:
        fields["capture"] = _captures(path, raw)
    if "wait" in raw:
        if not isinstance(raw["wait"], (int, float)) or raw["wait"] <= 0:
            raise SpecError(path, raw.line_of("wait"), "wait must be a positive number of seconds")
        if kind in ("run", "install") and "check" not in raw:
            raise SpecError(path, raw.line_of("wait"), "wait polls a check (or a command/compare step's "
                                                        "command); a snippet is run only once")
        fields["wait"] = float(raw["wait"])
    if "artifacts" in raw:
        artifacts = _strings(path, raw, "artifacts")
        for artifact in artifacts:
            if not artifact.startswith("/") or artifact.endswith("/") or not _ARTIFACT.fullmatch(PurePosixPath(artifact).name):
                raise SpecError(path, raw.line_of("artifacts"), f"artifact {artifact!r}: an absolute path to a "
                                                                 "file named with letters, digits, - _ .")
        fields["artifacts"] = artifacts
    if "check_expect" in fields and "check" not in fields:
        raise SpecError(path, raw.line_of("check_expect"), "check_expect needs a check command")
    if "{file}" not in fields.get("shell", DEFAULT_SHELL):
        raise SpecError(path, raw.line_of("shell"), "shell must contain {file}")
    if "boot" in raw and kind != "reboot":
        raise SpecError(path, raw.line_of("boot"), "boot belongs to a reboot step")
    if "releases" in raw:
        only = _strings(path, raw, "releases")
        runs_on = [release.key for release in releases]
        if not only or any(key not in runs_on for key in only):
            raise SpecError(path, raw.line_of("releases"), f"step {index}: releases: some of the lab's "
                                                           f"{', '.join(runs_on)}")
        fields["releases"] = only
    label = raw.get("name") or (str(fields["snippet"]) if "snippet" in fields else fields["command"])
    return Step(index, raw.line, kind, host, str(label).splitlines()[0], **fields)


def _captures(path: Path, raw: Located) -> tuple[tuple[str, str], ...]:
    captures = raw["capture"]
    if not isinstance(captures, dict):
        raise SpecError(path, raw.line_of("capture"), "capture maps placeholder names to regexes")
    found = []
    for name, pattern in captures.items():
        line = captures.line_of(name)
        if not PLACEHOLDER.fullmatch(f"<{name}>"):
            raise SpecError(path, line, f"capture: {name!r} is not an UPPER_CASE placeholder name")
        try:
            groups = re.compile(str(pattern)).groups
        except re.error as exc:
            raise SpecError(path, line, f"capture {name}: bad regex: {exc}") from None
        if groups != 1:
            raise SpecError(path, line, f"capture {name}: the regex needs exactly one group, it has {groups}")
        found.append((str(name), str(pattern)))
    return tuple(found)


def _text(path: Path, raw: Located, key: str, required: str | None = None) -> str:
    value = raw.get(key)
    if value is None and required:
        raise SpecError(path, raw.line, required)
    if not isinstance(value, (str, int)):
        raise SpecError(path, raw.line_of(key), f"{key} must be text")
    return str(value)


def _snippet(path: Path, raw: Located, kind: str, snippets_dir: Path) -> SnippetRef:
    line = raw.line_of(kind)
    try:
        ref = SnippetRef.parse(str(raw[kind]))
        read_snippet(snippets_dir, ref)
    except FileNotFoundError:
        raise SpecError(path, line, f"no snippet file {snippets_dir / str(raw[kind]).split(':')[0]}") from None
    except OSError as exc:
        raise SpecError(path, line, f"snippet {raw[kind]}: {exc.strerror}") from None
    except ValueError as exc:
        raise SpecError(path, line, str(exc)) from None
    return ref

"""Lab specs: `tests/labs/<runbook>.yml`, one per runbook, validated into plain records.

The format is documented on the site (docs/guide/labs.md, with real examples). Every mistake raises
SpecError with file and line.
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
from .specfields import equivalents, mapping, positive, reject_unknown, strings, text
from .steps import KINDS, OWNED_KEYS, Parsing
from .hostspec import HostSpec, parse_host
from ..yamlfile import Located, load_yaml

DEFAULT_SHELL = "bash {file}"
DEFAULT_TIMEOUT = 60.0

_LAB_KEYS = {"title", "images", "hosts", "vars", "steps", "pending", "not_on"}
_ARTIFACT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_STEP_KEYS = {
    "name", "on", "shell", "expect", "status", "check", "check_expect", "check_status",
    "timeout", "capture", "wait", "artifacts", "releases", "equivalent", *KINDS, *OWNED_KEYS,
}


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
    equivalent: tuple[tuple[str, str], ...] = ()  # (mutant id, why no observation tells it from the snippet)

    def runs_on(self, release: str) -> bool:
        return self.releases is None or release in self.releases

    @property
    def shows_output(self) -> bool:
        """A compare step checks a snippet that shows output; the others run or install it."""
        return KINDS[self.kind].shows_output


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


def lab_runs(labs_dir: Path, releases: tuple[Release, ...]) -> list[tuple[str, str]]:
    """(lab, release) of every lab with steps, on each release it runs on: what a full run of the suite
    records, read from the specs without checking their steps (a merge needs no more)."""
    runs = []
    for path in sorted(labs_dir.glob("*.yml")):
        data = load_yaml(path)
        if data.get("steps"):
            runs += [(path.stem, release.key) for release in _releases(path, data, releases)[0]]
    return runs


def _releases(path: Path, data: Located, known: tuple[Release, ...]) -> tuple[tuple[Release, ...], dict[str, str]]:
    not_on = {str(k): v for k, v in mapping(path, data, "not_on").items()}
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
    reject_unknown(path, data, _LAB_KEYS, "lab")
    releases, not_on = _releases(path, data, load_releases(Layout(snippets_dir.parent).releases))
    name = path.stem
    images = {}
    for image, containerfile in mapping(path, data, "images").items():
        try:
            file = confined(path.parent, str(containerfile), f"image {image!r}: Containerfile")
        except ValueError as exc:
            raise SpecError(path, data["images"].line_of(image), str(exc)) from None
        if not file.is_file():
            raise SpecError(path, data["images"].line_of(image), f"image {image!r}: no Containerfile at {file}")
        images[image] = file
    hosts = {
        host: parse_host(path, host, raw, images, snippets_dir.parent) for host, raw in mapping(path, data, "hosts").items()
    }
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list):
        raise SpecError(path, data.line_of("steps"), "steps must be a list")
    if raw_steps and not hosts:
        raise SpecError(path, data.line_of("steps"), "steps need at least one host")
    variables = {str(k): str(v) for k, v in mapping(path, data, "vars").items()}
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
    title = text(path, data, "title") if data.get("title") is not None else name
    return Lab(name, path, title, images, hosts, variables, steps, pending, releases,
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
        runs = step_texts(step, snippets_dir) if KINDS[step.kind].executes_snippet else [
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


def _step(path: Path, index: int, raw: object, hosts: dict[str, HostSpec], snippets_dir: Path,
          releases: tuple[Release, ...]) -> Step:
    if not isinstance(raw, Located):
        raise SpecError(path, None, f"step {index} must be a mapping")
    reject_unknown(path, raw, _STEP_KEYS, "step")
    named = [name for name in KINDS if name in raw]
    if len(named) != 1:
        raise SpecError(path, raw.line, f"step {index} needs exactly one of {', '.join(KINDS)}")
    kind = KINDS[named[0]]
    for key, owner in OWNED_KEYS.items():
        if key in raw and owner != kind.name:
            raise SpecError(path, raw.line_of(key), f"{key} belongs to a{'n' if owner[0] in 'aeiou' else ''} "
                                                    f"{owner} step")
    host = raw.get("on", next(iter(hosts)))
    if not isinstance(host, str):
        raise SpecError(path, raw.line_of("on"), f"step {index}: on: names one host, as text, not {host!r}")
    if host not in hosts:
        raise SpecError(path, raw.line_of("on"), f"step {index}: unknown host {host!r}")
    found = kind.parse(Parsing(path, index, raw, host, hosts[host], snippets_dir)) | _common(path, raw)
    if "equivalent" in raw:
        found["equivalent"] = equivalents(path, raw, found.get("snippet"), snippets_dir)
    if "wait" in found and not kind.polls_itself and "check" not in raw:
        raise SpecError(path, raw.line_of("wait"), "wait polls a check (or a command/compare step's command); a "
                                                    "snippet is run only once")
    if "releases" in raw:
        only = strings(path, raw, "releases")
        runs_on = [release.key for release in releases]
        if not only or any(key not in runs_on for key in only):
            raise SpecError(path, raw.line_of("releases"), f"step {index}: releases: some of the lab's "
                                                           f"{', '.join(runs_on)}")
        found["releases"] = only
    label = text(path, raw, "name") if "name" in raw else str(found["snippet"]) if "snippet" in found else found["command"]
    if not label.strip():
        raise SpecError(path, raw.line_of("name"), f"step {index}: name is empty")
    return Step(index, raw.line, kind.name, host, str(label).splitlines()[0], **found)


def _common(path: Path, raw: Located) -> dict:
    """The keys every kind of step takes."""
    found: dict = {key: text(path, raw, key) for key in ("shell", "expect", "check", "check_expect") if key in raw}
    for key in ("status", "check_status"):
        if key in raw:
            if not isinstance(raw[key], int):
                raise SpecError(path, raw.line_of(key), f"{key} must be an integer exit status")
            found[key] = raw[key]
    for key in ("timeout", "wait"):
        if key in raw:
            found[key] = positive(path, raw, key, "seconds")
    if "capture" in raw:
        found["capture"] = _captures(path, raw)
    if "artifacts" in raw:
        found["artifacts"] = strings(path, raw, "artifacts")
        for artifact in found["artifacts"]:
            if not artifact.startswith("/") or artifact.endswith("/") or not _ARTIFACT.fullmatch(PurePosixPath(artifact).name):
                raise SpecError(path, raw.line_of("artifacts"), f"artifact {artifact!r}: an absolute path to a "
                                                                 "file named with letters, digits, - _ .")
    if "check_expect" in found and "check" not in found:
        raise SpecError(path, raw.line_of("check_expect"), "check_expect needs a check command")
    if "{file}" not in found.get("shell", DEFAULT_SHELL):
        raise SpecError(path, raw.line_of("shell"), "shell must contain {file}")
    return found


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

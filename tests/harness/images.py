"""Container images, built locally (there is no registry) and reused while their inputs are unchanged.

The base is a Debian bookworm made by mmdebstrap and imported into podman; lab images are built FROM it.
A lab image's tag is a hash of its Containerfile, the files its COPY/ADD lines take, its wheel list and the
base image id, so an unchanged image is never rebuilt and a changed one never reused.

Containers cannot reach PyPI here, the machine can. So a Containerfile may have a `<stem>.wheels.txt` beside it:
pinned, hash-checked requirements that pip downloads on the machine (into a cache keyed by the file's content)
and hands to the build as the extra context `wheels` (`COPY --from=wheels . /wheels/`).
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .layout import Layout
from .podman import podman

BASE_IMAGE = "localhost/runbook-base:bookworm"
BASE_RECIPE = ("bookworm", "--variant=apt", "--include=ca-certificates")
# The interpreter and C library (glibc 2.36) of the base image's Python, for which wheels are chosen; pip
# does not widen an explicit manylinux platform to older glibc versions, so every one is named.
BASE_PYTHON = ("--python-version", "3.11", "--implementation", "cp", "--abi", "cp311", "--abi", "abi3",
               "--abi", "none",
               *(arg for minor in range(36, 16, -1) for arg in ("--platform", f"manylinux_2_{minor}_x86_64")),
               "--platform", "manylinux2014_x86_64")
KEY_LABEL = "runbook-lab.key"

Progress = Callable[[str], None]


@contextmanager
def _lock(lock_dir: Path, name: str):
    """Serialises builds of one image between concurrent lab runs (parallel workers, two terminals)."""
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _label(image: str) -> str:
    return podman("image", "inspect", "--format", f'{{{{index .Labels "{KEY_LABEL}"}}}}', image).strip()


def exists(image: str) -> bool:
    return subprocess.run(["podman", "image", "exists", image], check=False).returncode == 0


def image_id(image: str) -> str:
    return podman("image", "inspect", "--format", "{{.Id}}", image).strip()


def debian_mirror(suite: str = BASE_RECIPE[0]) -> str:
    """The mirror this machine's apt takes `suite` from, in whichever form its sources are written (a Debian
    installer writes sources.list lines, cloud images deb822 files)."""
    listing = subprocess.run(["apt-get", "indextargets", "--format", "$(REPO_URI) $(RELEASE)"],
                             capture_output=True, text=True, check=False).stdout
    for line in listing.splitlines():
        uri, _, release = line.partition(" ")
        if release == suite:
            return uri
    raise RuntimeError(f"apt on this machine has no source for Debian {suite} (apt-get indextargets lists none)")


def ensure_base(lock_dir: Path, progress: Progress) -> str:
    key = hashlib.sha256(" ".join(BASE_RECIPE).encode()).hexdigest()[:16]
    with _lock(lock_dir, BASE_IMAGE):
        if exists(BASE_IMAGE) and _label(BASE_IMAGE) == key:
            return image_id(BASE_IMAGE)
        progress(f"building base image {BASE_IMAGE} with mmdebstrap")
        with tempfile.TemporaryDirectory() as tmp:
            tarball = Path(tmp) / "base.tar"
            suite, *options = BASE_RECIPE
            _run(["mmdebstrap", "--quiet", *options, suite, str(tarball), debian_mirror()])
            podman("import", "--change", f"LABEL {KEY_LABEL}={key}", str(tarball), BASE_IMAGE, timeout=600)
        return image_id(BASE_IMAGE)


def _run(argv: list[str]) -> None:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=1200)
    if proc.returncode != 0:
        raise RuntimeError(f"{shlex.join(argv)} failed:\n{proc.stderr[-4000:]}")


_COPY = re.compile(r"^\s*(COPY|ADD)\s+(.*)$", re.IGNORECASE)


def copied_files(containerfile: Path) -> list[Path]:
    """The context files a Containerfile's COPY and ADD lines take (options and --from copies skipped)."""
    context = containerfile.parent
    found: list[Path] = []
    for line in containerfile.read_text().splitlines():
        match = _COPY.match(line)
        if not match or "--from=" in match.group(2):
            continue
        words = [w for w in shlex.split(match.group(2)) if not w.startswith("--")]
        for source in words[:-1]:
            for path in sorted(context.glob(source)) or [context / source]:
                found.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return found


def wheel_list(containerfile: Path) -> Path | None:
    candidate = containerfile.with_name(f"{containerfile.stem}.wheels.txt")
    return candidate if candidate.is_file() else None


def image_inputs(containerfile: Path) -> list[Path]:
    """Every file an image is built from: the Containerfile, what it copies, its wheel list."""
    wheels = wheel_list(containerfile)
    return [containerfile, *copied_files(containerfile), *([wheels] if wheels else [])]


def image_key(containerfile: Path, base_id: str) -> str:
    digest = hashlib.sha256(base_id.encode())
    for path in image_inputs(containerfile):
        digest.update(str(path.relative_to(containerfile.parent)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def image_name(containerfile: Path, labs_dir: Path) -> str:
    """`saslauthd/mail.Containerfile` → `saslauthd-mail`: one name per Containerfile."""
    relative = containerfile.resolve().relative_to(labs_dir.resolve()).with_suffix("")
    return re.sub(r"[^a-z0-9]+", "-", relative.as_posix().lower()).strip("-")


def ensure_image(name: str, containerfile: Path, base_id: str, layout: Layout, progress: Progress) -> str:
    tag = f"localhost/runbook-lab-{name}:{image_key(containerfile, base_id)}"
    with _lock(layout.locks, tag):
        if exists(tag):
            return tag
        progress(f"building image {tag}")
        layout.logs.mkdir(parents=True, exist_ok=True)
        log = layout.logs / f"image-{name}.log"
        wheels = wheel_list(containerfile)
        contexts = ["--build-context", f"wheels={download_wheels(wheels, layout.wheels, layout.locks)}"] if wheels else []
        with open(log, "wb") as out:
            proc = subprocess.run(
                ["podman", "build", "--layers", "-f", str(containerfile), "-t", tag, *contexts,
                 "--label", f"{KEY_LABEL}={tag.rsplit(':', 1)[1]}", str(containerfile.parent)],
                stdout=out, stderr=subprocess.STDOUT, check=False, timeout=1800,
            )
        if proc.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise RuntimeError(f"building {containerfile} failed (full log: {log}):\n{tail}")
        _remove_older_tags(tag)
        return tag


def download_wheels(requirements: Path, cache: Path, lock_dir: Path) -> Path:
    """The wheels a `.wheels.txt` pins, downloaded once per content of that file.

    `--no-deps` with `--require-hashes`: the file must list every distribution with its hash, so what an image
    holds is exactly what the file says, and an incomplete list fails when the image's pip installs offline.
    """
    def fill(folder: Path) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--require-hashes", "--only-binary=:all:", *BASE_PYTHON, "--dest", str(folder),
             "--requirement", str(requirements)],
            capture_output=True, text=True, check=False, timeout=600,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"downloading the wheels of {requirements} failed:\n{proc.stderr[-4000:]}")

    return cached_folder(cache / hashlib.sha256(requirements.read_bytes()).hexdigest()[:16], fill, lock_dir)


def cached_folder(target: Path, fill: Callable[[Path], None], lock_dir: Path) -> Path:
    """A folder made once by `fill` and then reused; filled aside and moved into place under a lock, so a
    failed or concurrent run never leaves or sees a half-filled one."""
    with _lock(lock_dir, f"folder-{target.parent.name}-{target.name}"):
        if (target / ".complete").exists():
            return target
        partial = target.with_suffix(".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        fill(partial)
        (partial / ".complete").touch()
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        return target


def _remove_older_tags(tag: str) -> None:
    """An image whose inputs changed is never used again; keep only the newest build of each lab image."""
    repository = tag.rsplit(":", 1)[0]
    listed = podman("images", "--filter", f"reference={repository}", "--format", "{{.Repository}}:{{.Tag}}")
    for old in set(listed.split()) - {tag}:
        podman("rmi", old, check=False)

"""Container images, built locally (there is no registry) and reused while their inputs are unchanged.

There is one base image per release (runbook_kb.lab.releases), made by mmdebstrap and imported into podman; a lab
image is built from one Containerfile for every release, which starts `ARG BASE` / `FROM $BASE` and is handed
the release's base. A lab image's tag is a hash of its Containerfile, the files its COPY/ADD lines take, its
wheel list and the base image id, so an unchanged image is never rebuilt and a changed one never reused.

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

from ..layout import Layout
from .podman import podman
from .releases import Release

KEY_LABEL = "runbook-lab.key"


def wheel_platform(release: Release) -> tuple[str, ...]:
    """pip's options for the interpreter and C library of a release's Python, for which wheels are chosen;
    pip does not widen an explicit manylinux platform to older glibc versions, so every one is named."""
    major, minor = release.python.split(".")
    glibc = int(release.glibc.split(".")[1])
    return ("--python-version", release.python, "--implementation", "cp", "--abi", f"cp{major}{minor}",
            "--abi", "abi3", "--abi", "none",
            *(arg for m in range(glibc, 16, -1) for arg in ("--platform", f"manylinux_2_{m}_x86_64")),
            "--platform", "manylinux2014_x86_64")

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


def debian_mirror() -> str:
    """The Debian mirror this machine's apt uses, in whichever form its sources are written (a Debian
    installer writes sources.list lines, cloud images deb822 files). A Debian mirror carries every release."""
    listing = subprocess.run(["apt-get", "indextargets", "--format", "$(REPO_URI) $(ORIGIN)"],
                             capture_output=True, text=True, check=False).stdout
    for line in listing.splitlines():
        uri, _, origin = line.partition(" ")
        if origin == "Debian" and "security" not in uri:
            return uri
    raise RuntimeError("apt on this machine has no Debian mirror (apt-get indextargets lists none)")


def ensure_base(release: Release, lock_dir: Path, progress: Progress) -> str:
    key = hashlib.sha256(release.recipe.encode()).hexdigest()[:16]
    image = release.base_image
    with _lock(lock_dir, image):
        if exists(image) and _label(image) == key:
            return image_id(image)
        progress(f"building base image {image} with mmdebstrap")
        with tempfile.TemporaryDirectory() as tmp:
            tarball = Path(tmp) / "base.tar"
            _run(["mmdebstrap", "--quiet", *release.mmdebstrap, release.suite, str(tarball), debian_mirror()])
            podman("import", "--change", f"LABEL {KEY_LABEL}={key}", str(tarball), image, timeout=600)
        return image_id(image)


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


def ensure_image(name: str, containerfile: Path, release: Release, base_id: str, layout: Layout,
                 progress: Progress) -> str:
    tag = f"localhost/runbook-lab-{release.suite}-{name}:{image_key(containerfile, base_id)}"
    with _lock(layout.locks, tag):
        if exists(tag):
            return tag
        progress(f"building image {tag}")
        layout.logs.mkdir(parents=True, exist_ok=True)
        log = layout.logs / f"image-{release.suite}-{name}.log"
        wheels = wheel_list(containerfile)
        contexts = ["--build-context", f"wheels={download_wheels(wheels, release, layout.wheels, layout.locks)}"] \
            if wheels else []
        with open(log, "wb") as out:
            proc = subprocess.run(
                ["podman", "build", "--layers", "-f", str(containerfile), "-t", tag, *contexts,
                 "--build-arg", f"BASE={release.base_image}", "--build-arg", f"RELEASE={release.key}",
                 "--label", f"{KEY_LABEL}={tag.rsplit(':', 1)[1]}", str(containerfile.parent)],
                stdout=out, stderr=subprocess.STDOUT, check=False, timeout=1800,
            )
        if proc.returncode != 0:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            raise RuntimeError(f"building {containerfile} failed (full log: {log}):\n{tail}")
        _remove_older_tags(tag)
        return tag


def download_wheels(requirements: Path, release: Release, cache: Path, lock_dir: Path) -> Path:
    """The wheels a `.wheels.txt` pins for a release's Python, downloaded once per content of that file.

    `--no-deps` with `--require-hashes`: the file must list every distribution with its hash, so what an image
    holds is exactly what the file says, and an incomplete list fails when the image's pip installs offline.
    """
    def fill(folder: Path) -> None:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--require-hashes", "--only-binary=:all:", *wheel_platform(release), "--dest", str(folder),
             "--requirement", str(requirements)],
            capture_output=True, text=True, check=False, timeout=600,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"downloading the wheels of {requirements} failed:\n{proc.stderr[-4000:]}")

    digest = hashlib.sha256(requirements.read_bytes() + release.recipe.encode()).hexdigest()[:16]
    return cached_folder(cache / digest, fill, lock_dir)


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

"""Before any lab runs: proof that what the labs rely on works on this machine, instead of an assumption.

Each probe does for real what the labs do: a container started with `--init`, two containers on a new lab
network reaching each other by name, an image build fetching from the package mirror, QEMU starting, and
Chromium driven by Playwright as the browser tests drive it. A probe that fails says what is missing and the
Debian package that provides it (tests/setup-host.sh installs them all). What a probe creates carries the lab labels, so a killed run's
leftovers are swept like a lab's, and is removed before the probe returns.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from . import images
from ..layout import Layout
from .podman import PodmanError, labels, podman
from .releases import Release, load_releases

PORT = 7  # the probe's listener; any port works, the containers run as root
# Diagnoses: a phrase in what the tool said → what is missing, and the Debian package that provides it.
Diagnosis = tuple[str, str, str | None]
_INIT = [
    ("catatonit", "podman's container init (/usr/libexec/podman/catatonit)", "catatonit"),
    ('"runc"', "the OCI runtime runc", "runc"),
]
_NETWORK = [
    ("failed to find plugin", "the CNI network plugins", "containernetworking-plugins"),
]
_RESOLVE_CNI = ("name resolution on CNI networks (the dnsname plugin)", "golang-github-containernetworking-plugin-dnsname")
_RESOLVE_NETAVARK = ("name resolution on netavark networks (aardvark-dns)", "aardvark-dns")


@dataclass(frozen=True)
class Missing:
    probe: str  # what was tried
    cause: str  # what is missing, as far as the output tells
    package: str | None  # the Debian package that provides it, where one does
    said: str  # the tool's own words, last lines

    def report(self) -> str:
        lines = [f"  ✗ {self.probe}: {self.cause} is missing or broken"]
        if self.package:
            lines.append(f"    Debian package: {self.package}")
        lines += [f"    said: {line}" for line in self.said.strip().splitlines()[-4:]]
        return "\n".join(lines)


class PreflightFailed(Exception):
    def __init__(self, missing: list[Missing], probes: int):
        self.missing = missing
        packages = sorted({m.package for m in missing if m.package})
        lines = [f"preflight: {len(missing)} of {probes} probes failed, so no lab ran:", *(m.report() for m in missing)]
        if packages:
            lines.append(f"install: apt-get install --no-install-recommends {' '.join(packages)}  (make host does)")
        super().__init__("\n".join(lines))


class _Failed(Exception):
    def __init__(self, cause: str, package: str | None, said: str):
        self.cause, self.package, self.said = cause, package, said


def _podman(rules: list[Diagnosis], fallback: str, *args: str, timeout: float = 120) -> str:
    try:
        return podman(*args, timeout=timeout)
    except PodmanError as exc:
        said = str(exc)
        cause, package = next(((c, p) for phrase, c, p in rules if phrase in said), (fallback, None))
        raise _Failed(cause, package, said) from None


def _program(program: str, package: str) -> None:
    if shutil.which(program) is None:
        raise _Failed(f"the program {program}", package, f"{program}: not found on PATH")


class Preflight:
    def __init__(self, layout: Layout, progress: Callable[[str], None], releases: tuple[Release, ...] | None = None):
        self.layout, self.progress = layout, progress
        self.token = secrets.token_hex(3)
        self.releases = releases or load_releases(layout.releases)
        self.image = self.releases[0].base_image  # the container probes run on the first release's base

    def probes(self) -> list[tuple[str, Callable[[], None]]]:
        """(what is tried, the probe); the first four in this order, each needing what the one before proved."""
        return [
            ("podman and the base image", self.base),
            ("a container starts with --init", self.init),
            ("two containers on a lab network reach each other by name", self.network),
            ("an image build reaches the package mirror", self.build),
            ("QEMU starts", self.qemu),
            ("Chromium starts under Playwright", self.chromium),
        ]

    def run(self) -> float:
        """Runs every probe (the containers' in order, QEMU and Chromium beside them); raises PreflightFailed."""
        clock = time.monotonic()
        probes = self.probes()
        container_probes, other_probes = probes[:4], probes[4:]

        def chain() -> list[Missing]:
            for name, probe in container_probes:
                if missing := _attempt(name, probe):
                    # The later container probes need what this one lacks: one cause, one message.
                    return [missing]
            return []

        with ThreadPoolExecutor(max_workers=1 + len(other_probes)) as pool:
            futures = [pool.submit(chain), *(pool.submit(lambda n=n, p=p: [m] if (m := _attempt(n, p)) else [])
                                             for n, p in other_probes)]
            missing = [m for future in futures for m in future.result()]
        if missing:
            raise PreflightFailed(missing, len(probes))
        return time.monotonic() - clock

    # --- the probes ------------------------------------------------------------------------------------------
    def base(self) -> None:
        _program("podman", "podman")
        if not all(images.exists(release.base_image) for release in self.releases):
            _program("mmdebstrap", "mmdebstrap")
        for release in self.releases:
            try:
                images.ensure_base(release, self.layout.locks, self.progress)
            except (RuntimeError, PodmanError) as exc:
                raise _Failed(f"the base image of {release.name}", None, str(exc)) from None

    def init(self) -> None:
        _podman(_INIT, "a container with --init", "run", "--rm", "--init", "--network", "none", *labels(),
                "--name", f"runbook-preflight-{self.token}-init", self.image, "true")

    def network(self) -> None:
        network, server = f"runbook-preflight-{self.token}", f"runbook-preflight-{self.token}-server"
        _podman(_NETWORK, "a lab network", "network", "create", *labels(), network)
        try:
            listen = (f"use IO::Socket::INET; my $s = IO::Socket::INET->new(Listen => 5, LocalPort => {PORT}, "
                      "ReuseAddr => 1) or die $!; while (my $c = $s->accept) { print $c \"ok\\n\"; close $c }")
            _podman(_INIT, "a container on a lab network", "run", "-d", "--init", "--network", network,
                    "--network-alias", "server", *labels(), "--name", server, self.image, "perl", "-e", listen)
            # Exit 3: the name does not resolve; 4: it resolves, but nothing answers there.
            client = ("getent hosts server >/dev/null || exit 3; for i in $(seq 50); do "
                      f"(exec 3<>/dev/tcp/server/{PORT} && read -r line <&3 && echo \"$line\") 2>/dev/null && exit 0; "
                      "sleep 0.1; done; exit 4")
            result = subprocess.run(
                ["podman", "run", "--rm", "--network", network, *labels(), "--name", f"{server}-client",
                 self.image, "bash", "-c", client], capture_output=True, text=True, timeout=60, check=False)
            if result.returncode == 3:
                backend = podman("info", "--format", "{{.Host.NetworkBackend}}").strip()
                cause, package = _RESOLVE_NETAVARK if backend == "netavark" else _RESOLVE_CNI
                raise _Failed(cause, package, f"getent hosts server: no answer on a {backend} network")
            if result.returncode != 0 or result.stdout.strip() != "ok":
                raise _Failed("a connection between two containers", None,
                              result.stderr or f"exit status {result.returncode}, no answer on port {PORT}")
        finally:
            podman("rm", "-f", "-t", "0", server, check=False)
            podman("network", "rm", "-f", network, check=False)

    def build(self) -> None:
        mirror = images.debian_mirror().rstrip("/")
        suite = self.releases[0].suite
        with tempfile.TemporaryDirectory(prefix="runbook-preflight-") as context:
            Path(context, "Containerfile").write_text(
                f"FROM {self.image}\n"
                f"RUN /usr/lib/apt/apt-helper download-file {mirror}/dists/{suite}/InRelease /tmp/InRelease\n")
            iidfile = Path(context, "iid")
            try:
                _podman([], f"a connection to the package mirror {mirror}",
                        "build", "--no-cache", "--layers=false", "--pull=never", "--iidfile", str(iidfile),
                        "--label", "runbook-lab=1", context, timeout=180)
            except _Failed as failed:
                if "resolving" in failed.said:
                    backend = podman("info", "--format", "{{.Host.NetworkBackend}}").strip()
                    # netavark's bridge resolves lab hosts but not the mirror here; CNI does both.
                    cause = f"name resolution of {urlsplit(mirror).hostname} in image builds on {backend}"
                    if backend == "netavark":
                        cause += ' (tests/setup-host.sh sets network_backend = "cni" in containers.conf.d)'
                    raise _Failed(cause, "containernetworking-plugins" if backend == "netavark" else None,
                                  failed.said) from None
                raise
            finally:
                if iidfile.exists():
                    podman("rmi", "-f", iidfile.read_text().strip(), check=False)

    def qemu(self) -> None:
        _program("qemu-system-x86_64", "qemu-system-x86")
        proc = subprocess.run(
            ["qemu-system-x86_64", "-accel", "tcg", "-cpu", "max", "-machine", "q35", "-m", "64", "-nodefaults",
             "-no-user-config", "-display", "none", "-S", "-monitor", "stdio"],
            input="quit\n", capture_output=True, text=True, timeout=30, check=False)
        if proc.returncode != 0:
            raise _Failed("QEMU's x86 system emulator", "qemu-system-x86", proc.stderr)

    def chromium(self) -> None:
        _program("chromium", "chromium")
        with tempfile.TemporaryDirectory(prefix="runbook-preflight-chromium-") as home:
            # Driven as the browser tests drive it, so Playwright's own Node.js driver is proved too. The crash
            # reports Chromium keeps under the configuration directory go to a folder removed afterwards.
            proc = subprocess.run(
                [sys.executable, "-c", _PLAYWRIGHT_PROBE, shutil.which("chromium")],
                env={**os.environ, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home},
                capture_output=True, text=True, timeout=90, check=False)
        if proc.stdout.strip() == "preflight-ok":
            return
        said = proc.stderr or proc.stdout
        library = re.search(r"error while loading shared libraries: (\S+?):", said)
        if library:
            package = _LIBRARIES.get(library[1])
            raise _Failed(f"the shared library {library[1]}, which Playwright's driver needs", package, said)
        raise _Failed("a headless Chromium driven by Playwright", "chromium", said)


_PLAYWRIGHT_PROBE = """
import sys
from playwright.sync_api import sync_playwright
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path=sys.argv[1])
    page = browser.new_page()
    page.set_content("<title>preflight-ok</title>")
    print(page.title())
    browser.close()
"""
# What Playwright's bundled Node.js links against beyond what every Debian system has.
_LIBRARIES = {"libatomic.so.1": "libatomic1"}


def _attempt(name: str, probe: Callable[[], None]) -> Missing | None:
    try:
        probe()
    except _Failed as failed:
        return Missing(name, failed.cause, failed.package, failed.said)
    except subprocess.TimeoutExpired as exc:
        return Missing(name, "an answer in time", None, f"{exc.cmd[0]} did not end within {exc.timeout:g} s")
    except (OSError, RuntimeError) as exc:  # a probe that cannot even be tried has failed, with its reason
        return Missing(name, "what the probe needs", None, str(exc))
    return None


"""make bench's lab rows: the preflight, the suite cold and warm, each lab alone, and which labs a change
selects."""

from __future__ import annotations

import shutil
import subprocess
from statistics import median

from benchtable import ENV, LAYOUT, PY, ROOT, Row, report, run
from runbook_kb.lab.preflight import Preflight
from runbook_kb.lab.results import Run, load_results
from runbook_kb.lab.spec import load_labs


def lab_images(base: bool = True) -> list[str]:
    listing = subprocess.run(["podman", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                             capture_output=True, text=True, check=True).stdout.split()
    prefixes = ("localhost/runbook-lab-", "localhost/runbook-base") if base else ("localhost/runbook-lab-",)
    return [image for image in listing if image.startswith(prefixes)]


def remove(images: list[str]) -> None:
    for image in images:
        subprocess.run(["podman", "rmi", "-f", image], check=False, capture_output=True)


def preflight(rounds: int = 5) -> None:
    Preflight(LAYOUT, print).run()  # the base image, if it is missing, is not what this measures
    seconds = median(Preflight(LAYOUT, print).run() for _ in range(rounds))
    report(Row("preflight, warm: every probe", f"{seconds:.1f} s", "<= 5 s", seconds <= 5))


def labs(cold: bool) -> None:
    suite = [PY, "-m", "pytest", "-q", "-m", "lab", "-p", "no:cacheprovider", "-n", "auto"]
    if cold:
        remove(lab_images())
        shutil.rmtree(LAYOUT.wheels, ignore_errors=True)
        shutil.rmtree(LAYOUT.vm_files, ignore_errors=True)
        seconds, _ = run([*suite, "--labs=all"])
        report(Row("lab suite cold: no images, no wheels, in parallel", f"{seconds / 60:.1f} min", "<= 30 min",
                   seconds <= 1800))
    seconds, _ = run([*suite, "--labs=all"])
    report(Row("lab suite warm, every release, in parallel", f"{seconds / 60:.1f} min", "<= 12 min",
               seconds <= 720))
    one = [PY, "-m", "pytest", "-q", "-m", "lab", "-p", "no:cacheprovider", "--labs=all"]
    for lab in load_labs(LAYOUT.labs, LAYOUT.snippets):
        for release in lab.releases if lab.runnable else ():
            seconds, _ = run([*one, "-k", f"{lab.name}[{release.key}]"])
            # The lab's own run, from its images' check to its hosts' removal; the process also starts pytest
            # and the preflight, which a suite pays once (the preflight has its row).
            took = load_results(LAYOUT.results)[Run(lab.name, release.key)].duration
            is_vm = any(host.vm for host in lab.hosts.values())
            report(Row(f"lab {lab.name} on {release.name} alone, warm{' (a VM)' if is_vm else ''}",
                       f"{took:.1f} s (process {seconds:.1f} s)", "" if is_vm else "<= 60 s",
                       None if is_vm else took <= 60))
    selection()


def selection() -> None:
    """--labs=changed with nothing changed, then after an edit to one snippet file, which is then undone."""
    select = [PY, "-m", "pytest", "-q", "-m", "lab", "-p", "no:cacheprovider", "--labs=changed"]
    suite = [*select, "-n", "auto"]
    seconds, _ = run(suite)
    report(Row("make labs with nothing changed (--labs=changed)", f"{seconds:.1f} s"))
    snippet = LAYOUT.snippets / "openvz-beancounters" / "print-doubled-limits.sh"
    original = snippet.read_text()
    try:
        snippet.write_text(original + "\n")
        collected = subprocess.run([*select, "--collect-only"], cwd=ROOT, env=ENV, capture_output=True, text=True)
        chosen = [line.split("::")[-1] for line in collected.stdout.splitlines() if "::" in line
                  and line.startswith("tests/labs/")]
        seconds, _ = run(suite)
    finally:
        snippet.write_text(original)
    report(Row(f"after editing {snippet.relative_to(ROOT)}: labs run", f"{', '.join(chosen)} ({seconds:.1f} s)",
               "openvz only", {test.split("[")[0] for test in chosen} == {"openvz-beancounters"}))
    run(suite)  # the result on the original file again

"""`make bench`: site build time with the verification hooks against the same pages without them, and the lab
suite's wall time cold (no images) and warm. Builds alternate, so both sides see the same machine noise."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.layout import Layout
from harness.spec import load_labs

LAYOUT = Layout.of(Path(__file__).parent)
ROOT = LAYOUT.root
PY = sys.executable


def timed(argv: list[str], env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def build_times(rounds: int) -> tuple[list[float], list[float]]:
    with_hooks, without = [], []
    with tempfile.TemporaryDirectory() as out:
        build = [PY, "-m", "mkdocs", "build", "--quiet", "-d", out]
        for _ in range(rounds):
            with_hooks.append(timed(build))
            without.append(timed(build, {"RUNBOOK_HOOKS": "false"}))
    return with_hooks, without


BARCODE_SITE = """site_name: Barcode bench
theme: {name: material, font: false}
plugins: [runbook-barcodes]
markdown_extensions: [pymdownx.superfences]
"""


def barcode_times() -> tuple[float, float]:
    """A page with 100 different barcodes: first build with an empty cache, then again with it filled."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text(BARCODE_SITE)
        fences = [f'```barcode symbology="{kind}"\n{data}\n```\n' for n in range(50)
                  for kind, data in (("code128", f"RUNBOOK-{n:04d}"), ("ean13", f"400638{n:06d}"))]
        (root / "docs" / "index.md").write_text("# 100 barcodes\n\n" + "\n".join(fences))
        build = [PY, "-m", "mkdocs", "build", "--quiet", "-f", str(root / "mkdocs.yml"), "-d", str(root / "site")]
        return timed(build), timed(build)


def lab_images(base: bool = True) -> list[str]:
    listing = subprocess.run(["podman", "images", "--format", "{{.Repository}}:{{.Tag}}"],
                             capture_output=True, text=True, check=True).stdout.split()
    prefixes = ("localhost/runbook-lab-", "localhost/runbook-base") if base else ("localhost/runbook-lab-",)
    return [image for image in listing if image.startswith(prefixes)]


def remove(images: list[str]) -> None:
    for image in images:
        subprocess.run(["podman", "rmi", "-f", image], check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-labs", action="store_true", help="only the site build")
    parser.add_argument("--per-lab", action="store_true", help="also each lab alone, cold and warm")
    args = parser.parse_args()

    on, off = build_times(args.rounds)
    print(f"site build, {args.rounds} rounds each, median (min-max):")
    print(f"  with hooks    {statistics.median(on):6.2f} s ({min(on):.2f}-{max(on):.2f})")
    print(f"  without hooks {statistics.median(off):6.2f} s ({min(off):.2f}-{max(off):.2f})")
    print(f"  ratio         {statistics.median(on) / statistics.median(off):6.2f}x")
    cold_bc, cached_bc = barcode_times()
    print("a page with 100 barcodes (50 Code 128, 50 EAN-13, SVG):")
    print(f"  empty cache   {cold_bc:6.2f} s")
    print(f"  cached        {cached_bc:6.2f} s")
    if args.no_labs:
        return
    lab_run = [PY, "-m", "pytest", "-q", "-m", "lab", "-p", "no:cacheprovider"]
    if args.per_lab:
        print("each lab (pytest -m lab -k NAME), cold = its images removed, the base image kept:")
        for lab in load_labs(LAYOUT.labs, LAYOUT.snippets):
            if lab.runnable:
                remove(lab_images(base=False))
                cold, warm = timed([*lab_run, "-k", lab.name]), timed([*lab_run, "-k", lab.name])
                print(f"  {lab.name:32} cold {cold:6.1f} s   warm {warm:6.1f} s")
    remove(lab_images())
    cold = timed(lab_run)
    warm = timed(lab_run)
    print("lab suite (pytest -m lab):")
    print(f"  cold (no images) {cold:7.1f} s")
    print(f"  warm             {warm:7.1f} s")


if __name__ == "__main__":
    main()

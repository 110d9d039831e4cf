"""`make bench`: what the verification costs the site build and what the labs cost, in one table with the
targets beside the figures. Builds with and without the project's plugins alternate, so both sides see the
same machine noise.

  hook overhead   the real site, with the plugins and with RUNBOOK_HOOKS=false (plain mkdocs-material)
  scale           synthetic knowledge bases of 100 and 1,000 runbooks (tests/synthetic.py): time, peak memory
  incremental     `mkdocs serve` on them: from saving a post or a snippet to the new page being served, then
                  every served file compared with a clean build of the edited sources
  preflight       the probes every lab run starts with, warm (the base image exists)
  labs            the lab suite cold (no images at all) and warm, each lab on each release warm, and
                  --labs=changed after editing one snippet
  shards          merging 100 shard files of a 1,000-runbook base; the real suite in 2 and in 3 shards, merged,
                  against one run (tests/shardproof.py)
  mutants         each runbook's last signed mutation run against its budget, and every runbook split over the
                  CI workflow's shards (tests/benchmutants.py)

--only takes parts by name: builds (hook overhead, scale, incremental), labs (preflight and labs), shards,
mutants.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

from synthetic import generate

from runbook_kb.layout import Layout
from benchtable import ENV, LAYOUT, PY, ROOT, ROWS, Row, report, run
from benchlabs import labs, preflight
from shardproof import merge_scale, real_suite
from benchmutants import mutant_budgets


def build(config: Path, out: Path, hooks: bool, strict: bool = False) -> tuple[float, int]:
    argv = [PY, "-m", "mkdocs", "build", "--quiet", "-f", str(config), "-d", str(out), *(["--strict"] if strict else [])]
    # From the site's own folder: pymdownx.snippets takes its base_path relative to the working directory.
    return run(argv, env={"RUNBOOK_HOOKS": "true" if hooks else "false"}, cwd=config.parent)


def paired_builds(config: Path, rounds: int, strict: bool = False) -> dict[bool, list[tuple[float, int]]]:
    measured: dict[bool, list[tuple[float, int]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(rounds):
            for hooks in (True, False):
                measured[hooks].append(build(config, Path(out) / str(hooks), hooks, strict=strict and hooks))
    return measured


def hook_overhead(rounds: int) -> None:
    measured = paired_builds(ROOT / "mkdocs.yml", rounds, strict=True)
    on, off = (median([t for t, _ in measured[h]]) for h in (True, False))
    report(Row(f"real site: build with plugins / without ({rounds} rounds, median)",
               f"{on:.2f} s / {off:.2f} s = {on / off:.3f}x", "<= 1.10x", on / off <= 1.10))


def scale(sizes: list[int], work: Path) -> None:
    figures = {}
    for size in sizes:
        config = generate(size, work / f"kb{size}")
        # One round of a minute-long build swung the 1,000-runbook ratio between 1.02 and 1.14: three, alternating.
        measured = paired_builds(config, 3, strict=True)
        t_on, t_off = (median([seconds for seconds, _ in measured[h]]) for h in (True, False))
        m_on, m_off = (median([mib for _, mib in measured[h]]) for h in (True, False))
        figures[size] = t_on, t_off
        report(Row(f"{size} runbooks: build time with / without (strict with)",
                   f"{t_on:.1f} s / {t_off:.1f} s = {t_on / t_off:.3f}x", "<= 1.10x", t_on / t_off <= 1.10))
        report(Row(f"{size} runbooks: peak memory with / without",
                   f"{m_on:.0f} / {m_off:.0f} MiB = {m_on / m_off:.2f}x", "<= 1.20x", m_on / m_off <= 1.20))
    if len(figures) == 2:
        small, large = sorted(figures)
        for hooks, label in ((0, "with plugins"), (1, "without")):
            growth = figures[large][hooks] / figures[small][hooks]
            report(Row(f"{large}/{small} runbooks: build time growth, {label}", f"{growth:.1f}x",
                       "<= 11x", growth <= 11 if hooks == 0 else None))


BARCODE_SITE = """site_name: Barcode bench
theme: {name: material, font: false}
plugins: [runbook-site]
markdown_extensions: [pymdownx.superfences, runbook_kb.extensions.runbooks]
"""


def barcode_assets(work: Path) -> None:
    """A page with 100 different barcodes, built with an empty barcode cache and again with it filled: an
    unchanged barcode is not drawn again."""
    root = work / "barcodes"
    project = Layout(root)  # a project, empty but for its page
    for folder in (project.docs, project.snippets, project.ci_public_key.parent):
        folder.mkdir(parents=True)
    shutil.copy(LAYOUT.releases, project.releases)
    shutil.copy(LAYOUT.ci_public_key, project.ci_public_key)
    (root / "mkdocs.yml").write_text(BARCODE_SITE)
    fences = [f'```barcode symbology="{kind}"\n{data}\n```\n' for n in range(50)
              for kind, data in (("code128", f"RUNBOOK-{n:04d}"), ("ean13", f"400638{n:06d}"))]
    (project.docs / "index.md").write_text("# 100 barcodes\n\n" + "\n".join(fences))
    empty, _ = build(root / "mkdocs.yml", root / "site", hooks=True)
    filled, _ = build(root / "mkdocs.yml", root / "site", hooks=True)
    report(Row("a page of 100 barcodes: empty cache / filled", f"{empty:.2f} s / {filled:.2f} s"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read()
    except OSError:
        return None


def _strip_livereload(body: bytes) -> bytes:
    """The dev server adds its reload script in front of </body>; everything else must equal the build."""
    end = body.rfind(b"</body>")
    start = body.rfind(b"<script>", 0, end)
    return body[:start] + body[end:] if end > 0 and start > 0 and b"livereload" in body[start:end] else body


def _served_differences(base: str, clean: Path) -> list[str]:
    differing = []
    for path in sorted(p for p in clean.rglob("*") if p.is_file()):
        rel = path.relative_to(clean).as_posix()
        served = _get(base + rel)
        if served is None or _strip_livereload(served) != path.read_bytes():
            differing.append(rel)
    return differing


def _interruptible() -> None:
    """The server stops on SIGINT (and removes its temporary site) even when the bench runs as a background
    job, whose shell starts it with SIGINT ignored, an inheritance Python's own handler would not override."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def incremental(size: int, work: Path) -> None:
    """`mkdocs serve`: save an edit, poll the page until it shows the edit, then compare the whole served site
    with a clean build of the same sources (built with the served site_url, as serve builds)."""
    for hooks in (False, True):
        root = work / f"serve{size}"
        config = generate(size, root)
        port = _free_port()
        base = f"http://127.0.0.1:{port}/"
        variant = root / "serve-as-built.yml"
        variant.write_text(f"INHERIT: mkdocs.yml\nsite_url: {base}\n")
        env = {**ENV, "RUNBOOK_HOOKS": "true" if hooks else "false"}
        server = subprocess.Popen([PY, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
                                  cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True, preexec_fn=_interruptible)
        label = "with plugins" if hooks else "plain mkdocs-material"
        try:
            deadline = time.monotonic() + 900
            while _get(base) is None:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit(f"mkdocs serve of {size} runbooks did not come up")
                time.sleep(0.5)
            edits = [("a post", root / "docs/posts/runbook-0050.md", "Edited-in-the-post-marker.",
                      "runbook-0050/"),
                     ("a snippet", root / "snippets/runbook-0050/step1.sh", "edited-in-the-snippet-marker",
                      "runbook-0050/")]
            for what, path, marker, page in edits:
                text = path.read_text()
                edited = (text.replace("<!-- more -->", f"{marker}\n\n<!-- more -->", 1) if path.suffix == ".md"
                          else text + f"echo {marker}\n")
                started = time.perf_counter()
                path.write_text(edited)
                while marker.encode() not in (_get(base + page) or b""):
                    time.sleep(0.05)
                elapsed = time.perf_counter() - started
                with tempfile.TemporaryDirectory() as clean:
                    build(variant, Path(clean), hooks)
                    differing = _served_differences(base, Path(clean))
                same = "identical" if not differing else f"{len(differing)} files differ, e.g. {differing[0]}"
                report(Row(f"{size} runbooks, serve, {label}: edit {what}", f"{elapsed:.1f} s, {same}",
                           "<= 2 s, same" if hooks else "", (elapsed <= 2 and not differing) if hooks else None))
        finally:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=60)


# The parts of the table, each run on its own with --only; the labs and shards parts run the lab suite.
PARTS = ("builds", "labs", "shards", "mutants")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="builds of the real site, each way")
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000], help="synthetic site sizes")
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS, metavar="PART",
                        help=f"measure these parts only, of {', '.join(PARTS)}")
    parser.add_argument("--no-serve", action="store_true", help="no mkdocs serve edits (the longest build part)")
    parser.add_argument("--no-cold", action="store_true", help="keep the images: labs warm only")
    args = parser.parse_args()

    print(f"{'':58} {'figure':>26}   {'target':>12}")
    if "builds" in args.only:
        hook_overhead(args.rounds)
        with tempfile.TemporaryDirectory(prefix="runbook-bench-") as tmp:
            barcode_assets(Path(tmp))
            scale(args.sizes, Path(tmp))
            for size in [] if args.no_serve else args.sizes:
                incremental(size, Path(tmp))
    if "labs" in args.only:
        preflight()
        labs(cold=not args.no_cold)
    if "shards" in args.only:
        merge_scale()
        real_suite()
    if "mutants" in args.only:
        mutant_budgets()
    summary = "\n".join(row.line() for row in ROWS)
    print("\nsummary\n" + summary)
    # The figures live here and in the output, never in the README, where they would go stale.
    LAYOUT.build.mkdir(parents=True, exist_ok=True)
    LAYOUT.bench.write_text(
        f"make bench {' '.join(sys.argv[1:])}: {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores\n"
        f"{'':58} {'figure':>26}   {'target':>12}\n{summary}\n")


if __name__ == "__main__":
    main()

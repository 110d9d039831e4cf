"""A synthetic knowledge base of N runbook posts, for `make bench`: the project's own mkdocs.yml and theme
CSS, and per post a page, a snippet folder and a lab spec, as an author would write them.

Each post includes 10 snippets (commands run by its lab, a config file installed, outputs compared, one that
is not executable here); half of the labs have a passing result in the results file, the others have not run.
Every fifth post draws two barcodes and every tenth signs a SigV4 request. The same N and seed always give
the same files, so builds of one site can be compared byte for byte.

    python3 tests/synthetic.py 1000 /tmp/kb1000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

from runbook_kb.lab.inputs import lab_inputs
from runbook_kb.layout import Layout
from runbook_kb.lab.releases import Release, load_releases
from runbook_kb.lab.results import SCHEMA, PASSED, HostEnv, LabResult, StepResult, entry
from runbook_kb.lab.signing import signer
from runbook_kb.snippets import SnippetRef, read_snippet
from runbook_kb.lab.spec import load_lab

LAYOUT = Layout.of(Path(__file__).parent)
CATEGORIES = ["Mail", "Databases", "Storage", "Web", "Virtualization", "Windows", "Cloud"]
WORDS = ("disk array replica primary binlog daemon socket mailbox queue kernel module volume partition "
         "superblock journal inode certificate signature request header gateway route firewall timeout retry "
         "backup restore snapshot checksum cluster node worker process thread limit counter quota").split()

# The SES runbook's own declaration: what a runbook author writes, signed on every tenth page.
SIGV4 = LAYOUT.snippets / "ses-signing" / "send-email.sigv4.yml"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int = 4) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def _snippets(n: int, rng: random.Random) -> dict[str, str]:
    """File name → content: four commands, a config file, three outputs, one not-executable command, a
    command with line ranges shown in two parts."""
    files = {f"step{k}.sh": f"# step {k} of runbook {n}\nprintf '%s\\n' {rng.choice(WORDS)}-{n}-{k}\n"
             for k in range(1, 5)}
    files["service.conf"] = "".join(f"{rng.choice(WORDS)}_{k} = {rng.randint(1, 999)}\n" for k in range(8))
    for k in range(1, 4):
        files[f"step{k}-output.txt"] = f"{rng.choice(WORDS)}-{n}-{k}\n"
    files["legacy.sh"] = f"/etc/init.d/{rng.choice(WORDS)} restart\n"
    files["two-parts.sh"] = "".join(f"echo part-{n}-{k}\n" for k in range(1, 7))
    return files


def _page(n: int, rng: random.Random) -> str:
    slug = f"runbook-{n:04d}"
    day = 1 + n % 28
    head = (f"---\ndate: 2026-{1 + n % 11:02d}-{day:02d}\nslug: {slug}\ncategories: [{CATEGORIES[n % 7]}]\n"
            f"tags: [{WORDS[n % len(WORDS)]}, {WORDS[(n * 7) % len(WORDS)]}]\n---\n\n")
    blocks = [f"# Runbook {n}: the {rng.choice(WORDS)} {rng.choice(WORDS)} problem\n", _paragraph(rng), "<!-- more -->",
              "## Symptoms", _paragraph(rng, 6),
              '!!! warning "Before you start"\n    ' + _sentence(rng, 14),
              "## Cause", _paragraph(rng, 5),
              "| Setting | Default | Here |\n| --- | ---: | ---: |\n" + "".join(
                  f"| `{rng.choice(WORDS)}` | {rng.randint(1, 99)} | {rng.randint(100, 999)} |\n" for _ in range(5)),
              "## Fix"]
    for k in range(1, 5):
        blocks += [_paragraph(rng, 2), f'```bash title="Step {k}"\n--8<-- "{slug}/step{k}.sh"\n```']
        if k < 4:
            blocks += ["It prints:", f'```text\n--8<-- "{slug}/step{k}-output.txt"\n```']
    blocks += ["The service reads:", f'```ini title="/etc/{slug}.conf"\n--8<-- "{slug}/service.conf"\n```',
               "In two parts:", f'```bash\n--8<-- "{slug}/two-parts.sh:1:3"\n```', _sentence(rng, 10),
               f'```bash\n--8<-- "{slug}/two-parts.sh:4:6"\n```',
               "On systems from before systemd:",
               f'```bash not-executable="The lab\'s hosts run no SysV init scripts."\n--8<-- "{slug}/legacy.sh"\n```']
    if n % 5 == 0:
        blocks += ["## Labels", f'```barcode symbology="code128"\nRB-{n:04d}\n```',
                   f'```barcode symbology="ean13"\n{400638000000 + n:012d}\n```']
    if n % 10 == 0:
        blocks += ["## Reporting", f'```sigv4 title="report.sigv4.yml"\n--8<-- "{slug}/report.sigv4.yml"\n```']
    blocks += ["## Verify", _paragraph(rng, 3), "- " + "\n- ".join(_sentence(rng, 8) for _ in range(4))]
    return head + "\n\n".join(blocks) + "\n"


def _lab(n: int) -> tuple[str, list[tuple[str, str]]]:
    """The lab spec and its steps as (kind, snippet) in order."""
    slug = f"runbook-{n:04d}"
    steps = [("install", f"{slug}/service.conf")]
    for k in range(1, 5):
        steps.append(("run", f"{slug}/step{k}.sh"))
        if k < 4:
            steps.append(("compare", f"{slug}/step{k}-output.txt"))
    steps.append(("run", f"{slug}/two-parts.sh"))
    if n % 10 == 0:
        steps.append(("run", f"{slug}/report.sigv4.yml"))
    lines = [f"title: Synthetic runbook {n}", "images:", "  app: synthetic.Containerfile", "hosts:", "  app:",
             "    image: app", "    packages: [bash]", "steps:"]
    for kind, snippet in steps:
        if kind == "install":
            lines += [f"  - install: {snippet}", f"    to: /etc/{slug}.conf", "    on: app",
                      f"    check: test -s /etc/{slug}.conf"]
        elif kind == "compare":
            k = snippet.rsplit("step", 1)[1][0]
            lines += [f"  - compare: {snippet}", f"    against: bash /snippets/{slug}/step{k}.sh", "    on: app"]
        else:
            lines += [f"  - run: {snippet}", "    on: app"]
    return "\n".join(lines) + "\n", steps


def _result(n: int, steps: list[tuple[str, str]], layout: Layout, release: Release) -> LabResult:
    ran = []
    for index, (kind, snippet) in enumerate(steps, start=1):
        text = read_snippet(layout.snippets, SnippetRef.parse(snippet))
        ran.append(StepResult(index, kind, snippet, "app", PASSED, 0.1, "2026-11-20T12:00:00+00:00", snippet,
                              text.first_line, text.last_line, text.sha256))
    env = HostEnv(f"localhost/runbook-lab-{release.suite}-synthetic:0", "0", f"{release.name} ({release.suite})",
                  {"bash": "5.2.15-2+b7"})
    name = f"runbook-{n:04d}"
    lab = load_lab(layout.labs / f"{name}.yml", layout.snippets)
    return LabResult(name, release.key, f"Synthetic runbook {n}", "2026-11-20T12:00:00+00:00", 1.0, PASSED,
                     {"app": env}, ran, inputs=lab_inputs(lab, layout, release))


def generate(posts: int, root: Path, seed: int = 9, ran_every: int = 2) -> Path:
    """Write the knowledge base into root (emptied first), with results for every `ran_every`-th runbook;
    returns its mkdocs.yml."""
    if root.exists():
        shutil.rmtree(root)
    layout = Layout(root)
    docs, snippets, labs = layout.docs, layout.snippets, layout.labs
    (docs / "posts").mkdir(parents=True)
    labs.mkdir(parents=True)
    # The project's configuration, without its guide: the guide's examples show the real runbooks' files.
    config = (LAYOUT.root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(re.sub(r"\n  - Guide:\n(?:      - .*\n)+", "\n", config), encoding="utf-8")
    shutil.copytree(LAYOUT.docs / "stylesheets", docs / "stylesheets")
    (docs / "index.md").write_text("# Runbooks\n\nSynthetic runbooks for the build benchmark.\n")
    shutil.copy(LAYOUT.docs / "status.md", docs / "status.md")
    # The breakage report, and the component `make unit`, `make site` and `make bench` install from npm to draw it.
    shutil.copy(LAYOUT.docs / "breakages.md", docs / "breakages.md")
    shutil.copytree(LAYOUT.build / "node-report", layout.build / "node-report", symlinks=True)
    (labs / "synthetic.Containerfile").write_text("ARG BASE\nFROM $BASE\n")
    shutil.copy(LAYOUT.releases, root / "tests" / "releases.yml")
    # The repository's CI key, so the copy trusts what the repository does; the results are signed here.
    layout.ci_public_key.parent.mkdir(parents=True)
    shutil.copy(LAYOUT.ci_public_key, layout.ci_public_key)
    rng = random.Random(seed)
    ran = {}
    for n in range(1, posts + 1):
        slug = f"runbook-{n:04d}"
        (snippets / slug).mkdir(parents=True)
        for name, content in _snippets(n, rng).items():
            (snippets / slug / name).write_text(content)
        if n % 10 == 0:
            shutil.copy(SIGV4, snippets / slug / "report.sigv4.yml")
        (docs / "posts" / f"{slug}.md").write_text(_page(n, rng))
        spec, steps = _lab(n)
        (labs / f"{slug}.yml").write_text(spec)
        if (n - 1) % ran_every == 0:
            ran[n] = steps
    sign = signer(layout)
    results: dict[str, dict] = {}
    for n, steps in ran.items():
        for release in load_releases(layout.releases):
            result = _result(n, steps, layout, release)
            result.signature = sign.sign(entry(result))
            results.setdefault(result.lab, {})[release.key] = entry(result)
    layout.results.parent.mkdir(exist_ok=True)
    layout.results.write_text(json.dumps({"schema": SCHEMA, "labs": results}, indent=2))
    return root / "mkdocs.yml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("posts", type=int)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    print(generate(args.posts, args.root))


if __name__ == "__main__":
    main()

"""`mkdocs serve` rebuilds that take over unchanged conversions serve what a clean build makes of the same sources.

The rebuilds run in a child process, as `mkdocs serve` runs them (config loaded again for each, the plugins'
`on_startup` once, the served site_url): what they take over is kept in that process between rebuilds.
"""

import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from runbook_kb.layout import Layout
from runbook_kb.lab.signing import signer

from .test_synthetic import generate

SERVED = "http://127.0.0.1:8000/"

# mkdocs.commands.serve's builder, driven from stdin; it counts Markdown conversions to show what was reused.
_REBUILDS = f"""
import sys, markdown
from mkdocs.commands.build import build
from mkdocs.config import load_config

conversions = 0
convert = markdown.Markdown.convert
def counted(self, text):
    global conversions
    conversions += 1
    return convert(self, text)
markdown.Markdown.convert = counted

started = False
for line in sys.stdin:
    config = load_config("mkdocs.yml", site_dir=line.strip())
    if not started:
        config.plugins.on_startup(command="serve", dirty=False)
        started = True
    config.site_url = "{SERVED}"
    conversions = 0
    build(config, serve_url="{SERVED}")
    print(conversions, flush=True)
"""


@pytest.fixture
def kb(tmp_path, monkeypatch):
    config_file = generate(12, tmp_path / "kb")
    monkeypatch.chdir(config_file.parent)  # pymdownx.snippets resolves its base_path from here
    return config_file.parent


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _clean_build(kb: Path, out: Path) -> dict[str, bytes]:
    config = load_config(str(kb / "mkdocs.yml"), site_dir=str(out))
    config.site_url = SERVED
    build(config)
    return _tree(out)


@contextmanager
def _serving(site: Path):
    """A rebuild function: each call rebuilds into the given folder and answers the conversions it did."""
    child = subprocess.Popen([sys.executable, "-c", _REBUILDS], cwd=site, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def rebuild(out: Path) -> int:
        child.stdin.write(f"{out}\n")
        child.stdin.flush()
        answer = child.stdout.readline()
        assert answer, "the rebuild process stopped"
        return int(answer)

    try:
        yield rebuild
    finally:
        child.stdin.close()
        child.wait(timeout=60)


def _assert_same(what: str, served_dir: Path, clean: dict[str, bytes]) -> None:
    served = _tree(served_dir)
    differing = sorted(name for name in served.keys() | clean.keys() if served.get(name) != clean.get(name))
    assert not differing, f"after editing {what}, served differs from a clean build: {differing}"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1))


def _edit_results(kb: Path) -> None:
    """Lab runbook-0001 failed its first step on the first release: its badges, the status page and its blog
    entries change."""
    path = kb / "build" / "lab-results.json"
    data = json.loads(path.read_text())
    lab = data["labs"]["runbook-0001"]["debian-13"]
    lab["outcome"] = lab["steps"][0]["outcome"] = "failed"
    lab["signature"] = signer(Layout(kb)).sign(lab)
    path.write_text(json.dumps(data))


def test_each_rebuild_serves_what_a_clean_build_makes_and_converts_only_what_changed(kb, tmp_path):
    post = kb / "docs" / "posts" / "runbook-0003.md"
    # (what, edit, whether the rebuild can take over the other pages' conversions)
    edits = [
        ("a post's excerpt", lambda: _edit(post, "<!-- more -->", "An edited sentence.\n\n<!-- more -->"), True),
        # Runbook 4's lab has not run, so its page's Markdown (statuses included) stays as it was.
        ("a snippet a post includes", lambda: _edit(kb / "snippets/runbook-0004/step2.sh", "printf", "echo; printf"),
         True),
        ("a post's title", lambda: _edit(post, "# Runbook 3:", "# Runbook three:"), True),
        ("the lab results", lambda: _edit_results(kb), True),
        # A new page changes the file list every link on every page is resolved against.
        ("a new post", lambda: (kb / "docs/posts/new.md").write_text(
            "---\ndate: 2026-12-01\ncategories: [Mail]\n---\n\n# A new runbook\n\nIt starts.\n\n<!-- more -->\n"),
         False),
    ]
    with _serving(kb) as rebuild:
        first = rebuild(tmp_path / "served")
        assert first > 12 * 2  # every post for its page and again for the blog's index, archive and category
        for what, edit, reuses in edits:
            edit()
            converted = rebuild(tmp_path / "served")
            _assert_same(what, tmp_path / "served", _clean_build(kb, tmp_path / "clean"))
            assert not reuses or converted < first / 3, f"after editing {what}: {converted} of {first} conversions done again"


def test_an_excerpt_with_code_shows_the_same_ids_after_its_post_moves_between_views(kb, tmp_path):
    """Material converts an excerpt for every view with one parser it never resets, so code block, tab and
    footnote ids go on counting from view to view: the ids an excerpt shows depend on how many views showed it
    before. Adding a category or changing the date changes that order."""
    post = kb / "docs" / "posts" / "runbook-0003.md"
    _edit(post, "<!-- more -->", '```bash\n--8<-- "runbook-0003/step1.sh"\n```\n\n<!-- more -->')
    with _serving(kb) as rebuild:
        rebuild(tmp_path / "served")
        for what, edit in [("its categories", lambda: _edit(post, "categories: [Web]", "categories: [Mail, Web]")),
                           ("its date", lambda: _edit(post, "date: 2026-04-04", "date: 2025-04-04")),
                           ("its categories back", lambda: _edit(post, "categories: [Mail, Web]", "categories: [Web]"))]:
            edit()
            rebuild(tmp_path / "served")
            _assert_same(what, tmp_path / "served", _clean_build(kb, tmp_path / "clean"))


def test_the_patches_refuse_a_release_they_were_not_written_for(monkeypatch):
    from mkdocs.exceptions import PluginError

    from runbook_kb.mkdocs_plugins import rebuild

    rebuild.check_versions()  # the installed ones
    real = rebuild.metadata.version
    monkeypatch.setattr(rebuild.metadata, "version",
                        lambda name: "9.9.0" if name == "mkdocs-material" else real(name))
    with pytest.raises(PluginError, match=r"patches mkdocs-material 9\.8\.x internals, and this is mkdocs-material 9\.9\.0"):
        rebuild.check_versions()

"""A bounded search for pages and specs the build takes wrongly: include lines in every spelling pymdownx
knows, in fences of every opener, inside every container, in prose and raw HTML; lab specs with values of the
wrong type. Whatever it writes, the build either stops with one message naming a file and a line, or draws a
page on which no include line is left, no file from outside the project shows, and a verified badge stands only
beside the very lines its lab ran.

Derandomized, so a run is repeatable and CI sees the cases a developer saw; the examples are bounded so the
whole module stays well inside a minute.
"""

from __future__ import annotations

import html
import logging
import re

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from runbook_kb.errors import SpecError
from runbook_kb.extensions import state
from runbook_kb.extensions.generator import Finding
from runbook_kb.includes import FenceError, scan, stray_markers
from runbook_kb.lab.results import record
from runbook_kb.lab.signing import signer
from runbook_kb.lab.spec import load_labs
from runbook_kb.snippets import is_marker

from .helpers import fake_run
from .sitebuild import MKDOCS_YML

def fuzz(examples: int) -> settings:
    return settings(derandomize=True, deadline=None, database=None, max_examples=examples,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

RAN = "echo verified-by-the-lab"  # r/a.sh, the one snippet the lab runs
SECRET = "OUTSIDE-THE-PROJECT"  # what a link out of snippets/ points to
# A finding names its file and line: a page, a snippet, a spec, the results file.
NAMED = re.compile(r"^(?:docs|snippets|tests/labs|build)/[^\s:]+:\d+: ", re.MULTILINE)

refs = st.sampled_from(["r/a.sh", "r/a.sh:1:1", "r/a.sh:1", "r/b.txt", "r/out", "r/nested.sh", "r/dir", "../secret",
                        "r/a.sh:x", "https://example.org/a.sh", 'r/a".sh', "r/a.sh ", " r/a.sh", "", "r/missing.sh"])
markers = st.sampled_from(["--8<--", "-8<-", "---8<---", "--8<-", "-8<--"])
blanks = st.sampled_from(["", " ", "\t", "  ", " \t"])


@st.composite
def include_lines(draw) -> str:
    quote = draw(st.sampled_from(['"', "'"]))
    form = draw(st.sampled_from(["include", "include", "include", "block", "section", "escaped"]))
    marker = draw(markers)
    if form == "block":
        return marker + draw(blanks)
    if form == "section":
        return f"echo x # {marker} [{draw(st.sampled_from(['start', 'end']))}:part]"
    line = f"{draw(st.sampled_from(['', ' ', '   ']))}{marker}{draw(st.sampled_from([' ', '  ', chr(9)]))}" \
           f"{quote}{draw(refs)}{quote}{draw(blanks)}"
    return ";" + line if form == "escaped" else line


lines = st.one_of(include_lines(), st.sampled_from(["echo plain", "", "<script>x</script>", "r/a.sh", "~~~"]))
infos = st.sampled_from(["", "bash", 'bash title="t"', 'text not-executable="Shown only."',
                         'text not-executable="Shown only."', 'bash not-executable=""',
                         "{ .bash }", 'bash title="a\'b\\"c"', "bash stray"])


@st.composite
def fences(draw) -> list[str]:
    char = draw(st.sampled_from(["`", "~"]))
    opener = char * draw(st.integers(3, 5))
    # Mostly the one include line a snippet fence holds, so most pages get as far as their badges.
    content = draw(st.one_of(st.lists(include_lines(), min_size=1, max_size=1), st.lists(lines, min_size=1, max_size=3)))
    closing = draw(st.sampled_from([opener, opener + char, "", opener[:3]]))
    return [f"{opener}{draw(infos)}".rstrip(), *content, *([closing] if closing else [])]


@st.composite
def blocks(draw) -> str:
    kind = draw(st.sampled_from(["fence", "fence", "fence", "prose", "pre"]))
    body = draw(fences()) if kind == "fence" else [draw(include_lines())] if kind == "prose" else \
        ["<pre>", draw(include_lines()), "</pre>"]
    container = draw(st.sampled_from(["", "", "admonition", "list", "quote", "tab", "footnote"]))
    if container == "quote":
        return "\n".join(f"> {line}".rstrip() for line in body)
    indented = [f"    {line}" if line else "" for line in body]
    opening = {"": None, "admonition": "!!! note", "list": "- item\n", "tab": '=== "Tab"', "footnote": "Text.[^1]\n\n[^1]:"}
    return "\n".join(body) if not container else "\n".join([opening[container], *indented])


@pytest.fixture
def fuzz_site(project, monkeypatch):
    """The unit project with a lab `r` that runs r/a.sh and passed, a snippet it does not run, a link out of
    snippets/, a snippet that includes another, and a folder where a file might be."""
    root = project.root
    (root / "secret").write_text(f"{SECRET}\n")
    (project.snippets / "r").mkdir()
    (project.snippets / "r/a.sh").write_text(f"{RAN}\n")
    (project.snippets / "r/b.txt").write_text("shown, never run\n")
    (project.snippets / "r/nested.sh").write_text('--8<-- "r/a.sh"\n')
    (project.snippets / "r/dir").mkdir()
    (project.snippets / "r/out").symlink_to(root / "secret")
    (project.labs / "r.yml").write_text("title: R\nimages:\n  box: demo/box.Containerfile\nhosts:\n  box: {image: box}\n"
                                        "steps:\n  - run: r/a.sh\n")
    record(project.results, fake_run(project, "r"), signer(project))
    (root / "mkdocs.yml").write_text(MKDOCS_YML)
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    return project, config


def _render(project, config, markdown: str) -> tuple[str | None, list[str]]:
    """The page's HTML (None if the build stopped) and every finding, as MkDocs converts one page."""
    (project.docs / "posts/fuzz.md").write_text(markdown)
    state.build.new()
    findings: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: findings.append(record.getMessage())
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        files = get_files(config)
        page = Page(None, files.get_file_from_path("posts/fuzz.md"), config)
        page.read_source(config)
        page.render(config, files)
        return page.content, findings
    except (PluginError, Finding) as exc:
        return None, [*findings, str(exc)]
    finally:
        logger.removeHandler(handler)


def _code_after(html_text: str, status: str) -> list[str]:
    """The code of each block carrying `status`, as a reader would copy it."""
    found = []
    for part in html_text.split(f'data-snippet-status="{status}"')[1:]:
        code = re.search(r"<code>(.*?)</code>", part, re.S)
        found.append(html.unescape(re.sub(r"<[^>]+>", "", code.group(1))).strip() if code else "")
    return found


@fuzz(600)
@given(st.lists(blocks(), min_size=1, max_size=4))
def test_no_page_puts_a_badge_on_text_its_lab_did_not_run(fuzz_site, page_blocks):
    project, config = fuzz_site
    markdown = "---\ndate: 2026-11-01\n---\n\n# Fuzz\n\n" + "\n\n".join(page_blocks) + "\n"
    content, findings = _render(project, config, markdown)
    for finding in findings:
        assert NAMED.match(finding), f"a finding that names no file and line: {finding!r}\n{markdown}"
    if content is None:
        return
    text = html.unescape(re.sub(r"<[^>]+>", "", content))
    assert not [line for line in text.split("\n") if is_marker(line)], f"an include left on the page:\n{markdown}"
    assert SECRET not in content, f"a file from outside the project is on the page:\n{markdown}"
    for code in _code_after(content, "verified"):
        assert code == RAN, f"a verified badge beside {code!r}, which no lab ran:\n{markdown}"


spec_values = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.text(max_size=6), st.just("box"),
                        st.lists(st.sampled_from(["box", "r/a.sh", 1]), max_size=2),
                        st.dictionaries(st.sampled_from(["box", "a"]), st.sampled_from(["x", 1]), max_size=2))
spec_keys = st.sampled_from(["run", "on", "expect", "status", "timeout", "check", "wait", "capture", "shell", "name",
                             "releases", "command", "install", "to", "compare", "against"])


@fuzz(1000)
@given(title=spec_values, steps=st.lists(st.dictionaries(spec_keys, spec_values, min_size=1, max_size=3), max_size=3))
def test_a_spec_with_values_of_any_type_loads_or_names_its_line(fuzz_site, title, steps):
    project, _ = fuzz_site
    spec = project.labs / "r.yml"
    spec.write_text(yaml.safe_dump({"title": title, "images": {"box": "demo/box.Containerfile"},
                                    "hosts": {"box": {"image": "box"}}, "steps": steps}))
    try:
        load_labs(project.labs, project.snippets)
    except SpecError as exc:
        assert exc.path.endswith("r.yml") and str(exc).count(":") >= 1, str(exc)


@fuzz(3000)
@given(st.lists(st.one_of(include_lines(), st.text(alphabet=st.sampled_from(list('-8<;"\' `~>:/.ab\t[]')), max_size=30)),
                max_size=6))
def test_any_lines_are_read_as_includes_or_refused_at_a_line(page_lines):
    """The reading of includes alone, over lines of the characters that matter to it."""
    markdown = "\n".join(page_lines)
    try:
        found, _ = scan("p.md", markdown)
        stray_markers("p.md", markdown, found)
    except FenceError as exc:
        assert re.match(r"p\.md:\d+: ", str(exc)), str(exc)
        return
    for inc in found:
        assert not inc.ref.path.startswith("/") and re.fullmatch(r"[\w.+/-]+", inc.ref.path), inc.ref

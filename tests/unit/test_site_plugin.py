"""The MkDocs adapter end to end, on a small project: badges, attributes, the status page, strict errors."""

import logging
import re

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from html import unescape

from runbook_kb.barcodes.decode import decode
from runbook_kb.lab.results import record
from runbook_kb.lab.signing import signer
from runbook_kb.sigv4.declaration import parse
from runbook_kb.sigv4.signing import sign

from .helpers import append_to_page, fake_run

MKDOCS_YML = """\
site_name: Test
theme: {name: material, font: false}
plugins: [runbook-site]
markdown_extensions:
  - runbook_kb.extensions.runbooks
  - attr_list
  - admonition
  - tables
  - pymdownx.tabbed: {alternate_style: true}
  - pymdownx.highlight
  - pymdownx.superfences:
      custom_fences:
        - name: topology
          class: topology
          format: !!python/name:runbook_kb.extensions.topology.topology
          validator: !!python/name:runbook_kb.extensions.topology.topology_options
  - pymdownx.snippets: {base_path: [snippets], check_paths: true}
"""


@pytest.fixture(autouse=True)
def in_project(project, monkeypatch):
    monkeypatch.chdir(project.root)  # pymdownx.snippets resolves base_path from the working directory


def build_site(project, strict=True):
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML)
    config = load_config(str(project.root / "mkdocs.yml"), strict=strict, site_dir=str(project.root / "site"))
    build(config)
    return project.root / "site"


def statuses_in(html: str) -> list[str]:
    return re.findall(r'data-snippet-status="([^"]+)"', html)


def test_every_include_is_stamped_and_the_status_page_counts_them(project):
    record(project.results, fake_run(project), signer(project))
    site = build_site(project)
    page = (site / "posts/demo/index.html").read_text()
    assert statuses_in(page) == ["verified", "illustrative", "not-executable"]
    assert '<details class="snippet-badge" data-status="verified" data-search-exclude>' in page
    assert '<span class="filename">Say &quot;hello&quot;</span>' in page
    assert re.search(r'<span class="filename">It(\'|&#x27;)s output</span>', page)
    assert "Not executable here: Reboots the machine." in page
    status = (site / "status/index.html").read_text()
    totals = dict(re.findall(r'data-status-total="([^"]+)">(\d+)<', status))
    assert totals == {"verified": "1", "illustrative": "1", "not-executable": "1", "failing": "0",
                      "unverified": "0", "all": "3"}
    assert '<a href="../posts/demo/">Demo runbook</a>' in status
    assert "Every snippet is verified, illustrative or declared not executable here." in status


def test_the_status_page_lists_what_needs_attention_with_links_to_it(project):
    record(project.results, fake_run(project, fail_at=1), signer(project))
    site = build_site(project)
    status = (site / "status/index.html").read_text()
    row = re.search(r'<tr>\s*<td><a href="../posts/demo/">Demo runbook</a></td>(.*?)</tr>', status, re.S).group(1)
    assert "<td>1 not executable here, 1 failing, 1 not yet verified</td>" in row
    assert "<strong>failed</strong>" in row and "Debian 13.8 (trixie)" in row
    assert 'href="../posts/demo/#snippet-demo-hello-sh"' in status
    assert 'href="../posts/demo/#snippet-demo-hello-txt"' in status  # not run: the lab stopped before it
    assert 'href="../posts/demo/#snippet-demo-manual-sh"' not in status


def test_without_results_the_site_builds_and_says_not_yet_verified(project):
    site = build_site(project)
    page = (site / "posts/demo/index.html").read_text()
    assert statuses_in(page) == ["unverified", "unverified", "not-executable"]
    assert "Not yet verified: Its lab has not run yet." in page


def test_snippet_with_no_status_fails_a_strict_build(project, caplog):
    (project.snippets / "demo/extra.sh").write_text("ls\n")
    append_to_page(project, '\n```bash\n--8<-- "demo/extra.sh"\n```\n')
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/posts/demo.md:16: snippet demo/extra.sh has no lab step" in caplog.text


def test_plain_code_block_in_a_post_fails_a_strict_build(project, caplog):
    append_to_page(project, "\n```bash\nrm -rf /tmp/x\n```\n")
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/posts/demo.md:15: code without a status ('rm -rf /tmp/x')" in caplog.text


def test_missing_snippet_stops_the_build(project, caplog):
    append_to_page(project, '\n```bash not-executable="x"\n--8<-- "demo/gone.sh"\n```\n')
    with pytest.raises(Abort):
        build_site(project, strict=False)
    assert "docs/posts/demo.md:16: snippet demo/gone.sh: No such file or directory" in caplog.text


def test_malformed_lab_spec_stops_the_build_naming_file_and_line(project, caplog):
    (project.labs / "demo.yml").write_text("title: x\nsteps:\n  - run: demo/hello.sh\n    on: nowhere\n")
    with pytest.raises(Abort):
        build_site(project, strict=False)
    assert "tests/labs/demo.yml:2: steps need at least one host" in caplog.text


def test_topology_fence_draws_an_svg_and_is_not_a_code_block(project):
    append_to_page(project, '\n```topology title="Chain"\ndb1 -> db2\ndb2 -> db3\n```\n')
    site = build_site(project)
    html = (site / "posts/demo/index.html").read_text()
    assert '<figure class="topology"><svg' in html and "<title>Chain</title>" in html


def test_bad_topology_stops_the_build_naming_the_line_on_the_page(project, caplog):
    append_to_page(project, "\n```topology\ndb1 -> db2\ndb1 => db2\n```\n")
    with pytest.raises(Abort):
        build_site(project, strict=False)
    assert "docs/posts/demo.md:17: topology diagram: expected `source -> target`" in caplog.text
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("code, line", [
    ("\nText.\n\n    rm -rf /var/lib/vz\n", 17),
    ("\n<pre><code>rm -rf /var/lib/vz</code></pre>\n", 15),
    ('\n<div markdown="1">\n\n```bash\nrm -rf /var/lib/vz\n```\n\n</div>\n', 17),
])
def test_code_in_any_form_without_a_status_fails_a_strict_build(project, caplog, code, line):
    append_to_page(project, code)
    with pytest.raises(Abort):
        build_site(project)
    assert f"docs/posts/demo.md:{line}: code without a status ('rm -rf /var/lib/vz')" in caplog.text


def test_an_include_outside_the_snippets_folder_stops_the_build(project, caplog):
    append_to_page(project, '\n```bash not-executable="x"\n--8<-- "../mkdocs.yml"\n```\n')
    with pytest.raises(Abort):
        build_site(project, strict=False)
    assert "docs/posts/demo.md:16: snippet '../mkdocs.yml' is outside snippets/, where it must be" in caplog.text


@pytest.mark.parametrize("results, field", [
    ('{"schema": 3, "labs": []}', "at labs: [] is not of type 'object'"),
    ('{"schema": 3, "labs": {"demo": {"debian-13": {"hosts": []}}}}', "at labs.demo"),
    ('{"schema": 3, "labs"', ":1: not valid JSON"),
])
def test_a_malformed_results_file_stops_the_build_naming_it_and_the_field(project, caplog, results, field):
    project.results.parent.mkdir(parents=True, exist_ok=True)
    project.results.write_text(results)
    with pytest.raises(Abort):
        build_site(project, strict=False)
    assert "build/lab-results.json:" in caplog.text and field in caplog.text


def test_author_text_reaches_the_status_page_escaped(project):
    page = project.docs / "posts/demo.md"
    page.write_text(page.read_text().replace("# Demo runbook", "# Demo <script>alert(1)</script> runbook"))
    status = (build_site(project) / "status/index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in status and "<script>alert(1)" not in status


BARCODE = '\n```barcode symbology="ean13"\n{data}\n```\n'


def test_barcodes_are_drawn_once_into_the_assets_and_read_back(project, caplog):
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.runbook_kb")
    append_to_page(project, BARCODE.format(data="4006381333931"))
    site = build_site(project)
    html = (site / "posts/demo/index.html").read_text()
    src = re.search(r'<img class="barcode" src="([^"]+)" alt="EAN-13 barcode: 4006381333931"', html).group(1)
    asset = (site / "posts/demo" / src).resolve()
    assert decode(asset.read_bytes(), "svg", "ean13") == [("4006381333931", "EAN13")]
    assert "barcodes: 1 rendered, 0 from the cache" in caplog.text
    caplog.clear()
    build_site(project)
    assert "barcodes: 0 rendered, 1 from the cache" in caplog.text


def test_wrong_check_digit_fails_a_strict_build_with_page_and_line(project, caplog):
    append_to_page(project, BARCODE.format(data="4006381333932"))
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/posts/demo.md:16: barcode: EAN-13 4006381333932: wrong check digit 2, it should be 1" in caplog.text


def test_plain_build_shows_the_error_instead_of_a_barcode(project):
    append_to_page(project, BARCODE.format(data="4006381333932"))
    html = (build_site(project, strict=False) / "posts/demo/index.html").read_text()
    assert "Barcode not drawn" in html and 'class="barcode"' not in html


DECLARATION = """\
service: ses
region: us-east-1
method: POST
endpoint: https://email.us-east-1.amazonaws.com
headers: {Content-Type: application/x-www-form-urlencoded; charset=utf-8}
form: {Action: SendEmail, Source: sender@example.com}
access_key: AKIDEXAMPLE
secret_key: wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY
time: 2026-11-12T09:00:00Z
"""


def _sigv4_part(html: str, part: str) -> str:
    block = re.search(rf'data-sigv4="{part}".*?<code>(.*?)</code>', html, re.S).group(1)
    return unescape(re.sub(r"<[^>]+>", "", block)).strip()


def test_an_inline_declaration_becomes_a_worked_example(project):
    (project.docs / "signing.md").write_text(f"# Signing\n\n```sigv4\n{DECLARATION}```\n")
    html = (build_site(project) / "signing/index.html").read_text()
    signed = sign(parse(DECLARATION, "x"))
    assert _sigv4_part(html, "signature") == signed.signature
    assert _sigv4_part(html, "string-to-sign") == signed.string_to_sign
    assert _sigv4_part(html, "canonical-request") == signed.canonical_request
    assert f"Signature={signed.signature}" in _sigv4_part(html, "curl")
    assert "secret_key" in html  # the declaration itself stays on the page


def test_a_real_looking_key_in_a_page_stops_the_build_with_page_and_line(project, caplog):
    text = DECLARATION.replace("AKIDEXAMPLE", "AKIAQ3EGRZ6WJ2LNXK7D")
    (project.docs / "signing.md").write_text(f"# Signing\n\nSome text.\n\n```sigv4\n{text}```\n")
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/signing.md:5: sigv4: docs/signing.md:12: access key AKIA… has the shape of a real" in caplog.text


@pytest.mark.parametrize("strict", [True, False])
def test_a_real_looking_key_in_an_included_declaration_stops_any_build_naming_both_files(project, strict, caplog):
    (project.snippets / "demo/send.sigv4.yml").write_text(DECLARATION.replace("AKIDEXAMPLE", "ASIAQ3EGRZ6WJ2LNXK7D"))
    append_to_page(project, '\n```sigv4 not-executable="Example."\n--8<-- "demo/send.sigv4.yml"\n```\n')
    with pytest.raises(Abort):
        build_site(project, strict=strict)
    assert "docs/posts/demo.md:15: sigv4: snippets/demo/send.sigv4.yml:7: access key ASIA…" in caplog.text


def test_an_included_declaration_is_stamped_like_any_snippet(project):
    (project.snippets / "demo/send.sigv4.yml").write_text(DECLARATION)
    append_to_page(project, '\n```sigv4 title="Declared" not-executable="Example."\n--8<-- "demo/send.sigv4.yml"\n```\n')
    html = (build_site(project) / "posts/demo/index.html").read_text()
    assert statuses_in(html)[-1] == "not-executable"
    assert 'id="snippet-demo-send-sigv4-yml" class="highlight" data-snippet="demo/send.sigv4.yml"' in html
    generated = re.findall(r'<div[^>]*data-sigv4="([^"]+)"[^>]*data-snippet-status="([^"]+)" '
                           r'data-generated-from="demo/send.sigv4.yml"', html)
    assert {part for part, _ in generated} >= {"canonical-request", "signature", "curl"}
    assert {status for _, status in generated} == {"not-executable"}
    assert _sigv4_part(html, "signature") == sign(parse(DECLARATION, "x")).signature


def test_plain_build_shows_the_refusal_and_not_the_key(project):
    text = DECLARATION.replace("AKIDEXAMPLE", "AKIAQ3EGRZ6WJ2LNXK7D")
    (project.docs / "signing.md").write_text(f"# Signing\n\n```sigv4\n{text}```\n")
    html = (build_site(project, strict=False) / "signing/index.html").read_text()
    assert "Request not signed" in html and "Q3EGRZ6WJ2LNXK7D" not in html


def _declare_artifact(project, after: str, path: str) -> None:
    """The demo lab's step that starts with `after` makes `path` for the page."""
    spec = project.labs / "demo.yml"
    spec.write_text(spec.read_text().replace(f"  - {after}\n", f"  - {after}\n    artifacts: [{path}]\n"))


def _artifact_results(project, content: bytes, recorded: bytes | None = None):
    """A demo lab result whose first step made shot.png (recorded with the sha256 of `recorded`)."""
    import hashlib

    _declare_artifact(project, "run: demo/hello.sh", "/tmp/shot.png")
    result = fake_run(project)
    result.steps[0].artifacts = {"shot.png": hashlib.sha256(recorded or content).hexdigest()}
    record(project.results, result, signer(project))
    folder = project.build / "lab-artifacts/demo/debian-13"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shot.png").write_bytes(content)


ARTIFACT = '\n```lab-artifact alt="The demo page" title="After the stall"\ndemo/shot.png\n```\n'


def test_a_lab_artifact_is_published_with_its_provenance(project):
    _artifact_results(project, b"\x89PNG fake")
    append_to_page(project, ARTIFACT)
    site = build_site(project)
    html = (site / "posts/demo/index.html").read_text()
    assert '<img src="../../assets/lab/demo/shot.png" alt="The demo page" loading="lazy">' in html
    assert "After the stall. Made by lab demo, step 1 (demo/hello.sh) on box, 2026-11-25 10:00 UTC" in html
    assert (site / "assets/lab/demo/shot.png").read_bytes() == b"\x89PNG fake"


def test_an_artifact_not_made_yet_says_so_without_failing(project):
    _declare_artifact(project, "run: demo/hello.sh", "/tmp/shot.png")
    append_to_page(project, ARTIFACT)
    html = (build_site(project) / "posts/demo/index.html").read_text()
    assert "Not measured yet" in html and "shot.png" in html


def test_an_artifact_that_differs_from_the_results_stops_a_strict_build(project, caplog):
    _artifact_results(project, b"edited after the run", recorded=b"what the lab made")
    append_to_page(project, ARTIFACT)
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/posts/demo.md:16: lab-artifact: demo/shot.png:" in caplog.text
    assert "is not the file lab demo recorded" in caplog.text


def test_an_artifact_image_without_alt_text_stops_a_strict_build_before_any_run(project, caplog):
    _declare_artifact(project, "run: demo/hello.sh", "/tmp/shot.png")
    append_to_page(project, ARTIFACT.replace('alt="The demo page" ', ""))
    with pytest.raises(Abort):
        build_site(project)
    assert 'docs/posts/demo.md:15: lab-artifact: an image needs alt="…"' in caplog.text


def test_an_artifact_no_step_makes_stops_a_strict_build(project, caplog):
    append_to_page(project, ARTIFACT)
    with pytest.raises(Abort):
        build_site(project)
    assert "docs/posts/demo.md:16: lab-artifact: no step of lab demo makes shot.png" in caplog.text


def test_figures_an_artifact_holds_become_part_of_the_page(project):
    import hashlib

    _declare_artifact(project, "compare: demo/hello.txt", "/tmp/figures.md")
    result = fake_run(project)
    table = b"| Page | CLS |\n| --- | ---: |\n| a.html | 0.008 |\n"
    result.steps[1].artifacts = {"figures.md": hashlib.sha256(table).hexdigest()}
    record(project.results, result, signer(project))
    (project.build / "lab-artifacts/demo/debian-13").mkdir(parents=True)
    (project.build / "lab-artifacts/demo/debian-13/figures.md").write_bytes(table)
    append_to_page(project, "\n```lab-artifact\ndemo/figures.md\n```\n")
    html = (build_site(project) / "posts/demo/index.html").read_text()
    assert "<td>a.html</td>" in html and "Made by lab demo, step 2" in html


def test_fence_lines_stay_right_after_another_plugin_rewrote_the_page(project, caplog):
    """A sigv4 fence (rewritten into many lines first) above a lab-artifact fence: the artifact's error
    still names its own line in the file."""
    page = project.docs / "signing.md"
    page.write_text(f"# Signing\n\n```sigv4\n{DECLARATION}```\n\n```lab-artifact\nnot-a-ref\n```\n")
    with pytest.raises(Abort):
        build_site(project)
    line = page.read_text().split("\n").index("not-a-ref") + 1
    assert f"docs/signing.md:{line}: lab-artifact: artifact reference 'not-a-ref' is not <lab>/<file>" in caplog.text


def test_the_status_page_has_a_runbook_by_release_matrix_and_counts_per_release(two_releases):
    project = two_releases
    spec = project.labs / "demo.yml"
    record(project.results, fake_run(project, release="debian-13"), signer(project))
    site = build_site(project)
    status = (site / "status/index.html").read_text()
    row = re.search(r'<tr>\s*<td><a href="../posts/demo/">Demo runbook</a></td>(.*?)</tr>', status, re.S).group(1)
    assert "✓ <strong>passed</strong> 2026-11-25" in row and "<td>not run yet</td>" in row
    assert re.search(r'data-release-total="debian-13 verified">1<', status)
    assert re.search(r'data-release-total="debian-12 unverified">2<', status)
    page = (site / "posts/demo/index.html").read_text()
    assert ('<p class="runbook-summary" data-runbook-summary>Verified on Debian 13.8, 25 Nov 2026. '
            "Not yet verified on Debian 12.</p>") in page
    spec.write_text(spec.read_text() + "not_on:\n  debian-12: Its bash is too old.\n")
    record(project.results, fake_run(project, release="debian-13"), signer(project))  # on the new spec
    site = build_site(project)
    assert "<td>not run: Its bash is too old.</td>" in (site / "status/index.html").read_text()
    assert "Verified on Debian 13.8, 25 Nov 2026. Not run on Debian 12: Its bash is too old." in \
        (site / "posts/demo/index.html").read_text()


def test_the_summary_names_each_release_it_passed_on_once(two_releases):
    project = two_releases
    for release in ("debian-13", "debian-12"):
        record(project.results, fake_run(project, release=release), signer(project))
    site = build_site(project)
    assert "Verified on Debian 13.8 and 12.15, 25 Nov 2026.</p>" in (site / "posts/demo/index.html").read_text()

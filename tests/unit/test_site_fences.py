"""The fences the extension draws, end to end on a small project: barcodes, SigV4 worked examples, lab
artifacts, and the lines their findings name."""

import logging
import re
from html import unescape

import pytest
from mkdocs.exceptions import Abort

from runbook_kb.barcodes.decode import decode
from runbook_kb.lab.results import record
from runbook_kb.lab.signing import signer
from runbook_kb.sigv4.declaration import parse
from runbook_kb.sigv4.signing import sign

from .helpers import append_to_page, fake_run
from .sitebuild import build_site, in_project, statuses_in  # noqa: F401 - in_project is an autouse fixture


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

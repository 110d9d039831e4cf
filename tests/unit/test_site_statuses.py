"""The runbook extension end to end under MkDocs, on a small project: badges, attributes, the status page,
strict errors."""

import re

import pytest
from mkdocs.exceptions import Abort

from runbook_kb.lab.results import record
from runbook_kb.lab.signing import signer

from .helpers import append_to_page, fake_run
from .sitebuild import build_site, in_project, statuses_in  # noqa: F401 - in_project is an autouse fixture


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

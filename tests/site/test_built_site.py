"""Checks on the site `make site` built, against the lab results it was built from (run after make site)."""

import json
import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from runbook_kb.barcodes.decode import ZXING_FORMAT, decode
from runbook_kb.includes import scan_docs
from runbook_kb.snippets import SnippetRef, is_marker, read_snippet
from runbook_kb.layout import Layout
from runbook_kb.lab.results import load_results
from runbook_kb.lab.spec import load_labs
from runbook_kb.lab.trust import vet
from runbook_kb.verification.status import resolve, totals

pytestmark = pytest.mark.built

LAYOUT = Layout.of(Path(__file__).parent)
SITE = LAYOUT.root / "site"
LOADED_BY_LINK = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


class _Loads(HTMLParser):
    """Addresses a browser fetches when it loads the page (not links a reader may follow)."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "link" and LOADED_BY_LINK & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs.get("href") or "")


def external_loads(html: str) -> list[str]:
    parser = _Loads()
    parser.feed(html)
    return [url for url in parser.urls if re.match(r"^(https?:)?//", url)]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    if not (SITE / "index.html").exists():
        pytest.fail("site/ has not been built: run `make site` first")
    return {p.relative_to(SITE).as_posix(): p.read_text(encoding="utf-8") for p in SITE.rglob("*.html")}


def stamped(html: str) -> list[str]:
    return re.findall(r'<div\b[^>]*\bdata-snippet="[^"]*"[^>]*\bdata-snippet-status="([^"]+)"', html)


def test_every_included_snippet_carries_a_status(pages):
    includes = scan_docs(LAYOUT.docs)
    for page, found in includes.items():
        if not found:
            continue
        slug = re.search(r"^slug:\s*(\S+)", (LAYOUT.docs / page).read_text(), re.M)
        html = pages[f"{slug.group(1) if slug else Path(page).with_suffix('').as_posix()}/index.html"]
        assert len(stamped(html)) == len(found), page
        assert html.count('class="snippet-badge"') == len(found), page


def test_every_stamped_block_shows_its_snippet_exactly_and_no_include_line_is_left(pages):
    """What a badge stands beside is the snippet's text as the lab hashed and ran it, and no page keeps a line
    that another reading would have taken for an include (the guide shows some, as examples of source)."""
    blocks = 0
    for name, html in pages.items():
        for ref, code in re.findall(r'<div\b[^>]*\bdata-snippet="([^"]+)"[^>]*>.*?<code>(.*?)</code>', html, re.S):
            blocks += 1
            shown = unescape(re.sub(r"<[^>]+>", "", code)).rstrip("\n")
            assert shown == read_snippet(LAYOUT.snippets, SnippetRef.parse(ref)).text.rstrip("\n"), (name, ref)
        shown_as_examples = re.sub(r'<div\b[^>]*\bdata-example="[^"]*".*?</pre>', "", html, flags=re.S)
        for code in re.findall(r"<pre\b[^>]*>(.*?)</pre>", shown_as_examples, re.S):
            text = unescape(re.sub(r"<[^>]+>", "", code))
            assert not [line for line in text.split("\n") if is_marker(line)], name
    assert blocks > 200


def test_every_block_of_code_on_a_runbook_carries_a_status(pages):
    """Snippet includes and what SigV4 worked examples generate from them: no `<pre>` on a post without one."""
    for name, html in pages.items():
        if not stamped(html):
            continue
        holders = re.findall(r'<div\b([^>]*)>(?:<details class="snippet-badge".*?</details>)?'
                             r'(?:<span class="filename">.*?</span>)?<pre\b', html, re.S)
        assert len(holders) == html.count("<pre"), name
        assert all("data-snippet-status=" in attrs for attrs in holders), name


def test_each_runbook_and_its_blog_index_entry_carry_the_same_summary(pages):
    summaries = {}
    for name, html in pages.items():
        if stamped(html) and name != "status/index.html" and "data-runbook-summary" in html:
            summaries[name] = re.search(r"data-runbook-summary>(.*?)</p>", html).group(1)
    assert len(summaries) == 9, sorted(summaries)
    index = pages["index.html"]
    for name, line in summaries.items():
        assert line in index, name  # the index's excerpt of the post holds it too


def test_status_page_totals_match_the_pages_and_the_results_file(pages):
    status_html = pages["status/index.html"]
    shown = {k: int(v) for k, v in re.findall(r'data-status-total="([^"]+)">(\d+)<', status_html)}
    on_pages = Counter(s for name, html in pages.items() if name != "status/index.html" and not
                       name.startswith(("category/", "archive/", "page/", "index.html")) for s in stamped(html))
    assert shown["all"] == sum(on_pages.values())
    for status, count in shown.items():
        if status != "all":
            assert count == on_pages.get(status, 0), status
    labs = load_labs(LAYOUT.labs, LAYOUT.snippets)
    statuses, _ = resolve(scan_docs(LAYOUT.docs), labs, vet(load_results(LAYOUT.results), labs, LAYOUT),
                          LAYOUT.snippets)
    assert {k: v for k, v in shown.items() if k != "all"} == totals(statuses)
    # One row per runbook, whose counts add up to the totals
    runbooks = status_html[status_html.index('id="runbooks"'):status_html.index('id="breakages-caught"')]
    rows = re.findall(r'<tr>\s*<td><a href="\.\./([^"]+)/">.*?</tr>', runbooks, re.S)
    assert len(rows) == len({status.include.page for status in statuses})


def test_the_status_page_is_not_searched_but_the_runbooks_are():
    index = json.loads((LAYOUT.root / "site" / "search" / "search_index.json").read_text())
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "status/" not in locations
    assert {f"{p.stem}/" for p in (LAYOUT.docs / "posts").glob("*.md")} <= locations
    # Badges are not content: none of their text is searchable.
    assert not [doc["location"] for doc in index["docs"] if "ran in lab" in doc["text"]]


def test_all_nine_runbooks_are_published(pages):
    posts = sorted(p.stem for p in (LAYOUT.docs / "posts").glob("*.md"))
    assert len(posts) == 9
    for post in posts:
        assert f"{post}/index.html" in pages, post


def test_no_page_loads_anything_from_another_host(pages):
    offending = {name: loads for name, html in pages.items() if (loads := external_loads(html))}
    assert offending == {}
    assert external_loads('<link rel="stylesheet" href="https://cdn.example/x.css">') == ["https://cdn.example/x.css"]


def test_every_barcode_in_the_site_reads_back_as_declared(pages):
    images = [(name, m) for name, html in pages.items()
              for m in re.finditer(r'<img class="barcode" src="([^"]+)"[^>]*data-barcode="([^"]*)" '
                                   r'data-symbology="([^"]+)"', html)]
    for name, match in images:
        src, data, symbology = match.groups()
        asset = (SITE / name).parent / src
        fmt = asset.suffix.lstrip(".")
        assert decode(asset.read_bytes(), fmt, symbology) == [(unescape(data), ZXING_FORMAT[symbology])], name


def _code_of(html: str, attribute: str) -> list[str]:
    """The text of every code block whose container carries `attribute` (e.g. data-sigv4="signature")."""
    blocks = re.findall(rf'<div[^>]*{attribute}[^>]*>.*?<code>(.*?)</code>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", block)).strip("\n") for block in blocks]


def test_the_ses_pages_signatures_follow_from_what_the_page_shows():
    """From the page alone: the shown string to sign and the declared secret give the shown signature, with
    nothing but HMAC-SHA256 (no project code, no botocore)."""
    import hashlib
    import hmac

    import yaml

    html = (SITE / "ses-signing/index.html").read_text()
    declarations = [yaml.safe_load(text) for text in _code_of(html, r'data-snippet="ses-signing/[^"]+\.sigv4\.yml"')]
    strings = _code_of(html, 'data-sigv4="string-to-sign"')
    signatures = _code_of(html, 'data-sigv4="signature"')
    assert len(declarations) == len(strings) == len(signatures) == 2
    for declared, string_to_sign, shown in zip(declarations, strings, signatures, strict=True):
        date, region, service, terminator = string_to_sign.split("\n")[2].split("/")
        assert (region, service, terminator) == (declared["region"], declared["service"], "aws4_request")
        key = ("AWS4" + declared["secret_key"]).encode()
        for part in (date, region, service, "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        assert hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest() == shown
        assert f"Signature={shown}" in _code_of(html, 'data-sigv4="curl"')[strings.index(string_to_sign)]


def test_no_page_or_asset_holds_anything_like_a_real_aws_credential():
    from runbook_kb.sigv4.credentials import find_credentials

    found = []
    for path in sorted(p for p in SITE.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and fonts
        found += [f"{path.relative_to(SITE)}: {f.kind} {f.text[:4]}…" for f in find_credentials(text)]
    assert found == []

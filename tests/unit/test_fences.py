"""The one fence lexer that include scanning, fence rewriting and option parsing share: CommonMark's fenced
code blocks, inside the containers these pages nest them in."""

import json
import re
from html import unescape
from pathlib import Path

import pytest

from runbook_kb.fences import find, replace
from runbook_kb.fences.lexer import lex
from runbook_kb.includes import scan

SPEC = json.loads((Path(__file__).parent / "commonmark-fenced-code-blocks.json").read_text(encoding="utf-8"))
# The HTML does not say which <pre> a fence made: in example 134 the four spaces make an indented code block.
NOT_FENCES = {134}


def _fences_in(html: str) -> list[tuple[str, str]]:
    return [(lang, unescape(code)) for lang, code in
            re.findall(r'<pre><code(?: class="language-([^"]+)")?>(.*?)</code></pre>', html, re.S)]


@pytest.mark.parametrize("example", SPEC["examples"], ids=lambda e: f"example-{e['example']}")
def test_the_commonmark_examples(example):
    expected = [] if example["example"] in NOT_FENCES else _fences_in(example["html"])
    assert [(fence.lang, fence.code) for fence in lex(example["markdown"])] == expected


def test_a_fence_closes_only_on_its_own_character_at_least_as_long():
    # `````` closes ```; then "two" is a paragraph, and the last ``` opens a fence that runs to the end.
    text = "```\none\n~~~\n``\n`````\ntwo\n```\n"
    assert [(f.first, f.last, f.code) for f in lex(text)] == [(0, 4, "one\n~~~\n``\n"), (6, 7, "")]


def test_a_barcode_fence_shown_inside_a_longer_fence_is_content():
    text = '````markdown\n```barcode symbology="ean8"\n9638507\n```\n````\n'
    assert find(text, "barcode") == []
    assert replace(text, "barcode", lambda fence: "DRAWN") == text
    assert [f.lang for f in lex(text)] == ["markdown"]


def test_fences_inside_admonitions_and_tabs_keep_their_prefix():
    text = ('text\n\n!!! note\n    ```barcode symbology="ean8"\n    9638507\n    ```\n\n'
            '=== "Debian 13"\n\n    ```bash\n    --8<-- "demo/a.sh"\n    ```\n')
    assert [(f.first, f.last, f.prefix, f.lang, f.options, f.body) for f in lex(text)] == [
        (3, 5, "    ", "barcode", 'symbology="ean8"', "9638507"),
        (9, 11, "    ", "bash", "", '--8<-- "demo/a.sh"')]
    assert replace(text, "barcode", lambda fence: "<img>\nsecond").split("\n")[3:5] == ["    <img>", "    second"]


def test_a_fence_ends_with_its_container():
    text = "!!! note\n    ```\n    inside\nout of the note\n```\n"
    fences = lex(text)
    assert [(f.first, f.code, f.closed) for f in fences] == [(1, "inside\n", False), (4, "", False)]


def test_four_columns_past_the_container_are_indented_code_not_a_fence():
    assert lex("!!! note\n        ```\n        not a fence\n") == ()


def test_the_include_scan_sees_the_same_fences():
    text = ('````markdown\n```bash\n--8<-- "demo/shown.sh"\n```\n````\n\n'
            '```bash title="x"\n--8<-- "demo/a.sh"\n`````\n')
    includes, others = scan("page.md", text)
    assert [(inc.fence_line, inc.line, str(inc.ref), inc.options) for inc in includes] == [
        (7, 8, "demo/a.sh", {"title": "x"})]
    assert [block.lang for block in others] == ["markdown"]


@pytest.mark.parametrize("text", [
    "Term\n:   Definition\n\n    ```bash\n    x\n    ```\n",  # def_list
    "!!!note\n    ```bash\n    x\n    ```\n",
    '===! "Debian 13"\n    ```bash\n    x\n    ```\n',
    "- item\n\n    ```bash\n    x\n    ```\n",
], ids=["definition", "admonition-without-space", "tab-that-starts-a-set", "list-item"])
def test_python_markdowns_containers_hold_fences(text):
    assert [(f.lang, f.body, f.prefix) for f in lex(text)] == [("bash", "x", "    ")]


@pytest.mark.parametrize("text", [
    "1) item\n\n    ```bash\n    x\n    ```\n",  # not a list marker in Python-Markdown
    "A paragraph\n- item\n\n    ```bash\n    x\n    ```\n",  # the `-` line belongs to the paragraph
], ids=["parenthesis-marker", "item-under-a-paragraph"])
def test_what_python_markdown_does_not_take_for_a_container_holds_indented_code(text):
    assert lex(text) == ()


def test_the_closing_fence_is_kept_as_written():
    assert [(f.closing, f.closed) for f in lex("```\na\n`````\n~~~\nb\n")] == [("`````", True), ("", False)]

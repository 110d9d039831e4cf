"""What a reader copies is what ran: every copy button on every page, against the file the lab executed."""

from __future__ import annotations

import pytest

from runbook_kb.fences import lex
from runbook_kb.includes import include_ref
from runbook_kb.snippets import SnippetRef, read_snippet
from runbook_kb.sigv4.declaration import parse
from runbook_kb.sigv4.render import parts
from runbook_kb.sigv4.signing import sign

from .conftest import LAYOUT, reveal, site_pages

pytestmark = pytest.mark.browser
EXAMPLES = LAYOUT.docs / "guide/examples"


@pytest.mark.parametrize("path", site_pages())
def test_every_copy_button_copies_exactly_the_snippet(browser, site_url, path):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + path)
    buttons = page.locator("button[data-md-type=copy]")
    total = buttons.count()
    expected_parts: dict[str, str] = {}
    declaration = ""
    checked, mismatches = 0, []
    for index in range(total):
        button = buttons.nth(index)
        block = button.locator("xpath=ancestor::div[contains(@class, 'highlight')][1]")
        snippet, part = block.get_attribute("data-snippet"), block.get_attribute("data-sigv4")
        example = block.get_attribute("data-example")
        if snippet:
            expected = read_snippet(LAYOUT.snippets, SnippetRef.parse(snippet)).text
            if snippet.endswith(".sigv4.yml"):
                # the generated blocks that follow a declaration, as the page must show them
                expected_parts = parts(sign(parse(expected, "page")))
        elif example:
            expected = (EXAMPLES / example).read_text(encoding="utf-8")
            # A guide example drawn live: its inline declaration, and the blocks that follow from it.
            inline = [f.body for f in lex(expected) if f.lang == "sigv4" and not include_ref(f.body)]
            if inline:
                declaration, expected_parts = inline[0], parts(sign(parse(inline[0], "page")))
        elif block.get_attribute("data-sigv4-inline"):
            expected = declaration
        elif part:
            expected = expected_parts[part]
        else:
            mismatches.append(f"copy button #{index} on a code block that is neither a snippet nor generated")
            continue
        reveal(button)
        page.evaluate("navigator.clipboard.writeText('')")
        button.click()
        copied = page.evaluate("navigator.clipboard.readText()")
        checked += 1
        if copied.rstrip("\n") != expected.rstrip("\n"):
            mismatches.append(f"{snippet or part}: copied {copied[:120]!r}, the file holds {expected[:120]!r}")
    context.close()
    assert mismatches == []
    assert checked == total

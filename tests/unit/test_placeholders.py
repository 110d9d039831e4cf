"""One placeholder form across the site, so readers learn it once: <UPPER_CASE>."""

from pathlib import Path

from runbook_kb.layout import Layout
from runbook_kb.lab.placeholders import MARKUP, other_forms

LAYOUT = Layout.of(Path(__file__).parent)


def test_snippets_and_pages_spell_placeholders_one_way():
    files = [p for p in LAYOUT.snippets.rglob("*") if p.is_file() and p.suffix not in MARKUP]
    # The runbooks and the guide's examples, what readers copy; the guide's prose names the project's own
    # files with <lab> and quotes the spellings this test rejects.
    files += [*LAYOUT.docs.glob("*.md"), *(LAYOUT.docs / "posts").rglob("*.md"),
              *(LAYOUT.docs / "guide/examples").iterdir()]
    found = [f"{path.relative_to(LAYOUT.root)}:{line}: {token}"
             for path in files for line, token in other_forms(path.read_text(errors="replace"))]
    assert found == []


def test_other_forms_are_found():
    text = "mysql -u <user>\nexport KEY=YOUR_API_KEY\nurl={{ host }}\n# <file system> <mount point>\nPASSWORD_HERE\n"
    assert other_forms(text) == [(1, "<user>"), (2, "YOUR_API_KEY"), (3, "{{ host }}"), (5, "PASSWORD_HERE")]

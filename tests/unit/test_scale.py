"""The build-speed workaround changes no output."""

from mkdocs.structure import pages
from mkdocs.utils import get_markdown_title

from runbook_kb.mkdocs_plugins.scale import memoize_markdown_titles


def test_titles_are_derived_once_and_stay_the_same():
    memoize_markdown_titles()
    memoize_markdown_titles()  # a second plugin instance (mkdocs serve rebuilds) does not wrap it again
    wrapped = pages.get_markdown_title
    assert wrapped.__wrapped__ is get_markdown_title
    for text in ("# Replacing both disks\n\nbody", "no heading\n# later", "\n\n#  Spaced  \n", ""):
        assert wrapped(text) == get_markdown_title(text)
    before = wrapped.cache_info().hits
    wrapped("# Replacing both disks\n\nbody")
    assert wrapped.cache_info().hits == before + 1

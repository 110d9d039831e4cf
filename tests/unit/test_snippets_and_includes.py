import pytest

from runbook_kb.includes import FenceError, parse_info, scan
from runbook_kb.snippets import SnippetRef, read_snippet


def test_snippet_refs_round_trip():
    assert SnippetRef.parse("a/b.sh") == SnippetRef("a/b.sh")
    assert SnippetRef.parse("a/b.sh:2:4") == SnippetRef("a/b.sh", 2, 4)
    assert SnippetRef.parse("a/b.sh:3") == SnippetRef("a/b.sh", 3)
    assert str(SnippetRef("a/b.sh", 2, 4)) == "a/b.sh:2:4"
    for bad in ("a:b:c", "a:0", "a:5:2", ":1", "a:1:2:3"):
        with pytest.raises(ValueError):
            SnippetRef.parse(bad)


def test_read_snippet_selects_lines(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r/x.sh").write_text("one\ntwo\nthree\n")
    part = read_snippet(tmp_path, SnippetRef("r/x.sh", 2, 3))
    assert (part.first_line, part.last_line, part.text) == (2, 3, "two\nthree\n")
    with pytest.raises(ValueError, match=r"snippet r/x.sh:2:99: the file has only 3 lines"):
        read_snippet(tmp_path, SnippetRef("r/x.sh", 2, 99))
    with pytest.raises(ValueError, match="only 3 lines"):
        read_snippet(tmp_path, SnippetRef("r/x.sh", 7))
    with pytest.raises(FileNotFoundError):
        read_snippet(tmp_path, SnippetRef("r/missing.sh"))


PAGE = '''---
date: 2026-11-01
---
# Title

```bash title="Count workers"
--8<-- "r/count.sh"
```

!!! note
    ```text not-executable="Needs OpenVZ."
    --8<-- "r/out.txt:2:3"
    ```

```python
print("inline")
```
'''


def test_scan_finds_includes_with_real_line_numbers():
    includes, others = scan("posts/p.md", PAGE)
    assert [(i.line, str(i.ref), i.lang) for i in includes] == [(7, "r/count.sh", "bash"), (12, "r/out.txt:2:3", "text")]
    assert includes[0].options == {"title": "Count workers"} and includes[0].reason is None
    assert includes[1].reason == "Needs OpenVZ."
    assert [b.line for b in others] == [15]


def test_fence_options_must_be_key_value():
    assert parse_info('bash title="a b"') == ("bash", {"title": "a b"})
    with pytest.raises(FenceError):
        parse_info("bash stray")
    with pytest.raises(FenceError, match="posts/p.md:1"):
        scan("posts/p.md", '```bash title="unterminated\n--8<-- "r/x.sh"\n```\n')

import pytest

from runbook_kb.includes import FenceError, expand, parse_info, scan, stray_markers
from runbook_kb.snippets import SnippetRef, marker_line, read_snippet


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


@pytest.mark.parametrize("line", [
    '--8<-- "r/x.sh"', '  -8<- "r/x.sh"', "--8<--", "--8<-- \t", '> --8<-- "r/x.sh"', "cmd # --8<-- [start:x]",
    "-8<- [ end : x ]"])
def test_every_form_of_pymdownx_marker_is_seen(line):
    assert marker_line(f"first\n{line}\n") == 2


@pytest.mark.parametrize("line", ['echo "--8<--"', "x-8<-y", 'see `--8<-- "r/x.sh"`', ";--8<-- 'r/x.sh'"])
def test_text_that_merely_mentions_a_marker_is_not_one(line):
    assert marker_line(line) is None


STRAYS = {
    "prose": ('Text.\n\n--8<-- "r/x.sh"\n', 3),
    "admonition": ('!!! note\n    --8<-- "r/x.sh"\n', 2),
    "list item": ('- item\n\n    --8<-- "r/x.sh"\n', 3),
    "raw pre": ('<pre>\n--8<-- "r/x.sh"\n</pre>\n', 2),
    "block form": ("```bash\n--8<--\nr/x.sh\n--8<--\n```\n", 2),
    "two in a fence": ('```bash\n--8<-- "r/x.sh"\n--8<-- "r/y.sh"\n```\n', 2),
    "after a line of code": ('```bash\nls\n--8<-- "r/x.sh"\n```\n', 3),
}


@pytest.mark.parametrize("name", STRAYS)
def test_a_line_like_an_include_that_is_none_is_refused_at_its_line(name):
    markdown, line = STRAYS[name]
    page = "# T\n\n" + markdown
    includes, _ = scan("posts/p.md", page)
    with pytest.raises(FenceError, match=rf"^posts/p.md:{line + 2}: an include is a fence whose only line"):
        stray_markers("posts/p.md", page, includes)


def test_an_include_with_trailing_blanks_is_an_include():
    includes, _ = scan("p.md", '```bash\n--8<-- "r/x.sh" \t\n```\n')
    assert [str(inc.ref) for inc in includes] == ["r/x.sh"]
    stray_markers("p.md", '```bash\n--8<-- "r/x.sh" \t\n```\n', includes)


def test_an_include_expands_behind_its_container_and_cannot_close_its_fence():
    assert expand("    ```bash", '    --8<-- "r/x.sh"', "a\n\nb\n") == ["    a", "    ", "    b"]
    assert expand("> ```bash", '> --8<-- "r/x.sh"', "a\n") == ["> a"]
    assert expand("````md", '--8<-- "r/x.md"', "```\nx\n```\n") == ["```", "x", "```"]
    with pytest.raises(FenceError, match="line 2 of the snippet would close the fence"):
        expand("```md", '--8<-- "r/x.md"', "a\n```\n<script>alert(1)</script>\n")


def test_a_snippet_holding_a_marker_is_refused_with_its_line(tmp_path):
    (tmp_path / "r").mkdir()
    (tmp_path / "r/x.sh").write_text('ls\n--8<-- "r/y.sh"\n')
    with pytest.raises(ValueError, match=r"snippets/r/x.sh:2: a snippet cannot include another"):
        read_snippet(tmp_path, SnippetRef("r/x.sh"))


@pytest.mark.parametrize("ref", ["https://example.org/x.sh", "r/x.sh:name", 'r/x".sh', "r/x.sh ", "r/a b.sh"])
def test_what_is_not_a_snippet_file_is_refused(ref):
    with pytest.raises(ValueError):
        SnippetRef.parse(ref)


def test_a_link_out_of_the_snippets_folder_is_refused(tmp_path):
    (tmp_path / "snippets/r").mkdir(parents=True)
    (tmp_path / "secret").write_text("root:x:0:0\n")
    (tmp_path / "snippets/r/x.sh").symlink_to(tmp_path / "secret")
    with pytest.raises(ValueError, match="outside snippets/"):
        read_snippet(tmp_path / "snippets", SnippetRef("r/x.sh"))

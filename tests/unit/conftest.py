"""A small project on disk (docs, snippets, lab specs) for the harness and plugin tests."""

from pathlib import Path

import pytest

from harness.layout import Layout

CONTAINERFILE = "FROM localhost/runbook-base:bookworm\n"


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    layout = Layout(tmp_path)
    (layout.snippets / "demo").mkdir(parents=True)
    (layout.labs / "demo").mkdir(parents=True)
    (layout.docs / "posts").mkdir(parents=True)
    (layout.snippets / "demo/hello.sh").write_text("echo hello\necho world\n")
    (layout.snippets / "demo/hello.txt").write_text("hello\nworld\n")
    (layout.snippets / "demo/manual.sh").write_text("reboot\n")
    (layout.labs / "demo/box.Containerfile").write_text(CONTAINERFILE)
    (layout.labs / "demo.yml").write_text(
        "title: Demo\n"
        "images:\n  box: demo/box.Containerfile\n"
        "hosts:\n  box: {image: box, packages: [bash]}\n"
        "steps:\n"
        "  - run: demo/hello.sh\n    expect: |\n      hello\n      world\n"
        "  - compare: demo/hello.txt\n    against: printf 'hello\\nworld\\n'\n"
    )
    (layout.docs / "index.md").write_text("# Home\n")
    (layout.docs / "posts/demo.md").write_text(
        "# Demo runbook\n\n"
        '```bash title="Say \\"hello\\""\n--8<-- "demo/hello.sh"\n```\n\n'
        '```text title="It\'s output"\n--8<-- "demo/hello.txt"\n```\n\n'
        '```bash not-executable="Reboots the machine."\n--8<-- "demo/manual.sh"\n```\n'
    )
    return layout

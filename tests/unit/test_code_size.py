"""The project's own Python stays readable in pieces: no module over 300 lines, no function over 50."""

import ast
from pathlib import Path

from runbook_kb.layout import Layout

ROOT = Layout.of(Path(__file__).parent).root
SOURCES = sorted(p for folder in ("hooks", "tests", "docs") for p in (ROOT / folder).rglob("*.py"))


def test_no_module_is_over_300_lines():
    long = {str(p.relative_to(ROOT)): n for p in SOURCES if (n := p.read_text().count("\n")) > 300}
    assert len(SOURCES) > 50 and long == {}


def test_no_function_is_over_50_lines():
    long = {f"{p.relative_to(ROOT)}:{node.lineno} {node.name}": node.end_lineno - node.lineno + 1
            for p in SOURCES for node in ast.walk(ast.parse(p.read_text()))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 50}
    assert long == {}

"""The core must not depend on MkDocs, so a change of site generator touches only hooks/mkdocs_runbooks."""

import ast
from pathlib import Path

import barcodes
import diagrams
import harness
import markdownfences
import sigv4
import verification

CORE = [Path(m.__file__).parent for m in (harness, verification, diagrams, barcodes, markdownfences, sigv4)]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_has_no_site_generator_imports():
    offenders = {
        str(path): sorted(imported_modules(path) & {"mkdocs", "material", "pymdownx", "markdown"})
        for folder in CORE for path in folder.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert sum(1 for folder in CORE for _ in folder.rglob("*.py")) > 10

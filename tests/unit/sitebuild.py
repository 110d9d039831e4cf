"""A small project's site built with MkDocs, as `make site` builds the real one, for the extension's tests."""

import re

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config


MKDOCS_YML = """\
site_name: Test
theme: {name: material, font: false}
plugins: [runbook-site]
markdown_extensions:
  - runbook_kb.extensions.runbooks
  - attr_list
  - admonition
  - tables
  - pymdownx.tabbed: {alternate_style: true}
  - pymdownx.highlight
  - pymdownx.superfences:
      custom_fences:
        - name: topology
          class: topology
          format: !!python/name:runbook_kb.extensions.topology.topology
          validator: !!python/name:runbook_kb.extensions.topology.topology_options
"""


@pytest.fixture(autouse=True)
def in_project(project, monkeypatch):
    monkeypatch.chdir(project.root)  # pymdownx.snippets resolves base_path from the working directory


def build_site(project, strict=True):
    (project.root / "mkdocs.yml").write_text(MKDOCS_YML)
    config = load_config(str(project.root / "mkdocs.yml"), strict=strict, site_dir=str(project.root / "site"))
    build(config)
    return project.root / "site"


def statuses_in(html: str) -> list[str]:
    return re.findall(r'data-snippet-status="([^"]+)"', html)

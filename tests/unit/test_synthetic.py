"""The benchmark's synthetic knowledge base builds strict, with the statuses its results file implies."""

import importlib.util
import re
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

# tests/synthetic.py is a script (make bench runs it), not a package module: loaded from its file.
_spec = importlib.util.spec_from_file_location("synthetic", Path(__file__).parents[1] / "synthetic.py")
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)
generate = synthetic.generate


def test_a_generated_site_builds_strict_with_results_for_every_other_runbook(tmp_path, monkeypatch):
    config_file = generate(10, tmp_path / "kb")
    monkeypatch.chdir(config_file.parent)  # pymdownx.snippets resolves its base_path from here
    build(load_config(str(config_file), strict=True, site_dir=str(tmp_path / "site")))

    def statuses(slug):
        html = (tmp_path / "site" / slug / "index.html").read_text()
        return re.findall(r'data-snippet-status="([^"]+)"', html)

    # Runbook 1 has a passing result; runbook 10 has not run, and draws barcodes and signs a request.
    assert statuses("runbook-0001") == ["verified", "illustrative"] * 3 + ["verified"] * 4 + ["not-executable"]
    assert set(statuses("runbook-0010")) == {"unverified", "not-executable"}
    page = (tmp_path / "site" / "runbook-0010" / "index.html").read_text()
    assert re.findall(r'<img class="barcode"[^>]*data-barcode="([^"]+)"', page) == ["RB-0010", "4006380000100"]
    assert "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261112/us-east-1/ses/aws4_request" in page


def test_the_same_size_and_seed_give_the_same_files(tmp_path):
    def snapshot(root):
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    generate(5, tmp_path / "a")
    generate(5, tmp_path / "b")
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")

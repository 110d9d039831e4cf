"""Results as a lab run would record them, without running one; and edits to the fixture page."""

from runbook_kb.lab.inputs import lab_inputs
from runbook_kb.lab.results import FAILED, PASSED, HostEnv, LabResult, StepResult, entry
from runbook_kb.lab.signing import signer
from runbook_kb.snippets import read_snippet
from runbook_kb.lab.spec import load_lab, load_labs
from runbook_kb.lab.trust import Vetted, vet


OS = {"debian-13": "Debian 13.8 (trixie)", "debian-12": "Debian 12.15 (bookworm)"}


def fake_run(layout, lab_name="demo", fail_at=None, stop_after=None, release=None):
    """Signed by the test's local key, on the lab's inputs as they are: a result the build believes. On the
    lab's first release unless `release` names another."""
    lab = load_lab(layout.labs / f"{lab_name}.yml", layout.snippets)
    on = next(r for r in lab.releases if r.key == release) if release else lab.releases[0]
    result = LabResult(lab_name, on.key, lab.title, "2026-11-25T10:00:00+00:00", 3.5, PASSED,
                       {"box": HostEnv(f"localhost/runbook-lab-{on.suite}-demo-box:abc", "0123456789ab",
                                       OS[on.key], {"bash": "5.2.15-2+b13"})},
                       inputs=lab_inputs(lab, layout, on))
    for step in lab.steps_on(on.key):
        if stop_after is not None and step.index > stop_after:
            break
        text = read_snippet(layout.snippets, step.snippet) if step.snippet else None
        failed = step.index == fail_at
        result.steps.append(StepResult(
            step.index, step.kind, step.name, step.host, FAILED if failed else PASSED, 0.25,
            "2026-11-25T10:00:03+00:00", step.snippet.path if text else None,
            text.first_line if text else None, text.last_line if text else None,
            text.sha256 if text else None, "exit status 1, expected 0" if failed else None))
        if failed:
            result.outcome = FAILED
            break
    return sign(layout, result)


def runs(*results) -> dict:
    """Results as load_results gives them: by lab and release."""
    return {result.run: result for result in results}


def sign(layout, result):
    result.signature = None
    result.signature = signer(layout).sign(entry(result))
    return result


def vetted(layout, results) -> Vetted:
    return vet(results, load_labs(layout.labs, layout.snippets), layout)


def append_to_page(layout, text: str) -> None:
    page = layout.docs / "posts/demo.md"
    page.write_text(page.read_text() + text)

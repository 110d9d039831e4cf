from pathlib import Path

import pytest
import yaml

from runbook_kb.errors import SpecError
from runbook_kb.lab.spec import load_lab


def lab_with(project, body: str):
    path = project.labs / "demo.yml"
    path.write_text(body)
    return load_lab(path, project.snippets)


HEAD = "images:\n  box: demo/box.Containerfile\nhosts:\n  box: {image: box}\n"
VM = ("images:\n  box: demo/box.Containerfile\nhosts:\n  box:\n    image: box\n    vm:\n"
      "      disks: {old: 64M, new: 128M}\n      attach: [old]\n")


def test_a_vm_host_and_its_reboot_steps(project):
    lab = lab_with(project, VM + "steps:\n  - reboot: [new, old]\n    boot: disk\n  - command: cat /proc/mdstat\n")
    assert lab.hosts["box"].vm.disks == (("old", "64M"), ("new", "128M")) and lab.hosts["box"].vm.memory == 256
    reboot = lab.steps[0]
    assert (reboot.kind, reboot.disks, reboot.boot_from_disk) == ("reboot", ("new", "old"), True)
    assert reboot.name == "power off, boot with new, old through the boot loader"


def test_valid_spec(project):
    lab = load_lab(project.labs / "demo.yml", project.snippets)
    assert lab.name == "demo" and lab.title == "Demo" and lab.runnable
    assert [s.kind for s in lab.steps] == ["run", "compare"]
    assert lab.steps[0].host == "box" and lab.steps[0].line == 7
    assert lab.hosts["box"].packages == ("bash",)


def test_on_is_a_host_name_not_a_boolean(project):
    lab = lab_with(project, HEAD + "steps:\n  - command: 'true'\n    on: box\n")
    assert lab.steps[0].host == "box"


MISTAKES = yaml.safe_load((Path(__file__).parent / "spec-mistakes.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("body, line, message",
                         [({"head": HEAD, "vm": VM}.get(case.get("after"), "") + case["spec"], case["line"],
                           case["message"]) for case in MISTAKES])
def test_bad_specs_name_file_and_line(project, body, line, message):
    with pytest.raises(SpecError) as err:
        lab_with(project, body)
    assert err.value.path.endswith("demo.yml")
    assert err.value.line == line
    assert message in err.value.message
    assert str(err.value).startswith(f"{project.labs / 'demo.yml'}:{line}: ")


@pytest.mark.parametrize("text, line, message", [
    ("debian-13: {name: Debian 13, suite: trixie, mmdebstrap: [], python: '3.13'}\n", 1, "needs glibc"),
    ("Debian_13: {}\n", 1, "a name in lower case"),
    ("debian-13: {name: x, suite: y, mmdebstrap: [], python: 3.13, glibc: '2.41', os: z}\n", 1, "unknown release key 'os'"),
    ("debian-13: {name: x, suite: y, mmdebstrap: [], python: 'three', glibc: '2.41'}\n", 1, "python: a version"),
    ("{}\n", None, "no release listed"),
])
def test_bad_release_lists_name_file_and_line(project, text, line, message):
    from runbook_kb.lab.releases import load_releases

    project.releases.write_text(text)
    with pytest.raises(SpecError) as err:
        load_releases(project.releases)
    assert err.value.line == line and message in err.value.message

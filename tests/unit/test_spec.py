import pytest

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


@pytest.mark.parametrize(
    "body, line, message",
    [
        (HEAD + "steps:\n  - run: demo/nope.sh\n", 6, "no snippet file"),
        (HEAD + "steps:\n  - run: demo/hello.sh:9\n", 6, "only 2 lines"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    on: mail\n", 7, "unknown host 'mail'"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    command: ls\n", 6, "exactly one of"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    expcet: x\n", 7, "unknown step key 'expcet'"),
        (HEAD + "steps:\n  - install: demo/hello.sh\n", 6, "needs `to:`"),
        (HEAD + "steps:\n  - compare: demo/hello.txt\n", 6, "needs `against:`"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    timeout: -1\n", 7, "positive"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    status: zero\n", 7, "integer"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    shell: sh\n", 7, "{file}"),
        ("images:\n  box: demo/missing.Containerfile\n", 2, "no Containerfile"),
        ("images:\n  box: demo/box.Containerfile\nhosts:\n  box: {image: other}\n", 4, "unknown image"),
        ("images:\n  box: demo/box.Containerfile\nhosts:\n  box:\n    image: box\n    aliases: [Mail_Host]\n", 6,
         "alias 'Mail_Host' is not a DNS name"),
        ("title: x\ntitle: y\n", 2, "duplicate key"),
        ("steps: [\n", 2, ""),
        ("hosts: []\n", 1, "mapping"),
        ("pending: reason\nsteps:\n  - command: ls\n", 2, "steps need at least one host"),
        ("bogus: 1\n", 1, "unknown lab key"),
        (HEAD + "steps:\n  - command: x\n    capture: {n: '(x)'}\n", 7, "not an UPPER_CASE"),
        (HEAD + "steps:\n  - command: x\n    capture: {N: 'x'}\n", 7, "exactly one group"),
        (HEAD + "steps:\n  - command: x\n    capture: {N: '(x'}\n", 7, "bad regex"),
        (HEAD + "steps:\n  - command: echo <N>\n  - command: x\n    capture: {N: '(x)'}\n", 6,
         "step 1 uses <N>, which step 2 captures only later"),
        (HEAD + "steps:\n  - run: demo/hello.sh\n    wait: 5\n", 7, "a snippet is run only once"),
        (HEAD + "vars:\n  lower: x\n", 6, "not an UPPER_CASE"),
        (HEAD + "steps:\n  - command: x\n    artifacts: [shots/a.png]\n", 7, "an absolute path"),
        (HEAD + "steps:\n  - reboot: [a]\n", 6, "reboot is for a vm host, box is a container"),
        (VM + "steps:\n  - reboot: [old, spare]\n", 10, "list the disks to boot with, from old, new"),
        (VM + "steps:\n  - reboot: [new]\n    boot: grub\n", 11, "boot: kernel"),
        (VM + "steps:\n  - command: x\n    boot: disk\n", 11, "boot belongs to a reboot step"),
        (VM.replace("64M, new: 128M", "64M, new: 128K"), 7, "disk size '128K'"),
        (VM.replace("attach: [old]", "attach: [gone]"), 8, "no disk 'gone'"),
        (VM.replace("    vm:", "    aliases: [x]\n    vm:"), 7, "a VM has no mounts, network aliases or init"),
        (HEAD + "steps:\n  - command: x\n    artifacts: [/a/x.png]\n  - command: y\n    artifacts: [/b/x.png]\n", 8,
         "artifact name x.png is also made by step 1"),
        (HEAD + "steps:\n  - command: x\n    releases: [debian-99]\n", 7, "step 1: releases: some of the lab's debian-13"),
        (HEAD + "not_on:\n  debian-99: old\n", 6, "not_on: 'debian-99' is not a release in tests/releases.yml"),
        (HEAD + "not_on:\n  debian-13: its kernel\n", 5, "not_on leaves no release to run on"),
        (HEAD + "not_on:\n  debian-13: ''\n", 6, "the reason readers see"),
        (HEAD.replace("{image: box}", "{image: box, init: sysv}"), 4, "init is systemd"),
        (HEAD + "steps:\n  - run: demo\n", 6, "snippet 'demo' is a folder, not a file"),
        (HEAD + "steps:\n  - run: ../../etc/hostname\n", 6, "snippet '../../etc/hostname' is outside snippets/"),
        (HEAD + "steps:\n  - run: demo/hello.sh:1:9999\n", 6, "demo/hello.sh:1:9999: the file has only 2 lines"),
        (HEAD + "steps:\n  - command: echo <NEVER_DEFINED>\n", 6,
         "step 1 uses <NEVER_DEFINED>, which neither the lab's vars nor any step's capture defines"),
        (HEAD + "steps: [\n  {command: x}\n  {command: y},\n]\ntitle: Demo\n", 7,
         "did not find expected ',' or ']' (while parsing a flow sequence, which starts at line 5)"),
        ("images:\n  box: ../../../../etc/passwd\n", 2, "is outside"),
        ("images:\n  box: demo/box.Containerfile\nhosts:\n  box:\n    image: box\n    mounts: {/etc: /x}\n", 6,
         "mount source '/etc' is outside"),
    ],
)
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

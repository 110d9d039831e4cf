"""The mutation operators on lines as runbooks write them, and the choice of mutants: a few per snippet, the
same ones on every run."""

import pytest

from runbook_kb.mutation.operators import OPERATORS, candidates, choose, language


def made(path: str, line: str, operator: str) -> list[str]:
    return [m.apply(line) for m in candidates(path, line) if m.operator == operator]


@pytest.mark.parametrize("path, line, operator, expected", [
    ("a.sh", "pgrep -c -x saslauthd", "delete-line", [""]),
    ("a.sh", "fi", "delete-line", []),
    ("a.sh", "sleep 30 && echo 5", "number", ["sleep 31 && echo 5", "sleep 30 && echo 6"]),
    ("a.sh", "ls /dev/md0", "number", []),
    ("a.sh", '[ "$n" -ge 10 ] && exit 1', "comparison", ['[ "$n" -gt 10 ] && exit 1', '[ "$n" -ge 10 ] || exit 1']),
    ("a.sql", "SELECT * FROM t WHERE a = 1 AND b IS NULL;", "condition",
     ["SELECT * FROM t WHERE 1 AND b IS NULL;", "SELECT * FROM t WHERE a = 1;"]),
    ("a.sql", "SELECT 1 FROM t WHERE a <> 1", "comparison", ["SELECT 1 FROM t WHERE a = 1"]),
    ("a.sh", "mdadm --detail --scan | grep md0 | sort", "pipeline-stage",
     ["mdadm --detail --scan | sort", "mdadm --detail --scan | grep md0"]),
    ("a.sh", "mkdir -p /var/spool/postfix/run", "option", ["mkdir /var/spool/postfix/run"]),
    ("a.sh", "mkdir -p /var/spool/postfix/run", "path", ["mkdir -p /var/spool/postfix"]),
    ("x.cnf", "binlog_format = ROW", "config-key", ["binlogformat = ROW"]),
    ("default-saslauthd", 'OPTIONS="-c -m /run/saslauthd"', "config-key", ['OPTONS="-c -m /run/saslauthd"']),
    ("main.cf", "smtpd_sasl_auth_enable = yes", "config-value", ["smtpd_sasl_auth_enable = no"]),
    ("a.sh", "truncate -s 64M disk.img", "unit", ["truncate -s 64K disk.img"]),
    ("a.sh", "grep -E '^Slave_IO_Running: Yes$' out", "pattern",
     ["grep -E 'Slave_IO_Running: Yes$' out", "grep -E '^Slave_IO_Running: Yes' out"]),
])
def test_each_operator_breaks_a_line_as_an_author_would(path, line, operator, expected):
    assert made(path, line, operator) == expected


def test_comments_and_shebangs_are_left_alone():
    assert candidates("a.sh", "#!/bin/sh\n# sleep 30 in /etc/x\n") == []
    assert candidates("a.sql", "-- WHERE a = 1\n") == []
    assert language("saslauthd/default-saslauthd-13") == "config" and language("x/out.txt") == "text"


def test_the_choice_is_a_few_per_snippet_the_same_every_time_and_spread_over_operators():
    text = "mkdir -p /srv/a/b\nsleep 5 | tee /tmp/x/y\n[ 1 -eq 2 ] && echo yes\n"
    first = choose("r/x.sh", text, 4)
    assert first == choose("r/x.sh", text, 4) and len(first) == 4
    assert len({m.operator for m in first}) == 4
    assert {m.apply(text) for m in first}.isdisjoint({text}) and len({m.apply(text) for m in first}) == 4
    assert all(m.line == 2 for m in choose("r/x.sh", text, 3, lines={2}))


def test_every_operator_has_a_name_and_a_summary():
    assert all(op.name == name and op.summary for name, op in OPERATORS.items())


def test_a_comment_at_the_end_of_a_line_is_left_alone():
    assert made("a.sh", "sleep 3  # wait 2 s", "number") == ["sleep 4  # wait 2 s"]
    assert made("a.sh", "echo '# 2'", "number") == ["echo '# 3'"]


def test_a_yaml_comment_is_a_comment():
    found = candidates("x.sigv4.yml", "# POST /v2/email/outbound-emails\nregion: us-east-1\n")
    assert found and all(m.line == 2 for m in found)


def test_a_line_beside_an_excerpts_ellipsis_is_not_deleted():
    from runbook_kb.mutation.operators import candidates

    excerpt = "first line\n...\n  Master_Log_File: mysql-bin.[..]\nnext to it\nlast\n"
    deleted = {m.line for m in candidates("lab/status.txt", excerpt) if m.deletes_line}
    # 1 and 3 sit beside the ellipsis; without the ellipsis itself, 1 and 3 would claim to be neighbours
    assert deleted == {2, 4, 5}

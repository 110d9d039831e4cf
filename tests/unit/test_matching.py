import pytest

from runbook_kb.lab.matching import line_matches, matches, mismatch


@pytest.mark.parametrize(
    "expected, actual",
    [
        ("hello", "hello"),
        ("hello  \n\n", "\nhello"),
        ("a\n...\nz", "a\nz"),
        ("a\n...\nz", "a\nb\nc\nz"),
        ("...", ""),
        ("...\nlast", "x\ny\nlast"),
        ("root [..] /usr/sbin/saslauthd [..]", "root  9253  1  0 Mar15 ?  00:00:04 /usr/sbin/saslauthd -a rimap"),
        (r"\d+ workers (re)", "10 workers"),
        ("md1 : active raid1 * (glob)", "md1 : active raid1 sdb3[1] sda3[0]"),
        ("size=?? (glob)", "size=42"),
    ],
)
def test_fits(expected, actual):
    assert matches(expected, actual)
    assert mismatch(expected, actual) is None


@pytest.mark.parametrize(
    "expected, actual",
    [
        ("hello", "hello world"),
        ("a\nz", "a\nb\nz"),
        ("a\n...\nz", "a\nb"),
        (r"\d+ workers (re)", "ten workers"),
        (r"\d (re)", "12"),  # a regex line must match the whole line
        ("x (glob)", "xy"),
        ("[..] b", "a c"),
        ("", "unexpected output"),
        ("10", "2"),
        ("[..]", ""),  # a pattern line still stands for one line
    ],
)
def test_does_not_fit(expected, actual):
    assert not matches(expected, actual)
    assert mismatch(expected, actual)


def test_brackets_are_literal_outside_patterns():
    assert line_matches("sdb3[1] sda3[0]", "sdb3[1] sda3[0]")
    assert not line_matches("sdb3[1]", "sdb31")


def test_diff_shows_only_the_lines_that_differ():
    expected = "header\nroot [..] saslauthd\n...\ntotal 5"
    actual = "header\nroot 1 saslauthd\nroot 2 saslauthd\ntotal 11"
    diff = mismatch(expected, actual)
    assert "-total 5" in diff and "+total 11" in diff
    assert "+root 1 saslauthd" not in diff  # matched by the pattern line, so shown as the pattern


def test_pathological_ellipses_stay_fast():
    expected = "\n".join(["...", "x"] * 30 + ["never"])
    assert not matches(expected, "x\n" * 200)

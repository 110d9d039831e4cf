import re
import xml.etree.ElementTree as ET

import pytest

from runbook_kb.diagrams.topology import TopologyError, layout, parse, render_svg


def test_chain_is_drawn_left_to_right():
    positions = layout(parse("db1 -> db2\ndb2 -> db3\n"))
    xs = [positions[n][0] for n in ("db1", "db2", "db3")]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert len({positions[n][1] for n in positions}) == 1


def test_two_replicas_share_a_column():
    positions = layout(parse("db1 -> db2\ndb1 -> db3"))
    assert positions["db2"][0] == positions["db3"][0] != positions["db1"][0]


def test_ring_is_drawn_as_a_circle():
    positions = layout(parse("db1 -> db2\ndb2 -> db3\ndb3 -> db1"))
    assert len({round(x) for x, _ in positions.values()}) == 3


def test_svg_is_well_formed_and_named():
    svg = render_svg("db1 -> db2 : log_slave_updates\n# comment\ndb2 -> db3", title="Chain")
    root = ET.fromstring(svg)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Chain"
    assert svg.count("<rect") == 3 and svg.count("<line") == 2 and "log_slave_updates" in svg
    assert "db1 replicates to db2; db2 replicates to db3" in render_svg("db1 -> db2\ndb2 -> db3")


@pytest.mark.parametrize("text, message", [
    ("db1 => db2", "line 1: expected `source -> target`"),
    ("db1 -> db2\ndb3 -> db3", "line 2: db3 cannot replicate from itself"),
    ("# nothing\n", "no edges"),
])
def test_bad_diagrams_name_the_line(text, message):
    with pytest.raises(TopologyError, match=message):
        parse(text)


def test_each_diagram_has_its_own_arrowhead():
    ids = {re.search(r'<marker id="([^"]+)"', render_svg(text)).group(1) for text in ("a -> b", "a -> c")}
    assert len(ids) == 2

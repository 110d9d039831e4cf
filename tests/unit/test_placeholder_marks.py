import re

from runbook_kb.verification.placeholders import mark_placeholders


def test_a_placeholder_split_by_the_highlighter_is_marked_as_one():
    html = ('<pre><code><span class="k">CHANGE</span> <span class="o">&lt;</span>END_LOG_POS'
            '<span class="o">&gt;</span>;</code></pre>')
    marked = mark_placeholders(html)
    assert '<span class="rb-placeholder" title="Fill in: END_LOG_POS">&lt;END_LOG_POS&gt;</span>' in marked
    assert re.sub(r"<[^>]+>", "", marked) == re.sub(r"<[^>]+>", "", html)  # same text, same copy
    assert marked.count("<span") == marked.count("</span>")


def test_only_code_is_marked_and_lower_case_is_left_alone():
    html = "<p>&lt;NAME&gt; in prose</p><code>&lt;name&gt; &lt;DB3_POS&gt;</code>"
    assert mark_placeholders(html) == ('<p>&lt;NAME&gt; in prose</p><code>&lt;name&gt; <span class="rb-placeholder" '
                                      'title="Fill in: DB3_POS">&lt;DB3_POS&gt;</span></code>')

"""Parse errors PowerShell 5.1 reports from what encloses a statement, and the argument-mode comma.

Each case would have parsed (and run) before: flow leaving a ``finally`` block, compound assignment to
several targets, a statement after named blocks, a comma with no argument before it.
"""
from __future__ import annotations

import pytest

from csshell.language.parser import ParseErrors, parse


def first_error(script: str) -> tuple[str, int, str]:
    with pytest.raises(ParseErrors) as caught:
        parse(script)
    error = caught.value.errors[0]
    return error.error_id, error.extent.start, error.message


@pytest.mark.parametrize("script, offset", [
    ("try {} finally { return }", 17),
    ("try {} finally { return 5 }", 17),
    ("try {} finally { break }", 17),
    ("try {} finally { continue }", 17),
    ("try {} finally {\n  foreach ($x in 1) { return }\n}", 39),      # return leaves the loop and the finally
    (":outer foreach ($i in 1) { try {} finally { foreach ($j in 1) { break outer } } }", 64),
    ("try {} finally { try {} catch { break } }", 32),
])
def test_flow_leaving_finally_is_control_leaving_finally(script, offset):
    assert first_error(script) == ("ControlLeavingFinally", offset, "Control cannot leave a finally block.")


@pytest.mark.parametrize("script", [
    "try {} finally { foreach ($x in 1) { break } }",
    "try {} finally { while ($false) { continue } }",
    'try {"success"} finally {switch (1) {foo {break}}}',
    "try {} finally { & { return } }",                  # a script block is its own scope
    "try {} finally { function f { return 1 } }",
    "try {} finally { throw 'x' }",                      # throw may leave a finally block
    ":outer foreach ($i in 1) { try {} finally { :inner foreach ($j in 1) { break inner } } }",
    "try { return } finally { 'cleanup' }",
])
def test_flow_that_stays_inside_finally_parses(script):
    assert parse(script).statements


def test_compound_assignment_to_several_targets_is_invalid_left_hand_side():
    assert first_error("$a,$b += 1,2")[:2] == ("InvalidLeftHandSide", 0)
    assert first_error("$a, $b -= 1")[:2] == ("InvalidLeftHandSide", 0)
    assert parse("$a,$b = 1,2").statements[0].operator == "="


def test_comma_without_an_argument_before_it_is_missing_argument():
    assert first_error("gcm ,") == ("MissingArgument", 4, "Missing argument in parameter list.")
    assert first_error("Get-CsUser -Identity ,x")[:2] == ("MissingArgument", 21)
    assert len(parse("Write-Output a, b").statements[0].elements[0].elements) == 1


def test_statement_after_named_blocks_is_unexpected_token():
    assert first_error("begin {} Hi") == ("UnexpectedToken", 9, "Unexpected token 'Hi' in expression or statement.")
    assert first_error("begin {}\nprocess {}; 'x'")[:2] == ("UnexpectedToken", 21)
    assert set(parse("begin { 1 }\nprocess { 2 }\nend { 3 }\n").named_blocks) == {"begin", "process", "end"}
    assert set(parse("& { begin {} end {} }").statements[0].elements[0].name.body.named_blocks) == {"begin", "end"}

"""builders.py: nodes carry true extents; builder-time errors (left-hand side, try, splats)."""
from __future__ import annotations

from csshell.language import ast as A
from csshell.language.builders import operator_name
from language_helpers import arguments, expression, first_error, statement


def test_operator_names_are_normalised():
    assert [operator_name(t) for t in ["-EQ", "\u2013ceq", "+", "-", "--"]] == ["eq", "ceq", "+", "-", "--"]


def test_binary_expression_extent_spans_both_operands():
    node = expression("  $a  -eq  'x'  ")
    assert node.extent.text == "$a  -eq  'x'"


def test_member_chain_extents_grow_from_the_left():
    node = expression("$u.Sip.ToUpper()")
    assert node.extent.text == "$u.Sip.ToUpper()" and node.obj.extent.text == "$u.Sip"


def test_call_and_index_extents_end_at_their_closer():
    """Regression: extents of ``.M()`` / ``.M(a)`` / ``[i]`` once ended at the dot or the last argument."""
    assert expression("$s.Replace('a', 'b' )").extent.text == "$s.Replace('a', 'b' )"
    assert expression("$users[ 0 ].Name").obj.extent.text == "$users[ 0 ]"


def test_script_block_expression_inner_extent_is_between_the_braces():
    node = expression("{ Get-CsUser }")
    assert node.text == " Get-CsUser " and node.body.extent.text == " Get-CsUser "


def test_try_without_handlers_is_reported_after_the_try_block():
    marker = first_error("try { Lock-CsClientPin x }")
    assert (marker.error_id, marker.column, marker.width) == ("MissingCatchOrFinally", 27, 0)


def test_splat_with_member_access_is_not_permitted():
    marker = first_error("npx run @update_master.json")
    assert (marker.error_id, marker.column, marker.width) == ("SplattingNotPermitted", 9, 14)


def test_splat_in_assignment_value_is_not_permitted():
    assert first_error("$x = @h").error_id == "SplattingNotPermitted"
    assert first_error("if (@h) {}").error_id == "SplattingNotPermitted"


def test_splat_mixed_with_named_parameters_is_fine():
    params, named = arguments("Unlock-CsClientPin @p -Confirm:$false")
    assert isinstance(params, A.SplatExpr) and named.name == "Confirm"


def test_invalid_left_hand_side_marks_the_target():
    marker = first_error("'x' += 1")
    assert (marker.error_id, marker.column, marker.width) == ("InvalidLeftHandSide", 1, 3)


def test_hash_literal_extent_covers_the_braces():
    stmt = statement("$h = @{ a = 1 }")
    assert stmt.value.elements[0].expression.extent.text == "@{ a = 1 }"

"""Parser bugs found by the oracle tests (tests/oracles/), pinned at the AST level."""
from __future__ import annotations

from csshell.language import ast as A
from csshell.language.parser import parse
from language_helpers import first_error


def test_signed_number_is_one_literal_so_negative_ranges_parse():
    expr = parse("-8..-5").statements[0].elements[0].expression
    assert isinstance(expr, A.BinaryExpr) and expr.op == ".."
    assert (expr.left.value, expr.right.value) == (-8, -5)


def test_unary_minus_on_a_variable_still_binds_below_range():
    expr = parse("-$x..3").statements[0].elements[0].expression
    assert isinstance(expr, A.UnaryExpr)


def test_sixty_four_bit_hex_literal_wraps_to_negative():
    assert parse("0xFFFFFFFFFFFFFFFF").statements[0].elements[0].expression.value == -1


def test_labeled_loops_carry_their_label():
    outer = parse(":outer foreach ($u in $users) { :inner while ($true) { break outer } }").statements[0]
    assert isinstance(outer, A.ForeachStatement) and outer.label == "outer"
    assert outer.extent.text.startswith(":outer")
    assert outer.body.statements[0].label == "inner"


def test_label_before_a_non_loop_is_a_command_name():
    assert isinstance(parse(":foo if ($x) { 1 }").statements[0], A.PipelineStatement)


def test_loop_condition_missing_is_missing_expression_after_keyword():
    assert first_error("while (").error_id == "MissingExpressionAfterKeyword"
    assert first_error("do {} until (").error_id == "MissingExpressionAfterKeyword"
    assert first_error("if (").error_id == "IfStatementMissingCondition"

"""precedence.py: one precedence-climbing element gives exactly the nested levels' trees and errors."""
from __future__ import annotations

import pytest

from csshell.language import ast as A
from language_helpers import expression, first_error


def shape(node: A.Node) -> object:
    """A tree as nested tuples: ``(op, left, right)``, ``(op, operand)``, or the constant's value."""
    if isinstance(node, A.BinaryExpr):
        return (node.op, shape(node.left), shape(node.right))
    if isinstance(node, A.UnaryExpr):
        return (node.op, shape(node.operand))
    if isinstance(node, A.VariableExpr):
        return "$" + node.name
    if isinstance(node, A.ArrayLiteral):
        return [shape(item) for item in node.items]
    assert isinstance(node, A.Constant), node
    return node.value


@pytest.mark.parametrize("text, tree", [
    ("1 - 2 - 3", ("-", ("-", 1, 2), 3)),                       # left associative
    ("1 + 2 * 3", ("+", 1, ("*", 2, 3))),
    ("$a -and $b -or $c", ("or", ("and", "$a", "$b"), "$c")),   # -and and -or share a rung
    ("1 -eq 1 -and 2 -lt 3", ("and", ("eq", 1, 1), ("lt", 2, 3))),
    ("-not $a -eq $b", ("eq", ("not", "$a"), "$b")),           # -not binds tighter than -eq
    ("-$a -f 1", ("-", ("f", "$a", 1))),                      # prefix minus is looser than -f
    ("-$a * 2", ("*", ("-", "$a"), 2)),
    ("- - 5", ("-", ("-", 5))),
    ("1..2 -f 3..4", ("f", ("..", 1, 2), ("..", 3, 4))),
    ("1..-2", ("..", 1, -2)),                                  # a signed number, not an operator
    ("-not 1, 2", ("not", [1, 2])),                             # the comma binds tighter than -not
    ("1 +\n\n 2", ("+", 1, 2)),                                 # an operator continues over newlines
])
def test_operators_nest_by_the_documented_precedence(text, tree):
    assert shape(expression(text)) == tree


def test_binary_extent_spans_both_operands_and_unary_starts_at_its_operator():
    node = expression("  -$a  *  2  ")
    assert node.extent.text == "-$a  *  2" and node.left.extent.text == "-$a"


def test_range_takes_one_operator_only():
    error = first_error("1..2..3")
    assert (error.error_id, error.column) == ("UnexpectedToken", 5)


@pytest.mark.parametrize("text, error_id, column, incomplete", [
    ("1 +", "ExpectedValueExpression", 4, True),
    ("1 -f", "ExpectedValueExpression", 5, True),
    ("1 +\n", "ExpectedValueExpression", 4, True),
    ("1 * )", "ExpectedValueExpression", 4, False),
    ("-not", "MissingExpressionAfterOperator", 5, True),
    ("!\n", "MissingExpressionAfterOperator", 2, True),
    ("1,", "MissingExpressionAfterToken", 3, True),
])
def test_missing_operand_is_marked_right_after_the_operator(text, error_id, column, incomplete):
    error = first_error(text)
    assert (error.error_id, error.column, error.width, error.incomplete) == (error_id, column, 0, incomplete)

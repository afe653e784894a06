"""elements.py: where PowerShell puts the marker of a missing part, and its end-of-script test."""
from __future__ import annotations

import pytest

from csshell.language.elements import after_previous, only_trivia_after, skip_newlines, unexpected_token


@pytest.mark.parametrize("text, loc, expected", [
    ("$a = ", 5, 4),
    ("$a =\n\n", 6, 4),
    ("1 + # comment\n", 14, 3),
    ("1 + <# c #> ", 12, 3),
    ("a | `\n", 6, 3),
    ("'#' +\n", 6, 5),
    ("", 0, 0),
])
def test_after_previous_backs_over_trivia_to_the_last_token(text, loc, expected):
    assert after_previous(text, loc) == expected


def test_only_trivia_after_sees_comments_and_newlines_as_the_end():
    assert only_trivia_after("x  # c\n\n<# d #>", 1)
    assert not only_trivia_after("x\n y", 1)
    assert only_trivia_after("x <# never closed", 1)


def test_skip_newlines_does_not_skip_semicolons():
    assert skip_newlines("  \n ;x", 0) == 4


def test_unexpected_token_names_the_whole_token():
    error = unexpected_token("1 'abc' x", 2)
    assert (error.error_id, error.ps_message, error.span) == \
        ("UnexpectedToken", "Unexpected token ''abc'' in expression or statement.", (2, 7))


@pytest.mark.parametrize("op", ["&&", "||"])
def test_pipeline_chain_operators_are_5_1_statement_separator_errors(op):
    error = unexpected_token(f"a {op} b", 2)
    assert error.error_id == "InvalidEndOfLine" and error.span == (2, 4)
    assert error.ps_message == f"The token '{op}' is not a valid statement separator in this version."

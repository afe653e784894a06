"""parser.parse / parser.is_incomplete: PowerShell 5.1's parse error ids, messages and markers.

Markers follow PowerShell's parser: a missing part is marked zero-width right *after* the token that
should have been followed by it (``After(token)``, shown as one ``~`` in the next column); a missing
``}`` marks the opening brace; an unterminated string marks its opening quote; a stray token is
marked whole. Positions for ``for``/``foreach``/``try``/pipes come from the offsets PowerShell's own
parser tests expect (test/powershell/Language/Parser/Parsing.Tests.ps1).
"""
from __future__ import annotations

import pytest

from csshell.language.parse_errors import ParseErrors
from csshell.language.parser import is_incomplete, parse
from language_helpers import first_error

# (source, error id, message, line, column, width)
PARSE_ERRORS = [
    ("if ($x) {", "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition.", 1, 9, 1),
    ("foreach ($u in $all) {\n  $u\n", "MissingEndCurlyBrace",
     "Missing closing '}' in statement block or type definition.", 1, 22, 1),
    ("{ {} ", "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition.", 1, 1, 1),
    ("(1", "MissingEndParenthesisInExpression", "Missing closing ')' in expression.", 1, 3, 0),
    ("$(1 ", "MissingEndParenthesisInSubexpression", "Missing closing ')' in subexpression.", 1, 4, 0),
    ("$a.Trim(1", "MissingEndParenthesisInMethodCall", "Missing ')' in method call.", 1, 10, 0),
    ("$a[0", "MissingEndSquareBracket", "Missing ']' after array index expression.", 1, 5, 0),
    ('Write-Host "abc', "TerminatorExpectedAtEndOfString", 'The string is missing the terminator: ".', 1, 12, 1),
    ("'abc\n", "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '.", 1, 1, 1),
    ("@'\nabc", "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '@.", 1, 1, 1),
    ("a <# b", "MissingTerminatorMultiLineComment", "The terminator '#>' is missing from the multiline comment.",
     1, 3, 2),
    ("1 )", "UnexpectedToken", "Unexpected token ')' in expression or statement.", 1, 3, 1),
    ("Get-CsUser }", "UnexpectedToken", "Unexpected token '}' in expression or statement.", 1, 12, 1),
    ("$x = 1 2", "UnexpectedToken", "Unexpected token '2' in expression or statement.", 1, 8, 1),
    ("$a =", "ExpectedValueExpression", "You must provide a value expression following the '=' operator.", 1, 5, 0),
    ("1 + | x", "ExpectedValueExpression", "You must provide a value expression following the '+' operator.",
     1, 4, 0),
    ("$x -EQ", "ExpectedValueExpression", "You must provide a value expression following the '-EQ' operator.",
     1, 7, 0),
    ("-not", "MissingExpressionAfterOperator", "Missing expression after unary operator '-not'.", 1, 5, 0),
    ("1,", "MissingExpressionAfterToken", "Missing expression after ','.", 1, 3, 0),
    ("gps|", "EmptyPipeElement", "An empty pipe element is not allowed.", 1, 5, 0),
    ("Get-CsUser | | Get-CsClientPinInfo", "EmptyPipeElement", "An empty pipe element is not allowed.", 1, 13, 0),
    ("if ($x)", "MissingStatementBlock", "Missing statement block after if ( condition ).", 1, 8, 0),
    ("if ($x) {} elseif ($y) x", "MissingStatementBlock", "Missing statement block after elseif ( condition ).",
     1, 23, 0),
    ("if ($x) {} else", "MissingStatementBlockAfterElse", "Missing statement block after 'else' keyword.", 1, 16, 0),
    ("if", "MissingOpenParenthesisInIfStatement", "Missing '(' after 'if' in if statement.", 1, 3, 0),
    ("try {}", "MissingCatchOrFinally", "The Try statement is missing its Catch or Finally block.", 1, 7, 0),
    ("try {}\nGet-CsUser", "MissingCatchOrFinally", "The Try statement is missing its Catch or Finally block.",
     1, 7, 0),
    ("@{a 1}", "MissingEqualsInHashLiteral", "Missing '=' operator after key in hash literal.", 1, 4, 0),
    ("foreach (", "MissingVariableNameAfterForeach", "Missing variable name after foreach.", 1, 10, 0),
    ("foreach ($a into", "MissingInInForeach", "Missing 'in' after variable in foreach loop.", 1, 12, 0),
    ('"$HOME:"', "InvalidVariableReferenceWithDrive",
     "Variable reference is not valid. ':' was not followed by a valid variable name character. "
     "Consider using ${} to delimit the name.", 1, 2, 6),
    ('@" x\ny\n"@', "UnexpectedCharactersAfterHereStringHeader",
     "No characters are allowed after a here-string header but before the end of the line.", 1, 4, 1),
    ("@'\ny\n  '@", "WhitespaceBeforeHereStringFooter", "White space is not allowed before the string terminator.",
     3, 3, 1),
    ("@h", "SplattingNotPermitted",
     "The splatting operator '@' cannot be used to reference variables in an expression. '@h' can be used only "
     "as an argument to a command. To reference variables in an expression use '$h'.", 1, 1, 2),
    ("Unlock-CsClientPin @p, 1", "SplattingNotPermittedInArgumentList",
     "Splatted variables like '@p' cannot be part of a comma-separated list of arguments.", 1, 20, 2),
    ("1|1", "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline.",
     1, 3, 1),
    ("Get-CsUser | $_.Identity", "ExpressionsMustBeFirstInPipeline",
     "Expressions are only allowed as the first element of a pipeline.", 1, 14, 11),
    ("| Get-CsUser", "EmptyPipeElement", "An empty pipe element is not allowed.", 1, 1, 1),
    ("foreach ($i in 1..3) { $i } | Out-Host", "EmptyPipeElement", "An empty pipe element is not allowed.", 1, 29, 1),
    ("gcm -a:", "ParameterRequiresArgument", "Parameter -a: requires an argument.", 1, 8, 0),
    ("Get-CsUser >", "MissingExpressionInRedirection", "Missing file specification after redirection operator.",
     1, 13, 0),
    ("a && b", "InvalidEndOfLine", "The token '&&' is not a valid statement separator in this version.", 1, 3, 2),
    ("a || b", "InvalidEndOfLine", "The token '||' is not a valid statement separator in this version.", 1, 3, 2),
]


@pytest.mark.parametrize("text, error_id, message, line, column, width", PARSE_ERRORS,
                         ids=[case[1] + ":" + case[0][:20] for case in PARSE_ERRORS])
def test_first_parse_error_has_powershells_id_message_and_marker(text, error_id, message, line, column, width):
    marker = first_error(text)
    assert (marker.error_id, marker.message) == (error_id, message)
    assert (marker.line, marker.column, marker.width) == (line, column, width)


# Offsets (0-based) from PowerShell's Parsing.Tests.ps1 `ShouldBeParseError` cases that apply to 5.1.
POWERSHELL_TEST_OFFSETS = [
    ("for", "MissingOpenParenthesisAfterKeyword", 3),
    ("for($a;$b;$c", "MissingEndParenthesisAfterStatement", 12),
    ("for($a;$b;$c)", "MissingLoopStatement", 13),
    ("foreach", "MissingOpenParenthesisAfterKeyword", 7),
    ("foreach (", "MissingVariableNameAfterForeach", 9),
    ("foreach ($a", "MissingInInForeach", 11),
    ("foreach ($a into", "MissingInInForeach", 11),
    ("foreach ($a in", "MissingForeachExpression", 14),
    ("foreach ($a in $x", "MissingEndParenthesisAfterForeach", 17),
    ("foreach ($a in $x)", "MissingForeachStatement", 18),
    ("do", "MissingLoopStatement", 2),
    ("do {}", "MissingWhileOrUntilInDoWhile", 5),
    ("do {} while", "MissingOpenParenthesisAfterKeyword", 11),
    ("do {} while (1", "MissingEndParenthesisAfterStatement", 14),
    ("try", "MissingTryStatementBlock", 3),
    ("try {}", "MissingCatchOrFinally", 6),
    ("try {} catch", "MissingCatchHandlerBlock", 12),
    ("try {} catch {} finally", "MissingFinallyStatementBlock", 23),
    ("function", "MissingNameAfterKeyword", 8),
    ("function foo", "MissingFunctionBody", 12),
    ("@a", "SplattingNotPermitted", 0),
    ("gps|", "EmptyPipeElement", 4),
    ("gps| |foreach name", "EmptyPipeElement", 4),
    ("1|1", "ExpressionsMustBeFirstInPipeline", 2),
    ("gcm -a:", "ParameterRequiresArgument", 7),
    ("   )", "UnexpectedToken", 3),
    ("$a=", "ExpectedValueExpression", 3),
]


@pytest.mark.parametrize("text, error_id, offset", POWERSHELL_TEST_OFFSETS)
def test_error_offsets_agree_with_powershells_parser_tests(text, error_id, offset):
    with pytest.raises(ParseErrors) as caught:
        parse(text)
    error = caught.value.errors[0]
    assert (error.error_id, error.extent.start) == (error_id, offset)


def test_parse_error_extent_knows_the_script_file():
    with pytest.raises(ParseErrors) as caught:
        parse("Get-CsUser |\n", file="/scripts/pins.ps1")
    assert caught.value.errors[0].extent.file == "/scripts/pins.ps1"


def test_missing_brace_on_a_later_line_marks_the_opening_brace_line():
    marker = first_error("Lock-CsClientPin -Identity 'Ken Myer'\nif ($true) {\n    'never printed'\n")
    assert (marker.error_id, marker.line, marker.column) == ("MissingEndCurlyBrace", 2, 12)


def test_missing_operand_marker_skips_back_over_newlines_and_comments():
    marker = first_error("$x = # nothing here\n\n")
    assert (marker.error_id, marker.line, marker.column, marker.width) == ("ExpectedValueExpression", 1, 5, 0)


def test_operator_never_continues_across_a_semicolon():
    assert first_error("1 + ;2").error_id == "ExpectedValueExpression"


@pytest.mark.parametrize("text", [
    "{", "if ($x) {", "(", "Get-CsUser | Where-Object { $_.IsLockedOut", "@(", "$(", "@{", '"', "'", '"abc $(',
    "@\"", "@'\nabc", "a |", "Get-CsUser |  ", "Get-CsUser `", "Get-CsUser ```", "1 +", "$x -eq", "$x = ",
    "1,", "<# comment", "if ($x) {} else", "try {}", "foreach ($u in $users)", "$a[", "$a.Trim(",
])
def test_unfinished_input_is_incomplete(text):
    assert is_incomplete(text)


@pytest.mark.parametrize("text", [
    "", "Get-CsUser", "Get-CsClientPinInfo 'Ken Myer'", "if ($x) { 1 }", "Get-CsUser | Get-CsClientPinInfo",
    ")", "}", "a)", "1 + )", "a && b", "@{a 1}", '"$HOME:"', "Write-Host ``", "Write-Host `  ", "# just a comment",
    "@'\nabc\n'@",
])
def test_complete_or_broken_input_is_not_incomplete(text):
    assert not is_incomplete(text)


def test_requires_lines_are_collected_in_order():
    script = parse("#Requires -Version 3.0\n#requires -Modules Lync\nGet-CsUser  # #Requires -Not\n")
    assert script.requires == ["-Version 3.0", "-Modules Lync"]


def test_a_script_with_an_error_anywhere_gives_no_tree():
    with pytest.raises(ParseErrors) as caught:
        parse("Lock-CsClientPin 'Ken Myer'\nGet-CsUser | | x\n")
    assert caught.value.errors[0].extent.start_line == 2
    assert not caught.value.incomplete

"""Expected values and parse errors derived from PowerShell's own language tests.

Written for csshell from the tables in PowerShell/PowerShell ``test/powershell/Language/`` (MIT):
``Parser/Parser.Tests.ps1`` (Boolean, comparison, array-filter, numeric-literal, escape, here-string,
unary comma, ``"$var:"`` tables), ``Parser/Parsing.Tests.ps1`` (``ShouldBeParseError`` lines) and
``Operators/{Comparison,Split,Replace,Range}Operator.Tests.ps1``. These are our own rows, not copies.

Left out as PowerShell 7-only (not Windows PowerShell 5.1): `` `u{} `` and `` `e `` escapes, ternary
``?:``, ``??``/``??=``, ``?.``/``?[]``, pipeline chains ``&&``/``||``, generalized splatting ``@@{}``,
the numeric suffixes ``y uy s us u ul n`` and binary ``0b`` literals (PowerShell 6.2/7), character
ranges ``'a'..'e'`` (PowerShell 6; 5.1 converts the operands to int and fails), the
``MissingNamedBlocks`` error id (7.x; 5.1 reports the stray statement as an unexpected token) and
culture-invariant ``-split``/``-replace`` tests. Each dropped row of a kept table is in ``DROPPED``.

Positions are 0-based offsets into the script (the ``-CheckColumnNumber`` rows of Parsing.Tests.ps1
give 1-based columns, converted here: offset = column - 1 on one-line scripts).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ValueCase:
    """``script`` outputs ``values`` (in order); ``type_name`` is the .NET type of the single output, if given."""
    script: str
    values: tuple[Any, ...]
    type_name: str | None = None


@dataclass(frozen=True)
class ParseErrorCase:
    """``script`` is rejected; its first error has ``error_id`` at ``offset``; ``incomplete`` = asks for more input."""
    script: str
    error_id: str
    offset: int | None = None
    incomplete: bool | None = None


def _v(script: str, *values: Any, type_name: str | None = None) -> ValueCase:
    return ValueCase(script, values, type_name)


_IF = "if ({}) {{ $true }} else {{ $false }}"

BOOLEAN = [
    _v('"False" -as [bool]', True),
    *[_v(_IF.format(cond), expected) for cond, expected in [
        ('"A"', True), ('" "', True), ('"String with spaces"', True), ('"StringWithNullVar$aEmbedded"', True),
        ("0", False), ('""', False), ("$null", False), ("@()", False), ("@(0)", False), ("@(0, 0)", True)]],
    _v('$a = $(0); if ($a) { $true } else { $false }', False),
]

LOGICAL = [_v(_IF.format(cond), expected) for cond, expected in [
    ("1 -and 1", True), ("1 -and 0", False), ("0 -and 1", False), ("0 -and 0", False),
    ("1 -or 1", True), ("1 -or 0", True), ("0 -or 1", True), ("0 -or 0", False),
    ("$false -eq $true -and $false", False), ("$false -and $true -eq $false", False),
    ("$false -ieq $true -and $false", False), ("$false -le $true -and $false", False),
    ("$false -ile $true -and $false", False), ("$false -ge $true -and $false", False),
    ("$false -like $true -and $false", False), ("!$true -and $false", False),
]] + [
    _v("1 -xor 0", True), _v("1 -xor 1", False), _v("-not 1", False), _v("-not 0", True),
    _v("!1", False), _v("!0", True), _v("!3", False),
]

COMPARISON = [
    _v("$a=10; if (!$a -eq 10) { $a=1 } else { $a=2 }; $a", 2),
    _v("$a=10; if ($a -lt 15) { $a=1 } else { $a=2 }; $a", 1),
    _v("$a=10; if ($a -gt 15) { $a=1 } else { $a=2 }; $a", 2),
    _v("$a=10; if ($a -ge 10) { $a=1 } else { $a=2 }; $a", 1),
    _v("$a=10; if ($a -ne 10) { $a=1 } else { $a=2 }; $a", 2),
    _v('$a="abc"; if ($a -ieq "ABC") { $a=1 } else { $a=2 }; $a', 1),
    _v('$a="abc"; if ($a -igt "bbc") { $a=1 } else { $a=2 }; $a', 2),
    _v('$a="abc"; if ($a -ile "bbc") { $a=1 } else { $a=2 }; $a', 1),
    _v("'aaa' -ilt 'AAA'", False), _v("'aaa' -lt 'AAA'", False), _v("'aaa' -clt 'AAA'", True),
    _v("'AAA' -igt 'aaa'", False), _v("'AAA' -gt 'aaa'", False), _v("'AAA' -cgt 'aaa'", True),
    _v("'aaa' -ge 'aaa'", True), _v("'aaa' -ine 'AAA'", False), _v("'aaa' -ne 'AAA'", False),
    _v("'aaa' -cne 'AAA'", True), _v("'aaa' -ieq 'AAA'", True), _v("'aaa' -igt 'AAA'", False),
    _v("'aaa' -ile 'AAA'", True),
    _v("1 -lt 2", True), _v("1 -gt 2", False), _v("1 -le 2", True), _v("1 -le 1", True), _v("1 -ge 2", False),
    _v("1 -ge 1", True), _v("1 -eq 1", True), _v("1 -ne 2", True),
    _v("'abc' -ceq 'abc'", True), _v("'abc' -ceq 'Abc'", False),
    _v("$arr = 'Hello','world'; $arr -contains 'Hello'", True),
    _v("$arr = 'Hello','world'; $arr -ccontains 'hello'", False),
    _v("$arr = 'Hello','world'; $arr -ccontains 'Hello'", True),
    _v('"Hello world" -match "Hello*"', True), _v('"Hello world" -like "Hello*"', True),
    _v('"Hello world" -notmatch "Hello*"', False), _v('"Hello world" -notlike "Hello*"', False),
]

ARRAY_FILTER = [
    _v("@(3) -eq 3", 3), _v("@(4) -eq 3"), _v("@() -eq 3"),
    _v("$test = 1,2,@(3,4); $test -eq 3"), _v("$test = 1,2,@(3,4); $test -eq 2", 2),
    _v("$test = 1,2,@(3,4); $test -eq 0"),
    _v("(1,2,3,2 -eq 2).Count", 2), _v("1,2,3 -ne 2", 1, 3), _v("'a','b','A' -ceq 'a'", "a"),
    _v("'apple','banana' -like 'b*'", "banana"), _v("'apple','banana' -match 'an'", "banana"),
]

# Parser.Tests.ps1 "Numerical Notations": only the 5.1 notations (decimal, real, exponent, hex, d, l, kb..pb).
NUMBERS = [
    _v("0", 0, type_name="System.Int32"), _v("10", 10, type_name="System.Int32"),
    _v("-10", -10, type_name="System.Int32"), _v("+10", 10, type_name="System.Int32"),
    _v("2147483647", 2147483647, type_name="System.Int32"),
    _v("-2147483648", -2147483648, type_name="System.Int32"),
    _v("2147483648", 2147483648, type_name="System.Int64"),
    _v("0.0", 0.0, type_name="System.Double"), _v("6.5", 6.5, type_name="System.Double"),
    _v("-6.5", -6.5, type_name="System.Double"), _v(".01", 0.01, type_name="System.Double"),
    _v("0e0", 0.0, type_name="System.Double"), _v("3e0", 3.0, type_name="System.Double"),
    _v("5e-2", 0.05, type_name="System.Double"), _v("5e2", 500.0, type_name="System.Double"),
    _v("-5e-2", -0.05, type_name="System.Double"), _v("-5e2", -500.0, type_name="System.Double"),
    _v("0x0", 0, type_name="System.Int32"), _v("0x12", 18, type_name="System.Int32"),
    _v("-0x12", -18, type_name="System.Int32"), _v("0xFF", 255, type_name="System.Int32"),
    _v("0x80000000", -2147483648, type_name="System.Int32"),
    _v("0x7fffffff", 2147483647, type_name="System.Int32"),
    _v("0xFFFFFFFF", -1, type_name="System.Int32"),
    _v("0x100000000", 4294967296, type_name="System.Int64"),
    _v("0xFFFFFFFFFF", 1099511627775, type_name="System.Int64"),
    _v("0xFFFFFFFFFFFFFF", 72057594037927935, type_name="System.Int64"),
    _v("0xFFFFFFFFFFFFFFFF", -1, type_name="System.Int64"),
    _v("1kb", 1024, type_name="System.Int32"), _v("1mb", 1048576, type_name="System.Int32"),
    _v("1gb", 1073741824, type_name="System.Int32"), _v("1tb", 1099511627776, type_name="System.Int64"),
    _v("1pb", 1125899906842624, type_name="System.Int64"),
    _v("1.5kb", 1536.0, type_name="System.Double"),
    _v("0d", 0, type_name="System.Decimal"), _v("100d", 100, type_name="System.Decimal"),
    _v("-1.5d", -1.5, type_name="System.Decimal"), _v("15e3d", 15000, type_name="System.Decimal"),
    _v("1dkb", 1024, type_name="System.Decimal"),
    _v("0l", 0, type_name="System.Int64"), _v("10l", 10, type_name="System.Int64"),
    _v("-10l", -10, type_name="System.Int64"), _v("0x41l", 65, type_name="System.Int64"),
    _v("1lkb", 1024, type_name="System.Int64"), _v("1lgb", 1073741824, type_name="System.Int64"),
    _v("1,2,3 + 4,5,6", 1, 2, 3, 4, 5, 6),
    _v("$a=6; $a -= 2; $a", 4), _v("20 %\n 6", 2), _v("(20 %\n 6 *\n 4 +\n 2 ) /\n 2 -\n 3", 2),
]

STRINGS = [
    _v('"foo` bar"', "foo bar"), _v('"fo`obar"', "foobar"), _v('"`\\\\"', "\\\\"),
    _v('"`0"', "\0"), _v('"`a"', "\a"), _v('"`b"', "\b"), _v('"`f"', "\f"), _v('"`n"', "\n"),
    _v('"`r"', "\r"), _v('"`t"', "\t"), _v('"`v"', "\v"), _v("write-output \"`'\"", "'"),
    _v('write-output "`""', '"'), _v("'foo`nbar'", "foo`nbar"),
    _v('$MyArray = "a","b"; "Hello $MyArray"', "Hello a b"),
    _v('$one, $two = 1, 2, 3; "One = $one"; "Two = $two"', "One = 1", "Two = 2 3"),
    _v('@"\n\nfoo\n\n"@', "\nfoo\n"), _v("@'\n$x`n\n'@", "$x`n"),
    _v("$herestr=@\"\n'\"'\n\"@; $herestr", "'\"'"),
    _v("\"a'b\" + 'c\"d' + 'e''f' + \"g\"\"h\"", "a'bc\"de'fg\"h"),
]

UNARY_COMMA = [
    _v("(,1).Count", 1), _v("(,(1,2)).Count", 1), _v("(,1 + 2).Count", 2), _v("@(,@(1,2)).Count", 1),
]

SPLIT_JOIN_REPLACE = [
    _v('"a b", "c d" -split " "', "a", "b", "c", "d"), _v('"a b c d" -split " "', "a", "b", "c", "d"),
    _v('"a b c d" -split " ", 2', "a", "b c d"), _v('"a b c d" -split " ", 0', "a", "b", "c", "d"),
    _v('"a::b::c::d" -split "::"', "a", "b", "c", "d"),
    _v('"a1:b1:c1:d" -split "(1:)"', "a", "1:", "b", "1:", "c", "1:", "d"),
    _v('"a1:b1:c1:d" -split "1(:)"', "a", ":", "b", ":", "c", ":", "d"),
    _v('"abcBd" -split "B"', "a", "c", "d"), _v('"abcBd" -isplit "B"', "a", "c", "d"),
    _v('"abcBd" -csplit "B"', "abc", "d"), _v('"abcBd" -csplit "B", 0, "IgnoreCase"', "a", "c", "d"),
    _v('"a::b::c::d" -split {$_ -eq "b" -or $_ -eq "C"}', "a::", "::", "::d"),
    _v('"a::b::c::d" -split {$_ -eq "b" -or $_ -eq "C"}, 2', "a::", "::c::d"),
    _v('"a: b:c" -split ": "', "a", "b:c"), _v('"a:b" -split "(:)", 0, "ExplicitCapture"', "a", "b"),
    _v('"abc" -split "B", 0, "SimpleMatch,IgnoreCase"', "a", "c"),
    _v("\"a12a`nb34b\" -split '^b', 0, 'Multiline'", "a12a\n", "34b"),
    _v("(\"a12a`nb34b`nc56c\" -split 'b.+c').Count", 1),
    _v("(-split \"a b\", \"c d\").Count", 2), _v('-split ("a b", "c d")', "a", "b", "c", "d"),
    _v('-split "a b c d"', "a", "b", "c", "d"),
    _v('1,2,3 -join ","', "1,2,3"), _v('-join ("a", "b")', "ab"), _v('-join "a", "b"', "a", "b"),
    _v('"Get-Process" -replace "Get", "Stop"', "Stop-Process"),
    _v('"image.gif" -replace "\\.gif$", ".jpg"', "image.jpg"),
    _v('"book" -replace "B", "C"', "Cook"), _v('"book" -ireplace "B", "C"', "Cook"),
    _v('"book" -creplace "B", "C"', "book"), _v('"PowerPoint" -replace "Point", "Shell"', "PowerShell"),
    _v('"PowerPoint" -replace "Point"', "Power"),
    _v("\"domain.example\" -replace '.*\\.(\\w+)$', \"Tld of '`$0' is - '`$1'\"",
       "Tld of 'domain.example' is - 'example'"),
    _v("\"domain.example\" -replace '.*\\.(?<tld>\\w+)$', '${tld}'", "example"),
]

RANGES = [
    _v("5..8", 5, 6, 7, 8), _v("-8..-5", -8, -7, -6, -5), _v("0..0", 0), _v("4..3", 4, 3),
    _v("-2..2", -2, -1, 0, 1, 2), _v("(5..8)[0].GetType().Name", "Int32"),
    _v("1.1d..3.9d", 1, 2, 3, 4),
]

CONTROL_FLOW = [
    _v("while ($true) { 1; while ($true) { 2; break; 3 }; 4; break; 5 }", 1, 2, 4),
    _v("foreach ($a in 1..3) { 1; foreach ($b in 1..3) { 2; break; 3 }; 4; break; 5 }", 1, 2, 4),
    _v(":foo foreach ($a in 1..3) { 1; :foo foreach ($b in 1..3) { 2; break foo; 3 }; 4; break; 5 }", 1, 2, 4),
    _v("$a = 0; while ($a -lt 2) { ($a++); continue; 2 }", 0, 1),
    _v("for ($a = 0; $a -lt 2; $a += 1) { 9; continue; 3 }", 9, 9),
    _v(":foo foreach ($a in 1..2) { 1; :bar foreach ($b in 1..3) { 2; continue foo; 3 }; 4 }", 1, 2, 1, 2),
    _v("try { try { throw 'x' } finally { 'Finally' } } catch { 'caught' }", "Finally", "caught"),
    _v('try {"success"} finally {switch (1) {foo {break}}}', "success"),
    _v('$test = "String"; $test.SubString($("hello" | ForEach-Object { $_.length - 2 }))', "ing"),
    _v("3", 3, type_name="System.Int32"),
]

VALUE_CASES: list[ValueCase] = (BOOLEAN + LOGICAL + COMPARISON + ARRAY_FILTER + NUMBERS + STRINGS + UNARY_COMMA
                                + SPLIT_JOIN_REPLACE + RANGES + CONTROL_FLOW)

_P = ParseErrorCase
PARSE_ERROR_CASES: list[ParseErrorCase] = [
    _P("for", "MissingOpenParenthesisAfterKeyword", 3, True), _P("for(", "MissingEndParenthesisAfterStatement", 4),
    _P("for(;", "MissingEndParenthesisAfterStatement", 5), _P("for(;;", "MissingEndParenthesisAfterStatement", 6),
    _P("for($a;$b;$c", "MissingEndParenthesisAfterStatement", 12), _P("for($a;$b;$c)", "MissingLoopStatement", 13),
    _P(":lab for", "MissingOpenParenthesisAfterKeyword", 8),
    _P("foreach", "MissingOpenParenthesisAfterKeyword", 7), _P("foreach (", "MissingVariableNameAfterForeach", 9),
    _P("foreach ($a", "MissingInInForeach", 11), _P("foreach ($a into", "MissingInInForeach", 11),
    _P("foreach ($a in", "MissingForeachExpression", 14),
    _P("foreach ($a in $x", "MissingEndParenthesisAfterForeach", 17),
    _P("foreach ($a in $x)", "MissingForeachStatement", 18),
    _P(":lab foreach ($a in $x)", "MissingForeachStatement", 23),
    _P("do", "MissingLoopStatement", 2), _P("do {}", "MissingWhileOrUntilInDoWhile", 5),
    _P("do {} while", "MissingOpenParenthesisAfterKeyword", 11),
    _P("do {} while (", "MissingExpressionAfterKeyword", 13),
    _P("do {} while (1", "MissingEndParenthesisAfterStatement", 14),
    _P("do {} until", "MissingOpenParenthesisAfterKeyword", 11),
    _P("do {} until (", "MissingExpressionAfterKeyword", 13),
    _P("do {} until (1", "MissingEndParenthesisAfterStatement", 14),
    _P("try", "MissingTryStatementBlock", 3), _P("try {}", "MissingCatchOrFinally", 6),
    _P("try {} catch", "MissingCatchHandlerBlock", 12), _P("try {} finally", "MissingFinallyStatementBlock", 14),
    _P("try {} catch [int]", "MissingCatchHandlerBlock", 18),
    _P("try {} catch {} finally", "MissingFinallyStatementBlock", 23),
    _P("try {} catch {} catch", "MissingCatchHandlerBlock", 21),
    _P("try {} finally { return }", "ControlLeavingFinally", 17),
    _P("try {} finally { break }", "ControlLeavingFinally", 17),
    _P("try {} finally { continue }", "ControlLeavingFinally", 17),
    _P('switch ("abc")  ', "MissingCurlyBraceInSwitchStatement", 14),
    _P('switch ("abc")  { 1', "MissingSwitchStatementClause", 19),
    _P('switch ("abc")  { 1 }', "MissingSwitchStatementClause", 19),
    _P("function", "MissingNameAfterKeyword", 8), _P("function foo", "MissingFunctionBody", 12),
    _P("function foo(", "MissingEndParenthesisInFunctionParameterList", 13),
    _P("function foo {", "MissingEndCurlyBrace", 13),
    _P("function foo { function bar { if (1) {} }", "MissingEndCurlyBrace", 13),
    _P("function foo {param(}", "MissingEndParenthesisInFunctionParameterList", 20),
    _P("$a,$b += 1,2", "InvalidLeftHandSide", 0),
    _P("@a", "SplattingNotPermitted", 0),
    _P("|gps", "EmptyPipeElement", 0), _P("gps|", "EmptyPipeElement", 4, True),
    _P("gps| |foreach name", "EmptyPipeElement", 4),
    _P("1|1", "ExpressionsMustBeFirstInPipeline", 2), _P("$a=", "ExpectedValueExpression", 3, True),
    _P("gcm -a:", "ParameterRequiresArgument", 7), _P("gcm ,", "MissingArgument", 4),
    _P("   )", "UnexpectedToken", 3), _P("   }", "UnexpectedToken", 3),
    _P("1+", "ExpectedValueExpression", 2, True),
    # Parser.Tests.ps1: IncompleteParseException (incomplete=True) vs ParseException (incomplete=False).
    _P('"This is a test', "TerminatorExpectedAtEndOfString", incomplete=True),
    _P("(", "MissingEndParenthesisInExpression", incomplete=True),
    _P("(1+ 1),", "MissingExpressionAfterToken", incomplete=True),
    _P("1,2,", "MissingExpressionAfterToken", incomplete=True),
    _P("write-output 2,,1", "MissingExpressionAfterToken", incomplete=False),
    _P('"$var:"', "InvalidVariableReferenceWithDrive", 1, False),
    _P('if ("true")', "MissingStatementBlock", incomplete=True),
    _P("if (", "IfStatementMissingCondition", incomplete=True),
    _P('if "true" { 1} else {2}', "MissingOpenParenthesisInIfStatement", incomplete=False),
    _P('if ("true"  { 1};', "MissingEndParenthesisAfterStatement", incomplete=False),
    _P('if ("true") {1} else', "MissingStatementBlockAfterElse", incomplete=True),
    _P('@""@', "UnexpectedCharactersAfterHereStringHeader", incomplete=False),
    _P("testcmd | 3", "ExpressionsMustBeFirstInPipeline", 10, False),
    _P("1;2;3|$(1+1)", "ExpressionsMustBeFirstInPipeline", 6, False),
    _P("1;2;3|'abc'", "ExpressionsMustBeFirstInPipeline", 6, False),
    _P("$A[ ;", "MissingArrayIndexExpression", incomplete=False),
    _P("$A[] ;", "MissingArrayIndexExpression", incomplete=False),
    _P("foreach ($i ; $count", "MissingInInForeach", incomplete=False),
    _P("foreach ($i in ;$count", "MissingForeachExpression", incomplete=False),
    _P("foreach ($i in $files ;$count", "MissingEndParenthesisAfterForeach", incomplete=False),
    _P("begin {} Hi", "UnexpectedToken", 9, False),
]

# Rows of the kept tables left out, with the PowerShell 7 vs 5.1 difference that rules them out.
DROPPED: dict[str, str] = {
    '"`e"': "`e escape is PowerShell 6+ (5.1: `e is just e)",
    '"`u{a9}"': "`u{} escapes are PowerShell 6+",
    "'A'..'E'": "character ranges are PowerShell 6+; 5.1 converts 'A' to int and fails",
    "0b10, 10y, 10uy, 10s, 10us, 10u, 10ul, 10n": "binary literals and these suffixes are PowerShell 6.2/7",
    "0xFFFFy, 500sgb, 1uykb": "parse errors about PowerShell 7 suffixes",
    '@{ a=1;b=2;c=3;': "the PS 7 test expects MissingEndCurlyBrace at offset 2; csshell reports "
                       "IncompleteHashLiteral at 0 and 5.1's id is unverified here (needs a 5.1 check)",
    "begin {} Hi (MissingNamedBlocks)": "the MissingNamedBlocks id is PowerShell 7.x; kept with 5.1's UnexpectedToken",
    '"a b c d" -split " ", -3 / -1': "splitting from the right with a negative count is PowerShell 7; 5.1's "
                                     "SplitWithPattern sets a negative limit to 0 (all substrings)",
    "$x ?? 1, $true ? 1 : 2, a && b, $x?.y": "null-coalescing, ternary, pipeline chains, null-conditional: PS 7",
}

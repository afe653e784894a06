"""strings.py: quoting rules (about_Quoting_Rules, about_Special_Characters, lang-spec 2.3.5)."""
from __future__ import annotations

import pytest

from csshell.language import ast as A
from language_helpers import arguments, expression, first_error


def parts(text: str) -> list:
    """The parts of an expandable string: literal text, or (type name, variable name / None)."""
    node = expression(text)
    if isinstance(node, A.Constant):
        return [node.value]
    return [p if isinstance(p, str) else (type(p).__name__, getattr(p, "name", None)) for p in node.parts]


def test_single_quoted_is_verbatim_with_doubled_quotes():
    assert expression("'don''t $x `n'").value == "don't $x `n"


def test_double_quoted_doubles_and_backtick_escape_quotes():
    assert expression('"say ""hi"" and `"bye`""').value == 'say "hi" and "bye"'


@pytest.mark.parametrize("escape, char", [("`0", "\0"), ("`a", "\a"), ("`b", "\b"), ("`f", "\f"), ("`n", "\n"),
                                          ("`r", "\r"), ("`t", "\t"), ("`v", "\v"), ("``", "`"), ("`'", "'"),
                                          ('`"', '"'), ("`$", "$"), ("`x", "x"), ("`e", "e"), ("`N", "N")])
def test_backtick_escapes_in_double_quotes(escape, char):
    assert expression(f'"[{escape}]"').value == f"[{char}]"


def test_escaped_dollar_is_not_a_variable():
    assert parts('"cost: `$x"') == ["cost: $x"]


def test_variables_expand_in_double_quotes():
    assert parts('"Hello $name!"') == ["Hello ", ("VariableExpr", "name"), "!"]
    assert parts('"${display name}"') == [("VariableExpr", "display name")]
    assert parts('"$env:USERNAME"') == [("VariableExpr", "env:USERNAME")]


def test_member_access_is_not_expanded_in_a_string():
    """``"$u.Identity"`` expands ``$u`` and keeps the literal ``.Identity`` (the classic admin-script trap)."""
    assert parts('"$u.Identity"') == [("VariableExpr", "u"), ".Identity"]
    assert parts('"Error: $_.Exception"') == ["Error: ", ("VariableExpr", "_"), ".Exception"]
    assert parts('"$a[0]"') == [("VariableExpr", "a"), "[0]"]


def test_static_member_colons_after_a_variable_stay_literal():
    assert parts('"$a::b"') == [("VariableExpr", "a"), "::b"]


def test_dollar_without_a_name_stays_literal():
    assert parts('"$"') == ["$"]
    assert parts('"a $ b"') == ["a $ b"]


def test_subexpression_with_nested_quotes_parses_in_place():
    node = expression('"Name: $($u.Name + ")") done"')
    sub = node.parts[1]
    assert isinstance(sub, A.SubExpression)
    inner = sub.body.statements[0].elements[0].expression
    assert inner.op == "+" and inner.right.value == ")"
    assert node.parts[2] == " done"
    assert inner.extent.text == '$u.Name + ")"'


def test_drive_colon_after_a_variable_in_a_string_is_an_error():
    assert first_error('"$HOME: is home"').error_id == "InvalidVariableReferenceWithDrive"
    assert parts('"${HOME}:"') == [("VariableExpr", "HOME"), ":"]


def test_here_string_expandable_and_verbatim():
    assert parts('@"\nHi $name\n  "quoted" \'too\'\n"@') == ["Hi ", ("VariableExpr", "name"),
                                                         "\n  \"quoted\" 'too'"]
    assert expression("@'\nno $expansion `n here\n'@").value == "no $expansion `n here"


def test_here_string_header_allows_trailing_spaces_and_drops_final_newline():
    assert expression('@"  \nline\n"@').value == "line"
    assert expression('@"\r\nline\r\n"@').value == "line"
    assert expression('@"\n"@').value == ""


def test_here_string_header_and_footer_errors():
    assert first_error('@" text\n"@').error_id == "UnexpectedCharactersAfterHereStringHeader"
    assert first_error("@'\ntext\n  '@").error_id == "WhitespaceBeforeHereStringFooter"


def test_smart_quotes_are_quotes():
    assert expression("\u201cHello $x\u201d").parts[0] == "Hello "
    assert expression("\u2018it\u2019\u2019s\u2019").value == "it's"


def test_bare_word_escapes_and_variables():
    (arg,) = arguments("Write-Output a`;b")
    assert arg.value == "a;b"
    (arg,) = arguments("Write-Output pre$x")
    assert isinstance(arg, A.ExpandableString) and arg.bare


def test_unterminated_strings_mark_the_opening_quote():
    marker = first_error('Write-Host "Ken Myer\nGet-CsUser')
    assert (marker.error_id, marker.line, marker.column, marker.incomplete) == \
        ("TerminatorExpectedAtEndOfString", 1, 12, True)
    assert first_error("'abc").message == "The string is missing the terminator: '."

"""dispatch.py and constructs.py: MatchFirst's meaning with fewer tries, and work linear in the text."""
from __future__ import annotations

import pyparsing as pp
import pytest

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.dispatch import FirstChar, skip_newline_tokens, skip_terms
from csshell.language.parser import parse
from language_helpers import command, expression, first_error, statement


def test_first_char_tries_only_fitting_alternatives_in_order():
    word, number, either = T.Tok(r"[a-z]+", name="word"), T.Tok(r"\d+", name="number"), T.Tok(r"\w+", name="w")
    choice = FirstChar([(word, "[a-z]"), (number, r"\d"), (either, r"\w")], "choice")
    end, toks = choice._parse("  abc", 0)
    assert (end, toks.as_list()) == (5, ["abc"])              # trivia skipped before the character is read
    assert choice._parse("12x", 0)[1].as_list() == ["12"]       # the first fitting alternative wins
    assert choice._parse("_x", 0)[1].as_list() == ["_x"]        # falls through to a later alternative
    with pytest.raises(pp.ParseException):
        choice._parse("  ;", 0)
    with pytest.raises(pp.ParseException):
        choice._parse("", 0)                                     # nothing starts at the end of the text


def test_first_char_guard_skips_an_alternative_whose_opening_token_is_absent():
    sub, var = T.Tok(r"\$\(\w*\)", name="sub"), T.Tok(r"\$\w+", name="var")
    choice = FirstChar([(sub, r"\$", r"\$\("), (var, r"\$")], "value")
    assert choice._parse("$(x)", 0)[1].as_list() == ["$(x)"]
    assert choice._parse("$x", 0)[1].as_list() == ["$x"]


def test_glued_first_char_reads_the_character_at_the_offset():
    dot = FirstChar([(T.Glued(r"\.\w+"), r"\.")], "member", glued=True)
    assert dot._parse(".a", 0)[0] == 2
    with pytest.raises(pp.ParseException):
        dot._parse(" .a", 0)


def test_terminators_and_newlines_are_skipped_only_when_present():
    assert skip_terms("x", 0) == 0
    assert skip_terms(" ; \r\n # c\n x", 0) == 10             # ends after the last terminator, not at x
    assert skip_newline_tokens(" \n ;", 0) == 2               # a newline, never a semicolon


@pytest.mark.parametrize("text, kind", [
    ("foreach ($u in $users) { $u }", A.ForeachStatement),
    ("ForEach-Object { $_ }", A.PipelineStatement),             # a keyword followed by a dash is a command
    ("FOR ($i = 0; $i -lt 1; $i++) { }", A.ForStatement),
    ("format-table", A.PipelineStatement),
    ("function Get-X { 1 }", A.FunctionDefinition),
    ("filter F { $_ }", A.FunctionDefinition),
    ("return 1", A.FlowStatement),
    ("iffy", A.PipelineStatement),
])
def test_statements_are_chosen_by_their_keyword(text, kind):
    assert isinstance(statement(text), kind)


def test_member_operations_chain_with_calls_only_when_the_parenthesis_is_glued():
    node = expression("$u.Sip.ToUpper()")
    assert isinstance(node, A.InvokeMemberExpr) and node.extent.text == "$u.Sip.ToUpper()"
    assert isinstance(expression("[int]::MaxValue"), A.MemberExpr)
    assert first_error("$x.Name (1)").error_id == "UnexpectedToken"
    assert first_error("$a.").error_id == "MissingPropertyName"


def test_pipelines_and_assignments_continue_after_their_operator_on_the_next_line():
    assert [e.name.value for e in statement("a |\n\n b | c").elements] == ["a", "b", "c"]
    assignment = statement("$x =\n  Get-CsUser")
    assert isinstance(assignment, A.AssignmentStatement) and assignment.value.extent.text == "Get-CsUser"
    assert command("& $cmd -Name x").invocation == "&"


def _work(text: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many times the parser looked past trivia: a deterministic measure of parsing work."""
    calls = [0]
    real = T.skip_trivia

    def counting(s: str, loc: int) -> int:
        calls[0] += 1
        return real(s, loc)
    monkeypatch.setattr(T, "skip_trivia", counting)
    try:
        parse(text)
    finally:
        monkeypatch.setattr(T, "skip_trivia", real)
    return calls[0]


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("$(", ")"), ("@(", ")"), ("-not (", ")"),
                                            ("& { ", " }"), ("Write-Output (", ")")])
def test_nesting_costs_work_in_proportion_to_depth(opener, closer, monkeypatch):
    def nested(depth: int) -> str:
        return opener * depth + "1" + closer * depth
    small, large = _work(nested(20), monkeypatch), _work(nested(40), monkeypatch)
    assert large < 2.5 * small, (small, large)      # memoized rules: linear, never exponential


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("Where-Object { ", " }"), ("if ($x) {\n", "\n}"),
                                            ('"$(', ')"'), ("@{a=", "}"), ("$a[", "]")])
def test_a_hundred_nested_levels_parse(opener, closer):
    """Python's default recursion limit stopped the parser at 10 to 20 levels (ScriptTooComplex)."""
    script = parse(opener * 100 + "1" + closer * 100)
    assert len(script.statements) == 1

"""grammar.py: the two parsing modes, operators and their precedence, statements (about_Parsing, lang-spec 7/8)."""
from __future__ import annotations

import pytest

from csshell.language import ast as A
from csshell.language.parser import parse
from language_helpers import arguments, command, expression, first_error, statement


# --- argument mode -------------------------------------------------------------------------------

def test_bare_word_argument_is_a_string_even_when_it_looks_like_arithmetic():
    (arg,) = arguments("Write-Output 2+2")
    assert isinstance(arg, A.Constant) and arg.value == "2+2" and arg.bare


def test_number_argument_is_a_number_that_keeps_its_text_in_the_extent():
    param, pin = arguments("Set-CsClientPin -Pin 0123")
    assert param.name == "Pin" and param.argument is None
    assert (pin.value, pin.extent.text, pin.bare) == (123, "0123", True)


def test_hex_argument_keeps_its_spelling():
    (arg,) = arguments("Write-Output 0x10")
    assert (arg.value, arg.extent.text) == (16, "0x10")


def test_word_glued_to_a_number_is_a_bare_word():
    (arg,) = arguments("Write-Output 12abc")
    assert arg.value == "12abc"


def test_colon_parameter_carries_its_value():
    (param,) = arguments("Unlock-CsClientPin -Confirm:$false")
    assert (param.name, param.colon) == ("Confirm", True)
    assert isinstance(param.argument, A.VariableExpr) and param.argument.name == "false"


def test_colon_parameter_with_a_quoted_value():
    (param,) = arguments('Get-CsClientPinInfo -Identity:"Ken Myer"')
    assert param.name == "Identity" and param.argument.value == "Ken Myer"
    assert param.extent.text == '-Identity:"Ken Myer"'


@pytest.mark.parametrize("dash", ["\u2013", "\u2014", "\u2015"])
def test_en_and_em_dash_start_a_parameter(dash):
    param, value = arguments(f"Get-CsUser {dash}Identity kenmyer@litwareinc.com")
    assert isinstance(param, A.CommandParameter) and param.name == "Identity"
    assert value.value == "kenmyer@litwareinc.com"


def test_smart_quotes_delimit_strings_in_argument_mode():
    (arg,) = arguments("Write-Progress \u201cSearching Users\u201d")
    assert arg.value == "Searching Users" and not arg.bare
    (arg,) = arguments("Write-Output \u2018it\u2019\u2019s\u2019")
    assert arg.value == "it's"


def test_comma_list_is_one_array_argument():
    param, arg = arguments("Format-Table -Property DisplayName, SipAddress, EnterpriseVoiceEnabled")
    assert isinstance(arg, A.ArrayLiteral)
    assert [i.value for i in arg.items] == ["DisplayName", "SipAddress", "EnterpriseVoiceEnabled"]


def test_at_and_hash_are_only_special_at_the_start_of_a_word():
    assert [a.value for a in arguments("Get-CsUser ken@litwareinc.com a#b")] == ["ken@litwareinc.com", "a#b"]
    assert command("a#b").name.value == "a#b"
    assert [a.value for a in arguments("Get-CsUser a #b")] == ["a"]


def test_splat_is_an_argument():
    (arg,) = arguments("Unlock-CsClientPin @params")
    assert isinstance(arg, A.SplatExpr) and arg.name == "params"


def test_variable_glued_to_text_expands_like_a_string():
    (arg,) = arguments("Write-Output a$x")
    assert isinstance(arg, A.ExpandableString) and arg.parts[0] == "a" and arg.parts[1].name == "x"


def test_script_block_argument_keeps_its_exact_text():
    _, block = arguments('Get-CsUser -Filter {DisplayName -eq "Ken Myer"}')
    assert block.text == 'DisplayName -eq "Ken Myer"'
    inner = block.body.statements[0].elements[0]
    assert isinstance(inner, A.CommandAst) and inner.name.value == "DisplayName"


def test_script_block_text_keeps_newlines_comments_and_spacing():
    text = "\n  # find locked users\n  $_.IsLockedOut -eq $true  <# yes #>\n"
    (block,) = arguments("Where-Object {" + text + "}")
    assert block.text == text
    assert block.extent.text == "{" + text + "}"


def test_invocation_operators_take_an_expression_as_the_command():
    cmd = command("& $scriptPath -Verbose")
    assert cmd.invocation == "&" and isinstance(cmd.name, A.VariableExpr)
    assert command(". ./helpers.ps1").invocation == "."


def test_redirections_are_kept_apart_from_arguments():
    cmd = command("Get-CsUser 2>&1 > out.txt")
    assert cmd.elements == []
    assert [(r.stream, r.merge_to) for r in cmd.redirections] == [("2", "1"), ("1", None)]


def test_star_redirection_after_an_expression_is_not_multiplication():
    element = statement('"x" *>$null').elements[0]
    assert isinstance(element, A.CommandExpression)
    assert [(r.stream, r.target is not None) for r in element.redirections] == [("*", True)]
    assert isinstance(expression("3 * 4"), A.BinaryExpr) and isinstance(statement("$a *= 2"), A.AssignmentStatement)


# --- pipelines and continuation ------------------------------------------------------------------

def test_pipeline_continues_after_a_trailing_pipe():
    stmt = statement("Get-CsUser |\n  Get-CsClientPinInfo |\n  Unlock-CsClientPin")
    assert [e.name.value for e in stmt.elements] == ["Get-CsUser", "Get-CsClientPinInfo", "Unlock-CsClientPin"]


def test_commands_after_a_pipe_may_start_with_dots_digits_percent_or_invocation():
    stmt = statement("Get-CsUser | .\\report.ps1 | 7zip a | % { $_ } | & $sb | . $sb")
    assert len(stmt.elements) == 6
    assert all(isinstance(e, A.CommandAst) for e in stmt.elements)


def test_backtick_joins_lines_but_a_space_after_it_does_not():
    assert [a.value for a in arguments("Lock-CsClientPin `\n  -Identity `\n  'Ken Myer'")[1:]] == ["Ken Myer"]
    script = parse("Get-CsUser ` \nGet-CsPinPolicy")
    assert len(script.statements) == 2


def test_binary_operator_and_comma_continue_on_the_next_line():
    assert isinstance(expression("1 +\n 2"), A.BinaryExpr)
    assert len(expression("1,\n 2").items) == 2


def test_block_comment_may_sit_mid_line():
    assert [a.value for a in arguments("Get-CsUser <# who #> 'Ken Myer'")] == ["Ken Myer"]


def test_semicolons_and_newlines_separate_statements():
    assert len(parse("a; b\nc;;\n\nd").statements) == 4


# --- expressions ---------------------------------------------------------------------------------

def test_numbers_in_expression_mode():
    assert [expression(t).value for t in ["0x1F", "1kb", "1.5e3", "10l", "1d", "2MB", ".5"]] == \
        [31, 1024, 1500.0, 10, 1.0, 2 * 1024 ** 2, 0.5]


def test_negative_number_and_binary_minus():
    assert expression("5 -3").op == "-"
    node = expression("-3")
    assert node.value == -3 if isinstance(node, A.Constant) else node.op == "-"


def test_assignment_operators():
    for op in ["=", "+=", "-=", "*=", "/=", "%="]:
        stmt = statement(f"$x {op} 5")
        assert isinstance(stmt, A.AssignmentStatement) and stmt.operator == op


def test_increment_and_decrement():
    node = expression("$x++")
    assert (node.op, node.postfix) == ("++", True)
    node = expression("--$x")
    assert (node.op, node.postfix) == ("--", False)


def test_minus_followed_by_minus_is_a_decrement_not_two_negations():
    """Regression: the dash class after ``-`` once formed a range and let ``--`` read as ``-(-x)``."""
    assert expression("--$x").op == "--"
    node = expression("5 - -$y")
    assert node.op == "-" and node.right.op == "-"


def test_multiple_assignment_targets_an_array_of_variables():
    stmt = statement("$first, $rest = 1, 2, 3")
    assert [v.name for v in stmt.target.items] == ["first", "rest"]
    assert len(stmt.value.elements[0].expression.items) == 3


def test_typed_assignment_target():
    stmt = statement("[int]$x = 5")
    assert isinstance(stmt.target, A.ConvertExpr) and stmt.target.type_name == "int"


def test_assigning_to_a_constant_is_invalid_left_hand_side():
    assert first_error("1 = 2").error_id == "InvalidLeftHandSide"


def test_binary_comma_binds_tighter_than_plus():
    node = expression("1,2+3")
    assert node.op == "+" and isinstance(node.left, A.ArrayLiteral) and node.right.value == 3


def test_unary_comma_makes_a_one_element_array():
    node = expression(",1")
    assert isinstance(node, A.UnaryExpr) and node.op == "," and node.operand.value == 1
    assert expression(",$x + 1").op == "+"
    assert isinstance(statement("$a = ,$users").value.elements[0].expression, A.UnaryExpr)


def test_array_subexpression_and_empty_array():
    assert expression("@()").body.statements == []
    assert len(expression("@(Get-CsUser; 1)").body.statements) == 2


def test_hash_literal_entries_split_by_semicolons_or_newlines():
    one_line = expression("@{Identity='Ken Myer'; Pin=1234}")
    multi = expression("@{\n  Identity = 'Ken Myer'\n  Pin = 1234\n}")
    for node in (one_line, multi):
        assert [k.value for k, _ in node.pairs] == ["Identity", "Pin"]


def test_hash_literal_keys_may_be_strings_and_values_statements():
    node = expression("@{'Display Name' = Get-Date; n='L'; e={ $_.X }}")
    assert node.pairs[0][0].value == "Display Name"
    assert isinstance(node.pairs[0][1].elements[0], A.CommandAst)
    assert isinstance(node.pairs[2][1].elements[0].expression, A.ScriptBlockExpr)


def test_member_access_method_call_and_static_member():
    node = expression("$u.SipAddress.ToUpper()")
    assert isinstance(node, A.InvokeMemberExpr) and node.member.value == "ToUpper"
    assert node.obj.member.value == "SipAddress"
    node = expression("[System.Environment]::NewLine")
    assert node.static and node.obj.type_name == "System.Environment"
    node = expression("[math]::Round(1.5, 0)")
    assert node.static and len(node.arguments) == 2


def test_member_names_may_be_variables_or_quoted():
    assert isinstance(expression("$obj.$name").member, A.VariableExpr)
    assert expression("$obj.'Display Name'").member.value == "Display Name"


def test_index_and_cast():
    node = expression("$users[-1]")
    assert isinstance(node, A.IndexExpr)
    node = expression('[datetime]"2024-01-01"')
    assert isinstance(node, A.ConvertExpr) and node.type_name == "datetime"


def test_format_operator():
    node = expression('"{0:N2}" -f $x')
    assert node.op == "f" and node.left.value == "{0:N2}"


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
                                "contains", "notcontains", "in", "notin", "replace", "split", "join"])
@pytest.mark.parametrize("prefix", ["", "c", "i"])
def test_comparison_operators_with_case_prefixes(op, prefix):
    node = expression(f"$a -{prefix.upper()}{op} $b")
    assert node.op == prefix + op


@pytest.mark.parametrize("op", ["is", "isnot", "as"])
def test_type_operators(op):
    assert expression(f"$a -{op} [string]").op == op


def test_not_binds_tighter_than_comparison():
    node = expression("-not $a -eq $b")
    assert node.op == "eq" and isinstance(node.left, A.UnaryExpr) and node.left.op == "not"
    node = expression("!$a -eq $b")
    assert node.op == "eq" and node.left.op == "not"


def test_and_or_have_equal_precedence_left_to_right():
    node = expression("$a -or $b -and $c")
    assert node.op == "and" and node.left.op == "or"


def test_comparison_binds_tighter_than_and():
    node = expression("$a -eq 1 -and $b -lt 2")
    assert node.op == "and" and (node.left.op, node.right.op) == ("eq", "lt")


def test_range_and_arithmetic_precedence():
    node = expression("1 + 2 * 3")
    assert node.op == "+" and node.right.op == "*"
    assert expression("1..3").op == ".."


# --- statements ----------------------------------------------------------------------------------

def test_if_elseif_else_across_newlines():
    stmt = statement("if ($a) { 1 }\nelseif ($b) { 2 }\n\nelse { 3 }")
    assert isinstance(stmt, A.IfStatement) and len(stmt.clauses) == 2 and stmt.else_body is not None


def test_foreach_statement_and_foreach_alias_after_a_pipe():
    stmt = statement("foreach ($u in Get-CsUser) { $u.Identity }")
    assert isinstance(stmt, A.ForeachStatement) and stmt.variable.name == "u"
    assert command("Get-CsUser | foreach { $_ }", 1).name.value == "foreach"


def test_for_while_and_do_loops():
    stmt = statement("for ($i = 0; $i -lt 3; $i++) { $i }")
    assert isinstance(stmt, A.ForStatement) and stmt.init is not None and stmt.step is not None
    assert isinstance(statement("while ($true) { break }"), A.WhileStatement)
    assert statement("do { 1 } while ($false)").until is False
    assert statement("do { 1 }\nuntil ($true)").until is True


def test_switch_with_flags_and_default():
    stmt = statement("switch -Wildcard ($name) {\n  'Ken*' { 1 }\n  default { 2 }\n}")
    assert stmt.flags == ["wildcard"] and len(stmt.clauses) == 1 and stmt.default is not None


def test_try_catch_with_types_and_finally():
    stmt = statement("try { 1 }\ncatch [System.Management.Automation.RuntimeException], [System.Exception] { 2 }\n"
                     "finally { 3 }")
    assert stmt.catches[0][0] == ["System.Management.Automation.RuntimeException", "System.Exception"]
    assert stmt.finally_body is not None


def test_function_with_attributes_param_block_and_named_blocks():
    stmt = statement(
        "function Reset-Pin {\n"
        "  [CmdletBinding(SupportsShouldProcess=$true)]\n"
        "  param(\n"
        "    [Parameter(Mandatory=$true, ValueFromPipeline)][string]$Identity,\n"
        "    [switch]$Force = $false\n"
        "  )\n"
        "  begin { 0 }\n  process { $Identity }\n  end { 1 }\n}")
    assert isinstance(stmt, A.FunctionDefinition) and stmt.name == "Reset-Pin"
    body = stmt.body
    assert [p.name for p in body.param_block.parameters] == ["Identity", "Force"]
    assert body.param_block.attributes[0].name == "CmdletBinding"
    mandatory = body.param_block.parameters[0].attributes[0]
    assert mandatory.name == "Parameter" and [n for n, _ in mandatory.named] == ["Mandatory", "ValueFromPipeline"]
    assert set(body.named_blocks) == {"begin", "process", "end"}


def test_one_line_function_with_a_param_block():
    stmt = statement("function Get-X { param([string]$Identity) $Identity }")
    assert stmt.body.param_block.parameters[0].name == "Identity" and len(stmt.body.statements) == 1


def test_script_level_param_block():
    script = parse("[CmdletBinding()]\nparam([string]$Path)\nGet-CsUser")
    assert script.param_block.parameters[0].name == "Path" and len(script.statements) == 1


def test_flow_statements():
    assert statement("return 5").value is not None
    assert statement("throw 'bad'").keyword == "throw"
    assert statement("exit 3").keyword == "exit"
    assert statement("break outer").label == "outer"

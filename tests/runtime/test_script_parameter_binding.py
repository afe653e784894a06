"""Binding to parameters declared by functions, scripts and script blocks (``param(...)``), as 5.1 does it.

Script parameters convert through an argument transformation: a bad value stops the command with a
ParameterBindingArgumentTransformationException whether it was given by name or by position (it is never
pushed into ``$args``), and an unbound typed parameter holds its type's default value.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INT_FAILURE = 'Cannot convert value "abc" to type "System.Int32". Error: "Input string was not in a correct format."'
BOOLEAN_ONLY = "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0."


def transformation(parameter: str, inner: str, command: str) -> list[str]:
    """The message, CategoryInfo and FullyQualifiedErrorId lines 5.1 prints for a failed script-parameter conversion."""
    return [f"Cannot process argument transformation on parameter '{parameter}'. {inner}",
            f"    + CategoryInfo          : InvalidData: (:) [{command}], "
            "ParameterBindingArgumentTransformationException",
            f"    + FullyQualifiedErrorId : ParameterArgumentTransformationError,{command}"]


def assert_reports(shell: Shell, lines: list[str]) -> None:
    for line in lines:
        assert line in shell.err
    assert "Traceback" not in shell.err


# --- a bad value given by position --------------------------------------------------------------

def test_a_bad_positional_value_stops_a_simple_function(shell: Shell) -> None:
    assert shell.run('function f([int]$x){"x=[$x] $($x.GetType().Name) args=[$args]"}; f abc; "after $?"; '
                     'f "0x10" more')
    assert shell.out == "after False\nx=[16] Int32 args=[more]\n"
    assert_reports(shell, transformation("x", INT_FAILURE, "f"))


def test_a_bad_positional_value_stops_an_advanced_function(shell: Shell) -> None:
    assert shell.run('function f{[CmdletBinding()]param([int]$x) "ran"}; f abc; "after $?"')
    assert shell.out == "after False\n"
    assert_reports(shell, transformation("x", INT_FAILURE, "f"))


def test_a_bad_positional_value_stops_a_script_block(shell: Shell) -> None:
    assert not shell.run('& { param([int]$x) "ran" } abc')
    assert shell.out == ""
    assert_reports(shell, transformation("x", INT_FAILURE, "<ScriptBlock>")[:1])


def test_a_bad_positional_date_stops_the_script_before_it_locks_anything(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "expired-pins.ps1"
    shutil.copyfile(EXAMPLES / "expired-pins.ps1", script)
    before = shell.locked()
    assert shell.engine.run_file(str(script), ["2026-13-45", "-Lock"]) == 1
    assert shell.out == ""
    assert_reports(shell, transformation(
        "AsOf", 'Cannot convert value "2026-13-45" to type "System.DateTime". Error: "String was not recognized '
                'as a valid DateTime."', "expired-pins.ps1"))
    assert shell.locked() == before


# --- a bad value given by name ------------------------------------------------------------------

def test_a_bad_named_int_uses_the_transformation_wording(shell: Shell) -> None:
    assert shell.run('function g{param([int]$n)$n}; g -n abc; "after $?"')
    assert shell.out == "after False\n"
    assert_reports(shell, transformation("n", INT_FAILURE, "g"))
    assert "Cannot bind parameter" not in shell.err
    shell.clear()       # compiled cmdlets keep their own wording
    assert not shell.run("Get-Date -Date 2026-13-45")
    assert "Get-Date : Cannot bind parameter 'Date'." in shell.err
    assert "CannotConvertArgumentNoMessage" in shell.err


@pytest.mark.parametrize("argument, shown", [("maybe", "System.String"), ("$null", ""), ("1,2", "System.Object[]")])
def test_a_bad_bool_names_the_value_type(shell: Shell, argument: str, shown: str) -> None:
    assert not shell.run(f"function g{{param([bool]$b)$b}}; g -b {argument}")
    assert shell.out == ""
    assert_reports(shell, transformation("b", f'Cannot convert value "{shown}" to type "System.Boolean". '
                                              f"{BOOLEAN_ONLY}", "g"))


def test_an_array_for_an_int_names_the_array(shell: Shell) -> None:
    assert not shell.run("function g{param([int]$n)$n}; g -n 1,2")
    assert_reports(shell, transformation(
        "n", 'Cannot convert the "System.Object[]" value of type "System.Object[]" to type "System.Int32".', "g"))


def test_a_bad_named_value_of_a_script_file_names_the_script(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "days.ps1"
    script.write_text('param([int]$Days = 14)\n"ran $Days"\n', encoding="utf-8")
    assert shell.engine.run_file(str(script), ["-Days", "abc"]) == 1
    assert shell.out == ""
    assert_reports(shell, transformation("Days", INT_FAILURE, "days.ps1"))


# --- unbound and $null typed parameters -----------------------------------------------------------

def test_unbound_typed_parameters_hold_their_type_default(shell: Shell) -> None:
    assert shell.run('function f([int]$x,[string]$s,[bool]$b,[switch]$w,[double]$d){'
                     '"[$x] $($null -eq $x) [$s] $($null -eq $s) [$b] [$w] [$d] $($null -eq $d)"}; f')
    assert shell.out == "[0] False [] False [False] [False] [0] False\n"
    shell.clear()       # untyped and reference-typed parameters stay $null
    assert shell.run("function f($u,[object]$o,[hashtable]$h,[scriptblock]$sb){"
                     "($null -eq $u), ($null -eq $o), ($null -eq $h), ($null -eq $sb) -join ','}; f")
    assert shell.out == "True,True,True,True\n"


def test_unbound_datetime_is_the_minimum_date(shell: Shell) -> None:
    assert shell.run("function f([datetime]$d){$null -eq $d; $d.Year; $d.Ticks}; f")
    assert shell.out == "False\n1\n0\n"


def test_null_bound_to_int_and_string_is_converted(shell: Shell) -> None:
    assert shell.run('function f([int]$x,[string]$s){"[$x] $($null -eq $x) $($null -eq $s)"}; f -x $null -s $null')
    assert shell.out == "[0] False False\n"


def test_a_default_value_is_converted_to_the_declared_type(shell: Shell) -> None:
    assert shell.run('function f([int]$n = "5", [string]$s = 7){$n.GetType().Name; $s.GetType().Name}; f')
    assert shell.out == "Int32\nString\n"


def test_unbound_script_file_parameters_hold_their_type_default(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "defaults.ps1"
    script.write_text('param([int]$Count, [string]$Name, [switch]$Force)\n'
                      '"[$Count] $($null -eq $Count) $($null -eq $Name) [$Force]"\n', encoding="utf-8")
    assert shell.engine.run_file(str(script), []) == 0
    assert shell.out == "[0] False False [False]\n"


def test_an_array_given_to_a_script_string_parameter_is_joined(shell: Shell) -> None:
    """LanguagePrimitives turns an array into one string ("1 2"); a compiled cmdlet's [string] refuses it."""
    assert shell.run('function f([string]$s) { "[$s]" }; f 1,2; f -s a,b')
    assert shell.out.splitlines() == ["[1 2]", "[a b]"] and shell.err == ""


def test_an_advanced_function_refuses_an_array_for_string(shell: Shell) -> None:
    """Only simple functions and scripts join ("V1 compatibility"); [CmdletBinding()] ones refuse."""
    assert not shell.run('function g { [CmdletBinding()] param([string]$S) "[$S]" }; g -S 1,2')
    assert_reports(shell, transformation("S", "Cannot convert value to type System.String.", "g"))


def test_default_values_see_the_bound_parameters_and_earlier_defaults(shell: Shell) -> None:
    assert shell.run('function h($a, $b = $a, [string]$Log = "$b.log") { "b=$b log=$Log" }; h 1; h 1 2; '
                     'h -Log x.txt -a 3')
    assert shell.out.splitlines() == ["b=1 log=1.log", "b=2 log=2.log", "b=3 log=x.txt"]


def test_a_switch_parameter_answers_is_present(shell: Shell) -> None:
    """``if ($Force.IsPresent)``: the usual runbook idiom must not read as absent."""
    assert shell.run('function f { param([switch]$Force) if ($Force.IsPresent) { "present" } else { "absent" } }; '
                     'f -Force; f; f -Force:$false')
    assert shell.out.split() == ["present", "absent", "absent"]


def test_a_pipeline_parameter_gets_its_default_back_for_each_input_object(shell: Shell) -> None:
    assert shell.run('function pb { param([Parameter(ValueFromPipelineByPropertyName)][string]$Name, '
                     '[Parameter(ValueFromPipelineByPropertyName)][int]$Age = 1) process { "$Name $Age" } }; '
                     '[pscustomobject]@{Name="n1"; Age="7"}, [pscustomobject]@{Name="n2"} | pb')
    assert shell.out.splitlines() == ["n1 7", "n2 1"]


def test_a_simple_function_takes_undeclared_names_as_arguments(shell: Shell) -> None:
    """5.1: without [CmdletBinding()]/[Parameter()], `-x` is an argument (in $args, or bound by position)."""
    assert shell.run('function G { "n=$($args.Count) [$args]" }; G -x 1; function H($a) { "a=$a rest=$args" }; '
                     'H -foo bar')
    assert shell.out.splitlines() == ["n=2 [-x 1]", "a=-foo rest=bar"]
    assert not shell.run("function K { [CmdletBinding()] param($a) $a }; K -zz 1")
    assert "NamedParameterNotFound,K" in shell.err

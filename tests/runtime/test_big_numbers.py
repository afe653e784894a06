"""Numbers too big for their type, as PowerShell 5.1 treats them; never a Python error.

Literals follow 5.1's tokenizer (``TryGetNumberValue``): Int32, Int64, Decimal, Double, and beyond
Double's range ``BadNumericConstant`` in expression mode or a plain word in argument mode.
Conversions report .NET's overflow text; Int32 arithmetic that overflows gives a Double (``IntOps``).
"""
from __future__ import annotations

import pytest

from csshell.language import tokens as T
from csshell.language.parse_errors import ParseErrors
from csshell.language.parser import parse
from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401

HUGE = "7" * 5000          # past Python's 4,300-digit int() limit and Double's range


def out_lines(shell: Shell) -> list[str]:
    return [line for line in shell.out.splitlines() if line.strip()]


# --- literals --------------------------------------------------------------------------------
@pytest.mark.parametrize("literal", [HUGE[:4400], "1e400", "0x1FFFFFFFFFFFFFFFF", "99999999999999999999l"])
def test_a_literal_no_type_holds_is_bad_numeric_constant_in_expression_mode(literal: str) -> None:
    with pytest.raises(ParseErrors) as caught:
        parse(f"$x = {literal}")
    error = caught.value.errors[0]
    assert error.error_id == "BadNumericConstant"
    assert error.message == f"The numeric constant {literal} is not valid."
    assert error.extent.start == len("$x = ") + len(literal)     # 5.1 marks the character after it
    assert not caught.value.incomplete


def test_a_literal_no_type_holds_is_a_word_in_argument_mode(shell: Shell) -> None:
    words = f"{HUGE} 1e400 0x1FFFFFFFFFFFFFFFF"
    assert shell.run(f"Write-Output {words} | ForEach-Object {{ $_.GetType().Name + $_.Length }}")
    assert out_lines(shell) == ["String5000", "String5", "String19"]


def test_a_huge_pin_argument_gets_the_cmdlets_own_error(shell: Shell) -> None:
    assert not shell.run(f"Set-CsClientPin 'Ken Myer' {HUGE}")
    assert "Set-CsClientPin : The PIN does not satisfy the PIN policy: it must be at most 24 digits long." in shell.err
    assert "InvalidPin" in shell.err


def test_integer_literals_widen_to_decimal_then_double(shell: Shell) -> None:
    assert shell.run("$d = 9223372036854775808; $d; $d.GetType().Name; $d + 1; "
                     "$e = 777777777777777777777777777777777777777; $e; $e.GetType().Name")
    assert out_lines(shell) == ["9223372036854775808", "Decimal", "9223372036854775809",
                                "7.77777777777778E+38", "Double"]


def test_long_suffix_rounds_a_real_literal_half_to_even() -> None:
    values = {text: T.literal_number(text, suffix, 1) for text, suffix in [("1.5", "l"), ("2.5", "l"), ("1e3", "l")]}
    assert values == {"1.5": 2, "2.5": 2, "1e3": 1000}


# --- conversions -----------------------------------------------------------------------------
@pytest.mark.parametrize("cast, target, article", [
    ('[int]("1"*5000)', "System.Int32", "an Int32"),
    ('[long]("1"*5000)', "System.Int64", "an Int64"),
    ('[double]("9"*400)', "System.Double", "a Double"),
])
def test_casting_a_huge_string_reports_dotnet_overflow(shell: Shell, cast: str, target: str, article: str) -> None:
    assert not shell.run(cast)
    assert f'to type "{target}". Error: "Value was either too large or too small for {article}."' in shell.err
    assert "InvalidCastIConvertible" in shell.err and "ValueError" not in shell.err


def test_as_operator_gives_null_for_a_huge_string(shell: Shell) -> None:
    assert shell.run('$r = "1"*5000 -as [int]; $null -eq $r; ("9"*400 -as [double]) -eq $null')
    assert out_lines(shell) == ["True", "True"]


def test_binding_a_huge_string_is_the_binders_conversion_error(shell: Shell) -> None:
    assert not shell.run('Set-CsPinPolicy -MinPasswordLength ("9"*5000)')
    assert "Cannot bind parameter 'MinPasswordLength'. Cannot convert value \"999" in shell.err
    assert 'Error: "Value was either too large or too small for a UInt32."' in shell.err
    assert "CannotConvertArgumentNoMessage" in shell.err


@pytest.mark.parametrize("cast, detail", [
    ('[timespan]"99999999999"', "The TimeSpan could not be parsed because at least one of the numeric components "
                                "is out of range or contains too many digits."),
    ("[datetime]9223372036854775807", "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks."),
])
def test_date_and_timespan_overflow_use_dotnet_wording(shell: Shell, cast: str, detail: str) -> None:
    assert not shell.run(cast)
    assert detail in shell.err and "OverflowError" not in shell.err


# --- arithmetic ------------------------------------------------------------------------------
def test_int32_overflow_widens_to_double_as_intops_does(shell: Shell) -> None:
    assert shell.run("([int]::MaxValue + 1).GetType().Name; [int]::MaxValue + 1; (2147483647 * 2).GetType().Name; "
                     "(-2147483648 - 1).GetType().Name; (1000 * 1000).GetType().Name")
    assert out_lines(shell) == ["Double", "2147483648", "Double", "Double", "Int32"]


def test_decimal_arithmetic_overflow_is_a_runtime_error(shell: Shell) -> None:
    assert not shell.run("79228162514264337593543950335 + 1")
    assert "Value was either too large or too small for a Decimal." in shell.err


@pytest.mark.parametrize("expression, target", [
    ('1 + ("1"*5000)', "System.Int32"), ('"a" * 1e10', "System.Int32"), ('"a" * (1.0/0)', "System.Int32"),
    ("5 -band (1.0/0)", "System.Int64"),
])
def test_huge_operands_fail_with_the_conversion_error(shell: Shell, expression: str, target: str) -> None:
    assert not shell.run(expression)
    assert f'to type "{target}". Error: "Value was either too large or too small for' in shell.err
    assert "Error" in shell.err and "OverflowError" not in shell.err and "ValueError" not in shell.err


def test_comparing_with_a_string_beyond_double_does_not_crash(shell: Shell) -> None:
    assert shell.run('5 -eq "1e400"; 5 -ne ("9"*400)')
    assert out_lines(shell) == ["False", "True"]


def test_leading_zeros_do_not_count_towards_any_digit_limit(shell: Shell) -> None:
    zeros = "0" * 5000
    assert shell.run(f'[int]"{zeros}7"; 1 + "{zeros}7"; [timespan]"{zeros}5"; {zeros}12; '
                     f'(Get-Date -ErrorAction "{zeros}0").Year -gt 2000')
    assert out_lines(shell) == ["7", "8", "5.00:00:00", "12", "True"]

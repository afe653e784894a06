"""Bugs a fresh user found in the runtime and values, each pinned by the behaviour PowerShell 5.1 has.

Script encodings, invalid wildcards, intrinsic Count/Length, lazy ranges, .NET exception types in
catch, ToString of users, property assignment, ValidateRange and the call-depth limit.
"""
from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest

from csshell.runtime import expressions
from csshell.runtime.host import ConsoleHost
from csshell.runtime.interpreter import MAX_CALL_DEPTH
from csshell.runtime.script_text import decode_text
from csshell.store.wildcard import WildcardPatternException, wildcard_regex
from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- 1. script files in any encoding -----------------------------------------------------------
@pytest.mark.parametrize("data", [
    'Write-Output "café"'.encode("cp1252"),
    codecs.BOM_UTF8 + 'Write-Output "café"'.encode("utf-8"),
    'Write-Output "café"'.encode("utf-8"),
    'Write-Output "café"'.encode("utf-16"),                       # BOM + UTF-16 LE
    codecs.BOM_UTF16_BE + 'Write-Output "café"'.encode("utf-16-be"),
    'Write-Output "café"'.encode("utf-32"),                       # BOM + UTF-32 LE
])
def test_script_file_is_read_by_bom_else_utf8_else_windows_1252(shell: Shell, tmp_path: Path, data: bytes) -> None:
    script = tmp_path / "enc.ps1"
    script.write_bytes(data)
    assert shell.engine.run_file(str(script)) == 0
    assert shell.err == "" and shell.out.strip() == "café"


def test_invoked_and_dot_sourced_ansi_scripts_run(shell: Shell, tmp_path: Path) -> None:
    (tmp_path / "ansi.ps1").write_bytes('$word = "naïve"; $word'.encode("cp1252"))
    shell.run("& ./ansi.ps1; . ./ansi.ps1; \"dot: $word\"")
    assert shell.err == ""
    assert lines(shell.out) == ["naïve", "naïve", "dot: naïve"]


def test_ansi_parse_error_is_reported_not_a_decode_error(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "bad.ps1"
    script.write_bytes('"caf\xe9" +'.encode("latin-1"))
    assert shell.engine.run_file(str(script)) == 1
    assert '+ "café" +' in shell.err and "FullyQualifiedErrorId : ExpectedValueExpression" in shell.err


def test_bytes_windows_1252_leaves_unassigned_keep_their_code_points() -> None:
    assert decode_text(b"a\x81\x80\xe9") == "a\x81€é"


# --- 2. invalid wildcard patterns -----------------------------------------------------------------
def test_reversed_wildcard_range_is_powershells_error(shell: Shell) -> None:
    assert shell.run('"abc" -like "[z-a]"') is False
    assert shell.err.splitlines()[0] == "The specified wildcard character pattern is not valid: [z-a]"
    assert "    + CategoryInfo          : NotSpecified: (:) [], WildcardPatternException" in shell.err
    assert "    + FullyQualifiedErrorId : RuntimeException" in shell.err
    assert "bad character range" not in shell.err


def test_wildcard_brackets_follow_powershells_parser(shell: Shell) -> None:
    shell.run('"]" -like "[]a]"; "b" -like "[]a]"; "a-" -like "a[-]"; "b" -like "[a-c]"; "^" -like "[^]"')
    assert lines(shell.out) == ["True", "False", "True", "True", "True"]
    shell.clear()
    shell.run('"abc" -like "[abc"')
    assert "The specified wildcard character pattern is not valid: [abc" in shell.err


def test_invalid_wildcard_in_where_object_and_switch_is_an_error_record(shell: Shell) -> None:
    shell.run('[pscustomobject]@{Name="abc"} | Where-Object Name -Like "[z-a]"; '
              'switch -Wildcard ("x") { "[z-a]" { 1 } }')
    assert shell.err.count("The specified wildcard character pattern is not valid: [z-a]") == 2
    assert "Traceback" not in shell.err and "re.error" not in shell.err


def test_invalid_wildcard_in_a_get_csuser_filter_is_a_cmdlet_error(shell: Shell) -> None:
    shell.run('Get-CsUser -Filter {DisplayName -like "[z-a]*"}; "after"')
    assert shell.err.startswith("Get-CsUser : The specified wildcard character pattern is not valid: [z-a]*")
    assert "bad character range" not in shell.err and lines(shell.out) == ["after"]


def test_store_wildcard_rejects_reversed_ranges_and_keeps_literal_brackets() -> None:
    with pytest.raises(WildcardPatternException):
        wildcard_regex("[z-a]*")
    assert wildcard_regex("[]x]*").fullmatch("]abc")
    assert wildcard_regex("[ab]*", star_only=True).fullmatch("[ab]cd")


# --- 3. text the console cannot encode -----------------------------------------------------------
def test_console_host_writes_a_lone_surrogate_as_a_question_mark() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    ConsoleHost(out=out, err=out).write("x\ud800y\n")
    assert raw.getvalue() == b"x?y\n"


# --- 4. intrinsic Count and Length --------------------------------------------------------------------
def test_count_and_length_of_null_scalars_and_single_objects(shell: Shell) -> None:
    shell.run('$null.Count; $null.Length; "abc".Count; "abc".Length; (5).Count; (Get-Date).Count; '
              '([pscustomobject]@{a=1}).Count; ([pscustomobject]@{Count=7}).Count; (Get-CsUser "Ken Myer").Count')
    assert lines(shell.out) == ["0", "0", "1", "3", "1", "1", "1", "7", "1"]


def test_error_variable_is_an_empty_list_when_no_error_and_collects_every_error(shell: Shell) -> None:
    shell.run('$e = "stale"; Get-Date -ErrorVariable e | Out-Null; $e.Count; $e.GetType().FullName; '
              '"Nobody A","Nobody B" | Get-CsClientPinInfo -ErrorVariable e2 -ErrorAction SilentlyContinue; '
              '$e2.Count; Get-CsClientPinInfo "Nobody C" -ErrorVariable +e2 -ErrorAction SilentlyContinue; $e2.Count')
    assert lines(shell.out) == ["0", "System.Object[]", "2", "3"]


# --- 5. ranges feed a pipeline lazily ---------------------------------------------------------------------
def test_a_range_first_in_a_pipeline_is_never_built_as_a_list(shell: Shell, monkeypatch) -> None:
    def built(*args):
        raise AssertionError("the range was built as a list")
    monkeypatch.setattr(expressions, "_range", built)
    shell.run("1..1000000000 | Select-Object -First 3; foreach ($i in 1..1000000000) { if ($i -gt 2) { break }; $i }")
    assert shell.err == ""
    assert lines(shell.out) == ["1", "2", "3", "1", "2"]


def test_a_range_in_an_assignment_is_still_an_array(shell: Shell) -> None:
    shell.run("$a = 1..5; $a.GetType().FullName; $a.Count; $a[-1]; 3..1 | ForEach-Object { $_ }")
    assert lines(shell.out) == ["System.Object[]", "5", "5", "3", "2", "1"]


# --- 6. .NET exception types ------------------------------------------------------------------------------
def test_error_record_and_exception_types_are_dotnet_names(shell: Shell) -> None:
    shell.run("try { 1/0 } catch { $_.GetType().FullName; $_.Exception.GetType().FullName; "
              "$_.Exception.InnerException.GetType().FullName; $_.Exception -is [System.Exception]; "
              "$_ -is [System.Management.Automation.ErrorRecord] }")
    assert lines(shell.out) == ["System.Management.Automation.ErrorRecord",
                                "System.Management.Automation.RuntimeException", "System.DivideByZeroException",
                                "True", "True"]


def test_catch_matches_the_exception_type_its_bases_and_its_inner_exception(shell: Shell) -> None:
    shell.run('try { 1/0 } catch [System.DivideByZeroException] { "dbz" }; '
              'try { 1/0 } catch [System.ArithmeticException] { "arith" }; '
              'try { 1/0 } catch [System.Management.Automation.RuntimeException] { "rt" }; '
              'try { throw "x" } catch [System.DivideByZeroException] { "wrong" } catch { "catch-all" }; '
              'try { Get-CsUser -Bogus } catch [System.Management.Automation.RuntimeException] { "binding" }; '
              'try { nosuchcommand } catch [System.Management.Automation.CommandNotFoundException] { "cnf" }; '
              'try { throw "x" } catch [System.IO.IOException] { "io" } catch [Exception] { "exception" }')
    assert lines(shell.out) == ["dbz", "arith", "rt", "catch-all", "binding", "cnf", "exception"]


# --- 7. an ADUser prints as its Identity -------------------------------------------------------------------
def test_a_user_in_a_string_is_its_distinguished_name(shell: Shell) -> None:
    shell.run('$u = Get-CsUser "Ken Myer"; "Name: $u"; "$(Get-CsClientPinInfo "Ken Myer")" -like "@{*"')
    assert lines(shell.out) == ["Name: CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com", "True"]


# --- 8. Import-Csv of a file that is not CSV text -------------------------------------------------------------
def test_import_csv_of_binary_bytes_never_shows_pythons_csv_message(shell: Shell, tmp_path: Path) -> None:
    (tmp_path / "blob.csv").write_bytes(b"a,b\rc\x00d,\xff\xfe\r\r\n\"q\rx\",z\x81\n" * 50)
    shell.run('$rows = @(Import-Csv ./blob.csv); $rows.Count -gt 0; "after"')
    assert "new-line character" not in shell.err and "Traceback" not in shell.err
    assert lines(shell.out)[-1] == "after"


def test_import_csv_of_an_oversized_field_is_a_powershell_error(shell: Shell, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    path.write_text("a,b\n" + "x" * 200_000 + ",y\n", encoding="utf-8")
    shell.run('Import-Csv ./huge.csv; "after"')
    assert shell.err.startswith(f"Import-Csv : The file '{path}' cannot be read as CSV text.")
    assert "FullyQualifiedErrorId : CannotReadCsvText,Microsoft.PowerShell.Commands.ImportCsvCommand" in shell.err
    assert "field larger than field limit" not in shell.err and lines(shell.out) == ["after"]


# --- 9. assigning a property that does not exist -------------------------------------------------------------
def test_setting_a_missing_property_of_a_custom_object_is_an_error(shell: Shell) -> None:
    shell.run('$o = [pscustomobject]@{a=1}; $o.b = 3; $o.a = 5; $o.a; $o.b -eq $null; $h = @{}; $h.b = 3; $h.b')
    assert shell.err == (
        "The property 'b' cannot be found on this object. Verify that the property exists and can be set.\n"
        "At line:1 char:30\n"
        "+ $o = [pscustomobject]@{a=1}; $o.b = 3; $o.a = 5; $o.a; $o.b -eq $null; $h = @{}; $h.b = 3; $h.b\n"
        "+                              ~~~~~~~~\n"
        "    + CategoryInfo          : InvalidOperation: (:) [], RuntimeException\n"
        "    + FullyQualifiedErrorId : PropertyAssignmentException\n")
    assert lines(shell.out) == ["5", "True", "3"]


def test_setting_a_missing_property_of_a_cmdlet_object_or_null_is_an_error(shell: Shell) -> None:
    shell.run('$u = Get-CsUser "Ken Myer"; $u.Nickname = "K"; $n = $null; $n.x = 1')
    assert shell.err.count("FullyQualifiedErrorId : PropertyAssignmentException") == 2


# --- 11. ValidateRange on Select-Object ---------------------------------------------------------------------------
def test_select_object_first_negative_is_a_validation_error(shell: Shell) -> None:
    shell.run("1..5 | Select-Object -First -1; 1..5 | Select-Object -First 0; 1..3 | Select-Object -Last 1")
    assert shell.err == (
        "Select-Object : Cannot validate argument on parameter 'First'. The -1 argument is less than the minimum "
        "allowed range of 0. Supply an argument that is greater than or equal to 0 and then try the command again.\n"
        "At line:1 char:29\n"
        "+ 1..5 | Select-Object -First -1; 1..5 | Select-Object -First 0; 1..3 | Select-Object -Last 1\n"
        "+                             ~~\n"
        "    + CategoryInfo          : InvalidData: (:) [Select-Object], ParameterBindingValidationException\n"
        "    + FullyQualifiedErrorId : ParameterArgumentValidationError,"
        "Microsoft.PowerShell.Commands.SelectObjectCommand\n")
    assert lines(shell.out) == ["3"]


# --- 12. nesting and call depth --------------------------------------------------------------------------------
def test_hundreds_of_nested_parentheses_parse_and_run(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "deep.ps1"
    script.write_text("(" * 500 + "1" + ")" * 500 + "\n", encoding="utf-8")
    assert shell.engine.run_file(str(script)) == 0
    assert shell.err == "" and shell.out.strip() == "1"


def test_recursion_up_to_the_call_depth_limit_works(shell: Shell) -> None:
    depth = MAX_CALL_DEPTH - 2
    shell.run('function f($n) { if ($n -gt 0) { f ($n - 1) } else { "bottom" } }; f 200; '
              f'f {depth}; $sb = {{ param($n) if ($n -gt 0) {{ & $sb ($n - 1) }} else {{ "sb" }} }}; & $sb {depth}')
    assert shell.err == "" and lines(shell.out) == ["bottom", "bottom", "sb"]


def test_runaway_recursion_is_call_depth_overflow_and_can_be_caught(shell: Shell) -> None:
    shell.run('function f($n) { f ($n + 1) }; try { f 1 } catch { $_.FullyQualifiedErrorId; '
              '$_.Exception.GetType().FullName }; "after"; f 1; "not reached"')
    assert lines(shell.out)[:3] == ["CallDepthOverflow", "System.Management.Automation.ScriptCallDepthException",
                                    "after"]
    assert "not reached" not in shell.out
    assert shell.err.startswith("The script failed due to call depth overflow.")
    assert "    + CategoryInfo          : InvalidOperation: (0:Int32) [], ParentContainsErrorRecordException\n" \
           "    + FullyQualifiedErrorId : CallDepthOverflow\n" in shell.err
    assert shell.engine.interp.call_depth == 0

"""Errors as Windows PowerShell 5.1 shows them (NormalView), and how they flow: $?, $Error, try/catch."""
from __future__ import annotations

from pathlib import Path

from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401

PIN_INFO_CLASS = "Microsoft.Rtc.Management.UserPinService.GetOcsUserClientPinInfoCmdlet"


def run_script(shell: Shell, tmp_path: Path, text: str, args: list[str] = ()) -> tuple[int, Path]:
    script = tmp_path / "job.ps1"
    script.write_text(text, encoding="utf-8")
    return shell.engine.run_file(str(script), list(args)), script


def test_identity_not_found_in_a_script_names_file_line_and_marks_the_command(shell: Shell, tmp_path) -> None:
    code, script = run_script(shell, tmp_path, '"start"\nGet-CsClientPinInfo -Identity "Nobody Here"\n"end"\n')
    assert code == 0
    assert shell.out.split() == ["start", "end"]
    assert shell.err == (
        'Get-CsClientPinInfo : Management object not found for identity "Nobody Here".\n'
        f"At {script}:2 char:1\n"
        '+ Get-CsClientPinInfo -Identity "Nobody Here"\n'
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "    + CategoryInfo          : ObjectNotFound: (Nobody Here:UserIdParameter) [Get-CsClientPinInfo], "
        "ManagementException\n"
        f"    + FullyQualifiedErrorId : Identity,{PIN_INFO_CLASS}\n")


def test_named_parameter_not_found_marks_the_parameter(shell: Shell, tmp_path) -> None:
    code, script = run_script(shell, tmp_path, 'Get-CsClientPinInfo -Identty "Ken Myer"\n"after"\n')
    assert code == 0 and shell.out.strip() == "after"
    assert shell.err == (
        "Get-CsClientPinInfo : A parameter cannot be found that matches parameter name 'Identty'.\n"
        f"At {script}:1 char:21\n"
        '+ Get-CsClientPinInfo -Identty "Ken Myer"\n'
        "+                     ~~~~~~~~\n"
        "    + CategoryInfo          : InvalidArgument: (:) [Get-CsClientPinInfo], ParameterBindingException\n"
        f"    + FullyQualifiedErrorId : NamedParameterNotFound,{PIN_INFO_CLASS}\n")


def test_positional_parameter_not_found_marks_the_extra_argument(shell: Shell) -> None:
    assert not shell.run('Get-CsClientPinInfo "Ken Myer" extra')
    assert shell.err == (
        "Get-CsClientPinInfo : A positional parameter cannot be found that accepts argument 'extra'.\n"
        "At line:1 char:32\n"
        '+ Get-CsClientPinInfo "Ken Myer" extra\n'
        "+                                ~~~~~\n"
        "    + CategoryInfo          : InvalidArgument: (:) [Get-CsClientPinInfo], ParameterBindingException\n"
        f"    + FullyQualifiedErrorId : PositionalParameterNotFound,{PIN_INFO_CLASS}\n")


def test_ambiguous_parameter_lists_the_matches(shell: Shell) -> None:
    assert not shell.run('Get-CsClientPinInfo "Ken Myer" -Inf x')
    first, *_ = shell.err.splitlines()
    assert first.startswith("Get-CsClientPinInfo : Parameter cannot be processed because the parameter name 'Inf' "
                            "is ambiguous. Possible matches include:")
    assert "-InformationAction" in first and "-InformationVariable" in first
    assert "    + FullyQualifiedErrorId : AmbiguousParameter," in shell.err


def test_missing_mandatory_parameter_in_a_non_interactive_script(shell: Shell, tmp_path) -> None:
    code, script = run_script(shell, tmp_path, "Lock-CsClientPin\n'after'\n")
    assert code == 0 and shell.out.strip() == "after"
    assert shell.err == (
        "Lock-CsClientPin : Cannot process command because of one or more missing mandatory parameters: "
        "Identity.\n"
        f"At {script}:1 char:1\n"
        "+ Lock-CsClientPin\n"
        "+ ~~~~~~~~~~~~~~~~\n"
        "    + CategoryInfo          : InvalidArgument: (:) [Lock-CsClientPin], ParameterBindingException\n"
        "    + FullyQualifiedErrorId : MissingMandatoryParameter,"
        "Microsoft.Rtc.Management.UserPinService.LockOcsUserClientPinCmdlet\n")


def test_unknown_command_uses_the_51_wording(shell: Shell) -> None:
    assert not shell.run("Get-CsPinThing")
    assert shell.err == (
        "Get-CsPinThing : The term 'Get-CsPinThing' is not recognized as the name of a cmdlet, function, script "
        "file, or operable program. Check the spelling of the name, or if a path was included, verify that the "
        "path is correct and try again.\n"
        "At line:1 char:1\n"
        "+ Get-CsPinThing\n"
        "+ ~~~~~~~~~~~~~~\n"
        "    + CategoryInfo          : ObjectNotFound: (Get-CsPinThing:String) [], CommandNotFoundException\n"
        "    + FullyQualifiedErrorId : CommandNotFoundException\n")


def test_unknown_command_behind_the_call_operator_names_the_operator_and_marks_the_name(shell: Shell) -> None:
    """5.1: ``& : The term 'ls' ...`` at the name after ``&`` (and ``. :`` for dot-sourcing)."""
    assert not shell.run("& ls")
    assert shell.err.startswith("& : The term 'ls' is not recognized")
    assert "At line:1 char:3\n+ & ls\n+   ~~\n" in shell.err


def test_write_error_in_a_function_is_reported_as_the_functions_at_its_call(shell: Shell) -> None:
    """5.1's Write-Error takes $MyInvocation: ``f : boom`` at the call of ``f``, FQID ``...,f``."""
    shell.run('function f { Write-Error "boom" }\nf')
    assert shell.err == ("f : boom\n"
                         "At line:2 char:1\n"
                         "+ f\n"
                         "+ ~\n"
                         "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n"
                         "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,f\n")


def test_write_error_at_the_top_of_a_file_script_names_the_script_without_a_position(shell: Shell,
                                                                                      tmp_path) -> None:
    """``powershell -File job.ps1``: ``C:\\...\\job.ps1 : message`` and no ``At`` lines, as in CI logs."""
    code, script = run_script(shell, tmp_path, 'Write-Error "no users found"\n"after"\n')
    assert code == 0 and shell.out == "after\n"
    assert shell.err == (f"{script} : no users found\n"
                         "    + CategoryInfo          : NotSpecified: (:) [Write-Error], WriteErrorException\n"
                         "    + FullyQualifiedErrorId : Microsoft.PowerShell.Commands.WriteErrorException,job.ps1\n")


def test_invocation_info_says_where_the_error_happened(shell: Shell) -> None:
    assert shell.run('function inner {\n  throw "deep"\n}\ntry { inner } catch { $i = $_.InvocationInfo; '
                     '"$($i.ScriptLineNumber) $($i.OffsetInLine) [$($i.Line.Trim())]" }\n'
                     "try { Get-CsClientPinInfo nosuch -ErrorAction Stop } catch { $_.InvocationInfo.MyCommand.Name }")
    assert shell.out.splitlines() == ['2 3 [throw "deep"]', "Get-CsClientPinInfo"]


def test_parse_error_in_a_file_runs_nothing(shell: Shell, tmp_path) -> None:
    code, script = run_script(shell, tmp_path, '"first"\nif ($x) {\n"never"\n')
    assert code == 1
    assert shell.out == ""
    assert shell.err == (
        f"At {script}:2 char:9\n"
        "+ if ($x) {\n"
        "+         ~\n"
        "Missing closing '}' in statement block or type definition.\n"
        "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n"
        "    + FullyQualifiedErrorId : MissingEndCurlyBrace\n")


def test_runtime_errors_end_the_statement_not_the_script(shell: Shell, tmp_path) -> None:
    text = '$a = 1/0\n"one"\n"x".Nope()\n"two"\n$n = $null; $n[0]\n"three"\n'
    code, script = run_script(shell, tmp_path, text)
    assert code == 0
    assert shell.out.split() == ["one", "two", "three"]
    err = shell.err
    assert "Attempted to divide by zero.\n" f"At {script}:1 char:6\n" in err
    assert "    + CategoryInfo          : NotSpecified: (:) [], RuntimeException\n" in err
    assert "Method invocation failed because [System.String] does not contain a method named 'Nope'.\n" in err
    assert "    + FullyQualifiedErrorId : MethodNotFound\n" in err
    assert "Cannot index into a null array.\n" f"At {script}:5 char:13\n" in err
    assert "    + FullyQualifiedErrorId : NullArray\n" in err


def test_throw_ends_the_script_with_exit_code_one(shell: Shell, tmp_path) -> None:
    code, script = run_script(shell, tmp_path, '"a"\nthrow "PIN service unavailable"\n"b"\n')
    assert code == 1
    assert shell.out.split() == ["a"]
    assert shell.err == (
        "PIN service unavailable\n"
        f"At {script}:2 char:1\n"
        '+ throw "PIN service unavailable"\n'
        "+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "    + CategoryInfo          : OperationStopped: (PIN service unavailable:String) [], RuntimeException\n"
        "    + FullyQualifiedErrorId : PIN service unavailable\n")


def test_error_action_stop_uncaught_ends_the_script(shell: Shell, tmp_path) -> None:
    code, _ = run_script(shell, tmp_path, '"a"\nGet-CsClientPinInfo nosuch -ErrorAction Stop\n"b"\n')
    assert code == 1
    assert shell.out.split() == ["a"]
    assert 'Management object not found for identity "nosuch".' in shell.err


def test_exit_code_from_exit_statement(shell: Shell, tmp_path) -> None:
    code, _ = run_script(shell, tmp_path, '"a"\nexit 7\n"b"\n')
    assert code == 7 and shell.out.split() == ["a"]


def test_dollar_question_and_error_list_newest_first(shell: Shell) -> None:
    script = ("Get-CsClientPinInfo first -ErrorAction SilentlyContinue; $?\n"
              "'ok' > $null; $?\n"
              "Get-CsClientPinInfo second -ErrorAction SilentlyContinue\n"
              "$Error.Count; $Error[0].TargetObject; $Error[1].TargetObject")
    assert shell.run(script)
    assert shell.out.split() == ["False", "True", "2", "second", "first"]
    assert shell.err == ""


def test_error_list_is_an_arraylist_a_script_can_clear(shell: Shell) -> None:
    script = ("Get-CsClientPinInfo first -ErrorAction SilentlyContinue; $Error.Clear(); $Error.Count\n"
              "Get-CsClientPinInfo second -ErrorAction SilentlyContinue; $Error.Count; $Error.GetType().FullName")
    assert shell.run(script)
    assert shell.out.split() == ["0", "1", "System.Collections.ArrayList"]
    assert shell.err == ""


def test_non_terminating_error_is_not_caught_without_stop(shell: Shell) -> None:
    assert shell.run('try { Get-CsClientPinInfo nosuch } catch { "caught" }; "next"')
    assert shell.out.split() == ["next"]
    assert "Management object not found" in shell.err


def test_error_action_stop_makes_the_error_catchable(shell: Shell) -> None:
    script = ('try { Get-CsClientPinInfo nosuch -ErrorAction Stop; "not here" } '
              'catch { "caught: $($_.Exception.Message)" } finally { "finally" }')
    assert shell.run(script)
    assert shell.out.splitlines() == ['caught: Management object not found for identity "nosuch".', "finally"]
    assert shell.err == ""


def test_error_action_preference_stop_makes_the_error_catchable(shell: Shell) -> None:
    script = ("$ErrorActionPreference = 'Stop'\n"
              "try { Get-CsClientPinInfo nosuch } catch { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category }")
    assert shell.run(script)
    assert shell.out.splitlines() == [f"Identity,{PIN_INFO_CLASS}", "ObjectNotFound"]


def test_throw_is_caught_with_the_record_in_dollar_underscore(shell: Shell) -> None:
    assert shell.run('try { throw "bad PIN" } catch { $_.Exception.Message; "$_"; $_.FullyQualifiedErrorId }')
    assert shell.out.splitlines() == ["bad PIN", "bad PIN", "bad PIN"]


def test_caught_errors_are_still_recorded_in_dollar_error(shell: Shell) -> None:
    """PowerShell adds a terminating error to $Error even when a catch block handles it."""
    script = ('try { throw "x" } catch {}; $Error.Count\n'
              "try { Get-CsClientPinInfo nosuch -ErrorAction Stop } catch {}; $Error.Count; $Error[0].TargetObject")
    assert shell.run(script)
    assert shell.out.split() == ["1", "2", "nosuch"]


def test_bare_throw_in_a_catch_block_rethrows_the_caught_error_once(shell: Shell) -> None:
    """``throw`` alone in a catch re-throws that error (not ScriptHalted) and $Error holds it once;
    a bare ``throw`` in a function called from the catch block is still ScriptHalted."""
    assert shell.run('try { try { throw "inner" } catch { throw } } catch { "outer: $_" }; '
                     "$Error.Count; $Error[0].Exception.Message")
    assert shell.out.splitlines() == ["outer: inner", "1", "inner"]
    assert not shell.run('function t { throw }; try { throw "a" } catch { t }')
    assert shell.err.startswith("ScriptHalted\n")


def test_finally_runs_when_the_error_escapes(shell: Shell) -> None:
    assert not shell.run('try { throw "out" } finally { "cleanup" }')
    assert shell.out.strip() == "cleanup"
    assert shell.err.startswith("out\n")


def test_silently_continue_hides_the_error_but_records_it(shell: Shell) -> None:
    assert shell.run("Get-CsClientPinInfo nosuch -ErrorAction SilentlyContinue; $Error.Count")
    assert shell.out.strip() == "1" and shell.err == ""


def test_error_redirected_to_null_is_hidden_but_recorded(shell: Shell) -> None:
    assert shell.run("Get-CsClientPinInfo nosuch 2>$null; $?; $Error.Count")
    assert shell.out.split() == ["False", "1"]
    assert shell.err == ""


def test_error_redirected_to_null_covers_a_function_body(shell: Shell) -> None:
    shell.run("function Check { Get-CsClientPinInfo nosuch; 'checked' }; Check 2>$null")
    assert shell.out.strip() == "checked" and shell.err == ""


def test_error_merged_into_output_is_an_error_record(shell: Shell) -> None:
    assert shell.run('$r = Get-CsClientPinInfo nosuch 2>&1; $r.FullyQualifiedErrorId; "$r"')
    assert shell.out.splitlines() == [f"Identity,{PIN_INFO_CLASS}",
                                      'Management object not found for identity "nosuch".']
    assert shell.err == ""


def test_error_redirected_to_a_file(shell: Shell, tmp_path) -> None:
    assert shell.run("Get-CsClientPinInfo nosuch 2> errors.txt; 'done'")
    assert shell.err == ""
    text = (tmp_path / "errors.txt").read_text(encoding="utf-8")
    assert text.startswith('Get-CsClientPinInfo : Management object not found for identity "nosuch".\n')


def test_an_internal_failure_becomes_an_error_record_not_a_traceback(shell: Shell, monkeypatch) -> None:
    from csshell.runtime import expressions

    def broken(interp, node):
        raise ValueError("internal defect")

    monkeypatch.setitem(expressions._HANDLERS, expressions.A.BinaryExpr, broken)
    assert shell.run('1 + 1; "after"')
    assert shell.out.strip() == "after"
    assert shell.err.startswith("internal defect\nAt line:1 char:1\n")
    assert "    + CategoryInfo          : NotSpecified: (:) [], ValueError\n" in shell.err

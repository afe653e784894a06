"""ShouldProcess in advanced functions and scripts: $PSCmdlet.ShouldProcess/ShouldContinue, ConfirmImpact,
and -WhatIf/-Confirm reaching the cmdlets a function calls."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_interpreter_support import UNLOCKED, Shell, make_shell, shell, store_file  # noqa: F401
from test_should_process import CHOICES, KEN, asking, newly_locked, question  # noqa: F401

from csshell.runtime.should_process import CONFIRM_IMPACTS

REMOVE_THING = ("function Remove-Thing { [CmdletBinding(SupportsShouldProcess{binding})] param([string[]]$Name)\n"
                "  foreach ($n in $Name) {{ if ($PSCmdlet.ShouldProcess({call})) {{ \"removed $n\" }} }} }}\n")


def remove_thing(call: str = "$n", binding: str = "") -> str:
    return REMOVE_THING.replace("{binding}", binding).replace("{call}", call).replace("{{", "{").replace("}}", "}")


# --- the three ShouldProcess forms ----------------------------------------------------------------------

def test_target_only_names_the_function_as_the_action(shell: Shell) -> None:
    assert shell.run(remove_thing() + "Remove-Thing a, b -WhatIf")
    assert shell.out == ('What if: Performing the operation "Remove-Thing" on target "a".\n'
                         'What if: Performing the operation "Remove-Thing" on target "b".\n')


def test_target_and_action(shell: Shell) -> None:
    assert shell.run(remove_thing('$n, "Delete widget"') + "Remove-Thing a -WhatIf; Remove-Thing b")
    assert shell.out == 'What if: Performing the operation "Delete widget" on target "a".\nremoved b\n'


def test_three_arguments_are_description_warning_and_caption(asking) -> None:
    sh = asking(["Y"])
    script = remove_thing('"MESSAGE $n", "TARGET $n", "OPERATION"')
    assert sh.run(script + "Remove-Thing a -WhatIf; Remove-Thing b -Confirm")
    assert sh.out == "What if: MESSAGE a\n" + "\nOPERATION\nTARGET b\n" + CHOICES + "removed b\n"


def test_three_arguments_with_empty_warning_and_caption_use_the_defaults(asking) -> None:
    sh = asking(["N"])
    assert sh.run(remove_thing('"MESSAGE $n", "", ""') + "Remove-Thing a -Confirm")
    assert sh.out == "\nConfirm\nAre you sure you want to perform this action?\nMESSAGE a\n" + CHOICES


def test_a_wrong_argument_count_finds_no_overload(shell: Shell) -> None:
    assert not shell.run(remove_thing("") + "Remove-Thing a")
    assert 'Cannot find an overload for "ShouldProcess" and the argument count: "0".' in shell.err
    assert "MethodCountCouldNotFindBest" in shell.err and "Traceback" not in shell.err


# --- ConfirmImpact of functions against $ConfirmPreference ----------------------------------------------

@pytest.mark.parametrize("impact", CONFIRM_IMPACTS)
@pytest.mark.parametrize("preference", CONFIRM_IMPACTS)
def test_function_confirm_impact_against_every_preference(asking, impact: str, preference: str) -> None:
    sh = asking(["N"])
    assert sh.run(remove_thing(binding=f", ConfirmImpact='{impact}'")
                  + f"$ConfirmPreference = '{preference}'; Remove-Thing a")
    asks = preference != "None" and CONFIRM_IMPACTS.index(impact) >= CONFIRM_IMPACTS.index(preference)
    assert ("Are you sure" in sh.out) is asks
    assert sh.out.endswith("" if asks else "removed a\n")


def test_impact_none_never_asks_even_under_confirm(asking) -> None:
    sh = asking([])
    assert sh.run(remove_thing(binding=", ConfirmImpact='None'") + "Remove-Thing a -Confirm")
    assert sh.out == "removed a\n"


def test_high_impact_asks_under_the_default_preference_and_confirm_false_skips(asking) -> None:
    sh = asking(["Y"])
    assert sh.run(remove_thing(binding=", ConfirmImpact='High'") + "Remove-Thing a; Remove-Thing b -Confirm:$false")
    assert sh.out == ('\nConfirm\nAre you sure you want to perform this action?\n'
                      'Performing the operation "Remove-Thing" on target "a".\n' + CHOICES + "removed a\nremoved b\n")


def test_a_bad_confirm_impact_is_a_conversion_error_not_a_traceback(shell: Shell) -> None:
    assert shell.run(remove_thing(binding=", ConfirmImpact='Severe'") + "'next'")
    assert 'Cannot convert value "Severe" to type "System.Management.Automation.ConfirmImpact"' in shell.err
    assert shell.out == "next\n" and "Traceback" not in shell.err


def test_yes_to_all_covers_the_rest_of_one_invocation_only(asking) -> None:
    sh = asking(["A", "L"])
    assert sh.run(remove_thing() + "Remove-Thing a, b, c -Confirm; Remove-Thing d, e -Confirm")
    assert sh.out.count("Are you sure") == 2
    assert re.findall(r"removed (\w)", sh.out) == ["a", "b", "c"]


def test_non_interactive_is_the_method_exception_51_shows(shell: Shell) -> None:
    assert not shell.run(remove_thing() + "Remove-Thing a -Confirm")
    assert shell.err.startswith('Exception calling "ShouldProcess" with "1" argument(s): "Windows PowerShell is in '
                                'NonInteractive mode. Read and Prompt functionality is not available."\n')
    assert "NotSpecified: (:) [], MethodInvocationException" in shell.err
    assert "FullyQualifiedErrorId : PSInvalidOperationException" in shell.err
    assert shell.out == ""


# --- ShouldContinue ----------------------------------------------------------------------------------

SHOULD_CONTINUE = ("function Reset-Thing { [CmdletBinding(SupportsShouldProcess)] param()\n"
                   "  if ($PSCmdlet.ShouldContinue('Reset everything?', 'Reset')) { 'reset' } else { 'kept' } }\n")
YES_NO = '[Y] Yes  [N] No  [S] Suspend  [?] Help (default is "Y"): '


@pytest.mark.parametrize("answer, result", [("Y", "reset"), ("n", "kept"), ("", "reset")])
def test_should_continue_asks_yes_or_no(asking, answer: str, result: str) -> None:
    sh = asking([answer])
    assert sh.run(SHOULD_CONTINUE + "Reset-Thing")
    assert sh.out == f"\nReset\nReset everything?\n{YES_NO}{result}\n"


def test_should_continue_asks_whatever_the_confirm_settings_and_offers_no_to_all(asking) -> None:
    sh = asking(["A", "?", "N"])
    assert sh.run(SHOULD_CONTINUE + "$ConfirmPreference = 'None'; Reset-Thing -Confirm:$false")
    assert sh.out == ("\nReset\nReset everything?\n" + YES_NO + YES_NO
                      + "Y - Continue with only the next step of the operation.\n"
                        "N - Skip this operation and proceed with the next operation.\n"
                        'S - Pause the current pipeline and return to the command prompt. Type "exit" to resume '
                        "the pipeline.\n" + YES_NO + "kept\n")


def test_should_continue_without_a_person_is_an_error(shell: Shell) -> None:
    assert not shell.run(SHOULD_CONTINUE + "Reset-Thing")
    assert shell.err.startswith('Exception calling "ShouldContinue" with "2" argument(s): "Windows PowerShell is '
                                "in NonInteractive mode.")


# --- propagation to the cmdlets a function calls -------------------------------------------------------

LOCK_TEAM = ("function Lock-Team { [CmdletBinding(SupportsShouldProcess)] param([string[]]$Users)\n"
             "  foreach ($u in $Users) { Lock-CsClientPin $u } }\n")


def test_whatif_on_the_function_reaches_the_cmdlets_it_calls(shell: Shell) -> None:
    assert shell.run(LOCK_TEAM + f'Lock-Team "{KEN}" -WhatIf; $WhatIfPreference')
    assert shell.out == f'What if: Performing the operation "Lock-CsClientPin" on target "{KEN}".\nFalse\n'
    assert newly_locked(shell) == []


def test_confirm_on_the_function_makes_the_cmdlets_ask(asking) -> None:
    sh = asking(["N", "Y"])
    assert sh.run(LOCK_TEAM + f'Lock-Team "{UNLOCKED[0]}", "{UNLOCKED[1]}" -Confirm; $ConfirmPreference')
    assert sh.out == question(UNLOCKED[0]) + question(UNLOCKED[1]) + "High\n"
    assert newly_locked(sh) == [UNLOCKED[1]]


def test_confirm_false_on_the_function_silences_the_cmdlets(asking) -> None:
    sh = asking([])
    assert sh.run(LOCK_TEAM + f'$ConfirmPreference = "Low"; Lock-Team "{KEN}" -Confirm:$false')
    assert sh.out == "" and newly_locked(sh) == [KEN]


def test_a_script_file_with_cmdletbinding_takes_whatif(store_file: Path, tmp_path: Path) -> None:
    script = tmp_path / "lock.ps1"
    script.write_text("[CmdletBinding(SupportsShouldProcess=$true)]\nparam([string]$User)\n"
                      "if ($PSCmdlet.ShouldProcess($User, 'Lock PIN')) { Lock-CsClientPin $User }\n")
    sh = make_shell(store_file, cwd=str(tmp_path))
    try:
        assert sh.engine.run_file(str(script), ["-User", KEN, "-WhatIf"]) == 0
        assert sh.out == f'What if: Performing the operation "Lock PIN" on target "{KEN}".\n'
        assert sh.engine.run_file(str(script), ["-User", KEN]) == 0
        assert newly_locked(sh) == [KEN]
    finally:
        sh.engine.close()

"""ShouldProcess for cmdlets, end to end: -WhatIf, -Confirm, $ConfirmPreference, the 5.1 prompt and its choices.

Answers are scripted through BufferHost; ``newly_locked(shell)`` reads the store file as another process would.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from test_interpreter_support import UNLOCKED, Shell, make_shell, shell, store_file  # noqa: F401

from csshell.engine import Engine
from csshell.runtime.host import BufferHost
from csshell.runtime.registry import REGISTRY
from csshell.runtime.should_process import CONFIRM_IMPACTS, confirm_impact_of
from csshell.store import open_store

KEN = UNLOCKED[0]
CHOICES = '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): '
QUESTION = ("\nConfirm\nAre you sure you want to perform this action?\n"
            'Performing the operation "{action}" on target "{target}".\n' + CHOICES)
HELP = ("Y - Continue with only the next step of the operation.\n"
        "A - Continue with all the steps of the operation.\n"
        "N - Skip this operation and proceed with the next operation.\n"
        "L - Skip this operation and all subsequent operations.\n"
        'S - Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.\n')


class NestingHost(BufferHost):
    """A BufferHost that can Suspend: nested-prompt lines come from the same scripted answers."""

    def __init__(self, answers: list[str]) -> None:
        super().__init__(interactive=True, answers=answers)

    def enter_nested_prompt(self, prompt, run_line) -> bool:
        while True:
            line = self.read_line(prompt())
            if line is None:
                return True
            if line.strip() and not run_line(line):
                return True


@pytest.fixture
def asking(store_file: Path, tmp_path: Path):
    """``asking(answers)``: a shell whose host answers the prompts with ``answers``, in order."""
    made: list[Shell] = []

    def make(answers: list[str]) -> Shell:
        made.append(make_shell(store_file, interactive=True, answers=answers, cwd=str(tmp_path)))
        return made[-1]
    yield make
    for one in made:
        one.engine.close()


def nesting_shell(store_file: Path, tmp_path: Path, answers: list[str]) -> Shell:
    host = NestingHost(answers)
    engine = Engine(host, lambda: open_store(str(store_file), lock_timeout=2), cwd=str(tmp_path))
    return Shell(engine, host, store_file)


def newly_locked(sh: Shell) -> list[str]:
    """The users of UNLOCKED (unlocked in the seed) whose PIN is now locked."""
    return [sip for sip in sh.locked() if sip in UNLOCKED]


def question(target: str = KEN, action: str = "Lock-CsClientPin") -> str:
    return QUESTION.format(action=action, target=target)


# --- -WhatIf and $WhatIfPreference -------------------------------------------------------------------

def test_whatif_prints_exactly_the_51_line_and_changes_nothing(shell: Shell) -> None:
    assert shell.run(f'Lock-CsClientPin "{KEN}" -WhatIf; Remove-CsPinPolicy -Identity global -WhatIf')
    assert shell.out == (f'What if: Performing the operation "Lock-CsClientPin" on target "{KEN}".\n'
                         'What if: Performing the operation "Remove-CsPinPolicy" on target "Global".\n')
    assert newly_locked(shell) == []


def test_whatif_preference_covers_every_should_process_command_and_whatif_false_overrides(shell: Shell) -> None:
    assert shell.run(f'$WhatIfPreference = $true; "{UNLOCKED[0]}", "{UNLOCKED[1]}" | Lock-CsClientPin; '
                     f'New-CsPinPolicy -Identity site:Redmond | Out-Null')
    assert shell.out.count("What if: ") == 3 and newly_locked(shell) == []
    shell.clear()
    assert shell.run(f'Lock-CsClientPin "{KEN}" -WhatIf:$false')
    assert shell.out == "" and newly_locked(shell) == [KEN]


def test_whatif_wins_over_confirm_and_asks_nothing(asking) -> None:
    sh = asking([])
    assert sh.run(f'Lock-CsClientPin "{KEN}" -WhatIf -Confirm')
    assert sh.out == f'What if: Performing the operation "Lock-CsClientPin" on target "{KEN}".\n'


# --- $ConfirmPreference against ConfirmImpact (Lock-CsClientPin is Medium) ---------------------------

@pytest.mark.parametrize("preference, asks", [("None", False), ("Low", True), ("Medium", True), ("High", False)])
def test_confirm_preference_levels_against_a_medium_impact_cmdlet(asking, preference: str, asks: bool) -> None:
    sh = asking(["N"])
    assert sh.run(f'$ConfirmPreference = "{preference}"; Lock-CsClientPin "{KEN}"')
    assert (question() in sh.out) is asks
    assert newly_locked(sh) == ([] if asks else [KEN])


def test_confirm_switch_forces_the_prompt_even_under_preference_none(asking) -> None:
    sh = asking(["Y"])
    assert sh.run(f'$ConfirmPreference = "None"; Lock-CsClientPin "{KEN}" -Confirm')
    assert sh.out == question() and newly_locked(sh) == [KEN]


def test_confirm_false_suppresses_the_prompt_under_preference_low(asking) -> None:
    sh = asking([])
    assert sh.run(f'$ConfirmPreference = "Low"; Lock-CsClientPin "{KEN}" -Confirm:$false')
    assert sh.out == "" and newly_locked(sh) == [KEN]


def test_debug_asks_as_51_does_unless_confirm_is_false(asking) -> None:
    sh = asking(["N"])
    assert sh.run(f'Lock-CsClientPin "{KEN}" -Debug')
    assert question() in sh.out and newly_locked(sh) == []
    sh.clear()
    assert sh.run(f'Lock-CsClientPin "{KEN}" -Debug -Confirm:$false')
    assert "Confirm" not in sh.out and newly_locked(sh) == [KEN]


def test_verbose_names_the_operation_when_no_question_is_needed(shell: Shell) -> None:
    assert shell.run(f'Lock-CsClientPin "{KEN}" -Verbose')
    assert shell.err == f'VERBOSE: Performing the operation "Lock-CsClientPin" on target "{KEN}".\n'


# --- the prompt and its choices --------------------------------------------------------------------

def test_prompt_is_the_51_console_text(asking) -> None:
    sh = asking(["y"])
    assert sh.run(f'Lock-CsClientPin "{KEN}" -Confirm')
    assert sh.out == question()


def test_question_mark_lists_the_help_and_asks_again(asking) -> None:
    sh = asking(["?", "N"])
    assert sh.run(f'Lock-CsClientPin "{KEN}" -Confirm')
    assert sh.out == question() + HELP + CHOICES
    assert newly_locked(sh) == []


@pytest.mark.parametrize("answers, locked", [
    (["maybe", "yeah", "Y"], True),          # unknown answers ask again
    (["  ", "n"], False),                     # blanks are not Enter: asked again
    (["yes"], True), (["No"], False),         # a full label is accepted, in any case
    ([""], True),                             # Enter takes the default, Yes
])
def test_answers_are_matched_by_label_or_hot_key(asking, answers: list[str], locked: bool) -> None:
    sh = asking(answers)
    assert sh.run(f'Lock-CsClientPin "{KEN}" -Confirm')
    assert sh.out.count(CHOICES) == len(answers)
    assert sh.out.count("Are you sure") == 1
    assert newly_locked(sh) == ([KEN] if locked else [])


@pytest.mark.parametrize("answers, expected", [
    (["Y", "N", "Y"], UNLOCKED[:1] + UNLOCKED[2:3]),
    (["N", "A"], UNLOCKED[1:3]),             # Yes to All: no more questions in this run
    (["Y", "L"], UNLOCKED[:1]),              # No to All
    (["yes to all"], UNLOCKED[:3]),
    (["no to all"], []),
])
def test_yes_and_no_to_all_last_for_the_rest_of_the_pipeline(asking, answers, expected) -> None:
    sh = asking(answers)
    targets = ", ".join(f'"{sip}"' for sip in UNLOCKED[:3])
    assert sh.run(f"{targets} | Lock-CsClientPin -Confirm")
    assert sh.out.count("Are you sure") == len(answers)
    assert newly_locked(sh) == sorted(expected)


def test_yes_to_all_does_not_outlive_the_command(asking) -> None:
    sh = asking(["A", "N"])
    assert sh.run(f'Lock-CsClientPin "{UNLOCKED[0]}" -Confirm; Lock-CsClientPin "{UNLOCKED[1]}" -Confirm')
    assert sh.out.count("Are you sure") == 2
    assert newly_locked(sh) == [UNLOCKED[0]]


def test_suspend_without_a_nested_prompt_stops_the_command_with_51s_message(asking) -> None:
    sh = asking(["S"])
    assert not sh.run(f'"{UNLOCKED[0]}", "{UNLOCKED[1]}" | Lock-CsClientPin -Confirm')
    assert "Lock-CsClientPin : The running command stopped because the user selected the Stop option." in sh.err
    assert "OperationStopped: (:) [Lock-CsClientPin], ActionPreferenceStopException" in sh.err
    assert sh.out.count("Are you sure") == 1 and newly_locked(sh) == []


def test_suspend_opens_a_nested_prompt_and_exit_asks_again(store_file: Path, tmp_path: Path) -> None:
    sh = nesting_shell(store_file, tmp_path, ["S", "'level ' + $NestedPromptLevel", "$undefined.Foo()",
                                              "exit", "Y"])
    try:
        assert sh.run(f'Lock-CsClientPin "{KEN}" -Confirm; "level after " + $NestedPromptLevel')
        nested = f"PS {tmp_path}>> "
        assert sh.out == (question() + nested + "level 1\n" + nested + nested + question()
                          + "level after 0\n")
        assert "You cannot call a method on a null-valued expression." in sh.err
        assert newly_locked(sh) == [KEN]
    finally:
        sh.engine.close()


def test_a_change_made_at_the_nested_prompt_is_kept(store_file: Path, tmp_path: Path) -> None:
    sh = nesting_shell(store_file, tmp_path, ["S", f'Lock-CsClientPin "{UNLOCKED[1]}"', "exit", "N"])
    try:
        assert sh.run(f'Lock-CsClientPin "{KEN}" -Confirm')
        assert newly_locked(sh) == [UNLOCKED[1]]
    finally:
        sh.engine.close()


def test_non_interactive_is_51s_error_and_asks_nothing(shell: Shell) -> None:
    assert shell.run(f'Lock-CsClientPin "{KEN}" -Confirm; "next"')        # $? is the last statement's
    assert shell.err.startswith("Lock-CsClientPin : Windows PowerShell is in NonInteractive mode. Read and Prompt "
                                "functionality is not available.\n")
    assert "InvalidOperation: (:) [Lock-CsClientPin], PSInvalidOperationException" in shell.err
    assert "InvalidOperation,Microsoft.Rtc.Management.UserPinService.LockOcsUserClientPinCmdlet" in shell.err
    assert shell.out == "next\n" and newly_locked(shell) == []


def test_input_ending_at_the_prompt_cancels_the_command(asking) -> None:
    sh = asking([])
    assert not sh.run(f'Lock-CsClientPin "{KEN}" -Confirm')
    assert "Lock-CsClientPin : The prompt was canceled." in sh.err
    assert "PromptForChoiceCanceled" in sh.err and newly_locked(sh) == []


# --- -Force on the Skype for Business cmdlets ---------------------------------------------------------

def test_force_suppresses_the_question_on_cs_cmdlets(asking) -> None:
    sh = asking([])
    assert sh.run('$ConfirmPreference = "Low"; New-CsPinPolicy -Identity site:Redmond -Force | Out-Null; '
                  'Set-CsPinPolicy -Identity site:Redmond -MinPasswordLength 7 -Force; '
                  f'Lock-CsClientPin "{KEN}" -Force; (Get-CsPinPolicy site:Redmond).MinPasswordLength; '
                  'Remove-CsPinPolicy site:Redmond -Force; @(Get-CsPinPolicy).Count')
    assert "Confirm" not in sh.out and sh.out.split() == ["7", "1"]
    assert sh.err == "" and newly_locked(sh) == [KEN]


def test_force_does_not_suppress_whatif_nor_an_explicit_confirm(asking) -> None:
    sh = asking(["N"])
    assert sh.run(f'Lock-CsClientPin "{KEN}" -Force -WhatIf; Unlock-CsClientPin "{KEN}" -Force -Confirm')
    assert sh.out == (f'What if: Performing the operation "Lock-CsClientPin" on target "{KEN}".\n'
                      + question(action="Unlock-CsClientPin"))
    assert newly_locked(sh) == []


def test_force_of_a_non_sfb_cmdlet_does_not_skip_the_question(asking, tmp_path: Path) -> None:
    sh = asking(["N"])
    assert sh.run('$ConfirmPreference = "Low"; 1 | Export-Csv -Path out.csv -Force')
    assert "Are you sure" in sh.out and not (tmp_path / "out.csv").exists()


# --- ConfirmImpact of the cmdlets -------------------------------------------------------------------

def test_every_cmdlet_declares_a_valid_confirm_impact_and_cs_changers_are_medium() -> None:
    from csshell.runtime.registry import load_all_cmdlets
    load_all_cmdlets()
    assert all(cls.confirm_impact in CONFIRM_IMPACTS for cls in REGISTRY.values())
    for name in ("Lock-CsClientPin", "Unlock-CsClientPin", "Set-CsClientPin", "New-CsPinPolicy",
                 "Set-CsPinPolicy", "Remove-CsPinPolicy", "Grant-CsPinPolicy"):
        assert confirm_impact_of(REGISTRY[name.lower()]) == "Medium"


def test_default_preference_high_never_prompts_the_cs_cmdlets(shell: Shell) -> None:
    assert shell.run(f'Lock-CsClientPin "{KEN}"; Unlock-CsClientPin "{KEN}"; Get-CsPinPolicy | Remove-CsPinPolicy')
    assert shell.out == "" and shell.err == ""


# --- $ConfirmPreference values -------------------------------------------------------------------------

def test_a_bad_confirm_preference_at_the_prompt_is_51s_conversion_error(shell: Shell) -> None:
    assert not shell.run('$ConfirmPreference = "Hihg"')
    assert shell.err.startswith(
        'Cannot convert value "Hihg" to type "System.Management.Automation.ConfirmImpact". Error: "Unable to '
        "match the identifier name Hihg to a valid enumerator name. Specify one of the following enumerator "
        'names and try again:\nNone, Low, Medium, High"\nAt line:1 char:1\n')
    assert "MetadataError: (:) [], ArgumentTransformationMetadataException" in shell.err
    assert "FullyQualifiedErrorId : RuntimeException" in shell.err
    shell.clear()
    assert shell.run("$ConfirmPreference")
    assert shell.out == "High\n"


@pytest.mark.parametrize("value, stored", [('"low"', "Low"), ("' MEDIUM '", "Medium"), ("0", "None"),
                                           ('"3"', "High"), ("$null", "None")])
def test_confirm_preference_values_convert_like_the_enum(shell: Shell, value: str, stored: str) -> None:
    assert shell.run(f"$ConfirmPreference = {value}; $ConfirmPreference")
    assert shell.out == stored + "\n"


@pytest.mark.parametrize("value", ["7", "$true", "@{a=1}"])
def test_other_values_do_not_convert(shell: Shell, value: str) -> None:
    assert not shell.run(f"$ConfirmPreference = {value}")
    assert "System.Management.Automation.ConfirmImpact" in shell.err and "Traceback" not in shell.err


def test_a_bad_value_in_a_function_scope_is_read_as_high(asking) -> None:
    sh = asking([])
    assert sh.run(f'function f {{ $ConfirmPreference = "bogus"; Lock-CsClientPin "{KEN}" }}; f')
    assert sh.err == "" and sh.out == "" and newly_locked(sh) == [KEN]

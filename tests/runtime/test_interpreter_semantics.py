"""Language and shell semantics through the real Engine: ShouldProcess, preferences, functions, values, output."""
from __future__ import annotations

from pathlib import Path

import pytest

from test_interpreter_support import (UNLOCKED, Shell, make_shell, shell,  # noqa: F401
                                      store_file)

CONFIRM_QUESTION = ("\nConfirm\nAre you sure you want to perform this action?\n"
                    'Performing the operation "Lock-CsClientPin" on target "{0}".\n'
                    '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): ')


# --- ShouldProcess ---------------------------------------------------------------------------

def test_whatif_prints_the_51_line_and_changes_nothing(shell: Shell) -> None:
    before = shell.locked()
    assert shell.run('Lock-CsClientPin -Identity "Ken Myer" -WhatIf')
    assert shell.out == 'What if: Performing the operation "Lock-CsClientPin" on target "Ken Myer".\n'
    assert shell.locked() == before


def test_whatif_preference_applies_to_every_command(shell: Shell) -> None:
    before = shell.locked()
    assert shell.run(f'$WhatIfPreference = $true; "{UNLOCKED[0]}", "{UNLOCKED[1]}" | Lock-CsClientPin')
    assert shell.out.count("What if: ") == 2
    assert shell.locked() == before


def test_whatif_false_overrides_the_preference(shell: Shell) -> None:
    assert shell.run(f'$WhatIfPreference = $true; Lock-CsClientPin "{UNLOCKED[0]}" -WhatIf:$false')
    assert "What if" not in shell.out
    assert UNLOCKED[0] in shell.locked()


@pytest.mark.parametrize("answers, expected", [
    (["Y", "N", "Y"], [UNLOCKED[0], UNLOCKED[2]]),
    (["A"], UNLOCKED[:3]),
    (["N", "L"], []),
    (["", "N", "N"], [UNLOCKED[0]]),            # an empty answer is the default, Yes
])
def test_confirm_answers_yes_no_all(store_file, answers, expected) -> None:
    shell = make_shell(store_file, interactive=True, answers=answers)
    targets = ", ".join(f'"{sip}"' for sip in UNLOCKED[:3])
    assert shell.run(f"{targets} | Lock-CsClientPin -Confirm")
    assert shell.out.startswith(CONFIRM_QUESTION.format(UNLOCKED[0]))
    assert shell.out.count("Are you sure you want to perform this action?") == len(answers)
    assert [sip for sip in UNLOCKED[:3] if sip in shell.locked()] == expected
    shell.engine.close()


def test_confirm_without_a_person_to_answer_is_an_error(shell: Shell) -> None:
    assert not shell.run('Lock-CsClientPin "Ken Myer" -Confirm')
    assert "NonInteractive mode" in shell.err
    assert UNLOCKED[0] not in shell.locked()


def test_advanced_function_passes_whatif_to_the_cmdlets_it_calls(shell: Shell) -> None:
    script = ("function Lock-Team { [CmdletBinding(SupportsShouldProcess=$true)] param([string[]]$Users)\n"
              "  foreach ($u in $Users) { Lock-CsClientPin $u } }\n"
              f'Lock-Team -Users "{UNLOCKED[0]}" -WhatIf')
    before = shell.locked()
    assert shell.run(script)
    assert shell.out == f'What if: Performing the operation "Lock-CsClientPin" on target "{UNLOCKED[0]}".\n'
    assert shell.locked() == before


# --- preferences and streams ---------------------------------------------------------------

def test_verbose_switch_on_an_advanced_function_shows_its_verbose_lines(shell: Shell) -> None:
    script = ('function Get-Pin { [CmdletBinding()] param($Name) Write-Verbose "Looking up $Name"; "found $Name" }\n'
              "Get-Pin Ken -Verbose; Get-Pin Pilar")
    assert shell.run(script)
    assert shell.out.splitlines() == ["found Ken", "found Pilar"]
    assert shell.err == "VERBOSE: Looking up Ken\n"


def test_verbose_preference_continue_shows_verbose_lines(shell: Shell) -> None:
    assert shell.run("Write-Verbose 'hidden'; $VerbosePreference = 'Continue'; Write-Verbose 'shown'")
    assert shell.err == "VERBOSE: shown\n"


def test_error_action_on_an_advanced_function_reaches_its_commands(shell: Shell) -> None:
    script = ("function Probe { [CmdletBinding()] param() Get-CsClientPinInfo nosuch; 'after' }\n"
              "try { Probe -ErrorAction Stop } catch { 'caught' }")
    assert shell.run(script)
    assert shell.out.strip() == "caught"


# --- functions, scripts and variables ----------------------------------------------------------

def test_function_param_block_defaults_positions_and_args(shell: Shell) -> None:
    script = ('function Show-Pin { param($Identity, $Note = "none") "$Identity/$Note/$($args -join \'+\')" }\n'
              "Show-Pin Ken; Show-Pin -Note n Ken; Show-Pin a b c d")
    assert shell.run(script)
    assert shell.out.splitlines() == ["Ken/none/", "Ken/n/", "a/b/c+d"]


def test_mandatory_function_parameter_is_prompted_interactively(store_file) -> None:
    shell = make_shell(store_file, interactive=True, answers=["Ken Myer"])
    assert shell.run("function Need { param([Parameter(Mandatory=$true)]$Identity) \"got $Identity\" }; Need")
    assert "Supply values for the following parameters:\nIdentity: " in shell.out
    assert shell.out.rstrip().endswith("got Ken Myer")
    shell.engine.close()


def test_mandatory_cmdlet_parameter_prompt_binds_the_answer(store_file) -> None:
    shell = make_shell(store_file, interactive=True, answers=["Ken Myer"])
    assert shell.run("Get-CsClientPinInfo | Select-Object -ExpandProperty Identity")
    assert shell.out == ("cmdlet Get-CsClientPinInfo at command pipeline position 1\n"
                         "Supply values for the following parameters:\n"
                         "Identity: sip:kenmyer@litwareinc.com\n")
    shell.engine.close()


def test_psscriptroot_in_a_script_and_in_its_functions(shell: Shell, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "helpers.ps1").write_text('function Where-Am-I { "fn:$PSScriptRoot" }\n"top:$PSScriptRoot"\n')
    assert shell.run(f". '{lib / 'helpers.ps1'}'; Where-Am-I; \"cmd:$PSScriptRoot\"")
    assert shell.out.splitlines() == [f"top:{lib}", f"fn:{lib}", "cmd:"]


def test_script_file_receives_args_and_named_parameters(shell: Shell, tmp_path: Path) -> None:
    script = tmp_path / "job.ps1"
    script.write_text('param($Identity, [switch]$Force)\n"$Identity|$Force|$($args.Count)"\n')
    assert shell.engine.run_file(str(script), ["-Identity", "Ken Myer", "-Force"]) == 0
    assert shell.engine.run_file(str(script), ["Ken Myer"]) == 0
    assert shell.engine.run_file(str(script), ["-Identity:Pilar", "-Force:$false"]) == 0
    assert shell.out.splitlines() == ["Ken Myer|True|0", "Ken Myer|False|0", "Pilar|False|0"]


def test_splatting_a_hashtable_and_an_array_into_cmdlets(shell: Shell) -> None:
    script = ('$named = @{ Identity = "Ken Myer"; WhatIf = $true }; Lock-CsClientPin @named\n'
              '$positional = @("Ken Myer"); (Get-CsClientPinInfo @positional).Identity')
    assert shell.run(script)
    assert shell.out.splitlines() == ['What if: Performing the operation "Lock-CsClientPin" on target "Ken Myer".',
                                      "sip:kenmyer@litwareinc.com"]


def test_ordered_and_pscustomobject_keep_key_order(shell: Shell) -> None:
    assert shell.run('$o = [ordered]@{ Zed = 1; Alpha = 2 }; $o.Keys -join ","\n'
                     '$p = [pscustomobject]@{ Name = "Ken"; Locked = $true }; $p.Name; $p.Locked')
    assert shell.out.splitlines() == ["Zed,Alpha", "Ken", "True"]


def test_member_access_on_an_array_enumerates(shell: Shell) -> None:
    assert shell.run("(Get-CsUser -Identity 'Ken Myer*').DisplayName")
    assert shell.out.splitlines() == ["Ken Myer", "Ken Myers", "Ken Myerson"]


def test_string_methods(shell: Shell) -> None:
    assert shell.run('"  sip:Ken@Litwareinc.com ".Trim().ToLower().Replace("sip:", ""); "a;b;c".Split(";").Count')
    assert shell.out.splitlines() == ["ken@litwareinc.com", "3"]


def test_null_prints_nothing(shell: Shell) -> None:
    assert shell.run("$null; $x = $null; $x; @()")
    assert shell.out == "" and shell.err == ""


def test_format_table_through_the_engine(shell: Shell) -> None:
    assert shell.run("Get-CsUser -Identity 'Ken Myer*' | Format-Table DisplayName, SipAddress -AutoSize")
    assert shell.out == ("\nDisplayName SipAddress\n----------- ----------\n"
                         "Ken Myer    sip:kenmyer@litwareinc.com\n"
                         "Ken Myers   sip:kenmyers@litwareinc.com\n"
                         "Ken Myerson sip:kenmyerson@litwareinc.com\n\n\n")


def test_format_list_through_the_engine(shell: Shell) -> None:
    assert shell.run('Get-CsClientPinInfo "Ken Myer" | Format-List Identity, IsLockedOut')
    assert shell.out == "\n\nIdentity    : sip:kenmyer@litwareinc.com\nIsLockedOut : False\n\n\n\n"


def test_pin_info_default_view_is_a_list(shell: Shell) -> None:
    assert shell.run('Get-CsClientPinInfo "Ken Myer"')
    assert "\nIdentity          : sip:kenmyer@litwareinc.com\n" in shell.out
    assert "LastPinChangeTime : 3/14/2026 9:30:00 AM\n" in shell.out


def test_increment_statements_write_nothing():
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    host = BufferHost()
    Engine(host).run_command_text("$i = 0; while ($i -lt 3) { $i++ }; ++$i; $i--; $i")
    assert host.stdout.split() == ["3"]

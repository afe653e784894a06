"""The PowerShell 5.1 language real admin scripts use, run end to end through Engine + BufferHost.

Each expected text is what Windows PowerShell 5.1 prints for the same input (Out-Default at the end).
Store-free: these sessions never open a store.
"""
from __future__ import annotations

import pytest

from csshell.engine import Engine
from csshell.runtime.host import BufferHost


def run(text: str) -> tuple[list[str], str, Engine]:
    """Run ``-Command``-style text; returns (non-blank output lines, stderr, engine)."""
    host = BufferHost()
    engine = Engine(host)
    engine.run_command_text(text)
    return [line.rstrip() for line in host.stdout.splitlines() if line.strip()], host.stderr, engine


def out(text: str) -> list[str]:
    lines, err, _ = run(text)
    assert err == "", err
    return lines


CASES = {
    "expandable here-string": ('$name = "Ken"\n@"\nHello $name\n  Total: $(1+2)\n"@', ["Hello Ken", "  Total: 3"]),
    "verbatim here-string": ("@'\nHello $name `n\n'@", ["Hello $name `n"]),
    "replace split join": ("'a-b-c' -replace '-', '+'; ('a1b22c' -split '\\d+') -join '|'; (1,2,3) -join ','; "
                           "-join ('a','b'); (-split ' a b  c ') -join '|'",
                           ["a+b+c", "a|b|c", "1,2,3", "ab", "a|b|c"]),
    "replace with groups": ("'Myer, Ken' -replace '(\\w+), (\\w+)', '$2 $1'", ["Ken Myer"]),
    "is and as": ("5 -is [int]; '5' -as [int]; $null -eq ('x' -as [int]); 5 -isnot [string]; [int]'42' + 1",
                  ["True", "5", "True", "True", "43"]),
    "ranges and indexing": ("$a = 10..20; $a[-1]; $a[0..2] -join ','; $a[1,3] -join ','; (5..1) -join ','; "
                            "$a[$a.Count - 1]", ["20", "10,11,12", "11,13", "5,4,3,2,1", "20"]),
    "string indexing": ("$s = 'Ken Myer'; $s[0]; $s[-1]; $s.Split(' ')[1]; $s.Substring(0, 3)",
                        ["K", "r", "Myer", "Ken"]),
    "matches named and numbered": ("if ('sip:ken@litwareinc.com' -match '^sip:(?<user>[^@]+)@(.+)$') "
                                   "{ $Matches.user; $Matches[1]; $Matches[0] }",
                                   ["ken", "litwareinc.com", "sip:ken@litwareinc.com"]),
    "casts": ("[int]'7'; [string]42; [bool]'False'; [bool]0; [bool]''; [datetime]'2026-03-14 09:30'; "
              "([array]5).GetType().FullName; ([hashtable]@{a=1}).a",
              ["7", "42", "True", "False", "False", "3/14/2026 9:30:00 AM", "System.Object[]", "1"]),
    "pscustomobject": ("$o = [pscustomobject]@{Name='Ken'; Age=3}; $o; $o.GetType().FullName",
                       ["Name Age", "---- ---", "Ken    3", "System.Management.Automation.PSCustomObject"]),
    "ordered": ("$h = [ordered]@{z=1; a=2}; $h.Keys -join ','; $h.GetType().FullName",
                ["z,a", "System.Collections.Specialized.OrderedDictionary"]),
    "static members": ("[math]::Round(2.567, 2); [math]::Round(2.5); [string]::IsNullOrEmpty(''); "
                       "[string]::IsNullOrEmpty('x'); ([datetime]::Now).GetType().FullName; [math]::Max(3, 9)",
                       ["2.57", "2", "True", "False", "System.DateTime", "9"]),
    "new-object psobject": ("$o = New-Object PSObject -Property @{Name='Ken'}; $o.Name; $o | Format-List",
                            ["Ken", "Name : Ken"]),
    "member enumeration": ("$users = @([pscustomobject]@{DisplayName='A'}, [pscustomobject]@{DisplayName='B'}); "
                           "$users.DisplayName; $users.DisplayName.Count", ["A", "B", "2"]),
    "multiple assignment": ("$a, $b, $c = 1, 2, 3, 4; $a; $b; $c -join '|'; $x = $y = 5; $x + $y",
                            ["1", "2", "3|4", "10"]),
    "swap": ("$a = 1; $b = 2; $a, $b = $b, $a; \"$a $b\"", ["2 1"]),
    "switch wildcard with break": ("switch -Wildcard ('ken.myer', 'pilar', 'x') { 'ken*' { \"K: $_\" } "
                                   "'p*' { \"P: $_\"; break } default { 'none' } }", ["K: ken.myer", "P: pilar"]),
    "switch regex with continue": ("switch -Regex ('abc123', 'zz', 'x9') { '\\d+' { \"digits $($Matches[0])\"; "
                                   "continue } 'z' { 'z' } default { \"default $_\" } }",
                                   ["digits 123", "z", "digits 9"]),
    "switch script block clause": ("switch (3) { 1 {'one'} {$_ -gt 2} {'big'} 3 {'three'} }", ["big", "three"]),
    "switch value": ("$y = switch ('Unlock') { 'lock' { 1 } 'unlock' { 2 } }; $y", ["2"]),
    "while break continue": ("$i = 0; while ($true) { $i++; if ($i -eq 2) { continue }; if ($i -gt 4) { break }; $i }",
                             ["1", "3", "4"]),
    "do while and until": ("$i = 0; do { $i } while (++$i -lt 3); do { \"u$i\"; $i-- } until ($i -le 0)",
                           ["0", "1", "2", "u3", "u2", "u1"]),
    "for": ("for ($i = 0; $i -lt 3; $i++) { \"i=$i\" }", ["i=0", "i=1", "i=2"]),
    "return": ("function f { return 5; 'no' }; f; function g { 1; return; 2 }; g", ["5", "1"]),
    "args and myinvocation": ("function Show-Args { \"n=$($args.Count) first=$($args[0])\"; "
                              "$MyInvocation.MyCommand.Name }; Show-Args 1 2 3", ["n=3 first=1", "Show-Args"]),
    "env": ("$env:CSSHELL_E2E = 'hi'; $env:CSSHELL_E2E; \"v=$($env:CSSHELL_E2E)\"; $null -eq $env:CSSHELL_E2E_UNSET",
            ["hi", "v=hi", "True"]),
    "splatting hashtable and array": ("function Get-P { param($Identity, $Ticket) \"$Identity / $Ticket\" }; "
                                      "$p = @{Identity='Ken'; Ticket='HD-1'}; Get-P @p; $arr = 'Ken', 'HD-2'; Get-P @arr",
                                      ["Ken / HD-1", "Ken / HD-2"]),
    "smart quotes and dashes": ("\u201csmart $(1+1)\u201d; \u2018single\u2019; 5 \u2013gt 3; 5 \u2014lt 3; "
                                "Write-Output \u2013InputObject \u201cKen Myer\u201d",
                                ["smart 2", "single", "True", "False", "Ken Myer"]),
    "format operator": ("'{0:N2} {1,5}|' -f 3.14159, 7", ["3.14     7|"]),
    "group-object summary": ("'lock','unlock','lock' | Group-Object | Sort-Object Name | "
                             "ForEach-Object { \"$($_.Name)=$($_.Count)\" }", ["lock=2", "unlock=1"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_language_feature_prints_what_51_prints(name):
    text, expected = CASES[name]
    assert out(text) == expected


ADVANCED_FUNCTION = """
function Set-Thing {
  [CmdletBinding(SupportsShouldProcess)]
  param(
    [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
    [string]$Identity,
    [ValidateSet('Lock', 'Unlock')]
    [string]$Action = 'Lock',
    [ValidateRange(1, 10)][int]$Count = 1,
    [ValidateScript({ $_ -like 'HD-*' })][string]$Ticket
  )
  begin { 'begin' }
  process { if ($PSCmdlet.ShouldProcess($Identity, $Action)) { "did $Action $Identity x$Count" } }
  end { 'end' }
}
"""


def test_advanced_function_begin_process_end_with_pipeline_input():
    assert out(ADVANCED_FUNCTION + "'a', 'b' | Set-Thing -Count 2") == \
        ["begin", "did Lock a x2", "did Lock b x2", "end"]


def test_advanced_function_whatif_goes_through_shouldprocess():
    assert out(ADVANCED_FUNCTION + "Set-Thing c -Action Unlock -WhatIf") == \
        ["begin", 'What if: Performing the operation "Unlock" on target "c".', "end"]


@pytest.mark.parametrize("call, message", [
    ("Set-Thing d -Action Foo", 'The argument "Foo" does not belong to the set "Lock,Unlock" specified by the '
                                "ValidateSet attribute."),
    ("Set-Thing e -Count 11", "The 11 argument is greater than the maximum allowed range of 10."),
    ("Set-Thing f -Ticket X", 'The " $_ -like \'HD-*\' " validation script for the argument with value "X" did not '
                              "return a result of True."),
])
def test_advanced_function_validation_is_a_binding_error(call, message):
    lines, err, _ = run(ADVANCED_FUNCTION + call + "; 'next'")
    assert lines == ["next"]
    assert "Cannot validate argument on parameter" in err and message in err.replace("\n", " ")
    assert "Traceback" not in err


def test_missing_mandatory_parameter_without_a_prompt_is_an_error():
    lines, err, _ = run("function f { param([Parameter(Mandatory)][string]$Name) \"hi $Name\" }; f")
    assert lines == []
    assert "Cannot process command because of one or more missing mandatory parameters: Name." in err


def test_exit_sets_the_engine_exit_code():
    lines, _, engine = run("'before'; exit 3; 'after'")
    assert (lines, engine.exit_code) == (["before"], 3)


def test_error_action_preference_silently_continue_hides_statement_terminating_errors():
    lines, err, _ = run("$ErrorActionPreference = 'SilentlyContinue'; Get-Nothing; \"after $($Error.Count)\"")
    assert (lines, err) == (["after 1"], "")


def test_error_action_preference_stop_ends_the_script_at_a_statement_terminating_error():
    lines, err, _ = run("$ErrorActionPreference = 'Stop'\nGet-Nothing\n'after'")
    assert lines == [] and "CommandNotFoundException" in err


def test_error_action_preference_stop_is_caught_by_try():
    assert out("$ErrorActionPreference = 'Stop'; try { Get-Nothing; 'no' } catch { \"caught $($_.FullyQualifiedErrorId)\" }"
               "; 'end'") == ["caught CommandNotFoundException", "end"]


def test_labelled_continue_and_negative_range_index():
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    host = BufferHost()
    Engine(host).run_command_text(
        '$a = 1..5; $a[-3..-1] -join ","; :outer foreach ($i in 1..3) { foreach ($j in 1..3) '
        '{ if ($j -eq 2) { continue outer }; "$i$j" } }')
    assert host.stdout.split() == ["3,4,5", "11", "21", "31"], host.stderr

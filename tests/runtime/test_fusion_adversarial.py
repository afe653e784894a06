"""Adversarial differential tests for stage fusion (csshell/runtime/fusion.py).

Every scenario runs three ways: fast paths on (fusion among them), fast paths off, and fast paths on with
fusion alone off. Output, errors, ``$?``, the stored users and the audit trail must agree. Paths of the
run's own folder are normalised (each run has its own folder). A damaged store met while a fused
pipeline opens or reads it once escaped the commands' guards (the error lost "Get-CsUser :" and its
FullyQualifiedErrorId suffix); fusion.run_fused now asks each command under its own guard.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_fast_paths import Run, ambiguous_sip_store, fixed_clock  # noqa: F401  (the fixture is used by name)

from csshell.engine import Engine
from csshell.runtime import fast_paths, fusion
from csshell.runtime.host import BufferHost
from csshell.store import open_store

P = "Get-CsUser | Get-CsClientPinInfo"
Between = Callable[[Path, int], None]


def _normalised(text: str, folder: Path) -> str:
    return re.sub(r"\d{8}-\d{6}", "<TS>", text.replace(str(folder), "<DIR>"))


def _run(texts: list[str], folder: Path, seed: Path | None, mode: str, answers: list[str] | None,
         between: Between | None) -> tuple:
    folder.mkdir(parents=True)
    store_path = folder / "store.json"
    if seed is not None:
        shutil.copyfile(seed, store_path)
    host = BufferHost(width=160, interactive=answers is not None, answers=list(answers or []))
    engine = Engine(host, lambda: open_store(str(store_path), lock_timeout=2), cwd=str(folder))
    oks = []
    original = fusion.run_fused
    try:
        for index, text in enumerate(texts):
            if between is not None and index:
                between(store_path, index)
            if mode == "slow":
                with fast_paths.disabled():
                    oks.append(engine.run_command_text(text))
            elif mode == "unfused":
                fusion.run_fused = lambda processors: False
                try:
                    oks.append(engine.run_command_text(text))
                finally:
                    fusion.run_fused = original
            else:
                oks.append(engine.run_command_text(text))
        run = Run(engine, host, all(oks))
        return (_normalised(run.stdout, folder), _normalised(run.stderr, folder), oks, run.users, run.audit)
    finally:
        engine.close()


def three_ways(texts: str | list[str], tmp_path: Path, seed: Path | None, answers: list[str] | None = None,
               between: Between | None = None) -> tuple:
    """Fused, fast paths off, and fast paths on without fusion: all must agree. Returns the fused facts."""
    texts = [texts] if isinstance(texts, str) else texts
    fused = _run(texts, tmp_path / "fused", seed, "fast", answers, between)
    slow = _run(texts, tmp_path / "slow", seed, "slow", answers, between)
    unfused = _run(texts, tmp_path / "unfused", seed, "unfused", answers, between)
    assert fused == unfused
    assert fused == slow
    return fused


# --- Where-Object filters --------------------------------------------------------------------------

FILTERS = [
    "{$_.islockedout}", "{$PSItem.IsLockedOut}", "{$_.IsLockedOut -eq 'True'}", "{'True' -eq $_.IsLockedOut}",
    "{$_.IsLockedOut + 1}", "{$_.IsLockedOut, $false}", "{,$_.IsLockedOut}", "{@($_.IsLockedOut)}",
    "{($_.IsLockedOut)}", "{-not $_.IsLockedOut}", "{!$_.IsPinSet}", "{$_.IsLockedOut -is [bool]}",
    "{[int]$_.IsLockedOut}", "{$_.LastPinChangeTime -gt '2026-01-01'}", "{$_.LastPinChangeTime.Year -eq 2026}",
    "{$_.LastPinChangeTime -gt 5}", "{$_.LastPinChangeTime -lt (Get-Date)}", "{$_.LastPinChangeTime.AddDays}",
    "{$_.LastPinChangeTime - $_.LastPinChangeTime}", "{$_.LastPinChangeTime.Ticks % 2}",
    "{$_.PinExpirationTime -eq $null}", "{$null -eq $_.LastPinChangeTime}", "{$_.PinExpirationTime.Year}",
    "{1 / $_.LastPinChangeTime.Month}", "{$_.Identity[4] -eq 'k'}", "{$_.Identity -like 'sip:k*'}",
    "{$_.Identity -match 'k'}", "{$_.Identity -replace 'sip:', ''}", "{$_.Identity.Length -gt 24}",
    "{$_.Identity.NoSuch}", "{$_.Identity -in 'sip:pilar@litwareinc.com', 'sip:kenmyer@litwareinc.com'}",
    "{$_.IsPinSet / $_.IsLockedOut}", "{1 / [int]$_.IsPinSet -or $true}", "{$?}", "{$MyInvocation.Line}",
    "{$PSCmdlet}", "{$this}", "{$PSBoundParameters.Count -eq 0}", "{$_.IsLockedOut -and $x}",
    "{$_.IsLockedOut -eq $x}", "{$_.IsLockedOut -eq $undefined}",
    "IsLockedOut -ne 0", "IsLockedOut -ne 1", "IsLockedOut -gt $null", "IsLockedOut -ne", "IsLockedOut -Like 'T*'",
    "Identity -Match 'ken'", "Identity -CMatch 'Ken'", "LastPinChangeTime -gt '2026-01-01'",
    "LastPinChangeTime -gt 'garbage'", "PinExpirationTime -eq $null", "Identity -in 'sip:pilar@litwareinc.com'",
    "Identity -Contains 'sip:pilar@litwareinc.com'", "IsLockedOut -Is [bool]", "IsLockedOut -Is 'nosuchtype'",
    "-Value $true -Property IsLockedOut", "-Property IsLockedOut -EQ -Value $true", "islockedout", "IsLocked*",
    "-FilterScript {$_.IsLockedOut}", "-Property IsLockedOut -Value $true", "IsLockedOut -eq $true -ne",
    "IsLockedOut -eq @($true)", "IsLockedOut -eq {$true}", "Identity -Like {*ken*}", "IsLockedOut -CEQ $true",
]


@pytest.mark.parametrize("where", FILTERS)
def test_filters_alike(where: str, tmp_path: Path, seeded_store_file: Path, fixed_clock: None) -> None:  # noqa: F811
    three_ways(f"$x = $true; {P} | Where-Object {where} | % {{\"$? $($_.Identity)\"}}; $?; $Error.Count",
               tmp_path, seeded_store_file)


@pytest.mark.parametrize("text", [
    f"Set-StrictMode -Version Latest; {P} | Where-Object {{$_.IsLockedOut -eq $undefinedvar}} | % Identity",
    f"Set-StrictMode -Version Latest; {P} | Where-Object {{$_.Identity.NoSuch}} | % Identity",
    f"1/0; {P} | Where-Object {{$?}} | % Identity",
    f"1/0; {P} | Where-Object {{$_.IsLockedOut}} | % {{$?}}",
    f"$private:x = $true; {P} | Where-Object {{$_.IsLockedOut -eq $x}} | % Identity",
    f"$n = 0; {P} | Where-Object {{$_.IsPinSet -and $n -lt 2}} | ForEach-Object {{$n++; $_.Identity}}",
    f"{P} | Where-Object {{$_.IsLockedOut -and $Error.Count -lt 2}} | % {{ Write-Error x; $_.Identity }}; $?",
    f"{P} | Where-Object {{$_.IsLockedOut}} | % {{ 1/0 }}; $?",
    f"{P} | Where-Object {{10 / [int]$_.IsPinSet}}; $?; $Error.Count",
    f"$ErrorActionPreference='Stop'; {P} | Where-Object {{$_.IsLockedOut / [int]$_.IsPinSet}} | % {{\"got $_\"}}; 'x'",
    f"$ErrorActionPreference='Stop'; try {{ {P} | Where-Object {{$_.IsLockedOut / [int]$_.IsPinSet}} | "
    f"Unlock-CsClientPin }} catch {{ \"caught $_\" }}; {P} | % IsLockedOut",
    f"$ErrorActionPreference='SilentlyContinue'; {P} | Where-Object {{1 / [int]$_.IsPinSet}} | Unlock-CsClientPin; "
    "$?; $Error.Count; $Error[0]",
    f"{P} | Where-Object {{$_.IsLockedOut / 0}} 2>&1 | % {{\"got $_\"}}",
    f"{P} | Where-Object {{$_.IsLockedOut / 0}} -ErrorAction SilentlyContinue | % {{\"got $_\"}}; $Error.Count",
    f"{P} | Where-Object {{$_.IsLockedOut / 0}} 2>> err.txt; (Get-Content err.txt).Count",
    f"{P} | Where-Object {{$_.IsLockedOut / 0}} *> all.txt; (Get-Content all.txt).Count",
    f"& {{ {P} | Where-Object {{$_.IsLockedOut / 0}} }} 2>&1 | % {{ \"[$_]\" }}",
    f"& {{ {P} | Where-Object {{$_.IsLockedOut / 0}} }} 2>$null; $?; $Error.Count",
    f"$e = & {{ {P} | Where-Object {{$_.IsLockedOut / 0}} }} 2>&1; $e.Count; $e[0].GetType().Name",
    f"$a = @{{FilterScript = {{$_.IsLockedOut}}}}; {P} | Where-Object @a | Unlock-CsClientPin",
    f"$f = {{$_.IsLockedOut}}; {P} | Where-Object $f | % Identity",
    f"{P} | Where-Object {{$_.IsPinSet}} | Where-Object {{-not $_.IsLockedOut}} | Where-Object IsPinSet | Lock-CsClientPin",
    f"{P} | Where-Object {{$_.IsPinSet}} | Where-Object {{1 / [int]$_.IsLockedOut}} | Lock-CsClientPin; $?",
])
def test_filter_state_and_errors_alike(text: str, tmp_path: Path, seeded_store_file: Path,
                                       fixed_clock: None) -> None:  # noqa: F811
    three_ways(text, tmp_path, seeded_store_file)


# --- the commands around the fused ones ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    f"function Get-CsClientPinInfo {{ process {{ \"fn $($_.SipAddress)\" }} }}; {P} | Where-Object {{$_}}",
    f"function Where-Object {{ process {{ \"fn $_\" }} }}; {P} | Where-Object {{$_.IsLockedOut}}",
    f"function Get-CsUser {{ 'x' }}; {P} | Where-Object {{$_.IsLockedOut}}",
    f"function Unlock-CsClientPin {{ process {{ \"fn $($_.Identity)\" }} }}; {P} | Where-Object {{$_.IsLockedOut}} | "
    "Unlock-CsClientPin",
    f"{P} | Lock-CsClientPin; {P} | % IsLockedOut",
    f"Get-CsUser | Lock-CsClientPin; {P} | % IsLockedOut",
    f"{P} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin -Identity 'Ken Myer'",
    f"{P} | Where-Object IsLockedOut | Lock-CsClientPin -Force | % {{ 'x' }}",
    f"{P} | Where-Object IsLockedOut | Unlock-CsClientPin -Force:$false",
    f"{P} | Where-Object IsLockedOut | Unlock-CsClientPin -WhatIf:$false",
    f"{P} | Where-Object {{$_.IsLockedOut}} 2>&1 | Unlock-CsClientPin",
    f"{P} -PipelineVariable p | Where-Object {{$_.IsLockedOut}} | % {{$p.Identity}}",
    f"Get-CsUser -PipelineVariable u | Get-CsClientPinInfo | Where-Object {{$_.IsLockedOut}} | % {{$u.DisplayName}}",
    f"{P} -OutVariable o | Where-Object {{$_.IsLockedOut}} | Out-Null; $o.Count",
    f"Get-CsUser -OutVariable o | Get-CsClientPinInfo | Where-Object {{$_.IsLockedOut}} | Out-Null; $o.Count",
    f"{P} | Where-Object {{$_.IsLockedOut}} -PipelineVariable w | % {{$w.Identity}}",
    f"{P} | Where-Object {{$_.IsLockedOut}} | Tee-Object -Variable t | Unlock-CsClientPin; $t.Count; "
    "$t | % IsLockedOut",
    f"{P} | Where-Object {{$_.IsLockedOut}} | Sort-Object Identity -Descending | Unlock-CsClientPin",
    f"{P} | Where-Object {{$_.IsLockedOut}} | Select-Object -First 1 | Unlock-CsClientPin; {P} | % IsLockedOut",
    f"{P} | Select-Object -First 0",
    f"{P} | Where-Object {{$_.IsLockedOut}} | Select-Object -First 0",
    f"{P} | Where-Object {{$_.IsPinSet}} | Select-Object -First 2 | % {{ Lock-CsClientPin $_.Identity; $_.Identity }}; "
    f"{P} | % IsLockedOut",
    f"$r = {P} | Where-Object {{$_.IsLockedOut}}; $r.Count; $r[0].GetType().FullName; $r | gm | Out-String",
    f"foreach ($i in {P} | Where-Object IsLockedOut) {{ $i.Identity }}",
    f"@({P} | Where-Object IsLockedOut).Count",
    f"foreach ($k in 1..2) {{ {P} | Where-Object IsPinSet | % {{ if ($_.Identity -like '*pilar*') {{ break }}; "
    "$_.Identity } }; 'after'",
    f"{P} > out.txt; Get-Content out.txt",
    f"{P} | Where-Object IsLockedOut >> out.txt; Get-Content out.txt",
    f"{P} | Where-Object IsLockedOut 3>&1",
    f"{P} | Where-Object IsLockedOut | Unlock-CsClientPin *>&1",
    f"& {{ {P} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin }}; $?",
    f"function f {{ {P} | Where-Object {{$_.IsLockedOut -eq $args[0]}} }}; f $true",
    f"function f($v) {{ {P} | Where-Object {{$_.IsLockedOut -eq $v}} | % Identity }}; f $true",
    f"function f {{ process {{ $_ }} }}; {P} | f | Where-Object {{$_.IsLockedOut}} | % Identity",
    "function f { $input | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} }; Get-CsUser | f",
    f"function f {{ [CmdletBinding()] param() {P} | Where-Object {{$_.IsLockedOut / 0}} }}; "
    "f -ErrorAction SilentlyContinue; $?; $Error.Count",
    f"function f {{ [CmdletBinding()] param() {P} | Where-Object {{$_.IsLockedOut / 0}} }}; f -ErrorAction Stop; 'x'",
    f"function f {{ [CmdletBinding(SupportsShouldProcess)] param() {P} | Where-Object {{$_.IsLockedOut}} | "
    "Unlock-CsClientPin }; f -WhatIf",
    f"function f {{ [CmdletBinding(SupportsShouldProcess)] param() {P} | Where-Object {{$_.IsLockedOut}} | "
    f"Unlock-CsClientPin }}; f -Confirm:$false; {P} | % IsLockedOut",
    f"function f {{ [CmdletBinding()] param() {P} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin }}; f -Verbose",
])
def test_surrounding_commands_alike(text: str, tmp_path: Path, seeded_store_file: Path,
                                    fixed_clock: None) -> None:  # noqa: F811
    three_ways(text, tmp_path, seeded_store_file)


# --- ShouldProcess: preferences, switches and prompts -----------------------------------------------

UNLOCK = f"{P} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin"


@pytest.mark.parametrize("text", [
    f"$ConfirmPreference = 'Low'; {UNLOCK}; $?",
    f"$ConfirmPreference = 'Low'; {UNLOCK} -Force; $?",
    f"$ConfirmPreference = 'Medium'; {UNLOCK}; $?",
    f"$ConfirmPreference = 'None'; {UNLOCK}; $?",
    f"$WhatIfPreference = $true; {UNLOCK} -Force",
    f"$WhatIfPreference = $true; {P} | Lock-CsClientPin",
    f"{UNLOCK} -Confirm:$false",
    f"{UNLOCK} -Confirm",
    f"{UNLOCK} -Verbose",
    f"$VerbosePreference = 'Continue'; {UNLOCK}",
    f"$DebugPreference = 'Continue'; {UNLOCK}",
    f"$ErrorActionPreference = 'Stop'; $ConfirmPreference = 'Low'; try {{ {UNLOCK} }} catch {{ \"caught: $_\" }}; "
    "$Error.Count",
    f"$a = @{{Force = $true}}; {UNLOCK} @a",
    f"$a = @{{WhatIf = $true}}; {UNLOCK} @a",
    f"{P} | Where-Object {{$_.IsLockedOut}} | % {{ $WhatIfPreference = $true; $_ }} | Unlock-CsClientPin",
])
def test_should_process_alike(text: str, tmp_path: Path, seeded_store_file: Path,
                              fixed_clock: None) -> None:  # noqa: F811
    three_ways([text, f"{P} | % {{ $_.Identity + ' ' + $_.IsLockedOut }}"], tmp_path, seeded_store_file)


@pytest.mark.parametrize("answers", [["Y"], ["N"], ["A"], ["L"], ["Y", "N", "Y", "N", "A"], ["?", "Y", "S", "N"],
                                     ["x", "", "Y"], ["N"] * 20, ["Y", "L"]])
@pytest.mark.parametrize("text", [f"$ConfirmPreference = 'Low'; {P} | Where-Object {{$_.IsPinSet}} | Lock-CsClientPin",
                                  f"{P} | Where-Object {{$_.IsPinSet}} | Lock-CsClientPin -Confirm"])
def test_answered_prompts_alike(text: str, answers: list[str], tmp_path: Path, seeded_store_file: Path,
                                fixed_clock: None) -> None:  # noqa: F811
    three_ways([text + "; $?", f"{P} | % IsLockedOut"], tmp_path, seeded_store_file, answers=answers)


# --- Get-CsUser's selection ------------------------------------------------------------------------

@pytest.mark.parametrize("source", [
    "Get-CsUser -Identity 'Ken*'", "Get-CsUser -Identity '*'", "Get-CsUser -Identity 'Chris Cannon'",
    "Get-CsUser -Identity 'sip:pilar@litwareinc.com'", "Get-CsUser -Identity 'litwareinc\\pilar'",
    "Get-CsUser -Identity 'CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com'", "Get-CsUser -Identity 'nobody'",
    "Get-CsUser -Identity ''", "Get-CsUser -Identity $null", "Get-CsUser -OU 'OU=Redmond,DC=litwareinc,DC=com'",
    "Get-CsUser -OU 'Redmond'", "Get-CsUser -OU 'OU=Nowhere,DC=x'", "Get-CsUser -LdapFilter 'Title=Manager'",
    "Get-CsUser -LdapFilter '((('", "Get-CsUser -Filter 'garbage here'",
    "Get-CsUser -Filter {DisplayName -like 'Ken*'} -LdapFilter 'Title=Manager'",
    "$d = 'Sales'; Get-CsUser -Filter {Department -eq $d}",
    "Set-StrictMode -Version Latest; Get-CsUser -Filter {Department -eq $nope}",
    "Get-CsUser -UnAssignedUser", "Get-CsUser -OnLyncServer", "Get-CsUser -OnOfficeCommunicationServer",
    "Get-CsUser -ResultSize 0", "Get-CsUser -ResultSize -1", "Get-CsUser -DomainController dc1", "Get-CsAdUser",
    "$PSDefaultParameterValues = @{'Get-CsUser:Identity' = 'Ken*'}; Get-CsUser",
])
def test_sources_alike(source: str, tmp_path: Path, seeded_store_file: Path, fixed_clock: None) -> None:  # noqa: F811
    three_ways(f"{source} | Get-CsClientPinInfo | Where-Object {{$_.IsPinSet}} | Lock-CsClientPin; $?; "
               f"{P} | % IsLockedOut", tmp_path, seeded_store_file)


def test_empty_directory_alike(tmp_path: Path, fixed_clock: None) -> None:  # noqa: F811
    three_ways([f"{UNLOCK}; $?", f"{P} | Where-Object IsPinSet; $?; @({P}).Count"], tmp_path, None)


def test_sip_text_that_is_another_users_display_name_alike(tmp_path: Path, fixed_clock: None) -> None:  # noqa: F811
    seed = ambiguous_sip_store(tmp_path)
    texts = [f"{P} | Where-Object {{$_.IsPinSet}} | Lock-CsClientPin; $?", f"{P} | % IsLockedOut"]
    # fast paths off resolve the SIP text (ambiguous: the intended difference); fused and unfused must agree
    fused = _run(texts, tmp_path / "fused", seed, "fast", None, None)
    unfused = _run(texts, tmp_path / "unfused", seed, "unfused", None, None)
    assert fused == unfused


# --- the store changing under the pipeline ---------------------------------------------------------

CHANGES = [
    "Disable-CsUser 'Ken Myers' -Confirm:$false",
    "Set-CsUser 'Pilar Ackerman' -SipAddress sip:pa@litwareinc.com",
    "Set-CsClientPin 'Pilar Ackerman' -Pin 12345678 | Out-Null",
    "Lock-CsClientPin 'Lisa Jacobson'",
    "Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin",
    "Test-CsDialInPin 'Pilar Ackerman' 0000; Test-CsDialInPin 'Ken Myers' 1111",
]


@pytest.mark.parametrize("change", CHANGES)
@pytest.mark.parametrize("shape", [
    "{P} | Where-Object {{-not $_.IsLockedOut}} | % {{ {change}; $_.Identity }}",
    "{P} | Where-Object {{$_.IsPinSet}} | % {{ {change}; $_ }} | Lock-CsClientPin",
    "{P} | % {{ if ($_.Identity -like 'sip:kenmyer@*') {{ {change} }}; $_ }} | Where-Object IsLockedOut | "
    "Unlock-CsClientPin",
])
def test_downstream_changes_alike(change: str, shape: str, tmp_path: Path, seeded_store_file: Path,
                                  fixed_clock: None) -> None:  # noqa: F811
    three_ways([shape.format(P=P, change=change) + "; $?", f"{P} | % {{ $_.Identity + ' ' + $_.IsLockedOut }}"],
               tmp_path, seeded_store_file)


def test_import_mid_pipeline_alike(tmp_path: Path, seeded_store_file: Path,
                                   fixed_clock: None) -> None:  # noqa: F811
    csv = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"
    lines = csv.read_text(encoding="utf-8").splitlines()
    changed = [lines[0]] + [line.replace(",True,True,", ",True,False,") for line in reversed(lines[1:])
                            if not line.startswith("Pilar Ackerman,")]
    other = tmp_path / "other.csv"
    other.write_text("\n".join(changed) + "\n", encoding="utf-8")
    imp = f"Import-CsDirectory '{other}' -Confirm:$false | Out-Null"
    three_ways([f"{P} | Where-Object {{$_.IsPinSet}} | % {{ if ($_.Identity -like '*kenmyer@*') {{ {imp} }}; $_ }} | "
                "Lock-CsClientPin; $?", f"{P} | % {{ $_.Identity + ' ' + $_.IsLockedOut }}"],
               tmp_path, seeded_store_file)


def _other_engine(store_path: Path, text: str) -> None:
    host = BufferHost(width=160)
    engine = Engine(host, lambda: open_store(str(store_path), lock_timeout=2), cwd=str(store_path.parent))
    try:
        engine.run_command_text(text)
    finally:
        engine.close()


OTHER = ["Lock-CsClientPin 'Ken Myer'", "Unlock-CsClientPin 'Pilar Ackerman'", "Disable-CsUser 'Ken Myerson' -Confirm:$false",
         "Set-CsUser 'Pilar Ackerman' -SipAddress sip:pa@litwareinc.com",
         "Unlock-CsClientPin 'Ken Myers'; Lock-CsClientPin 'Aidan Delaney'"]


@pytest.mark.parametrize("other", OTHER)
def test_other_engine_between_statements_alike(other: str, tmp_path: Path, seeded_store_file: Path,
                                   fixed_clock: None) -> None:  # noqa: F811
    three_ways([f"{P} | Out-Null", f"{UNLOCK}; $?", f"{P} | Where-Object IsPinSet | Lock-CsClientPin; $?",
                f"{P} | % {{ $_.Identity + ' ' + $_.IsLockedOut }}"], tmp_path, seeded_store_file,
               between=lambda path, index: _other_engine(path, other) if index in (1, 2) else None)


@pytest.mark.parametrize("other", OTHER)
@pytest.mark.parametrize("shape", [
    "{P} | Where-Object {{$_.IsPinSet}} | % {{ if ($_.Identity -like 'sip:kenmyer@*') {{ Start-Sleep 1 }}; $_ }} | "
    "Lock-CsClientPin",
    "{P} | Where-Object {{-not $_.IsLockedOut}} | % {{ if ($_.Identity -like 'sip:kenmyer@*') {{ Start-Sleep 1 }}; "
    "$_.Identity }}",
    "{P} | % {{ if ($_.Identity -like 'sip:kenmyer@*') {{ Start-Sleep 1 }}; $_ }} | Where-Object IsLockedOut | "
    "Unlock-CsClientPin",
])
def test_other_engine_mid_pipeline_alike(other: str, shape: str, tmp_path: Path, seeded_store_file: Path,
                                         fixed_clock: None, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """Another engine on the same file changes the store while the pipeline runs (``Start-Sleep`` is the hook)."""
    from cmdlets.host_io import StartSleep
    current: dict[str, Path] = {}

    def hook(self: Any, ctx: Any) -> None:
        _other_engine(current["store"], other)
    monkeypatch.setattr(StartSleep, "process", hook)

    def remember(path: Path, index: int) -> None:
        current["store"] = path
    # the first statement only tells the hook which store file this run uses
    three_ways(["'start'", shape.format(P=P) + "; $?", f"{P} | % {{ $_.Identity + ' ' + $_.IsLockedOut }}"],
               tmp_path, seeded_store_file, between=remember)


# --- a store damaged while fused pipelines open or read it --------------------------------------------


def _damage(kind: str) -> Between:
    saved: dict[str, bytes] = {}

    def between(path: Path, index: int) -> None:
        if index == 1:
            saved["bytes"] = path.read_bytes()
            if kind == "corrupt":
                path.write_text("not json{")
            elif kind == "empty":
                path.write_text("")
            else:
                os.remove(path)
        elif index == 2:
            path.write_bytes(saved["bytes"])
    return between


@pytest.mark.parametrize("kind", [
    "corrupt",
    "empty",
    "removed",
])
def test_store_damaged_by_another_process_between_statements(kind: str, tmp_path: Path, seeded_store_file: Path,
                                                             fixed_clock: None) -> None:  # noqa: F811
    """Unfused: ``Get-CsUser : The store file ... is damaged`` (FullyQualifiedErrorId ``StoreCorrupt,...GetOcsUserCmdlet``,
    the extent under Get-CsUser). Fused: no ``Get-CsUser :`` prefix, ``CategoryInfo : InvalidData: (:) []``,
    FullyQualifiedErrorId ``StoreCorrupt``, the whole pipeline underlined."""
    three_ways(["Get-CsUser 'Ken Myer' | Out-Null", f"{UNLOCK}; $?",
                "$Error[0].FullyQualifiedErrorId; $Error[0].CategoryInfo.Activity"],
               tmp_path, seeded_store_file, between=_damage(kind))


def test_store_damaged_by_another_process_with_an_identity_alike(tmp_path: Path, seeded_store_file: Path,
                                                                 fixed_clock: None) -> None:  # noqa: F811
    """With -Identity, pipeline_source catches the error and the ordinary process reports it."""
    three_ways(["Get-CsUser 'Ken Myer' | Out-Null", f"Get-CsUser 'Ken*' | Get-CsClientPinInfo | Where IsLockedOut | "
                "Unlock-CsClientPin; $?", "$Error[0].FullyQualifiedErrorId"], tmp_path, seeded_store_file,
               between=_damage("corrupt"))


@pytest.mark.parametrize("text", [
    f"{P}; $?; $Error[0].FullyQualifiedErrorId",
    "Get-CsUser 'Ken*' | Get-CsClientPinInfo; $?; $Error[0].FullyQualifiedErrorId",
    f"{P} 2>$null; $?; $Error[0].FullyQualifiedErrorId",
    f"try {{ {UNLOCK} }} catch {{ $_.FullyQualifiedErrorId; $_.CategoryInfo.Activity; $_.TargetObject }}",
    "Get-CsUser; $?; $Error[0].FullyQualifiedErrorId",
])
def test_damaged_store_opened_by_the_pipeline(text: str, tmp_path: Path, fixed_clock: None) -> None:  # noqa: F811
    """The first statement opens a damaged store: the error must be Get-CsUser's, fused or not."""
    seed = tmp_path / "bad.json"
    seed.write_text("not json{")
    three_ways(text, tmp_path, seed)

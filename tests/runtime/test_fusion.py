"""Stage fusion (csshell/runtime/fusion.py) changes nothing but speed.

Each pipeline runs with fast paths (fusion among them) and without; output, errors, ``$?``, stored users
and the audit trail must agree. Other tests check that fusion really is what ran, and that the commands
it may not fuse (common parameters, redirections, unknown properties) run the ordinary way.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from test_fast_paths import both_ways, fixed_clock  # noqa: F401  (the fixture is used by name)

from csshell.engine import Engine
from csshell.runtime import fusion
from csshell.runtime.host import BufferHost
from csshell.store import open_store

PIPE = "Get-CsUser | Get-CsClientPinInfo"


@pytest.mark.parametrize("text", [
    f"{PIPE} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin",
    f"{PIPE} | Where-Object {{$_.IsLockedOut -eq $True}} | Unlock-CsClientPin -Force; $?",
    f"{PIPE} | Where-Object {{-not $_.IsLockedOut}} | Lock-CsClientPin; {PIPE} | Format-Table -AutoSize",
    f"{PIPE} | Where-Object IsLockedOut | Format-Table Identity",
    f"{PIPE} | Where-Object IsLockedOut -eq $false | Select-Object -First 3 Identity",
    f"{PIPE} | Where IsPinSet -ne $true",
    f"{PIPE} | ? {{$_.Identity -like '*ken*'}} | Unlock-CsClientPin",
    f"$want = $true; {PIPE} | Where-Object {{$_.IsLockedOut -eq $want}} | Measure-Object | % Count",
    f"{PIPE} | Where-Object {{$_.LastPinChangeTime -lt [datetime]'2026-02-01'}} | % Identity",
    f"{PIPE} | Where-Object {{$_.PinExpirationTime}} | % Identity",
    f"{PIPE} | Select-Object -First 2",
    f"{PIPE} | Where-Object {{$_.IsLockedOut / 0}}; $?",                    # fails per object: the ordinary way
    f"{PIPE} | Where-Object {{$_.NoSuchProperty}}; {PIPE} | Where-Object {{$_}} | % Identity",
    f"{PIPE} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin -WhatIf",
    f"$WhatIfPreference = $true; {PIPE} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin",
    f"{PIPE} | Where-Object {{$_.IsLockedOut}} -OutVariable kept | Unlock-CsClientPin; $kept.Count",
    f"{PIPE} 2>$null | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin",
    "Get-CsUser -Identity 'Ken*' | Get-CsClientPinInfo | Where-Object {$_.IsPinSet} | Lock-CsClientPin",
    "Get-CsUser -Identity 'Nobody*' | Get-CsClientPinInfo | Where-Object {$_.IsPinSet}; $?",
    "Get-CsUser -Filter {Department -eq 'Research'} | Get-CsClientPinInfo | Where-Object {!$_.IsLockedOut}",
    f"Get-CsUser -ResultSize 3 | Get-CsClientPinInfo | Where-Object {{$_.IsPinSet}}",
    # a downstream command changes users that have not reached the filter yet: the same interleaving
    f"{PIPE} | Where-Object {{-not $_.IsLockedOut}} | ForEach-Object {{ Lock-CsClientPin 'Pilar Ackerman' }}; "
    f"{PIPE} | % IsLockedOut",
    f"{PIPE} | Where-Object {{$_.IsLockedOut}} | ForEach-Object {{ Unlock-CsClientPin $_.Identity; "
    f"Get-CsClientPinInfo 'Ken Myers' | % IsLockedOut }}",
])
def test_fused_pipelines_alike(text: str, tmp_path: Path, seeded_store_file: Path,
                               fixed_clock: None) -> None:  # noqa: F811
    both_ways(text, tmp_path, seeded_store_file)


def test_a_user_gone_meanwhile_goes_the_ordinary_way(tmp_path: Path, seeded_store_file: Path,
                                                     fixed_clock: None) -> None:  # noqa: F811
    """A user disabled by a downstream command before its turn: the ordinary path reports it, fused or not."""
    run = both_ways(f"{PIPE} | Where-Object {{$_.IsPinSet}} | ForEach-Object {{ Disable-CsUser 'Pilar Ackerman' "
                    "-Confirm:$false -ErrorAction SilentlyContinue; $_.Identity }", tmp_path, seeded_store_file)
    assert 'Get-CsClientPinInfo : Management object not found for identity "sip:pilar@' in run.stderr
    assert "sip:pilar@" not in run.stdout and "sip:kenmyer@" in run.stdout


def _engine(tmp_path: Path, seed: Path) -> tuple[Engine, BufferHost]:
    folder = tmp_path / "store"
    folder.mkdir()
    shutil.copyfile(seed, folder / "store.json")
    host = BufferHost(width=160)
    return Engine(host, lambda: open_store(str(folder / "store.json")), cwd=str(folder)), host


def _count_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each command's ordinary ``process`` ran."""
    from cmdlets.clientpin import GetCsClientPinInfo, UnlockCsClientPin
    from cmdlets.objects import WhereObject
    calls: dict[str, int] = {}
    for cls in (GetCsClientPinInfo, WhereObject, UnlockCsClientPin):
        original = cls.process

        def counted(self: Any, ctx: Any, original: Any = original, name: str = cls.name) -> None:
            calls[name] = calls.get(name, 0) + 1
            original(self, ctx)
        monkeypatch.setattr(cls, "process", counted)
    return calls


def test_the_bulk_pipeline_really_runs_fused(tmp_path: Path, seeded_store_file: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch)
    engine, host = _engine(tmp_path, seeded_store_file)
    try:
        assert engine.run_command_text(f"{PIPE} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin"), host.stderr
        assert calls == {}                               # no object went through any ordinary process
        assert engine.run_command_text(f"{PIPE} | % IsLockedOut")
        assert "True" not in host.stdout and "False" in host.stdout
        assert len(engine.session.store.directory.audit_entries()) > 0
    finally:
        engine.close()


@pytest.mark.parametrize("text, ordinary", [
    (f"{PIPE} | Where-Object {{$_.IsLockedOut}} -ErrorAction Stop | Unlock-CsClientPin", "Where-Object"),
    (f"{PIPE} | Where-Object {{$_.IsLockedOut}} | Unlock-CsClientPin -Confirm:$false", "Unlock-CsClientPin"),
    (f"{PIPE} | Where-Object {{$_.Count}} | Unlock-CsClientPin", "Where-Object"),
    (f"{PIPE} | Where-Object {{$x = $_; $x.IsLockedOut}} | Unlock-CsClientPin", "Where-Object"),
    (f"{PIPE} -ErrorVariable e | Where-Object {{$_.IsLockedOut}}", "Get-CsClientPinInfo"),
])
def test_commands_with_their_own_settings_are_not_fused(text: str, ordinary: str, tmp_path: Path,
                                                         seeded_store_file: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_calls(monkeypatch)
    engine, _ = _engine(tmp_path, seeded_store_file)
    try:
        engine.run_command_text(text)
    finally:
        engine.close()
    assert calls.get(ordinary, 0) > 0


def test_fusion_needs_two_commands_that_agree() -> None:
    class Processor:
        def __init__(self) -> None:
            self.binding = type("B", (), {"common": {}, "delayed": {}})()
            self.redirected = False
    assert fusion.fusable(Processor())
    redirected = Processor()
    redirected.redirected = True
    assert not fusion.fusable(redirected)
    assert not fusion.run_fused([Processor()])           # one command: nothing to fuse

"""Get-CsAuditEntry and Export-CsAuditEntry (emulator extensions), through a real engine."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import RunText, engine_runner

from csshell.engine import Engine
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.session import local_account
from csshell.store import clock, pins

FIXED = dt.datetime(2100, 3, 20, 14, 5, 9)       # after the seed import, whenever the tests run
KEN = "sip:kenmyer@litwareinc.com"


@pytest.fixture
def shell(tmp_path: Path, seeded_store_file: Path, monkeypatch) -> Iterator[tuple[RunText, Engine]]:
    """A copy of the examples store where Ken is locked and unlocked, Pilar unlocked, a policy changed (at FIXED)."""
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    run_text, engine = engine_runner(tmp_path)
    monkeypatch.setattr(clock, "now", lambda: FIXED)
    assert run_text('Lock-CsClientPin "Ken Myer"; Unlock-CsClientPin "Ken Myer"; Unlock-CsClientPin "Pilar Ackerman"; '
                    "Set-CsPinPolicy -PINLifetime 0") == ("", "")
    yield run_text, engine
    engine.close()


def test_both_are_declared_extensions() -> None:
    get, export = find_cmdlet("Get-CsAuditEntry"), find_cmdlet("Export-CsAuditEntry")
    assert get.extension and export.extension and export.supports_should_process
    assert get.declared["user"].position == 0 and get.declared["user"].from_pipeline_by_property
    assert export.declared["path"].position == 0 and export.declared["path"].mandatory
    assert export.declared["format"].validate_set == ("Csv", "Json")


def test_default_view_is_a_table_of_time_actor_action_target(shell) -> None:
    run, _ = shell
    out, err = run('Get-CsAuditEntry -User "Ken Myer"')
    account = local_account()
    width = max(len("Actor"), len(account))
    assert err == ""
    assert out.splitlines()[1:5] == [
        f"Time                 {'Actor'.ljust(width)} Action             Target",
        f"----                 {'-----'.ljust(width)} ------             ------",
        f"3/20/2100 2:05:09 PM {account.ljust(width)} Lock-CsClientPin   {KEN}",
        f"3/20/2100 2:05:09 PM {account.ljust(width)} Unlock-CsClientPin {KEN}"]


def test_entries_are_typed_objects_with_every_field(shell) -> None:
    run, _ = shell
    out, _ = run("$e = Get-CsAuditEntry -Last 1; $e.Time -is [datetime]; $e.Time.Year; $e.Origin; $e.Action; "
                 "$e.Target; ($e | Get-Member | Select-Object -First 1).TypeName; "
                 "($e | Get-Member -MemberType Property).Count")
    assert out.splitlines() == ["True", "2100", "console", "Set-CsPinPolicy", "Global", "Csshell.AuditEntry", "6"]


def test_filters_combine(shell) -> None:
    run, _ = shell
    assert run("Get-CsAuditEntry -Action Unlock-* | % Target") == (f"{KEN}\nsip:pilar@litwareinc.com\n", "")
    assert run("Get-CsAuditEntry -Action *PinPolicy -Actor * -Origin console | % Target") == ("Global\n", "")
    assert run('Get-CsAuditEntry -User "Pilar*" -Action Lock-* | Measure-Object | % Count') == ("0\n", "")
    assert run("(Get-CsAuditEntry -After '3/20/2100 2:05:08 PM' -Before '3/20/2100 2:05:10 PM').Count") == ("4\n", "")
    assert run("(Get-CsAuditEntry -After '3/20/2100 2:05:09 PM').Count") == ("0\n", "")
    assert run("Get-CsAuditEntry -Last 2 | % Action") == ("Unlock-CsClientPin\nSet-CsPinPolicy\n", "")


def test_users_bind_from_the_pipeline(shell) -> None:
    run, _ = shell
    out, err = run('Get-CsUser "Ken*" | Get-CsAuditEntry | % Action')
    assert (out, err) == ("Lock-CsClientPin\nUnlock-CsClientPin\n", "")
    assert run('"pilar@litwareinc.com" | Get-CsAuditEntry | % Action') == ("Unlock-CsClientPin\n", "")


def test_a_users_entries_are_found_after_the_sip_address_changed_or_went(shell) -> None:
    run, _ = shell
    assert run('Lock-CsClientPin "Ken Myerson"; Set-CsUser "Ken Myerson" -SipAddress sip:kenm@litwareinc.com; '
               'Disable-CsUser "Ken Myerson" -Confirm:$false') == ("", "")
    expected = "Lock-CsClientPin sip:kenmyerson@litwareinc.com\nSet-CsUser sip:kenm@litwareinc.com\n" \
               "Disable-CsUser sip:kenm@litwareinc.com\n"
    for identity in ("Ken Myerson", "litwareinc\\kmyerson", "kmyerson@litwareinc.com"):
        assert run(f'Get-CsAuditEntry -User "{identity}" | % {{ "$($_.Action) $($_.Target)" }}') == (expected, "")
    out, _ = run("Get-CsAuditEntry -User 'Ken Myerson' | Export-Csv -NoTypeInformation x.csv; Get-Content x.csv")
    assert out.splitlines()[0] == '"Time","Actor","Origin","Action","Target","Detail"'


def test_an_unknown_user_matches_nothing_without_an_error(shell) -> None:
    run, _ = shell
    assert run('Get-CsAuditEntry -User "Nobody Atall"; "end"') == ("end\n", "")


def test_an_invalid_wildcard_is_a_powershell_error(shell) -> None:
    run, _ = shell
    out, err = run('Get-CsAuditEntry -Action "[z-a]"')
    assert out == ""
    assert err.startswith("Get-CsAuditEntry : The specified wildcard character pattern is not valid: [z-a]")
    assert "FullyQualifiedErrorId : WildcardPatternException,Csshell.Commands.GetCsAuditEntryCommand" in err


def test_get_output_pipes_into_export_csv(shell, tmp_path) -> None:
    run, _ = shell
    assert run('Get-CsAuditEntry -User "Ken Myer" | Export-Csv ken.csv -NoTypeInformation') == ("", "")
    lines = (tmp_path / "ken.csv").read_text().splitlines()
    assert lines[0] == '"Time","Actor","Origin","Action","Target","Detail"'
    assert lines[1] == f'"3/20/2100 2:05:09 PM","{local_account()}","console","Lock-CsClientPin","{KEN}",'


def test_export_writes_iso_times_as_csv_or_json(shell, tmp_path) -> None:
    run, _ = shell
    assert run('Export-CsAuditEntry ken.csv -User "Ken Myer"; Export-CsAuditEntry all.json -Action *-CsClientPin') \
        == ("", "")
    assert (tmp_path / "ken.csv").read_text() == (
        "Time,Actor,Origin,Action,Target,Detail\n"
        f"2100-03-20T14:05:09,{local_account()},console,Lock-CsClientPin,{KEN},\n"
        f"2100-03-20T14:05:09,{local_account()},console,Unlock-CsClientPin,{KEN},\n")
    entries = json.loads((tmp_path / "all.json").read_text())
    assert [(e["Action"], e["Target"], e["Time"], e["Detail"]) for e in entries] == [
        ("Lock-CsClientPin", KEN, "2100-03-20T14:05:09", None),
        ("Unlock-CsClientPin", KEN, "2100-03-20T14:05:09", None),
        ("Unlock-CsClientPin", "sip:pilar@litwareinc.com", "2100-03-20T14:05:09", None)]
    assert list(entries[0]) == ["Time", "Actor", "Origin", "Action", "Target", "Detail"]


def test_export_format_follows_the_extension_unless_given(shell, tmp_path) -> None:
    run, _ = shell
    run("Export-CsAuditEntry a.txt -Last 1 -Format Json; Export-CsAuditEntry b.JSON -Last 1")
    assert json.loads((tmp_path / "a.txt").read_text())[0]["Target"] == "Global"
    assert json.loads((tmp_path / "b.JSON").read_text())[0]["Target"] == "Global"


def test_export_whatif_and_noclobber_leave_files_alone(shell, tmp_path) -> None:
    run, _ = shell
    out, _ = run("Export-CsAuditEntry a.csv -WhatIf")
    assert out == f'What if: Performing the operation "Export-CsAuditEntry" on target "{tmp_path / "a.csv"}".\n'
    assert not (tmp_path / "a.csv").exists()
    (tmp_path / "a.csv").write_text("keep me")
    out, err = run("Export-CsAuditEntry a.csv -NoClobber")
    assert err.startswith(f"Export-CsAuditEntry : The file '{tmp_path / 'a.csv'}' already exists.")
    assert (tmp_path / "a.csv").read_text() == "keep me"


def test_no_pin_is_ever_exported(shell, tmp_path) -> None:
    run, _ = shell
    run('Set-CsClientPin "David Longmuir" -Pin 24680 | Out-Null; $p = (Set-CsClientPin "Aidan Delaney").Pin; '
        "Set-Content generated.txt $p; Export-CsAuditEntry audit.json")
    generated = (tmp_path / "generated.txt").read_text().strip()
    text = (tmp_path / "audit.json").read_text()
    assert generated.isdigit() and generated not in text and "24680" not in text and "scrypt" not in text
    assert '"Set-CsClientPin (generated)"' in text


def test_help_says_they_are_extensions(shell) -> None:
    run, _ = shell
    out, _ = run("Get-Help Export-CsAuditEntry")
    assert "(csshell extension)" in out and "This command is an extension of csshell" in out


def test_the_session_actor_is_the_os_account() -> None:
    from csshell.runtime.host import BufferHost
    from csshell.runtime.session import Session
    assert Session(BufferHost()).actor == local_account() != ""
    assert Session(BufferHost(), actor="helpdesk1").actor == "helpdesk1"


def test_command_and_script_origins_are_recorded(tmp_path: Path, seeded_store_file: Path) -> None:
    store = tmp_path / "store.json"
    shutil.copyfile(seeded_store_file, store)
    script = tmp_path / "lock.ps1"
    script.write_text('Lock-CsClientPin "Ken Myer"\n')
    env = dict(os.environ, NO_COLOR="1", TERM="dumb")
    base = [sys.executable, "-m", "csshell", "--store", str(store)]
    for args in (["-Command", 'Unlock-CsClientPin "Ken Myer"'], ["-File", str(script)]):
        subprocess.run(base + args, env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)
    done = subprocess.run(base + ["-Command", "Get-CsAuditEntry -Last 2 | % { $_.Origin + '|' + $_.Actor }"],
                          env=env, cwd=tmp_path, check=True, capture_output=True, text=True, timeout=120)
    assert done.stdout.splitlines() == [f"command|{local_account()}", f"script {script}|{local_account()}"]

"""Test-CsDialInPin (emulator extension): one simulated dial-in PIN logon per user, through a real engine."""
from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import RunText, engine_runner

from csshell.engine import Engine
from csshell.runtime.cmdlet import find_cmdlet
from csshell.store import clock

T0 = dt.datetime(2026, 3, 20, 9, 0, 0)
PROPERTIES = ["Identity", "Succeeded", "Outcome", "LocalFailures", "LocalLimit", "GlobalFailures", "GlobalLimit",
              "LockedUntil", "IsLockedOut"]


@pytest.fixture
def now(monkeypatch) -> list[dt.datetime]:
    """The store's clock reads ``now[0]``; tests move it."""
    current = [T0]
    monkeypatch.setattr(clock, "now", lambda: current[0])
    return current


@pytest.fixture
def shell(tmp_path: Path, seeded_store_file: Path, now) -> Iterator[tuple[RunText, Engine]]:
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    run_text, engine = engine_runner(tmp_path)
    yield run_text, engine
    engine.close()


def dial_ins(engine: Engine) -> list[dict]:
    return [e for e in engine.session.store.directory.audit_entries() if e["action"] == "Test-CsDialInPin"]


def test_declared_as_an_extension_like_the_pin_cmdlets() -> None:
    cls = find_cmdlet("Test-CsDialInPin")
    assert cls is not None and cls.extension and not cls.supports_should_process
    identity, pin = cls.declared["identity"], cls.declared["pin"]
    assert (identity.position, identity.mandatory, identity.from_pipeline, identity.from_pipeline_by_property) == \
        (0, True, True, True)
    assert (pin.position, pin.mandatory, pin.type, pin.from_pipeline) == (1, True, "string", False)
    assert set(cls.declared) == {"identity", "pin"}


def test_help_comes_from_the_declaration(shell) -> None:
    run, _ = shell
    out, err = run("Get-Help Test-CsDialInPin")
    assert err == ""
    assert "(csshell extension) Simulates a dial-in conferencing PIN logon" in out
    assert "Test-CsDialInPin [-Identity] <UserIdParameter> [-Pin] <String> [<CommonParameters>]" in out
    assert "This command is an extension of csshell" in out
    examples, _ = run("Get-Help Test-CsDialInPin -Examples")
    assert 'Test-CsDialInPin -Identity "Ken Myer" -Pin 80146' in examples and "EXAMPLE 3" in examples
    listed, _ = run("Get-Help about_csshell_extensions")
    assert "Test-CsDialInPin" in listed


def test_wrong_pin_is_a_result_not_an_error(shell) -> None:
    run, engine = shell
    out, err = run('$r = Test-CsDialInPin -Identity "Ken Myer" -Pin 11111; $?; '
                   '$r | Get-Member | Select-Object -First 1 | ForEach-Object TypeName')
    assert err == ""
    assert out.splitlines() == ["True", "Csshell.DialInLogonResult"]
    out, _ = run('Test-CsDialInPin "Ken Myer" 11111')
    lines = [line.split(":", 1) for line in out.strip().splitlines()]
    assert [name.strip() for name, _ in lines] == PROPERTIES
    assert [value.strip() for _, value in lines] == \
        ["sip:kenmyer@litwareinc.com", "False", "WrongPin", "2", "25", "2", "1000", "", "False"]
    assert [e["detail"] for e in dial_ins(engine)] == ["failure 1 of 25 (global 1 of 1000)",
                                                       "failure 2 of 25 (global 2 of 1000)"]


def test_right_pin_succeeds_and_resets_the_local_count(shell) -> None:
    run, engine = shell
    run('Test-CsDialInPin "Ken Myer" 11111')
    out, err = run('$r = Test-CsDialInPin "kenmyer@litwareinc.com" 80146; $r.Succeeded; $r.Outcome; '
                   '$r.LocalFailures; $r.GlobalFailures')
    assert (out.splitlines(), err) == (["True", "Success", "0", "1"], "")
    assert dial_ins(engine)[-1]["detail"] == "success"


def test_non_digit_pin_is_an_argument_error_that_attempts_nothing(shell, tmp_path: Path) -> None:
    run, engine = shell
    before = (tmp_path / "store.json").read_bytes()
    out, err = run('Test-CsDialInPin "Ken Myer" 80a46')
    assert out == ""
    assert err.startswith("Test-CsDialInPin : Cannot validate argument on parameter 'Pin'. The argument \"****\" "
                          "does not match the \"^[0-9]+$\" pattern.")
    assert "80a46" not in err.splitlines()[0]         # the message (what scripts log) masks it
    assert "InvalidData: (:) [Test-CsDialInPin], ParameterBindingValidationException" in err
    assert "FullyQualifiedErrorId : ParameterArgumentValidationError,Csshell.Commands.TestCsDialInPinCommand" in err
    assert (tmp_path / "store.json").read_bytes() == before and dial_ins(engine) == []
    _, err = run('Test-CsDialInPin "Ken Myer" ""')
    assert "because it is an empty string" in err


def test_refusals_name_their_reason(shell, now) -> None:
    run, engine = shell
    now[0] = dt.datetime(2026, 6, 1, 12, 0)         # after Jonathan Haas's PIN expired (2026-05-02)
    out, err = run('"David Longmuir", "Ken Myers", "Jonathan Haas" | ForEach-Object { '
                   '(Test-CsDialInPin $_ 40871).Outcome }')
    assert (out.splitlines(), err) == (["PinNotSet", "LockedByAdministrator", "PinExpired"], "")
    assert [e["detail"] for e in dial_ins(engine)] == ["refused: no PIN set", "refused: locked by an administrator",
                                                       "refused: PIN expired"]


def test_pipeline_and_wildcards_give_one_result_per_user(shell) -> None:
    run, _ = shell
    out, err = run('Get-CsUser -OU "OU=Finance,DC=litwareinc,DC=com" | Test-CsDialInPin -Pin 11111 | '
                   'ForEach-Object { "$($_.Identity) $($_.Outcome)" }')
    assert err == "" and len(out.splitlines()) == 5 and all(" " in line for line in out.splitlines())
    out, _ = run('(Test-CsDialInPin "Ken Myer*" 11111).Count')
    assert out == "3\n"
    out, _ = run('Get-CsClientPinInfo "Ken Myer" | Test-CsDialInPin -Pin 80146 | ForEach-Object Outcome')
    assert out == "Success\n"


def test_unknown_identity_is_not_found_and_the_pipeline_goes_on(shell) -> None:
    run, _ = shell
    out, err = run('"Nobody Atall", "Ken Myer" | Test-CsDialInPin -Pin 11111 | ForEach-Object Outcome')
    assert out == "WrongPin\n"
    assert 'Management object not found for identity "Nobody Atall".' in err


def test_temporary_lock_is_reported_and_not_shown_as_locked_out(shell, now) -> None:
    run, _ = shell
    run("Set-CsPinPolicy -MaximumLogonAttempts 2")
    out, _ = run('1..3 | ForEach-Object { Test-CsDialInPin "Ken Myer" 11111 } | '
                 'Format-Table Outcome, LocalFailures, LocalLimit, LockedUntil')
    rows = [line.split() for line in out.strip().splitlines()[2:]]
    assert rows == [["WrongPin", "1", "2"], ["WrongPin", "2", "2", "3/20/2026", "10:00:00", "AM"],
                    ["TemporarilyLocked", "2", "2", "3/20/2026", "10:00:00", "AM"]]
    out, _ = run('(Get-CsClientPinInfo "Ken Myer").IsLockedOut; (Test-CsDialInPin "Ken Myer" 80146).Outcome')
    assert out.splitlines() == ["False", "TemporarilyLocked"]
    now[0] = T0 + dt.timedelta(hours=1)
    out, _ = run('(Test-CsDialInPin "Ken Myer" 80146).Outcome')
    assert out == "Success\n"

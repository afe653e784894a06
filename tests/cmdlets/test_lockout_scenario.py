"""Acceptance-style: a PIN is guessed at until the system locks it, then the help desk unlocks it.

Runs admin text through a real engine on a copy of the seeded store while the test moves the store's
clock: temporary lockout after MaximumLogonAttempts, the correct PIN refused during it, the local
count starting again after the hour and after a quiet observation window, the system lockout at the
global limit of a 4-digit PIN (100), Get-CsClientPinInfo's IsLockedOut, Unlock-CsClientPin, and the
audit trail at each step.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from engine_support import engine_runner

from csshell.store import clock, pins

T0 = dt.datetime(2026, 3, 20, 9, 0, 0)
HOUR = dt.timedelta(hours=1)
KEN = "sip:kenmyer@litwareinc.com"
SETUP = """
Set-CsPinPolicy -Identity Global -MinPasswordLength 4 -MaximumLogonAttempts 3
Set-CsClientPin -Identity "Ken Myer" -Pin 2580 | Out-Null
"""
ATTEMPT = '$r = Test-CsDialInPin -Identity "Ken Myer" -Pin {pin}; "$($r.Outcome) $($r.LocalFailures) $($r.GlobalFailures)"'


def scalars(value: Any) -> Iterator[Any]:
    """Every value stored anywhere in a JSON document."""
    if isinstance(value, dict):
        for item in value.values():
            yield from scalars(item)
    elif isinstance(value, list):
        for item in value:
            yield from scalars(item)
    else:
        yield value


def test_guessing_until_the_system_locks_the_pin_then_unlock(tmp_path: Path, seeded_store_file: Path,
                                                             monkeypatch) -> None:
    now = [T0]
    monkeypatch.setattr(clock, "now", lambda: now[0])
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)        # the PIN set here verifies fast
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    run, engine = engine_runner(tmp_path)
    directory = engine.session.store.directory

    def attempt(pin: str) -> str:
        out, err = run(ATTEMPT.format(pin=pin))
        assert err == ""
        return out.strip()

    def logons() -> list[str]:
        return [e["detail"] for e in directory.audit_entries()
                if e["action"] == "Test-CsDialInPin" and e["target"] == KEN]

    try:
        assert run(SETUP) == ("", "")

        # first wrong PIN opens the window; the third locks for an hour, even the right PIN
        assert [attempt("1111"), attempt("1112")] == ["WrongPin 1 1", "WrongPin 2 2"]
        out, _ = run('Test-CsDialInPin "Ken Myer" 1113 | Format-List Outcome, LockedUntil')
        assert out.split() == ["Outcome", ":", "WrongPin", "LockedUntil", ":", "3/20/2026", "10:00:00", "AM"]
        assert attempt("2580") == "TemporarilyLocked 3 3"
        assert run('(Get-CsClientPinInfo "Ken Myer").IsLockedOut')[0] == "False\n"
        assert logons() == ["failure 1 of 3 (global 1 of 100)", "failure 2 of 3 (global 2 of 100)",
                            "failure 3 of 3 (global 3 of 100); temporarily locked until 2026-03-20T10:00:00",
                            "refused: temporarily locked until 2026-03-20T10:00:00"]

        # after the hour the local count starts again; a quiet 30-minute window does the same
        now[0] += HOUR
        assert [attempt("1114"), attempt("1115")] == ["WrongPin 1 4", "WrongPin 2 5"]
        now[0] += dt.timedelta(minutes=30)
        assert attempt("1116") == "WrongPin 1 6"

        # keep guessing: three failures, an hour's wait, again, until the global limit of 100
        global_failures = 6
        while global_failures < 100:
            for _ in range(3):
                *_, total = attempt("1117").split()
                global_failures = int(total)
                if global_failures == 100:
                    break
            now[0] += HOUR
        assert global_failures == 100
        last = logons()[-1]
        assert last.startswith("failure ") and last.endswith("(global 100 of 100); PIN locked by the system")

        # the system lock: IsLockedOut, the right PIN refused for good, Set-CsClientPin refused
        now[0] += dt.timedelta(days=30)
        out, _ = run('Get-CsClientPinInfo "Ken Myer" | Format-List Identity, IsLockedOut')
        assert out.split() == ["Identity", ":", KEN, "IsLockedOut", ":", "True"]
        locked, _ = run('Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | ForEach-Object Identity')
        assert KEN in locked.splitlines()
        assert attempt("2580").startswith("LockedBySystem ")
        _, err = run('Set-CsClientPin "Ken Myer" 3691')
        assert "is locked. Unlock it with Unlock-CsClientPin" in err
        assert logons()[-1] == "refused: locked by the system"

        # the help desk unlocks: counters back to 0, the right PIN works
        assert run('Unlock-CsClientPin -Identity "Ken Myer"') == ("", "")
        assert run('(Get-CsClientPinInfo "Ken Myer").IsLockedOut')[0] == "False\n"
        assert attempt("2580") == "Success 0 0"
        unlocks = [e for e in directory.audit_entries() if e["action"] == "Unlock-CsClientPin"]
        assert unlocks[-1]["target"] == KEN and unlocks[-1]["time"] == now[0].isoformat()
        assert logons()[-1] == "success"
        assert sum(d.startswith("failure ") for d in logons()) == 100
        stored = set(scalars(json.loads((tmp_path / "store.json").read_text())))
        assert not stored & {"2580", 2580, "1117", 1117}
        assert not any("2580" in str(e) or "1117" in str(e) for e in directory.audit_entries())
    finally:
        engine.close()

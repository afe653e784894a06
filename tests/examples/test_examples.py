"""The runbooks in examples/ run unchanged against the bundled example directory, output checked."""
from __future__ import annotations


from runbook_support import EXAMPLES, lines


def test_unlock_locked_pins_whatif_changes_nothing(shell):
    code, out, err = shell("-File", str(EXAMPLES / "unlock-locked-pins.ps1"), "-WhatIf")
    assert code == 0, err
    assert lines(out)[0] == "Locked PINs before: 5"
    assert 'What if: Performing the operation "Unlock-CsClientPin" on target "sip:pilar@litwareinc.com".' in out
    assert lines(out)[-1] == "Locked PINs after: 5"


def test_unlock_locked_pins(shell):
    code, out, err = shell("-File", str(EXAMPLES / "unlock-locked-pins.ps1"))
    assert code == 0, err
    assert "Unlocked sip:hlarsen@litwareinc.com" in out
    assert lines(out)[-1] == "Locked PINs after: 0"


def test_pin_status_report_writes_csv(shell, tmp_path):
    report = tmp_path / "report.csv"
    code, out, err = shell("-File", str(EXAMPLES / "pin-status-report.ps1"), "-Path", str(report))
    assert code == 0, err
    assert lines(out) == ["Wrote 18 users to report.csv", "No PIN set: 5", "Locked out: 5"]
    rows = report.read_text(encoding="utf-8").splitlines()
    assert rows[0] == '"DisplayName","SipAddress","Department","IsPinSet","IsLockedOut"'
    assert rows[1] == '"Aidan Delaney","sip:aidan@litwareinc.com","Research","False","False"'
    assert len(rows) == 19


def test_helpdesk_unlock(shell):
    code, out, err = shell("-File", str(EXAMPLES / "helpdesk-unlock.ps1"), "-Identity", "Ken Myers",
                           "-Ticket", "HD-1001")
    assert (code, lines(out)) == (0, ["HD-1001: unlocked sip:kenmyers@litwareinc.com"]), err
    code, out, err = shell("-File", str(EXAMPLES / "helpdesk-unlock.ps1"), "Ken Myers", "-Ticket", "HD-1002")
    assert lines(out) == ["HD-1002: sip:kenmyers@litwareinc.com is not locked out; nothing to do."]


def test_helpdesk_unlock_unknown_user_exits_2_with_a_warning(shell):
    code, out, err = shell("-File", str(EXAMPLES / "helpdesk-unlock.ps1"), "Nobody Atall", "-Ticket", "HD-7")
    assert code == 2
    assert 'WARNING: Ticket HD-7: Management object not found for identity "Nobody Atall".' in err


def test_helpdesk_unlock_validates_the_ticket(shell):
    code, out, err = shell("-File", str(EXAMPLES / "helpdesk-unlock.ps1"), "Ken Myers", "-Ticket", "1234")
    assert code == 1
    assert "Cannot validate argument on parameter 'Ticket'." in err
    assert "Traceback" not in err


def test_assign_missing_pins_in_an_ou(shell):
    code, out, err = shell("-File", str(EXAMPLES / "assign-missing-pins.ps1"), "-OU",
                           "OU=Finance,DC=litwareinc,DC=com")
    assert code == 0, err
    assert lines(out) == ["Assigned 2 PIN(s) in OU=Finance,DC=litwareinc,DC=com", "Identity                  PinReset",
                          "--------                  --------", "sip:davidl@litwareinc.com     True",
                          "sip:praman@litwareinc.com     True"]
    code, out, err = shell("-File", str(EXAMPLES / "assign-missing-pins.ps1"), "-OU",
                           "OU=Finance,DC=litwareinc,DC=com")
    assert lines(out) == ["Every user in OU=Finance,DC=litwareinc,DC=com already has a PIN."]


def test_expired_pins_as_of_a_date(shell):
    code, out, err = shell("-File", str(EXAMPLES / "expired-pins.ps1"), "-AsOf", "2026-05-01", "-Days", "14")
    assert (code, lines(out)) == (0, ["SOON     sip:jhaas@litwareinc.com (expires in 1 days)"]), err
    code, out, err = shell("-File", str(EXAMPLES / "expired-pins.ps1"), "-AsOf", "2026-06-01", "-Lock")
    assert lines(out) == ["EXPIRED  sip:jhaas@litwareinc.com (expired 2026-05-02)"]
    code, out, err = shell("-Command", "(Get-CsClientPinInfo jhaas@litwareinc.com).IsLockedOut")
    assert lines(out) == ["True"]

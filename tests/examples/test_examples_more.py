"""The newer runbooks in examples/ (bulk PINs from a CSV, expiry reminders, CSV-driven lock/unlock),
run through ``python -m csshell -File`` against a store seeded from examples/directory.csv."""
from __future__ import annotations



from runbook_support import EXAMPLES, lines


def test_bulk_assign_pins_sets_good_rows_and_lists_failures(shell):
    code, out, err = shell("-File", str(EXAMPLES / "bulk-assign-pins.ps1"), "-Path", str(EXAMPLES / "pin-assignments.csv"))
    assert lines(out) == ["OK      sip:aidan@litwareinc.com", "OK      sip:davidl@litwareinc.com",
                          "OK      sip:praman@litwareinc.com", "Assigned 3 of 5 PIN(s).", "Failed rows:",
                          '  Nobody Here: Management object not found for identity "Nobody Here".',
                          "  tnowak@litwareinc.com: The PIN does not satisfy the PIN policy: it must be at least 5 "
                          "digits long."]
    assert (code, err) == (1, "")           # no progress bar drawn: stderr is not a terminal
    code, out, _ = shell("-Command", "(Get-CsClientPinInfo aidan@litwareinc.com).IsPinSet")
    assert lines(out) == ["True"]


def test_bulk_assign_pins_whatif_changes_nothing(shell):
    code, out, err = shell("-File", str(EXAMPLES / "bulk-assign-pins.ps1"), str(EXAMPLES / "pin-assignments.csv"),
                           "-WhatIf")
    assert 'What if: Performing the operation "Set-CsClientPin" on target "aidan@litwareinc.com".' in out
    assert "Assigned 0 of 5 PIN(s)." in out
    code, out, _ = shell("-Command", "(Get-CsClientPinInfo aidan@litwareinc.com).IsPinSet")
    assert lines(out) == ["False"]


def test_bulk_assign_pins_refuses_a_missing_csv(shell, tmp_path):
    code, out, err = shell("-File", str(EXAMPLES / "bulk-assign-pins.ps1"), str(tmp_path / "nope.csv"))
    assert (code, out) == (1, "")
    assert "Cannot validate argument on parameter 'Path'." in err and "Traceback" not in err


def test_pin_expiry_reminders_write_here_string_mails(shell, tmp_path):
    mail = tmp_path / "mail"
    mail.mkdir()
    code, out, err = shell("-File", str(EXAMPLES / "pin-expiry-reminders.ps1"), "-OutDir", str(mail),
                           "-AsOf", "2026-04-25")
    assert (code, err) == (0, "")
    assert lines(out) == ["NoPin     sip:kenmyerson@litwareinc.com", "NoPin     sip:aidan@litwareinc.com",
                          "NoPin     sip:davidl@litwareinc.com", "Expiring  sip:jhaas@litwareinc.com",
                          "NoPin     sip:tnowak@litwareinc.com", "NoPin     sip:praman@litwareinc.com",
                          f"Reminders written to {mail}: 1 expiring, 0 expired, 5 without a PIN"]
    assert sorted(p.name for p in mail.iterdir()) == ["aidan.txt", "davidl.txt", "jhaas.txt", "kmyerson.txt",
                                                     "praman.txt", "tnowak.txt"]
    assert (mail / "jhaas.txt").read_text(encoding="utf-8").splitlines() == [
        "To: jhaas@litwareinc.com", "Subject: Your dial-in conferencing PIN expires on 2026-05-02", "",
        "Hello Jonathan,", "", "Your PIN expires in 7 day(s).",
        'Set a new PIN at https://dialin.litwareinc.com or call the help desk ("x4357").', "",
        "-- Unified Communications team"]


def test_pin_expiry_reminders_after_expiry_and_without_the_folder(shell, tmp_path):
    mail = tmp_path / "mail"
    mail.mkdir()
    code, out, _ = shell("-File", str(EXAMPLES / "pin-expiry-reminders.ps1"), "-OutDir", str(mail), "-AsOf", "2026-06-01")
    assert "Expired   sip:jhaas@litwareinc.com" in lines(out)
    assert "Your PIN expired 30 day(s) ago; dial-in meetings will refuse it." in \
        (mail / "jhaas.txt").read_text(encoding="utf-8")
    code, out, err = shell("-File", str(EXAMPLES / "pin-expiry-reminders.ps1"), "-OutDir", str(tmp_path / "none"))
    assert (code, out) == (2, "")
    assert f"WARNING: The folder {tmp_path / 'none'} does not exist; create it first." in err


ACTIONS_TABLE = ["Ticket  Identity                 Action  Outcome", "------  --------                 ------  -------",
                 "HD-2001 Ken Myer                 Lock    {0}", "HD-2002 Ken Myers                Unlock  {0}",
                 "HD-2003 sip:pilar@litwareinc.com unlock  {0}", "HD-2004 Jonathan Haas            Check   NotLocked",
                 "HD-2005 Amara Okafor             Lock    {0}", "HD-2006 Nobody Here              Lock    NotFound",
                 "HD-2007 Yuki Tanaka              Disable Rejected"]


def test_lock_unlock_from_csv_acts_per_row_and_summarises(shell):
    code, out, err = shell("-File", str(EXAMPLES / "lock-unlock-from-csv.ps1"), "-Path", str(EXAMPLES / "pin-actions.csv"))
    assert (code, err) == (0, "")
    assert lines(out) == [row.format("Done") for row in ACTIONS_TABLE] + [
        "Summary:", "  Done       4", "  Rejected   1", "  NotLocked  1", "  NotFound   1"]
    code, out, _ = shell("-Command", "'Ken Myer', 'Ken Myers', 'Amara Okafor' | "
                                     "ForEach-Object { (Get-CsClientPinInfo $_).IsLockedOut }")
    assert lines(out) == ["True", "False", "True"]


def test_lock_unlock_from_csv_whatif_changes_nothing(shell):
    code, out, err = shell("-File", str(EXAMPLES / "lock-unlock-from-csv.ps1"), "-Path", str(EXAMPLES / "pin-actions.csv"),
                           "-WhatIf")
    assert lines(out)[:4] == [
        'What if: Performing the operation "Lock-CsClientPin" on target "sip:kenmyer@litwareinc.com".',
        'What if: Performing the operation "Unlock-CsClientPin" on target "sip:kenmyers@litwareinc.com".',
        'What if: Performing the operation "Unlock-CsClientPin" on target "sip:pilar@litwareinc.com".',
        'What if: Performing the operation "Lock-CsClientPin" on target "sip:aokafor@litwareinc.com".']
    assert lines(out)[4:13] == [row.format("WhatIf") for row in ACTIONS_TABLE]
    code, out, _ = shell("-Command", "(Get-CsClientPinInfo 'Ken Myer').IsLockedOut")
    assert lines(out) == ["False"]

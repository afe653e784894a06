"""The audit trail (csshell/store/audit.py): recording, filters, user matching, never a PIN."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from csshell.store import clock, pins, schema
from csshell.store.audit import AuditEntry, AuditTrail
from csshell.store.wildcard import WildcardPatternException

DIRECTORY_CSV = Path(__file__).parent / "data" / "directory.csv"
START = dt.datetime(2100, 3, 20, 9, 0, 0)     # after the seed import, whenever the tests run
KEN = "sip:kenmyer@litwareinc.com"


@pytest.fixture
def ticking_clock(monkeypatch) -> Iterator[list[dt.datetime]]:
    """Each clock.now() call is one minute after the previous one (first call: START)."""
    calls: list[dt.datetime] = []

    def now() -> dt.datetime:
        calls.append(START + dt.timedelta(minutes=len(calls)))
        return calls[-1]

    monkeypatch.setattr(clock, "now", now)
    yield calls


@pytest.fixture
def history(store, ticking_clock):
    """Four changes by two accounts from two origins (09:00 .. 09:03), on top of the seed import."""
    d = store.directory
    before = len(d.audit_entries())
    with store.statement():
        d.lock_pin(d.resolve_one("Ken Myer"), "alice", "console")
        d.unlock_pin(d.resolve_one("Ken Myer"), "bob", "ssh 10.0.0.5:22")
        d.lock_pin(d.resolve_one("Pilar Ackerman"), "bob", "ssh 10.0.0.5:22")
        d.update_pin_policy("Global", {"pin_lifetime": 0}, "alice", "script /srv/policy.ps1")
    return d, before


def test_record_writes_the_documented_fields_and_the_clock_time(store, ticking_clock) -> None:
    trail = AuditTrail(store)
    with store.statement():
        trail.record("Lock-CsClientPin", KEN, "alice", "console")
        trail.record("Import-CsDirectory", "/tmp/d.csv", "alice", "command", "3 users")
    docs = trail.documents()[-2:]
    assert docs == [{"time": "2100-03-20T09:00:00", "actor": "alice", "origin": "console",
                     "action": "Lock-CsClientPin", "target": KEN},
                    {"time": "2100-03-20T09:01:00", "actor": "alice", "origin": "command",
                     "action": "Import-CsDirectory", "target": "/tmp/d.csv", "detail": "3 users"}]
    assert trail.entries()[-1] == AuditEntry(dt.datetime(2100, 3, 20, 9, 1), "alice", "command",
                                             "Import-CsDirectory", "/tmp/d.csv", "3 users")


def test_directory_audit_keeps_its_signature_and_delegates(store, ticking_clock) -> None:
    d = store.directory
    with store.statement():
        d._audit("Grant-CsRole", "helpdesk1", "root", "console", "CsHelpDesk")
        d._audit("Revoke-CsRole", "helpdesk1", "root", "console")
    last_two = d.audit_entries()[-2:]
    assert [(e["action"], e.get("detail")) for e in last_two] == [("Grant-CsRole", "CsHelpDesk"),
                                                                   ("Revoke-CsRole", None)]
    assert [e.action for e in d.audit_trail.entries(action="*-CsRole")] == ["Grant-CsRole", "Revoke-CsRole"]


def test_action_actor_and_origin_filters_are_case_insensitive_wildcards(history) -> None:
    d, _ = history
    assert [e.action for e in d.audit_trail.entries(actor="BOB")] == ["Unlock-CsClientPin", "Lock-CsClientPin"]
    assert [e.target for e in d.audit_trail.entries(action="lock-csclientpin", actor="b?b")] == \
        ["sip:pilar@litwareinc.com"]
    assert [e.actor for e in d.audit_trail.entries(origin="script *")] == ["alice"]
    assert [e.action for e in d.audit_trail.entries(action="*PinPolicy")] == ["Set-CsPinPolicy"]
    assert d.audit_trail.entries(action="Remove-*") == []


def test_after_and_before_are_exclusive_bounds(history) -> None:
    d, _ = history
    between = d.audit_trail.entries(after=START, before=START + dt.timedelta(minutes=3))
    assert [e.time for e in between] == [START + dt.timedelta(minutes=1), START + dt.timedelta(minutes=2)]
    assert d.audit_trail.entries(after=START + dt.timedelta(minutes=3)) == []


def test_an_aware_bound_is_compared_in_local_time(history) -> None:
    d, _ = history
    aware = (START + dt.timedelta(minutes=2)).astimezone(dt.timezone.utc)
    assert [e.action for e in d.audit_trail.entries(after=aware)] == ["Set-CsPinPolicy"]


def test_last_keeps_the_newest_matches_oldest_first(history) -> None:
    d, before = history
    assert [e.actor for e in d.audit_trail.entries(last=2)] == ["bob", "alice"]
    assert [e.action for e in d.audit_trail.entries(actor="bob", last=1)] == ["Lock-CsClientPin"]
    assert d.audit_trail.entries(last=0) == []
    assert len(d.audit_trail.entries(last=1000)) == before + 4


@pytest.mark.parametrize("identity", ["Ken Myer", "ken myer", "kenmyer@litwareinc.com", "sip:KenMyer@litwareinc.com",
                                      "litwareinc\\kenmyer", "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com"])
def test_user_filter_accepts_every_identity_form(history, identity: str) -> None:
    d, _ = history
    assert [(e.action, e.target) for e in d.audit_trail.entries(user=identity)] == \
        [("Lock-CsClientPin", KEN), ("Unlock-CsClientPin", KEN)]


def test_user_filter_with_a_wildcard_matches_display_names_and_target_text(history) -> None:
    d, _ = history
    assert {e.target for e in d.audit_trail.entries(user="Ken*")} == {KEN}
    assert {e.target for e in d.audit_trail.entries(user="Pilar*")} == {"sip:pilar@litwareinc.com"}
    assert {e.target for e in d.audit_trail.entries(user="sip:*@litwareinc.com")} == \
        {KEN, "sip:pilar@litwareinc.com"}
    assert d.audit_trail.entries(user="Nobody Atall") == []


def test_user_no_longer_in_the_directory_is_found_by_sip_address(store, ticking_clock, tmp_path) -> None:
    d = store.directory
    with store.statement():
        d.lock_pin(d.resolve_one("Ken Myer"), "alice", "console")
    lines = DIRECTORY_CSV.read_text().splitlines()
    only_pilar = tmp_path / "only-pilar.csv"
    only_pilar.write_text("\n".join([lines[0]] + [line for line in lines if line.startswith("Pilar")]) + "\n")
    with store.statement():
        d.import_file(str(only_pilar), "alice", "console")
    assert d.resolve("Ken Myer") == []
    assert [e.action for e in d.audit_trail.entries(user="kenmyer@litwareinc.com")] == ["Lock-CsClientPin"]
    assert [e.action for e in d.audit_trail.entries(user=KEN)] == ["Lock-CsClientPin"]


def test_without_a_resolver_only_the_target_text_matches(history, store) -> None:
    plain = AuditTrail(store)
    assert plain.entries(user="Ken Myer") == []
    assert len(plain.entries(user="kenmyer@litwareinc.com")) == 2


def test_an_invalid_wildcard_is_the_powershell_exception(history) -> None:
    d, _ = history
    with pytest.raises(WildcardPatternException) as info:
        d.audit_trail.entries(action="[z-a]")
    assert info.value.message == "The specified wildcard character pattern is not valid: [z-a]"


def test_a_damaged_entry_is_read_without_failing(store) -> None:
    with store.statement():
        store.table(schema.AUDIT).insert({"time": "yesterday", "action": "Lock-CsClientPin", "target": KEN})
    damaged = store.directory.audit_trail.entries()[-1]
    assert (damaged.time, damaged.actor, damaged.origin, damaged.detail) == (None, "", "", None)
    assert damaged not in store.directory.audit_trail.entries(after=dt.datetime(2000, 1, 1))


def test_no_pin_ever_reaches_the_trail(store, store_path, monkeypatch) -> None:
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)
    d = store.directory
    with store.statement():
        d.set_pin(d.resolve_one("David Longmuir"), "80417", "alice", "console")
        generated = d.generate_pin(d.resolve_one("Aidan Delaney"), "alice", "console")
    text = repr(d.audit_entries())
    assert "80417" not in text and generated not in text
    assert [e.action for e in d.audit_trail.entries(last=2)] == ["Set-CsClientPin", "Set-CsClientPin (generated)"]

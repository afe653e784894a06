"""The Directory service: PIN changes, audit trail, policies, clock."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from csshell.store import clock, pins
from csshell.store.errors import PinLocked, PinPolicyViolation
from csshell.store.policy import PinPolicy, normalize_identity

DIRECTORY_CSV = Path(__file__).parent / "data" / "directory.csv"

FIXED = dt.datetime(2026, 3, 20, 14, 5, 9)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED)


def test_lock_and_unlock_are_audited_without_pins(store, fixed_clock) -> None:
    d = store.directory
    ken = d.resolve_one("Ken Myer")
    d.lock_pin(ken, "helpdesk1", "ssh:10.0.0.5")
    assert d.pin_info(d.resolve_one("Ken Myer")).is_locked_out
    d.unlock_pin(ken, "helpdesk1", "ssh:10.0.0.5")
    assert not d.resolve_one("Ken Myer").is_locked_out
    entries = d.audit_entries()[-2:]
    assert [e["action"] for e in entries] == ["Lock-CsClientPin", "Unlock-CsClientPin"]
    assert all(e["target"] == "sip:kenmyer@litwareinc.com" and e["actor"] == "helpdesk1"
               and e["origin"] == "ssh:10.0.0.5" and e["time"] == FIXED.isoformat() for e in entries)


def test_set_pin_stores_only_a_hash_and_times(store, store_path, fixed_clock) -> None:
    d = store.directory
    david = d.resolve_one("David Longmuir")
    assert not david.is_pin_set
    d.set_pin(david, "80417", "admin", "console")
    info = d.pin_info(d.resolve_one("David Longmuir"))
    assert info.is_pin_set and info.last_pin_change_time == FIXED and info.pin_expiration_time is None
    assert d.verify_pin(d.resolve_one("David Longmuir"), "80417")
    assert "80417" not in store_path.read_text()
    assert all("80417" not in str(e) for e in d.audit_entries())


def test_rejected_pin_changes_nothing(store, store_path) -> None:
    before = store_path.read_bytes()
    with pytest.raises(PinPolicyViolation):
        store.directory.set_pin(store.directory.resolve_one("David Longmuir"), "55555")
    assert store_path.read_bytes() == before


def test_setting_pin_on_locked_pin_is_refused(store) -> None:
    pilar = store.directory.resolve_one("Pilar Ackerman")
    assert pilar.is_locked_out
    with pytest.raises(PinLocked, match="Unlock-CsClientPin"):
        store.directory.set_pin(pilar, "80417")
    with pytest.raises(PinLocked):
        store.directory.generate_pin(pilar)


def test_generated_pin_is_set_and_valid(store, store_path) -> None:
    d = store.directory
    pin = d.generate_pin(d.resolve_one("Aidan Delaney"))
    pins.check_pin(pin, d.global_pin_policy())
    assert d.verify_pin(d.resolve_one("Aidan Delaney"), pin)
    assert pin not in store_path.read_text()
    assert d.audit_entries()[-1]["action"] == "Set-CsClientPin (generated)"


def test_per_user_policy_applies_and_sets_expiry(store, fixed_clock, store_path) -> None:
    import json
    d = store.directory
    d.save_pin_policy(PinPolicy(identity="tag:Strict", min_password_length=8, pin_lifetime=30,
                                pin_history_count=5))
    data = json.loads(store_path.read_text())
    for doc in data["users"].values():
        if doc["DisplayName"] == "David Longmuir":
            doc["PinPolicy"] = "Strict"
    store_path.write_text(json.dumps(data))
    david = d.resolve_one("David Longmuir")
    assert d.effective_pin_policy(david).identity == "tag:Strict"
    with pytest.raises(PinPolicyViolation, match="at least 8 digits"):
        d.set_pin(david, "80417")
    d.set_pin(david, "80417296")
    assert d.pin_info(d.resolve_one("David Longmuir")).pin_expiration_time == FIXED + dt.timedelta(days=30)
    assert len(d.generate_pin(david)) == 8
    assert d.effective_pin_policy(d.resolve_one("Ken Myer")).identity == "Global"


def test_policy_identities_and_order(store) -> None:
    d = store.directory
    d.save_pin_policy(PinPolicy(identity="tag:B"))
    d.save_pin_policy(PinPolicy(identity="site:Redmond"))
    assert [p.identity for p in d.pin_policies()] == ["Global", "site:Redmond", "tag:B"]
    assert d.pin_policy("global").identity == "Global"
    assert d.pin_policy("B").identity == "tag:B"
    assert normalize_identity("SITE:Redmond") == "site:Redmond"


def test_user_removed_by_other_process_is_not_found_on_change(store, store_path, tmp_path) -> None:
    from csshell.store import open_store
    from csshell.store.errors import IdentityNotFound
    ken = store.directory.resolve_one("Ken Myer")
    csv = tmp_path / "one.csv"
    lines = DIRECTORY_CSV.read_text().splitlines()
    csv.write_text("\n".join([lines[0], lines[5]]) + "\n")
    other = open_store(str(store_path))
    other.directory.import_file(str(csv))
    other.close()
    with pytest.raises(IdentityNotFound):
        store.directory.lock_pin(ken)


def test_import_without_users_is_refused_and_keeps_the_directory(store, store_path) -> None:
    from csshell.store.errors import DirectoryImportError
    before = store_path.read_bytes()
    with pytest.raises(DirectoryImportError) as caught:
        store.directory.import_users([], "empty.csv")
    [problem] = caught.value.problems
    assert str(problem) == 'Cannot import "empty.csv": the file holds no users, so the directory was left as it was.'
    assert store_path.read_bytes() == before and len(store.directory.users()) == 18

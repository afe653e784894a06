"""Get-CsClientPinInfo, Lock-, Unlock- and Set-CsClientPin against a seeded store."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.errors import PSError
from csshell.runtime.values import PSObject

from test_sfb_support import run, seeded_file, session, store_path  # noqa: F401

KEN_FORMS = ["sip:kenmyer@litwareinc.com", "kenmyer@litwareinc.com", "litwareinc\\kenmyer", "Ken Myer",
             "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com"]


def info(session, identity):
    [obj] = run(session, "Get-CsClientPinInfo", Identity=identity).output
    return obj


def test_declarations_match_the_documented_syntax() -> None:
    get_info = find_cmdlet("Get-CsClientPinInfo")
    assert get_info.supports_should_process
    identity = get_info.declared["identity"]
    assert (identity.position, identity.mandatory, identity.from_pipeline, identity.from_pipeline_by_property) == \
        (0, True, True, True)
    set_pin = find_cmdlet("Set-CsClientPin")
    assert set_pin.declared["pin"].position == 1 and set_pin.declared["pin"].type == "string"
    assert set(set_pin.declared) == {"identity", "pin", "force"}
    for name in ("Lock-CsClientPin", "Unlock-CsClientPin"):
        assert set(find_cmdlet(name).declared) == {"identity", "force"}
        assert find_cmdlet(name).supports_should_process


@pytest.mark.parametrize("form", KEN_FORMS)
def test_pin_info_for_every_identity_form(session, form) -> None:
    obj = info(session, form)
    assert obj.type_names[0] == "Microsoft.Rtc.Management.UserPinService.PinInfoDetails"
    assert obj.names() == ["Identity", "IsPinSet", "IsLockedOut", "LastPinChangeTime", "PinExpirationTime"]
    assert obj.items() == [("Identity", "sip:kenmyer@litwareinc.com"), ("IsPinSet", True), ("IsLockedOut", False),
                           ("LastPinChangeTime", dt.datetime(2026, 3, 14, 9, 30)), ("PinExpirationTime", None)]


def test_pin_info_by_upn_shows_sip_uri(session) -> None:
    assert info(session, "pilar.ackerman@corp.litwareinc.com").get("Identity") == "sip:pilar@litwareinc.com"


def test_lock_then_unlock_by_display_name(session) -> None:
    ctx = run(session, "Lock-CsClientPin", Identity="Ken Myer")
    assert ctx.output == [] and ctx.errors == []
    assert ctx.should_process_calls == [("Ken Myer", "Lock-CsClientPin")]
    assert info(session, "Ken Myer").get("IsLockedOut") is True
    run(session, "Unlock-CsClientPin", Identity="KEN MYER")
    assert info(session, "Ken Myer").get("IsLockedOut") is False
    audit = session.store.directory.audit_entries()[-2:]
    assert [(e["action"], e["actor"], e["origin"]) for e in audit] == \
        [("Lock-CsClientPin", "tester", "pytest"), ("Unlock-CsClientPin", "tester", "pytest")]


def test_unknown_identity_is_a_non_terminating_not_found_error(session) -> None:
    ctx = run(session, "Lock-CsClientPin", inputs=["Nobody Atall", "Ken Myer"])
    [record] = ctx.errors
    assert record.message == 'Management object not found for identity "Nobody Atall".'
    assert (record.category, record.reason, record.error_id, record.target, record.target_type) == \
        ("ObjectNotFound", "ManagementException", "Identity", "Nobody Atall", "UserIdParameter")
    assert record.command_name == "Lock-CsClientPin"
    assert info(session, "Ken Myer").get("IsLockedOut") is True      # the pipeline went on


def test_ambiguous_display_name_changes_nothing(session, store_path) -> None:
    before = store_path.read_bytes()
    for name in ("Lock-CsClientPin", "Set-CsClientPin"):
        ctx = run(session, name, Identity="Chris Cannon")
        [record] = ctx.errors
        assert record.message.startswith('Multiple management objects found for identity "Chris Cannon"')
        assert record.category == "InvalidArgument" and record.error_id == "AmbiguousIdentity"
        assert ctx.should_process_calls == [] and ctx.output == []
    assert store_path.read_bytes() == before


def test_wildcard_identity_acts_on_every_match(session) -> None:
    ctx = run(session, "Unlock-CsClientPin", Identity="Ken Myer*")
    assert sorted(t for t, _ in ctx.should_process_calls) == [
        "sip:kenmyer@litwareinc.com", "sip:kenmyers@litwareinc.com", "sip:kenmyerson@litwareinc.com"]
    assert info(session, "Ken Myers").get("IsLockedOut") is False
    assert len(run(session, "Get-CsClientPinInfo", Identity="Ken*").output) == 3


def test_whatif_changes_nothing(session, store_path) -> None:
    before = store_path.read_bytes()
    ctx = run(session, "Lock-CsClientPin", whatif=True, Identity="Ken Myer")
    assert ctx.should_process_calls == [("Ken Myer", "Lock-CsClientPin")]
    ctx = run(session, "Set-CsClientPin", whatif=True, Identity="David Longmuir", Pin="80417")
    assert ctx.output == []
    assert store_path.read_bytes() == before


def test_bulk_unlock_from_piped_pin_info(session) -> None:
    users = run(session, "Get-CsUser").output
    infos = run(session, "Get-CsClientPinInfo", inputs=users).output
    locked = [i for i in infos if i.get("IsLockedOut")]
    assert len(locked) == 5
    run(session, "Unlock-CsClientPin", inputs=locked)
    after = run(session, "Get-CsClientPinInfo", inputs=run(session, "Get-CsUser").output).output
    assert not any(i.get("IsLockedOut") for i in after)


def test_piped_identity_string_by_property_name(session) -> None:
    run(session, "Lock-CsClientPin", inputs=["sip:chris.cannon2@litwareinc.com"])
    assert info(session, "CN=Chris Cannon,OU=Sales,DC=litwareinc,DC=com").get("IsLockedOut") is True


@pytest.mark.parametrize("pin, fragment", [
    ("1234", "at least 5 digits long"), ("55555", "repeated digits"),
    ("23456", "four or more consecutive digits"), ("8o417", "only the digits 0-9"),
    ("50105", "phone number"),
])
def test_set_pin_policy_failures_are_errors(session, pin, fragment) -> None:
    ctx = run(session, "Set-CsClientPin", Identity="David Longmuir", Pin=pin)
    [record] = ctx.errors
    assert record.message.startswith("The PIN does not satisfy the PIN policy: ") and fragment in record.message
    assert (record.category, record.error_id, record.command_name) == \
        ("InvalidArgument", "InvalidPin", "Set-CsClientPin")
    assert ctx.output == []
    assert info(session, "David Longmuir").get("IsPinSet") is False


def test_set_valid_pin_outputs_reset_details(session, store_path) -> None:
    ctx = run(session, "Set-CsClientPin", Identity="David Longmuir", Pin=80417)
    [obj] = ctx.output
    assert obj.type_names == ["Microsoft.Rtc.Management.UserPinService.PinResetDetails"]
    assert obj.items() == [("Identity", "sip:davidl@litwareinc.com"), ("Pin", "80417"), ("PinReset", True)]
    assert info(session, "David Longmuir").get("IsPinSet") is True
    assert "80417" not in store_path.read_text()


def test_generated_pin_is_shown_once_valid_and_hashed(session, store_path) -> None:
    [obj] = run(session, "Set-CsClientPin", Identity="Aidan Delaney").output
    assert obj.get("Identity") == "sip:aidan@litwareinc.com" and obj.get("PinReset") is True
    pin = obj.get("Pin")
    assert re.fullmatch(r"\d{6}", pin)
    assert info(session, "Aidan Delaney").get("IsPinSet") is True
    assert pin not in store_path.read_text()
    user = session.store.directory.resolve_one("Aidan Delaney")
    assert session.store.directory.verify_pin(user, pin)


def test_set_pin_on_locked_pin_is_refused(session) -> None:
    ctx = run(session, "Set-CsClientPin", Identity="Pilar Ackerman", Pin="80417")
    [record] = ctx.errors
    assert record.category == "InvalidOperation" and "Unlock-CsClientPin" in record.message


def test_user_not_enabled_for_sfb_is_not_found(session) -> None:
    ctx = run(session, "Get-CsClientPinInfo", Identity="Temp Contractor")
    assert ctx.errors[0].message == 'Management object not found for identity "Temp Contractor".'


def test_store_busy_propagates_as_store_error(session, store_path) -> None:
    import filelock
    from csshell.store import StoreError, open_store
    busy = open_store(str(store_path), lock_timeout=0.2)
    from test_sfb_support import FakeSession
    holder = filelock.FileLock(str(store_path) + ".lock")
    holder.acquire()
    try:
        with pytest.raises(StoreError, match="busy"):
            run(FakeSession(busy), "Lock-CsClientPin", Identity="Ken Myer")
    finally:
        holder.release()
        busy.close()


def test_pin_info_from_piped_cs_user_object(session) -> None:
    [user] = run(session, "Get-CsUser", Identity="litwareinc\\ccannon2").output
    assert isinstance(user, PSObject)
    [obj] = run(session, "Get-CsClientPinInfo", inputs=[user]).output
    assert obj.get("Identity") == "sip:chris.cannon2@litwareinc.com"


def test_terminating_errors_are_never_python_tracebacks(session) -> None:
    with pytest.raises(PSError):
        run(session, "Get-CsUser", Filter="DisplayName -eq")

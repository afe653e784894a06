"""The dial-in PIN lockout rules (csshell/store/lockout.py) and the Directory's logon attempts."""
from __future__ import annotations

import datetime as dt

import pytest

from csshell.store import clock, lockout, pins, schema
from csshell.store.errors import PinLocked
from csshell.store.lockout import Limits, LogonState, Outcome, attempt, default_limits, limits_for, settle
from csshell.store.policy import PinPolicy

T0 = dt.datetime(2026, 3, 20, 9, 0, 0)
MINUTE = dt.timedelta(minutes=1)
SMALL = Limits(local=3, total=10)
READY = LogonState(is_pin_set=True)


def wrong(state: LogonState, now: dt.datetime, limits: Limits = SMALL) -> lockout.LogonResult:
    return attempt(state, limits, lambda: False, now)


def right(state: LogonState, now: dt.datetime, limits: Limits = SMALL) -> lockout.LogonResult:
    return attempt(state, limits, lambda: True, now)


def fail_times(state: LogonState, count: int, now: dt.datetime, limits: Limits = SMALL) -> LogonState:
    for _ in range(count):
        state = wrong(state, now, limits).state
    return state


# --- limits ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("length, expected", [(4, Limits(10, 100)), (5, Limits(25, 1000)), (6, Limits(25, 5000)),
                                              (7, Limits(25, 5000)), (24, Limits(25, 5000)),
                                              (3, Limits(10, 100))])
def test_default_limits_by_pin_length(length, expected) -> None:
    assert default_limits(length) == expected


def test_maximum_logon_attempts_replaces_only_the_local_limit() -> None:
    assert limits_for(4, PinPolicy(maximum_logon_attempts=3)) == Limits(3, 100)
    assert limits_for(5, PinPolicy(maximum_logon_attempts=999)) == Limits(999, 1000)
    assert limits_for(8, PinPolicy(maximum_logon_attempts=1)) == Limits(1, 5000)
    assert limits_for(5, PinPolicy()) == Limits(25, 1000)


def test_unknown_pin_length_is_taken_as_the_policy_minimum() -> None:
    assert limits_for(None, PinPolicy(min_password_length=4)) == Limits(10, 100)
    assert limits_for(None, PinPolicy()) == Limits(25, 1000)
    assert limits_for(None, PinPolicy(min_password_length=8)) == Limits(25, 5000)


# --- counting within the window ---------------------------------------------------------------------

def test_first_failure_opens_the_window_and_counts_twice() -> None:
    result = wrong(READY, T0)
    assert result.outcome is Outcome.WRONG_PIN and not result.succeeded
    assert (result.state.local_failures, result.state.global_failures) == (1, 1)
    assert result.state.window_start == T0 and result.locked_until is None
    later = wrong(result.state, T0 + 10 * MINUTE).state
    assert later.window_start == T0 and (later.local_failures, later.global_failures) == (2, 2)


def test_one_below_the_local_limit_is_not_locked() -> None:
    state = fail_times(READY, 2, T0)
    assert state.temp_lock_until is None
    assert right(state, T0).outcome is Outcome.SUCCESS


def test_exactly_at_the_local_limit_locks_for_one_hour() -> None:
    state = fail_times(READY, 2, T0)
    result = wrong(state, T0 + 5 * MINUTE)
    assert result.outcome is Outcome.WRONG_PIN
    assert result.locked_until == T0 + 5 * MINUTE + dt.timedelta(hours=1)
    assert "failure 3 of 3 (global 3 of 10); temporarily locked until 2026-03-20T10:05:00" == result.detail()
    assert not result.state.is_locked_out       # a temporary lock is not IsLockedOut


def test_temporary_lock_refuses_even_the_right_pin_and_counts_nothing() -> None:
    locked = fail_times(READY, 3, T0)
    checked = []
    result = attempt(locked, SMALL, lambda: checked.append(1) or True, T0 + 59 * MINUTE)
    assert result.outcome is Outcome.TEMPORARILY_LOCKED and checked == []
    assert result.state == locked
    assert result.detail() == "refused: temporarily locked until 2026-03-20T10:00:00"


def test_temporary_lock_ends_exactly_after_one_hour_and_resets_only_local() -> None:
    locked = fail_times(READY, 3, T0)
    assert right(locked, T0 + dt.timedelta(hours=1) - dt.timedelta(seconds=1)).outcome is Outcome.TEMPORARILY_LOCKED
    after = wrong(locked, T0 + dt.timedelta(hours=1))
    assert after.outcome is Outcome.WRONG_PIN
    assert (after.state.local_failures, after.state.global_failures) == (1, 4)
    assert after.state.window_start == T0 + dt.timedelta(hours=1) and after.locked_until is None


def test_window_expiry_starts_the_local_count_again() -> None:
    state = fail_times(READY, 2, T0)
    just_inside = wrong(state, T0 + 30 * MINUTE - dt.timedelta(seconds=1))
    assert just_inside.locked_until is not None          # third failure still in the window
    at_expiry = wrong(state, T0 + 30 * MINUTE)
    assert at_expiry.locked_until is None
    assert (at_expiry.state.local_failures, at_expiry.state.global_failures) == (1, 3)
    assert at_expiry.state.window_start == T0 + 30 * MINUTE


def test_settle_keeps_a_running_window() -> None:
    state = fail_times(READY, 1, T0)
    assert settle(state, T0 + 29 * MINUTE) == state
    assert settle(state, T0 + 30 * MINUTE).local_failures == 0


def test_success_resets_the_local_count_but_not_the_global() -> None:
    state = fail_times(READY, 2, T0)
    result = right(state, T0 + MINUTE)
    assert result.succeeded and result.detail() == "success"
    assert (result.state.local_failures, result.state.global_failures) == (0, 2)
    assert result.state.window_start is None
    again = fail_times(result.state, 2, T0 + 2 * MINUTE)
    assert again.temp_lock_until is None and again.global_failures == 4


# --- the global limit ---------------------------------------------------------------------------------

def test_reaching_the_global_limit_locks_by_the_system() -> None:
    state = READY
    now = T0
    while state.global_failures < 9:
        state = fail_times(state, 1, now)
        if state.temp_lock_until:
            now = state.temp_lock_until
        now += MINUTE
    assert not state.is_locked_out
    result = wrong(state, now)
    assert result.state.global_failures == 10
    assert result.state.is_locked_out and result.state.locked_by_system
    assert result.detail().endswith("; PIN locked by the system")
    assert result.locked_until is None


def test_global_limit_wins_when_both_are_reached_at_once() -> None:
    limits = Limits(local=2, total=2)
    result = wrong(fail_times(READY, 1, T0, limits), T0, limits)
    assert result.state.locked_by_system and result.state.temp_lock_until is None


def test_system_lock_refuses_without_checking_and_never_expires() -> None:
    locked = LogonState(is_pin_set=True, global_failures=10, is_locked_out=True, locked_by_system=True)
    result = attempt(locked, SMALL, lambda: pytest.fail("PIN checked while locked"), T0 + dt.timedelta(days=400))
    assert result.outcome is Outcome.LOCKED_BY_SYSTEM and result.state.global_failures == 10


def test_administrator_lock_and_no_pin_and_expired_pin_are_refused() -> None:
    never = lambda: pytest.fail("PIN checked")
    assert attempt(LogonState(is_pin_set=True, is_locked_out=True), SMALL, never, T0).outcome \
        is Outcome.LOCKED_BY_ADMINISTRATOR
    assert attempt(LogonState(), SMALL, never, T0).outcome is Outcome.PIN_NOT_SET
    expired = LogonState(is_pin_set=True, pin_expiration=T0)
    assert attempt(expired, SMALL, never, T0).outcome is Outcome.PIN_EXPIRED
    assert right(expired, T0 - dt.timedelta(seconds=1)).outcome is Outcome.SUCCESS


def test_state_round_trips_through_document_fields() -> None:
    state = fail_times(READY, 3, T0)
    doc = dict(state.fields(), IsPinSet=True, PinHash="x")
    assert LogonState.from_document(doc) == state
    assert doc["PinTempLockUntil"] == "2026-03-20T10:00:00" and doc["PinWindowStart"] == "2026-03-20T09:00:00"
    assert LogonState.from_document({}) == LogonState()
    assert lockout.unlock_fields() == {"PinLocalFailures": 0, "PinGlobalFailures": 0, "PinWindowStart": None,
                                       "PinTempLockUntil": None, "PinLockedBySystem": False, "IsLockedOut": False}


# --- through the Directory -----------------------------------------------------------------------------

@pytest.fixture
def moving_clock(monkeypatch):
    """clock.now() returns ``moving_clock[0]``; tests move it."""
    now = [T0]
    monkeypatch.setattr(clock, "now", lambda: now[0])
    return now


def test_attempts_are_stored_and_audited_without_the_pin(store, store_path, moving_clock) -> None:
    d = store.directory
    d.save_pin_policy(PinPolicy(maximum_logon_attempts=2))
    ken = d.resolve_one("Ken Myer")
    assert d.dial_in_logon(ken, "11111", "tester", "pytest").outcome is Outcome.WRONG_PIN
    result = d.dial_in_logon(ken, "22222", "tester", "pytest")
    assert result.locked_until == T0 + dt.timedelta(hours=1)
    assert d.dial_in_logon(ken, "80146").outcome is Outcome.TEMPORARILY_LOCKED
    doc = d.resolve_one("Ken Myer").doc
    assert (doc["PinLocalFailures"], doc["PinGlobalFailures"], doc["PinTempLockUntil"]) == \
        (2, 2, "2026-03-20T10:00:00")
    entries = [e for e in d.audit_entries() if e["action"] == "Test-CsDialInPin"]
    assert [e["detail"] for e in entries] == [
        "failure 1 of 2 (global 1 of 1000)",
        "failure 2 of 2 (global 2 of 1000); temporarily locked until 2026-03-20T10:00:00",
        "refused: temporarily locked until 2026-03-20T10:00:00"]
    assert entries[0]["actor"] == "tester" and entries[0]["target"] == "sip:kenmyer@litwareinc.com"
    text = store_path.read_text()
    assert "11111" not in text and "22222" not in text and "80146" not in text


def forget(store, user, **fields) -> None:
    """Write raw fields, as an older store or an exported file loaded into a fresh store would hold them."""
    with store.change():
        store.table(schema.USERS).update(fields, doc_ids=[user.doc_id])
    store.invalidate_caches()           # written behind the Directory's back


def test_success_learns_an_unknown_pin_length(store, moving_clock) -> None:
    d = store.directory
    d.save_pin_policy(PinPolicy(min_password_length=4))
    forget(store, d.resolve_one("Ken Myer"), PinLength=None)
    ken = d.resolve_one("Ken Myer")
    assert d.dial_in_logon(ken, "11111").limits == Limits(10, 100)       # assumed as short as allowed
    assert d.dial_in_logon(ken, "80146").succeeded
    assert d.resolve_one("Ken Myer").get("PinLength") == 5
    assert d.dial_in_logon(ken, "11111").limits == Limits(25, 1000)


def test_a_set_pin_without_a_known_hash_never_matches(store, moving_clock) -> None:
    d = store.directory
    forget(store, d.resolve_one("Ken Myer"), PinHash=None)
    result = d.dial_in_logon(d.resolve_one("Ken Myer"), "80146")
    assert result.outcome is Outcome.WRONG_PIN and result.state.local_failures == 1


def test_unlock_clears_every_lock_and_both_counters(store, moving_clock) -> None:
    d = store.directory
    d.save_pin_policy(PinPolicy(maximum_logon_attempts=1))
    ken = d.resolve_one("Ken Myer")
    d.dial_in_logon(ken, "11111")
    assert d.dial_in_logon(ken, "80146").outcome is Outcome.TEMPORARILY_LOCKED
    d.unlock_pin(ken)
    doc = d.resolve_one("Ken Myer").doc
    assert (doc["PinLocalFailures"], doc["PinGlobalFailures"], doc["PinTempLockUntil"], doc["IsLockedOut"]) == \
        (0, 0, None, False)
    assert d.dial_in_logon(ken, "80146").succeeded


def test_system_lock_shows_in_pin_info_and_blocks_set_pin(store, moving_clock, monkeypatch) -> None:
    d = store.directory
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)      # the PIN set below verifies fast
    d.save_pin_policy(PinPolicy(min_password_length=4, maximum_logon_attempts=999))
    ken = d.resolve_one("Ken Myer")
    d.set_pin(ken, "2580")
    for _ in range(99):
        d.dial_in_logon(ken, "1111")
    assert not d.pin_info(d.resolve_one("Ken Myer")).is_locked_out
    last = d.dial_in_logon(ken, "1111")
    assert last.state.global_failures == 100 and last.limits == Limits(999, 100)
    assert d.pin_info(d.resolve_one("Ken Myer")).is_locked_out
    assert d.dial_in_logon(ken, "2580").outcome is Outcome.LOCKED_BY_SYSTEM
    with pytest.raises(PinLocked):
        d.set_pin(ken, "3691")
    d.unlock_pin(ken)
    assert d.dial_in_logon(ken, "2580").succeeded


def test_new_pin_ends_a_temporary_lock_but_keeps_the_global_count(store, moving_clock) -> None:
    d = store.directory
    d.save_pin_policy(PinPolicy(maximum_logon_attempts=2))
    ken = d.resolve_one("Ken Myer")
    d.dial_in_logon(ken, "11111")
    d.dial_in_logon(ken, "11111")
    d.set_pin(ken, "80417")
    doc = d.resolve_one("Ken Myer").doc
    assert (doc["PinLocalFailures"], doc["PinGlobalFailures"], doc["PinTempLockUntil"], doc["PinLength"]) == \
        (0, 2, None, 5)
    assert d.dial_in_logon(ken, "80417").succeeded

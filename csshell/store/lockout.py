"""Dial-in PIN logon lockout: the rules as a pure state machine (no I/O, time passed in).

The product's rules (reference/sfb-cmdlets.md §4.3): failures are counted twice, in a *local* and a
*global* counter. The first attempt opens a 30-minute observation window; each failure in it adds
one to both. Reaching the local limit in the window locks the PIN temporarily for one hour (even the
right PIN is refused); after that the local counter starts again from 0, the global one does not.
Reaching the global limit locks the PIN *by the system* until an administrator runs
Unlock-CsClientPin, which also resets the global counter. A successful logon resets the local counter.

The state lives as flat fields on the user document (:data:`FIELDS`, times as ISO text), so the
Directory service reads it with :meth:`LogonState.from_document` and writes :meth:`LogonState.fields`.
The choices the documentation leaves open are in docs/lockout.md.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from csshell.store.policy import PinPolicy
from csshell.store.stored_values import stored_count, stored_time

WINDOW = _dt.timedelta(minutes=30)
TEMPORARY_LOCK = _dt.timedelta(hours=1)

LOCAL_FAILURES = "PinLocalFailures"
GLOBAL_FAILURES = "PinGlobalFailures"
WINDOW_START = "PinWindowStart"
TEMP_LOCK_UNTIL = "PinTempLockUntil"
LOCKED_BY_SYSTEM = "PinLockedBySystem"
PIN_LENGTH = "PinLength"
FIELDS = (LOCAL_FAILURES, GLOBAL_FAILURES, WINDOW_START, TEMP_LOCK_UNTIL, LOCKED_BY_SYSTEM)

# PIN length -> (local, global) limits when MaximumLogonAttempts is not set. The documentation gives
# 4 and 5 and "greater than 6"; length 6 is not covered, and we give it the "longer" limits.
_DEFAULTS = ((4, (10, 100)), (5, (25, 1000)))
_LONG_PIN_DEFAULTS = (25, 5000)
SHORTEST_PIN = 4


class Outcome(str, Enum):
    """What one logon attempt came to (the value is what Test-CsDialInPin shows)."""
    SUCCESS = "Success"
    WRONG_PIN = "WrongPin"
    TEMPORARILY_LOCKED = "TemporarilyLocked"
    LOCKED_BY_SYSTEM = "LockedBySystem"
    LOCKED_BY_ADMINISTRATOR = "LockedByAdministrator"
    PIN_NOT_SET = "PinNotSet"
    PIN_EXPIRED = "PinExpired"


@dataclass(frozen=True)
class Limits:
    """How many failures lock the PIN: ``local`` temporarily, ``total`` (the global limit) for good."""
    local: int
    total: int


def default_limits(pin_length: int) -> Limits:
    """The documented defaults by PIN length (shorter than 4 counts as 4: the shortest PIN allowed)."""
    for length, (local, total) in _DEFAULTS:
        if pin_length <= length:
            return Limits(local, total)
    return Limits(*_LONG_PIN_DEFAULTS)


def limits_for(pin_length: int | None, policy: PinPolicy) -> Limits:
    """The user's limits: MaximumLogonAttempts, when set, replaces only the local one.

    A PIN whose length is unknown (a store written before PinLength was recorded) is taken to be
    as short as the policy allows, the safer guess.
    """
    length = pin_length if pin_length else max(policy.min_password_length, SHORTEST_PIN)
    defaults = default_limits(length)
    if policy.maximum_logon_attempts is None:
        return defaults
    return Limits(policy.maximum_logon_attempts, defaults.total)


@dataclass(frozen=True)
class LogonState:
    """The lockout state of one user's PIN, plus the PIN facts a logon depends on."""
    local_failures: int = 0
    global_failures: int = 0
    window_start: _dt.datetime | None = None
    temp_lock_until: _dt.datetime | None = None
    is_locked_out: bool = False           # IsLockedOut: by an administrator or by the system
    locked_by_system: bool = False
    is_pin_set: bool = False
    pin_expiration: _dt.datetime | None = None

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> LogonState:
        return cls(local_failures=stored_count(LOCAL_FAILURES, doc.get(LOCAL_FAILURES)),
                   global_failures=stored_count(GLOBAL_FAILURES, doc.get(GLOBAL_FAILURES)),
                   window_start=stored_time(WINDOW_START, doc.get(WINDOW_START)),
                   temp_lock_until=stored_time(TEMP_LOCK_UNTIL, doc.get(TEMP_LOCK_UNTIL)),
                   is_locked_out=bool(doc.get("IsLockedOut")),
                   locked_by_system=bool(doc.get(LOCKED_BY_SYSTEM)),
                   is_pin_set=bool(doc.get("IsPinSet")),
                   pin_expiration=stored_time("PinExpirationTime", doc.get("PinExpirationTime")))

    def fields(self) -> dict[str, Any]:
        """The document fields this state owns (IsLockedOut included), ready for an update."""
        return {LOCAL_FAILURES: self.local_failures, GLOBAL_FAILURES: self.global_failures,
                WINDOW_START: _text(self.window_start), TEMP_LOCK_UNTIL: _text(self.temp_lock_until),
                LOCKED_BY_SYSTEM: self.locked_by_system, "IsLockedOut": self.is_locked_out}

    def temporarily_locked(self, now: _dt.datetime) -> bool:
        return self.temp_lock_until is not None and now < self.temp_lock_until


@dataclass(frozen=True)
class LogonResult:
    """One attempt: its outcome, the state to store afterwards and the limits that applied."""
    outcome: Outcome
    state: LogonState
    limits: Limits

    @property
    def succeeded(self) -> bool:
        return self.outcome is Outcome.SUCCESS

    @property
    def locked_until(self) -> _dt.datetime | None:
        """End of the temporary lock in force after this attempt (None when there is none)."""
        return self.state.temp_lock_until

    def detail(self) -> str:
        """The audit entry's detail: counts and locks, never the PIN."""
        state, limits = self.state, self.limits
        if self.outcome is Outcome.SUCCESS:
            return "success"
        if self.outcome is not Outcome.WRONG_PIN:
            refused = {Outcome.TEMPORARILY_LOCKED: f"temporarily locked until {_text(state.temp_lock_until)}",
                       Outcome.LOCKED_BY_SYSTEM: "locked by the system",
                       Outcome.LOCKED_BY_ADMINISTRATOR: "locked by an administrator",
                       Outcome.PIN_NOT_SET: "no PIN set", Outcome.PIN_EXPIRED: "PIN expired"}
            return f"refused: {refused[self.outcome]}"
        text = (f"failure {state.local_failures} of {limits.local} "
                f"(global {state.global_failures} of {limits.total})")
        if state.locked_by_system:
            return text + "; PIN locked by the system"
        if state.temp_lock_until is not None:
            return text + f"; temporarily locked until {_text(state.temp_lock_until)}"
        return text


# --- the rules ---------------------------------------------------------------------------------

def settle(state: LogonState, now: _dt.datetime) -> LogonState:
    """The state once time has passed: an ended temporary lock or window starts the local count again."""
    if state.temp_lock_until is not None:
        if now < state.temp_lock_until:
            return state
        return replace(state, local_failures=0, window_start=None, temp_lock_until=None)
    if state.window_start is not None and now >= state.window_start + WINDOW:
        return replace(state, local_failures=0, window_start=None)
    return state


def record_failure(state: LogonState, limits: Limits, now: _dt.datetime) -> LogonState:
    """A wrong PIN (on a settled, unlocked state): count it, and lock when a limit is reached."""
    failed = replace(state, local_failures=state.local_failures + 1, global_failures=state.global_failures + 1,
                     window_start=state.window_start or now)
    if failed.global_failures >= limits.total:
        return replace(failed, is_locked_out=True, locked_by_system=True)
    if failed.local_failures >= limits.local:
        return replace(failed, temp_lock_until=now + TEMPORARY_LOCK)
    return failed


def record_success(state: LogonState) -> LogonState:
    """The right PIN: the local count and its window start again; the global count stays."""
    return replace(state, local_failures=0, window_start=None)


def attempt(state: LogonState, limits: Limits, pin_matches: Callable[[], bool],
            now: _dt.datetime) -> LogonResult:
    """One logon attempt at ``now``. ``pin_matches`` is called only when the PIN is checked at all.

    Refusals come first and count nothing: a locked PIN (administrator or system), no PIN, a
    temporary lock, an expired PIN. Only an attempt that reaches the PIN check counts.
    """
    current = settle(state, now)
    refusal = _refusal(current, now)
    if refusal is not None:
        return LogonResult(refusal, current, limits)
    if pin_matches():
        return LogonResult(Outcome.SUCCESS, record_success(current), limits)
    return LogonResult(Outcome.WRONG_PIN, record_failure(current, limits, now), limits)


def _refusal(state: LogonState, now: _dt.datetime) -> Outcome | None:
    if state.is_locked_out:
        return Outcome.LOCKED_BY_SYSTEM if state.locked_by_system else Outcome.LOCKED_BY_ADMINISTRATOR
    if not state.is_pin_set:
        return Outcome.PIN_NOT_SET
    if state.temporarily_locked(now):
        return Outcome.TEMPORARILY_LOCKED
    if state.pin_expiration is not None and now >= state.pin_expiration:
        return Outcome.PIN_EXPIRED
    return None


def unlocked() -> LogonState:
    """What Unlock-CsClientPin leaves: no lock of any kind, both counters at 0."""
    return LogonState()


def unlock_fields() -> dict[str, Any]:
    """The document fields Unlock-CsClientPin writes (the same every time: made once, copied per call)."""
    return dict(_UNLOCK_FIELDS)


def new_pin_fields() -> dict[str, Any]:
    """A new PIN ends a temporary lock and the local count; the global count stays (admin unlock only)."""
    return {LOCAL_FAILURES: 0, WINDOW_START: None, TEMP_LOCK_UNTIL: None}


def _text(value: _dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_UNLOCK_FIELDS = unlocked().fields()    # at the end: fields() needs the helpers above

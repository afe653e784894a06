"""Failed sign-in throttling, per account and per client address.

Guessing passwords must be slow for both an attacker who tries many passwords on one account and
one who tries one password on many accounts from one address. Each key (``account:<name>``,
``address:<ip>``) counts its failures over a sliding window; reaching the limit refuses every
further attempt for that key until the lockout has passed, whatever the password. A successful
sign-in clears the account's count (not the address's: one good account must not unlock guessing
on others). Counts live in memory: a restart forgets them, as a restarted sshd forgets MaxAuthTries.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class SignInThrottle:
    """Sliding-window failure counts with a lockout; safe to call from several threads."""

    def __init__(self, limit: int, window: float, lockout: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.lockout = lockout
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._guard = threading.Lock()

    def refused(self, *keys: str) -> str | None:
        """The first of ``keys`` that is locked out now, else None."""
        now = self._clock()
        with self._guard:
            for key in keys:
                until = self._locked_until.get(key)
                if until is not None and until > now:
                    return key
                if until is not None:
                    del self._locked_until[key]
        return None

    def failed(self, *keys: str) -> list[str]:
        """Count one failure for each key; returns the keys this failure locked out."""
        now = self._clock()
        locked: list[str] = []
        with self._guard:
            for key in keys:
                times = self._failures.setdefault(key, deque())
                times.append(now)
                while times and times[0] <= now - self.window:
                    times.popleft()
                if len(times) >= self.limit:
                    self._locked_until[key] = now + self.lockout
                    times.clear()
                    locked.append(key)
        return locked

    def succeeded(self, key: str) -> None:
        with self._guard:
            self._failures.pop(key, None)


def account_key(account: str) -> str:
    return "account:" + account.lower()


def address_key(address: str) -> str:
    return "address:" + address

"""The store's only clock.

Every timestamp the store writes (PIN change, expiry, audit) comes from :func:`now`, so tests can
patch one function (``monkeypatch.setattr(clock, "now", ...)``) to pin time. Callers must call it as
``clock.now()`` (attribute access at call time) for the patch to take effect.
"""
from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    """Naive local time, whole seconds: what Get-CsClientPinInfo shows has no fractions."""
    return _dt.datetime.now().replace(microsecond=0)

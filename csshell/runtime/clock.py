"""The session's one clock.

Every cmdlet that needs "now" (``Get-Date``, PIN expiry, audit stamps) asks this module, so tests and
the acceptance runner can pin time by replacing :func:`now` instead of patching ``datetime``.
"""
from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    """Current local time, naive, as ``[DateTime]::Now`` (values.py keeps DateTimes naive local)."""
    return _dt.datetime.now()

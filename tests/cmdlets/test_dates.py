"""Get-Date with a pinned clock."""
from __future__ import annotations

import datetime as dt

import pytest

from cmdlets.dates import GetDate, uformat
from csshell.runtime import clock
from csshell.runtime.errors import PSError
from utility_fakes import run

FIXED = dt.datetime(2026, 3, 14, 9, 30, 5, 123000)


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: FIXED)


def test_get_date_returns_the_clock_time():
    assert run(GetDate, None).objects == [FIXED]


def test_get_date_with_date_and_adjusted_fields():
    ctx = run(GetDate, None, Date=dt.datetime(2025, 1, 31, 8, 0), Month=2, Hour=17)
    assert ctx.objects == [dt.datetime(2025, 2, 28, 17, 0)]


def test_get_date_day_beyond_month_rolls_over_like_powershell():
    ctx = run(GetDate, None, Date=dt.datetime(2025, 2, 1), Day=31)
    assert ctx.objects == [dt.datetime(2025, 3, 3)]


def test_get_date_format_uses_dotnet_patterns():
    assert run(GetDate, None, Format="yyyy-MM-dd HH:mm").objects == ["2026-03-14 09:30"]
    assert run(GetDate, None, Format="G").objects == ["3/14/2026 9:30:05 AM"]


def test_get_date_uformat():
    assert run(GetDate, None, UFormat="%Y%m%d-%H%M%S", set_name="UFormat").objects == ["20260314-093005"]
    assert uformat(FIXED, "%A %B %e %p %j %%") == "Saturday March 14 AM 073 %"


def test_get_date_out_of_range_is_a_validation_error():
    with pytest.raises(PSError) as info:
        run(GetDate, None, Month=13)
    record = info.value.record
    assert record.message.startswith("Cannot validate argument on parameter 'Month'. The 13 argument is greater")
    assert record.fully_qualified_error_id == \
        "ParameterArgumentValidationError,Microsoft.PowerShell.Commands.GetDateCommand"

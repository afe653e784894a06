"""``Get-Date``: the current time (or a given one), adjusted and optionally formatted.

"Now" always comes from :func:`csshell.runtime.clock.now` so that PIN-expiry scripts
(``$_.PinExpirationTime -lt (Get-Date)``) can be tested at a fixed instant.
"""
from __future__ import annotations

import calendar
import datetime as _dt
from typing import Callable

from csshell.runtime import clock, dotnet_format
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import PSError

from cmdlets.object_properties import record_for, was_bound

# parameter -> (minimum, maximum), PowerShell's [ValidateRange] on Get-Date
_RANGES = {"Year": (1, 9999), "Month": (1, 12), "Day": (1, 31), "Hour": (0, 23), "Minute": (0, 59),
           "Second": (0, 59), "Millisecond": (0, 999)}


@cmdlet("Get-Date", default_set="net", outputs="System.DateTime, System.String",
        synopsis="Gets the current date and time.",
        examples=[("Get-CsClientPinInfo | Where-Object {$_.PinExpirationTime -lt (Get-Date)}",
                   "PINs that have already expired."),
                  ('Get-Date -Format "yyyy-MM-dd"', "Today as text, for a file name.")])
class GetDate(Cmdlet):
    """``Get-Date``: a DateTime, or a string with ``-Format`` (.NET) / ``-UFormat`` (POSIX-like)."""

    Date = Parameter("datetime", position=0, from_pipeline=True, from_pipeline_by_property=True,
                     aliases=("LastWriteTime",))
    Year = Parameter("int")
    Month = Parameter("int")
    Day = Parameter("int")
    Hour = Parameter("int")
    Minute = Parameter("int")
    Second = Parameter("int")
    Millisecond = Parameter("int")
    DisplayHint = Parameter("DisplayHintType", validate_set=("Date", "Time", "DateTime"), default="DateTime")
    Format = Parameter("string", sets=("net",))
    UFormat = Parameter("string", sets=("UFormat",))

    def process(self, ctx: CommandContext) -> None:
        self._validate_ranges()
        value = self.Date if self.Date is not None else clock.now()
        value = self._adjust(value)
        if self.UFormat is not None:
            ctx.write_object(uformat(value, self.UFormat))
        elif self.Format is not None:
            ctx.write_object(self._format(value))
        else:
            ctx.write_object(value)

    def _validate_ranges(self) -> None:
        """Mirror [ValidateRange]: the binder's message, raised before anything runs."""
        for name, (low, high) in _RANGES.items():
            value = getattr(self, name)
            if value is None or not was_bound(self, name):
                continue
            if value < low:
                detail = (f"The {value} argument is less than the minimum allowed range of {low}. Supply an "
                          f"argument that is greater than or equal to {low} and then try the command again.")
            elif value > high:
                detail = (f"The {value} argument is greater than the maximum allowed range of {high}. Supply an "
                          f"argument that is less than or equal to {high} and then try the command again.")
            else:
                continue
            raise PSError(record_for(self, f"Cannot validate argument on parameter '{name}'. {detail}",
                                     "ParameterArgumentValidationError", "InvalidData", target=value,
                                     reason="ParameterBindingValidationException"))

    def _adjust(self, value: _dt.datetime) -> _dt.datetime:
        """PowerShell adds offsets in order (year, month, day...), so ``-Month 2 -Day 31`` rolls over
        into March exactly as Windows PowerShell does."""
        if self.Year is not None:
            value = _add_years(value, self.Year - value.year)
        if self.Month is not None:
            value = _add_months(value, self.Month - value.month)
        if self.Day is not None:
            value += _dt.timedelta(days=self.Day - value.day)
        if self.Hour is not None:
            value += _dt.timedelta(hours=self.Hour - value.hour)
        if self.Minute is not None:
            value += _dt.timedelta(minutes=self.Minute - value.minute)
        if self.Second is not None:
            value += _dt.timedelta(seconds=self.Second - value.second)
        if self.Millisecond is not None:
            value += _dt.timedelta(milliseconds=self.Millisecond - value.microsecond // 1000)
        return value

    def _format(self, value: _dt.datetime) -> str:
        try:
            return dotnet_format.format_value(value, self.Format)
        except dotnet_format.FormatError as exc:
            raise PSError(record_for(self, str(exc) or "Input string was not in a correct format.",
                                     "System.FormatException", "NotSpecified", reason="FormatException")) from None


def _add_months(value: _dt.datetime, months: int) -> _dt.datetime:
    """``DateTime.AddMonths``: the day is clamped to the target month's length."""
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def _add_years(value: _dt.datetime, years: int) -> _dt.datetime:
    return _add_months(value, 12 * years)


# ---------------------------------------------------------------------------------------------
# -UFormat (Windows PowerShell 5.1's table)
# ---------------------------------------------------------------------------------------------

def _hour12(value: _dt.datetime) -> int:
    return value.hour % 12 or 12


_UFORMAT: dict[str, Callable[[_dt.datetime], str]] = {
    "a": lambda d: d.strftime("%a"),
    "A": lambda d: d.strftime("%A"),
    "b": lambda d: d.strftime("%b"),
    "B": lambda d: d.strftime("%B"),
    "c": lambda d: f"{d:%a} {d:%b} {d.day:2d} {d:%H:%M:%S} {d.year}",
    "C": lambda d: f"{d.year // 100:02d}",
    "d": lambda d: f"{d.day:02d}",
    "D": lambda d: f"{d:%m/%d/%y}",
    "e": lambda d: f"{d.day:2d}",
    "G": lambda d: str(d.year),
    "g": lambda d: f"{d.year % 100:02d}",
    "h": lambda d: d.strftime("%b"),
    "H": lambda d: f"{d.hour:02d}",
    "I": lambda d: f"{_hour12(d):02d}",
    "j": lambda d: f"{d.timetuple().tm_yday:03d}",
    "k": lambda d: f"{d.hour:2d}",
    "l": lambda d: f"{_hour12(d):2d}",
    "m": lambda d: f"{d.month:02d}",
    "M": lambda d: f"{d.minute:02d}",
    "n": lambda d: "\n",
    "p": lambda d: "AM" if d.hour < 12 else "PM",
    "r": lambda d: f"{_hour12(d):02d}:{d.minute:02d}:{d.second:02d} {'AM' if d.hour < 12 else 'PM'}",
    "R": lambda d: f"{d.hour:02d}:{d.minute:02d}",
    "s": lambda d: str(int(d.timestamp())),
    "S": lambda d: f"{d.second:02d}",
    "t": lambda d: "\t",
    "T": lambda d: f"{d:%H:%M:%S}",
    "u": lambda d: str(d.isoweekday()),
    "U": lambda d: d.strftime("%U"),
    "V": lambda d: f"{d.isocalendar()[1]:02d}",
    "w": lambda d: str(d.isoweekday() % 7),
    "W": lambda d: d.strftime("%W"),
    "x": lambda d: f"{d:%m/%d/%y}",
    "X": lambda d: f"{d:%H:%M:%S}",
    "y": lambda d: f"{d.year % 100:02d}",
    "Y": lambda d: str(d.year),
    "Z": lambda d: _utc_offset(d),
}


def _utc_offset(value: _dt.datetime) -> str:
    """``%Z`` is the hours offset from UTC, ``-07`` / ``+01`` (the .NET ``zz`` pattern)."""
    offset = value.astimezone().utcoffset() or _dt.timedelta(0)
    hours = int(offset.total_seconds() // 3600)
    return f"{'+' if hours >= 0 else '-'}{abs(hours):02d}"


def uformat(value: _dt.datetime, fmt: str) -> str:
    """Expand ``%x`` specifiers; unknown specifiers print the letter, other text is copied."""
    out: list[str] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == "%" and i + 1 < len(fmt):
            spec = fmt[i + 1]
            render = _UFORMAT.get(spec)
            out.append(render(value) if render else spec)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)

"""DateTime and TimeSpan text in the en-US culture: ``ToString(fmt)``, ``Get-Date -Format`` and parsing.

Formatting follows .NET Framework 4.x (what Windows PowerShell 5.1 runs on): the standard patterns of
en-US (``d`` is ``M/d/yyyy``, ``G`` is ``M/d/yyyy h:mm:ss tt``) and the custom specifiers (``yyyy-MM-dd``,
``HH:mm``, ``'literal'``). Parsing is ``DateTime.Parse`` with the en-US culture, the one parser behind
casts (``[datetime]'3/14/2026'``), comparisons (``$d -lt '3/14/2026'``) and ``[datetime]::Parse``, so
they can never disagree about what a date string means.
"""
from __future__ import annotations

import datetime as _dt
import re

from csshell.runtime.format_exception import BAD_FORMAT, FormatError
from csshell.runtime.values import format_timespan

DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]

# en-US standard DateTime patterns (DateTimeFormatInfo of en-US on .NET Framework)
DATE_PATTERNS = {
    "d": "M/d/yyyy", "D": "dddd, MMMM d, yyyy", "f": "dddd, MMMM d, yyyy h:mm tt",
    "F": "dddd, MMMM d, yyyy h:mm:ss tt", "g": "M/d/yyyy h:mm tt", "G": "M/d/yyyy h:mm:ss tt",
    "m": "MMMM d", "M": "MMMM d", "o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
    "O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK", "r": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
    "R": "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    "t": "h:mm tt", "T": "h:mm:ss tt", "u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
    "U": "dddd, MMMM d, yyyy h:mm:ss tt", "y": "MMMM yyyy", "Y": "MMMM yyyy",
}


# =============================================================================================
# DateTime
# =============================================================================================

def format_date(value: _dt.datetime, fmt: str) -> str:
    """``DateTime.ToString(fmt)`` in en-US."""
    if len(fmt) == 1:
        if fmt not in DATE_PATTERNS:
            raise FormatError(BAD_FORMAT)
        if fmt == "U":
            value = to_universal(value)
        return _format_date_custom(value, DATE_PATTERNS[fmt])
    return _format_date_custom(value, fmt)


def to_universal(value: _dt.datetime) -> _dt.datetime:
    """A naive value is local time (like Get-Date); the result is a UTC-aware datetime."""
    return value.astimezone(_dt.timezone.utc)


def _offset(value: _dt.datetime) -> _dt.timedelta:
    offset = value.utcoffset() if value.tzinfo else value.astimezone().utcoffset()
    return offset or _dt.timedelta(0)


def _tokens(fmt: str) -> list[tuple[str, int]]:
    """Custom-format tokens: (letter, repeat count) or ('lit:TEXT', 0)."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(fmt):
        ch = fmt[i]
        if ch in "'\"":
            end = fmt.find(ch, i + 1)
            if end < 0:
                raise FormatError(BAD_FORMAT)
            out.append(("lit:" + fmt[i + 1:end], 0))
            i = end + 1
        elif ch == "\\":
            if i + 1 >= len(fmt):
                raise FormatError(BAD_FORMAT)
            out.append(("lit:" + fmt[i + 1], 0))
            i += 2
        elif ch == "%":
            i += 1
        elif ch.isalpha() and ch in "dfFghHKmMstyz":
            j = i
            while j < len(fmt) and fmt[j] == ch:
                j += 1
            out.append((ch, j - i))
            i = j
        else:
            out.append(("raw:" + ch, 0))
            i += 1
    return out


def _format_date_custom(value: _dt.datetime, fmt: str) -> str:
    out: list[str] = []
    for letter, count in _tokens(fmt):
        if letter[:4] in ("lit:", "raw:"):
            out.append(letter[4:])
            continue
        piece = _date_piece(value, letter, count)
        if letter == "F" and piece == "" and out and out[-1].endswith("."):
            out[-1] = out[-1][:-1]
        out.append(piece)
    return "".join(out)


def _date_piece(v: _dt.datetime, letter: str, count: int) -> str:
    if letter == "d":
        if count <= 2:
            return str(v.day).rjust(count, "0")
        name = DAY_NAMES[v.weekday()]
        return name[:3] if count == 3 else name
    if letter == "M":
        if count <= 2:
            return str(v.month).rjust(count, "0")
        name = MONTH_NAMES[v.month - 1]
        return name[:3] if count == 3 else name
    if letter == "y":
        if count <= 2:
            return str(v.year % 100).rjust(count, "0")
        return str(v.year).rjust(count, "0")
    if letter in "fF":
        if count > 7:
            raise FormatError(BAD_FORMAT)
        digits = f"{v.microsecond:06d}0"[:count]
        return digits if letter == "f" else digits.rstrip("0")
    if letter == "h":
        return str(v.hour % 12 or 12).rjust(min(count, 2), "0")
    if letter == "H":
        return str(v.hour).rjust(min(count, 2), "0")
    if letter == "m":
        return str(v.minute).rjust(min(count, 2), "0")
    if letter == "s":
        return str(v.second).rjust(min(count, 2), "0")
    if letter == "t":
        tt = "AM" if v.hour < 12 else "PM"
        return tt[0] if count == 1 else tt
    if letter == "g":
        return "A.D."
    if letter == "K":
        if v.tzinfo is None:
            return ""
        return "Z" if v.utcoffset() == _dt.timedelta(0) else _offset_text(_offset(v), 3)
    if letter == "z":
        return _offset_text(_offset(v), count)
    raise FormatError(BAD_FORMAT)


def _offset_text(offset: _dt.timedelta, count: int) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    if count == 1:
        return f"{sign}{hours}"
    if count == 2:
        return f"{sign}{hours:02d}"
    return f"{sign}{hours:02d}:{mins:02d}"


# =============================================================================================
# TimeSpan
# =============================================================================================

def format_duration(value: _dt.timedelta, fmt: str) -> str:
    """``TimeSpan.ToString(fmt)``: ``c``, ``g``, ``G`` or a custom format (literals must be quoted)."""
    negative = value < _dt.timedelta(0)
    total = abs(value)
    days, rem = total.days, total.seconds
    hours, rem = divmod(rem, 3600)
    minutes, seconds = divmod(rem, 60)
    ticks = total.microseconds * 10
    sign = "-" if negative else ""
    if fmt in ("c", "t", "T"):
        return format_timespan(value)
    if fmt == "g":
        frac = f".{ticks:07d}".rstrip("0").rstrip(".") if ticks else ""
        return f"{sign}{str(days) + ':' if days else ''}{hours}:{minutes:02d}:{seconds:02d}{frac}"
    if fmt == "G":
        return f"{sign}{days}:{hours:02d}:{minutes:02d}:{seconds:02d}.{ticks:07d}"
    out: list[str] = []
    for letter, count in _tokens(fmt):
        if letter.startswith("lit:"):
            out.append(letter[4:])
        elif letter == "d" and count <= 8:
            out.append(str(days).rjust(count, "0"))
        elif letter in "hms" and count <= 2:
            number = {"h": hours, "m": minutes, "s": seconds}[letter]
            out.append(str(number).rjust(count, "0"))
        elif letter in "fF" and count <= 7:
            digits = f"{ticks:07d}"[:count]
            out.append(digits if letter == "f" else digits.rstrip("0"))
        else:
            raise FormatError(BAD_FORMAT)
    return "".join(out)


# =============================================================================================
# Parsing DateTime text (DateTime.Parse with en-US / invariant culture)
# =============================================================================================

_MONTHS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)}
_MONTHS.update({name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, 1)})
# hour[:minute[:second[.fraction]]] [AM|PM]; a bare hour needs the AM/PM designator ("9 AM")
_CLOCK = r"(\d{1,2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*([AaPp][Mm]?)?"
_TIME = r"(?:[T\s]+" + _CLOCK + r")?"
_ZONE = r"\s*(Z|[+-]\d{2}:?\d{2})?"
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + _ZONE + r"$")
_SLASH_US = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})" + _TIME + r"$")
_SLASH_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME + r"$")
_NAMED_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})" + _TIME + r"$")
_NAMED_DMY = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})" + _TIME + r"$")
_TIME_ONLY = re.compile(r"^" + _CLOCK + r"$")
_WEEKDAY = re.compile(r"^(?:" + "|".join(d.lower() + "|" + d[:3].lower() for d in DAY_NAMES) + r")\.?,?\s+", re.I)


def parse_datetime(text: str, today: _dt.date | None = None) -> _dt.datetime | None:
    """Parse en-US date text (``3/14/2026 9:30 AM``, ``2026-03-14T09:30:00``, ``March 14, 2026``).

    Returns a naive local datetime, or ``None`` when .NET would throw "String was not recognized as
    a valid DateTime." A trailing ``Z`` or offset is converted to local time, as DateTime.Parse does.
    """
    s = _WEEKDAY.sub("", text.strip())
    for pattern, order in ((_ISO, "ymd"), (_SLASH_YMD, "ymd"), (_SLASH_US, "mdy"),
                           (_NAMED_MDY, "Mdy"), (_NAMED_DMY, "dMy")):
        m = pattern.match(s)
        if m:
            return _build(m, order)
    m = _TIME_ONLY.match(s)
    if m:
        base = today or _dt.date.today()
        return _with_time(base.year, base.month, base.day, m.groups())
    return None


def _build(m: re.Match, order: str) -> _dt.datetime | None:
    g = m.groups()
    parts = dict(zip(order, g[:3]))
    month_text = parts.get("M")
    month = _MONTHS.get(month_text.lower()) if month_text else int(parts["m"])
    if month is None:
        return None
    year = int(parts["y"])
    if len(parts["y"]) == 2:
        year += 2000 if year < 30 else 1900
    result = _with_time(year, month, int(parts["d"]), g[3:8])
    zone = g[8] if len(g) > 8 else None
    if result is not None and zone:
        result = _zone_to_local(result, zone)
    return result


def _with_time(year: int, month: int, day: int, t: tuple) -> _dt.datetime | None:
    hour, minute, second, frac, ampm = (list(t) + [None] * 5)[:5]
    if hour is not None and minute is None and not ampm:
        return None
    h = int(hour or 0)
    if ampm:
        if h > 12 or h == 0:
            return None
        h = h % 12 + (12 if ampm[0] in "Pp" else 0)
    micro = int((frac or "0").ljust(7, "0")[:6])
    try:
        return _dt.datetime(year, month, day, h, int(minute or 0), int(second or 0), micro)
    except ValueError:
        return None


def _zone_to_local(value: _dt.datetime, zone: str) -> _dt.datetime:
    if zone == "Z":
        tz = _dt.timezone.utc
    else:
        digits = zone.replace(":", "")
        delta = _dt.timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        tz = _dt.timezone(-delta if digits[0] == "-" else delta)
    return value.replace(tzinfo=tz).astimezone().replace(tzinfo=None)


_EXACT_PIECES = {
    "d": r"(?P<d>\d{1,2})", "dd": r"(?P<d>\d{2})", "ddd": r"[A-Za-z]{3}", "dddd": r"[A-Za-z]+",
    "M": r"(?P<M>\d{1,2})", "MM": r"(?P<M>\d{2})", "MMM": r"(?P<Mn>[A-Za-z]{3})", "MMMM": r"(?P<Mn>[A-Za-z]+)",
    "yy": r"(?P<yy>\d{2})", "yyyy": r"(?P<y>\d{4})", "H": r"(?P<H>\d{1,2})", "HH": r"(?P<H>\d{2})",
    "h": r"(?P<h>\d{1,2})", "hh": r"(?P<h>\d{2})", "m": r"(?P<m>\d{1,2})", "mm": r"(?P<m>\d{2})",
    "s": r"(?P<s>\d{1,2})", "ss": r"(?P<s>\d{2})", "tt": r"(?P<t>[AaPp][Mm])", "t": r"(?P<t>[AaPp])",
}


def parse_exact(text: str, fmt: str) -> _dt.datetime | None:
    """``DateTime.ParseExact`` for the common custom specifiers; ``None`` when the text does not fit."""
    fmt = DATE_PATTERNS.get(fmt, fmt) if len(fmt) == 1 else fmt
    regex = []
    for letter, count in _tokens(fmt):
        if letter[:4] in ("lit:", "raw:"):
            regex.append(re.escape(letter[4:]))
        elif letter in "fF":
            regex.append(rf"(?P<f>\d{{{1 if letter == 'F' else count},{count}}})")
        else:
            piece = _EXACT_PIECES.get(letter * count)
            if piece is None:
                return None
            regex.append(piece)
    try:
        m = re.fullmatch("".join(regex), text.strip())
    except re.error:
        return None
    if not m:
        return None
    return _from_exact(m.groupdict())


def _from_exact(g: dict[str, str | None]) -> _dt.datetime | None:
    year = int(g["y"]) if g.get("y") else (2000 + int(g["yy"]) if g.get("yy") else _dt.date.today().year)
    month = int(g["M"]) if g.get("M") else (_MONTHS.get((g.get("Mn") or "").lower()) if g.get("Mn") else 1)
    if month is None:
        return None
    hour = int(g["H"]) if g.get("H") else int(g.get("h") or 0)
    if g.get("t"):
        hour = hour % 12 + (12 if g["t"][0] in "Pp" else 0)
    micro = int((g.get("f") or "0").ljust(6, "0")[:6])
    try:
        return _dt.datetime(year, month, int(g.get("d") or 1), hour, int(g.get("m") or 0),
                            int(g.get("s") or 0), micro)
    except ValueError:
        return None

""".NET format strings (en-US culture): numbers, DateTime, TimeSpan and composite ``{0,-10:N2}``.

One engine serves the ``-f`` operator, ``Get-Date -Format``, ``.ToString('yyyy-MM-dd')`` and
``[string]::Format`` so that they can never disagree. Behaviour follows .NET Framework 4.x (what
Windows PowerShell 5.1 runs on), which differs from .NET Core in places admins notice:
``(0.5).ToString('P0')`` is ``50 %`` (with a space) and negative currency is ``($1.00)``.

Doubles are first reduced to 15 significant digits and then rounded *half away from zero*, the way
.NET Framework's number formatter does, so ``'{0:N2}' -f 1.005`` gives ``1.01`` (Python would say 1.00).

Failures raise :class:`FormatError` carrying the .NET message; callers wrap it in an ErrorRecord.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from csshell.runtime.values import PSHashtable, format_number, format_timespan, to_string

BAD_FORMAT = "Input string was not in a correct format."
BAD_SPECIFIER = "Format specifier was invalid."
BAD_INDEX = "Index (zero based) must be greater than or equal to zero and less than the size of the argument list."

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


class FormatError(Exception):
    """A .NET ``FormatException``; ``str(exc)`` is the .NET message."""


# =============================================================================================
# Entry points
# =============================================================================================

def format_value(value: Any, fmt: str | None) -> str:
    """``value.ToString(fmt)`` for the IFormattable types we model; other values ignore ``fmt``."""
    if value is None:
        return ""
    if not fmt:
        return to_string(value)
    if isinstance(value, bool) or isinstance(value, str):
        return to_string(value)
    if isinstance(value, (int, float)):
        return format_numeric(value, fmt)
    if isinstance(value, _dt.datetime):
        return format_date(value, fmt)
    if isinstance(value, _dt.timedelta):
        return format_duration(value, fmt)
    return to_string(value)


def composite_format(fmt: str, args: list[Any]) -> str:
    """``String.Format(fmt, args)``: ``{index[,alignment][:format]}`` with ``{{``/``}}`` escapes."""
    out: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        ch = fmt[i]
        if ch == "}":
            if i + 1 < n and fmt[i + 1] == "}":
                out.append("}")
                i += 2
                continue
            raise FormatError(BAD_FORMAT)
        if ch != "{":
            out.append(ch)
            i += 1
            continue
        if i + 1 < n and fmt[i + 1] == "{":
            out.append("{")
            i += 2
            continue
        text, i = _format_item(fmt, i + 1, args)
        out.append(text)
    return "".join(out)


def _format_item(fmt: str, i: int, args: list[Any]) -> tuple[str, int]:
    """Format one ``{...}`` item starting after its brace; returns the text and the next index."""
    m = re.compile(r"\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?(?::([^{}]*))?}").match(fmt, i)
    if not m:
        raise FormatError(BAD_FORMAT)
    index = int(m.group(1))
    if index >= len(args):
        raise FormatError(BAD_INDEX)
    text = _argument_text(args[index], m.group(3))
    if m.group(2):
        width = int(m.group(2))
        text = text.rjust(width) if width > 0 else text.ljust(-width)
    return text, m.end()


def _argument_text(value: Any, fmt: str | None) -> str:
    """How String.Format shows one argument: .NET ToString, so arrays print their type name."""
    if isinstance(value, (list, tuple)):
        return "System.Object[]"
    if isinstance(value, PSHashtable):
        return to_string(value)
    return format_value(value, fmt)


# =============================================================================================
# Numbers
# =============================================================================================

_STANDARD = re.compile(r"^([A-Za-z])(\d{0,2})$")


def format_numeric(value: int | float, fmt: str) -> str:
    """Standard (``N2``, ``D3``, ``X``, ``C``, ``P``, ``E``, ``F``, ``G``, ``R``) or custom numeric format."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return format_number(value)
    m = _STANDARD.match(fmt)
    if m:
        return _standard_numeric(value, m.group(1), int(m.group(2)) if m.group(2) else None)
    return _custom_numeric(value, fmt)


def _to_decimal(value: int | float) -> Decimal:
    """.NET Framework first reduces a double to 15 significant digits."""
    if isinstance(value, float):
        return Decimal(f"{value:.14e}")
    return Decimal(value)


def _rounded(value: int | float, digits: int) -> Decimal:
    return _to_decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _fixed(value: int | float, digits: int, group: bool) -> str:
    """Absolute value with ``digits`` decimals, optionally with thousands separators."""
    d = abs(_rounded(value, digits))
    text = f"{d:,.{digits}f}" if group else f"{d:.{digits}f}"
    return text


def _is_negative(value: int | float, digits: int) -> bool:
    return _rounded(value, digits) < 0


def _standard_numeric(value: int | float, spec: str, precision: int | None) -> str:
    kind = spec.upper()
    if kind in ("N", "F"):
        digits = 2 if precision is None else precision
        sign = "-" if _is_negative(value, digits) else ""
        return sign + _fixed(value, digits, kind == "N")
    if kind == "C":
        digits = 2 if precision is None else precision
        body = "$" + _fixed(value, digits, True)
        return f"({body})" if _is_negative(value, digits) else body
    if kind == "P":
        digits = 2 if precision is None else precision
        scaled = _to_decimal(value) * 100
        sign = "-" if scaled.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP) < 0 else ""
        return sign + _fixed(float(scaled), digits, True) + " %"
    if kind == "D":
        if not isinstance(value, int):
            raise FormatError(BAD_SPECIFIER)
        digits = str(abs(value)).rjust(precision or 0, "0")
        return ("-" if value < 0 else "") + digits
    if kind == "X":
        if not isinstance(value, int):
            raise FormatError(BAD_SPECIFIER)
        bits = 32 if -2**31 <= value < 2**31 else 64
        text = format(value & (2**bits - 1) if value < 0 else value, "X" if spec == "X" else "x")
        return text.rjust(precision or 0, "0")
    if kind == "E":
        return _exponential(value, 6 if precision is None else precision, spec, 3)
    if kind in ("G", "R"):
        return _general(value, precision if kind == "G" else None, "E" if spec.isupper() else "e")
    raise FormatError(BAD_SPECIFIER)


def _exponential(value: int | float, digits: int, letter: str, exp_width: int) -> str:
    d = _to_decimal(value)
    if d == 0:
        mantissa, exp = Decimal(0), 0
    else:
        exp = d.adjusted()
        mantissa = (d.scaleb(-exp)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        if abs(mantissa) >= 10:
            exp += 1
            mantissa = (d.scaleb(-exp)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    sign = "-" if exp < 0 else "+"
    return f"{mantissa:.{digits}f}{letter}{sign}{abs(exp):0{exp_width}d}"


def _general(value: int | float, precision: int | None, letter: str) -> str:
    if isinstance(value, int) and not precision:
        return str(value)
    if not precision:
        return format_number(float(value)) if letter == "E" else format_number(float(value)).replace("E", "e")
    text = f"{float(value):.{precision}g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        text = f"{mantissa}{letter}{'-' if exp.startswith('-') else '+'}{abs(int(exp)):02d}"
    return text


# --- custom numeric formats ("0.00", "#,##0", "(###) ###-####", "0.0%") ------------------------

def _split_sections(fmt: str) -> list[str]:
    sections, current, i = [], [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch in "'\"":
            end = fmt.find(ch, i + 1)
            end = len(fmt) - 1 if end < 0 else end
            current.append(fmt[i:end + 1])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(fmt):
            current.append(fmt[i:i + 2])
            i += 2
            continue
        if ch == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    sections.append("".join(current))
    return sections


def _tokenize_numeric(section: str) -> list[tuple[str, str]]:
    """Tokens: ('0'|'#'|'.'|','|'%'|'E', text) or ('lit', text)."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch in "'\"":
            end = section.find(ch, i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1:end]))
            i = end + 1
        elif ch == "\\":
            tokens.append(("lit", section[i + 1:i + 2]))
            i += 2
        elif ch in "Ee" and re.match(r"[Ee][+-]?0", section[i:]):
            m = re.match(r"[Ee]([+-]?)(0+)", section[i:])
            tokens.append(("E", m.group(0)))
            i += len(m.group(0))
        elif ch in "0#.,%":
            tokens.append((ch, ch))
            i += 1
        else:
            tokens.append(("lit", ch))
            i += 1
    return tokens


def _custom_numeric(value: int | float, fmt: str) -> str:
    sections = _split_sections(fmt)
    section, absolute = sections[0], False
    if value < 0 and len(sections) > 1 and sections[1] != "":
        section, absolute = sections[1], True
    elif value == 0 and len(sections) > 2 and sections[2] != "":
        section = sections[2]
    text, negative = _render_custom(value, _tokenize_numeric(section))
    return ("-" + text) if negative and not absolute else text


def _render_custom(value: int | float, tokens: list[tuple[str, str]]) -> tuple[str, bool]:
    point = next((k for k, (kind, _) in enumerate(tokens) if kind == "."), len(tokens))
    int_tokens = [k for k in range(point) if tokens[k][0] in "0#"]
    dec_kinds = [tokens[k][0] for k in range(point + 1, len(tokens)) if tokens[k][0] in "0#"]
    scale = Decimal(1)
    for kind, _ in tokens:
        scale *= 100 if kind == "%" else 1
    last_int = int_tokens[-1] if int_tokens else -1
    trailing = 0
    for k in range(last_int + 1, point):           # "#,##0,," scales by 1000 per trailing comma
        trailing = trailing + 1 if tokens[k][0] == "," else trailing
    scale /= Decimal(1000) ** trailing
    grouping = any(tokens[k][0] == "," for k in range(int_tokens[0] + 1, last_int)) if int_tokens else False
    exp_token = next((t for kind, t in tokens if kind == "E"), None)
    number = _to_decimal(value) * scale
    exponent = None
    if exp_token and number != 0:
        exponent = number.adjusted() - max(len(int_tokens), 1) + 1
        number = number.scaleb(-exponent)
    elif exp_token:
        exponent = 0
    rounded = number.quantize(Decimal(1).scaleb(-len(dec_kinds)), rounding=ROUND_HALF_UP)
    negative = rounded < 0
    int_digits, _, dec_digits = f"{abs(rounded):.{len(dec_kinds)}f}".partition(".")
    int_digits = int_digits.lstrip("0")
    first_zero = next((n for n, k in enumerate(int_tokens) if tokens[k][0] == "0"), len(int_tokens))
    int_digits = int_digits.rjust(len(int_tokens) - first_zero, "0")
    min_dec = max((n + 1 for n, kind in enumerate(dec_kinds) if kind == "0"), default=0)
    dec_digits = dec_digits[:max(len(dec_digits.rstrip("0")), min_dec)]
    filled = _fill_integer(tokens, int_tokens, int_digits, grouping)
    out: list[str] = []
    dec_index = 0
    for k, (kind, text) in enumerate(tokens):
        if k in filled:
            out.append(filled[k])
        elif kind == "." and k == point:
            out.append("." if dec_digits else "")
        elif kind in "0#" and k > point:
            out.append(dec_digits[dec_index] if dec_index < len(dec_digits) else "")
            dec_index += 1
        elif kind == "%":
            out.append("%")
        elif kind == "E":
            sign = "-" if exponent < 0 else ("+" if "+" in text else "")
            out.append(text[0] + sign + str(abs(exponent)).rjust(text.count("0"), "0"))
        elif kind == "lit":
            out.append(text)
        elif kind == "," and not int_tokens:
            out.append(",")
    return "".join(out), negative


def _fill_integer(tokens: list[tuple[str, str]], int_tokens: list[int], digits: str,
                  grouping: bool) -> dict[int, str]:
    """Assign integer digits to placeholders right to left; surplus digits go to the first one."""
    if not int_tokens:
        return {}
    if grouping:
        grouped = f"{int(digits):,}" if digits else ""
        if digits and len(digits) > len(str(int(digits))):
            grouped = digits[:len(digits) - len(str(int(digits)))] + grouped
        result = {k: "" for k in int_tokens}
        result[int_tokens[0]] = grouped
        return result
    result: dict[int, str] = {}
    remaining = digits
    for n, k in enumerate(reversed(int_tokens)):
        if n == len(int_tokens) - 1:
            result[k] = remaining
        else:
            result[k] = remaining[-1:] if remaining else ""
            remaining = remaining[:-1]
    return result


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
_CLOCK = r"(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AaPp][Mm]?)?"
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

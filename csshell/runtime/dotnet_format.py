""".NET format strings (en-US culture): numbers, DateTime, TimeSpan and composite ``{0,-10:N2}``.

One engine serves the ``-f`` operator, ``Get-Date -Format``, ``.ToString('yyyy-MM-dd')`` and
``[string]::Format`` so that they can never disagree. Behaviour follows .NET Framework 4.x (what
Windows PowerShell 5.1 runs on), which differs from .NET Core in places admins notice:
``(0.5).ToString('P0')`` is ``50 %`` (with a space) and negative currency is ``($1.00)``.

Doubles are first reduced to 15 significant digits and then rounded *half away from zero*, the way
.NET Framework's number formatter does, so ``'{0:N2}' -f 1.005`` gives ``1.01`` (Python would say 1.00).

Numbers and composite formatting are here; DateTime and TimeSpan patterns (and DateTime parsing) are in
``date_format.py``, re-exported below. Failures raise :class:`FormatError` carrying the .NET message;
callers wrap it in an ErrorRecord.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# DateTime/TimeSpan formatting and parsing live in date_format.py; they are re-exported so that callers
# need one module for every .NET format string.
from csshell.runtime.date_format import (DATE_PATTERNS, DAY_NAMES, MONTH_NAMES, format_date,  # noqa: F401
                                         format_duration, parse_datetime, parse_exact, to_universal)
from csshell.runtime.format_exception import BAD_FORMAT, BAD_INDEX, BAD_SPECIFIER, FormatError  # noqa: F401
from csshell.runtime.values import PSHashtable, format_number, to_string


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

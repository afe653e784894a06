"""PowerShell's ``LanguagePrimitives.ConvertTo`` for the type names cmdlets declare and scripts cast to.

Two callers, two sets of rules:

* a cast (``[int]"42"``, ``[bool]"false"``) converts as generously as PowerShell does;
* parameter binding (``parameter=`` given) is stricter where PowerShell is: a Boolean or switch
  parameter accepts only Booleans and numbers, and a collection never binds to a scalar parameter.

Types are named as in declarations (``string``, ``int[]``, ``UserIdParameter``...); unknown names
convert like ``object`` (no conversion). Failures raise :class:`ConversionError` carrying the exact
PowerShell wording, so the binder and the evaluator can wrap it in an ``ErrorRecord``.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import sys
from typing import Any

# DateTime.Parse (en-US): one parser for casts, binding, -eq/-lt and [datetime]::Parse
from csshell.runtime.date_format import parse_datetime
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, parse_number, to_bool,
                                    to_string, type_name)

# canonical key -> .NET full name
_DOTNET = {
    "string": "System.String", "char": "System.Char", "int": "System.Int32", "long": "System.Int64",
    "uint": "System.UInt32", "ulong": "System.UInt64", "byte": "System.Byte",
    "double": "System.Double", "single": "System.Single", "decimal": "System.Decimal",
    "bool": "System.Boolean", "switch": "System.Management.Automation.SwitchParameter",
    "datetime": "System.DateTime", "timespan": "System.TimeSpan",
    "scriptblock": "System.Management.Automation.ScriptBlock",
    "hashtable": "System.Collections.Hashtable", "object": "System.Object",
    "psobject": "System.Management.Automation.PSObject",
    "pscustomobject": "System.Management.Automation.PSObject",
    "regex": "System.Text.RegularExpressions.Regex", "guid": "System.Guid",
    "actionpreference": "System.Management.Automation.ActionPreference",
    "useridparameter": "Microsoft.Rtc.Management.AD.UserIdParameter",
    "xdsidentity": "Microsoft.Rtc.Management.Xds.XdsIdentity",
    "ouidparameter": "Microsoft.Rtc.Management.AD.OUIdParameter",
    "fqdn": "Microsoft.Rtc.Management.Deploy.Fqdn",
}
_ALIASES = {
    "system.string": "string", "int32": "int", "system.int32": "int", "integer": "int",
    "int64": "long", "system.int64": "long", "uint32": "uint", "system.uint32": "uint",
    "uint64": "ulong", "system.uint64": "ulong", "float": "single", "system.double": "double",
    "boolean": "bool", "system.boolean": "bool", "switchparameter": "switch",
    "system.datetime": "datetime", "system.timespan": "timespan", "system.object": "object",
    "array": "object[]", "system.array": "object[]", "system.collections.hashtable": "hashtable",
    "system.management.automation.scriptblock": "scriptblock",
    "system.management.automation.actionpreference": "actionpreference",
    "system.management.automation.psobject": "psobject", "system.guid": "guid",
    "system.text.regularexpressions.regex": "regex",
}
# SfB identity types: admins type them as strings; the cmdlet resolves them.
_IDENTITY_TYPES = {"useridparameter", "xdsidentity", "ouidparameter", "fqdn"}
_ADUSER_SUFFIXES = (".aduser", ".ocsaduser")
_INT_RANGES = {"int": (-2**31, 2**31 - 1, "an Int32"), "long": (-2**63, 2**63 - 1, "an Int64"),
               "uint": (0, 2**32 - 1, "a UInt32"), "ulong": (0, 2**64 - 1, "a UInt64"),
               "byte": (0, 255, "an unsigned byte")}
ACTION_PREFERENCES = ("SilentlyContinue", "Stop", "Continue", "Inquire", "Ignore", "Suspend")
_FLOAT_RANGES = {"double": (sys.float_info.max, "a Double"), "single": (3.4028234663852886e38, "a Single"),
                 "decimal": (79228162514264337593543950335, "a Decimal")}
_BAD_FORMAT = "Input string was not in a correct format."
_MAX_TICKS = 3155378975999999999                    # DateTime.MaxValue.Ticks
_TIMESPAN_MAX_DAYS = 10675199                       # TimeSpan.MaxValue.Days
_TIMESPAN_OVERFLOW = ("The TimeSpan could not be parsed because at least one of the numeric components is out of "
                      "range or contains too many digits.")


class ConversionError(Exception):
    """A failed conversion. ``message`` is PowerShell's text.

    ``error_id`` is ``CannotConvertArgument`` when the message is already the complete binder
    message (Boolean parameters, collections to scalars), otherwise ``InvalidCastException``-style
    text the binder prefixes with ``Cannot bind parameter 'X'.``.
    """

    def __init__(self, message: str, error_id: str = "InvalidCast") -> None:
        super().__init__(message)
        self.message = message
        self.error_id = error_id


# ---------------------------------------------------------------------------------------------
# Type names
# ---------------------------------------------------------------------------------------------

def canonical_type(type_name_: str) -> str:
    """The lower-case key a declared type name stands for (``Int32`` -> ``int``, ``String[]`` -> ``string[]``).

    Memoised: the binder asks for every parameter of every pipeline object, and declarations use a
    few dozen type names.
    """
    key = _CANONICAL.get(type_name_)
    if key is None:
        low = type_name_.strip().lower()
        key = canonical_type(low[:-2]) + "[]" if low.endswith("[]") else _ALIASES.get(low, low)
        if len(_CANONICAL) < _CANONICAL_LIMIT:
            _CANONICAL[type_name_] = key
    return key


_CANONICAL: dict[str, str] = {}
_CANONICAL_LIMIT = 4096      # script casts may name arbitrary types: keep the memo bounded


def is_array_type(type_name_: str) -> bool:
    return canonical_type(type_name_).endswith("[]")


def element_type(type_name_: str) -> str:
    """``string[]`` -> ``string``; a scalar type is its own element type."""
    key = canonical_type(type_name_)
    return key[:-2] if key.endswith("[]") else key


def type_display_name(type_name_: str, *, full: bool = False) -> str:
    """How messages and Get-Help name a type.

    System types use their .NET name (``System.Int32``); SfB parameter types and switches use the
    short names the SfB docs print (``UserIdParameter``, ``SwitchParameter``) unless ``full`` asks for
    the fully-qualified name PowerShell puts in binder messages. Unknown names are shown as written.
    """
    key = canonical_type(type_name_)
    if key.endswith("[]"):
        base = key[:-2] if key[:-2] in _DOTNET else type_name_.strip()[:-2]
        return type_display_name(base, full=full) + "[]"
    if key not in _DOTNET:
        return type_name_
    dotnet = _DOTNET[key]
    if full or (dotnet.startswith("System.") and key != "switch"):
        return dotnet
    return dotnet.rsplit(".", 1)[-1]


def help_type_name(type_name_: str) -> str:
    """The short name Get-Help shows in syntax lines: ``<String>``, ``<Int32[]>``, ``<UserIdParameter>``."""
    key = canonical_type(type_name_)
    suffix = "[]" if key.endswith("[]") else ""
    base = key[:-2] if suffix else key
    if base not in _DOTNET:
        return type_name_
    return _DOTNET[base].rsplit(".", 1)[-1] + suffix


# ---------------------------------------------------------------------------------------------
# Exact type test (binding tries exact matches before conversions)
# ---------------------------------------------------------------------------------------------

def is_exact_type(value: Any, type_name_: str) -> bool:
    """True when ``value`` already is of the declared type, so binding needs no conversion."""
    key = canonical_type(type_name_)
    if key.endswith("[]"):
        # a single element of the element type is wrapped, not converted (PowerShell binds it exactly)
        if not isinstance(value, list):
            return key[:-2] not in ("object", "psobject") and is_exact_type(value, key[:-2])
        return all(is_exact_type(v, key[:-2]) for v in value)
    if key in ("object", "psobject") or key not in _DOTNET:
        return True
    if key in _INT_RANGES:
        lo, hi, _ = _INT_RANGES[key]
        return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi
    if key in _IDENTITY_TYPES:
        return isinstance(value, str) or (key == "useridparameter" and is_ad_user(value))
    return _EXACT_CHECKS[key](value)


_EXACT_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "char": lambda v: isinstance(v, str) and len(v) == 1,
    "bool": lambda v: isinstance(v, bool), "switch": lambda v: isinstance(v, bool),
    "double": lambda v: isinstance(v, float), "single": lambda v: isinstance(v, float),
    "decimal": lambda v: isinstance(v, float),
    "datetime": lambda v: isinstance(v, _dt.datetime),
    "timespan": lambda v: isinstance(v, _dt.timedelta),
    "guid": lambda v: type_name(v) == "System.Guid",
    "scriptblock": lambda v: isinstance(v, ScriptBlock),
    "hashtable": lambda v: isinstance(v, PSHashtable),
    "pscustomobject": lambda v: isinstance(v, PSObject),
    "regex": lambda v: isinstance(v, re.Pattern),
    "actionpreference": lambda v: isinstance(v, str) and v in ACTION_PREFERENCES,
}


def is_ad_user(value: Any) -> bool:
    """A user object from Get-CsUser (``Microsoft.Rtc.Management.ADConnect.Schema.ADUser`` or derived).

    The answer depends only on the type names, remembered per tuple of them: the binder asks for every
    object a pipeline of 100,000 users brings.
    """
    if not isinstance(value, PSObject):
        return False
    names = tuple(value.type_names)
    found = _AD_USER_NAMES.get(names)
    if found is None:
        found = any(t.lower().endswith(_ADUSER_SUFFIXES) for t in names)
        if len(_AD_USER_NAMES) < _CANONICAL_LIMIT:
            _AD_USER_NAMES[names] = found
    return found


_AD_USER_NAMES: dict[tuple[str, ...], bool] = {}


# ---------------------------------------------------------------------------------------------
# Conversion
# ---------------------------------------------------------------------------------------------

def convert_to(value: Any, type_name_: str, *, parameter: str | None = None) -> Any:
    """Convert ``value`` to the declared type (a cast, or binding when ``parameter`` is given).

    Raises :class:`ConversionError` with PowerShell's message when the value does not convert.
    """
    key = canonical_type(type_name_)
    if key.endswith("[]"):
        return _to_array(value, key[:-2], type_name_, parameter)
    if parameter is not None and isinstance(value, list) and key not in ("object", "psobject", "actionpreference") \
            and key in _DOTNET:
        raise ConversionError(
            f"Cannot convert '{type_name(value)}' to the type '{type_display_name(key, full=True)}' "
            f"required by parameter '{parameter}'. Specified method is not supported.", "CannotConvertArgument")
    if key not in _DOTNET or key in ("object", "psobject"):
        return value
    if key in ("bool", "switch"):
        return _to_bool(value, key, parameter)
    return _CONVERTERS.get(key, _to_identity)(value, key)


def _fail(value: Any, key: str, error: str | None = None) -> ConversionError:
    target = type_display_name(key, full=True)
    if error is not None:
        return ConversionError(f'Cannot convert value "{to_string(value)}" to type "{target}". Error: "{error}"')
    return ConversionError(f'Cannot convert the "{to_string(value)}" value of type "{type_name(value)}" '
                           f'to type "{target}".')


def _to_array(value: Any, element: str, type_name_: str, parameter: str | None) -> Any:
    if value is None:
        return None
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if element in ("object", "psobject"):
        return items
    out = []
    for item in items:
        try:
            out.append(convert_to(item, element, parameter=parameter))
        except ConversionError as exc:
            if parameter is not None or not isinstance(value, list):
                raise
            raise ConversionError(f'Cannot convert value "{type_name(value)}" to type '
                                  f'"{type_display_name(type_name_, full=True)}". Error: "{exc.message}"') from None
    return out


def _to_string(value: Any, key: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, ScriptBlock):
        return value.text
    return to_string(value)


def _to_char(value: Any, key: str) -> str:
    if isinstance(value, str):
        if len(value) == 1:
            return value
        raise _fail(value, key, "String must be exactly one character long.")
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF:
        return chr(value)
    raise _fail(value, key)


def _to_int(value: Any, key: str) -> int:
    lo, hi, article = _INT_RANGES[key]
    if value is None:
        return 0
    if isinstance(value, bool):
        number: Any = int(value)
    elif isinstance(value, (int, float)):
        number = value
    elif isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise _fail(value, key, _BAD_FORMAT)
    else:
        raise _fail(value, key)
    if isinstance(number, float):
        if number != number or number in (float("inf"), float("-inf")):
            raise _fail(value, key, f"Value was either too large or too small for {article}.")
        number = round(number)            # banker's rounding, like [int]2.5 -> 2
    if not lo <= number <= hi:
        raise _fail(value, key, f"Value was either too large or too small for {article}.")
    return number


def _to_float(value: Any, key: str) -> float:
    if value is None:
        return 0.0
    if isinstance(value, (bool, int, float)):
        return _in_float_range(value, float(value), key)
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise _fail(value, key, _BAD_FORMAT)
        if math.isinf(number):      # .NET Framework's Double.Parse overflows; it never gives Infinity
            raise _fail(value, key, f"Value was either too large or too small for {_FLOAT_RANGES[key][1]}.")
        return _in_float_range(value, float(number), key)
    raise _fail(value, key)


def _in_float_range(value: Any, number: float, key: str) -> float:
    """Single and Decimal hold less than Double: a larger finite value is an overflow, as in .NET."""
    limit, article = _FLOAT_RANGES[key]
    if math.isfinite(number) and abs(number) > limit:
        raise _fail(value, key, f"Value was either too large or too small for {article}.")
    return number


def _to_bool(value: Any, key: str, parameter: str | None) -> bool:
    """A cast follows truthiness; a Boolean/switch *parameter* takes only Booleans and numbers."""
    if parameter is None:
        return to_bool(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    raise ConversionError(
        f"Cannot convert '{type_name(value)}' to the type '{type_display_name(key, full=True)}' required by "
        f"parameter '{parameter}'. Boolean parameters accept only Boolean values and numbers, such as "
        f"$True, $False, 1 or 0.", "CannotConvertArgument")


_TICKS_EPOCH = _dt.datetime(1, 1, 1)


def _to_datetime(value: Any, key: str) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        if value > _MAX_TICKS:
            raise _fail(value, key, "Ticks must be between DateTime.MinValue.Ticks and DateTime.MaxValue.Ticks.\n"
                                    "Parameter name: ticks")
        return _TICKS_EPOCH + _dt.timedelta(microseconds=value // 10)
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise _fail(value, key, "String was not recognized as a valid DateTime.")
        return parsed
    raise _fail(value, key)


_TIMESPAN = re.compile(r"^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$")


def _to_timespan(value: Any, key: str) -> _dt.timedelta:
    if isinstance(value, _dt.timedelta):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        if not -2**63 <= value < 2**63:     # ticks are an Int64
            raise _fail(value, key)
        return _dt.timedelta(microseconds=value // 10)
    if isinstance(value, str):
        return _parse_timespan(value, key)
    raise _fail(value, key)


_DAYS = re.compile(r"(-)?(\d+)")


def _parse_timespan(value: str, key: str) -> _dt.timedelta:
    """TimeSpan.Parse: ``d`` or ``[-][d.]hh:mm[:ss[.fffffff]]``.

    A day count beyond TimeSpan's range is .NET's overflow message, not a Python OverflowError.
    """
    text = value.strip()
    days_only = _DAYS.fullmatch(text)
    m = days_only or _TIMESPAN.match(text)
    if m is None:
        raise _fail(value, key, "String was not recognized as a valid TimeSpan.")
    days = m.group(2) and (m.group(2).lstrip("0") or "0")      # leading zeros count towards int()'s limit
    if days and (len(days) > len(str(_TIMESPAN_MAX_DAYS)) or int(days) > _TIMESPAN_MAX_DAYS):
        raise _fail(value, key, _TIMESPAN_OVERFLOW)
    span = _dt.timedelta(days=int(days)) if days_only else _clock_span(value, key, m, int(days or 0))
    return -span if m.group(1) else span


def _clock_span(value: str, key: str, m: re.Match, days: int) -> _dt.timedelta:
    """The ``[d.]hh:mm[:ss[.fffffff]]`` form; hours, minutes and seconds must be in range."""
    _, _, hours, minutes, seconds, frac = m.groups()
    if not (int(hours) < 24 and int(minutes) < 60 and int(seconds or 0) < 60):
        raise _fail(value, key, "String was not recognized as a valid TimeSpan.")
    return _dt.timedelta(days=days, hours=int(hours), minutes=int(minutes), seconds=int(seconds or 0),
                         microseconds=int((frac or "0").ljust(7, "0")) // 10)


def _to_scriptblock(value: Any, key: str) -> ScriptBlock:
    if isinstance(value, ScriptBlock):
        return value
    raise _fail(value, key)


def _to_hashtable(value: Any, key: str) -> PSHashtable:
    if isinstance(value, PSHashtable):
        return value
    if isinstance(value, dict):
        return PSHashtable(value.items())
    raise _fail(value, key)


def _to_pscustomobject(value: Any, key: str) -> Any:
    """``[pscustomobject]@{...}`` builds an object; any other value passes through as PowerShell does."""
    if isinstance(value, PSHashtable):
        return PSObject(list(value.items()))
    if isinstance(value, dict):
        return PSObject(list(value.items()))
    return value


def _to_regex(value: Any, key: str) -> re.Pattern:
    if isinstance(value, re.Pattern):
        return value
    text = _to_string(value, "string")
    try:
        return re.compile(text)
    except re.error as exc:
        raise _fail(value, key, f'parsing "{text}" - {exc.msg}.') from None


def _to_action_preference(value: Any, key: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(ACTION_PREFERENCES):
        return ACTION_PREFERENCES[value]
    text = to_string(value).strip() if isinstance(value, str) else None
    if text is not None:
        for name in ACTION_PREFERENCES:
            if name.lower() == text.lower():
                return name
        if re.fullmatch(r"0*[0-5]", text):        # a number names the value at that position
            return ACTION_PREFERENCES[int(text[-1])]
    names = ", ".join(ACTION_PREFERENCES)
    raise _fail(value, key, f"Unable to match the identifier name {to_string(value)} to a valid enumerator "
                            f"name. Specify one of the following enumerator names and try again:\n{names}")


def _to_identity(value: Any, key: str) -> Any:
    """Identity parameters (``UserIdParameter``...) are strings to the cmdlet, or a Get-CsUser object.

    Any other object fails, so the binder can go on to bind one of its properties by name.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, ScriptBlock):
        raise _fail(value, key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return to_string(value)
    if key == "useridparameter" and is_ad_user(value):
        return value
    raise _fail(value, key)


def _to_guid(value: Any, key: str) -> Any:
    """``System.Guid``: a Guid as is (``[guid]::NewGuid()``), a string in any form .NET parses."""
    from csshell.runtime.dotnet_types import Guid, to_guid
    from csshell.runtime.errors import PSError
    if isinstance(value, Guid):
        return value
    if isinstance(value, str):
        try:
            return to_guid(value)
        except PSError:
            raise _fail(value, key, "Guid should contain 32 digits with 4 dashes "
                                    "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).") from None
    raise _fail(value, key)


_CONVERTERS = {
    "guid": _to_guid,
    "string": _to_string, "char": _to_char, "int": _to_int, "long": _to_int, "uint": _to_int,
    "ulong": _to_int, "byte": _to_int, "double": _to_float, "single": _to_float,
    "decimal": _to_float, "datetime": _to_datetime,
    "timespan": _to_timespan, "scriptblock": _to_scriptblock, "hashtable": _to_hashtable,
    "pscustomobject": _to_pscustomobject, "regex": _to_regex, "actionpreference": _to_action_preference,
}

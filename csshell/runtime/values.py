"""PowerShell values as Python objects, and the conversions PowerShell applies to them.

Mapping (kept deliberately small so every layer agrees on it):

=====================  =========================================================
PowerShell             Python
=====================  =========================================================
``$null``              ``None``
bool / int / double    ``bool`` / ``int`` / ``float``
string                 ``str``
DateTime               ``datetime.datetime`` (naive, local time)
TimeSpan               ``datetime.timedelta``
array (object[])       ``list``
hashtable / [ordered]  :class:`PSHashtable` (case-insensitive keys, insertion order)
PSCustomObject         :class:`PSObject` (ordered, case-insensitive note properties)
ScriptBlock            :class:`ScriptBlock` (source text + AST, see runtime)
=====================  =========================================================

Conversions follow ``LanguagePrimitives`` in PowerShell: truthiness, ``ToString()`` with the
en-US culture, and numeric parsing of strings (``"0x1F"``, ``" 42 "``).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any


class PSObject:
    """A property bag: what ``[pscustomobject]@{...}``, ``Select-Object`` and the cmdlets emit.

    ``type_names`` mirrors PowerShell's ``PSTypeNames`` (most specific first); the formatter uses the
    first entry to decide when a table ends. ``display`` optionally restricts which properties
    Out-Default shows (PowerShell's DefaultDisplayPropertySet). ``tostring`` is the text of the .NET
    object's own ``ToString()`` when it stands for one that is not a property bag (a regex Match prints
    its value, a DictionaryEntry its type name); ``None`` means PowerShell's ``@{Name=value; ...}``.
    """

    __slots__ = ("_props", "type_names", "display", "tostring", "source")

    def __init__(self, props: Iterable[tuple[str, Any]] | dict | None = None,
                 type_names: list[str] | None = None, display: list[str] | None = None,
                 tostring: str | None = None) -> None:
        self._props: dict[str, tuple[str, Any]] = {}
        items = props.items() if isinstance(props, dict) else (props or [])
        for name, value in items:
            self._props[name.lower()] = (name, value)
        self.type_names = list(type_names or ["System.Management.Automation.PSCustomObject"])
        self.display = display
        self.tostring = tostring
        self.source = None      # what a cmdlet made the object from (a user record): never shown, never copied

    @classmethod
    def of_layout(cls, layout: PropertyLayout, values: Iterable[Any], type_names: list[str],
                  display: list[str] | None = None, tostring: str | None = None, source: Any = None) -> PSObject:
        """An object whose property names are ``layout``'s, in order (a cmdlet's output type, made per user)."""
        obj = cls.__new__(cls)
        obj._props = dict(zip(layout.keys, zip(layout.names, values)))
        obj.type_names = list(type_names)
        obj.display = display
        obj.tostring = tostring
        obj.source = source
        return obj

    # --- property access (case-insensitive, order preserving) ---
    def has(self, name: str) -> bool:
        return name.lower() in self._props

    def get(self, name: str, default: Any = None) -> Any:
        entry = self._props.get(name.lower())
        return entry[1] if entry else default

    def set(self, name: str, value: Any) -> None:
        key = name.lower()
        original = self._props[key][0] if key in self._props else name
        self._props[key] = (original, value)

    def names(self) -> list[str]:
        return [name for name, _ in self._props.values()]

    def items(self) -> list[tuple[str, Any]]:
        return list(self._props.values())

    def copy(self) -> "PSObject":
        return PSObject(self.items(), list(self.type_names), self.display, self.tostring)

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        inner = "; ".join(f"{k}={to_string(v)}" for k, v in self.items())
        return "@{" + inner + "}"


class PropertyLayout:
    """The property names every object of one output type has, lower-cased once (see :meth:`PSObject.of_layout`)."""

    __slots__ = ("keys", "names")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(names)
        self.keys = tuple(name.lower() for name in self.names)


class LazyPSObject(PSObject):
    """A PSObject whose properties are made from ``source`` when first read.

    Get-CsUser emits 38 properties per user; ``Get-CsUser | Get-CsClientPinInfo`` reads none of them
    (the next cmdlet uses the user record the object carries), so a pipeline over 100,000 users
    should not build them. Anything that reads a property, its names or its text builds them once
    (``build(source)`` gives the (name, value) pairs); from then on it is an ordinary PSObject.
    """

    __slots__ = ("_build",)

    def __init__(self, source: Any, build: Any, type_names: list[str], display: list[str] | None = None,
                 tostring: str | None = None) -> None:
        self.source = source
        self._build = build
        self.type_names = list(type_names)
        self.display = display
        self.tostring = tostring

    def __getattr__(self, name: str) -> Any:
        """Called only while ``_props`` is unset: build the properties now."""
        if name != "_props":
            raise AttributeError(name)
        props: dict[str, tuple[str, Any]] = {}
        for key, value in self._build(self.source):
            props[key.lower()] = (key, value)
        self._props = props
        self._build = None
        return props

    @property
    def built(self) -> bool:
        """Whether anything has read the properties yet (if not, nobody can have changed them)."""
        return self._build is None


class PSHashtable(MutableMapping):
    """A hashtable with PowerShell's case-insensitive string keys; keeps insertion order.

    ``ordered`` records whether it came from ``[ordered]@{}`` (only its type name differs here).
    """

    def __init__(self, items: Iterable[tuple[Any, Any]] | None = None, ordered: bool = False) -> None:
        self._data: dict[Any, tuple[Any, Any]] = {}
        self.ordered = ordered
        for k, v in items or []:
            self[k] = v

    @staticmethod
    def _key(key: Any) -> Any:
        return key.lower() if isinstance(key, str) else key

    def __getitem__(self, key: Any) -> Any:
        return self._data[self._key(key)][1]

    def __setitem__(self, key: Any, value: Any) -> None:
        k = self._key(key)
        original = self._data[k][0] if k in self._data else key
        self._data[k] = (original, value)

    def __delitem__(self, key: Any) -> None:
        del self._data[self._key(key)]

    def __iter__(self) -> Iterator[Any]:
        return (orig for orig, _ in self._data.values())

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return self._key(key) in self._data

    def __repr__(self) -> str:
        return "System.Collections.Hashtable"


class ScriptBlock:
    """A script block value: its source text (for ``ToString()`` and string parameters) and its AST.

    The runtime invokes it; this class only carries what the block *is*. ``text`` is the exact source
    between the braces, which ``-Filter {DisplayName -eq "Ken Myer"}`` needs as text.
    """

    __slots__ = ("text", "ast", "file")

    def __init__(self, text: str, ast: Any, file: str | None = None) -> None:
        self.text = text
        self.ast = ast
        self.file = file

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class SwitchValue:
    """Marker type name for switch parameters (``[switch]``): bound values are plain bools."""


# ---------------------------------------------------------------------------------------------
# Enumeration
# ---------------------------------------------------------------------------------------------

def is_enumerable(value: Any) -> bool:
    """True when PowerShell would enumerate the value in a pipeline (arrays, lists, generators)."""
    return isinstance(value, (list, tuple, Iterator)) or (
        isinstance(value, Iterable) and not isinstance(value, (str, bytes, PSHashtable, dict, PSObject))
        and hasattr(value, "__iter__") and type(value).__name__ in {"dict_values", "dict_keys", "generator", "range"})


def enumerate_value(value: Any) -> list[Any]:
    """The elements PowerShell would send down the pipeline for ``value``."""
    if value is None:
        return []
    if is_enumerable(value):
        return list(value)
    return [value]


# ---------------------------------------------------------------------------------------------
# Truthiness and strings
# ---------------------------------------------------------------------------------------------

def to_bool(value: Any) -> bool:
    """PowerShell truthiness (about_Booleans)."""
    if value is True or value is False:
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value != ""
    if isinstance(value, list):
        if len(value) == 0:
            return False
        if len(value) == 1:
            return to_bool(value[0])
        return True
    return True


def format_datetime(value: _dt.datetime) -> str:
    """en-US general date/time, as ``DateTime.ToString()`` prints it: ``3/14/2026 9:30:00 AM``."""
    hour = value.hour % 12 or 12
    tt = "AM" if value.hour < 12 else "PM"
    return f"{value.month}/{value.day}/{value.year:04d} {hour}:{value.minute:02d}:{value.second:02d} {tt}"


def format_timespan(value: _dt.timedelta) -> str:
    """``TimeSpan.ToString()``: ``[-][d.]hh:mm:ss[.fffffff]``."""
    total = value.total_seconds()
    sign = "-" if total < 0 else ""
    total_us = abs(value.days * 86400_000_000 + value.seconds * 1_000_000 + value.microseconds)
    days, rem = divmod(total_us, 86400_000_000)
    hours, rem = divmod(rem, 3600_000_000)
    minutes, rem = divmod(rem, 60_000_000)
    seconds, micro = divmod(rem, 1_000_000)
    text = f"{sign}{str(days) + '.' if days else ''}{hours:02d}:{minutes:02d}:{seconds:02d}"
    if micro:
        text += f".{micro * 10:07d}"
    return text


def format_number(value: float) -> str:
    """``Double.ToString()`` in en-US: up to 15 significant digits, no trailing ``.0``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.15g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        sign = "-" if exp.startswith("-") else "+"
        text = f"{mantissa}E{sign}{abs(int(exp)):02d}"
    return text


def to_string(value: Any, ofs: str = " ") -> str:
    """``ToString()`` as PowerShell shows a value inside a string (arrays joined by ``$OFS``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, _dt.timedelta):
        return format_timespan(value)
    if isinstance(value, (list, tuple)):
        return ofs.join(to_string(v, ofs) for v in value)
    if isinstance(value, PSHashtable):
        return "System.Collections.Specialized.OrderedDictionary" if value.ordered else "System.Collections.Hashtable"
    if isinstance(value, PSObject):
        if value.tostring is not None:
            return value.tostring
        return "@{" + "; ".join(f"{k}={to_string(v)}" for k, v in value.items()) + "}"
    return str(value)


_HEX = re.compile(r"^\s*([+-]?)0x([0-9a-f]+)\s*$", re.I)
_INT = re.compile(r"^\s*[+-]?\d+\s*$")
_REAL = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$", re.I)
DECIMAL_MAX = 79228162514264337593543950335      # System.Decimal.MaxValue: larger integers are Doubles
_DECIMAL_DIGITS = len(str(DECIMAL_MAX))
_MULT = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4, "pb": 1024**5}


def parse_number(text: str) -> int | float | None:
    """Parse a string the way PowerShell converts it to a number; ``None`` when it is not one."""
    s = text.strip()
    if s == "":
        return 0
    mult = 1
    low = s.lower()
    if low[-2:] in _MULT and len(s) > 2:
        mult, s = _MULT[low[-2:]], s[:-2]
    m = _HEX.match(s)
    if m:
        n = int(m.group(2), 16)
        if n >= 2**64:
            n = math.inf        # no integer type holds it: conversions report it as too large
        return (-n if m.group(1) == "-" else n) * mult
    if _INT.match(s):
        return _integer_text(s) * mult
    if _REAL.match(s):
        f = float(s) * mult
        return f
    return None


def _integer_text(text: str) -> int | float:
    """A digit string as 5.1's number scanner reads it: exact while Decimal holds it, else a Double.

    Longer strings never reach ``int()``, whose 4,300-digit limit would otherwise surface as a
    Python error; beyond Double's range the value is infinite and conversions report it as too large.
    """
    digits = text.lstrip("+-").lstrip("0") or "0"        # leading zeros count towards int()'s limit too
    if len(digits) > _DECIMAL_DIGITS:
        return float(text)
    n = -int(digits) if text.startswith("-") else int(digits)
    return n if n <= DECIMAL_MAX and -n <= DECIMAL_MAX else float(n)


def to_number(value: Any) -> int | float | None:
    """Numeric view of a value for arithmetic and comparisons; ``None`` when there is none."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        return parse_number(value)
    return None


def type_name(value: Any) -> str:
    """The .NET type name PowerShell reports for a value (used in error messages and Get-Member)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        if -2**31 <= value < 2**31:
            return "System.Int32"
        # beyond Int64 only an integral Decimal gives a Python int (literals, arithmetic on them)
        return "System.Int64" if -2**63 <= value < 2**63 else "System.Decimal"
    if isinstance(value, float):
        return "System.Double"
    if isinstance(value, str):
        return "System.String"
    if isinstance(value, _dt.datetime):
        return "System.DateTime"
    if isinstance(value, _dt.timedelta):
        return "System.TimeSpan"
    named = getattr(value, "ps_type_name", None)     # modelled .NET values (Guid, ArrayList, Type) name themselves
    if isinstance(named, str):
        return named
    if isinstance(value, list):
        return "System.Object[]"
    if isinstance(value, PSHashtable):
        return "System.Collections.Specialized.OrderedDictionary" if value.ordered else "System.Collections.Hashtable"
    if isinstance(value, ScriptBlock):
        return "System.Management.Automation.ScriptBlock"
    if isinstance(value, PSObject):
        return value.type_names[0] if value.type_names else "System.Management.Automation.PSCustomObject"
    return type(value).__name__


def hashtable_property(table: PSHashtable, name: str) -> tuple[bool, Any]:
    """A hashtable's own .NET property (Count, Keys, ...), ignoring its keys: (found, value).

    Member access prefers a key of the same name; parameter binding sees only these properties.
    """
    low = name.lower()
    values = {"count": len(table), "keys": list(table.keys()), "values": list(table.values()),
              "isreadonly": False, "isfixedsize": False, "issynchronized": False, "syncroot": table}
    return (low in values, values.get(low))


def get_property(value: Any, name: str) -> Any:
    """Read a property PowerShell-style; a missing property is ``$null`` (no StrictMode).

    ``Count`` and ``Length`` are intrinsic members (PowerShell 3+): ``$null`` has 0 and any single
    object 1, unless the object has a real property of that name (a string's Length, a Count column).
    """
    if value is None:
        return 0 if name.lower() in ("count", "length") else None
    if isinstance(value, PSObject):
        if not value.has(name) and name.lower() in ("count", "length"):
            return 1
        return value.get(name)
    if isinstance(value, PSHashtable):
        if name in value:
            return value[name]
        return hashtable_property(value, name)[1]
    low = name.lower()
    if isinstance(value, str):
        if low == "length":
            return len(value)
        return 1 if low == "count" else None
    if isinstance(value, bool) and low == "ispresent":
        return value        # a [switch] parameter's SwitchParameter.IsPresent: csshell keeps switches as bools
    if isinstance(value, list):
        if low in ("count", "length"):
            return len(value)
        # member-access enumeration
        out = []
        for item in value:
            v = get_property(item, name)
            if v is not None:
                out.extend(v) if isinstance(v, list) else out.append(v)
        return out if len(out) != 1 else out[0]
    if isinstance(value, _dt.datetime):
        table = {"year": value.year, "month": value.month, "day": value.day, "hour": value.hour,
                 "minute": value.minute, "second": value.second, "millisecond": value.microsecond // 1000,
                 "dayofweek": value.strftime("%A"), "dayofyear": value.timetuple().tm_yday,
                 "date": value.replace(hour=0, minute=0, second=0, microsecond=0),
                 "ticks": int((value - _dt.datetime(1, 1, 1)).total_seconds() * 10_000_000)}
        return table.get(low, 1 if low in ("count", "length") else None)
    if isinstance(value, _dt.timedelta):
        total = value.total_seconds()
        table = {"days": int(total / 86400),
                 "hours": int(total / 3600) % 24 if total >= 0 else -(int(-total / 3600) % 24),
                 "minutes": int(total / 60) % 60 if total >= 0 else -(int(-total / 60) % 60),
                 "seconds": int(total) % 60 if total >= 0 else -(int(-total) % 60),
                 "totaldays": total / 86400, "totalhours": total / 3600, "totalminutes": total / 60,
                 "totalseconds": total, "totalmilliseconds": total * 1000}
        return table.get(low, 1 if low in ("count", "length") else None)
    attr = getattr(value, "ps_property", None)
    found = attr(name) if callable(attr) else None
    if found is None and low in ("count", "length"):
        return 1
    return found

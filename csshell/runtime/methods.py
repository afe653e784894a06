""".NET members on PowerShell values: type literals, casts, instance methods and static members.

PowerShell scripts reach into .NET constantly (``$s.Trim()``, ``(Get-Date).AddDays(-7)``,
``[math]::Round($x, 2)``, ``[string]::IsNullOrEmpty($p)``). We cannot host .NET, so the members admins
use are modelled with .NET's semantics (ordinal, case-sensitive ``String.Replace``; banker's rounding in
``Math.Round``; fixed-size arrays) and PowerShell's error wording:

* unknown member → ``Method invocation failed because [System.String] does not contain a method named 'Foo'.``
* wrong argument count → ``Cannot find an overload for "Substring" and the argument count: "3".``
* .NET exception → ``Exception calling "Substring" with "1" argument(s): "<message>"``
* unknown type → ``Unable to find type [Foo].``

Type literals resolve to :class:`PSType` (what ``[int]`` evaluates to and what ``GetType()`` returns);
:meth:`PSType.convert` is PowerShell's cast, shared by ``[int]$x``, ``-as`` and parameter binding.
Static members (``[math]::Round``, ``[string]::Join``...) are the last section.
"""
from __future__ import annotations

import datetime as _dt
import inspect
import math
import re
import uuid
from typing import Any, Callable

from csshell.runtime import clock, conversions, dotnet_format
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_OPERATION, NOT_SPECIFIED, ErrorRecord, PSError
from csshell.runtime.operators import compare_values
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, format_datetime, parse_number, to_bool,
                                    to_string, type_name)


class DotNetException(Exception):
    """A .NET exception raised inside a modelled member: short type name plus .NET message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def _arg_error(message: str, param: str) -> DotNetException:
    return DotNetException("ArgumentOutOfRangeException", f"{message}\nParameter name: {param}")


def _error(message: str, error_id: str, category: str = INVALID_OPERATION, reason: str = "RuntimeException",
           target: Any = None, target_type: str | None = None) -> PSError:
    return PSError(ErrorRecord(message=message, error_id=error_id, category=category, reason=reason,
                               target=target, target_type=target_type))


# =============================================================================================
# Types
# =============================================================================================

class PSType:
    """A .NET type as PowerShell scripts see it: ``[int]``, ``$x.GetType()``, ``-is``, ``-as``."""

    def __init__(self, full_name: str, check: Callable[[Any], bool],
                 convert: Callable[[Any], Any] | None = None) -> None:
        self.full_name = full_name
        self._check = check
        self._convert = convert

    @property
    def name(self) -> str:
        return self.full_name.rsplit(".", 1)[-1]

    def is_instance(self, value: Any) -> bool:
        return value is not None and self._check(value)

    def convert(self, value: Any) -> Any:
        """PowerShell's cast ``[Type]value``; raises the PSError PowerShell shows on failure."""
        if self._convert is not None:
            return self._convert(value)
        if value is None or self.is_instance(value):
            return value
        raise invalid_cast(value, self.full_name)

    def ps_property(self, name: str) -> Any:
        low = name.lower()
        return {"name": self.name, "fullname": self.full_name,
                "namespace": self.full_name.rsplit(".", 1)[0] if "." in self.full_name else "",
                "isarray": self.full_name.endswith("[]")}.get(low)

    def __str__(self) -> str:
        return self.full_name

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PSType) and other.full_name.lower() == self.full_name.lower()

    def __hash__(self) -> int:
        return hash(self.full_name.lower())


def invalid_cast(value: Any, target: str) -> PSError:
    """``Cannot convert the "x" value of type "System.String" to type "System.Collections.Hashtable".``"""
    return _error(f'Cannot convert the "{to_string(value)}" value of type "{type_name(value)}" to type '
                  f'"{target}".', "ConvertToFinalInvalidCastException", INVALID_ARGUMENT)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _cast_error_id(message: str, key: str, value: Any) -> str:
    """The FullyQualifiedErrorId PowerShell gives a failed cast, from the shape of the failure."""
    if message.startswith("Cannot convert the"):
        return "ConvertToFinalInvalidCastException"
    if isinstance(value, str) and key in ("int", "long", "uint", "ulong", "byte") and "correct format" in message:
        return "InvalidCastFromStringToInteger"
    if "too large or too small" in message:
        return "InvalidCastIConvertible"
    return "InvalidCastParseTargetInvocation"


def _cast_via(key: str) -> Callable[[Any], Any]:
    """PowerShell's cast for a type key, using the shared LanguagePrimitives model in conversions.py."""
    def convert(value: Any) -> Any:
        if value is None and key == "datetime":
            raise _error('Cannot convert null to type "System.DateTime".', "nullToObjectInvalidCast",
                         INVALID_ARGUMENT)
        try:
            return conversions.convert_to(value, key)
        except conversions.ConversionError as exc:
            raise _error(exc.message, _cast_error_id(exc.message, key, value), INVALID_ARGUMENT) from None
    return convert


def _to_array(value: Any) -> list | None:
    if value is None:
        return None
    return list(value) if isinstance(value, (list, tuple)) else [value]


class Guid:
    """``System.Guid``: prints as the lower-case 8-4-4-4-12 text."""

    def __init__(self, value: uuid.UUID) -> None:
        self.value = value

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Guid) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def ps_property(self, name: str) -> Any:
        return str(self.value) if name.lower() == "guid" else None


def _to_guid(value: Any) -> Guid:
    if isinstance(value, Guid):
        return value
    try:
        return Guid(uuid.UUID(to_string(value).strip("{}() ")))
    except ValueError:
        raise _error(f'Cannot convert value "{to_string(value)}" to type "System.Guid". Error: "Guid should '
                     f'contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."',
                     "InvalidCastParseTargetInvocation", INVALID_ARGUMENT) from None


class PSList(list):
    """``System.Collections.ArrayList`` / ``List[T]``: a growable list (PowerShell arrays are fixed-size)."""

    def __init__(self, items: Any = (), full_name: str = "System.Collections.ArrayList") -> None:
        super().__init__(items)
        self.full_name = full_name


def _static_type(full_name: str) -> PSType:
    """Types used only for their static members (``[math]``); nothing is an instance of them."""
    return PSType(full_name, lambda v: False)


def _simple(full_name: str, check: Callable[[Any], bool], key: str | None = None) -> PSType:
    return PSType(full_name, check, _cast_via(key) if key else None)


_OBJECT = PSType("System.Object", lambda v: True, lambda v: v)
_INT = _simple("System.Int32", lambda v: _is_int(v) and -2**31 <= v < 2**31, "int")
_LONG = _simple("System.Int64", lambda v: _is_int(v) and -2**63 <= v < 2**63, "long")
_DOUBLE = _simple("System.Double", lambda v: isinstance(v, float), "double")
_STRING = _simple("System.String", lambda v: isinstance(v, str), "string")
_BOOL = _simple("System.Boolean", lambda v: isinstance(v, bool), "bool")
_CHAR = _simple("System.Char", lambda v: False, "char")
_DATETIME = _simple("System.DateTime", lambda v: isinstance(v, _dt.datetime), "datetime")
_TIMESPAN = _simple("System.TimeSpan", lambda v: isinstance(v, _dt.timedelta), "timespan")
_ARRAY = PSType("System.Object[]", lambda v: isinstance(v, list), _to_array)
_HASHTABLE = _simple("System.Collections.Hashtable", lambda v: isinstance(v, PSHashtable), "hashtable")
_PSOBJECT = _simple("System.Management.Automation.PSObject", lambda v: isinstance(v, PSObject), "pscustomobject")

TYPES: dict[str, PSType] = {
    "object": _OBJECT, "int": _INT, "int32": _INT, "long": _LONG, "int64": _LONG,
    "byte": _simple("System.Byte", lambda v: False, "byte"),
    "uint32": _simple("System.UInt32", lambda v: False, "uint"),
    "double": _DOUBLE, "float": _DOUBLE, "single": _DOUBLE, "decimal": _DOUBLE,
    "string": _STRING, "char": _CHAR, "bool": _BOOL, "boolean": _BOOL,
    "switch": _simple("System.Management.Automation.SwitchParameter", lambda v: isinstance(v, bool), "bool"),
    "datetime": _DATETIME, "timespan": _TIMESPAN,
    "array": PSType("System.Array", lambda v: isinstance(v, list), _to_array), "object[]": _ARRAY,
    "hashtable": _HASHTABLE, "collections.hashtable": _HASHTABLE,
    "collections.specialized.ordereddictionary": PSType("System.Collections.Specialized.OrderedDictionary",
                                                        lambda v: isinstance(v, PSHashtable) and v.ordered),
    "psobject": _PSOBJECT, "management.automation.psobject": _PSOBJECT,
    "pscustomobject": _PSOBJECT, "management.automation.pscustomobject": _PSOBJECT,
    "scriptblock": _simple("System.Management.Automation.ScriptBlock", lambda v: isinstance(v, ScriptBlock),
                           "scriptblock"),
    "management.automation.scriptblock": _simple("System.Management.Automation.ScriptBlock",
                                                 lambda v: isinstance(v, ScriptBlock), "scriptblock"),
    "guid": PSType("System.Guid", lambda v: isinstance(v, Guid), lambda v: _to_guid(v)),
    "collections.arraylist": PSType("System.Collections.ArrayList", lambda v: isinstance(v, PSList),
                                    lambda v: PSList(_to_array(v) or [])),
    "void": PSType("System.Void", lambda v: False, lambda v: None),
    "math": _static_type("System.Math"), "environment": _static_type("System.Environment"),
    "io.path": _static_type("System.IO.Path"), "convert": _static_type("System.Convert"),
    "regex": _static_type("System.Text.RegularExpressions.Regex"),
    "text.regularexpressions.regex": _static_type("System.Text.RegularExpressions.Regex"),
    "stringsplitoptions": _static_type("System.StringSplitOptions"),
}


def _type_key(spec: str) -> str:
    """``'[System.String[]]'`` → ``'string[]'``: one pair of brackets, spaces and ``System.`` dropped."""
    key = spec.strip().replace(" ", "").lower()
    if key.startswith("[") and key.endswith("]"):
        key = key[1:-1]
    return key[len("system."):] if key.startswith("system.") else key


def resolve_type(spec: Any) -> PSType:
    """``'int'``, ``'System.Int32'``, ``'[string[]]'`` or a :class:`PSType` → the type; else TypeNotFound."""
    if isinstance(spec, PSType):
        return spec
    text = to_string(spec)
    key = _type_key(text)
    if key in TYPES:
        return TYPES[key]
    if key.endswith("[]") and key[:-2] in TYPES:
        element = TYPES[key[:-2]]
        return PSType(element.full_name + "[]", lambda v: isinstance(v, list),
                      lambda v: None if v is None else [element.convert(x) for x in _to_array(v)])
    generic = re.match(r"^collections\.generic\.list\[(.+)\]$", key)
    if generic:
        element = resolve_type(generic.group(1))
        return PSType(f"System.Collections.Generic.List`1[{element.full_name}]", lambda v: isinstance(v, PSList),
                      lambda v: PSList([element.convert(x) for x in (_to_array(v) or [])], "List"))
    name = text.strip()[1:-1] if text.strip().startswith("[") else text.strip()
    raise _error(f"Unable to find type [{name}].", "TypeNotFound", target=name, target_type="TypeName")


def type_of(value: Any) -> PSType:
    """What ``$value.GetType()`` returns."""
    if isinstance(value, PSList):
        return PSType(value.full_name if "." in value.full_name else "System.Collections.Generic.List`1",
                      lambda v: isinstance(v, PSList))
    full = type_name(value)
    for candidate in TYPES.values():
        if candidate.full_name == full:
            return candidate
    if isinstance(value, Guid):
        return TYPES["guid"]
    return PSType(full, lambda v, f=full: type_name(v) == f)


# =============================================================================================
# Argument conversion helpers (PowerShell converts arguments to the parameter types)
# =============================================================================================

def _int_arg(value: Any) -> int:
    return _INT.convert(value)


def _num_arg(value: Any) -> float:
    return _DOUBLE.convert(value)


def _chars(args: tuple) -> str:
    """``Trim('ab')`` and ``Split(',;')``: a string argument becomes a char[] of its characters."""
    out = []
    for arg in args:
        for item in (arg if isinstance(arg, list) else [arg]):
            out.append(to_string(item) if not _is_int(item) else chr(item))
    return "".join(out)


def _ignore_case(arg: Any) -> bool:
    """A StringComparison (``'OrdinalIgnoreCase'``, 5) or ignoreCase bool argument."""
    if isinstance(arg, bool):
        return arg
    if _is_int(arg):
        return arg in (1, 3, 5)
    return "ignorecase" in to_string(arg).lower()


def net_equals(a: Any, b: Any) -> bool:
    """.NET ``Object.Equals``: same type and value, ordinal strings (``@(1).Contains('1')`` is False)."""
    if a is None or b is None:
        return a is None and b is None
    if type(a) is not type(b) and not (_is_int(a) and _is_int(b)):
        return False
    if isinstance(a, (PSObject, PSHashtable, list)):
        return a is b
    return bool(a == b)


# =============================================================================================
# Instance methods
# =============================================================================================

def _s_trim(s: str, *chars: Any) -> str:
    return s.strip(_chars(chars)) if chars else s.strip()


def _s_trim_start(s: str, *chars: Any) -> str:
    return s.lstrip(_chars(chars)) if chars else s.lstrip()


def _s_trim_end(s: str, *chars: Any) -> str:
    return s.rstrip(_chars(chars)) if chars else s.rstrip()


def _s_replace(s: str, old: Any, new: Any) -> str:
    old_text = to_string(old)
    if old is None:
        raise DotNetException("ArgumentNullException", "Value cannot be null.\nParameter name: oldValue")
    if old_text == "":
        raise DotNetException("ArgumentException", "String cannot be of zero length.\nParameter name: oldValue")
    return s.replace(old_text, to_string(new))


def _s_split(s: str, separators: Any = None, *rest: Any) -> list[str]:
    """``String.Split``: a string argument is a char[] (``'a::b'.Split('::')`` gives three parts);
    a string array plus options splits on whole strings; a count caps the number of parts."""
    count = next((_int_arg(a) for a in rest if _is_int(a)), None) if not (
        len(rest) == 1 and isinstance(separators, list)) else None
    remove_empty = any(_split_option(a) for a in rest if not (_is_int(a) and a == count))
    if count is not None and count < 0:
        raise _arg_error("Count cannot be less than zero.", "count")
    if count == 0:
        return []
    if isinstance(separators, list) and rest and any(len(to_string(x)) > 1 for x in separators):
        alternatives = sorted((to_string(x) for x in separators if to_string(x)), key=len, reverse=True)
        pattern = "|".join(re.escape(x) for x in alternatives)
    else:
        seps = _chars((separators,)) if separators is not None else ""
        pattern = "[" + re.escape(seps) + "]" if seps else r"\s"
    parts = re.split(pattern, s) if pattern else [s]
    if remove_empty:
        parts = [p for p in parts if p != ""]
    if count is not None and len(parts) > count:
        head = parts[:count - 1]
        rest_text = re.split(pattern, s, maxsplit=count - 1)[-1] if not remove_empty else _tail(s, pattern, head)
        parts = head + [rest_text]
    return parts


def _tail(s: str, pattern: str, head: list[str]) -> str:
    """What is left of ``s`` after the non-empty parts in ``head`` (RemoveEmptyEntries with a count)."""
    position = 0
    for part in head:
        position = s.index(part, position) + len(part)
    return re.sub("^(?:" + pattern + ")+", "", s[position:])


def _split_option(arg: Any) -> bool:
    return (arg == 1) if _is_int(arg) else "removeemptyentries" in to_string(arg).lower()


def _s_substring(s: str, start: Any, length: Any = None) -> str:
    begin = _int_arg(start)
    if begin < 0:
        raise _arg_error("StartIndex cannot be less than zero.", "startIndex")
    if begin > len(s):
        raise _arg_error("startIndex cannot be larger than length of string.", "startIndex")
    if length is None:
        return s[begin:]
    size = _int_arg(length)
    if size < 0:
        raise _arg_error("Length cannot be less than zero.", "length")
    if begin + size > len(s):
        raise _arg_error("Index and length must refer to a location within the string.", "length")
    return s[begin:begin + size]


def _fold(s: str, value: Any, comparison: Any) -> tuple[str, str]:
    if value is None:
        raise DotNetException("ArgumentNullException", "Value cannot be null.\nParameter name: value")
    text = to_string(value)
    return (s.lower(), text.lower()) if comparison is not None and _ignore_case(comparison) else (s, text)


def _s_starts_with(s: str, value: Any, comparison: Any = None, culture: Any = None) -> bool:
    a, b = _fold(s, value, comparison)
    return a.startswith(b)


def _s_ends_with(s: str, value: Any, comparison: Any = None, culture: Any = None) -> bool:
    a, b = _fold(s, value, comparison)
    return a.endswith(b)


def _s_contains(s: str, value: Any) -> bool:
    a, b = _fold(s, value, None)
    return b in a


def _s_index_of(s: str, value: Any, *rest: Any) -> int:
    comparison = rest[-1] if rest and not _is_int(rest[-1]) else None
    numbers = [_int_arg(x) for x in rest if _is_int(x) or (isinstance(x, str) and x.isdigit())]
    start = numbers[0] if numbers else 0
    if not 0 <= start <= len(s):
        raise _arg_error("Index was out of range. Must be non-negative and less than the size of the collection.",
                         "startIndex")
    end = start + numbers[1] if len(numbers) > 1 else len(s)
    a, b = _fold(s, value, comparison)
    return a.find(b, start, end)


def _s_last_index_of(s: str, value: Any, *rest: Any) -> int:
    comparison = rest[-1] if rest and not _is_int(rest[-1]) else None
    a, b = _fold(s, value, comparison)
    end = _int_arg(rest[0]) + 1 if rest and _is_int(rest[0]) else len(s)
    return a.rfind(b, 0, end)


def _pad(s: str, width: Any, char: Any, left: bool) -> str:
    total = _int_arg(width)
    if total < 0:
        raise _arg_error("Non-negative number required.", "totalWidth")
    fill = _CHAR.convert(char) if char is not None else " "
    return s.rjust(total, fill) if left else s.ljust(total, fill)


def _s_insert(s: str, index: Any, value: Any) -> str:
    position = _int_arg(index)
    if not 0 <= position <= len(s):
        raise _arg_error("Specified argument was out of the range of valid values.", "startIndex")
    return s[:position] + to_string(value) + s[position:]


def _s_remove(s: str, index: Any, count: Any = None) -> str:
    start = _int_arg(index)
    if start < 0:
        raise _arg_error("StartIndex cannot be less than zero.", "startIndex")
    if count is None:
        if start >= len(s):
            raise _arg_error("startIndex must be less than length of string.", "startIndex")
        return s[:start]
    size = _int_arg(count)
    if size < 0 or start + size > len(s):
        raise _arg_error("Index and count must refer to a location within the string.", "count")
    return s[:start] + s[start + size:]


def _s_equals(s: str, other: Any, comparison: Any = None) -> bool:
    if not isinstance(other, str):
        return False
    return s.lower() == other.lower() if comparison is not None and _ignore_case(comparison) else s == other


STRING_METHODS: dict[str, Callable] = {
    "ToUpper": lambda s, culture=None: s.upper(), "ToLower": lambda s, culture=None: s.lower(),
    "ToUpperInvariant": lambda s: s.upper(), "ToLowerInvariant": lambda s: s.lower(),
    "Trim": _s_trim, "TrimStart": _s_trim_start, "TrimEnd": _s_trim_end, "Replace": _s_replace,
    "Split": _s_split, "Substring": _s_substring, "StartsWith": _s_starts_with, "EndsWith": _s_ends_with,
    "Contains": _s_contains, "IndexOf": _s_index_of, "LastIndexOf": _s_last_index_of,
    "PadLeft": lambda s, w, c=None: _pad(s, w, c, True), "PadRight": lambda s, w, c=None: _pad(s, w, c, False),
    "Insert": _s_insert, "Remove": _s_remove, "Equals": _s_equals,
    "CompareTo": lambda s, other: 1 if other is None else compare_values(s, to_string(other), True),
    "ToCharArray": lambda s: list(s), "ToString": lambda s, provider=None: s,
    "Chars": lambda s, i: s[_int_arg(i)], "Clone": lambda s: s,
    "IsNullOrEmpty": lambda s: s == "", "Normalize": lambda s, form=None: s,
}


def _fixed_size(*args: Any) -> None:
    raise DotNetException("NotSupportedException", "Collection was of a fixed size.")


def _index_of(items: list, value: Any, *rest: Any) -> int:
    return next((i for i, item in enumerate(items) if net_equals(item, value)), -1)


ARRAY_METHODS: dict[str, Callable] = {
    "Contains": lambda a, v: any(net_equals(x, v) for x in a), "IndexOf": _index_of,
    "Add": _fixed_size, "Remove": _fixed_size, "Insert": _fixed_size, "RemoveAt": _fixed_size,
    "Clear": _fixed_size, "Clone": lambda a: list(a), "ToString": lambda a: "System.Object[]",
    "GetValue": lambda a, i: a[_int_arg(i)],
}


def _list_add(items: PSList, value: Any) -> int | None:
    items.append(value)
    return len(items) - 1 if items.full_name == "System.Collections.ArrayList" else None


def _list_remove(items: PSList, value: Any) -> None:
    index = _index_of(items, value)
    if index >= 0:
        del items[index]


def _list_remove_at(items: PSList, index: Any) -> None:
    position = _int_arg(index)
    if not 0 <= position < len(items):
        raise _arg_error("Index was out of range. Must be non-negative and less than the size of the collection.",
                         "index")
    del items[position]


LIST_METHODS: dict[str, Callable] = {
    **ARRAY_METHODS, "Add": _list_add, "AddRange": lambda a, v: a.extend(_to_array(v) or []),
    "Remove": _list_remove,
    "RemoveAt": _list_remove_at, "Insert": lambda a, i, v: a.insert(_int_arg(i), v),
    "Clear": lambda a: a.clear(), "ToArray": lambda a: list(a),
    "Sort": lambda a: a.sort(key=_SortKey), "Reverse": lambda a: a.reverse(),
    "ToString": lambda a: a.full_name, "Clone": lambda a: PSList(a, a.full_name),
}


class _SortKey:
    """Adapter so ``list.sort`` orders with PowerShell's comparison."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: "_SortKey") -> bool:
        return compare_values(self.value, other.value) < 0


def _h_add(table: PSHashtable, key: Any, value: Any) -> None:
    if key is None:
        raise DotNetException("ArgumentNullException", "Key cannot be null.\nParameter name: key")
    if key in table:
        existing = next(k for k in table if PSHashtable._key(k) == PSHashtable._key(key))
        raise DotNetException("ArgumentException", f"Item has already been added. Key in dictionary: "
                                                   f"'{to_string(existing)}'  Key being added: '{to_string(key)}'")
    table[key] = value


def _h_remove(table: PSHashtable, key: Any) -> None:
    if key in table:
        del table[key]


def dictionary_entries(table: PSHashtable) -> list[PSObject]:
    """``$h.GetEnumerator()``: DictionaryEntry objects (Name/Key and Value)."""
    return [PSObject([("Name", k), ("Key", k), ("Value", v)], ["System.Collections.DictionaryEntry"],
                     ["Name", "Value"]) for k, v in table.items()]


HASHTABLE_METHODS: dict[str, Callable] = {
    "ContainsKey": lambda h, k: k in h, "Contains": lambda h, k: k in h,
    "ContainsValue": lambda h, v: any(net_equals(x, v) for x in h.values()),
    "Add": _h_add, "Remove": _h_remove, "Clear": lambda h: h.clear(),
    "GetEnumerator": dictionary_entries, "Clone": lambda h: PSHashtable(h.items(), h.ordered),
    "get_Keys": lambda h: list(h.keys()), "get_Values": lambda h: list(h.values()),
    "ToString": lambda h: to_string(h),
}


def _add_time(value: _dt.datetime, amount: Any, milliseconds: float) -> _dt.datetime:
    """.NET Framework rounds Add* arguments to whole milliseconds."""
    try:
        return value + _dt.timedelta(milliseconds=round(_num_arg(amount) * milliseconds))
    except OverflowError:
        raise _arg_error("The added or subtracted value results in an un-representable DateTime.", "value") from None


def _add_months(value: _dt.datetime, months: Any) -> _dt.datetime:
    total = value.year * 12 + value.month - 1 + _int_arg(months)
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise _arg_error("The added or subtracted value results in an un-representable DateTime.", "months")
    day = min(value.day, _days_in_month(year, month + 1))
    return value.replace(year=year, month=month + 1, day=day)


def _days_in_month(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise _arg_error("Month must be between one and twelve.", "month")
    nxt = _dt.date(year + (month == 12), month % 12 + 1, 1)
    return (nxt - _dt.timedelta(days=1)).day


def _date_to_string(value: _dt.datetime, fmt: Any = None, provider: Any = None) -> str:
    if fmt is None or to_string(fmt) == "":
        return format_datetime(value)
    return dotnet_format.format_date(value, to_string(fmt))


def _to_utc(value: _dt.datetime) -> _dt.datetime:
    return value.astimezone(_dt.timezone.utc).replace(tzinfo=None)


def _to_local(value: _dt.datetime) -> _dt.datetime:
    aware = value if value.tzinfo else value.replace(tzinfo=_dt.timezone.utc)
    return aware.astimezone().replace(tzinfo=None)


def _date_subtract(value: _dt.datetime, other: Any) -> Any:
    if isinstance(other, _dt.datetime):
        return value - other
    return value - _TIMESPAN.convert(other)


DATETIME_METHODS: dict[str, Callable] = {
    "AddDays": lambda d, n: _add_time(d, n, 86_400_000), "AddHours": lambda d, n: _add_time(d, n, 3_600_000),
    "AddMinutes": lambda d, n: _add_time(d, n, 60_000), "AddSeconds": lambda d, n: _add_time(d, n, 1000),
    "AddMilliseconds": lambda d, n: _add_time(d, n, 1), "AddMonths": _add_months,
    "AddYears": lambda d, n: _add_months(d, _int_arg(n) * 12),
    "AddTicks": lambda d, n: d + _dt.timedelta(microseconds=_LONG.convert(n) // 10),
    "Add": lambda d, span: d + _TIMESPAN.convert(span), "Subtract": _date_subtract,
    "ToString": _date_to_string,
    "ToShortDateString": lambda d: dotnet_format.format_date(d, "d"),
    "ToLongDateString": lambda d: dotnet_format.format_date(d, "D"),
    "ToShortTimeString": lambda d: dotnet_format.format_date(d, "t"),
    "ToLongTimeString": lambda d: dotnet_format.format_date(d, "T"),
    "ToUniversalTime": _to_utc, "ToLocalTime": _to_local,
    "CompareTo": lambda d, other: compare_values(d, other),
    "Equals": lambda d, other: isinstance(other, _dt.datetime) and d == other,
    "IsDaylightSavingTime": lambda d: bool(d.astimezone().dst()),
}

TIMESPAN_METHODS: dict[str, Callable] = {
    "ToString": lambda t, fmt=None, provider=None: to_string(t) if fmt is None
    else dotnet_format.format_duration(t, to_string(fmt)),
    "Add": lambda t, other: t + _TIMESPAN.convert(other), "Subtract": lambda t, other: t - _TIMESPAN.convert(other),
    "Negate": lambda t: -t, "Duration": lambda t: abs(t),
    "CompareTo": lambda t, other: compare_values(t, _TIMESPAN.convert(other)),
    "Equals": lambda t, other: isinstance(other, _dt.timedelta) and t == other,
}


def _number_to_string(n: Any, fmt: Any = None, provider: Any = None) -> str:
    if fmt is None or isinstance(n, bool):
        return to_string(n)
    try:
        return dotnet_format.format_numeric(n, to_string(fmt))
    except dotnet_format.FormatError as exc:
        raise DotNetException("FormatException", str(exc)) from None


NUMBER_METHODS: dict[str, Callable] = {
    "ToString": _number_to_string,
    "CompareTo": lambda n, other: 1 if other is None else compare_values(n, other),
    "Equals": lambda n, other: net_equals(n, other),
}

COMMON_METHODS: dict[str, Callable] = {
    "ToString": lambda o, *a: to_string(o), "GetType": lambda o: type_of(o),
    "Equals": lambda o, other: o is other or net_equals(o, other),
    "GetHashCode": lambda o: hash(id(o)) & 0x7FFFFFFF,
}


def _method_table(obj: Any) -> dict[str, Callable]:
    if isinstance(obj, str):
        return STRING_METHODS
    if isinstance(obj, PSList):
        return LIST_METHODS
    if isinstance(obj, list):
        return ARRAY_METHODS
    if isinstance(obj, PSHashtable):
        return HASHTABLE_METHODS
    if isinstance(obj, _dt.datetime):
        return DATETIME_METHODS
    if isinstance(obj, _dt.timedelta):
        return TIMESPAN_METHODS
    if isinstance(obj, (int, float)):
        return NUMBER_METHODS
    return {}


def _lookup(table: dict[str, Callable], name: str) -> tuple[str, Callable] | None:
    low = name.lower()
    return next(((key, fn) for key, fn in table.items() if key.lower() == low), None)


def invoke_method(obj: Any, name: str, args: list) -> Any:
    """``$obj.Name(args)``. Script-block ``Invoke`` and ``.ForEach``/``.Where`` belong to the evaluator.

    Objects may expose their own members with ``ps_invoke(name, args)`` (return ``NotImplemented`` when
    they do not have the method).
    """
    if obj is None:
        raise _error("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull")
    hook = getattr(obj, "ps_invoke", None)
    if callable(hook):
        result = hook(name, list(args))
        if result is not NotImplemented:
            return result
    found = _lookup(_method_table(obj), name) or _lookup(COMMON_METHODS, name)
    if found is None:
        raise _error(f"Method invocation failed because [{type_name(obj)}] does not contain a method named "
                     f"'{name}'.", "MethodNotFound")
    return call_member(found[0], found[1], (obj, *args), len(args))


def _run_member(fn: Callable, call_args: tuple) -> Any:
    """Translate Python failures inside a modelled member into the .NET exceptions they stand for."""
    try:
        return fn(*call_args)
    except dotnet_format.FormatError as exc:
        raise DotNetException("FormatException", str(exc)) from None
    except IndexError:
        raise DotNetException("IndexOutOfRangeException", "Index was outside the bounds of the array.") from None
    except OverflowError:
        raise DotNetException("OverflowException", "Arithmetic operation resulted in an overflow.") from None
    except ValueError:
        raise DotNetException("ArgumentException", "Value does not fall within the expected range.") from None


def call_member(name: str, fn: Callable, call_args: tuple, count: int) -> Any:
    """Run a modelled member, turning arity mismatches and .NET exceptions into PowerShell errors."""
    try:
        inspect.signature(fn).bind(*call_args)
    except TypeError:
        raise _error(f'Cannot find an overload for "{name}" and the argument count: "{count}".',
                     "MethodCountCouldNotFindBest", NOT_SPECIFIED, "MethodException") from None
    try:
        return _run_member(fn, call_args)
    except DotNetException as exc:
        raise _error(f'Exception calling "{name}" with "{count}" argument(s): "{exc.message}"', exc.kind,
                     NOT_SPECIFIED, "MethodInvocationException") from None
    except PSError as exc:
        raise _error(f'Exception calling "{name}" with "{count}" argument(s): "{exc.record.message}"',
                     exc.record.error_id, NOT_SPECIFIED, "MethodInvocationException") from None


# =============================================================================================
# Static members: [math]::Round, [string]::Join, [datetime]::Now, [regex]::Escape ...
# =============================================================================================

def _math_round(value: Any, *rest: Any) -> Any:
    """``Math.Round``: banker's rounding unless ``'AwayFromZero'`` is given (``Round(2.5)`` is 2)."""
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
    digits = _int_arg(rest[0]) if rest and not isinstance(rest[0], str) else 0
    mode = to_string(rest[-1]).lower() if rest and isinstance(rest[-1], str) else "toeven"
    if not 0 <= digits <= 15:
        raise _arg_error("Rounding digits must be between 0 and 15, inclusive.", "digits")
    if _is_int(value):
        return value
    number = _num_arg(value)
    if number != number or number in (math.inf, -math.inf):
        return number
    rounding = ROUND_HALF_UP if mode == "awayfromzero" else ROUND_HALF_EVEN
    return float(Decimal(number).quantize(Decimal(1).scaleb(-digits), rounding=rounding))


def _integral(fn: Callable[[float], float]) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        return value if _is_int(value) else float(fn(_num_arg(value)))
    return run


def _min_max(pick: Callable) -> Callable[[Any, Any], Any]:
    def run(a: Any, b: Any) -> Any:
        if _is_int(a) and _is_int(b):
            return pick(a, b)
        return float(pick(_num_arg(a), _num_arg(b)))
    return run


def _sqrt(value: Any) -> float:
    number = _num_arg(value)
    return math.sqrt(number) if number >= 0 else math.nan


def _log(value: Any, base: Any = None) -> float:
    number = _num_arg(value)
    if number <= 0:
        return -math.inf if number == 0 else math.nan
    return math.log(number) if base is None else math.log(number, _num_arg(base))


def _pow(x: Any, y: Any) -> float:
    try:
        return math.pow(_num_arg(x), _num_arg(y))
    except (OverflowError, ValueError):
        return math.inf if _num_arg(x) > 0 else math.nan


MATH: dict[str, Callable] = {
    "Round": _math_round, "Floor": _integral(math.floor), "Ceiling": _integral(math.ceil),
    "Truncate": _integral(math.trunc), "Abs": lambda v: abs(v) if _is_int(v) else abs(_num_arg(v)),
    "Max": _min_max(max), "Min": _min_max(min), "Pow": _pow, "Sqrt": _sqrt,
    "Sign": lambda v: (lambda n: (n > 0) - (n < 0))(_num_arg(v)), "Log": _log,
    "Log10": lambda v: _log(v, 10), "Exp": lambda v: math.exp(_num_arg(v)),
}


def _spread(args: tuple) -> list:
    """``params object[]``: one array argument supplies all the values."""
    return list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)


def _string_format(fmt: Any, *args: Any) -> str:
    try:
        return dotnet_format.composite_format(to_string(fmt), _spread(args))
    except dotnet_format.FormatError as exc:
        raise DotNetException("FormatException", str(exc)) from None


def _string_compare(a: Any, b: Any, *rest: Any) -> int:
    if a is None or b is None:
        return (a is not None) - (b is not None)
    ignore = bool(rest) and _ignore_case(rest[0])
    return compare_values(to_string(a), to_string(b), not ignore)


STRING_STATICS: dict[str, Callable] = {
    "IsNullOrEmpty": lambda v: v is None or to_string(v) == "",
    "IsNullOrWhiteSpace": lambda v: v is None or to_string(v).strip() == "",
    "Join": lambda sep, *values: to_string(sep).join(to_string(v) for v in _spread(values)),
    "Format": _string_format, "Concat": lambda *values: "".join(to_string(v) for v in _spread(values)),
    "Compare": _string_compare, "Equals": lambda a, b: net_equals(a, b),
}


def _date_parse(text: Any, provider: Any = None) -> _dt.datetime:
    parsed = dotnet_format.parse_datetime(to_string(text))
    if parsed is None:
        raise DotNetException("FormatException", "String was not recognized as a valid DateTime.")
    return parsed


def _date_parse_exact(text: Any, formats: Any, provider: Any = None, style: Any = None) -> _dt.datetime:
    for fmt in (formats if isinstance(formats, list) else [formats]):
        parsed = dotnet_format.parse_exact(to_string(text), to_string(fmt))
        if parsed is not None:
            return parsed
    raise DotNetException("FormatException", "String was not recognized as a valid DateTime.")


DATETIME_STATICS: dict[str, Callable] = {
    "Parse": _date_parse, "ParseExact": _date_parse_exact,
    "DaysInMonth": lambda y, m: _days_in_month(_int_arg(y), _int_arg(m)),
    "IsLeapYear": lambda y: _days_in_month(_int_arg(y), 2) == 29,
    "Compare": lambda a, b: compare_values(_DATETIME.convert(a), _DATETIME.convert(b)),
}


def _number_parse(kind: PSType, integral: bool) -> Callable[..., Any]:
    def parse(text: Any, *rest: Any) -> Any:
        s = to_string(text).strip()
        if integral and not re.fullmatch(r"[+-]?\d+", s) or not integral and parse_number(s) is None or s == "":
            raise DotNetException("FormatException", "Input string was not in a correct format.")
        if not integral:
            return float(s)
        try:
            return kind.convert(int(s))
        except PSError:
            raise DotNetException("OverflowException", f"Value was either too large or too small for an "
                                                       f"{kind.name}.") from None
    return parse


def _convert_to_int(value: Any, base: Any = None) -> int:
    if base is None:
        return _INT.convert(value)
    try:
        number = int(to_string(value), _int_arg(base))
    except ValueError:
        raise DotNetException("FormatException", "Could not find any recognizable digits.") from None
    return number - 2**32 if number >= 2**31 else number


def _convert_to_string(value: Any, base: Any = None) -> str:
    if base is None:
        return to_string(value)
    number, radix = _LONG.convert(value), _int_arg(base)
    if radix not in (2, 8, 10, 16):
        raise DotNetException("ArgumentException", "Invalid Base.")
    if number < 0 and radix != 10:
        number &= 2**32 - 1 if number >= -2**31 else 2**64 - 1
    return {2: format(number, "b"), 8: format(number, "o"), 10: str(number), 16: format(number, "x")}[radix]


CONVERT_STATICS: dict[str, Callable] = {
    "ToInt32": _convert_to_int, "ToInt64": lambda v: _LONG.convert(v), "ToDouble": lambda v: _num_arg(v),
    "ToBoolean": lambda v: to_bool(v) if not isinstance(v, str) else _parse_bool(v),
    "ToString": _convert_to_string, "ToDateTime": lambda v: _DATETIME.convert(v),
}


def _parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low not in ("true", "false"):
        raise DotNetException("FormatException", "String was not recognized as a valid Boolean.")
    return low == "true"


def _path_separator(parts: list[str]) -> str:
    return "\\" if any("\\" in p for p in parts) else "/"


def _is_rooted(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", path))


def _path_combine(*parts: Any) -> str:
    texts = [to_string(p) for p in _spread(parts)]
    if any(p is None for p in _spread(parts)):
        raise DotNetException("ArgumentNullException", "Value cannot be null.\nParameter name: paths")
    sep, result = _path_separator(texts), ""
    for part in texts:
        if part == "":
            continue
        if _is_rooted(part) or not result:
            result = part
        else:
            result = result + ("" if result.endswith(("/", "\\", ":")) else sep) + part
    return result


def _file_name(path: Any) -> str:
    return re.split(r"[\\/]", to_string(path))[-1]


def _extension(path: Any) -> str:
    name = _file_name(path)
    return name[name.rfind("."):] if "." in name and not name.endswith(".") else ""


def _directory_name(path: Any) -> str | None:
    text = to_string(path)
    index = max(text.rfind("/"), text.rfind("\\"))
    if index < 0:
        return ""
    if re.fullmatch(r"[A-Za-z]:[\\/]?|[\\/]", text[:index + 1]) and index == len(text) - 1:
        return None
    return text[:index] if index > 0 and not re.fullmatch(r"[A-Za-z]:", text[:index]) else text[:index + 1]


PATH_STATICS: dict[str, Callable] = {
    "Combine": _path_combine, "GetFileName": _file_name, "GetExtension": _extension,
    "GetFileNameWithoutExtension": lambda p: _file_name(p)[:len(_file_name(p)) - len(_extension(p))],
    "GetDirectoryName": _directory_name, "IsPathRooted": lambda p: _is_rooted(to_string(p)),
    "GetTempPath": lambda: __import__("tempfile").gettempdir() + "/",
    "GetFullPath": lambda p: __import__("os").path.abspath(to_string(p)),
    "HasExtension": lambda p: _extension(p) != "",
}


def _regex_options(options: Any) -> tuple[bool, bool]:
    if options is None:
        return False, False
    if _is_int(options):
        return bool(options & 1), bool(options & 2)
    low = to_string(options).lower()
    return "ignorecase" in low, "multiline" in low


def _regex(pattern: Any, options: Any = None) -> re.Pattern:
    from csshell.runtime.operators import compile_regex
    ignore, multi = _regex_options(options)
    try:
        return compile_regex(to_string(pattern), ignore_case=ignore, multiline=multi)
    except PSError:
        raise DotNetException("ArgumentException", f'parsing "{to_string(pattern)}" - Invalid pattern.') from None


def match_object(m: re.Match | None) -> PSObject:
    """A ``System.Text.RegularExpressions.Match``: Success, Value, Index, Length and Groups."""
    from csshell.runtime.operators import net_groups
    groups = PSHashtable()
    for key, index in (net_groups(m.re) if m is not None else []):
        group = PSObject([("Success", m.group(index) is not None), ("Name", str(key)),
                          ("Value", m.group(index) or ""), ("Index", max(m.start(index), 0)),
                          ("Length", len(m.group(index) or ""))], ["System.Text.RegularExpressions.Group"])
        groups[key] = group
    return PSObject([("Groups", groups), ("Success", m is not None), ("Name", "0"),
                     ("Value", m.group(0) if m else ""), ("Index", m.start() if m else 0),
                     ("Length", len(m.group(0)) if m else 0)], ["System.Text.RegularExpressions.Match"])


_NET_ESCAPES = {"\\": "\\\\", "*": "\\*", "+": "\\+", "?": "\\?", "|": "\\|", "{": "\\{", "[": "\\[",
                "(": "\\(", ")": "\\)", "^": "\\^", "$": "\\$", ".": "\\.", "#": "\\#", " ": "\\ ",
                "\t": "\\t", "\n": "\\n", "\r": "\\r", "\f": "\\f"}


def _regex_replace(text: Any, pattern: Any, replacement: Any, options: Any = None) -> str:
    from csshell.runtime.operators import expand_replacement
    return _regex(pattern, options).sub(lambda m: expand_replacement(m, to_string(replacement)), to_string(text))


REGEX_STATICS: dict[str, Callable] = {
    "Escape": lambda s: "".join(_NET_ESCAPES.get(ch, ch) for ch in to_string(s)),
    "Unescape": lambda s: re.sub(r"\\(.)", r"\1", to_string(s)),
    "IsMatch": lambda s, p, o=None: _regex(p, o).search(to_string(s)) is not None,
    "Match": lambda s, p, o=None: match_object(_regex(p, o).search(to_string(s))),
    "Matches": lambda s, p, o=None: [match_object(m) for m in _regex(p, o).finditer(to_string(s))],
    "Replace": _regex_replace,
    "Split": lambda s, p, o=None: ["" if x is None else x for x in _regex(p, o).split(to_string(s))],
}


def _char_test(test: Callable[[str], bool]) -> Callable[..., bool]:
    def run(value: Any, index: Any = None) -> bool:
        text = to_string(value) if index is not None else _CHAR.convert(value)
        return test(text[_int_arg(index)] if index is not None else text)
    return run


CHAR_STATICS: dict[str, Callable] = {
    "IsDigit": _char_test(str.isdigit), "IsLetter": _char_test(str.isalpha),
    "IsWhiteSpace": _char_test(str.isspace), "IsUpper": _char_test(str.isupper),
    "IsLower": _char_test(str.islower), "IsLetterOrDigit": _char_test(str.isalnum),
    "IsPunctuation": _char_test(lambda c: not c.isalnum() and not c.isspace() and c.isprintable()),
    "ToUpper": lambda c: _CHAR.convert(c).upper(), "ToLower": lambda c: _CHAR.convert(c).lower(),
}


def _environment_variable(name: Any, target: Any = None) -> str | None:
    import os
    return os.environ.get(to_string(name))


STATIC_METHODS: dict[str, dict[str, Callable]] = {
    "System.Math": MATH, "System.String": STRING_STATICS, "System.DateTime": DATETIME_STATICS,
    "System.Int32": {"Parse": _number_parse(_INT, True)}, "System.Int64": {"Parse": _number_parse(_LONG, True)},
    "System.Double": {"Parse": _number_parse(_DOUBLE, False), "IsNaN": lambda v: _num_arg(v) != _num_arg(v)},
    "System.Guid": {"NewGuid": lambda: Guid(uuid.uuid4()), "Parse": _to_guid},
    "System.Environment": {"GetEnvironmentVariable": _environment_variable},
    "System.IO.Path": PATH_STATICS, "System.Text.RegularExpressions.Regex": REGEX_STATICS,
    "System.Char": CHAR_STATICS, "System.Convert": CONVERT_STATICS,
    "System.TimeSpan": {"FromDays": lambda n: _dt.timedelta(days=_num_arg(n)),
                        "FromHours": lambda n: _dt.timedelta(hours=_num_arg(n)),
                        "FromMinutes": lambda n: _dt.timedelta(minutes=_num_arg(n)),
                        "FromSeconds": lambda n: _dt.timedelta(seconds=_num_arg(n)),
                        "Parse": lambda s: _TIMESPAN.convert(to_string(s))},
}


def _static_properties(full_name: str) -> dict[str, Callable[[], Any]]:
    """Static properties are computed on access (``[datetime]::Now`` changes)."""
    import getpass
    import os
    import platform
    return {
        "System.Math": {"PI": lambda: math.pi, "E": lambda: math.e},
        "System.Int32": {"MaxValue": lambda: 2**31 - 1, "MinValue": lambda: -2**31},
        "System.Int64": {"MaxValue": lambda: 2**63 - 1, "MinValue": lambda: -2**63},
        "System.Byte": {"MaxValue": lambda: 255, "MinValue": lambda: 0},
        "System.Double": {"MaxValue": lambda: 1.7976931348623157e308, "MinValue": lambda: -1.7976931348623157e308,
                          "NaN": lambda: math.nan, "PositiveInfinity": lambda: math.inf,
                          "NegativeInfinity": lambda: -math.inf, "Epsilon": lambda: 5e-324},
        "System.String": {"Empty": lambda: ""},
        "System.DateTime": {"Now": clock.now, "Today": lambda: clock.now().replace(hour=0, minute=0, second=0, microsecond=0),
                            "UtcNow": lambda: _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None),
                            "MinValue": lambda: _dt.datetime.min, "MaxValue": lambda: _dt.datetime.max},
        "System.TimeSpan": {"Zero": lambda: _dt.timedelta(0)},
        "System.Guid": {"Empty": lambda: Guid(uuid.UUID(int=0))},
        "System.Boolean": {"TrueString": lambda: "True", "FalseString": lambda: "False"},
        "System.Environment": {"NewLine": lambda: "\n", "MachineName": lambda: platform.node().split(".")[0].upper(),
                               "UserName": getpass.getuser, "CurrentDirectory": os.getcwd,
                               "UserDomainName": lambda: platform.node().split(".")[0].upper(),
                               "ProcessorCount": lambda: os.cpu_count() or 1, "Is64BitProcess": lambda: True},
        "System.IO.Path": {"DirectorySeparatorChar": lambda: os.sep, "PathSeparator": lambda: os.pathsep},
        "System.StringSplitOptions": {"None": lambda: 0, "RemoveEmptyEntries": lambda: 1},
    }.get(full_name, {})


def get_static(type_spec: Any, name: str) -> Any:
    """``[Type]::Name`` for a property; an unknown static property is ``$null`` as in PowerShell."""
    found = _lookup(_static_properties(resolve_type(type_spec).full_name), name)
    return found[1]() if found else None


def invoke_static(type_spec: Any, name: str, args: list) -> Any:
    """``[Type]::Name(args)``, including ``[Type]::new(args)``."""
    kind = resolve_type(type_spec)
    if name.lower() == "new":
        return new_object(kind, args)
    found = _lookup(STATIC_METHODS.get(kind.full_name, {}), name)
    if found is None:
        raise _error(f"Method invocation failed because [{kind.full_name}] does not contain a method named "
                     f"'{name}'.", "MethodNotFound")
    return call_member(found[0], found[1], tuple(args), len(args))


def _new_datetime(*parts: Any) -> _dt.datetime:
    numbers = [_int_arg(p) for p in parts]
    try:
        return _dt.datetime(*numbers[:6], numbers[6] * 1000 if len(numbers) > 6 else 0)
    except (ValueError, TypeError):
        raise _arg_error("Year, Month, and Day parameters describe an un-representable DateTime.", "") from None


def _new_timespan(*parts: Any) -> _dt.timedelta:
    numbers = [_LONG.convert(p) for p in parts]
    if len(numbers) == 1:
        return _dt.timedelta(microseconds=numbers[0] // 10)
    if len(numbers) == 3:
        return _dt.timedelta(hours=numbers[0], minutes=numbers[1], seconds=numbers[2])
    return _dt.timedelta(days=numbers[0], hours=numbers[1], minutes=numbers[2], seconds=numbers[3],
                         milliseconds=numbers[4] if len(numbers) > 4 else 0)


_CONSTRUCTORS: dict[str, Callable] = {
    "System.Collections.ArrayList": lambda *a: PSList(_to_array(a[0]) or [] if a and isinstance(a[0], list) else []),
    "System.Collections.Hashtable": lambda *a: PSHashtable(),
    "System.Management.Automation.PSObject": lambda *a: PSObject(),
    "System.Object": lambda: PSObject(), "System.DateTime": _new_datetime, "System.TimeSpan": _new_timespan,
    "System.String": lambda c, n: _CHAR.convert(c) * _int_arg(n), "System.Guid": lambda s: _to_guid(s),
}


def new_object(type_spec: Any, args: list) -> Any:
    """``New-Object Type args`` and ``[Type]::new(args)`` for the types scripts construct."""
    kind = resolve_type(type_spec)
    if kind.full_name.startswith("System.Collections.Generic.List"):
        return kind.convert(args[0] if args else [])
    ctor = _CONSTRUCTORS.get(kind.full_name)
    if ctor is None:
        raise _error(f"A constructor was not found. Cannot find an appropriate constructor for type "
                     f"{kind.full_name}.", "CannotFindAppropriateCtor", INVALID_OPERATION, "PSArgumentException")
    return call_member("new", ctor, tuple(args), len(args))

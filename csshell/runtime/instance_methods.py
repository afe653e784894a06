"""Instance methods of the .NET values scripts call them on: ``$s.Trim()``, ``$d.AddDays(-7)``, ``$h.ContainsKey``.

Each table maps a method name to a Python function taking the object and the script's arguments;
``methods.invoke_method`` picks the table by the value's type (:func:`method_table`) and calls through
``member_calls.call_member``. The functions follow .NET's semantics, not Python's: ``String.Replace`` is
ordinal and case-sensitive, ``Split('ab')`` splits on each character, arrays are fixed-size, ``Add*`` on
a DateTime rounds to whole milliseconds.
"""
from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Callable

from csshell.runtime import dotnet_format
from csshell.runtime.dotnet_types import CHAR_TYPE, INT64_TYPE, TIMESPAN_TYPE, PSList, is_int, to_array, type_of
from csshell.runtime.member_calls import (DotNetException, arg_error, char_set, ignore_case, int_arg, net_equals,
                                          num_arg)
from csshell.runtime.operators import compare_values
from csshell.runtime.values import PSHashtable, PSObject, format_datetime, to_string


def _s_trim(s: str, *chars: Any) -> str:
    return s.strip(char_set(chars)) if chars else s.strip()


def _s_trim_start(s: str, *chars: Any) -> str:
    return s.lstrip(char_set(chars)) if chars else s.lstrip()


def _s_trim_end(s: str, *chars: Any) -> str:
    return s.rstrip(char_set(chars)) if chars else s.rstrip()


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
    count = next((int_arg(a) for a in rest if is_int(a)), None) if not (
        len(rest) == 1 and isinstance(separators, list)) else None
    remove_empty = any(_split_option(a) for a in rest if not (is_int(a) and a == count))
    if count is not None and count < 0:
        raise arg_error("Count cannot be less than zero.", "count")
    if count == 0:
        return []
    if isinstance(separators, list) and rest and any(len(to_string(x)) > 1 for x in separators):
        alternatives = sorted((to_string(x) for x in separators if to_string(x)), key=len, reverse=True)
        pattern = "|".join(re.escape(x) for x in alternatives)
    else:
        seps = char_set((separators,)) if separators is not None else ""
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
    return (arg == 1) if is_int(arg) else "removeemptyentries" in to_string(arg).lower()


def _s_substring(s: str, start: Any, length: Any = None) -> str:
    begin = int_arg(start)
    if begin < 0:
        raise arg_error("StartIndex cannot be less than zero.", "startIndex")
    if begin > len(s):
        raise arg_error("startIndex cannot be larger than length of string.", "startIndex")
    if length is None:
        return s[begin:]
    size = int_arg(length)
    if size < 0:
        raise arg_error("Length cannot be less than zero.", "length")
    if begin + size > len(s):
        raise arg_error("Index and length must refer to a location within the string.", "length")
    return s[begin:begin + size]


def _fold(s: str, value: Any, comparison: Any) -> tuple[str, str]:
    if value is None:
        raise DotNetException("ArgumentNullException", "Value cannot be null.\nParameter name: value")
    text = to_string(value)
    return (s.lower(), text.lower()) if comparison is not None and ignore_case(comparison) else (s, text)


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
    comparison = rest[-1] if rest and not is_int(rest[-1]) else None
    numbers = [int_arg(x) for x in rest if is_int(x) or (isinstance(x, str) and x.isdigit())]
    start = numbers[0] if numbers else 0
    if not 0 <= start <= len(s):
        raise arg_error("Index was out of range. Must be non-negative and less than the size of the collection.",
                         "startIndex")
    end = start + numbers[1] if len(numbers) > 1 else len(s)
    a, b = _fold(s, value, comparison)
    return a.find(b, start, end)


def _s_last_index_of(s: str, value: Any, *rest: Any) -> int:
    comparison = rest[-1] if rest and not is_int(rest[-1]) else None
    a, b = _fold(s, value, comparison)
    end = int_arg(rest[0]) + 1 if rest and is_int(rest[0]) else len(s)
    return a.rfind(b, 0, end)


def _pad(s: str, width: Any, char: Any, left: bool) -> str:
    total = int_arg(width)
    if total < 0:
        raise arg_error("Non-negative number required.", "totalWidth")
    fill = CHAR_TYPE.convert(char) if char is not None else " "
    return s.rjust(total, fill) if left else s.ljust(total, fill)


def _s_insert(s: str, index: Any, value: Any) -> str:
    position = int_arg(index)
    if not 0 <= position <= len(s):
        raise arg_error("Specified argument was out of the range of valid values.", "startIndex")
    return s[:position] + to_string(value) + s[position:]


def _s_remove(s: str, index: Any, count: Any = None) -> str:
    start = int_arg(index)
    if start < 0:
        raise arg_error("StartIndex cannot be less than zero.", "startIndex")
    if count is None:
        if start >= len(s):
            raise arg_error("startIndex must be less than length of string.", "startIndex")
        return s[:start]
    size = int_arg(count)
    if size < 0 or start + size > len(s):
        raise arg_error("Index and count must refer to a location within the string.", "count")
    return s[:start] + s[start + size:]


def _s_equals(s: str, other: Any, comparison: Any = None) -> bool:
    if not isinstance(other, str):
        return False
    return s.lower() == other.lower() if comparison is not None and ignore_case(comparison) else s == other


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
    "Chars": lambda s, i: s[int_arg(i)], "Clone": lambda s: s,
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
    "GetValue": lambda a, i: a[int_arg(i)],
}


def _list_add(items: PSList, value: Any) -> int | None:
    items.append(value)
    return len(items) - 1 if items.full_name == "System.Collections.ArrayList" else None


def _list_remove(items: PSList, value: Any) -> None:
    index = _index_of(items, value)
    if index >= 0:
        del items[index]


def _list_remove_at(items: PSList, index: Any) -> None:
    position = int_arg(index)
    if not 0 <= position < len(items):
        raise arg_error("Index was out of range. Must be non-negative and less than the size of the collection.",
                         "index")
    del items[position]


LIST_METHODS: dict[str, Callable] = {
    **ARRAY_METHODS, "Add": _list_add, "AddRange": lambda a, v: a.extend(to_array(v) or []),
    "Remove": _list_remove,
    "RemoveAt": _list_remove_at, "Insert": lambda a, i, v: a.insert(int_arg(i), v),
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


DICTIONARY_ENTRY = "System.Collections.DictionaryEntry"


def dictionary_entries(table: PSHashtable) -> list[PSObject]:
    """``$h.GetEnumerator()``: DictionaryEntry objects (Name/Key and Value).

    DictionaryEntry does not override ``ToString()``, so ``"$entry"`` is its type name, not ``@{...}``.
    """
    return [PSObject([("Name", k), ("Key", k), ("Value", v)], [DICTIONARY_ENTRY], ["Name", "Value"],
                     tostring=DICTIONARY_ENTRY) for k, v in table.items()]


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
        return value + _dt.timedelta(milliseconds=round(num_arg(amount) * milliseconds))
    except OverflowError:
        raise arg_error("The added or subtracted value results in an un-representable DateTime.", "value") from None


def _add_months(value: _dt.datetime, months: Any) -> _dt.datetime:
    total = value.year * 12 + value.month - 1 + int_arg(months)
    year, month = divmod(total, 12)
    if not 1 <= year <= 9999:
        raise arg_error("The added or subtracted value results in an un-representable DateTime.", "months")
    day = min(value.day, days_in_month(year, month + 1))
    return value.replace(year=year, month=month + 1, day=day)


def days_in_month(year: int, month: int) -> int:
    if not 1 <= month <= 12:
        raise arg_error("Month must be between one and twelve.", "month")
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
    return value - TIMESPAN_TYPE.convert(other)


DATETIME_METHODS: dict[str, Callable] = {
    "AddDays": lambda d, n: _add_time(d, n, 86_400_000), "AddHours": lambda d, n: _add_time(d, n, 3_600_000),
    "AddMinutes": lambda d, n: _add_time(d, n, 60_000), "AddSeconds": lambda d, n: _add_time(d, n, 1000),
    "AddMilliseconds": lambda d, n: _add_time(d, n, 1), "AddMonths": _add_months,
    "AddYears": lambda d, n: _add_months(d, int_arg(n) * 12),
    "AddTicks": lambda d, n: d + _dt.timedelta(microseconds=INT64_TYPE.convert(n) // 10),
    "Add": lambda d, span: d + TIMESPAN_TYPE.convert(span), "Subtract": _date_subtract,
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
    "Add": lambda t, other: t + TIMESPAN_TYPE.convert(other),
    "Subtract": lambda t, other: t - TIMESPAN_TYPE.convert(other),
    "Negate": lambda t: -t, "Duration": lambda t: abs(t),
    "CompareTo": lambda t, other: compare_values(t, TIMESPAN_TYPE.convert(other)),
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


def method_table(obj: Any) -> dict[str, Callable]:
    """The instance methods of ``obj``'s .NET type (``COMMON_METHODS`` apply to every object)."""
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


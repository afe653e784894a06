""".NET members on values: instance methods, static members, type literals and their errors."""
from __future__ import annotations

import datetime as dt

import pytest

from csshell.runtime import clock
from csshell.runtime.errors import PSError
from csshell.runtime.methods import (Guid, PSList, PSType, get_static, invoke_method, invoke_static, new_object,
                                     resolve_type)
from csshell.runtime.values import PSHashtable, PSObject, get_property, to_string


def error_of(fn, *args):
    with pytest.raises(PSError) as info:
        fn(*args)
    return info.value.record


# --- strings ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name, args, expected", [
    (" hi ", "Trim", [], "hi"),
    ("xxhixx", "trim", ["x"], "hi"),
    ("abcba", "Trim", ["ab"], "c"),           # a string argument is a char[]
    ("  hi", "TrimStart", [], "hi"),
    ("hi..", "TrimEnd", ["."], "hi"),
    ("Ken", "ToUpper", [], "KEN"),
    ("Ken", "TOLOWER", [], "ken"),
    ("aAa", "Replace", ["a", "b"], "bAb"),    # literal and case-sensitive
    ("a.b", "Replace", [".", "-"], "a-b"),
    ("a,b;c", "Split", [",;"], ["a", "b", "c"]),
    ("a::b", "Split", ["::"], ["a", "", "b"]),  # .NET Framework splits on each character
    ("a  b", "Split", [], ["a", "", "b"]),
    ("a,b,c", "Split", [",", 2], ["a", "b,c"]),
    ("a,,b", "Split", [[","], "RemoveEmptyEntries"], ["a", "b"]),
    ("a--b--c", "Split", [["--"], 0], ["a", "b", "c"]),
    ("hello", "Substring", [1], "ello"),
    ("hello", "Substring", [1, 3], "ell"),
    ("hello", "Substring", ["1", "2"], "el"),  # arguments convert to the parameter type
    ("Hello", "StartsWith", ["He"], True),
    ("Hello", "StartsWith", ["he"], False),
    ("Hello", "StartsWith", ["he", "OrdinalIgnoreCase"], True),
    ("Hello", "EndsWith", ["LO", "CurrentCultureIgnoreCase"], True),
    ("Hello", "Contains", ["ell"], True),
    ("Hello", "Contains", ["ELL"], False),
    ("Hello", "IndexOf", ["l"], 2),
    ("Hello", "IndexOf", ["l", 3], 3),
    ("Hello", "IndexOf", ["z"], -1),
    ("Hello", "LastIndexOf", ["l"], 3),
    ("5", "PadLeft", [3, "0"], "005"),
    ("ab", "PadRight", [4], "ab  "),
    ("abc", "Insert", [1, "X"], "aXbc"),
    ("abcdef", "Remove", [2], "ab"),
    ("abcdef", "Remove", [2, 2], "abef"),
    ("abc", "Equals", ["abc"], True),
    ("abc", "Equals", ["ABC"], False),
    ("abc", "CompareTo", ["abd"], -1),
    ("abc", "ToCharArray", [], ["a", "b", "c"]),
    ("abc", "ToString", [], "abc"),
])
def test_string_methods(text, name, args, expected):
    assert invoke_method(text, name, args) == expected


def test_string_method_exception_is_wrapped_like_powershell():
    record = error_of(invoke_method, "hello", "Substring", [9])
    assert record.message == ('Exception calling "Substring" with "1" argument(s): "startIndex cannot be larger '
                              'than length of string.\nParameter name: startIndex"')
    assert record.error_id == "ArgumentOutOfRangeException"
    assert record.reason == "MethodInvocationException"
    assert error_of(invoke_method, "hello", "Substring", [1, 9]).message.endswith(
        '"Index and length must refer to a location within the string.\nParameter name: length"')
    assert error_of(invoke_method, "a", "Replace", ["", "b"]).error_id == "ArgumentException"


def test_unknown_method_and_wrong_argument_count():
    record = error_of(invoke_method, "abc", "Foo", [])
    assert record.message == "Method invocation failed because [System.String] does not contain a method named 'Foo'."
    assert (record.error_id, record.category, record.reason) == ("MethodNotFound", "InvalidOperation",
                                                                 "RuntimeException")
    record = error_of(invoke_method, "abc", "Substring", [1, 2, 3])
    assert record.message == 'Cannot find an overload for "Substring" and the argument count: "3".'
    assert record.error_id == "MethodCountCouldNotFindBest"


def test_method_on_null_is_an_error_record():
    record = error_of(invoke_method, None, "Trim", [])
    assert record.message == "You cannot call a method on a null-valued expression."
    assert record.error_id == "InvokeMethodOnNull"


def test_get_type_returns_a_type_with_name_and_full_name():
    kind = invoke_method("abc", "GetType", [])
    assert isinstance(kind, PSType)
    assert get_property(kind, "Name") == "String"
    assert get_property(kind, "FullName") == "System.String"
    assert to_string(kind) == "System.String"
    assert invoke_method(5, "GetType", []).full_name == "System.Int32"
    assert invoke_method([1], "GetType", []).full_name == "System.Object[]"
    assert invoke_method(PSObject({"a": 1}), "gettype", []).name == "PSCustomObject"


# --- arrays, ArrayList, hashtables ----------------------------------------------------------------

def test_arrays_are_fixed_size_and_use_dotnet_equality():
    record = error_of(invoke_method, [1, 2], "Add", [3])
    assert record.message == 'Exception calling "Add" with "1" argument(s): "Collection was of a fixed size."'
    assert record.error_id == "NotSupportedException"
    assert invoke_method([1, "a"], "Contains", ["a"]) is True
    assert invoke_method([1, "a"], "Contains", ["A"]) is False
    assert invoke_method([1, 2], "Contains", ["1"]) is False
    assert invoke_method([1, 2], "IndexOf", [2]) == 1
    assert invoke_method([1, 2], "ToString", []) == "System.Object[]"


def test_arraylist_grows_and_add_returns_the_index():
    items = new_object("System.Collections.ArrayList", [])
    assert isinstance(items, PSList)
    assert invoke_method(items, "Add", ["x"]) == 0
    assert invoke_method(items, "Add", ["y"]) == 1
    invoke_method(items, "Remove", ["x"])
    invoke_method(items, "AddRange", [["z", "w"]])
    assert list(items) == ["y", "z", "w"]
    assert invoke_method(items, "GetType", []).full_name == "System.Collections.ArrayList"
    typed = new_object("System.Collections.Generic.List[string]", [])
    assert invoke_method(typed, "Add", ["a"]) is None and list(typed) == ["a"]


def test_hashtable_methods():
    table = PSHashtable([("Ken", 1)])
    assert invoke_method(table, "ContainsKey", ["KEN"]) is True
    assert invoke_method(table, "ContainsValue", [1]) is True
    invoke_method(table, "Add", ["Pilar", 2])
    assert list(table.keys()) == ["Ken", "Pilar"]
    record = error_of(invoke_method, table, "Add", ["ken", 3])
    assert record.message == ('Exception calling "Add" with "2" argument(s): "Item has already been added. '
                              "Key in dictionary: 'Ken'  Key being added: 'ken'\"")
    invoke_method(table, "Remove", ["pilar"])
    entries = invoke_method(table, "GetEnumerator", [])
    assert [(e.get("Name"), e.get("Value")) for e in entries] == [("Ken", 1)]
    invoke_method(table, "Clear", [])
    assert len(table) == 0


# --- dates, time spans, numbers -------------------------------------------------------------------

def test_datetime_methods():
    when = dt.datetime(2026, 3, 14, 9, 30)
    assert invoke_method(when, "AddDays", [-7]) == dt.datetime(2026, 3, 7, 9, 30)
    assert invoke_method(when, "AddHours", ["1.5"]) == dt.datetime(2026, 3, 14, 11, 0)
    assert invoke_method(when, "AddMinutes", [30]) == dt.datetime(2026, 3, 14, 10, 0)
    assert invoke_method(when, "AddSeconds", [0.5]) == dt.datetime(2026, 3, 14, 9, 30, 0, 500000)
    assert invoke_method(dt.datetime(2026, 1, 31), "AddMonths", [1]) == dt.datetime(2026, 2, 28)
    assert invoke_method(dt.datetime(2024, 2, 29), "AddYears", [1]) == dt.datetime(2025, 2, 28)
    assert invoke_method(when, "ToString", ["yyyy-MM-dd"]) == "2026-03-14"
    assert invoke_method(when, "ToString", []) == "3/14/2026 9:30:00 AM"
    assert invoke_method(when, "ToShortDateString", []) == "3/14/2026"
    assert invoke_method(when, "ToLongDateString", []) == "Saturday, March 14, 2026"
    assert invoke_method(when, "ToShortTimeString", []) == "9:30 AM"
    assert invoke_method(when, "Subtract", [dt.datetime(2026, 3, 13, 9, 30)]) == dt.timedelta(days=1)
    assert invoke_method(when, "CompareTo", [dt.datetime(2027, 1, 1)]) == -1
    assert invoke_method(when, "Equals", [dt.datetime(2026, 3, 14, 9, 30)]) is True


def test_datetime_overflow_is_wrapped():
    record = error_of(invoke_method, dt.datetime(9999, 12, 31), "AddDays", [1])
    assert record.error_id == "ArgumentOutOfRangeException"
    assert "un-representable DateTime" in record.message


def test_timespan_and_number_methods():
    span = dt.timedelta(hours=1, minutes=5)
    assert invoke_method(span, "ToString", []) == "01:05:00"
    assert invoke_method(span, "ToString", [r"hh\:mm"]) == "01:05"
    assert invoke_method(span, "Add", [dt.timedelta(minutes=5)]) == dt.timedelta(hours=1, minutes=10)
    assert invoke_method(1234.5, "ToString", ["N1"]) == "1,234.5"
    assert invoke_method(255, "ToString", ["X4"]) == "00FF"
    assert invoke_method(5, "Equals", [5]) is True
    assert invoke_method(5, "Equals", [5.0]) is False
    assert invoke_method(5, "CompareTo", [7]) == -1
    record = error_of(invoke_method, 5, "ToString", ["Z"])
    assert record.message == 'Exception calling "ToString" with "1" argument(s): "Format specifier was invalid."'
    assert record.error_id == "FormatException"


def test_objects_may_provide_their_own_methods():
    class Counter:
        def ps_invoke(self, name, args):
            return sum(args) if name.lower() == "sum" else NotImplemented

    assert invoke_method(Counter(), "Sum", [1, 2]) == 3
    assert invoke_method(Counter(), "GetType", []).name == "Counter"
    assert error_of(invoke_method, Counter(), "Nope", []).error_id == "MethodNotFound"


# --- static members --------------------------------------------------------------------------------

@pytest.mark.parametrize("type_name, name, args, expected", [
    ("math", "Round", [2.5], 2.0),
    ("Math", "Round", [3.5], 4.0),
    ("System.Math", "Round", [2.675, 2], 2.67),
    ("math", "Round", [0.125, 2], 0.12),
    ("math", "Round", [2.5, "AwayFromZero"], 3.0),
    ("math", "Floor", [2.7], 2.0),
    ("math", "Ceiling", [2.1], 3.0),
    ("math", "Truncate", [-2.7], -2.0),
    ("math", "Abs", [-3], 3),
    ("math", "Max", [3, 7], 7),
    ("math", "Min", [3, 1.5], 1.5),
    ("math", "Pow", [2, 10], 1024.0),
    ("math", "Sqrt", [16], 4.0),
    ("string", "IsNullOrEmpty", [""], True),
    ("String", "IsNullOrEmpty", [None], True),
    ("string", "IsNullOrEmpty", ["x"], False),
    ("string", "IsNullOrWhiteSpace", ["  "], True),
    ("string", "Join", [", ", ["a", "b"]], "a, b"),
    ("string", "Join", ["-", "a", "b", "c"], "a-b-c"),
    ("string", "Format", ["{0}-{1:D2}", "a", 5], "a-05"),
    ("string", "Concat", ["a", "b", 1], "ab1"),
    ("datetime", "Parse", ["3/14/2026"], dt.datetime(2026, 3, 14)),
    ("DateTime", "ParseExact", ["20260314", "yyyyMMdd", None], dt.datetime(2026, 3, 14)),
    ("datetime", "DaysInMonth", [2024, 2], 29),
    ("int", "Parse", ["42"], 42),
    ("double", "Parse", ["1.5"], 1.5),
    ("System.IO.Path", "Combine", ["C:\\Scripts", "list.csv"], "C:\\Scripts\\list.csv"),
    ("io.path", "Combine", ["/tmp", "x", "y.csv"], "/tmp/x/y.csv"),
    ("IO.Path", "GetFileName", ["C:\\a\\b.txt"], "b.txt"),
    ("IO.Path", "GetExtension", ["/a/b.tar.gz"], ".gz"),
    ("IO.Path", "GetFileNameWithoutExtension", ["/a/b.txt"], "b"),
    ("IO.Path", "GetDirectoryName", ["C:\\a\\b.txt"], "C:\\a"),
    ("regex", "Escape", ["a.b*c (d)"], "a\\.b\\*c\\ \\(d\\)"),
    ("regex", "IsMatch", ["abc", "B"], False),
    ("regex", "IsMatch", ["abc", "B", "IgnoreCase"], True),
    ("System.Text.RegularExpressions.Regex", "Replace", ["a1b2", r"\d", "#"], "a#b#"),
    ("char", "IsDigit", ["5"], True),
    ("char", "IsDigit", ["a5", 0], False),
    ("convert", "ToString", [255, 16], "ff"),
    ("convert", "ToInt32", ["ff", 16], 255),
])
def test_static_methods(type_name, name, args, expected):
    result = invoke_static(type_name, name, args)
    assert result == expected and type(result) is type(expected)


def test_regex_match_object_has_groups_by_number_and_name():
    m = invoke_static("regex", "Match", ["Ken Myer", r"(?<first>\w+) (\w+)"])
    assert get_property(m, "Success") is True
    groups = get_property(m, "Groups")
    assert get_property(groups["first"], "Value") == "Ken"
    assert get_property(groups[1], "Value") == "Myer"
    assert get_property(invoke_static("regex", "Match", ["x", "y"]), "Success") is False


def test_static_errors():
    record = error_of(invoke_static, "Foo", "Bar", [])
    assert (record.message, record.error_id, record.category) == ("Unable to find type [Foo].", "TypeNotFound",
                                                                  "InvalidOperation")
    record = error_of(invoke_static, "math", "Foo", [])
    assert record.message == "Method invocation failed because [System.Math] does not contain a method named 'Foo'."
    record = error_of(invoke_static, "datetime", "Parse", ["junk"])
    assert record.message == ('Exception calling "Parse" with "1" argument(s): "String was not recognized as a '
                              'valid DateTime."')
    assert error_of(invoke_static, "int", "Parse", ["4x"]).error_id == "FormatException"
    assert error_of(invoke_static, "math", "Round", [2.5, 20]).error_id == "ArgumentOutOfRangeException"


def test_static_properties(monkeypatch):
    fixed = dt.datetime(2026, 3, 14, 9, 30)
    monkeypatch.setattr(clock, "now", lambda: fixed)
    assert get_static("int", "MaxValue") == 2147483647
    assert get_static("[System.Int32]", "MinValue") == -2147483648
    assert get_static("long", "MaxValue") == 2**63 - 1
    assert get_static("math", "PI") == pytest.approx(3.14159265)
    assert get_static("System.Environment", "NewLine") == "\n"
    assert get_static("Environment", "MachineName")
    assert get_static("string", "Empty") == ""
    assert get_static("datetime", "Now") == fixed
    assert get_static("datetime", "Today") == dt.datetime(2026, 3, 14)
    assert get_static("int", "NoSuchProperty") is None


def test_guid_and_constructors():
    guid = invoke_static("guid", "NewGuid", [])
    assert isinstance(guid, Guid) and len(to_string(guid)) == 36
    assert invoke_method(guid, "ToString", []) == to_string(guid)
    assert new_object("datetime", [2026, 3, 14]) == dt.datetime(2026, 3, 14)
    assert invoke_static("timespan", "new", [1, 2, 3]) == dt.timedelta(hours=1, minutes=2, seconds=3)
    assert error_of(new_object, "math", []).error_id == "CannotFindAppropriateCtor"


# --- type literals ------------------------------------------------------------------------------------

def test_resolve_type_accepts_brackets_system_prefix_and_case():
    for spec in ("int", "[int]", "System.Int32", "[SYSTEM.INT32]", "int32"):
        assert resolve_type(spec).full_name == "System.Int32"
    assert resolve_type("[string[]]").convert([1, 2]) == ["1", "2"]
    assert resolve_type("pscustomobject").convert(PSHashtable([("a", 1)])).get("a") == 1


def test_casts_fail_with_powershell_messages():
    record = error_of(resolve_type("int").convert, "abc")
    assert record.message == ('Cannot convert value "abc" to type "System.Int32". Error: "Input string was not '
                              'in a correct format."')
    assert record.error_id == "InvalidCastFromStringToInteger"
    record = error_of(resolve_type("datetime").convert, "junk")
    assert "String was not recognized as a valid DateTime." in record.message
    assert error_of(resolve_type("hashtable").convert, "x").error_id == "ConvertToFinalInvalidCastException"


# --- type names of the modelled .NET values (errors, GetType, -is) --------------------------------

def test_arraylist_and_generic_list_report_their_own_type_name():
    items = new_object("System.Collections.ArrayList", [])
    record = error_of(invoke_method, items, "Foo", [])
    assert record.message == ("Method invocation failed because [System.Collections.ArrayList] does not contain "
                              "a method named 'Foo'.")
    typed = new_object("System.Collections.Generic.List[string]", [])
    assert invoke_method(typed, "GetType", []).full_name == "System.Collections.Generic.List`1[System.String]"
    assert invoke_method(typed, "ToString", []) == "System.Collections.Generic.List`1[System.String]"
    assert resolve_type("System.Collections.Generic.List[string]").is_instance(typed)
    assert not resolve_type("System.Collections.Generic.List[string]").is_instance(items)


def test_guid_and_type_values_report_their_dotnet_type():
    guid = invoke_static("guid", "NewGuid", [])
    assert invoke_method(guid, "GetType", []).full_name == "System.Guid"
    assert error_of(invoke_method, guid, "Foo", []).message.startswith("Method invocation failed because "
                                                                       "[System.Guid] does not")
    kind = resolve_type("int")
    assert invoke_method(kind, "GetType", []).full_name == "System.RuntimeType"


# --- objects whose .NET ToString() is not the property bag ----------------------------------------

def test_regex_match_and_its_groups_print_as_their_value():
    match = invoke_static("regex", "Match", ["Ken 42", r"(?<num>\d+)"])
    assert to_string(match) == "42"
    assert to_string(match.get("Groups")["num"]) == "42"
    assert invoke_method(match, "ToString", []) == "42"
    assert to_string(match.copy()) == "42"


def test_dictionary_entry_prints_its_type_name_and_custom_objects_their_properties():
    entry = invoke_method(PSHashtable([("Ken", 1)]), "GetEnumerator", [])[0]
    assert to_string(entry) == "System.Collections.DictionaryEntry"
    assert to_string(PSObject([("Name", "Ken")])) == "@{Name=Ken}"

"""LanguagePrimitives-style conversions for casts and parameter binding."""
from __future__ import annotations

import datetime as dt
import re

import binder_toys  # noqa: F401  (makes the package importable)
import pytest
from hypothesis import given
from hypothesis import strategies as st

from csshell.runtime.conversions import (ConversionError, convert_to, help_type_name, is_exact_type,
                                         parse_datetime, type_display_name)
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock


def failure(value, type_name, **kw) -> str:
    with pytest.raises(ConversionError) as info:
        convert_to(value, type_name, **kw)
    return info.value.message


@pytest.mark.parametrize("text, expected", [("42", 42), (" 42 ", 42), ("0x10", 16), ("1kb", 1024),
                                            ("-7", -7), ("2.5", 2), ("3.5", 4), ("", 0)])
def test_strings_convert_to_int32_like_powershell(text, expected):
    assert convert_to(text, "int") == expected


def test_non_numeric_string_to_int_has_powershell_wording():
    assert failure("abc", "Int32") == ('Cannot convert value "abc" to type "System.Int32". '
                                       'Error: "Input string was not in a correct format."')


def test_int32_overflow_and_unsigned_range():
    assert failure("5000000000", "int").endswith('Error: "Value was either too large or too small for an Int32."')
    assert convert_to("5000000000", "long") == 5_000_000_000
    assert failure(-1, "UInt32").endswith('Error: "Value was either too large or too small for a UInt32."')
    assert convert_to("4294967295", "uint") == 4294967295
    assert failure(2**64, "UInt64").endswith("for a UInt64.\"")


def test_objects_to_int_use_the_invalid_cast_wording():
    table = PSHashtable([("a", 1)])
    assert failure(table, "int") == ('Cannot convert the "System.Collections.Hashtable" value of type '
                                     '"System.Collections.Hashtable" to type "System.Int32".')


@given(st.integers(min_value=-2**31, max_value=2**31 - 1))
def test_every_int32_round_trips_through_its_text(n):
    assert convert_to(str(n), "int") == n
    assert convert_to(n, "string") == str(n)


def test_double_and_decimal():
    assert convert_to("1.5", "double") == 1.5
    assert convert_to(3, "decimal") == 3.0 and isinstance(convert_to(3, "decimal"), float)
    assert "System.Double" in failure("x", "double")


def test_bool_cast_is_truthiness_but_bool_parameter_is_strict():
    assert convert_to("false", "bool") is True
    assert convert_to("", "bool") is False
    assert convert_to(0, "bool", parameter="Enabled") is False
    assert convert_to(2.5, "bool", parameter="Enabled") is True
    assert failure("true", "bool", parameter="Enabled") == (
        "Cannot convert 'System.String' to the type 'System.Boolean' required by parameter 'Enabled'. "
        "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.")


def test_string_conversions():
    assert convert_to(ScriptBlock('DisplayName -eq "Ken Myer"', None), "string") == 'DisplayName -eq "Ken Myer"'
    assert convert_to(None, "string") == ""
    assert convert_to(1.5, "string") == "1.5"
    assert convert_to(dt.datetime(2026, 3, 14, 9, 30), "string") == "3/14/2026 9:30:00 AM"
    assert convert_to([1, 2], "string") == "1 2"


def test_collection_to_scalar_parameter_is_not_supported():
    assert failure(["a"], "string", parameter="Identity") == (
        "Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Identity'. "
        "Specified method is not supported.")


def test_char():
    assert convert_to("a", "char") == "a"
    assert convert_to(65, "char") == "A"
    assert failure("ab", "char").endswith('Error: "String must be exactly one character long."')


def test_arrays_wrap_scalars_and_convert_elements():
    assert convert_to("x", "string[]") == ["x"]
    assert convert_to(["1", "2"], "int[]") == [1, 2]
    assert convert_to(5, "object[]") == [5]
    assert convert_to(None, "array") is None
    message = failure(["1", "abc"], "int[]")
    assert message.startswith('Cannot convert value "System.Object[]" to type "System.Int32[]". Error: "Cannot '
                              'convert value "abc"')
    assert failure(["1", "abc"], "int[]", parameter="Ids").startswith('Cannot convert value "abc" to type')


@pytest.mark.parametrize("text, expected", [
    ("3/14/2026 9:30:00 AM", dt.datetime(2026, 3, 14, 9, 30)),
    ("3/14/2026 9:30:00 PM", dt.datetime(2026, 3, 14, 21, 30)),
    ("3/14/2026", dt.datetime(2026, 3, 14)),
    ("2026-03-14", dt.datetime(2026, 3, 14)),
    ("2026-03-14T09:30:00", dt.datetime(2026, 3, 14, 9, 30)),
    ("03/04/2026 13:05", dt.datetime(2026, 3, 4, 13, 5)),
])
def test_datetime_parsing_en_us_and_iso(text, expected):
    assert convert_to(text, "datetime") == expected


def test_datetime_failure_and_utc_designator():
    assert failure("tomorrowish", "DateTime") == ('Cannot convert value "tomorrowish" to type "System.DateTime". '
                                                  'Error: "String was not recognized as a valid DateTime."')
    assert parse_datetime("2026-03-14T09:30:00Z") is not None
    assert failure("14/3/2026", "datetime").startswith('Cannot convert value "14/3/2026"')


def test_timespan():
    assert convert_to("01:30:00", "timespan") == dt.timedelta(hours=1, minutes=30)
    assert convert_to("2.03:00:00", "TimeSpan") == dt.timedelta(days=2, hours=3)
    assert convert_to("5", "timespan") == dt.timedelta(days=5)
    assert convert_to("-00:00:10", "timespan") == dt.timedelta(seconds=-10)
    assert "TimeSpan" in failure("soon", "timespan")


def test_scriptblock_hashtable_and_objects():
    block = ScriptBlock("1", None)
    assert convert_to(block, "scriptblock") is block
    assert failure("1", "scriptblock") == ('Cannot convert the "1" value of type "System.String" to type '
                                           '"System.Management.Automation.ScriptBlock".')
    table = PSHashtable([("Name", "Ken"), ("Pin", "80417")])
    assert convert_to(table, "hashtable") is table
    obj = convert_to(table, "pscustomobject")
    assert isinstance(obj, PSObject) and obj.names() == ["Name", "Pin"] and obj.get("pin") == "80417"
    assert convert_to(table, "object") is table and convert_to(table, "psobject") is table
    assert convert_to(table, "SomeUnknownType") is table


def test_regex_is_case_sensitive_like_dotnet():
    pattern = convert_to("^sip:", "regex")
    assert isinstance(pattern, re.Pattern) and pattern.match("sip:a") and not pattern.match("SIP:a")
    assert "Regex" in failure("(", "regex")


def test_action_preference_names_and_numbers():
    assert convert_to("silentlycontinue", "ActionPreference") == "SilentlyContinue"
    assert convert_to(1, "ActionPreference") == "Stop"
    assert convert_to("0", "ActionPreference") == "SilentlyContinue"
    message = failure("Sometimes", "ActionPreference")
    assert message.startswith('Cannot convert value "Sometimes" to type '
                              '"System.Management.Automation.ActionPreference". Error: "Unable to match the '
                              'identifier name Sometimes to a valid enumerator name.')
    assert "SilentlyContinue, Stop, Continue, Inquire, Ignore, Suspend" in message


def test_identity_types_are_text_or_a_user_object():
    assert convert_to("Ken Myer", "UserIdParameter") == "Ken Myer"
    assert convert_to("Global", "XdsIdentity") == "Global"
    assert convert_to(42, "Fqdn") == "42"
    user = binder_toys.ad_user("Ken Myer")
    assert convert_to(user, "UserIdParameter") is user
    assert failure(user, "XdsIdentity").endswith('to type "Microsoft.Rtc.Management.Xds.XdsIdentity".')
    info = binder_toys.pin_info("sip:a@litwareinc.com")
    assert failure(info, "UserIdParameter") == (
        'Cannot convert the "@{Identity=sip:a@litwareinc.com; IsPinSet=True; IsLockedOut=True}" value of type '
        '"Microsoft.Rtc.Management.UserPinService.PinInfoDetails" to type '
        '"Microsoft.Rtc.Management.AD.UserIdParameter".')


def test_exact_type_checks():
    assert is_exact_type("a", "string") and not is_exact_type(1, "string")
    assert is_exact_type(1, "int") and not is_exact_type(True, "int") and not is_exact_type(2**40, "int")
    assert is_exact_type(ScriptBlock("1", None), "scriptblock")
    assert is_exact_type(["a", "b"], "string[]") and not is_exact_type([1], "string[]")
    # one element of the element type is wrapped, not converted: `% { $_ }` binds -Process, not -MemberName
    assert is_exact_type("a", "string[]") and not is_exact_type(1, "string[]")
    assert is_exact_type(object(), "object") and is_exact_type(None, "psobject")
    assert is_exact_type("Ken", "UserIdParameter") and not is_exact_type(PSObject(), "UserIdParameter")


@pytest.mark.parametrize("name, display, full, short", [
    ("int", "System.Int32", "System.Int32", "Int32"),
    ("Int32", "System.Int32", "System.Int32", "Int32"),
    ("string[]", "System.String[]", "System.String[]", "String[]"),
    ("UserIdParameter", "UserIdParameter", "Microsoft.Rtc.Management.AD.UserIdParameter", "UserIdParameter"),
    ("switch", "SwitchParameter", "System.Management.Automation.SwitchParameter", "SwitchParameter"),
    ("bool", "System.Boolean", "System.Boolean", "Boolean"),
    ("PinInfoDetails", "PinInfoDetails", "PinInfoDetails", "PinInfoDetails"),
])
def test_type_names_for_messages_and_help(name, display, full, short):
    assert type_display_name(name) == display
    assert type_display_name(name, full=True) == full
    assert help_type_name(name) == short


# --- casts parse dates exactly as -eq and [datetime]::Parse do (one parser: date_format) ----------

@pytest.mark.parametrize("text, expected", [
    ("Saturday, March 14, 2026", dt.datetime(2026, 3, 14)),      # a leading weekday is allowed
    ("3/14/26", dt.datetime(2026, 3, 14)),                       # two-digit year
    ("3/14/2026 9 AM", dt.datetime(2026, 3, 14, 9)),             # hour with AM/PM, no minutes
    ("2026-03-14T09:30:00.5", dt.datetime(2026, 3, 14, 9, 30, 0, 500000)),
])
def test_cast_parses_what_datetime_parse_parses(text, expected):
    from csshell.runtime.methods import invoke_static
    from csshell.runtime.operators import equals
    assert convert_to(text, "datetime") == expected
    assert invoke_static("datetime", "Parse", [text]) == expected
    assert equals(expected, text) is True


def test_cast_of_a_bare_hour_is_not_a_date():
    assert failure("9", "datetime").endswith('Error: "String was not recognized as a valid DateTime."')
    assert parse_datetime("3/14/2026 9") is None

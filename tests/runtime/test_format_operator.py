"""The -f operator and the shared .NET format engine (en-US, .NET Framework 4.x rules)."""
from __future__ import annotations

import datetime as dt

import pytest

from csshell.runtime.dotnet_format import format_duration, format_value, parse_datetime, parse_exact
from csshell.runtime.errors import PSError
from csshell.runtime.operators import binary_op, format_operator
from csshell.runtime.values import PSHashtable

WHEN = dt.datetime(2026, 3, 14, 9, 30, 5, 123000)


def test_composite_format_with_index_alignment_and_escapes():
    assert format_operator("{0} -> {1}", ["sip:ken@litwareinc.com", "x"]) == "sip:ken@litwareinc.com -> x"
    assert format_operator("[{0,5}][{0,-5}]", ["ab"]) == "[   ab][ab   ]"
    assert format_operator("{{literal}} {0}", [1]) == "{literal} 1"
    assert format_operator("{1}{0}{1}", ["a", "b"]) == "bab"
    assert binary_op("f", "{0}: unlocked {1}", ["T-1", "ken"]) == "T-1: unlocked ken"


def test_single_value_and_array_arguments():
    assert format_operator("{0}", 5) == "5"
    assert format_operator("{0}", None) == ""
    assert format_operator("{0} {1}", [[1, 2], "x"]) == "System.Object[] x"
    assert format_operator("{0}", PSHashtable()) == "System.Collections.Hashtable"
    assert format_operator("{0}", True) == "True"
    assert format_operator("{0}", 0.1 + 0.2) == "0.3"


@pytest.mark.parametrize("fmt, value, expected", [
    ("{0:N}", 1234.5, "1,234.50"),
    ("{0:N0}", 1234.5, "1,235"),
    ("{0:N2}", 1.005, "1.01"),            # .NET Framework: 15 digits first, then half away from zero
    ("{0:F0}", 2.5, "3"),
    ("{0:F3}", 2, "2.000"),
    ("{0:D5}", 42, "00042"),
    ("{0:D3}", -7, "-007"),
    ("{0:P}", 0.1234, "12.34 %"),
    ("{0:P0}", 0.5, "50 %"),
    ("{0:C}", 1234.5, "$1,234.50"),
    ("{0:C}", -1, "($1.00)"),
    ("{0:X}", 255, "FF"),
    ("{0:x4}", 255, "00ff"),
    ("{0:X}", -1, "FFFFFFFF"),
    ("{0:E}", 1234.5678, "1.234568E+003"),
    ("{0:e2}", 0.000123, "1.23e-004"),
    ("{0:G}", 1234.5, "1234.5"),
    ("{0:0.00}", 1.5, "1.50"),
    ("{0:#,##0}", 1234567, "1,234,567"),
    ("{0:#,##0.00}", 1234567.891, "1,234,567.89"),
    ("{0:00}", 5, "05"),
    ("{0:#.##}", 0.5, ".5"),
    ("{0:0.0%}", 0.256, "25.6%"),
    ("{0:(###) ###-####}", 5551234567, "(555) 123-4567"),
    ("{0:0;(0)}", -5, "(5)"),
    ("{0:0;(0);zero}", 0, "zero"),
    ("{0:0.00E+00}", 12345, "1.23E+04"),
    ("{0:#,##0,,}M", 5_500_000, "6M"),
])
def test_numeric_formats(fmt, value, expected):
    assert format_operator(fmt, [value]) == expected


@pytest.mark.parametrize("fmt, expected", [
    ("d", "3/14/2026"),
    ("D", "Saturday, March 14, 2026"),
    ("f", "Saturday, March 14, 2026 9:30 AM"),
    ("F", "Saturday, March 14, 2026 9:30:05 AM"),
    ("g", "3/14/2026 9:30 AM"),
    ("G", "3/14/2026 9:30:05 AM"),
    ("t", "9:30 AM"),
    ("T", "9:30:05 AM"),
    ("s", "2026-03-14T09:30:05"),
    ("u", "2026-03-14 09:30:05Z"),
    ("o", "2026-03-14T09:30:05.1230000"),
    ("M", "March 14"),
    ("Y", "March 2026"),
    ("yyyy-MM-dd HH:mm:ss", "2026-03-14 09:30:05"),
    ("MM/dd/yyyy", "03/14/2026"),
    ("dddd", "Saturday"),
    ("ddd MMM d", "Sat Mar 14"),
    ("hh:mm tt", "09:30 AM"),
    ("h:m:s t", "9:30:5 A"),
    ("fff", "123"),
    ("ss.FFFF", "05.123"),
    ("yy", "26"),
    ("'Day' d", "Day 14"),
    (r"yyyy\-MM", "2026-03"),
    ("%d", "14"),
])
def test_datetime_formats(fmt, expected):
    assert format_value(WHEN, fmt) == expected
    assert format_operator("{0:" + fmt + "}", [WHEN]) == expected


def test_datetime_afternoon_and_zone_offset_shape():
    afternoon = dt.datetime(2026, 3, 14, 15, 7)
    assert format_value(afternoon, "h:mm tt") == "3:07 PM"
    assert format_value(afternoon, "HH:mm") == "15:07"
    utc = dt.datetime(2026, 3, 14, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert format_value(utc, "zzz") == "-05:00"
    assert format_value(utc, "zz") == "-05"
    assert format_value(utc, "%K") == "-05:00"
    assert format_value(WHEN, "%K") == ""


def test_timespan_formats():
    span = dt.timedelta(days=1, hours=2, minutes=3, seconds=4)
    assert format_value(span, "c") == "1.02:03:04"
    assert format_value(span, "g") == "1:2:03:04"
    assert format_value(span, r"hh\:mm") == "02:03"
    assert format_duration(span, "%d") == "1"
    assert format_operator("{0}", [dt.timedelta(minutes=90)]) == "01:30:00"


def error_of(fmt, args):
    with pytest.raises(PSError) as info:
        format_operator(fmt, args)
    return info.value.record


@pytest.mark.parametrize("fmt, args, detail", [
    ("{1}", ["a"], "Index (zero based) must be greater than or equal to zero and less than the size of the "
                   "argument list."),
    ("{0", ["a"], "Input string was not in a correct format."),
    ("x}", ["a"], "Input string was not in a correct format."),
    ("{0:Q}", [1], "Format specifier was invalid."),
    ("{0:D2}", [1.5], "Format specifier was invalid."),
    ("{0:q}", [WHEN], "Input string was not in a correct format."),
    ("{0:hh:mm}", [dt.timedelta(hours=1)], "Input string was not in a correct format."),
])
def test_bad_format_is_a_format_error_record(fmt, args, detail):
    record = error_of(fmt, args)
    assert record.message == f"Error formatting a string: {detail}."
    assert record.error_id == "FormatError"
    assert record.category == "InvalidOperation"


def test_strings_and_booleans_ignore_the_format_string():
    assert format_operator("{0:N2}", ["text"]) == "text"
    assert format_value(True, "N2") == "True"


@pytest.mark.parametrize("text, expected", [
    ("3/14/2026", dt.datetime(2026, 3, 14)),
    ("3/14/2026 9:30 AM", dt.datetime(2026, 3, 14, 9, 30)),
    ("3/14/2026 9:30:00 PM", dt.datetime(2026, 3, 14, 21, 30)),
    ("2026-03-14", dt.datetime(2026, 3, 14)),
    ("2026-03-14T09:30:00", dt.datetime(2026, 3, 14, 9, 30)),
    ("2026-03-14 09:30:15.5", dt.datetime(2026, 3, 14, 9, 30, 15, 500000)),
    ("March 14, 2026", dt.datetime(2026, 3, 14)),
    ("14 Mar 2026", dt.datetime(2026, 3, 14)),
    ("Saturday, March 14, 2026 9:30:05 AM", dt.datetime(2026, 3, 14, 9, 30, 5)),
])
def test_parse_datetime_en_us(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["junk", "2/30/2026", "13/1/2026", "3/14/2026 13:00 PM"])
def test_parse_datetime_rejects_invalid_text(text):
    assert parse_datetime(text) is None


def test_parse_datetime_time_only_uses_the_given_day():
    assert parse_datetime("14:05", today=dt.date(2026, 3, 14)) == dt.datetime(2026, 3, 14, 14, 5)


def test_parse_exact_custom_and_standard_formats():
    assert parse_exact("14.03.2026 09:30", "dd.MM.yyyy HH:mm") == dt.datetime(2026, 3, 14, 9, 30)
    assert parse_exact("20260314", "yyyyMMdd") == dt.datetime(2026, 3, 14)
    assert parse_exact("Mar 14 2026 3:05 PM", "MMM d yyyy h:mm tt") == dt.datetime(2026, 3, 14, 15, 5)
    assert parse_exact("3/14/2026", "d") == dt.datetime(2026, 3, 14)
    assert parse_exact("2026-03-14", "dd.MM.yyyy") is None

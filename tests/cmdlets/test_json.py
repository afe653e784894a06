"""ConvertTo-Json / ConvertFrom-Json: Windows PowerShell 5.1's layout, escapes, depth and array handling."""
from __future__ import annotations

import datetime as dt
from pathlib import Path


from cmdlets.json import convert_to_json, parse_json
from csshell.runtime.values import PSHashtable, PSObject




def test_nested_values_are_indented_under_their_opening_bracket():
    value = PSObject([("Name", "Ken"), ("Groups", ["a", "b"]), ("Policy", PSHashtable([("Min", 5)]))])
    assert convert_to_json(value) == (
        '{\n'
        '    "Name":  "Ken",\n'
        '    "Groups":  [\n'
        '                   "a",\n'
        '                   "b"\n'
        '               ],\n'
        '    "Policy":  {\n'
        '                   "Min":  5\n'
        '               }\n'
        '}')


def test_empty_collections_print_on_three_lines_as_5_1_does():
    assert convert_to_json(PSObject([("e", [])])) == '{\n    "e":  [\n\n          ]\n}'


def test_scalars_escapes_and_compress():
    assert convert_to_json("a<b>&'\"\\\n") == '"a\\u003cb\\u003e\\u0026\\u0027\\"\\\\\\n"'
    assert convert_to_json([1, 2.5, True, None, "é"], compress=True) == '[1,2.5,true,null,"é"]'


def test_dates_are_microsoft_date_strings():
    when = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
    assert convert_to_json(when) == '"\\/Date(1773480600000)\\/"'


def test_objects_deeper_than_depth_become_their_text():
    deep = PSHashtable([("a", PSHashtable([("b", PSHashtable([("c", PSHashtable([("d", 1)]))]))]))])
    assert '"c":  "System.Collections.Hashtable"' in convert_to_json(deep)
    assert '"d":  1' in convert_to_json(deep, depth=3)
    bag = PSObject([("inner", PSObject([("x", PSObject([("y", 1)]))]))])
    assert convert_to_json(bag, depth=1, compress=True) == '{"inner":{"x":"@{y=1}"}}'


def test_several_piped_objects_become_one_array(run):
    out, err = run("1, 2 | ConvertTo-Json")
    assert out == "[\n    1,\n    2\n]\n" and err == ""
    out, _ = run("@(1) | ConvertTo-Json")
    assert out == "1\n"


def test_pin_info_as_json_through_the_engine(run):
    out, err = run("[pscustomobject]@{Identity='Ken Myer'; IsLockedOut=$false} | ConvertTo-Json -Compress")
    assert out.strip() == '{"Identity":"Ken Myer","IsLockedOut":false}' and err == ""


def test_depth_out_of_range_is_a_validation_error(run):
    _, err = run("1 | ConvertTo-Json -Depth 0")
    assert "Cannot validate argument on parameter 'Depth'" in err


def test_convert_from_json_objects_and_order(run):
    out, err = run("$u = '{\"DisplayName\":\"Ken Myer\",\"Pin\":{\"Locked\":true}}' | ConvertFrom-Json; "
                   "$u.DisplayName; $u.Pin.Locked; $u.GetType().FullName")
    assert out.splitlines() == ["Ken Myer", "True", "System.Management.Automation.PSCustomObject"] and err == ""


def test_convert_from_json_writes_an_array_as_one_object(run):
    out, _ = run("('[1,2,3]' | ConvertFrom-Json | Measure-Object).Count; ('[1,2,3]' | ConvertFrom-Json).Count")
    assert out.split() == ["1", "3"]


def test_convert_from_json_joins_lines_that_are_not_complete_json(run, tmp_path: Path):
    (tmp_path / "u.json").write_text('{\n  "a": 1,\n  "b": [2, 3]\n}\n')
    out, err = run("$o = Get-Content u.json | ConvertFrom-Json; $o.a; $o.b.Count")
    assert out.split() == ["1", "2"] and err == ""


def test_convert_from_json_reads_date_strings_back():
    assert parse_json('"\\/Date(0)\\/"') == dt.datetime(1970, 1, 1)


def test_invalid_json_is_an_argument_exception_record(run):
    _, err = run("'{\"a\": nope}' | ConvertFrom-Json")
    assert "ConvertFrom-Json : Invalid JSON primitive: nope." in err
    assert "System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand" in err
    assert "Traceback" not in err


def test_round_trip_keeps_values():
    text = convert_to_json(PSObject([("n", 3), ("s", "x"), ("l", [1, "y"])]))
    back = parse_json(text)
    assert isinstance(back, PSObject) and back.items() == [("n", 3), ("s", "x"), ("l", [1, "y"])]

"""Get-Member: MemberDefinition objects for property bags, strings, dates, hashtables and arrays."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from utility_fakes import run as run_cmdlet

from cmdlets.members import GetMember, members_of, short_type
from csshell.runtime.errors import PSError
from csshell.runtime.values import PSHashtable, PSObject




def _rows(ctx) -> list[tuple[str, str, str]]:
    return [(o.get("Name"), o.get("MemberType"), o.get("Definition")) for o in ctx.objects]


def test_custom_object_note_properties_show_type_name_and_value():
    obj = PSObject([("Name", "Ken"), ("Age", 5), ("Manager", None), ("Groups", [1, 2])])
    rows = _rows(run_cmdlet(GetMember, [obj]))
    assert rows[:4] == [("Equals", "Method", "bool Equals(System.Object obj)"),
                        ("GetHashCode", "Method", "int GetHashCode()"), ("GetType", "Method", "type GetType()"),
                        ("ToString", "Method", "string ToString()")]
    assert rows[4:] == [("Age", "NoteProperty", "int Age=5"), ("Groups", "NoteProperty", "Object[] Groups=System.Object[]"),
                        ("Manager", "NoteProperty", "object Manager=null"), ("Name", "NoteProperty", "string Name=Ken")]


def test_each_type_is_listed_once_with_its_type_name():
    ctx = run_cmdlet(GetMember, ["a", "b", 1])
    names = {o.get("TypeName") for o in ctx.objects}
    assert names == {"System.String", "System.Int32"}
    assert [o.get("Name") for o in ctx.objects].count("Length") == 1


def test_member_type_filter_and_name_wildcard():
    obj = PSObject([("SipAddress", "sip:ken@litwareinc.com"), ("DisplayName", "Ken Myer")])
    ctx = run_cmdlet(GetMember, [obj], MemberType="NoteProperty")
    assert [o.get("Name") for o in ctx.objects] == ["DisplayName", "SipAddress"]
    ctx = run_cmdlet(GetMember, ["x"], Name=["To*er"])
    assert [o.get("Name") for o in ctx.objects] == ["ToLower", "ToUpper"]
    ctx = run_cmdlet(GetMember, ["x"], MemberType="Properties")
    assert [o.get("Name") for o in ctx.objects] == ["Length"]


def test_bad_member_type_and_missing_input_are_error_records():
    with pytest.raises(PSError) as caught:
        run_cmdlet(GetMember, ["x"], MemberType="Gizmo")
    assert "Unable to match the identifier name Gizmo" in caught.value.record.message
    with pytest.raises(PSError) as caught:
        run_cmdlet(GetMember, None)
    assert caught.value.record.fully_qualified_error_id == \
        "NoObjectInGetMember,Microsoft.PowerShell.Commands.GetMemberCommand"


def test_datetime_hashtable_and_array_members():
    date_rows = {m[1]: m for m in members_of(dt.datetime(2026, 3, 14, 9, 30))}
    assert date_rows["DayOfWeek"][0] == "Property" and date_rows["AddDays"][2] == "datetime AddDays(double value)"
    table_rows = {m[1]: m for m in members_of(PSHashtable([("a", 1)]))}
    assert table_rows["Keys"] == ("Property", "Keys", "System.Collections.ICollection Keys {get;}")
    assert table_rows["ContainsKey"][0] == "Method"
    ctx = run_cmdlet(GetMember, None, InputObject=[1, 2])
    assert {o.get("TypeName") for o in ctx.objects} == {"System.Object[]"}
    assert "Length" in [o.get("Name") for o in ctx.objects]


def test_short_type_names_follow_powershell():
    assert [short_type(v) for v in ("x", 1, 2**40, True, 1.5, None, [1])] == \
        ["string", "int", "long", "bool", "double", "object", "Object[]"]


def test_static_members_of_string():
    ctx = run_cmdlet(GetMember, ["x"], Static=True)
    rows = {o.get("Name"): o.get("Definition") for o in ctx.objects}
    assert rows["IsNullOrEmpty"] == "static bool IsNullOrEmpty(string value)" and "Length" not in rows


def test_csv_column_names_idiom_through_the_engine(run, tmp_path: Path):
    (tmp_path / "users.csv").write_text("DisplayName,SipAddress\nKen Myer,sip:ken@litwareinc.com\n")
    out, err = run("Import-Csv users.csv | Get-Member -MemberType NoteProperty | Select-Object -ExpandProperty Name")
    assert out.split() == ["DisplayName", "SipAddress"] and err == ""


def test_piped_array_is_enumerated_to_its_elements(run):
    out, _ = run("@('a', 'b') | Get-Member -Name Length | ForEach-Object TypeName")
    assert out.split() == ["System.String"]


def test_table_shows_name_member_type_definition_columns(run):
    out, _ = run("'x' | Get-Member -Name Length")
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[-3].split() == ["Name", "MemberType", "Definition"]
    assert lines[-1].split() == ["Length", "Property", "int", "Length", "{get;}"]


def test_get_member_without_input_through_the_engine(run):
    _, err = run("Get-Member")
    assert "Get-Member : You must specify an object for the Get-Member cmdlet." in err

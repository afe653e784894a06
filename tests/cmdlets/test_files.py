"""Import-Csv, Export-Csv, ConvertTo-Csv, Get-Content, Join-Path and Test-Path on temp folders."""
from __future__ import annotations

import datetime as dt

import pytest

from cmdlets.files import ConvertToCsv, ExportCsv, GetContent, ImportCsv, JoinPath, join_path
from cmdlets.files import TestPath as TestPathCmdlet
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.errors import PSError, render_error
from csshell.runtime.values import PSObject
from utility_fakes import UtilityContext, run


def rows(*pairs_list):
    return [PSObject(list(pairs)) for pairs in pairs_list]


# --- Import-Csv -------------------------------------------------------------------------------

def test_import_csv_makes_string_objects_relative_to_cwd(tmp_path):
    (tmp_path / "unlock-list.csv").write_text('Ticket,SipAddress\nHD-1001,sip:pilar@litwareinc.com\n'
                                              '"HD-1002","sip:lisaj@litwareinc.com"\n\n')
    ctx = run(ImportCsv, None, ctx=UtilityContext(cwd=str(tmp_path)), Path=["unlock-list.csv"])
    assert [o.items() for o in ctx.objects] == [[("Ticket", "HD-1001"), ("SipAddress", "sip:pilar@litwareinc.com")],
                                                [("Ticket", "HD-1002"), ("SipAddress", "sip:lisaj@litwareinc.com")]]
    assert ctx.objects[0].type_names == ["System.Management.Automation.PSCustomObject"]


def test_import_csv_quotes_commas_newlines_missing_fields_and_type_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('#TYPE Selected.Foo\n"Name","DN","Title"\n"Ken ""K"" Myer","CN=Ken,OU=R","multi\nline"\nPilar\n')
    objs = run(ImportCsv, None, Path=[str(path)]).objects
    assert objs[0].get("Name") == 'Ken "K" Myer' and objs[0].get("DN") == "CN=Ken,OU=R"
    assert objs[0].get("Title") == "multi\nline"
    assert objs[1].items() == [("Name", "Pilar"), ("DN", None), ("Title", None)]
    assert objs[0].type_names == ["CSV:Selected.Foo", "System.Management.Automation.PSCustomObject"]


def test_import_csv_header_and_delimiter(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("ken;1\npilar;2\n", encoding="utf-8-sig")
    objs = run(ImportCsv, None, Path=[str(path)], Delimiter=";", Header=["User", "N"]).objects
    assert [(o.get("User"), o.get("N")) for o in objs] == [("ken", "1"), ("pilar", "2")]


def test_import_csv_missing_file_is_5_1_file_open_failure(tmp_path):
    missing = str(tmp_path / "nope.csv")
    ctx = run(ImportCsv, None, Path=[missing])
    record = ctx.errors[0]
    assert record.message == f"Could not find file '{missing}'."
    assert record.fully_qualified_error_id == "FileOpenFailure,Microsoft.PowerShell.Commands.ImportCsvCommand"
    assert record.category_info == "OpenError: (:) [Import-Csv], FileNotFoundException"


def test_import_csv_directory_is_access_denied(tmp_path):
    record = run(ImportCsv, None, Path=[str(tmp_path)]).errors[0]
    assert record.message == f"Access to the path '{tmp_path}' is denied."
    assert record.reason == "UnauthorizedAccessException"


def test_import_csv_duplicate_header_is_terminating(tmp_path):
    (tmp_path / "d.csv").write_text("a,A\n1,2\n")
    with pytest.raises(PSError) as info:
        run(ImportCsv, None, Path=[str(tmp_path / "d.csv")])
    assert info.value.record.message == 'The member "A" is already present.'


def test_import_csv_names_missing_headers_h1_h2_and_warns_once(tmp_path):
    """5.1 counts the missing names (H1, H2...), not the columns, and warns once per command."""
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("a,,b,\n1,2,3,4\n")
    ctx = run(ImportCsv, None, Path=[str(tmp_path / "a.csv"), str(tmp_path / "b.csv")])
    assert [name for name, _ in ctx.objects[0].items()] == ["a", "H1", "b", "H2"]
    assert ctx.warnings == ['One or more headers were not specified. Default names starting with "H" have been '
                            "used in place of any missing headers."]


# --- Export-Csv / ConvertTo-Csv ---------------------------------------------------------------

def test_export_csv_5_1_text(tmp_path):
    path = tmp_path / "out.csv"
    data = rows([("Identity", "sip:ken@x.com"), ("IsLockedOut", True), ("Changed", dt.datetime(2024, 1, 5, 15, 4, 5)),
                 ("Expires", None), ("Note", 'say "hi"'), ("Empty", "")])
    run(ExportCsv, data, Path=str(path))
    assert path.read_text() == ('#TYPE System.Management.Automation.PSCustomObject\n'
                                '"Identity","IsLockedOut","Changed","Expires","Note","Empty"\n'
                                '"sip:ken@x.com","True","1/5/2024 3:04:05 PM",,"say ""hi""",""\n')


def test_export_csv_header_from_first_object_only(tmp_path):
    path = tmp_path / "out.csv"
    run(ExportCsv, rows([("a", 1), ("b", 2)], [("b", 3), ("c", 4)]), Path=str(path), NoTypeInformation=True,
        Delimiter=";")
    assert path.read_text() == '"a";"b"\n"1";"2"\n;"3"\n'


def test_export_csv_no_clobber_refuses_existing_file(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("keep")
    with pytest.raises(PSError) as info:
        run(ExportCsv, rows([("a", 1)]), Path=str(path), NoClobber=True)
    assert info.value.record.message == f"The file '{path}' already exists."
    assert path.read_text() == "keep"


def test_export_csv_append_uses_existing_columns_and_checks_them(tmp_path):
    path = tmp_path / "out.csv"
    run(ExportCsv, rows([("a", 1), ("b", 2)]), Path=str(path), NoTypeInformation=True)
    run(ExportCsv, rows([("b", 4), ("a", 3), ("z", 9)]), Path=str(path), Append=True)
    assert path.read_text() == '"a","b"\n"1","2"\n"3","4"\n'
    with pytest.raises(PSError) as info:
        run(ExportCsv, rows([("a", 5)]), Path=str(path), Append=True)
    assert info.value.record.error_id == "CannotAppendCsvWithMismatchedPropertyNames"
    run(ExportCsv, rows([("a", 5)]), Path=str(path), Append=True, Force=True)
    assert path.read_text().endswith('"5",\n')


def test_export_csv_into_missing_folder_is_error_record_not_traceback(tmp_path):
    target = str(tmp_path / "no" / "out.csv")
    with pytest.raises(PSError) as info:
        run(ExportCsv, rows([("a", 1)]), Path=target)
    assert info.value.record.message == f"Could not find a part of the path '{target}'."
    assert "Export-Csv : Could not find a part" in render_error(info.value.record)


def test_export_csv_whatif_writes_nothing(tmp_path):
    path = tmp_path / "out.csv"
    ctx = run(ExportCsv, rows([("a", 1)]), ctx=UtilityContext(should_process=False), Path=str(path))
    assert ctx.processed == [str(path)] and not path.exists()


def test_export_then_import_round_trips_strings(tmp_path):
    path = tmp_path / "rt.csv"
    original = rows([("Name", "Ken, Myer"), ("Title", 'A "B"'), ("Gone", None)])
    run(ExportCsv, original, Path=str(path))
    back = run(ImportCsv, None, Path=[str(path)]).objects[0]
    assert back.items() == [("Name", "Ken, Myer"), ("Title", 'A "B"'), ("Gone", "")]


def test_convertto_csv_emits_lines_and_string_length_quirk():
    ctx = run(ConvertToCsv, rows([("a", [1, 2])]))
    assert ctx.objects == ["#TYPE System.Management.Automation.PSCustomObject", '"a"', '"System.Object[]"']
    assert run(ConvertToCsv, ["abc"], NoTypeInformation=True).objects == ['"Length"', '"3"']


def test_csv_aliases():
    assert find_cmdlet("ipcsv").name == "Import-Csv" and find_cmdlet("epcsv").name == "Export-Csv"


# --- Get-Content ------------------------------------------------------------------------------

def test_get_content_lines_head_tail_raw(tmp_path):
    path = tmp_path / "users.txt"
    path.write_bytes(b"ken\r\npilar\nlisa\n")
    assert run(GetContent, None, Path=[str(path)]).objects == ["ken", "pilar", "lisa"]
    assert run(GetContent, None, Path=[str(path)], TotalCount=2).objects == ["ken", "pilar"]
    assert run(GetContent, None, Path=[str(path)], Tail=1).objects == ["lisa"]
    assert run(GetContent, None, Path=[str(path)], Raw=True).objects == ["ken\r\npilar\nlisa\n"]


def test_get_content_missing_path_is_path_not_found(tmp_path):
    missing = str(tmp_path / "x.txt")
    record = run(GetContent, None, Path=[missing]).errors[0]
    assert record.message == f"Cannot find path '{missing}' because it does not exist."
    assert record.fully_qualified_error_id == "PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand"
    assert record.category_info == f"ObjectNotFound: ({missing}:String) [Get-Content], ItemNotFoundException"


def test_get_content_directory_is_access_denied(tmp_path):
    record = run(GetContent, None, Path=[str(tmp_path)]).errors[0]
    assert record.error_id == "GetContentReaderUnauthorizedAccessError"
    assert record.category == "PermissionDenied"


# --- Join-Path / Test-Path --------------------------------------------------------------------

def test_join_path_separator_rules():
    assert join_path("/scripts", "unlock-list.csv") == "/scripts/unlock-list.csv"
    assert join_path("/scripts/", "/unlock-list.csv") == "/scripts/unlock-list.csv"
    assert join_path("C:\\scripts\\", "a.csv") == "C:\\scripts\\a.csv"
    assert join_path("C:\\scripts", "\\a.csv") == "C:\\scripts\\a.csv"
    assert run(JoinPath, None, Path=["/a", "/b"], ChildPath="c").objects == ["/a/c", "/b/c"]


def test_test_path_kinds(tmp_path):
    (tmp_path / "f.csv").write_text("x")
    ctx = UtilityContext(cwd=str(tmp_path))
    assert run(TestPathCmdlet, None, ctx=ctx, Path=["f.csv", "nope"]).objects == [True, False]
    assert run(TestPathCmdlet, None, Path=[str(tmp_path / "f.csv")], PathType="Container").objects == [False]
    assert run(TestPathCmdlet, None, Path=[str(tmp_path)], PathType="Container").objects == [True]
    assert run(TestPathCmdlet, None, Path=[str(tmp_path / "*.csv")], PathType="Leaf").objects == [True]


def test_unreadable_file_is_access_denied_not_a_traceback(tmp_path, monkeypatch):
    path = tmp_path / "secret.csv"
    path.write_text("a\n1\n")
    real_open = open

    def deny(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", deny)
    assert run(GetContent, None, Path=[str(path)]).errors[0].reason == "UnauthorizedAccessException"
    record = run(ImportCsv, None, Path=[str(path)]).errors[0]
    assert record.message == f"Access to the path '{path}' is denied."

"""Import-CsDirectory (emulator extension)."""
from __future__ import annotations

import json
from pathlib import Path

from csshell.runtime.cmdlet import find_cmdlet

from test_sfb_support import DIRECTORY_CSV, run, seeded_file, session, store_path  # noqa: F401


def test_declared_as_extension() -> None:
    cls = find_cmdlet("Import-CsDirectory")
    assert cls.extension and cls.supports_should_process
    assert cls.declared["path"].position == 0 and cls.declared["path"].mandatory


def test_import_csv_into_new_store(tmp_path: Path) -> None:
    from csshell.store import open_store
    from test_sfb_support import FakeSession
    session = FakeSession(open_store(str(tmp_path / "new" / "store.json")))
    ctx = run(session, "Import-CsDirectory", Path=str(DIRECTORY_CSV))
    assert ctx.output == [] and ctx.errors == []
    assert len(session.store.directory.users()) == 18
    ctx = run(session, "Import-CsDirectory", Path=str(DIRECTORY_CSV), PassThru=True)
    [summary] = ctx.output
    assert summary.items() == [("Path", str(DIRECTORY_CSV)), ("Users", 20), ("EnabledUsers", 18), ("PinsSet", 13)]
    assert session.store.directory.audit_entries()[-1]["action"] == "Import-CsDirectory"
    session.store.close()


def test_bad_rows_are_errors_with_line_numbers_and_nothing_imported(session, store_path, tmp_path) -> None:
    lines = DIRECTORY_CSV.read_text().splitlines()
    lines[3] = lines[3].replace("kmyerson@litwareinc.com", "kenmyer@litwareinc.com")   # duplicate UPN
    lines[7] = lines[7].replace(",2026-02-01T10:00:00,", ",Feb 1st,")           # Jonathan Haas
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n")
    before = store_path.read_bytes()
    ctx = run(session, "Import-CsDirectory", Path=str(bad))
    assert [e.message.split(":")[0] for e in ctx.errors] == [f'Cannot import "{bad}", line 4',
                                                             f'Cannot import "{bad}", line 8']
    assert 'the UserPrincipalName "kenmyer@litwareinc.com" is already used on line 2' in ctx.errors[0].message
    assert all(e.category == "InvalidData" for e in ctx.errors)
    assert [e.message.endswith("Nothing was imported.") for e in ctx.errors] == [False, True]
    assert store_path.read_bytes() == before


def test_json_import(session, tmp_path) -> None:
    path = tmp_path / "dir.json"
    path.write_text(json.dumps([{"DisplayName": "Zoe Quinn", "SamAccountName": "zquinn", "Domain": "litwareinc",
                                 "UserPrincipalName": "zquinn@litwareinc.com",
                                 "SipAddress": "zquinn@litwareinc.com",
                                 "DistinguishedName": "CN=Zoe Quinn,OU=Sales,DC=litwareinc,DC=com",
                                 "IsLockedOut": True}]))
    assert run(session, "Import-CsDirectory", Path=str(path)).errors == []
    [info] = run(session, "Get-CsClientPinInfo", Identity="zquinn@litwareinc.com").output
    assert info.items()[:3] == [("Identity", "sip:zquinn@litwareinc.com"), ("IsPinSet", False), ("IsLockedOut", True)]


def test_missing_file(session, tmp_path) -> None:
    ctx = run(session, "Import-CsDirectory", Path=str(tmp_path / "nope.csv"))
    [record] = ctx.errors
    assert record.message == f"Cannot find path '{tmp_path / 'nope.csv'}' because it does not exist."
    assert record.category == "ObjectNotFound"


def test_whatif_imports_nothing(session, store_path, tmp_path) -> None:
    before = store_path.read_bytes()
    ctx = run(session, "Import-CsDirectory", whatif=True, Path=str(DIRECTORY_CSV))
    assert ctx.should_process_calls == [(str(DIRECTORY_CSV), "Import-CsDirectory")]
    assert store_path.read_bytes() == before


def test_duplicated_row_is_one_error_saying_nothing_imported_once(session, store_path, tmp_path) -> None:
    lines = DIRECTORY_CSV.read_text().splitlines()
    dup = tmp_path / "dup.csv"
    dup.write_text("\n".join(lines + [lines[1]]) + "\n")          # Ken Myer's row once more
    before = store_path.read_bytes()
    ctx = run(session, "Import-CsDirectory", Path=str(dup))
    [record] = ctx.errors
    assert record.message.startswith(f'Cannot import "{dup}", line {len(lines) + 1}: the UserPrincipalName')
    assert "are already used on line 2." in record.message
    assert 'SipAddress "sip:kenmyer@litwareinc.com"' in record.message
    assert record.message.count("Nothing was imported") == 1 and record.message.endswith("Nothing was imported.")
    assert store_path.read_bytes() == before


def test_header_only_file_is_refused_and_directory_kept(session, store_path, tmp_path) -> None:
    header = tmp_path / "hdr.csv"
    header.write_text(DIRECTORY_CSV.read_text().splitlines()[0] + "\n")
    before = store_path.read_bytes()
    ctx = run(session, "Import-CsDirectory", Path=str(header))
    [record] = ctx.errors
    assert record.message == (f'Cannot import "{header}": the file holds no users, so the directory '
                              "was left as it was.")
    assert (record.category, record.error_id, record.target) == ("InvalidData", "DirectoryImportNoUsers",
                                                                 str(header))
    assert store_path.read_bytes() == before
    assert len(session.store.directory.users()) == 18


def test_empty_json_list_is_refused(session, tmp_path) -> None:
    path = tmp_path / "none.json"
    path.write_text("[]")
    [record] = run(session, "Import-CsDirectory", Path=str(path)).errors
    assert "the file holds no users" in record.message
    assert len(session.store.directory.users()) == 18


def test_folder_path_says_it_is_a_folder(session, tmp_path) -> None:
    [record] = run(session, "Import-CsDirectory", Path=str(tmp_path)).errors
    assert record.message == (f"Cannot import '{tmp_path}' because it is a folder, not a file. Give the "
                              "path of a CSV or JSON directory file.")
    assert (record.category, record.error_id) == ("InvalidArgument", "PathIsFolder")
    assert "does not exist" not in record.message

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
    assert all(e.category == "InvalidData" and e.message.endswith("Nothing was imported.") for e in ctx.errors)
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

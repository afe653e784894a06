"""Import-CsDirectory (emulator extension)."""
from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from engine_support import RunText, engine_runner

from csshell.engine import Engine
from csshell.runtime.cmdlet import find_cmdlet
from csshell.store import pins

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
    [summary] = ctx.output
    assert ctx.errors == [] and summary.type_names == ["Csshell.DirectoryImportResult"]
    assert summary.items() == [("Path", str(DIRECTORY_CSV)), ("Users", 20), ("EnabledUsers", 18), ("PinsSet", 13),
                               ("Added", 20), ("Updated", 0), ("Unchanged", 0), ("Removed", 0)]
    assert len(session.store.directory.users()) == 18
    ctx = run(session, "Import-CsDirectory", Path=str(DIRECTORY_CSV), PassThru=True)     # -PassThru: same summary
    [summary] = ctx.output
    assert [v for _, v in summary.items()][1:] == [20, 18, 13, 0, 0, 20, 0]
    last = session.store.directory.audit_entries()[-1]
    assert (last["action"], last["detail"]) == ("Import-CsDirectory", "20 users: 0 added, 0 updated, 20 unchanged, "
                                                                      "0 removed")
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


# --- importing over an existing directory (engine-driven, on a copy of the examples store) -------------

EXAMPLES_CSV = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"


@pytest.fixture
def shell(tmp_path: Path, seeded_store_file: Path, monkeypatch) -> Iterator[tuple[RunText, Engine]]:
    """An engine on a copy of the store seeded from examples/directory.csv; new PINs get a cheap hash."""
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    run_text, engine = engine_runner(tmp_path)
    yield run_text, engine
    engine.close()


def user_doc(engine: Engine, identity: str) -> dict:
    return engine.session.store.directory.resolve_one(identity, enabled_only=False).doc


def examples_with(tmp_path: Path, name: str, change: Callable[[list[list[str]]], None]) -> Path:
    """examples/directory.csv as rows, changed by ``change``, written to ``name``."""
    rows = list(csv.reader(EXAMPLES_CSV.read_text(encoding="utf-8").splitlines()))
    change(rows)
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


def column(rows: list[list[str]], name: str) -> int:
    return rows[0].index(name)


def test_the_summary_prints_as_a_powershell_list(shell) -> None:
    run, _ = shell
    out, err = run(f"Import-CsDirectory '{EXAMPLES_CSV}'")
    assert err == ""
    assert out == (f"\n\nPath         : {EXAMPLES_CSV}\nUsers        : 20\nEnabledUsers : 18\nPinsSet      : 13\n"
                   "Added        : 0\nUpdated      : 0\nUnchanged    : 20\nRemoved      : 0\n\n\n\n")


def test_reimporting_the_same_file_keeps_every_pin_hash(shell) -> None:
    run, engine = shell
    before = {u.sip_address: u.get("PinHash") for u in engine.session.store.directory.users()}
    run(f"Import-CsDirectory '{EXAMPLES_CSV}' | Out-Null")
    after = {u.sip_address: u.get("PinHash") for u in engine.session.store.directory.users()}
    assert after == before and sum(1 for h in after.values() if h) == 13


def test_import_counts_added_updated_unchanged_and_removed(shell, tmp_path) -> None:
    run, engine = shell

    def change(rows: list[list[str]]) -> None:
        rows[1][column(rows, "Title")] = "Principal Engineer"                       # Ken Myer: updated
        rows[:] = [r for r in rows if r[0] != "Aidan Delaney"]                       # removed
        sofia = next(r for r in rows if r[0] == "Sofia Rossi")
        rows.append([v.replace("Sofia Rossi", "Zoe Quinn").replace("srossi", "zquinn").replace("Sofia", "Zoe")
                     .replace("Rossi", "Quinn") for v in sofia])                     # added

    path = examples_with(tmp_path, "changed.csv", change)
    out, err = run(f"$r = Import-CsDirectory '{path}'; $r.Added, $r.Updated, $r.Unchanged, $r.Removed -join ','")
    assert (out, err) == ("1,1,18,1\n", "")
    assert user_doc(engine, "Ken Myer")["Title"] == "Principal Engineer"
    assert engine.session.store.directory.resolve("Aidan Delaney") == []
    assert user_doc(engine, "Zoe Quinn")["PinHash"].startswith("scrypt$")


def test_pin_state_without_a_pin_keeps_the_stored_hash_and_false_clears_it(shell, tmp_path) -> None:
    run, engine = shell
    run('Set-CsClientPin "David Longmuir" -Pin 24680 | Out-Null')
    david_hash = user_doc(engine, "David Longmuir")["PinHash"]

    def change(rows: list[list[str]]) -> None:
        pin, is_set = column(rows, "Pin"), column(rows, "IsPinSet")
        for row in rows[1:]:
            if row[0] == "David Longmuir":
                row[is_set] = "True"                 # set, but the file does not know the PIN
            if row[0] == "Ken Myer":
                row[is_set], row[pin] = "False", ""  # the PIN is taken away

    run(f"Import-CsDirectory '{examples_with(tmp_path, 'state.csv', change)}' | Out-Null")
    david, ken = user_doc(engine, "David Longmuir"), user_doc(engine, "Ken Myer")
    assert david["PinHash"] == david_hash and david["IsPinSet"] is True
    directory = engine.session.store.directory
    assert directory.verify_pin(directory.resolve_one("davidl@litwareinc.com"), "24680")
    assert ken["IsPinSet"] is False and ken["PinHash"] is None


def test_a_user_whose_logon_was_renamed_is_matched_by_upn_and_keeps_the_pin(shell, tmp_path) -> None:
    run, engine = shell
    ken_hash = user_doc(engine, "Ken Myer")["PinHash"]

    def change(rows: list[list[str]]) -> None:
        rows[1][column(rows, "SamAccountName")] = "kmyer"
        rows[1][column(rows, "Pin")] = ""

    out, _ = run(f"(Import-CsDirectory '{examples_with(tmp_path, 'renamed.csv', change)}').Updated")
    assert out == "1\n"
    assert user_doc(engine, "litwareinc\\kmyer")["PinHash"] == ken_hash


def test_columns_the_file_lacks_keep_the_stored_values(shell) -> None:
    run, engine = shell
    run("New-CsPinPolicy -Identity tag:Strict -MinPasswordLength 8 | Out-Null; "
        'Grant-CsPinPolicy -Identity "Ken Myer" -PolicyName Strict')
    out, err = run(f"Import-CsDirectory '{DIRECTORY_CSV}' | Out-Null; Get-CsUser 'Ken Myer' | % PinPolicy")
    assert (out, err) == ("Strict\n", "")                        # the acceptance file has no PinPolicy column
    assert user_doc(engine, "Ken Myer")["Site"] == "Redmond"     # ... and no Site column


def test_a_file_without_pin_columns_keeps_the_pin_state(shell, tmp_path) -> None:
    run, engine = shell
    before = user_doc(engine, "Pilar Ackerman")

    def change(rows: list[list[str]]) -> None:
        keep = [i for i, name in enumerate(rows[0]) if name not in ("IsPinSet", "Pin")]
        rows[:] = [[row[i] for i in keep] for row in rows]

    run(f"Import-CsDirectory '{examples_with(tmp_path, 'no-pins.csv', change)}' | Out-Null")
    after = user_doc(engine, "Pilar Ackerman")
    assert (after["IsPinSet"], after["PinHash"]) == (True, before["PinHash"])


# --- Site ---------------------------------------------------------------------------------------------

def test_a_site_policy_applies_to_that_sites_users_only(shell, tmp_path) -> None:
    run, engine = shell

    def change(rows: list[list[str]]) -> None:
        site = column(rows, "Site")
        for row in rows[1:]:
            if row[0] == "Ken Myerson":
                row[site] = "Dallas"

    run(f"Import-CsDirectory '{examples_with(tmp_path, 'sites.csv', change)}' | Out-Null")
    run("New-CsPinPolicy -Identity site:Redmond -MinPasswordLength 8 | Out-Null")
    directory = engine.session.store.directory
    assert directory.effective_pin_policy(directory.resolve_one("Ken Myerson")).identity == "Global"
    assert directory.effective_pin_policy(directory.resolve_one("Aidan Delaney")).identity == "site:Redmond"
    _, refused = run('Set-CsClientPin "Aidan Delaney" -Pin 13579')
    assert "FullyQualifiedErrorId : InvalidPin," in refused and user_doc(engine, "Aidan Delaney")["IsPinSet"] is False
    assert run('Set-CsClientPin "Ken Myerson" -Pin 13579 | Out-Null') == ("", "")


def test_site_is_read_but_not_a_property_of_get_csuser(shell) -> None:
    run, engine = shell
    assert user_doc(engine, "Ken Myer")["Site"] == "Redmond" and user_doc(engine, "Building 14 Lobby")["Site"] is None
    assert run('Get-CsUser "Ken Myer" | Get-Member -Name Site') == ("", "")

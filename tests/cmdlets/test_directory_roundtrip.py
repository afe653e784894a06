"""Export-CsDirectory (emulator extension) writes exactly what Import-CsDirectory reads: a byte-exact round trip."""
from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from engine_support import RunText, engine_runner

from csshell.engine import Engine
from csshell.runtime.cmdlet import find_cmdlet
from csshell.store import pins
from csshell.store.exporter import DIRECTORY_COLUMNS
from csshell.store.importer import read_directory_file

EXAMPLES_CSV = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"
CHANGES = ('Lock-CsClientPin "Ken Myer"; Unlock-CsClientPin "Pilar Ackerman"; '
           'Set-CsClientPin "David Longmuir" -Pin 24680 | Out-Null; '
           "New-CsPinPolicy -Identity tag:Strict -MinPasswordLength 6 | Out-Null; "
           'Grant-CsPinPolicy -Identity "Aidan Delaney" -PolicyName Strict')


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch) -> None:
    monkeypatch.setitem(pins.SCRYPT_PARAMS, "n", 2 ** 4)


@pytest.fixture
def shells(tmp_path: Path) -> Iterator:
    """``shell(name, seed=None)``: an engine in its own folder (its own store), optionally a copy of ``seed``."""
    engines: list[Engine] = []

    def shell(name: str, seed: Path | None = None) -> tuple[RunText, Path, Engine]:
        folder = tmp_path / name
        folder.mkdir()
        if seed is not None:
            shutil.copyfile(seed, folder / "store.json")
        run_text, engine = engine_runner(folder)
        engines.append(engine)
        return run_text, folder, engine

    yield shell
    for engine in engines:
        engine.close()


def test_declared_as_a_should_process_extension() -> None:
    cls = find_cmdlet("Export-CsDirectory")
    assert cls.extension and cls.supports_should_process
    assert cls.declared["path"].position == 0 and cls.declared["path"].mandatory


def test_export_import_export_is_byte_identical(shells, seeded_store_file: Path) -> None:
    run_a, a, _ = shells("a", seeded_store_file)
    assert run_a(CHANGES) == ("", "")
    assert run_a("Export-CsDirectory first.csv; Export-CsDirectory first.json") == ("", "")
    first_csv, first_json = (a / "first.csv").read_bytes(), (a / "first.json").read_bytes()
    for source in ("first.csv", "first.json"):
        run_b, b, _ = shells(f"from-{source.replace('.', '-')}")
        out, err = run_b(f"(Import-CsDirectory '{a / source}').Added; Export-CsDirectory second.csv; "
                         "Export-CsDirectory second.json")
        # policies are not part of the file: the fresh store lacks tag:Strict, and the import says so once
        assert out == "20\n" and err.startswith('WARNING: 1 user is assigned the per-user PIN policy "Strict", '
                                                 "which does not exist") and err.count("\n") == 1
        assert (b / "second.csv").read_bytes() == first_csv
        assert (b / "second.json").read_bytes() == first_json


def test_the_export_carries_the_changed_state_but_never_a_pin(shells, seeded_store_file: Path) -> None:
    run, folder, _ = shells("a", seeded_store_file)
    run(CHANGES + "; Export-CsDirectory d.csv; Export-CsDirectory d.json")
    text = (folder / "d.csv").read_text(encoding="utf-8")
    rows = {r["DisplayName"] + r["SamAccountName"]: r for r in csv.DictReader(text.splitlines())}
    assert list(csv.reader(text.splitlines()))[0] == list(DIRECTORY_COLUMNS)
    assert "Pin" not in DIRECTORY_COLUMNS and "PinHash" not in DIRECTORY_COLUMNS
    assert (rows["Ken Myerkenmyer"]["IsLockedOut"], rows["Pilar Ackermanpilar"]["IsLockedOut"]) == ("True", "False")
    assert rows["David Longmuirdavidl"]["IsPinSet"] == "True" and rows["David Longmuirdavidl"]["LastPinChangeTime"]
    assert rows["Aidan Delaneyaidan"]["PinPolicy"] == "Strict" and rows["Ken Myerkenmyer"]["Site"] == "Redmond"
    assert rows["Building 14 Lobbyb14lobby"]["SipAddress"] == ""          # users not enabled are exported too
    assert len(rows) == 20
    for exported in (text, (folder / "d.json").read_text(encoding="utf-8")):
        assert "24680" not in exported and "scrypt" not in exported and "80146" not in exported
    users = json.loads((folder / "d.json").read_text())
    assert list(users[0]) == list(DIRECTORY_COLUMNS) and users[0]["IsPinSet"] is True
    assert users[0]["PinExpirationTime"] is None


def test_the_export_reads_back_as_the_same_documents(shells, seeded_store_file: Path) -> None:
    run, folder, engine = shells("a", seeded_store_file)
    run("Export-CsDirectory d.csv; Export-CsDirectory d.json")
    stored = [{c: u.doc.get(c) for c in DIRECTORY_COLUMNS} for u in engine.session.store.directory.users(False)]
    for name in ("d.csv", "d.json"):
        seeds = read_directory_file(str(folder / name))
        assert [{c: s.doc.get(c) for c in DIRECTORY_COLUMNS} for s in seeds] == stored
        assert all(s.pin is None for s in seeds)


def test_reimporting_an_export_into_the_same_store_keeps_every_pin(shells, seeded_store_file: Path) -> None:
    run, _, engine = shells("a", seeded_store_file)
    run(CHANGES)
    directory = engine.session.store.directory
    hashes = {u.logon: u.get("PinHash") for u in directory.users(False)}
    out, err = run("Export-CsDirectory d.json; $r = Import-CsDirectory d.json; "
                   "$r.Added, $r.Updated, $r.Unchanged, $r.Removed -join ','")
    assert (out, err) == ("0,0,20,0\n", "")
    assert {u.logon: u.get("PinHash") for u in directory.users(False)} == hashes
    assert directory.verify_pin(directory.resolve_one("David Longmuir"), "24680")


def test_a_fresh_store_keeps_the_pin_state_without_knowing_the_pin(shells, seeded_store_file: Path) -> None:
    run_a, a, _ = shells("a", seeded_store_file)
    run_a("Export-CsDirectory d.csv")
    run_b, _, engine = shells("b")
    run_b(f"Import-CsDirectory '{a / 'd.csv'}' | Out-Null")
    out, _ = run_b('Get-CsClientPinInfo "Ken Myer" | % { $_.IsPinSet, $_.LastPinChangeTime.Year -join "," }')
    assert out == "True,2026\n"
    assert engine.session.store.directory.resolve_one("Ken Myer").get("PinHash") is None


def test_format_comes_from_the_extension_unless_given(shells, seeded_store_file: Path) -> None:
    run, folder, _ = shells("a", seeded_store_file)
    run("Export-CsDirectory users.JSON; Export-CsDirectory users.txt; Export-CsDirectory other.txt -Format json")
    assert json.loads((folder / "users.JSON").read_text())[0]["DisplayName"] == "Ken Myer"
    assert (folder / "users.txt").read_text().startswith("DisplayName,FirstName,")
    assert json.loads((folder / "other.txt").read_text())[0]["SamAccountName"] == "kenmyer"


def test_whatif_noclobber_and_a_missing_folder(shells, seeded_store_file: Path) -> None:
    run, folder, _ = shells("a", seeded_store_file)
    out, _ = run("Export-CsDirectory d.csv -WhatIf")
    assert out == f'What if: Performing the operation "Export-CsDirectory" on target "{folder / "d.csv"}".\n'
    assert not (folder / "d.csv").exists()
    (folder / "d.csv").write_text("keep me")
    _, err = run("Export-CsDirectory d.csv -NoClobber")
    assert "already exists." in err and "FullyQualifiedErrorId : NoClobber," in err
    assert (folder / "d.csv").read_text() == "keep me"
    run("Export-CsDirectory d.csv")
    assert (folder / "d.csv").read_text().startswith("DisplayName,")       # replaced without -NoClobber
    out, err = run("Export-CsDirectory nowhere/d.csv; 'next'")
    assert out == "next\n"                    # a statement-terminating error, as Export-Csv's
    assert err.startswith(f"Export-CsDirectory : Could not find a part of the path '{folder / 'nowhere' / 'd.csv'}'.")
    assert "Traceback" not in err

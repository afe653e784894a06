"""Directory import: every row validated first, errors name file and line, nothing half-imported."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from csshell.store.errors import DirectoryImportError
from csshell.store.importer import read_directory_file

DIRECTORY_CSV = Path(__file__).parent / "data" / "directory.csv"

HEADER = DIRECTORY_CSV.read_text().splitlines()[0]
GOOD = DIRECTORY_CSV.read_text().splitlines()[1:4]


def write_csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "dir.csv"
    path.write_text("\n".join([HEADER] + rows) + "\n", encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[int, str]]:
    with pytest.raises(DirectoryImportError) as info:
        read_directory_file(str(path))
    assert all(p.path == str(path) for p in info.value.problems)
    return [(p.line, p.problem) for p in info.value.problems]


def test_acceptance_directory_reads_completely() -> None:
    seeds = read_directory_file(str(DIRECTORY_CSV))
    assert len(seeds) == 20 and seeds[0].line == 2 and seeds[-1].line == 21
    ken = seeds[0]
    assert ken.pin == "80146" and ken.doc["IsPinSet"] and not ken.doc["IsLockedOut"]
    assert ken.doc["LastPinChangeTime"] == "2026-03-14T09:30:00" and ken.doc["PinExpirationTime"] is None
    assert seeds[18].doc["SipAddress"] == "" and seeds[18].pin is None


@pytest.mark.parametrize("bad_row, fragment", [
    (GOOD[0].replace("sip:kenmyer@litwareinc.com", "sip:kenmyers@litwareinc.com").replace(
        "kenmyer@litwareinc.com,", "other@litwareinc.com,").replace("kenmyer,", "kother,").replace(
        "CN=Ken Myer,", "CN=Ken Other,"), 'SipAddress "sip:kenmyers@litwareinc.com" is already used on line 2'),
    (GOOD[0].replace(",True,False,80146,2026-03-14T09:30:00,", ",True,False,80146,14/03/2026,"),
     '"14/03/2026" of "LastPinChangeTime" is not an ISO date'),
    (GOOD[0].replace(",True,False,80146,", ",Yes please,False,80146,"), 'of "IsPinSet" is not a Boolean'),
    (GOOD[0].replace(",80146,", ",8o146,"), "the Pin must contain only the digits"),
    (GOOD[0].replace("Ken Myer,Ken", ",Ken", 1), 'the required value "DisplayName" is empty'),
    (GOOD[0] + ",extra", "has 20 values but the header has 19"),
    (GOOD[0].replace(",True,False,80146,", ",False,False,80146,"), "a Pin is given but IsPinSet is False"),
    (GOOD[0].replace("sip:kenmyer@litwareinc.com", "kenmyer at litwareinc"), "is not of the form sip:"),
    (GOOD[0].replace("tel:+14255550100", "notatel"), 'the LineURI "notatel" is not of the form tel:+14255551234'),
])
def test_bad_row_is_reported_with_its_line(tmp_path: Path, bad_row: str, fragment: str) -> None:
    path = write_csv(tmp_path, [GOOD[1], GOOD[2], bad_row])
    found = problems(path)
    assert found[0][0] == 4, found
    assert fragment in found[0][1]


def test_every_bad_row_is_listed(tmp_path: Path) -> None:
    rows = [GOOD[0].replace(",80146,", ",abc,"), GOOD[1], GOOD[2].replace("True,pool01", "maybe,pool01")]
    assert [line for line, _ in problems(write_csv(tmp_path, rows))] == [2, 4]


def test_missing_required_column_is_line_1(tmp_path: Path) -> None:
    path = tmp_path / "dir.csv"
    path.write_text("DisplayName,SipAddress\nKen Myer,sip:kenmyer@litwareinc.com\n")
    [(line, problem)] = problems(path)
    assert line == 1 and '"SamAccountName"' in problem and '"DistinguishedName"' in problem


def test_quoted_multiline_value_keeps_line_numbers(tmp_path: Path) -> None:
    first = GOOD[0].replace("Engineer", '"Senior\nEngineer"')
    path = write_csv(tmp_path, [first, GOOD[1].replace(",57319,", ",5x319,")])
    assert [line for line, _ in problems(path)] == [4]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("")
    assert problems(path) == [(None, "the file is empty, so it holds no users; the directory was left as it was.")]


def json_entry(**changes) -> dict:
    entry = {"DisplayName": "Ken Myer", "SamAccountName": "kenmyer", "Domain": "litwareinc",
             "UserPrincipalName": "kenmyer@litwareinc.com", "SipAddress": "sip:kenmyer@litwareinc.com",
             "DistinguishedName": "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com", "IsPinSet": True,
             "IsLockedOut": False, "Pin": "80146", "LastPinChangeTime": "2026-03-14T09:30:00"}
    entry.update(changes)
    return entry


def test_json_directory_with_native_types(tmp_path: Path) -> None:
    path = tmp_path / "dir.json"
    path.write_text(json.dumps([json_entry(EnterpriseVoiceEnabled=True, Pin=80146)], indent=2))
    [seed] = read_directory_file(str(path))
    assert seed.pin == "80146" and seed.doc["EnterpriseVoiceEnabled"] is True and seed.line == 2


def test_json_errors_give_the_line_where_the_object_starts(tmp_path: Path) -> None:
    other = json_entry(DisplayName="Ken Two", SamAccountName="k2", UserPrincipalName="k2@litwareinc.com",
                       DistinguishedName="CN=Ken Two,DC=litwareinc,DC=com", IsLockedOut="sometimes")
    path = tmp_path / "dir.json"
    path.write_text(json.dumps([json_entry(), other], indent=2))
    [(line, problem)] = problems(path)
    text = path.read_text().splitlines()
    assert text[line - 1].strip() == "{" and line > 10
    assert '"sometimes" of "IsLockedOut"' in problem


def test_malformed_json_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "dir.json"
    path.write_text('[\n  {"DisplayName": "Ken"},\n  {"DisplayName": oops}\n]')
    [(line, problem)] = problems(path)
    assert line == 3 and "malformed" in problem


@pytest.mark.parametrize("text, line, message", [
    ('{"a": [1,\n2', 2, "the JSON text is malformed (Expecting ',' delimiter at column 2)."),      # broken, not a list
    ('[\n {"DisplayName": "Ken', 2, "the JSON text is malformed (Unterminated string starting at column 18)."),
    ('{"a": 1}', 1, "a JSON directory must be a list of objects."),                      # well formed, wrong shape
])
def test_broken_json_is_called_malformed_with_a_complete_message(tmp_path: Path, text: str, line: int,
                                                                 message: str) -> None:
    path = tmp_path / "dir.json"
    path.write_text(text)
    assert problems(path) == [(line, message)]


def test_import_with_bad_row_changes_nothing(store, tmp_path: Path, store_path: Path) -> None:
    before = store_path.read_bytes()
    path = write_csv(tmp_path, [GOOD[0], GOOD[1].replace("2026-01-05T16:02:11", "yesterday")])
    with pytest.raises(DirectoryImportError):
        store.directory.import_file(str(path))
    assert store_path.read_bytes() == before
    assert len(store.directory.users(enabled_only=False)) == 20


def test_import_replaces_users_rebuilds_indexes_and_audits(store, tmp_path: Path, store_path: Path) -> None:
    summary = store.directory.import_file(str(write_csv(tmp_path, GOOD[1:3])), "admin", "ssh")
    assert (summary.users, summary.enabled, summary.pins) == (2, 2, 1)
    assert store.directory.resolve("Ken Myer") == []
    assert store.directory.resolve_one("kmyerson@litwareinc.com").display_name == "Ken Myerson"
    last = store.directory.audit_entries()[-1]
    assert (last["action"], last["actor"], last["origin"], last["detail"]) == \
        ("Import-CsDirectory", "admin", "ssh", "2 users: 0 added, 0 updated, 2 unchanged, 18 removed")
    assert "57319" not in store_path.read_text()

"""Fourth review: key files are never echoed, Import-CsDirectory -WhatIf previews the import, file-writing cmdlets
never overwrite the store's own files, and write failures use PowerShell's words."""
from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

import pytest
from engine_support import error_ids


# --- 4: a key file's content is never echoed ----------------------------------------------------------------

def test_a_key_file_that_is_not_a_key_names_the_line_not_its_text(shell, tmp_path: Path) -> None:
    secret = "admin:$6$saltsalt$VerySecretHashValue:19000:0:99999:7:::"
    path = tmp_path / "shadow"
    path.write_text(secret + "\n", encoding="utf-8")
    _, err = shell(f"Set-CsAdminCredential 'Ken Myer' -SshPublicKeyFile '{path}'")
    assert f"'{path}', line 1: The line is not a supported SSH public key. The key must start with one of:" in err
    assert "admin:" not in err and "saltsalt" not in err and "VerySecret" not in err
    assert error_ids(err) == ["InvalidSshPublicKey"]
    assert shell('Get-CsAdminAccount -Identity "Ken Myer"')[0].strip() == ""


def test_a_typed_key_of_an_unsupported_type_is_still_named(shell) -> None:
    _, err = shell("Set-CsAdminCredential 'Ken Myer' -SshPublicKey 'ssh-dss AAAAB3NzaC1kc3M='")
    assert '"ssh-dss" is not a supported SSH key type.' in err


# --- 3: Import-CsDirectory -WhatIf previews the import --------------------------------------------------------

SUMMARY = ("Users", "EnabledUsers", "PinsSet", "Added", "Updated", "Unchanged", "Removed")


def _summary(shell: RunText, text: str) -> tuple[str, str]:
    fields = " ; ".join(f"$r.{name}" for name in SUMMARY)
    out, err = shell(f"$r = {text}; {fields}")
    return out, err


def _edited_export(shell: RunText, tmp_path: Path) -> Path:
    """An export of the seeded directory with its last user removed, one title changed and one user added."""
    source, edited = tmp_path / "all.csv", tmp_path / "edited.csv"
    assert shell(f"Export-CsDirectory -Path '{source}'") == ("", "")
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    added = dict(rows[0], DisplayName="New Person", SamAccountName="newperson",
                 UserPrincipalName="newperson@example.test", SipAddress="sip:newperson@example.test",
                 DistinguishedName="CN=New Person,OU=Test,DC=example,DC=test", LineURI="")
    rows = [dict(rows[0], Title="Changed Title")] + rows[1:-1] + [added]
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return edited


def test_whatif_reads_the_file_and_reports_the_summary_the_import_would(shell, tmp_path: Path) -> None:
    edited = _edited_export(shell, tmp_path)
    before_users = shell("(Get-CsUser -Filter *).Count; (Get-CsAuditEntry).Count")
    out, err = _summary(shell, f"Import-CsDirectory '{edited}' -WhatIf")
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f'What if: Performing the operation "Import-CsDirectory" on target "{edited}".'
    preview = lines[1:]
    assert preview[3:] == ["1", "1", f"{int(preview[0]) - 2}", "1"]      # added, updated, unchanged, removed
    assert shell("(Get-CsUser -Filter *).Count; (Get-CsAuditEntry).Count") == before_users   # nothing written
    real, err = _summary(shell, f"Import-CsDirectory '{edited}'")
    assert err == "" and real.splitlines() == preview


def test_whatif_reports_row_errors_and_no_what_if_line(shell, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("DisplayName,SamAccountName,Domain,UserPrincipalName,SipAddress,DistinguishedName\n"
                   "Ann,ann,EXAMPLE,ann@example.test,sip:ann@example.test,\n", encoding="utf-8")
    out, err = shell(f"Import-CsDirectory '{bad}' -WhatIf")
    assert out == "" and "What if" not in err
    assert f'Cannot import "{bad}", line 2:' in err and error_ids(err) == ["DirectoryImportInvalidRow"]


def test_whatif_refuses_a_file_without_users(shell, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("DisplayName,SamAccountName,Domain,UserPrincipalName,SipAddress,DistinguishedName\n",
                     encoding="utf-8")
    out, err = shell(f"Import-CsDirectory '{empty}' -WhatIf")
    assert out == "" and "the file holds no users" in err and error_ids(err) == ["DirectoryImportNoUsers"]


# --- 2: file-writing commands never write over the store's own files ---------------------------------------

STORE_FILES = ["store.json", "store.json.journal", "store.json.bak", "store.json.bak.journal", "store.json.lock"]
WRITERS = {
    "Export-CsDirectory": "Export-CsDirectory -Path '{0}'",
    "Export-CsAuditEntry": "Export-CsAuditEntry -Path '{0}'",
    "Out-File": "'text' | Out-File -FilePath '{0}'",
    "Set-Content": "Set-Content -Path '{0}' -Value text",
    "Add-Content": "Add-Content -Path '{0}' -Value text",
    "Export-Csv": "[pscustomobject]@{{A = 1}} | Export-Csv -Path '{0}'",
    "Tee-Object": "'text' | Tee-Object -FilePath '{0}' | Out-Null",
}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name.startswith("store.json")}


@pytest.mark.parametrize("name", STORE_FILES)
@pytest.mark.parametrize("command", sorted(WRITERS))
def test_a_store_file_is_never_overwritten(shell, tmp_path: Path, command: str, name: str) -> None:
    shell('Lock-CsClientPin -Identity "Ken Myer"; Unlock-CsClientPin -Identity "Ken Myer"')   # a journal exists
    before = _snapshot(tmp_path)
    target = tmp_path / name
    _, err = shell(WRITERS[command].format(target) + "; 'after'")
    assert err.startswith(f"{command} : Cannot write to '{target}' because it is the ") and \
        "writing it would damage the csshell store. Choose another file; nothing was written." in err
    assert error_ids(err) == ["PathIsStoreFile"] and "InvalidArgument: (" in err
    assert _snapshot(tmp_path) == before
    assert shell("(Get-CsClientPinInfo -Identity 'Ken Myer').IsLockedOut") == ("False\n", "")


@pytest.mark.parametrize("redirection", ["'text' > '{0}'", "Write-Output text >> '{0}'",
                                         "Write-Error oops 2> '{0}'", "Get-Date *> '{0}'"])
def test_redirection_never_writes_over_a_store_file(shell, tmp_path: Path, redirection: str) -> None:
    shell('Lock-CsClientPin -Identity "Ken Myer"; Unlock-CsClientPin -Identity "Ken Myer"')
    before = _snapshot(tmp_path)
    for name in ("store.json", "store.json.journal"):
        _, err = shell(redirection.format(tmp_path / name))
        assert error_ids(err) == ["PathIsStoreFile"] and "it is the store" in err
    assert _snapshot(tmp_path) == before


def test_a_symbolic_link_to_the_journal_is_refused_too(shell, tmp_path: Path) -> None:
    shell('Lock-CsClientPin -Identity "Ken Myer"')
    link = tmp_path / "innocent.csv"
    link.symlink_to(tmp_path / "store.json.journal")
    before = _snapshot(tmp_path)
    _, err = shell(f"Export-CsDirectory '{link}'")
    assert f"Cannot write to '{link}' because it is the store's journal" in err
    assert _snapshot(tmp_path) == before
    assert shell("(Get-CsClientPinInfo -Identity 'Ken Myer').IsLockedOut") == ("True\n", "")


def test_a_backup_onto_the_journal_is_refused(shell, tmp_path: Path) -> None:
    shell('Lock-CsClientPin -Identity "Ken Myer"')
    before = _snapshot(tmp_path)
    _, err = shell(f"Backup-CsStore '{tmp_path / 'store.json'}' '{tmp_path / 'store.json.journal'}'")
    assert "is the store's journal" in err and error_ids(err) == ["StoreBackupTarget"]
    assert _snapshot(tmp_path) == before


def test_other_files_beside_the_store_are_still_written(shell, tmp_path: Path) -> None:
    assert shell(f"Export-CsDirectory '{tmp_path / 'store.json.csv'}'; 'x' | Out-File '{tmp_path / 'out.txt'}'") \
        == ("", "")
    assert (tmp_path / "store.json.csv").stat().st_size > 0 and (tmp_path / "out.txt").read_text() == "x\n"


# --- 5: write failures in PowerShell's words ----------------------------------------------------------------

IO_DEVICE_ERROR = "The request could not be performed because of an I/O device error."


@pytest.mark.parametrize("command", ["Export-CsDirectory", "Export-CsAuditEntry"])
def test_an_io_error_while_writing_an_export_is_reported_in_windows_words(shell, tmp_path, monkeypatch,
                                                                          command: str) -> None:
    from cmdlets import directory_export

    def failing(path: str, text: str) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), path)
    monkeypatch.setattr(directory_export, "write_text", failing)
    target = tmp_path / "out.csv"
    _, err = shell(f"{command} -Path '{target}'")
    assert err.startswith(f"{command} : {IO_DEVICE_ERROR} The file '{target}' was not written completely.")
    assert "Input/output error" not in err
    assert "WriteError: (" in err and error_ids(err) == ["System.IO.IOException"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_out_file_on_a_full_disk_is_an_error_record_not_python_text(shell) -> None:
    out, err = shell("'x' | Out-File /dev/full; 'after'")
    assert out == "after\n"
    assert err.startswith("Out-File : There is not enough space on the disk. The file '/dev/full' was not "
                          "written completely.")
    assert "Errno" not in err and "OSError" not in err
    assert error_ids(err) == ["System.IO.IOException"]


# --- 5: wildcard paths resolve as 5.1's -Path does -----------------------------------------------------------

def test_import_reads_the_one_file_a_wildcard_matches(shell, tmp_path: Path) -> None:
    assert shell(f"Export-CsDirectory '{tmp_path / 'saved-users.csv'}'") == ("", "")
    out, err = shell(f"(Import-CsDirectory '{tmp_path / 'saved-*.csv'}').Path")
    assert (out, err) == (f"{tmp_path / 'saved-users.csv'}\n", "")


def test_import_of_a_wildcard_matching_nothing_or_several_files_is_refused(shell, tmp_path: Path) -> None:
    for name in ("a.csv", "b.csv"):
        assert shell(f"Export-CsDirectory '{tmp_path / name}'") == ("", "")
    _, err = shell(f"Import-CsDirectory '{tmp_path / '*.csv'}'")
    assert err.startswith("Import-CsDirectory : The path resolved to more than one file; can only process one file.")
    assert error_ids(err) == ["ReadWriteMultipleFilesNotSupported"]
    _, err = shell(f"Import-CsDirectory '{tmp_path / 'none*.csv'}'")
    assert f"Cannot find path '{tmp_path / 'none*.csv'}' because it does not exist." in err


def test_export_to_a_wildcard_writes_the_one_match_and_refuses_none_or_several(shell, tmp_path: Path) -> None:
    (tmp_path / "report.csv").write_text("old\n", encoding="utf-8")
    assert shell(f"Export-CsDirectory '{tmp_path / 'rep*.csv'}'") == ("", "")
    assert (tmp_path / "report.csv").read_text(encoding="utf-8").startswith("DisplayName,")
    assert not list(tmp_path.glob("rep[*]*"))                      # no file named with the wildcard itself
    _, err = shell(f"Export-CsDirectory '{tmp_path / 'none*.csv'}'")
    assert err.startswith(f"Export-CsDirectory : Cannot perform operation because the wildcard path "
                          f"{tmp_path / 'none*.csv'} did not resolve to a file.")
    assert error_ids(err) == ["FileOpenFailure"] and not list(tmp_path.glob("none*"))
    (tmp_path / "report2.csv").write_text("old\n", encoding="utf-8")
    _, err = shell(f"Export-CsAuditEntry '{tmp_path / 'rep*.csv'}'")
    assert error_ids(err) == ["ReadWriteMultipleFilesNotSupported"]
    assert (tmp_path / "report2.csv").read_text(encoding="utf-8") == "old\n"

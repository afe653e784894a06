"""Import-CsDirectory (fresh-user report): users naming a per-user PIN policy the store lacks are imported with a
warning per policy; device files, folders, empty, binary, UTF-16 and oversized files say what is wrong."""
from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import error_ids

from csshell.store import importer
from csshell.store.import_plan import missing_pin_policies

HEADER = "DisplayName,SamAccountName,Domain,UserPrincipalName,SipAddress,DistinguishedName,PinPolicy"


def row(name: str, policy: str) -> str:
    sam = name.lower().replace(" ", "")
    return (f"{name},{sam},litwareinc,{sam}@litwareinc.com,sip:{sam}@litwareinc.com,"
            f'"CN={name},OU=Redmond,DC=litwareinc,DC=com",{policy}')


# --- 4: per-user policies the store lacks ----------------------------------------------------------------

def test_missing_policies_are_counted_case_insensitively_in_user_order() -> None:
    assigned = ["Strict", None, "gone", "strict", "Known", "", "STRICT"]
    assert missing_pin_policies(assigned, ["Global", "site:Known", "tag:known"]) == {"Strict": 3, "gone": 1}
    assert missing_pin_policies(assigned, ["tag:Strict", "tag:Gone", "tag:Known"]) == {}


def test_import_warns_once_per_missing_policy_and_keeps_the_assignment(shell, tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("\n".join([HEADER, row("Ann Lee", "Strict"), row("Bo Chan", "Known"), row("Cy Diaz", "strict"),
                               row("Di Eng", "Gone"), row("Ed Fox", "")]) + "\n", encoding="utf-8")
    shell("New-CsPinPolicy Known | Out-Null")
    out, err = shell(f"(Import-CsDirectory '{path}').Users; (Get-CsUser 'Ann Lee').PinPolicy")
    assert out == "5\nStrict\n"
    assert err.splitlines() == [
        ('WARNING: 2 users are assigned the per-user PIN policy "Strict", which does not exist: they get their '
         "site's or the global PIN policy until it is created (New-CsPinPolicy -Identity \"Strict\") or they are "
         "granted another one (Grant-CsPinPolicy)."),
        ('WARNING: 1 user is assigned the per-user PIN policy "Gone", which does not exist: they get their site\'s or '
         'the global PIN policy until it is created (New-CsPinPolicy -Identity "Gone") or they are granted another '
         "one (Grant-CsPinPolicy).")]
    out, err = shell(f"Import-CsDirectory '{path}' -WhatIf")      # the preview warns as the import would
    assert err.count("WARNING") == 2 and "What if" in out


def test_a_missing_policy_with_a_name_new_cannot_create_only_suggests_grant(shell, tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_text("\n".join([HEADER, row("Ann Lee", "a/b")]) + "\n", encoding="utf-8")
    _, err = shell(f"Import-CsDirectory '{path}' | Out-Null")
    assert err.rstrip("\n").endswith("until they are granted an existing one (Grant-CsPinPolicy).")
    assert "New-CsPinPolicy" not in err


# --- 6: paths that are not directory files ----------------------------------------------------------------

def test_dev_null_holds_no_users(shell) -> None:
    out, err = shell("Import-CsDirectory /dev/null")
    assert out == "" and err.startswith('Import-CsDirectory : Cannot import "/dev/null": the file is empty, so it '
                                        "holds no users; the directory was left as it was.\n")
    assert error_ids(err) == ["DirectoryImportNoUsers"]
    assert shell("(Get-CsUser).Count")[0] != "0\n"


def test_a_folder_is_a_folder(shell, tmp_path: Path) -> None:
    _, err = shell(f"Import-CsDirectory '{tmp_path}'")
    assert "because it is a folder, not a file" in err and error_ids(err) == ["PathIsFolder"]


def test_dev_zero_is_refused_after_one_chunk(shell) -> None:
    _, err = shell("Import-CsDirectory /dev/zero")
    assert 'Cannot import "/dev/zero": the file holds NUL bytes, so it is not a CSV or JSON text file.' in err


def test_utf16_and_oversized_files_say_why(shell, tmp_path: Path, monkeypatch) -> None:
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("\n".join([HEADER, row("Ann Lee", "")]).encode("utf-16"))
    _, err = shell(f"Import-CsDirectory '{utf16}'")
    assert "the file is UTF-16 text; save it as UTF-8" in err
    monkeypatch.setattr(importer, "MAX_FILE_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_text("\n".join([HEADER, row("Ann Lee", ""), row("Bo Chan", "")]), encoding="utf-8")
    _, err = shell(f"Import-CsDirectory '{big}'")
    assert f'Cannot import "{big}": the file is larger than' in err


def test_a_missing_file_is_still_not_found(shell, tmp_path: Path) -> None:
    _, err = shell(f"Import-CsDirectory '{tmp_path / 'nope.csv'}'")
    assert "because it does not exist" in err and error_ids(err) == ["PathNotFound"]

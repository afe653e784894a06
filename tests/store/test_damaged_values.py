"""A store that is valid JSON but holds one value of the wrong kind (an edited file): a clear StoreCorrupt
error naming the file, the owner, the field and the remedy, where the value is read; never a Python
error, never an export that Import-CsDirectory would refuse; Test-CsStore reports it."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from csshell.store import recovery
from test_faults_recovery import compact, run_cli

KEN_MYERS = "sip:kenmyers@litwareinc.com"


@pytest.fixture
def store(seeded_store_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "data" / "store.json"
    path.parent.mkdir()
    shutil.copyfile(seeded_store_file, path)
    compact(path)                     # everything in the base file, no journal to apply over the edit
    return path


def edit(store: Path, table: str, match: tuple[str, str], field: str, value: object) -> None:
    data = json.loads(store.read_text(encoding="utf-8"))
    doc = next(d for d in data[table].values() if d.get(match[0]) == match[1])
    doc[field] = value
    store.write_text(json.dumps(data), encoding="utf-8")


def test_a_damaged_time_names_the_user_the_field_and_the_remedy(store: Path, tmp_path: Path) -> None:
    edit(store, "users", ("SipAddress", KEN_MYERS), "LastPinChangeTime", "garbage")
    result = run_cli(tmp_path, store, 'Get-CsClientPinInfo "Ken Myer" | ForEach-Object Identity; '
                                      'Get-CsClientPinInfo "Ken Myers"; Export-CsDirectory -Path out.csv')
    assert result.stdout.strip() == "sip:kenmyer@litwareinc.com"          # other users are unaffected
    assert "Traceback" not in result.stderr and "isoformat" not in result.stderr
    assert (f"Get-CsClientPinInfo : The store file '{store}' is damaged: the user {KEN_MYERS}'s LastPinChangeTime "
            f'holds "garbage", which is not a date and time. Test-CsStore -Path \'{store}\'') in result.stderr
    assert "StoreCorrupt,Microsoft.Rtc.Management.UserPinService.GetOcsUserClientPinInfoCmdlet" in result.stderr
    assert "Export-CsDirectory : The store file" in result.stderr
    assert not (tmp_path / "out.csv").exists()                           # no export that import would refuse


def test_a_damaged_policy_value_is_a_clear_error_not_a_type_error(store: Path, tmp_path: Path) -> None:
    result = run_cli(tmp_path, store, "Set-CsPinPolicy -MinPasswordLength 6")
    assert result.returncode == 0, result.stderr
    compact(store)
    edit(store, "pin_policies", ("identity", "Global"), "min_password_length", "abc")
    result = run_cli(tmp_path, store, 'Set-CsClientPin "Ken Myer" 97531')
    assert "not supported between" not in result.stderr and "Traceback" not in result.stderr
    assert ("the PIN policy Global's min_password_length holds \"abc\", which is not a whole number"
            in result.stderr)


def test_test_csstore_reports_damaged_values_and_restore_puts_back_the_backup(store: Path, tmp_path: Path) -> None:
    assert recovery.file_health(str(store)).good
    edit(store, "users", ("SipAddress", KEN_MYERS), "IsLockedOut", "yes")
    edit(store, "users", ("SipAddress", KEN_MYERS), "PinGlobalFailures", 1.5)
    problem = recovery.file_health(str(store)).problem
    assert problem is not None and problem.error_id == "StoreCorrupt"
    assert 'IsLockedOut holds "yes", which is not true or false' in problem.message
    assert "PinGlobalFailures holds 1.5, which is not a whole number" in problem.message
    result = run_cli(tmp_path, store, f"(Test-CsStore -Path '{store}').IsHealthy; Restore-CsStore -Path '{store}' | "
                                      "Out-Null; (Test-CsStore -Path '{store}').IsHealthy".replace("{store}", str(store)))
    assert result.stdout.split() == ["False", "True"], result.stderr


def test_a_damaged_backup_is_not_offered_as_the_remedy(store: Path, tmp_path: Path) -> None:
    edit(store, "users", ("SipAddress", KEN_MYERS), "LastPinChangeTime", "garbage")
    backup = tmp_path / "copy.json.bak"
    shutil.copyfile(store, backup)
    problem = recovery.file_health(str(backup)).problem
    assert problem is not None and problem.message.endswith("Correct the values in the file before restoring from it.")


def test_restore_warns_when_the_restored_store_has_fewer_users(store: Path, tmp_path: Path) -> None:
    edit(store, "users", ("SipAddress", KEN_MYERS), "LastPinChangeTime", "garbage")
    empty = tmp_path / "empty.json"
    run_cli(tmp_path, empty, "Get-CsUser | Out-Null")            # creates a valid store without users
    result = run_cli(tmp_path, store, f"Restore-CsStore -Path '{store}' -BackupPath '{empty}' | Out-Null")
    assert result.returncode == 0, result.stderr
    assert "WARNING: The restored store has 0 users; the one it replaced had" in result.stderr
    assert ".damaged-" in result.stderr


def test_a_damaged_value_in_a_fused_pipeline_is_reported_as_get_csclientpininfo(store: Path, tmp_path: Path) -> None:
    edit(store, "users", ("SipAddress", KEN_MYERS), "LastPinChangeTime", "garbage")
    result = run_cli(tmp_path, store, "Get-CsUser | Get-CsClientPinInfo | Out-Null")
    assert result.stderr.startswith(f"Get-CsClientPinInfo : The store file '{store}' is damaged")
    assert "StoreCorrupt,Microsoft.Rtc.Management.UserPinService.GetOcsUserClientPinInfoCmdlet" in result.stderr

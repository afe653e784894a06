"""The way back from a damaged store (docs/recovery.md): the backup kept at each compaction, a damaged
journal cut back to its last good record, Test-CsStore, Backup-CsStore and Restore-CsStore."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import filelock
import pytest

from bench.soak import subprocess_env
from csshell.store import StoreError, journal, open_store, recovery

KEN = "Ken Myer"
EXAMPLE_CSV = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"


@pytest.fixture
def store(seeded_store_file: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "store.json"
    shutil.copyfile(seeded_store_file, path)
    return path


def run_cli(tmp_path: Path, store: Path, text: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "csshell", "--store", str(store), "-NonInteractive", "-c", text],
                          capture_output=True, text=True, timeout=60, env=subprocess_env(tmp_path), cwd=str(tmp_path),
                          check=False)


def change(store: Path, lock: bool, name: str = KEN) -> None:
    opened = open_store(str(store), lock_timeout=5)
    try:
        user = opened.directory.resolve_one(name)
        (opened.directory.lock_pin if lock else opened.directory.unlock_pin)(user)
    finally:
        opened.close()


def compact(store: Path) -> None:
    """An import replaces the users table: the statement's write is a compaction of the base file."""
    opened = open_store(str(store), lock_timeout=5)
    try:
        opened.directory.import_file(str(EXAMPLE_CSV))
    finally:
        opened.close()


def is_locked(store: Path, name: str = KEN) -> bool:
    opened = open_store(str(store), lock_timeout=5)
    try:
        return opened.directory.resolve_one(name).is_locked_out
    finally:
        opened.close()


def damage(store: Path) -> bytes:
    """Truncate the base file in place, as a tool writing into it would; the damaged bytes."""
    with open(store, "r+b") as handle:
        handle.truncate(100)
    return store.read_bytes()


def backup(store: Path) -> Path:
    return Path(recovery.backup_path(str(store)))


def journal_of(path: Path) -> Path:
    return Path(journal.journal_path(str(path)))


def state(path: Path) -> tuple[dict, dict]:
    data = recovery.load(str(path))
    return data["users"], data["audit"]


def damage_journal_record(store: Path, record: int) -> bytes:
    """Flip one character inside change record number ``record`` (1 = the first after the header)."""
    lines = journal_of(store).read_bytes().splitlines(keepends=True)
    line = bytearray(lines[record])
    line[len(line) // 2] ^= 0x01
    lines[record] = bytes(line)
    journal_of(store).write_bytes(b"".join(lines))
    return journal_of(store).read_bytes()


# --- the storage keeps the state before each compaction ------------------------------------------------

def test_a_compaction_keeps_the_state_before_it_as_the_backup(store: Path) -> None:
    change(store, lock=True)                               # a journal record on the seeded base
    before = state(store)
    compact(store)
    assert state(backup(store)) == before                  # .bak plus .bak.journal: exactly that state
    assert journal_of(backup(store)).exists()
    assert os.stat(backup(store)).st_ino != os.stat(store).st_ino
    assert state(store) != before                           # the import's audit entry


def test_damage_done_in_place_never_reaches_the_backup(store: Path) -> None:
    compact(store)
    kept = backup(store).read_bytes()
    damage(store)
    assert backup(store).read_bytes() == kept and recovery.file_health(str(backup(store))).good


def test_keep_previous_without_a_store_file_does_nothing(tmp_path: Path) -> None:
    recovery.keep_previous(str(tmp_path / "missing.json"))
    assert list(tmp_path.iterdir()) == []


# --- a damaged journal --------------------------------------------------------------------------------

def test_torn_journal_tail_is_ignored_and_cut_off_by_the_next_write(store: Path) -> None:
    change(store, lock=True)
    with open(journal_of(store), "ab") as handle:          # what a crash in the middle of an append leaves
        handle.write(b'0badf00d {"users": {"1": {"DisplayName": "half')
    assert is_locked(store) and recovery.file_health(str(store)).good
    change(store, lock=False)
    opened = journal.read(str(journal_of(store)), None)
    assert opened is not None and not opened.tail.torn and len(opened.tail.records) == 2
    assert not is_locked(store)


def test_journal_of_another_base_is_ignored(store: Path) -> None:
    change(store, lock=True)
    lines = journal_of(store).read_bytes().splitlines(keepends=True)
    journal_of(store).write_bytes(journal.header("a-base-that-is-gone") + b"".join(lines[1:]))
    assert not is_locked(store)                            # its records belong to another base file
    change(store, lock=True)
    assert is_locked(store)


@pytest.mark.parametrize("content", [b"\0" * 64, b"not a journal at all\n", b'00000000 {"journal": 1}\n',
                                     journal.header("0" * 32)[:20]])
def test_journal_without_a_valid_header_is_damage_reported_and_cut_by_restore(store: Path, content: bytes) -> None:
    """A journal is created whole (header and first record, fsync'd) by a rename: no crash leaves a non-empty
    journal without a readable header, so it is refused (Test-CsStore: unhealthy), never silently skipped."""
    journal_of(store).write_bytes(content)
    with pytest.raises(StoreError) as caught:
        change(store, lock=True)
    assert caught.value.error_id == "StoreCorrupt" and str(journal_of(store)) in caught.value.message
    assert journal_of(store).read_bytes() == content                       # left as it was
    problem = recovery.health(str(store))[0].problem
    assert problem is not None and problem.error_id == "StoreCorrupt" and problem.path == str(journal_of(store))
    done = recovery.restore(str(store))
    assert done.action == "journal cut" and Path(done.damaged_copies[0]).read_bytes() == content
    assert not journal_of(store).exists() and recovery.health(str(store))[0].good
    change(store, lock=True)
    assert is_locked(store)


def test_a_zero_length_journal_is_ignored(store: Path) -> None:
    journal_of(store).write_bytes(b"")
    assert not is_locked(store) and recovery.health(str(store))[0].good
    change(store, lock=True)
    assert is_locked(store)


def test_journal_damaged_in_the_middle_is_refused_and_cut_back_by_restore(store: Path, tmp_path: Path) -> None:
    change(store, lock=True)                               # record 1
    change(store, lock=True, name="Aidan Delaney")         # record 2: damaged below
    change(store, lock=True, name="David Longmuir")        # record 3
    base = store.read_bytes()
    damaged = damage_journal_record(store, 2)
    with pytest.raises(StoreError) as caught:
        open_store(str(store))
    error = caught.value
    assert error.error_id == "StoreCorrupt" and str(journal_of(store)) in error.message
    result = run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Tomasz Nowak"')
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert str(journal_of(store)) in " ".join(result.stderr.split())
    assert journal_of(store).read_bytes() == damaged and store.read_bytes() == base    # nothing overwritten

    done = recovery.restore(str(store))
    assert done.action == "journal cut" and "1 change records" in done.detail
    assert [Path(p).read_bytes() for p in done.damaged_copies] == [damaged]
    assert store.read_bytes() == base
    assert is_locked(store) and not is_locked(store, "Aidan Delaney") and not is_locked(store, "David Longmuir")
    change(store, lock=True, name="Tomasz Nowak")          # and the store works again
    assert is_locked(store, "Tomasz Nowak")


def test_journal_with_a_damaged_header_before_good_records_is_refused_not_overwritten(store: Path) -> None:
    """A crash cannot damage the header (the journal is created whole, header and first record, by a
    rename): a bad header with good records after it is damage, and those records must not be dropped."""
    change(store, lock=True)
    change(store, lock=True, name="Aidan Delaney")
    damaged = bytearray(journal_of(store).read_bytes())
    damaged[12] ^= 0x01                                     # inside the header's JSON: its checksum fails
    journal_of(store).write_bytes(bytes(damaged))
    with pytest.raises(StoreError) as caught:
        change(store, lock=True, name="Tomasz Nowak")
    assert caught.value.error_id == "StoreCorrupt" and str(journal_of(store)) in caught.value.message
    assert journal_of(store).read_bytes() == bytes(damaged)
    done = recovery.restore(str(store))                    # the cut keeps nothing: the base alone
    assert done.action == "journal cut" and Path(done.damaged_copies[0]).read_bytes() == bytes(damaged)
    assert not is_locked(store) and not journal_of(store).exists()


def test_checksummed_record_of_the_wrong_shape_is_refused_and_cut(store: Path) -> None:
    change(store, lock=True)
    with open(journal_of(store), "ab") as handle:
        handle.write(journal.encode({"users": {"1": 5}}))   # a checksum cannot catch a writer's bug
    with pytest.raises(StoreError) as caught:
        open_store(str(store)).directory.users()
    assert caught.value.error_id == "StoreCorrupt"
    done = recovery.restore(str(store))
    assert done.action == "journal cut" and is_locked(store)


# --- restoring a damaged base -----------------------------------------------------------------------------

def test_restore_puts_back_the_backup_and_keeps_the_damaged_files(store: Path) -> None:
    compact(store)                                         # .bak: the seeded state
    change(store, lock=True)                               # a journal record on the new base
    journal_bytes = journal_of(store).read_bytes()
    damaged = damage(store)
    with pytest.raises(StoreError):
        open_store(str(store))
    done = recovery.restore(str(store))
    assert done.action == "backup restored" and done.source == str(backup(store))
    assert sorted(Path(p).read_bytes() for p in done.damaged_copies) == sorted([damaged, journal_bytes])
    assert store.read_bytes() == backup(store).read_bytes()
    assert done.users > 0 and done.audit_entries > 0
    assert not is_locked(store)                            # the state before the last compaction
    change(store, lock=True)
    assert is_locked(store)


def test_restore_brings_back_the_backup_journal_too(store: Path) -> None:
    change(store, lock=True)                               # in the journal of the seeded base
    compact(store)                                         # .bak + .bak.journal hold that lock
    damage(store)
    recovery.restore(str(store))
    assert is_locked(store)


def test_restore_refuses_a_healthy_store_unless_forced(store: Path) -> None:
    compact(store)
    change(store, lock=True)
    current = store.read_bytes(), journal_of(store).read_bytes()
    with pytest.raises(StoreError) as caught:
        recovery.restore(str(store))
    assert caught.value.error_id == "StoreNotDamaged" and "-Force" in caught.value.message
    assert (store.read_bytes(), journal_of(store).read_bytes()) == current
    assert not list(store.parent.glob("*.damaged-*"))
    done = recovery.restore(str(store), force=True)
    assert not is_locked(store) and len(done.damaged_copies) == 2


def test_restore_without_a_backup_changes_nothing(store: Path) -> None:
    damaged = damage(store)
    with pytest.raises(StoreError) as caught:
        recovery.restore(str(store))
    assert caught.value.error_id == "StoreNoBackup"
    assert str(backup(store)) in caught.value.message and "-BackupPath" in caught.value.message
    assert store.read_bytes() == damaged and not list(store.parent.glob("*.damaged-*"))


def test_restore_refuses_a_damaged_backup(store: Path) -> None:
    backup(store).write_bytes(b'{"_meta": ')
    damaged = damage(store)
    with pytest.raises(StoreError) as caught:
        recovery.restore(str(store))
    assert caught.value.error_id == "StoreBackupUnusable" and str(backup(store)) in caught.value.message
    assert store.read_bytes() == damaged


def test_restore_waits_for_the_lock_and_reports_a_busy_store(store: Path) -> None:
    compact(store)
    damaged = damage(store)
    holder = filelock.FileLock(recovery.lock_path(str(store)))
    with holder, pytest.raises(StoreError) as caught:
        recovery.restore(str(store), lock_timeout=0.3)
    assert caught.value.error_id == "StoreBusy" and str(store) in caught.value.message
    assert store.read_bytes() == damaged


def test_restore_inside_a_statement_that_changes_the_store_fails_at_once(store: Path, tmp_path: Path) -> None:
    """Waiting for a lock this very statement holds would never end: refused at once, nothing restored."""
    compact(store)
    change(store, lock=True)
    run = run_cli(tmp_path, store, f"Get-CsUser 'Ken*' | % {{ Unlock-CsClientPin $_; "
                                   f"Restore-CsStore -Path '{store}' -Force -Confirm:$false }}")
    assert run.stderr.count("is being changed by the statement this command runs in") == 3   # Ken Myer, Myers, Myerson
    assert "StoreBusy,Csshell.Commands.RestoreCsStoreCommand" in run.stderr
    assert not is_locked(store)                          # the unlocks happened; no restore did


def test_restore_through_a_symbolic_link_restores_the_real_file(store: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(store)
    compact(store)
    damage(store)
    recovery.restore(str(link))
    assert link.is_symlink() and store.read_bytes() == backup(store).read_bytes()


def test_backup_then_restore_from_it(store: Path, tmp_path: Path) -> None:
    change(store, lock=True)                               # in the journal: the backup must merge it
    copy = tmp_path / "monday.json"
    written = recovery.backup(str(store), str(copy))
    assert written.good and not journal_of(copy).exists()
    change(store, lock=False)
    damage(store)
    done = recovery.restore(str(store), str(copy))
    assert done.source == str(copy) and is_locked(store)


def test_backup_refuses_to_overwrite_the_store_or_its_backup(store: Path) -> None:
    before = store.read_bytes()
    for target in (store, backup(store)):
        with pytest.raises(StoreError) as caught:
            recovery.backup(str(store), str(target))
        assert caught.value.error_id == "StoreBackupTarget"
    assert store.read_bytes() == before


# --- the command line: the damaged-store message, Test-CsStore, Restore-CsStore, Backup-CsStore ----------

def test_damaged_store_message_leads_to_restore_and_the_store_works_again(store: Path, tmp_path: Path) -> None:
    assert run_cli(tmp_path, store, f"Import-CsDirectory -Path '{EXAMPLE_CSV}'").returncode == 0   # compacts
    assert backup(store).exists()
    damaged = damage(store)

    refused = run_cli(tmp_path, store, 'Get-CsClientPinInfo -Identity "Ken Myer"')
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"Restore-CsStore -Path '{store}'" in " ".join(refused.stderr.split())

    health = run_cli(tmp_path, store, f"Test-CsStore -Path '{store}' | Format-List IsHealthy, BackupIsHealthy")
    assert health.returncode == 0 and "IsHealthy       : False" in health.stdout
    assert "BackupIsHealthy : True" in health.stdout

    restored = run_cli(tmp_path, store, f"Restore-CsStore -Path '{store}'")
    assert restored.returncode == 0, restored.stderr
    assert "backup restored" in restored.stdout and str(backup(store)) in restored.stdout
    assert [p.read_bytes() for p in store.parent.glob("store.json.damaged-*")] == [damaged]

    info = run_cli(tmp_path, store, '(Get-CsClientPinInfo -Identity "Ken Myer").IsLockedOut')
    assert info.returncode == 0 and info.stdout.strip() == "False"


def test_backup_and_restore_on_the_command_line(store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "nightly.json"
    assert run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Ken Myer"').returncode == 0
    made = run_cli(tmp_path, store, f"(Backup-CsStore -Path '{store}' -Destination '{copy}').IsHealthy")
    assert made.returncode == 0 and made.stdout.strip() == "True", made.stderr
    damage(store)
    restored = run_cli(tmp_path, store, f"Restore-CsStore -Path '{store}' -BackupPath '{copy}' | Out-Null; "
                                        '(Get-CsClientPinInfo -Identity "Ken Myer").IsLockedOut')
    assert restored.returncode == 0 and restored.stdout.strip() == "True", restored.stderr


def test_restore_what_if_changes_nothing(store: Path, tmp_path: Path) -> None:
    compact(store)
    damaged = damage(store)
    result = run_cli(tmp_path, store, f"Restore-CsStore -Path '{store}' -WhatIf")
    assert result.returncode == 0 and "What if:" in result.stdout
    assert store.read_bytes() == damaged


def test_restore_on_the_command_line_reports_a_missing_backup(store: Path, tmp_path: Path) -> None:
    damaged = damage(store)
    result = run_cli(tmp_path, store, f"Restore-CsStore -Path '{store}'")
    flat = " ".join(result.stderr.split())
    assert result.returncode == 1 and "StoreNoBackup" in flat and "Traceback" not in flat
    assert store.read_bytes() == damaged


def test_healthy_store_reports_healthy(store: Path, tmp_path: Path) -> None:
    result = run_cli(tmp_path, store, f"(Test-CsStore -Path '{store}').IsHealthy")
    assert result.returncode == 0 and result.stdout.strip() == "True"

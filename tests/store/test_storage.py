"""Persistence: atomic writes, one write per statement, damaged and newer files refused, locking."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from csshell.store import StoreError, journal, open_store, schema, storage

DIRECTORY_CSV = Path(__file__).parent / "data" / "directory.csv"


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_missing_file_creates_valid_store_with_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "store.json"
    store = open_store(str(path))
    data = read_json(path)
    assert data["_meta"]["1"]["schema"] == schema.SCHEMA_VERSION
    assert data["users"] == {} and data["audit"] == {}
    policy = store.directory.global_pin_policy()
    assert (policy.identity, policy.min_password_length, policy.allow_common_patterns) == ("Global", 5, False)
    assert policy.maximum_logon_attempts is None
    store.close()


def journal_records(store_path: Path) -> list[dict]:
    """The change records of the store's journal (its header left out)."""
    opened = journal.read(journal.journal_path(str(store_path)), None)
    return [] if opened is None else opened.tail.records


def test_statement_writes_once_for_many_changes(store, store_path: Path) -> None:
    base = store_path.read_bytes()
    before = storage.load_state(str(store_path))
    users = store.directory.users()
    with store.statement():
        for user in users:
            store.directory.lock_pin(user)
        with store.statement():                     # nested: no-op
            store.directory.unlock_pin(users[0])
        assert journal_records(store_path) == []    # nothing on disk before the statement ends
    records = journal_records(store_path)
    assert len(records) == 1 and store_path.read_bytes() == base      # one appended record, base untouched
    data = storage.load_state(str(store_path))
    changed = {key for key, doc in data["users"].items() if doc != before["users"][key]}
    written = set(records[0].get("users", {})) | set(records[0].get(journal.PATCHES, {}).get("users", {}))
    assert written == changed and len(records[0]["audit"]) == 19   # only what changed (whole or as patches)
    locked = [u["IsLockedOut"] for u in data["users"].values() if u["SipAddress"]]
    assert locked.count(False) == 1 and len(locked) == 18


def test_change_outside_statement_commits_immediately(store, store_path: Path) -> None:
    store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    reopened = open_store(str(store_path))
    assert reopened.directory.resolve_one("Ken Myer").is_locked_out
    reopened.close()


def test_statement_flushes_even_when_it_raises(store, store_path: Path) -> None:
    with pytest.raises(RuntimeError):
        with store.statement():
            store.directory.lock_pin(store.directory.resolve_one("David Longmuir"))
            raise RuntimeError("script failed later")
    assert open_store(str(store_path)).directory.resolve_one("David Longmuir").is_locked_out


def test_failed_replace_keeps_old_file_and_leaves_no_temp(store, store_path: Path, monkeypatch) -> None:
    before = store_path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(StoreError) as info:
        store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    assert info.value.error_id == "StoreWriteFailed" and str(store_path) in info.value.message
    assert store_path.read_bytes() == before
    assert sorted(p.name for p in store_path.parent.iterdir()) == ["store.json", "store.json.lock"]
    monkeypatch.undo()
    # the failed change is not kept in memory either: the store reloads what is on disk
    assert not store.directory.resolve_one("Ken Myer").is_locked_out


@pytest.mark.parametrize("content", [b"", b"   \n", b'{"_meta": {"1": {"schema": 1}}, "users": {"1": {"Disp',
                                     b"\xff\xfe garbage", b"[1, 2, 3]", b'{"users": {}}'])
def test_damaged_file_is_refused_and_never_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "store.json"
    path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert info.value.error_id == "StoreCorrupt"
    assert str(path) in info.value.message and info.value.path == str(path)
    assert path.read_bytes() == content


def test_truncated_real_store_is_refused(store_path: Path) -> None:
    full = store_path.read_bytes()
    store_path.write_bytes(full[: len(full) // 2])
    with pytest.raises(StoreError, match="damaged or truncated"):
        open_store(str(store_path))
    assert store_path.read_bytes() == full[: len(full) // 2]


def test_store_from_newer_version_is_refused(store_path: Path) -> None:
    data = read_json(store_path)
    data["_meta"]["1"]["schema"] = schema.SCHEMA_VERSION + 1
    store_path.write_text(json.dumps(data))
    before = store_path.read_bytes()
    with pytest.raises(StoreError) as info:
        open_store(str(store_path))
    assert info.value.error_id == "StoreSchemaTooNew"
    assert f"schema version {schema.SCHEMA_VERSION + 1}" in info.value.message
    assert store_path.read_bytes() == before


def test_file_corrupted_by_someone_else_is_not_overwritten(store, store_path: Path) -> None:
    store_path.write_text("{ not json")
    with pytest.raises(StoreError, match="damaged"):
        store.directory.lock_pin(store.directory.users()[0])
    assert store_path.read_text() == "{ not json"


def test_reload_only_when_file_changed(store, store_path: Path, monkeypatch) -> None:
    loads: list[int] = []
    real = storage.DurableStorage.load
    monkeypatch.setattr(storage.DurableStorage, "load", lambda self: (loads.append(self), real(self))[1])
    for _ in range(5):
        store.directory.resolve("Ken Myer")
    assert loads == []
    other = open_store(str(store_path))
    other.directory.lock_pin(other.directory.resolve_one("Ken Myer"))
    other.close()
    loads.clear()
    assert store.directory.resolve_one("Ken Myer").is_locked_out      # another process's journal record ...
    assert loads == []                                                # ... applied without reloading
    other = open_store(str(store_path))
    other.directory.import_file(str(DIRECTORY_CSV))                   # an import rewrites the base file
    other.close()
    loads.clear()
    store.directory.resolve("Ken Myer")
    store.directory.resolve("Ken Myer")
    assert loads == [store._storage]


def test_change_applies_to_fresh_data_from_other_process(store, store_path: Path) -> None:
    ken = store.directory.resolve_one("Ken Myer")          # read before the other writer
    other = open_store(str(store_path))
    other.directory.lock_pin(other.directory.resolve_one("Jonathan Haas"))
    other.close()
    with store.statement():
        store.directory.lock_pin(ken)
    final = open_store(str(store_path)).directory
    assert final.resolve_one("Ken Myer").is_locked_out and final.resolve_one("Jonathan Haas").is_locked_out
    assert [e["target"] for e in final.audit_entries()][-2:] == ["sip:jhaas@litwareinc.com",
                                                                 "sip:kenmyer@litwareinc.com"]


def test_lock_timeout_gives_store_busy_error(store, store_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", "import filelock, sys, time\n"
         f"lock = filelock.FileLock({str(store_path) + '.lock'!r}); lock.acquire()\n"
         "print('held', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        busy = open_store(str(store_path), lock_timeout=0.3)
        started = time.monotonic()
        with pytest.raises(StoreError) as info:
            busy.directory.lock_pin(busy.directory.resolve_one("Ken Myer"))
        assert time.monotonic() - started < 5
        assert info.value.error_id == "StoreBusy" and "busy" in info.value.message
        assert info.value.category == "ResourceBusy"
        busy.close()
    finally:
        holder.kill()
        holder.wait()
    assert not open_store(str(store_path)).directory.resolve_one("Ken Myer").is_locked_out


def test_lock_is_released_after_statement(store, store_path: Path) -> None:
    with store.statement():
        store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    probe = filelock.FileLock(str(store_path) + ".lock", timeout=0.1)
    probe.acquire()
    probe.release()


def test_closed_store_refuses_use(store) -> None:
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.directory.users()


def test_store_file_never_contains_plain_pins(store_path: Path) -> None:
    text = store_path.read_text()
    for pin in ("80146", "57319", "61928", "40871", "73915"):
        assert pin not in text
    assert text.count('"PinHash":"scrypt$n=16384,r=8,p=1$') == 13


def test_a_version_1_store_is_read_and_upgraded_to_version_2_by_its_first_change(tmp_path: Path) -> None:
    """Version 1 had no journal; its first change compacts and marks the file version 2, so that an
    older csshell refuses it instead of ignoring the journal."""
    path = tmp_path / "store.json"
    open_store(str(path)).close()
    data = read_json(path)
    data["_meta"]["1"] = {"schema": 1, "app": "csshell", "created": "2026-01-01T00:00:00"}
    data["users"] = {"1": {"DisplayName": "Ken Myer", "SipAddress": "sip:kenmyer@litwareinc.com",
                           "DistinguishedName": "CN=Ken Myer,DC=litwareinc,DC=com", "IsLockedOut": False}}
    path.write_text(json.dumps(data), encoding="utf-8")
    store = open_store(str(path))
    assert store.directory.resolve_one("Ken Myer").display_name == "Ken Myer"
    with store.statement():
        store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    store.close()
    assert schema.SCHEMA_VERSION == 2
    assert read_json(path)["_meta"]["1"]["schema"] == 2
    reopened = open_store(str(path))
    assert reopened.directory.resolve_one("Ken Myer").is_locked_out
    reopened.close()

"""The store's journal: one checksummed record per statement, torn tails, stale journals, compaction."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from csshell.store import StoreError, journal, open_store, schema, storage

KEN = "Ken Myer"


def journal_file(store_path: Path) -> Path:
    return Path(journal.journal_path(str(store_path)))


def records(store_path: Path) -> list[dict]:
    opened = journal.read(str(journal_file(store_path)), None)
    return [] if opened is None else opened.tail.records


def lock(store_path: Path, name: str = KEN, locked: bool = True) -> None:
    store = open_store(str(store_path), lock_timeout=2)
    try:
        user = store.directory.resolve_one(name)
        (store.directory.lock_pin if locked else store.directory.unlock_pin)(user)
    finally:
        store.close()


def is_locked(store_path: Path, name: str = KEN) -> bool:
    store = open_store(str(store_path), lock_timeout=2)
    try:
        return store.directory.resolve_one(name).is_locked_out
    finally:
        store.close()


def token(store_path: Path) -> str:
    return storage.load_state(str(store_path))[schema.META]["1"][storage.TOKEN_KEY]


# --- the record format ---------------------------------------------------------------------------

def test_one_change_appends_one_record_of_the_changed_documents_only(store_path: Path) -> None:
    base = store_path.read_bytes()
    lock(store_path)
    assert store_path.read_bytes() == base                       # the base file is not rewritten
    [record] = records(store_path)
    assert sorted(record) == [journal.PATCHES, "audit"]          # the user as a patch, the entry whole
    [patch] = record[journal.PATCHES]["users"].values()
    assert patch == {"set": {"IsLockedOut": True}}
    [entry] = record["audit"].values()
    assert entry["action"] == "Lock-CsClientPin"
    header = journal_file(store_path).read_bytes().split(b"\n")[0]
    assert journal.header_token(journal.loads(header[9:])) == token(store_path)


def test_a_patch_record_replays_to_the_same_state_and_a_version_1_journal_gets_whole_documents(
        store_path: Path) -> None:
    lock(store_path)
    store = open_store(str(store_path))
    try:
        users = store.table(schema.USERS)
        [doc_id] = [d.doc_id for d in users.all() if d["DisplayName"] == KEN]
        with store.statement():                                   # fields set by update(dict): a patch
            users.update({"Title": "Lead"}, doc_ids=[doc_id])
            users.update({"Department": "Labs"}, doc_ids=[doc_id])  # two changes: one patch of both
        with store.statement():                                   # any other change: the whole document
            users.update(lambda doc: doc.pop("City"), doc_ids=[doc_id])
        expected = store.raw_table(schema.USERS)[str(doc_id)]
    finally:
        store.close()
    patched, whole = records(store_path)[-2:]
    assert patched == {journal.PATCHES: {"users": {str(doc_id): {"set": {"Title": "Lead", "Department": "Labs"}}}}}
    assert whole == {"users": {str(doc_id): expected}}
    assert storage.load_state(str(store_path))[schema.USERS][str(doc_id)] == expected
    # a journal written by version 1 keeps being written with whole documents
    journal_file(store_path).write_bytes(journal.encode({"journal": 1, "base": token(store_path)}))
    lock(store_path, locked=False)
    assert journal.PATCHES not in records(store_path)[-1] and "users" in records(store_path)[-1]


def test_a_patch_may_remove_fields_and_a_patch_of_a_missing_document_is_damage(store_path: Path) -> None:
    lock(store_path)
    key, doc = next((k, d) for k, d in storage.load_state(str(store_path))[schema.USERS].items()
                    if d["DisplayName"] == KEN)
    with journal_file(store_path).open("ab") as handle:
        handle.write(journal.encode({journal.PATCHES: {"users": {key: {"set": {"Title": "X"}, "unset": ["City"]}}}}))
    state = storage.load_state(str(store_path))[schema.USERS][key]
    assert state["Title"] == "X" and "City" not in state and state["DisplayName"] == KEN
    with journal_file(store_path).open("ab") as handle:
        handle.write(journal.encode({journal.PATCHES: {"users": {"99999": {"set": {"Title": "X"}}}}}))
    with pytest.raises(StoreError) as info:
        storage.load_state(str(store_path))
    assert info.value.error_id == "StoreCorrupt"


def test_records_are_checksummed_lines() -> None:
    line = journal.encode({"users": {"7": {"DisplayName": "A\nB"}}})
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    tail = journal.parse(line, 0, "j")
    assert tail.records == [{"users": {"7": {"DisplayName": "A\nB"}}}] and tail.end == len(line)
    flipped = line[:12] + bytes([line[12] ^ 1]) + line[13:]
    assert journal.parse(flipped, 0, "j").records == [] and journal.parse(flipped, 0, "j").torn


def test_a_deletion_is_journaled_as_null_and_replayed(store, store_path: Path) -> None:
    with store.statement(), store.change():
        table = store.table(schema.PIN_POLICIES)
        doc_id = table.insert({"identity": "site:Temp"})
    with store.statement(), store.change():
        store.table(schema.PIN_POLICIES).remove(doc_ids=[doc_id])
    assert records(store_path)[-1][schema.PIN_POLICIES] == {str(doc_id): None}
    assert str(doc_id) not in storage.load_state(str(store_path))[schema.PIN_POLICIES]


# --- crashes: torn and damaged records -----------------------------------------------------------

def test_a_torn_last_record_is_ignored_and_cut_off_by_the_next_writer(store_path: Path) -> None:
    lock(store_path)
    good = journal_file(store_path).read_bytes()
    torn = journal.encode({"users": {"1": {"DisplayName": "never"}}})[:-7]
    with open(journal_file(store_path), "ab") as handle:
        handle.write(torn)                                       # what a kill in the middle leaves
    assert is_locked(store_path)                                 # opens; the torn record is not applied
    assert journal_file(store_path).read_bytes() == good + torn  # a reader never cuts it
    lock(store_path, locked=False)
    data = journal_file(store_path).read_bytes()
    assert data.startswith(good) and torn not in data and len(records(store_path)) == 2
    assert not is_locked(store_path)


def test_a_torn_record_with_a_bad_checksum_is_ignored(store_path: Path) -> None:
    lock(store_path)
    line = bytearray(journal.encode({"users": {"1": {"DisplayName": "zeroed"}}}))
    line[20:40] = b"\0" * 20                                     # power loss: a zero-filled block
    with open(journal_file(store_path), "ab") as handle:
        handle.write(bytes(line))
    assert is_locked(store_path) and all(u.display_name != "zeroed"
                                         for u in open_store(str(store_path)).directory.users())


def test_a_damaged_record_followed_by_good_ones_is_reported_and_left_alone(store_path: Path) -> None:
    lock(store_path)
    lock(store_path, locked=False)
    data = bytearray(journal_file(store_path).read_bytes())
    first_end = data.index(b"\n", data.index(b"\n") + 1)       # end of the first change record
    data[first_end - 5] ^= 0x20
    journal_file(store_path).write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        open_store(str(store_path))
    error = caught.value
    assert error.error_id == "StoreCorrupt" and str(journal_file(store_path)) in error.message
    assert "Restore-CsStore" in error.message
    assert journal_file(store_path).read_bytes() == bytes(data)


def test_a_stale_journal_is_ignored(store_path: Path) -> None:
    lock(store_path)
    stale = journal_file(store_path).read_bytes()
    other = open_store(str(store_path))
    with other.statement(), other.change():
        other.table(schema.USERS).truncate()                     # a whole-table change: compaction
        other.table(schema.USERS).insert({"DisplayName": "Only One", "SipAddress": "sip:one@x.com",
                                          "DistinguishedName": "CN=One,DC=x,DC=com"})
    other.close()
    assert not journal_file(store_path).exists()                 # removed with the compaction
    journal_file(store_path).write_bytes(stale)                  # as if the removal had not happened
    users = open_store(str(store_path)).directory.users()
    assert [u.display_name for u in users] == ["Only One"]       # the stale record is not replayed
    lock(store_path, "Only One")                                 # the next writer starts a new journal
    assert journal.read(str(journal_file(store_path)), None).token == token(store_path)
    assert is_locked(store_path, "Only One")


def test_a_journal_whose_header_is_torn_is_damage_not_empty(store_path: Path) -> None:
    """Created whole by a rename after an fsync, a journal never has a torn header: only damage leaves one."""
    torn = journal.header(token(store_path))[:20]
    journal_file(store_path).write_bytes(torn)
    with pytest.raises(StoreError) as caught:
        lock(store_path)
    assert caught.value.error_id == "StoreCorrupt" and "damaged at byte 0" in caught.value.message
    assert journal_file(store_path).read_bytes() == torn


def test_an_empty_journal_file_counts_as_empty(store_path: Path) -> None:
    journal_file(store_path).write_bytes(b"")
    assert not is_locked(store_path)
    lock(store_path)
    assert is_locked(store_path) and len(records(store_path)) == 1


# --- compaction ----------------------------------------------------------------------------------

def test_compaction_when_the_journal_outgrows_its_limit(store_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(storage, "COMPACT_MIN_BYTES", 1500)
    monkeypatch.setattr(storage, "COMPACT_RATIO", 10**9)
    first_token = token(store_path)
    locked = False
    for _ in range(8):
        locked = not locked
        lock(store_path, locked=locked)
    assert token(store_path) != first_token                      # the base was rewritten ...
    assert journal_file(store_path).stat().st_size <= 1500       # ... and the journal started again
    assert is_locked(store_path) == locked
    audit = storage.load_state(str(store_path))[schema.AUDIT]
    assert [e["action"] for e in audit.values()][-8:] == ["Lock-CsClientPin", "Unlock-CsClientPin"] * 4


def test_a_base_without_token_is_compacted_by_its_first_write(store_path: Path) -> None:
    data = storage.load_state(str(store_path))
    del data[schema.META]["1"][storage.TOKEN_KEY]
    store_path.write_bytes(journal.dumps(data))                  # a store written before the journal
    lock(store_path)
    assert not journal_file(store_path).exists() and token(store_path)
    assert is_locked(store_path)


def test_failed_compaction_keeps_everything_and_reloads(store, store_path: Path, monkeypatch) -> None:
    before = store_path.read_bytes()

    def broken(path: str, payload: bytes, mode_of: str | None = None) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage, "atomic_write", broken)
    with pytest.raises(StoreError) as caught, store.statement(), store.change():
        store.table(schema.USERS).truncate()
    assert caught.value.error_id == "StoreWriteFailed" and "try again" in caught.value.message
    monkeypatch.undo()
    assert store_path.read_bytes() == before and len(store.directory.users()) == 18


# --- other processes -----------------------------------------------------------------------------

def test_other_processes_records_reach_the_index_without_a_reload(store, store_path: Path, monkeypatch) -> None:
    ken = store.directory.resolve_one(KEN)
    for _ in range(3):                                           # past the scans: the index is built
        store.directory.resolve("sip:kenmyer@litwareinc.com")
    loads: list[int] = []
    monkeypatch.setattr(store._storage, "load", lambda: loads.append(1))
    other = open_store(str(store_path))
    with other.statement(), other.change():
        other.table(schema.USERS).update({"DisplayName": "Kenneth Myer"}, doc_ids=[ken.doc_id])
    other.close()
    assert store.directory.resolve_one("Kenneth Myer").doc_id == ken.doc_id
    assert store.directory.resolve(KEN) == [] and loads == []


def test_ids_used_by_another_process_are_never_handed_out_again(store, store_path: Path) -> None:
    store.directory.audit_entries()
    other = open_store(str(store_path))
    for turn in range(6):
        writer = store if turn % 2 else other
        writer.directory.lock_pin(writer.directory.resolve_one(KEN))
    other.close()
    audit = storage.load_state(str(store_path))[schema.AUDIT]
    assert len(audit) == len({e["time"] + e["action"] + k for k, e in audit.items()})
    assert sum(1 for e in audit.values() if e["action"] == "Lock-CsClientPin") == 6


def test_a_reader_sees_changes_only_after_the_record_is_complete(store, store_path: Path) -> None:
    store.directory.users()
    record = journal.encode({"users": {"1": dict(storage.load_state(str(store_path))["users"]["1"],
                                                 IsLockedOut=True)}})
    lock(store_path, "David Longmuir")                           # makes the journal
    with open(journal_file(store_path), "ab") as handle:
        handle.write(record[:-1])
        handle.flush()
        assert not store.directory.resolve_one(KEN).is_locked_out     # half a record: not yet
        handle.write(record[-1:])
    assert store.directory.resolve_one(KEN).is_locked_out            # the whole record: applied


# --- files ---------------------------------------------------------------------------------------

def test_the_journal_gets_the_base_files_mode(store_path: Path) -> None:
    os.chmod(store_path, 0o640)
    lock(store_path)
    assert stat.S_IMODE(journal_file(store_path).stat().st_mode) == 0o640


def test_a_read_only_journal_is_refused_before_anything_changes(store_path: Path) -> None:
    lock(store_path)
    os.chmod(journal_file(store_path), 0o444)
    before = journal_file(store_path).read_bytes()
    with pytest.raises(StoreError) as caught:
        lock(store_path, locked=False)
    assert caught.value.error_id == "StoreReadOnly" and str(journal_file(store_path)) in caught.value.message
    assert journal_file(store_path).read_bytes() == before and is_locked(store_path)


def test_load_state_merges_base_and_journal(store_path: Path) -> None:
    lock(store_path)
    state = storage.load_state(str(store_path))
    assert any(u["DisplayName"] == KEN and u["IsLockedOut"] for u in state["users"].values())

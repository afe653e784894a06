"""What keeps the store fast at 100,000 users, checked by what it does (never by timing):
lazy records, scanned then indexed identities, O(changed) TinyDB operations and journal records."""
from __future__ import annotations

from pathlib import Path

import pytest

from csshell.store import journal, open_store, schema, storage
from csshell.store.identity import SCANS_BEFORE_BUILDING, IdentityIndex, _scan
from csshell.store.storage import DurableStorage


def user(i: int, **fields) -> dict:
    doc = {"DisplayName": f"User {i % 7}", "SamAccountName": f"u{i}", "Domain": "litwareinc",
           "UserPrincipalName": f"u{i}@litwareinc.com", "SipAddress": f"sip:u{i}@litwareinc.com",
           "DistinguishedName": f"CN=User {i},OU=Sales,DC=litwareinc,DC=com", "IsLockedOut": False}
    doc.update(fields)
    return doc


@pytest.fixture
def big_store(tmp_path: Path) -> Path:
    """2,000 users written directly (no PIN hashing), display names shared seven ways."""
    path = tmp_path / "store.json"
    data = schema.new_document({"identity": "Global"})
    data[schema.USERS] = {str(i): user(i) for i in range(1, 2001)}
    path.write_bytes(storage.new_store_bytes(data))
    return path


FORMS = ["User 3", "user 3", "  USER 3 ", "sip:u17@litwareinc.com", "u17@litwareinc.com", "U17@LITWAREINC.COM",
         "litwareinc\\u17", "LitwareInc\\U17", "CN=User 17,OU=Sales,DC=litwareinc,DC=com",
         "cn=user 17, ou=sales, dc=litwareinc, dc=com", "nobody", "u17", "sip:", "a\\b\\c", "=", "User 3\x00"]


def both_ways(documents: dict, text: str) -> tuple[list[int] | None, list[int]]:
    built = IdentityIndex.of_documents(documents)
    built._scans_left = 0
    return _scan(documents, text.strip().lower()), built.lookup(text)


@pytest.mark.parametrize("text", FORMS)
def test_the_scan_finds_what_the_index_finds(text: str) -> None:
    documents = {str(i): user(i) for i in range(1, 60)}
    scanned, indexed = both_ways(documents, text)
    assert scanned == indexed


def test_odd_documents_fall_back_to_the_index_with_the_same_answers() -> None:
    documents = {str(i): user(i) for i in range(1, 30)}
    documents["5"] = user(5, SipAddress=None)                    # not text: the scan gives up
    documents["6"] = user(6, DistinguishedName="CN=User 6 , OU=Sales,DC=litwareinc,DC=com")
    documents["7"] = user(7, UserPrincipalName=" u7@litwareinc.com ")
    for text in ["sip:u5@litwareinc.com", "CN=User 6,OU=Sales,DC=litwareinc,DC=com", "u7@litwareinc.com",
                 "User 5"]:
        scanned, indexed = both_ways(documents, text)
        assert scanned is None or scanned == indexed
        assert IdentityIndex(_records(documents)).lookup(text) == indexed
    assert both_ways(documents, "CN=User 6,OU=Sales,DC=litwareinc,DC=com")[1] == [6]
    assert both_ways(documents, "u7@litwareinc.com")[1] == [7]


def _records(documents: dict) -> list:
    from csshell.store.records import UserRecord
    return [UserRecord(int(k), v) for k, v in documents.items()]


def test_a_one_liner_builds_neither_the_index_nor_every_record(big_store: Path) -> None:
    store = open_store(str(big_store))
    directory = store.directory
    target = directory.resolve_one("litwareinc\\u1500")
    directory.lock_pin(target)
    cache = directory._cache
    assert cache.index._source is not None                       # still scanning, nothing built
    assert len(cache.records._made) <= 2                         # the one user, not 2,000 records
    for _ in range(SCANS_BEFORE_BUILDING):
        directory.resolve("User 1")
    assert cache.index._source is None and len(directory.resolve("User 1")) == 286
    store.close()


def test_a_pin_change_updates_the_cache_in_place(big_store: Path) -> None:
    store = open_store(str(big_store))
    directory = store.directory
    users = directory.users()
    for _ in range(SCANS_BEFORE_BUILDING + 1):
        directory.resolve("User 2")
    maps, generation = directory._cache.index._maps, store.generation
    directory.lock_pin(users[10])
    assert directory._cache.index._maps is maps and store.generation == generation
    assert directory.resolve_one("sip:u11@litwareinc.com").is_locked_out
    assert directory._records[11] is not users[10]               # a fresh snapshot replaced the old one
    store.close()


def test_one_change_touches_and_journals_one_document(big_store: Path, monkeypatch) -> None:
    touched: list[tuple[str, str]] = []
    real_changed = DurableStorage.document_changed
    monkeypatch.setattr(DurableStorage, "document_changed",
                        lambda self, table, key, old, new, fields=None: (
                            touched.append((table, key)), real_changed(self, table, key, old, new, fields)))
    store = open_store(str(big_store))
    store.directory.lock_pin(store.directory.resolve_one("u42@litwareinc.com"))
    store.close()
    assert [table for table, _ in touched] == ["users", "audit"]   # the user's update and the audit insert
    [record] = journal.read(journal.journal_path(str(big_store)), None).tail.records
    assert list(record[journal.PATCHES]["users"]) == ["42"] and len(record["audit"]) == 1
    assert "users" not in record                                 # the user as a patch of one field


def test_a_statement_reads_the_disk_once(big_store: Path, monkeypatch) -> None:
    store = open_store(str(big_store))
    calls: list[bool] = []
    real = storage.DurableStorage.sync
    monkeypatch.setattr(storage.DurableStorage, "sync", lambda self, strict=False: (calls.append(strict),
                                                                                    real(self, strict))[1])
    with store.statement():
        for user_ in store.directory.users()[:50]:
            store.directory.pin_info(store.directory.resolve_one(user_.sip_address))
    assert calls == [False]
    with store.statement():
        store.directory.lock_pin(store.directory.resolve_one("u7@litwareinc.com"))
    assert calls == [False, False, True]                         # the change re-checks under the lock
    store.close()


def test_completion_from_documents_matches_completion_from_records(big_store: Path) -> None:
    store = open_store(str(big_store))
    directory = store.directory
    assert directory.complete("user") == [f"User {i}" for i in range(7)]
    assert directory.complete("sip:u100") == sorted(["sip:u100@litwareinc.com"] +
                                                    [f"sip:u100{d}@litwareinc.com" for d in range(10)])
    other = open_store(str(big_store))
    with other.statement(), other.change():
        other.table(schema.USERS).update({"DisplayName": "Zed Zulu"}, doc_ids=[3])
    other.close()
    assert directory.complete("zed") == ["Zed Zulu"]             # a changed name reaches the completion
    store.close()

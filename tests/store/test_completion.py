"""Identity completion (Tab after -Identity): display names and sip: addresses by prefix."""
from __future__ import annotations

from pathlib import Path

from csshell.store import identity, open_store
from csshell.store.identity import CompletionIndex
from csshell.store.importer import UserSeed
from csshell.store.records import UserRecord


def test_prefix_is_case_insensitive_and_sorted(store) -> None:
    assert store.directory.complete("ken m") == ["Ken Myer", "Ken Myers", "Ken Myerson"]
    assert store.directory.complete("SIP:KENMYER") == ["sip:kenmyer@litwareinc.com",
                                                       "sip:kenmyers@litwareinc.com",
                                                       "sip:kenmyerson@litwareinc.com"]


def test_shared_display_name_is_offered_once(store) -> None:
    assert store.directory.complete("Chris C") == ["Chris Cannon"]


def test_users_not_enabled_are_not_offered(store) -> None:
    assert store.directory.complete("Building") == []


def test_limit_and_no_match(store) -> None:
    assert len(store.directory.complete("", limit=5)) == 5
    assert store.directory.complete("k", limit=2) == ["Ken Myer", "Ken Myers"]
    assert store.directory.complete("zzz") == []


def test_index_is_built_once_and_rebuilt_after_an_import(store, monkeypatch) -> None:
    builds: list[int] = []
    real = identity.CompletionIndex.__init__

    def counting(self, users):
        builds.append(1)
        real(self, users)

    monkeypatch.setattr(identity.CompletionIndex, "__init__", counting)
    store.directory.complete("Ken")
    store.directory.complete("Chris")
    assert len(builds) == 1
    seed = UserSeed(2, {"DisplayName": "Zoe Quinn", "SamAccountName": "zquinn", "Domain": "litwareinc",
                        "UserPrincipalName": "zquinn@litwareinc.com", "SipAddress": "sip:zquinn@litwareinc.com",
                        "DistinguishedName": "CN=Zoe Quinn,DC=litwareinc,DC=com"}, None)
    store.directory.import_users([seed], "test")
    assert store.directory.complete("Ken") == [] and store.directory.complete("zoe") == ["Zoe Quinn"]
    assert len(builds) == 2


def test_sees_another_process_change(store, store_path: Path) -> None:
    other = open_store(str(store_path))
    seed = UserSeed(2, {"DisplayName": "Ken Adams", "SamAccountName": "kadams", "Domain": "litwareinc",
                        "UserPrincipalName": "kadams@litwareinc.com", "SipAddress": "sip:kadams@litwareinc.com",
                        "DistinguishedName": "CN=Ken Adams,DC=litwareinc,DC=com"}, None)
    store.directory.complete("Ken")
    other.directory.import_users([seed], "elsewhere")
    other.close()
    assert store.directory.complete("Ken") == ["Ken Adams"]


def hundred_thousand_users() -> list[UserRecord]:
    return [UserRecord(i, {"DisplayName": f"User {i:06d}", "SipAddress": f"sip:user{i:06d}@litwareinc.com"})
            for i in range(100_000)]


def test_hundred_thousand_users_three_letter_prefix() -> None:
    index = CompletionIndex(hundred_thousand_users())
    found = index.complete("use")
    assert found == [f"User {i:06d}" for i in range(50)]           # capped at the default limit
    assert index.complete("sip:user09999") == [f"sip:user09999{d}@litwareinc.com" for d in range(10)]
    assert index.complete("User 099999") == ["User 099999"]


def test_lookup_does_not_walk_every_name() -> None:
    """Bisection: a prefix look-up compares a handful of keys, not all 200,000."""
    index = CompletionIndex(hundred_thousand_users())
    compared = CountingKeys(index._keys)
    index._keys = compared
    assert index.complete("User 05", limit=3) == ["User 050000", "User 050001", "User 050002"]
    assert compared.reads < 100


class CountingKeys(list):
    """A list that counts element reads (what bisect and the collecting loop do)."""

    def __init__(self, items: list[str]) -> None:
        super().__init__(items)
        self.reads = 0

    def __getitem__(self, i):
        self.reads += 1
        return super().__getitem__(i)

"""Identity resolution: the five forms, case-insensitivity, wildcards and shared display names."""
from __future__ import annotations

import pytest

from csshell.store.errors import AmbiguousIdentity, IdentityNotFound
from csshell.runtime.values import PSObject

KEN_FORMS = ["sip:kenmyer@litwareinc.com", "kenmyer@litwareinc.com", "litwareinc\\kenmyer", "Ken Myer",
             "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com"]


@pytest.mark.parametrize("form", KEN_FORMS)
def test_every_identity_form_resolves_to_the_same_user(store, form: str) -> None:
    assert store.directory.resolve_one(form).sip_address == "sip:kenmyer@litwareinc.com"


@pytest.mark.parametrize("form", [f.upper() for f in KEN_FORMS] + ["SIP:KenMyer@LitwareInc.com",
                                                                    "cn=ken myer, ou=redmond, dc=litwareinc, dc=com"])
def test_identity_matching_is_case_insensitive(store, form: str) -> None:
    assert store.directory.resolve_one(form).display_name == "Ken Myer"


def test_upn_different_from_sip_address(store) -> None:
    user = store.directory.resolve_one("pilar.ackerman@corp.litwareinc.com")
    assert user.sip_address == "sip:pilar@litwareinc.com"
    assert store.directory.resolve_one("pilar@litwareinc.com").doc_id == user.doc_id


def test_unknown_identity_is_not_found(store) -> None:
    assert store.directory.resolve("Nobody Atall") == []
    with pytest.raises(IdentityNotFound) as info:
        store.directory.resolve_one("Nobody Atall")
    assert str(info.value) == 'Management object not found for identity "Nobody Atall".'


def test_sam_account_name_alone_is_not_an_identity(store) -> None:
    assert store.directory.resolve("kenmyer") == []


def test_user_not_enabled_is_not_found_by_pin_lookups(store) -> None:
    assert store.directory.resolve("Building 14 Lobby") == []
    assert [u.display_name for u in store.directory.resolve("Building 14 Lobby", enabled_only=False)] == \
        ["Building 14 Lobby"]


def test_shared_display_name_is_ambiguous(store) -> None:
    assert len(store.directory.resolve("Chris Cannon")) == 2
    with pytest.raises(AmbiguousIdentity) as info:
        store.directory.resolve_one("chris cannon")
    assert info.value.sip_addresses == ["sip:chris.cannon@litwareinc.com", "sip:chris.cannon2@litwareinc.com"]
    assert 'identity "chris cannon"' in str(info.value)


@pytest.mark.parametrize("pattern, names", [
    ("Ken Myer*", ["Ken Myer", "Ken Myers", "Ken Myerson"]),
    ("pilar*", ["Pilar Ackerman"]),
    ("* Cannon", ["Chris Cannon", "Chris Cannon"]),
    ("*an*aka*", ["Yuki Tanaka"]),
    ("Zed*", []),
])
def test_wildcards_match_display_names(store, pattern: str, names: list[str]) -> None:
    assert sorted(u.display_name for u in store.directory.resolve(pattern)) == names


def test_wildcard_is_only_for_display_names(store) -> None:
    assert store.directory.resolve("sip:ken*") == []
    assert store.directory.resolve("Ken Myer?") == []          # only * is a wildcard in identities


def test_wildcard_target_list_and_not_found(store) -> None:
    assert len(store.directory.resolve_targets("Ken*")) == 3
    with pytest.raises(IdentityNotFound):
        store.directory.resolve_targets("Zed*")


def test_piped_objects_resolve_by_sip_address_or_identity(store) -> None:
    cs_user = PSObject([("Identity", "CN=Chris Cannon,OU=Sales,DC=litwareinc,DC=com"),
                        ("SipAddress", "sip:chris.cannon2@litwareinc.com")])
    pin_info = PSObject([("Identity", "sip:chris.cannon@litwareinc.com"), ("IsPinSet", True)])
    assert store.directory.resolve_one(cs_user).get("SamAccountName") == "ccannon2"
    assert store.directory.resolve_one(pin_info).get("SamAccountName") == "ccannon"


def test_distinguished_name_tells_same_display_names_apart(store) -> None:
    user = store.directory.resolve_one("CN=Chris Cannon,OU=Sales,DC=litwareinc,DC=com")
    assert user.sip_address == "sip:chris.cannon2@litwareinc.com"


@pytest.mark.parametrize("text", ["OU=Finance,DC=litwareinc,DC=com", "cn=Users, dc=litwareinc, dc=com",
                                  "OU=R\\,D,DC=litwareinc,DC=com", "1.2.840.113556.1.4.1=x"])
def test_distinguished_names_are_recognised(text: str) -> None:
    from csshell.store.identity import is_distinguished_name
    assert is_distinguished_name(text)


@pytest.mark.parametrize("text", ["garbage", "", "Finance", "OU=", "=Finance", "OU=Finance,,DC=com",
                                  "OU=Finance,DC", "O U=Finance"])
def test_non_distinguished_names_are_refused(text: str) -> None:
    from csshell.store.identity import is_distinguished_name
    assert not is_distinguished_name(text)


def test_query_with_an_ou_that_is_not_a_dn_is_an_error(store) -> None:
    from csshell.store.errors import InvalidOrganizationalUnit
    with pytest.raises(InvalidOrganizationalUnit) as caught:
        store.directory.query(ou="garbage")
    assert caught.value.error_id == "CannotConvertArgumentNoMessage" and caught.value.category == "InvalidArgument"
    assert caught.value.message.startswith("Cannot bind parameter 'OU'. Cannot convert value \"garbage\" to "
                                           "type \"Microsoft.Rtc.Management.AD.OUIdParameter\".")


def test_query_with_an_ou_that_does_not_exist_returns_nothing(store) -> None:
    assert store.directory.query(ou="OU=Nowhere,DC=litwareinc,DC=com") == []

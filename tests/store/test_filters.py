"""-Filter (OPATH text) and -LdapFilter parsing and evaluation, and -OU scoping."""
from __future__ import annotations

import pytest

from csshell.store.errors import FilterError
from csshell.store.filters import compile_filter
from csshell.store.ldap import compile_ldap_filter

PROPS = ["DisplayName", "EnterpriseVoiceEnabled", "PinPolicy", "Title"]
KEN = {"displayname": "Ken Myer", "enterprisevoiceenabled": True, "pinpolicy": None, "title": "Engineer"}
LISA = {"displayname": "Lisa Jacobson", "enterprisevoiceenabled": False, "pinpolicy": "Strict",
        "title": "Accountant"}


@pytest.mark.parametrize("text, ken, lisa", [
    ('DisplayName -eq "Ken Myer"', True, False),
    ("DisplayName -eq 'ken myer'", True, False),
    ("DisplayName -ne 'Ken Myer'", False, True),
    ("EnterpriseVoiceEnabled -eq $True", True, False),
    ("EnterpriseVoiceEnabled -eq $false", False, True),
    ("EnterpriseVoiceEnabled -eq 'True'", True, False),
    ("PinPolicy -eq $Null", True, False),
    ("PinPolicy -ne $null", False, True),
    ("PinPolicy -eq Strict", False, True),
    ("DisplayName -like 'Ken*'", True, False),
    ("DisplayName -notlike '*son'", True, False),
    ("DisplayName -like 'L?sa *'", False, True),
    ("Title -eq Engineer -or Title -eq Accountant", True, True),
    ("Title -eq Engineer -and EnterpriseVoiceEnabled -eq $False", False, False),
    ("-not (Title -eq Engineer)", False, True),
    ("!(Title -eq Engineer)", False, True),
    ("(Title -eq Engineer -or Title -eq Accountant) -and -not PinPolicy -eq $null", False, True),
    ("title -IEQ 'ENGINEER'", True, False),
    ('DisplayName -eq "Ken ""The"" Myer"', False, False),
])
def test_opath_filters(text: str, ken: bool, lisa: bool) -> None:
    predicate = compile_filter(text, PROPS)
    assert (predicate(KEN), predicate(LISA)) == (ken, lisa)


@pytest.mark.parametrize("text, problem", [
    ("", "empty"),
    ("DisplayName", "ends too early"),
    ("DisplayName -gt 5", "not a supported operator"),
    ("Colour -eq 'red'", "'Colour' is not a property"),
    ("(DisplayName -eq 'x'", "missing ')'"),
    ("DisplayName -eq 'x' extra", "unexpected 'extra'"),
    ("DisplayName -eq $name", "variable '$name'"),
    ('DisplayName -eq "unterminated', "unexpected character"),
    ("DisplayName -eq 'x' -and", "ends too early"),
])
def test_bad_opath_filters_name_the_problem(text: str, problem: str) -> None:
    with pytest.raises(FilterError) as info:
        compile_filter(text, PROPS)
    assert problem in str(info.value) and str(info.value).startswith("Invalid filter")


def test_opath_variables_use_the_resolver() -> None:
    predicate = compile_filter("DisplayName -eq $who", PROPS, resolve_variable=lambda n: {"who": "Ken Myer"}[n])
    assert predicate(KEN) and not predicate(LISA)


DOC = {"DisplayName": "Ken Myer", "Title": "Engineer", "Department": "Research", "City": "Redmond",
       "SamAccountName": "kenmyer", "LastName": "Myer", "SipAddress": "sip:kenmyer@litwareinc.com",
       "EnterpriseVoiceEnabled": True, "LineURI": None}


@pytest.mark.parametrize("text, expected", [
    ("Title=Engineer", True),
    ("title=engineer", True),
    ("(Title=Manager)", False),
    ("l=Redmond", True),
    ("&(Department=Research)(Title=Engineer)", True),
    ("(&(Department=Research)(Title=Manager))", False),
    ("|(Title=Supervisor)(Title=Engineer)", True),
    ("!(l=Seattle)", True),
    ("sn=My*", True),
    ("displayName=*Myer", True),
    ("sAMAccountName=kenmyer", True),
    ("LineURI=*", False),
    ("msRTCSIP-PrimaryUserAddress=*", True),
    ("msRTCSIP-UserEnabled=TRUE", True),
    ("objectClass=user", True),
    ("noSuchAttribute=x", False),
    ("cn=Ken\\20Myer", True),
    ("  &  (Title=Engineer) (l=Redmond) ", True),
])
def test_ldap_filters(text: str, expected: bool) -> None:
    assert compile_ldap_filter(text)(DOC) is expected


@pytest.mark.parametrize("text, problem", [
    ("", "empty"), ("Title", "attribute=value"), ("(Title=Manager", "missing ')'"),
    ("&", "at least one"), ("Title>=M", "'>=' operator"), ("(Title=x))", "unexpected ')'"),
    ("cn=a\\zz", "two hexadecimal digits"),
])
def test_bad_ldap_filters(text: str, problem: str) -> None:
    with pytest.raises(FilterError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        compile_ldap_filter(text)


def test_directory_query_combines_filters(store) -> None:
    names = lambda users: sorted(u.display_name for u in users)   # noqa: E731
    d = store.directory
    assert names(d.query(opath='DisplayName -eq "Ken Myer"')) == ["Ken Myer"]
    assert names(d.query(ldap="Title=Manager")) == ["Henrik Larsen", "Jonathan Haas", "Mariana Ortega",
                                                    "Pilar Ackerman"]
    assert len(d.query(ou="OU=Finance,DC=litwareinc,DC=com")) == 5
    assert len(d.query(ou="ou=finance, dc=litwareinc, dc=com")) == 5
    assert len(d.query(ou="DC=litwareinc,DC=com")) == 18               # child OUs included
    assert d.query(ou="OU=Fin,DC=litwareinc,DC=com") == []             # no partial-name match
    assert names(d.query(identity="Ken Myer*", ldap="l=Redmond")) == ["Ken Myer", "Ken Myers"]
    assert names(d.query(opath="EnterpriseVoiceEnabled -eq $False", ou="OU=Sales,DC=litwareinc,DC=com")) == \
        ["Tomasz Nowak"]
    assert len(d.query(enabled_only=False, ad_view=True, opath="Enabled -eq $false")) == 2

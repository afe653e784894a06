"""Get-CsUser and Get-CsAdUser: identities, -Filter, -LdapFilter, -OU, -ResultSize, output shape."""
from __future__ import annotations

import pytest

from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.errors import PSError
from csshell.runtime.values import ScriptBlock

from test_sfb_support import FakeSession, run, seeded_file, session, store_path  # noqa: F401


def names(ctx) -> list[str]:
    return sorted(o.get("DisplayName") for o in ctx.output)


def test_declaration() -> None:
    cls = find_cmdlet("Get-CsUser")
    identity = cls.declared["identity"]
    assert (identity.position, identity.mandatory, identity.from_pipeline) == (0, False, True)
    assert cls.declared["filter"].sets == ("Filter",) and cls.declared["ldapfilter"].sets == ("LdapFilter",)
    assert {"ou", "resultsize", "domaincontroller", "credential", "unassigneduser", "onlyncserver",
            "onmodernserver", "onofficecommunicationserver"} <= set(cls.declared)


def test_only_enabled_users_by_default(session) -> None:
    ctx = run(session, "Get-CsUser")
    assert len(ctx.output) == 18
    assert "Building 14 Lobby" not in names(ctx)


def test_output_object_shape(session) -> None:
    [ken] = run(session, "Get-CsUser", Identity="Ken Myer").output
    assert ken.type_names == ["Microsoft.Rtc.Management.ADConnect.Schema.ADUser",
                              "Microsoft.Rtc.Management.ADConnect.Schema.OCSUserOrAppContact"]
    props = ken.names()
    assert props[0] == "Identity" and ken.get("Identity") == "CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com"
    order = ["PinPolicy", "RegistrarPool", "Enabled", "SipAddress", "LineURI", "EnterpriseVoiceEnabled",
             "DisplayName", "SamAccountName", "UserPrincipalName"]
    assert [p for p in props if p in order] == order
    assert ken.get("PinPolicy") is None and ken.get("Enabled") is True
    assert ken.get("SipAddress") == "sip:kenmyer@litwareinc.com" and ken.get("LineURI") == "tel:+14255550100"
    assert ken.get("Title") == "Engineer" and "Title" not in ken.display


def test_shared_display_name_returns_all(session) -> None:
    assert len(run(session, "Get-CsUser", Identity="Chris Cannon").output) == 2


def test_wildcard_identity(session) -> None:
    ctx = run(session, "Get-CsUser", Identity="Ken Myer*")
    assert names(ctx) == ["Ken Myer", "Ken Myers", "Ken Myerson"]
    assert run(session, "Get-CsUser", Identity="Nobody*").errors == []


def test_not_found_identity(session) -> None:
    ctx = run(session, "Get-CsUser", Identity="Nobody Atall")
    assert ctx.output == [] and ctx.errors[0].message == 'Management object not found for identity "Nobody Atall".'


def test_filter_text_from_script_block(session) -> None:
    assert names(run(session, "Get-CsUser", Filter='DisplayName -eq "Ken Myer"')) == ["Ken Myer"]
    block = ScriptBlock('DisplayName -eq "Ken Myer"', None)
    assert names(run(session, "Get-CsUser", Filter=block)) == ["Ken Myer"]
    assert len(run(session, "Get-CsUser", Filter="EnterpriseVoiceEnabled -eq $True").output) == 11
    assert len(run(session, "Get-CsUser", Filter="PinPolicy -eq $Null").output) == 18


def test_filter_with_session_variable(session) -> None:
    session._variables["who"] = "Lisa Jacobson"
    assert names(run(session, "Get-CsUser", Filter="DisplayName -eq $who")) == ["Lisa Jacobson"]


def test_bad_filter_is_a_terminating_error_record(session) -> None:
    with pytest.raises(PSError) as info:
        run(session, "Get-CsUser", Filter="Colour -eq 'red'")
    record = info.value.record
    assert record.error_id == "InvalidFilter" and record.category == "InvalidArgument"
    assert "'Colour' is not a property" in record.message


def test_ldap_filter_and_ou(session) -> None:
    assert names(run(session, "Get-CsUser", LdapFilter="Title=Manager")) == [
        "Henrik Larsen", "Jonathan Haas", "Mariana Ortega", "Pilar Ackerman"]
    assert len(run(session, "Get-CsUser", OU="OU=Finance,DC=litwareinc,DC=com").output) == 5
    assert names(run(session, "Get-CsUser", LdapFilter="|(l=Chicago)(l=Dallas)", OU="OU=Sales,DC=litwareinc,DC=com",
                     Filter=None)) == ["Amara Okafor", "Chris Cannon", "Ken Myerson", "Mariana Ortega",
                                       "Omar Haddad", "Tomasz Nowak"]
    with pytest.raises(PSError) as info:
        run(session, "Get-CsUser", LdapFilter="Title>=M")
    assert info.value.record.error_id == "InvalidFilter"


def test_filter_and_ldap_filter_are_exclusive(session) -> None:
    with pytest.raises(PSError) as info:
        run(session, "Get-CsUser", Filter="Title -eq 'x'", LdapFilter="Title=x")
    assert info.value.record.error_id == "AmbiguousParameterSet"


@pytest.mark.parametrize("size, count", [(0, 0), (3, 3), ("2", 2), (500, 18), ("Unlimited", 18)])
def test_result_size(session, size, count) -> None:
    assert len(run(session, "Get-CsUser", ResultSize=size).output) == count


@pytest.mark.parametrize("size", [-1, "lots", 2 ** 31])
def test_bad_result_size(session, size) -> None:
    with pytest.raises(PSError) as info:
        run(session, "Get-CsUser", ResultSize=size)
    assert "ResultSize" in info.value.record.message


def test_server_switches(session) -> None:
    assert run(session, "Get-CsUser", OnOfficeCommunicationServer=True).output == []
    assert len(run(session, "Get-CsUser", OnModernServer=True).output) == 18
    assert run(session, "Get-CsUser", UnAssignedUser=True).output == []


def test_get_csaduser_includes_users_not_enabled(session) -> None:
    ctx = run(session, "Get-CsAdUser")
    assert len(ctx.output) == 20
    [lobby] = run(session, "Get-CsAdUser", Identity="Building 14 Lobby").output
    assert lobby.type_names == ["Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser"]
    assert lobby.get("Enabled") is False and lobby.get("SipAddress") is None
    assert lobby.get("Department") == "Facilities"
    assert names(run(session, "Get-CsAdUser", Filter="Enabled -eq $false")) == ["Building 14 Lobby",
                                                                               "Temp Contractor"]


def test_ou_that_is_not_a_dn_is_a_terminating_binding_error_in_the_engine(store_path, tmp_path) -> None:
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    from csshell.store import open_store

    host = BufferHost()
    engine = Engine(host, lambda: open_store(str(store_path), lock_timeout=2), cwd=str(tmp_path))
    try:
        engine.run_command_text('Get-CsUser -OU garbage; "after"')
    finally:
        engine.close()
    assert host.stdout.split() == ["after"]
    assert host.stderr.startswith("Get-CsUser : Cannot bind parameter 'OU'. Cannot convert value \"garbage\" to "
                                  "type \"Microsoft.Rtc.Management.AD.OUIdParameter\". Error: \"The value "
                                  "\"garbage\" is not a distinguished name.")
    assert "+ CategoryInfo          : InvalidArgument: (:) [Get-CsUser]" in host.stderr
    assert "CannotConvertArgumentNoMessage,Microsoft.Rtc.Management.AD.Cmdlets.GetOcsUserCmdlet" in host.stderr
    assert "Traceback" not in host.stderr

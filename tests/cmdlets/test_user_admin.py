"""Enable-CsUser, Disable-CsUser and Set-CsUser (docs/user-admin.md), through a real engine."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

from csshell.runtime.cmdlet import find_cmdlet
from csshell.store.records import UserRecord
from csshell.store.user_admin import (
    UserAdminError,
    check_address_request,
    check_fqdn,
    check_line_uri,
    check_sip_address,
    generate_sip_address,
)
from engine_support import engine_runner


class Shell:
    """Runs text on a copy of the seeded store; ``users()`` reads the store as it is now."""

    def __init__(self, tmp_path: Path) -> None:
        self.run, self.engine = engine_runner(tmp_path)

    @property
    def directory(self) -> Any:
        return self.engine.session.store.directory

    def user(self, identity: str) -> UserRecord:
        return self.directory.resolve_one(identity, enabled_only=False)

    def audit(self) -> list[tuple[str, str, str | None]]:
        return [(e["action"], e["target"], e.get("detail")) for e in self.directory.audit_entries()]


@pytest.fixture
def shell(tmp_path: Path, seeded_store_file: Path) -> Iterator[Shell]:
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    shell = Shell(tmp_path)
    yield shell
    shell.engine.close()


def error_ids(err: str) -> list[str]:
    return re.findall(r"FullyQualifiedErrorId : ([^,\s]+)", err)


def categories(err: str) -> list[str]:
    return re.findall(r"CategoryInfo\s+: (\w+):", err)


ENABLE_TEMP = 'Enable-CsUser "Temp Contractor" -RegistrarPool pool02.litwareinc.com '


# --- declarations --------------------------------------------------------------------------------

def test_declarations_follow_the_product_syntax() -> None:
    enable, disable, set_user = (find_cmdlet(n) for n in ("Enable-CsUser", "Disable-CsUser", "Set-CsUser"))
    for cls in (enable, disable, set_user):
        identity = cls.declared["identity"]
        assert (identity.position, identity.mandatory, identity.from_pipeline, identity.from_pipeline_by_property) \
            == (0, True, True, True)
        assert cls.supports_should_process and not cls.extension and "passthru" in cls.declared
    assert {"registrarpool", "sipaddresstype", "sipdomain", "sipaddress", "hostingproviderproxyfqdn", "proxypool",
            "domaincontroller"} <= set(enable.declared)
    assert enable.declared["hostingproviderproxyfqdn"].aliases == ("HostingProvider",)
    assert {"lineuri", "enterprisevoiceenabled", "sipaddress", "enabled"} <= set(set_user.declared)
    assert set_user.declared["enabled"].aliases == ("CsEnabled",)


# --- Enable-CsUser -------------------------------------------------------------------------------

def test_enable_generates_the_address_from_the_sam_account_name(shell: Shell) -> None:
    out, err = shell.run(ENABLE_TEMP + "-SipAddressType SamAccountName -SipDomain litwareinc.com")
    assert (out, err) == ("", "")
    temp = shell.user("Temp Contractor")
    assert temp.sip_address == "sip:tempcontractor@litwareinc.com" and temp.get("RegistrarPool") == \
        "pool02.litwareinc.com"
    out, _ = shell.run('(Get-CsUser -Identity "sip:tempcontractor@litwareinc.com").DisplayName')
    assert out.strip() == "Temp Contractor"
    assert shell.audit()[-1] == ("Enable-CsUser", "sip:tempcontractor@litwareinc.com",
                                 "SipAddress=sip:tempcontractor@litwareinc.com; RegistrarPool=pool02.litwareinc.com")


def test_enable_every_user_not_yet_enabled_from_get_csaduser(shell: Shell) -> None:
    out, err = shell.run('Get-CsAdUser -Filter {Enabled -ne $True} | Enable-CsUser -RegistrarPool '
                         '"pool01.litwareinc.com" -SipAddressType SamAccountName -SipDomain litwareinc.com -PassThru '
                         '| ForEach-Object SipAddress')
    assert err == "" and out.split() == ["sip:b14lobby@litwareinc.com", "sip:tempcontractor@litwareinc.com"]
    out, _ = shell.run("(Get-CsUser).Count")
    assert out.strip() == "20"


@pytest.mark.parametrize(("address_type", "expected"), [
    ("FirstLastName", "sip:Temp.Contractor@litwareinc.com"),
    ("FirstNameLastName", "sip:TempContractor@litwareinc.com"),
    ("UserPrincipalName", "sip:tempcontractor@litwareinc.com"),
    ("EmailAddress", "sip:tempcontractor@litwareinc.com"),
    ("samaccountname", "sip:tempcontractor@litwareinc.com")])
def test_enable_address_types(shell: Shell, address_type: str, expected: str) -> None:
    _, err = shell.run(ENABLE_TEMP + f"-SipAddressType {address_type} -SipDomain litwareinc.com")
    assert err == "" and shell.user("Temp Contractor").sip_address == expected


def test_first_last_name_drops_spaces(shell: Shell) -> None:
    shell.run('Enable-CsUser "Building 14 Lobby" -SipAddressType FirstLastName -SipDomain litwareinc.com')
    assert shell.user("Building 14 Lobby").sip_address == "sip:Building14.Lobby@litwareinc.com"


def test_enable_with_a_given_address_keeps_it_and_lowers_the_prefix(shell: Shell) -> None:
    _, err = shell.run(ENABLE_TEMP + '-SipAddress "SIP:Temp.C@litwareinc.com"')
    assert err == "" and shell.user("Temp Contractor").sip_address == "sip:Temp.C@litwareinc.com"
    out, _ = shell.run('(Get-CsUser "temp.c@litwareinc.com").SamAccountName')
    assert out.strip() == "tempcontractor"


def test_enable_without_a_pool_leaves_the_user_unassigned(shell: Shell) -> None:
    shell.run('Enable-CsUser "Temp Contractor" -SipAddress sip:temp@litwareinc.com')
    out, _ = shell.run("Get-CsUser -UnAssignedUser | ForEach-Object DisplayName")
    assert out.split() == ["Temp", "Contractor"]


@pytest.mark.parametrize(("arguments", "error_id", "fragment"), [
    ("", "SipAddressRequired", "A SIP address is required"),
    ("-SipAddressType None", "SipAddressRequired", "A SIP address is required"),
    ("-SipAddress sip:t@litwareinc.com -SipAddressType UserPrincipalName", "SipAddressConflict",
     "cannot be used together"),
    ("-SipAddressType SamAccountName", "SipDomainRequired", "SipDomain parameter is required"),
    ("-SipAddressType FirstLastName", "SipDomainRequired", "SipDomain parameter is required"),
    ("-SipAddressType SamAccountName -SipDomain 'not a domain'", "CannotConvertArgumentNoMessage",
     "Cannot bind parameter 'SipDomain'"),
    ("-SipAddress temp@litwareinc.com", "InvalidSipAddress", 'It must start with "sip:"'),
    ("-SipAddress sip:no-at-sign", "InvalidSipAddress", "Cannot validate argument on parameter 'SipAddress'"),
    ("-SipAddress 'sip:a b@litwareinc.com'", "InvalidSipAddress", "not a valid SIP address"),
    ("-SipAddressType Nickname -SipDomain litwareinc.com", "ParameterArgumentValidationError",
     "does not belong to the set"),
])
def test_enable_parameter_errors_are_terminating_and_change_nothing(shell: Shell, arguments: str, error_id: str,
                                                                    fragment: str) -> None:
    before = shell.directory.audit_entries()
    out, err = shell.run(f'"Temp Contractor", "Building 14 Lobby" | Enable-CsUser {arguments}; "after"')
    assert error_ids(err) == [error_id] and fragment in err
    assert out.strip() == "after"              # the statement ended, the script goes on
    assert shell.directory.audit_entries() == before and not shell.user("Temp Contractor").enabled


def test_bad_registrar_pool_names_the_parameter(shell: Shell) -> None:
    _, err = shell.run('Enable-CsUser "Temp Contractor" -RegistrarPool "pool 01" -SipAddress sip:t@litwareinc.com')
    assert "Cannot bind parameter 'RegistrarPool'" in err and categories(err) == ["InvalidArgument"]
    assert not shell.user("Temp Contractor").enabled


def test_enabling_an_enabled_user_is_an_error_and_the_pipeline_goes_on(shell: Shell) -> None:
    _, err = shell.run('"Ken Myer", "Temp Contractor" | Enable-CsUser -SipAddressType SamAccountName '
                       '-SipDomain litwareinc.com')
    assert error_ids(err) == ["UserAlreadyEnabled"] and categories(err) == ["InvalidOperation"]
    assert 'The user "Ken Myer" (litwareinc\\kenmyer) is already enabled' in err
    assert shell.user("Ken Myer").sip_address == "sip:kenmyer@litwareinc.com"
    assert shell.user("Temp Contractor").sip_address == "sip:tempcontractor@litwareinc.com"


def test_sip_address_clash_is_refused_whatever_the_case(shell: Shell) -> None:
    _, err = shell.run(ENABLE_TEMP + '-SipAddress "sip:KENMYER@litwareinc.com"')
    assert error_ids(err) == ["SipAddressInUse"] and categories(err) == ["ResourceExists"]
    assert 'already assigned to "Ken Myer"' in err and not shell.user("Temp Contractor").enabled


def test_generated_clash_in_one_pipeline(shell: Shell) -> None:
    shell.run('Set-CsUser "Ken Myer" -SipAddress sip:tempcontractor@litwareinc.com')
    _, err = shell.run(ENABLE_TEMP + "-SipAddressType SamAccountName -SipDomain litwareinc.com")
    assert error_ids(err) == ["SipAddressInUse"]


def test_one_sip_address_cannot_go_to_several_users(shell: Shell) -> None:
    _, err = shell.run('Enable-CsUser "Ken Myer*" -SipAddress sip:x@litwareinc.com')
    assert error_ids(err) == ["SipAddressMultipleUsers"] and "names 3 users" in err
    assert shell.directory.resolve("sip:x@litwareinc.com", enabled_only=False) == []


def test_enable_unknown_user_is_not_found(shell: Shell) -> None:
    _, err = shell.run("Enable-CsUser Nobody -SipAddress sip:n@litwareinc.com")
    assert 'Management object not found for identity "Nobody".' in err and error_ids(err) == ["Identity"]


def test_enable_whatif_changes_nothing(shell: Shell) -> None:
    out, _ = shell.run(ENABLE_TEMP + "-SipAddress sip:t@litwareinc.com -WhatIf")
    assert out.strip() == 'What if: Performing the operation "Enable-CsUser" on target "Temp Contractor".'
    assert not shell.user("Temp Contractor").enabled


# --- Disable-CsUser ------------------------------------------------------------------------------

def test_disable_removes_every_skype_attribute_and_keeps_the_directory_ones(shell: Shell) -> None:
    ken = shell.user("Ken Myer")
    shell.directory.update_user(ken, {"PinLocalFailures": 3, "PinPolicy": "Strict"}, "test")
    out, err = shell.run('Disable-CsUser -Identity "Ken Myer"')
    assert (out, err) == ("", "")
    doc = shell.user("CN=Ken Myer,OU=Redmond,DC=litwareinc,DC=com").doc
    for name in ("SipAddress", "RegistrarPool", "LineURI", "PinPolicy", "PinHash", "LastPinChangeTime",
                 "PinLocalFailures"):
        assert doc.get(name) is None, name
    assert doc["EnterpriseVoiceEnabled"] is False and doc["IsPinSet"] is False and doc["IsLockedOut"] is False
    assert (doc["Title"], doc["UserPrincipalName"], doc["City"]) == ("Engineer", "kenmyer@litwareinc.com", "Redmond")
    _, err = shell.run('Get-CsUser "Ken Myer"')
    assert 'Management object not found for identity "Ken Myer".' in err
    out, _ = shell.run('Get-CsAdUser "Ken Myer" | ForEach-Object { $_.Enabled; $_.SipAddress -eq $null }')
    assert out.split() == ["False", "True"]
    assert shell.audit()[-1] == ("Disable-CsUser", "sip:kenmyer@litwareinc.com", None)


def test_disabled_user_enabled_again_starts_without_a_pin(shell: Shell) -> None:
    shell.run('Disable-CsUser "Ken Myer"; Enable-CsUser "Ken Myer" -SipAddressType SamAccountName '
              '-SipDomain litwareinc.com')
    out, err = shell.run('Get-CsClientPinInfo "Ken Myer" | ForEach-Object { $_.IsPinSet; $_.IsLockedOut }')
    assert err == "" and out.split() == ["False", "False"]


def test_disable_passthru_whatif_and_not_found(shell: Shell) -> None:
    out, _ = shell.run('Disable-CsUser "Ken Myer" -WhatIf')
    assert out.strip() == 'What if: Performing the operation "Disable-CsUser" on target "Ken Myer".'
    assert shell.user("Ken Myer").enabled
    out, _ = shell.run('Disable-CsUser "Ken Myer" -PassThru | ForEach-Object { $_.Enabled; $_.DisplayName }')
    assert out.split() == ["False", "Ken", "Myer"]
    _, err = shell.run('Disable-CsUser "Ken Myer"')
    assert 'Management object not found for identity "Ken Myer".' in err


def test_disable_a_department_from_the_pipeline(shell: Shell) -> None:
    count = '(Get-CsUser -LdapFilter "Department=Finance").Count; (Get-CsAdUser -LdapFilter "Department=Finance").Count'
    assert shell.run(count)[0].split() == ["5", "5"]
    shell.run('Get-CsUser -LdapFilter "Department=Finance" | Disable-CsUser')
    assert shell.run(count)[0].split() == ["0", "5"]


# --- Set-CsUser ----------------------------------------------------------------------------------

def test_set_line_uri_and_enterprise_voice(shell: Shell) -> None:
    out, err = shell.run('Set-CsUser "Pilar Ackerman" -LineURI "TEL:+14255551297;ext=51297" '
                         "-EnterpriseVoiceEnabled $False -PassThru | ForEach-Object { $_.LineURI; "
                         "$_.EnterpriseVoiceEnabled }")
    assert err == "" and out.split() == ["tel:+14255551297;ext=51297", "False"]
    assert shell.audit()[-1] == ("Set-CsUser", "sip:pilar@litwareinc.com",
                                 "LineURI=tel:+14255551297;ext=51297; EnterpriseVoiceEnabled=False")


@pytest.mark.parametrize("line_uri", ["555", "tel:abc", "+14255551297", "tel:+1425555129712345678",
                                      "tel:+14255551297;ext=", "tel:+14255551297;x=1", "sip:ken@litwareinc.com"])
def test_bad_line_uri_names_the_parameter_and_changes_nothing(shell: Shell, line_uri: str) -> None:
    _, err = shell.run(f'Get-CsUser "Ken Myer*" | Set-CsUser -LineURI "{line_uri}" -EnterpriseVoiceEnabled $False')
    assert "Cannot validate argument on parameter 'LineURI'." in err and error_ids(err) == ["InvalidLineURI"]
    assert categories(err) == ["InvalidArgument"]
    ken = shell.user("Ken Myer")
    assert ken.get("LineURI") == "tel:+14255550100" and ken.get("EnterpriseVoiceEnabled") is True


def test_line_uri_null_removes_and_a_used_one_is_refused(shell: Shell) -> None:
    _, err = shell.run('Set-CsUser "Pilar Ackerman" -LineURI "tel:+14255550100"')
    assert error_ids(err) == ["LineURIInUse"] and 'already assigned to "Ken Myer"' in err
    _, err = shell.run('Set-CsUser "Pilar Ackerman" -LineURI "tel:+14255550100;ext=100"')
    assert err == ""                          # with an extension it is another number
    shell.run('Set-CsUser "Ken Myer" -LineURI $null')
    assert shell.user("Ken Myer").get("LineURI") is None
    shell.run('Set-CsUser "Pilar Ackerman" -LineURI ""')
    assert shell.user("Pilar Ackerman").get("LineURI") is None


def test_set_sip_address_rebuilds_identities(shell: Shell) -> None:
    _, err = shell.run('Set-CsUser "Ken Myer" -SipAddress sip:ken.myer@litwareinc.com')
    assert err == ""
    out, err = shell.run('(Get-CsUser "ken.myer@litwareinc.com").DisplayName; Get-CsUser kenmyer@litwareinc.com '
                         '| ForEach-Object SipAddress')
    assert out.split() == ["Ken", "Myer", "sip:ken.myer@litwareinc.com"] and err == ""
    _, err = shell.run("Get-CsUser sip:kenmyer@litwareinc.com")
    assert "Management object not found" in err


@pytest.mark.parametrize(("arguments", "error_id"), [
    ("-SipAddress sip:pilar@litwareinc.com", "SipAddressInUse"),
    ("-SipAddress $null", "SipAddressRemoved"),
    ('-SipAddress ""', "SipAddressRemoved"),
    ("-SipAddress kenmyer@litwareinc.com", "InvalidSipAddress")])
def test_set_sip_address_errors(shell: Shell, arguments: str, error_id: str) -> None:
    _, err = shell.run(f'Set-CsUser "Ken Myer" {arguments}')
    assert error_ids(err) == [error_id]
    assert shell.user("Ken Myer").sip_address == "sip:kenmyer@litwareinc.com"


def test_set_sip_address_on_several_users_is_refused(shell: Shell) -> None:
    _, err = shell.run('Set-CsUser "Ken Myer*" -SipAddress sip:k@litwareinc.com')
    assert error_ids(err) == ["SipAddressMultipleUsers"] and "names 3 users" in err


def test_enabled_false_keeps_the_settings(shell: Shell) -> None:
    shell.run('Set-CsUser "Ken Myer" -Enabled $False')
    out, _ = shell.run('Get-CsUser -Filter {Enabled -eq $False} | ForEach-Object { $_.DisplayName; $_.LineURI }')
    assert out.split() == ["Ken", "Myer", "tel:+14255550100"]
    out, _ = shell.run('Get-CsClientPinInfo "Ken Myer" | ForEach-Object IsPinSet')
    assert out.strip() == "True"
    shell.run('Set-CsUser "Ken Myer" -CsEnabled $True')
    out, _ = shell.run('(Get-CsUser "Ken Myer").Enabled')
    assert out.strip() == "True"


def test_set_without_changes_does_nothing(shell: Shell) -> None:
    before = shell.directory.audit_entries()
    out, err = shell.run('Set-CsUser "Ken Myer" -WhatIf; Set-CsUser "Ken Myer" -PassThru')
    assert (out, err) == ("", "") and shell.directory.audit_entries() == before


def test_set_acts_only_on_enabled_users(shell: Shell) -> None:
    _, err = shell.run('Set-CsUser "Temp Contractor" -EnterpriseVoiceEnabled $True')
    assert 'Management object not found for identity "Temp Contractor".' in err


def test_set_from_the_pipeline_and_whatif(shell: Shell) -> None:
    out, _ = shell.run('Set-CsUser "Aidan Delaney" -EnterpriseVoiceEnabled $True -WhatIf')
    assert out.strip() == 'What if: Performing the operation "Set-CsUser" on target "Aidan Delaney".'
    shell.run('Get-CsUser -LdapFilter "Department=Finance" | Set-CsUser -EnterpriseVoiceEnabled $True')
    out, _ = shell.run('Get-CsUser -LdapFilter "Department=Finance" | Where-Object {-not $_.EnterpriseVoiceEnabled}')
    assert out.strip() == "" and shell.user("Aidan Delaney").get("EnterpriseVoiceEnabled") is False


# --- the rules without a shell -------------------------------------------------------------------

def _user(**doc: Any) -> UserRecord:
    base = {"DisplayName": "X Y", "SamAccountName": "xy", "Domain": "litwareinc", "UserPrincipalName": "xy@l.com",
            "DistinguishedName": "CN=X Y,DC=l,DC=com"}
    return UserRecord(1, {**base, **doc})


@pytest.mark.parametrize(("doc", "address_type", "fragment"), [
    ({"FirstName": ""}, "FirstLastName", "the user has no FirstName"),
    ({"FirstName": "X", "LastName": None}, "FirstNameLastName", "the user has no LastName"),
    ({"FirstName": "Zoë", "LastName": "Y"}, "FirstLastName", "is not a valid SIP address"),
    ({"UserPrincipalName": ""}, "UserPrincipalName", "the user has no UserPrincipalName"),
    ({"SamAccountName": "a b"}, "SamAccountName", "is not a valid SIP address"),
    ({}, "Nickname", "is not a SipAddressType")])
def test_address_generation_refusals(doc: dict[str, Any], address_type: str, fragment: str) -> None:
    with pytest.raises(UserAdminError) as info:
        generate_sip_address(_user(**doc), address_type, "litwareinc.com")
    assert fragment in info.value.message and info.value.parameter == "SipAddressType"


def test_email_address_prefers_a_mail_attribute() -> None:
    assert generate_sip_address(_user(Mail="x.y@mail.com"), "EmailAddress", None) == "sip:x.y@mail.com"
    assert generate_sip_address(_user(), "EmailAddress", None) == "sip:xy@l.com"


def test_value_checks() -> None:
    assert check_fqdn(" pool01.litwareinc.com ", "RegistrarPool") == "pool01.litwareinc.com"
    for bad in ("pool01", "-a.com", "a..com", "a_b.com", "a." + "b" * 64 + ".com", "x." * 127 + "com"):
        with pytest.raises(UserAdminError):
            check_fqdn(bad, "RegistrarPool")
    assert check_sip_address("Sip:a.b@c.d") == "sip:a.b@c.d"
    assert check_line_uri("Tel:5551234") == "tel:5551234"
    check_address_request("sip:a@b.c", "None", None)          # None means "no type"
    check_address_request(None, "EmailAddress", None)         # needs no SipDomain
    with pytest.raises(UserAdminError) as info:
        check_address_request(None, None, None)
    assert (info.value.error_id, info.value.parameter) == ("SipAddressRequired", "SipAddress")

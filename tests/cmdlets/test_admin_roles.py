"""Get-CsAdminRole, Get-CsAdminRoleAssignment and the account extensions (docs/roles.md), through a real engine;
the role matrix against the cmdlet registry; docs/roles.md against the data."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest

import cmdlets  # noqa: F401  (declares every cmdlet)
from cmdlets.adminroles import docs_tables
from cmdlets.host_io import SecureString
from csshell.runtime.cmdlet import REGISTRY, find_cmdlet
from csshell.store import roles
from csshell.store.roles import COMMON_CMDLETS, LOCAL_ONLY_CMDLETS, ROLE_NAMES
from engine_support import engine_runner

ROOT = Path(__file__).resolve().parents[2]
ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFYTKQ74Gt5NbPENebp0q4yU5D0PYrJfk/t13VTLMF/ me@host"
ED25519_FP = "SHA256:A4D9NfByyzIbDXP2cP4HgIO0deji0JA/Dflhh2CNmQM"


class Shell:
    def __init__(self, tmp_path: Path) -> None:
        self.run, self.engine = engine_runner(tmp_path)
        self.folder = tmp_path

    @property
    def directory(self) -> Any:
        return self.engine.session.store.directory

    def roles_of(self, sam: str) -> list[str]:
        return self.directory.admin_roles(sam)

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


# --- the matrix against the registry --------------------------------------------------------------

def registered() -> dict[str, bool]:
    """The shipped cmdlets (other tests register toy cmdlets of their own in the same registry)."""
    return {cls.name: cls.extension for cls in REGISTRY.values() if cls.__module__.startswith("cmdlets.")}


def test_administrator_holds_every_registered_cs_cmdlet() -> None:
    cs = {name for name in registered() if roles.is_cs_cmdlet(name)}
    assert set(roles.role_cmdlets("CsAdministrator")) == cs
    assert {"Enable-CsUser", "Get-CsAdminRole", "Grant-CsAdminRole", "Lock-CsClientPin"} <= cs


def test_every_role_names_only_registered_cmdlets() -> None:
    names = {cls.name for cls in REGISTRY.values()}
    for role in ROLE_NAMES:
        assert set(roles.role_cmdlets(role)) <= names
        assert roles.allowed_cmdlets([role]) <= names


def test_every_non_cs_cmdlet_is_classified_as_common_or_local_only() -> None:
    """A new language cmdlet must be put in COMMON_CMDLETS or LOCAL_ONLY_CMDLETS (csshell/store/roles.py) on purpose."""
    others = {name for name in registered() if not roles.is_cs_cmdlet(name)}
    assert others - COMMON_CMDLETS - LOCAL_ONLY_CMDLETS == set()
    assert (COMMON_CMDLETS | LOCAL_ONLY_CMDLETS) <= others


def test_extensions_are_for_administrators_only() -> None:
    extensions = {name for name, ext in registered().items() if ext}
    assert {"Grant-CsAdminRole", "Revoke-CsAdminRole", "Set-CsAdminCredential", "Get-CsAdminAccount",
            "Import-CsDirectory"} <= extensions
    for role in ROLE_NAMES[1:]:
        assert not set(roles.role_cmdlets(role)) & extensions


def test_new_cmdlets_declared_as_the_product_has_them() -> None:
    assert not find_cmdlet("Get-CsAdminRole").extension and not find_cmdlet("Get-CsAdminRoleAssignment").extension
    identity = find_cmdlet("Get-CsAdminRoleAssignment").declared["identity"]
    assert (identity.position, identity.mandatory, identity.from_pipeline) == (0, True, True)
    assert find_cmdlet("Get-CsAdminRole").parameter_sets() == ["Identity", "Filter"]
    for name in ("Grant-CsAdminRole", "Revoke-CsAdminRole", "Set-CsAdminCredential"):
        assert find_cmdlet(name).supports_should_process


def test_docs_roles_md_matches_the_data() -> None:
    """Refresh with `.venv/bin/python -m cmdlets.adminroles` (rewrites docs/roles.md) when a cmdlet or a rule changes."""
    text = (ROOT / "docs" / "roles.md").read_text(encoding="utf-8")
    block = text.split("<!-- roles-matrix:begin -->\n", 1)[1].split("\n<!-- roles-matrix:end -->", 1)[0]
    assert block == docs_tables()


# --- Get-CsAdminRole -----------------------------------------------------------------------------

def test_all_roles_with_their_properties(shell: Shell) -> None:
    out, err = shell.run("Get-CsAdminRole | ForEach-Object { $_.Identity + '|' + $_.IsStandardRole + '|' + "
                         "$_.GetType().FullName }")
    assert err == "" and out.split() == [f"{r}|True|Microsoft.Rtc.Management.WritableConfig.Settings.Roles.Role"
                                         for r in ROLE_NAMES]
    out, _ = shell.run("(Get-CsAdminRole CsHelpDesk).Description; (Get-CsAdminRole CsHelpDesk).UserScopes")
    assert "locking and unlocking dial-in PINs" in out and out.split()[-1] == "Global"


def test_expand_cmdlets_of_a_role(shell: Shell) -> None:
    out, err = shell.run('Get-CsAdminRole -Identity "CsHelpDesk" | Select-Object -ExpandProperty Cmdlets')
    assert err == "" and out.split() == roles.role_cmdlets("CsHelpDesk")
    assert {"Lock-CsClientPin", "Unlock-CsClientPin"} <= set(out.split()) and "Set-CsClientPin" not in out


@pytest.mark.parametrize(("pattern", "holders"), [
    ("Lock-CsClientPin", ["CsAdministrator", "CsUserAdministrator", "CsHelpDesk"]),
    ("Set-CsUser\\b", ["CsAdministrator", "CsUserAdministrator", "CsVoiceAdministrator"]),
    ("Enable-CsUser", ["CsAdministrator", "CsUserAdministrator"]),
    ("Grant-CsAdminRole", ["CsAdministrator"])])
def test_roles_holding_a_cmdlet(shell: Shell, pattern: str, holders: list[str]) -> None:
    out, err = shell.run(f'Get-CsAdminRole | Where-Object {{$_.Cmdlets -match "{pattern}"}} | ForEach-Object Identity')
    assert err == "" and out.split() == holders


def test_filter_identity_case_and_pipeline(shell: Shell) -> None:
    assert shell.run('Get-CsAdminRole -Filter "*Voice*" | ForEach-Object Identity')[0].split() == \
        ["CsVoiceAdministrator"]
    assert len(shell.run('Get-CsAdminRole -Filter "*admin*" | ForEach-Object Identity')[0].split()) == 5
    assert shell.run("(Get-CsAdminRole cshelpdesk).Identity")[0].strip() == "CsHelpDesk"
    out, _ = shell.run('"CsHelpDesk", "CsAdministrator" | Get-CsAdminRole | ForEach-Object Identity')
    assert out.split() == ["CsHelpDesk", "CsAdministrator"]


@pytest.mark.parametrize(("text", "error_id", "fragment"), [
    ("Get-CsAdminRole CsArchivingAdministrator", "RoleNotFound",
     'Management object not found for identity "CsArchivingAdministrator".'),
    ('Get-CsAdminRole "Cs*"', "WildcardNotAllowed", "Use the Filter parameter instead."),
    ('Get-CsAdminRole -Identity CsHelpDesk -Filter "*"', "AmbiguousParameterSet", "Parameter set cannot be resolved")])
def test_get_role_errors(shell: Shell, text: str, error_id: str, fragment: str) -> None:
    out, err = shell.run(text)
    assert out == "" and error_ids(err) == [error_id] and fragment in err


# --- Get-CsAdminRoleAssignment -------------------------------------------------------------------

def test_assignment_by_sam_account_name(shell: Shell) -> None:
    assert shell.run("Get-CsAdminRoleAssignment -Identity kenmyer") == ("", "")
    shell.run('Grant-CsAdminRole "Ken Myer" -Role CsHelpDesk, CsAdministrator')
    out, err = shell.run("Get-CsAdminRoleAssignment kenmyer; 'kenmyer' | Get-CsAdminRoleAssignment")
    assert err == "" and out.split() == ["CsAdministrator", "CsHelpDesk"] * 2
    out, _ = shell.run("Get-CsUser | ForEach-Object {Get-CsAdminRoleAssignment -Identity $_.SamAccountName}")
    assert out.split() == ["CsAdministrator", "CsHelpDesk"]
    out, _ = shell.run('(Get-CsAdminRoleAssignment kenmyer)[0].GetType().FullName')
    assert out.split()[0] == "System.String"


@pytest.mark.parametrize("identity", ["Ken Myer", "sip:kenmyer@litwareinc.com", "nobody"])
def test_assignment_takes_only_sam_account_names(shell: Shell, identity: str) -> None:
    shell.run('Grant-CsAdminRole "Ken Myer" -Role CsHelpDesk')
    out, err = shell.run(f'Get-CsAdminRoleAssignment "{identity}"')
    assert out == "" and f'Management object not found for identity "{identity}".' in err


def test_a_sam_account_name_in_two_domains_is_ambiguous(shell: Shell) -> None:
    myers = shell.directory.resolve_one("Ken Myers")
    shell.directory.update_user(myers, {"SamAccountName": "kenmyer", "Domain": "fabrikam"}, "test")
    _, err = shell.run("Get-CsAdminRoleAssignment kenmyer")
    assert error_ids(err) == ["AmbiguousIdentity"] and "litwareinc\\kenmyer, fabrikam\\kenmyer" in err
    _, err = shell.run("Grant-CsAdminRole kenmyer CsHelpDesk")
    assert error_ids(err) == ["AmbiguousIdentity"]
    _, err = shell.run("Grant-CsAdminRole fabrikam\\kenmyer CsHelpDesk")
    assert err == "" and shell.directory.admin_accounts.all()[0].logon == "fabrikam\\kenmyer"


# --- Grant-, Revoke-CsAdminRole --------------------------------------------------------------------

def test_grant_by_any_identity_form_and_from_the_pipeline(shell: Shell) -> None:
    shell.run("Grant-CsAdminRole -Identity kenmyer -Role CsHelpDesk")                  # SamAccountName
    shell.run('Grant-CsAdminRole "Temp Contractor" CsViewOnlyAdministrator')           # not enabled for SfB
    shell.run('Get-CsUser -OU "OU=Finance,DC=litwareinc,DC=com" | Grant-CsAdminRole -Role CsUserAdministrator')
    assert shell.roles_of("kenmyer") == ["CsHelpDesk"] and shell.roles_of("tempcontractor") == \
        ["CsViewOnlyAdministrator"]
    assert shell.roles_of("davidl") == ["CsUserAdministrator"] and shell.roles_of("ccannon") == ["CsUserAdministrator"]
    assert shell.audit()[-1][0] == "Grant-CsAdminRole"


def test_grant_again_warns_and_changes_nothing(shell: Shell) -> None:
    shell.run('Grant-CsAdminRole "Ken Myer" CsHelpDesk')
    before = shell.audit()
    out, err = shell.run('Grant-CsAdminRole "Ken Myer" cshelpdesk 3>&1')
    assert "WARNING: litwareinc\\kenmyer already holds the role CsHelpDesk." in out + err
    assert shell.audit() == before


def test_unknown_role_is_terminating_and_grants_nothing(shell: Shell) -> None:
    out, err = shell.run('Grant-CsAdminRole "Ken Myer" -Role CsHelpDesk, Root; "after"')
    assert error_ids(err) == ["RoleNotFound"] and "Cannot validate argument on parameter 'Role'." in err
    assert 'The role "Root" does not exist. Valid roles: CsAdministrator' in err and out.strip() == "after"
    assert shell.roles_of("kenmyer") == []
    _, err = shell.run('Revoke-CsAdminRole "Ken Myer" -Role Root')
    assert error_ids(err) == ["RoleNotFound"]


@pytest.mark.parametrize(("identity", "error_id"), [("Nobody", "Identity"), ("Chris Cannon", "AmbiguousIdentity")])
def test_grant_to_unknown_or_ambiguous_users(shell: Shell, identity: str, error_id: str) -> None:
    _, err = shell.run(f'Grant-CsAdminRole "{identity}" CsHelpDesk')
    assert error_ids(err) == [error_id] and shell.directory.admin_accounts.all() == []


def test_grant_whatif_and_confirm_no(shell: Shell) -> None:
    out, _ = shell.run('Grant-CsAdminRole "Ken Myer" CsHelpDesk -WhatIf')
    assert out.strip() == 'What if: Performing the operation "Grant-CsAdminRole CsHelpDesk" on target ' \
                          '"litwareinc\\kenmyer".'
    host = shell.engine.session.host
    host.interactive, host.answers = True, ["n"]
    shell.run('Grant-CsAdminRole "Ken Myer" CsHelpDesk -Confirm')
    assert shell.roles_of("kenmyer") == []


def test_revoke_and_not_held(shell: Shell) -> None:
    shell.run('Grant-CsAdminRole "Ken Myer" CsHelpDesk, CsUserAdministrator')
    _, err = shell.run('Revoke-CsAdminRole "Ken Myer" -Role CsUserAdministrator, CsAdministrator')
    assert error_ids(err) == ["RoleNotAssigned"] and "does not hold the role CsAdministrator" in err
    assert shell.roles_of("kenmyer") == ["CsHelpDesk"]
    assert shell.audit()[-1] == ("Revoke-CsAdminRole", "litwareinc\\kenmyer", "Role=CsUserAdministrator")


def test_an_account_whose_user_left_can_be_listed_and_revoked(shell: Shell) -> None:
    shell.run('Grant-CsAdminRole "Ken Myer" CsHelpDesk')
    csv = shell.folder / "smaller.csv"
    lines = (ROOT / "examples" / "directory.csv").read_text().splitlines()
    csv.write_text("\n".join(line for line in lines if not line.startswith("Ken Myer,")) + "\n")
    shell.run(f'Import-CsDirectory "{csv}" | Out-Null')
    out, _ = shell.run("Get-CsAdminAccount | ForEach-Object { $_.Identity; $_.InDirectory }")
    assert out.split() == ["litwareinc\\kenmyer", "False"]
    _, err = shell.run('Grant-CsAdminRole "litwareinc\\kenmyer" CsAdministrator')
    assert error_ids(err) == ["Identity"]                      # a user who left gets no new role
    _, err = shell.run('Revoke-CsAdminRole "litwareinc\\kenmyer" CsHelpDesk')
    assert err == "" and shell.directory.admin_accounts.all() == []


# --- Set-CsAdminCredential, Get-CsAdminAccount -----------------------------------------------------

def test_password_from_read_host_secure_string(shell: Shell) -> None:
    host = shell.engine.session.host
    host.interactive, host.answers = True, ["correct horse battery"]
    out, err = shell.run('Set-CsAdminCredential "Ken Myer" -Password (Read-Host "Password" -AsSecureString) '
                         "-PassThru | ForEach-Object { $_.HasPassword }")
    assert err == "" and out.split()[-1] == "True"
    assert shell.directory.verify_admin_password("kenmyer", "correct horse battery")
    assert "correct horse" not in (shell.folder / "store.json").read_text()
    assert shell.audit()[-1] == ("Set-CsAdminCredential", "litwareinc\\kenmyer", "password set")


def test_secure_string_values_are_revealed_only_to_the_cmdlet() -> None:
    from cmdlets.adminroles import _secret
    assert _secret(SecureString("s3cret-pass")) == "s3cret-pass" and _secret(12345678) == "12345678"
    assert _secret(None) is None


def test_keys_from_text_and_file_and_the_account_view(shell: Shell) -> None:
    (shell.folder / "ken.pub").write_text("# Ken's laptop\n\n" + ED25519 + "\n")
    _, err = shell.run('Set-CsAdminCredential "Ken Myer" -SshPublicKeyFile ken.pub -Password "correct horse"')
    assert err == ""
    _, err = shell.run(f'Set-CsAdminCredential "Ken Myer" -SshPublicKey "{ED25519}"')     # already there
    assert err == ""
    out, err = shell.run('Get-CsAdminAccount "Ken Myer" | Format-List')
    assert err == "" and "litwareinc\\kenmyer" in out and ED25519_FP in out and "HasPassword        : True" in out
    assert "scrypt" not in out and "AAAAC3" not in out
    assert shell.directory.admin_authorized_keys("kenmyer@litwareinc.com") == [ED25519]
    shell.run('Set-CsAdminCredential "Ken Myer" -ClearSshPublicKeys -ClearPassword')
    assert shell.directory.admin_accounts.all() == []


@pytest.mark.parametrize(("arguments", "error_id", "fragment"), [
    ("", "NoCredentialChange", "Nothing to change"),
    ('-Password "correct horse" -ClearPassword', "CredentialConflict", "cannot be used together"),
    ('-Password "short"', "InvalidPassword", "Cannot validate argument on parameter 'Password'. The password must "
                                             "be at least 8 characters long."),
    ('-SshPublicKey "ssh-ed25519 AAAA"', "InvalidSshPublicKey", "parameter 'SshPublicKey'"),
    ('-SshPublicKey "-----BEGIN OPENSSH PRIVATE KEY-----"', "InvalidSshPublicKey", "This is a private key"),
    ("-SshPublicKeyFile bad.pub", "InvalidSshPublicKey", "line 2: The SSH public key data is not valid base64."),
    ("-SshPublicKeyFile empty.pub", "InvalidSshPublicKey", "holds no SSH public key"),
    ("-SshPublicKeyFile missing.pub", "PathNotFound", "because it does not exist"),
    ("-SshPublicKeyFile binary.pub", "SshPublicKeyFileReadError", "not UTF-8 text"),
])
def test_credential_errors_change_nothing(shell: Shell, arguments: str, error_id: str, fragment: str) -> None:
    (shell.folder / "bad.pub").write_text(ED25519 + "\nssh-ed25519 ***\n")
    (shell.folder / "empty.pub").write_text("# nothing here\n\n")
    (shell.folder / "binary.pub").write_bytes(b"\xff\xfe\x00garbage")
    out, err = shell.run(f'Set-CsAdminCredential "Ken Myer" {arguments}; "after"')
    assert error_ids(err) == [error_id] and fragment in err and out.strip() == "after"
    assert shell.directory.admin_accounts.all() == []


def test_credentials_for_one_user_at_a_time(shell: Shell) -> None:
    _, err = shell.run('Set-CsAdminCredential "Ken Myer*" -Password "correct horse"')
    assert error_ids(err) == ["CredentialMultipleUsers"] and "names 3 users" in err
    _, err = shell.run('Set-CsAdminCredential Nobody -Password "correct horse"')
    assert error_ids(err) == ["Identity"] and shell.directory.admin_accounts.all() == []


def test_set_credential_whatif(shell: Shell) -> None:
    out, _ = shell.run('Set-CsAdminCredential "Ken Myer" -Password "correct horse" -WhatIf')
    assert out.strip() == 'What if: Performing the operation "Set-CsAdminCredential" on target "litwareinc\\kenmyer".'
    assert shell.directory.admin_accounts.all() == []


def test_get_admin_account_lists_everyone_and_filters(shell: Shell) -> None:
    shell.run('Grant-CsAdminRole "Ken Myer" CsHelpDesk; Grant-CsAdminRole "Pilar Ackerman" CsAdministrator')
    out, _ = shell.run("Get-CsAdminAccount | ForEach-Object { $_.Identity + '=' + ($_.Roles -join ',') }")
    assert out.split() == ["litwareinc\\kenmyer=CsHelpDesk", "litwareinc\\pilar=CsAdministrator"]
    out, _ = shell.run('Get-CsAdminAccount "Pilar*" | ForEach-Object { $_.HasPassword; $_.SshKeyFingerprints.Count }')
    assert out.split() == ["False", "0"]
    assert shell.run('Get-CsAdminAccount "Aidan Delaney"') == ("", "")
    _, err = shell.run("Get-CsAdminAccount Nobody")
    assert error_ids(err) == ["Identity"]

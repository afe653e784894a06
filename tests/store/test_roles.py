"""The RBAC role data and the rule-based matrix (csshell/store/roles.py), on explicit catalogues."""
from __future__ import annotations

import pytest

from csshell.store import roles
from csshell.store.roles import (
    ADMINISTRATOR,
    COMMON_CMDLETS,
    HELP_DESK,
    LOCAL_ONLY_CMDLETS,
    ROLE_NAMES,
    SERVER_ADMINISTRATOR,
    USER_ADMINISTRATOR,
    VIEW_ONLY_ADMINISTRATOR,
    VOICE_ADMINISTRATOR,
    UnknownRole,
)

CATALOGUE = [("Get-CsUser", False), ("Get-CsClientPinInfo", False), ("Lock-CsClientPin", False),
             ("Unlock-CsClientPin", False), ("Set-CsClientPin", False), ("Grant-CsPinPolicy", False),
             ("New-CsPinPolicy", False), ("Set-CsPinPolicy", False), ("Remove-CsPinPolicy", False),
             ("Enable-CsUser", False), ("Disable-CsUser", False), ("Set-CsUser", False), ("Move-CsUser", False),
             ("Set-CsVoicePolicy", False), ("Test-CsRegistration", False), ("Export-CsArchivingData", False),
             ("Import-CsDirectory", True), ("Get-CsAuditEntry", True), ("Test-CsDialInPin", True),
             ("Where-Object", False), ("Select-Object", False), ("Get-Content", False), ("Out-File", False)]


def test_the_six_standard_roles_in_order_with_descriptions() -> None:
    assert ROLE_NAMES == ("CsAdministrator", "CsUserAdministrator", "CsVoiceAdministrator", "CsServerAdministrator",
                          "CsViewOnlyAdministrator", "CsHelpDesk")
    assert all(len(role.description) > 40 for role in roles.STANDARD_ROLES)
    assert "locking and unlocking dial-in PINs" in roles.find_role("cshelpdesk").description


def test_role_names_are_case_insensitive_and_unknown_ones_refused() -> None:
    assert roles.canonical_role(" cshelpdesk ") == "CsHelpDesk"
    assert roles.find_role("CsArchivingAdministrator") is None
    with pytest.raises(UnknownRole) as info:
        roles.canonical_role("Admins")
    assert str(info.value).startswith('The role "Admins" does not exist. Valid roles: CsAdministrator,')


def test_cs_cmdlet_names() -> None:
    assert roles.is_cs_cmdlet("Get-CsUser") and roles.is_cs_cmdlet("Import-CsDirectory")
    assert not roles.is_cs_cmdlet("Get-Command") and not roles.is_cs_cmdlet("Get-Csv") \
        and not roles.is_cs_cmdlet("Get-Cs")


def test_administrator_holds_every_cs_cmdlet() -> None:
    cs = {name for name, _ in CATALOGUE if roles.is_cs_cmdlet(name)}
    assert set(roles.role_cmdlets(ADMINISTRATOR, CATALOGUE)) == cs


@pytest.mark.parametrize(("cmdlet", "holders"), [
    ("Get-CsUser", set(ROLE_NAMES)),
    ("Lock-CsClientPin", {ADMINISTRATOR, USER_ADMINISTRATOR, HELP_DESK}),
    ("Unlock-CsClientPin", {ADMINISTRATOR, USER_ADMINISTRATOR, HELP_DESK}),
    ("Set-CsClientPin", {ADMINISTRATOR, USER_ADMINISTRATOR}),
    ("Grant-CsPinPolicy", {ADMINISTRATOR, USER_ADMINISTRATOR, VOICE_ADMINISTRATOR}),
    ("New-CsPinPolicy", {ADMINISTRATOR}), ("Set-CsPinPolicy", {ADMINISTRATOR}), ("Remove-CsPinPolicy", {ADMINISTRATOR}),
    ("Enable-CsUser", {ADMINISTRATOR, USER_ADMINISTRATOR}), ("Move-CsUser", {ADMINISTRATOR, USER_ADMINISTRATOR}),
    ("Set-CsUser", {ADMINISTRATOR, USER_ADMINISTRATOR, VOICE_ADMINISTRATOR}),
    ("Set-CsVoicePolicy", {ADMINISTRATOR, VOICE_ADMINISTRATOR}),
    ("Test-CsRegistration", {ADMINISTRATOR, SERVER_ADMINISTRATOR, HELP_DESK}),
    ("Export-CsArchivingData", {ADMINISTRATOR}),
    ("Import-CsDirectory", {ADMINISTRATOR}), ("Get-CsAuditEntry", {ADMINISTRATOR}),
    ("Test-CsDialInPin", {ADMINISTRATOR}),
])
def test_matrix(cmdlet: str, holders: set[str]) -> None:
    assert {r for r in ROLE_NAMES if cmdlet in roles.role_cmdlets(r, CATALOGUE)} == holders


def test_help_desk_cannot_set_pins_or_change_policies() -> None:
    allowed = roles.allowed_cmdlets([HELP_DESK], CATALOGUE)
    assert {"Lock-CsClientPin", "Unlock-CsClientPin", "Get-CsUser", "Where-Object"} <= allowed
    assert not allowed & {"Set-CsClientPin", "Grant-CsPinPolicy", "Set-CsPinPolicy", "Set-CsUser"}


def test_view_only_reads_and_nothing_else() -> None:
    allowed = roles.allowed_cmdlets([VIEW_ONLY_ADMINISTRATOR], CATALOGUE)
    assert allowed == {"Get-CsUser", "Get-CsClientPinInfo", "Where-Object", "Select-Object"}


def test_allowed_cmdlets_unions_the_roles_and_ignores_unknown_names() -> None:
    both = roles.allowed_cmdlets(["CsHelpDesk", "csvoiceadministrator", "NoSuchRole"], CATALOGUE)
    assert {"Lock-CsClientPin", "Set-CsVoicePolicy", "Grant-CsPinPolicy"} <= both
    assert roles.allowed_cmdlets([], CATALOGUE) == set()
    assert roles.allowed_cmdlets(["NoSuchRole"], CATALOGUE) == set()


def test_file_cmdlets_are_never_granted_and_common_ones_always() -> None:
    for role in ROLE_NAMES:
        allowed = roles.allowed_cmdlets([role], CATALOGUE)
        assert {"Where-Object", "Select-Object"} <= allowed and not allowed & {"Get-Content", "Out-File"}


def test_may_run() -> None:
    assert roles.may_run(["CsHelpDesk"], "lock-csclientpin", CATALOGUE)
    assert not roles.may_run(["CsHelpDesk"], "Set-CsClientPin", CATALOGUE)
    assert not roles.may_run(["CsAdministrator"], "Get-Content", CATALOGUE)
    assert not roles.may_run(["CsAdministrator"], "Invoke-Expression", CATALOGUE)      # not in the catalogue
    assert not roles.may_run([], "Get-CsUser", CATALOGUE)
    assert roles.may_run(["CsAdministrator"], "Import-CsDirectory", CATALOGUE)


def test_an_installed_catalogue_is_used_when_none_is_given() -> None:
    previous = roles.use_catalogue(lambda: [("Get-CsThing", False), ("Set-CsThing", False)])
    try:
        assert roles.allowed_cmdlets(["CsViewOnlyAdministrator"]) == {"Get-CsThing"}
        assert roles.may_run(["CsAdministrator"], "Set-CsThing")
    finally:
        roles.use_catalogue(previous)


def test_common_and_local_only_lists_do_not_overlap_and_hold_no_cs_cmdlet() -> None:
    assert not COMMON_CMDLETS & LOCAL_ONLY_CMDLETS
    assert not any(roles.is_cs_cmdlet(n) for n in COMMON_CMDLETS | LOCAL_ONLY_CMDLETS)
    assert {"Where-Object", "Select-Object", "ForEach-Object", "Format-Table", "Format-List", "Get-Help",
            "Get-Command"} <= COMMON_CMDLETS
    assert {"Get-Content", "Import-Csv", "Out-File", "Export-Csv", "Set-Content", "Add-Content"} <= LOCAL_ONLY_CMDLETS


def test_rules_end_with_a_catch_all_for_each_kind() -> None:
    for extension in (True, False):
        last = [rule for rule in roles.RULES if rule.extension == extension][-1]
        assert last.verbs == ("*",) and last.nouns == ("*",) and last.roles == frozenset()
    assert roles.matching_rule("Frobnicate-CsWidget", False) is roles.RULES[-1]


def test_markdown_tables() -> None:
    matrix = roles.matrix_markdown(CATALOGUE).splitlines()
    assert matrix[0] == "| Cmdlet | " + " | ".join(ROLE_NAMES) + " |"
    assert "| Lock-CsClientPin | Y | Y |  |  |  | Y |" in matrix
    assert "| Import-CsDirectory (extension) | Y |  |  |  |  |  |" in matrix
    assert not any("Where-Object" in line for line in matrix)
    rules = roles.rules_markdown().splitlines()
    assert len(rules) == 2 + len(roles.RULES) and "| 3 | product cmdlets | Lock, Unlock | CsClientPin |" in rules[4]
    assert "| CsHelpDesk |" in roles.roles_markdown() and "Where-Object" in roles.common_markdown()

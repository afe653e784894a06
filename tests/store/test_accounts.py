"""Admin accounts: roles, password hashes and SSH keys of directory users (csshell/store/accounts.py)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from csshell.store import Store, accounts, open_store, schema
from csshell.store.accounts import CredentialChange, RoleNotAssigned
from csshell.store.credentials import CredentialError, parse_public_key
from csshell.store.importer import read_directory_file
from csshell.store.roles import UnknownRole

from test_credentials import ED25519, ED25519_FP, RSA, RSA_FP


@pytest.fixture
def store(tmp_path: Path, seeded_store_file: Path) -> Iterator[Store]:
    path = tmp_path / "store.json"
    shutil.copyfile(seeded_store_file, path)
    opened = open_store(str(path), lock_timeout=2)
    yield opened
    opened.close()


def audit(store: Store) -> list[tuple[str, str, str | None]]:
    return [(e["action"], e["target"], e.get("detail")) for e in store.directory.audit_entries()
            if e["action"] != "Import-CsDirectory"]


def test_grant_in_standard_order_once_and_audited(store: Store) -> None:
    book, ken = store.directory.admin_accounts, store.directory.resolve_one("Ken Myer")
    assert book.grant(ken, "cshelpdesk", "alice", "console") is True
    assert book.grant(ken, "CsAdministrator", "alice", "console") is True
    assert book.grant(ken, "CsHelpDesk", "alice", "console") is False
    account = book.for_user(ken)
    assert account.roles == ("CsAdministrator", "CsHelpDesk") and account.logon == "litwareinc\\kenmyer"
    assert audit(store) == [("Grant-CsAdminRole", "litwareinc\\kenmyer", "Role=CsHelpDesk"),
                            ("Grant-CsAdminRole", "litwareinc\\kenmyer", "Role=CsAdministrator")]
    with pytest.raises(UnknownRole):
        book.grant(ken, "Root")


def test_revoke_and_the_empty_account_disappears(store: Store) -> None:
    book, ken = store.directory.admin_accounts, store.directory.resolve_one("Ken Myer")
    book.grant(ken, "CsHelpDesk")
    with pytest.raises(RoleNotAssigned) as info:
        book.revoke(ken, "CsAdministrator")
    assert str(info.value) == 'The user "litwareinc\\kenmyer" does not hold the role CsAdministrator.'
    book.revoke(ken, "cshelpdesk", "alice", "console")
    assert book.for_user(ken) is None and book.all() == []
    assert audit(store)[-1] == ("Revoke-CsAdminRole", "litwareinc\\kenmyer", "Role=CsHelpDesk")


def test_roles_belong_to_users_not_enabled_for_skype_too(store: Store) -> None:
    temp = store.directory.resolve_one("Temp Contractor", enabled_only=False)
    store.directory.admin_accounts.grant(temp, "CsViewOnlyAdministrator")
    assert store.directory.admin_roles("tempcontractor") == ["CsViewOnlyAdministrator"]


def test_credentials_store_only_a_hash_and_keys(store: Store) -> None:
    ken = store.directory.resolve_one("Ken Myer")
    change = CredentialChange("correct horse battery", (parse_public_key(ED25519),))
    with store.statement():
        account = store.directory.admin_accounts.set_credentials(ken, change, "alice", "console")
    assert account.has_password and account.password_last_set is not None and account.roles == ()
    assert account.ssh_public_keys == (ED25519,) and account.fingerprints() == [ED25519_FP]
    assert accounts.verify_password(account, "correct horse battery")
    assert not accounts.verify_password(account, "correct horse")
    assert accounts.authorized_keys(account) == [ED25519]
    text = Path(store.path).read_text()
    assert "correct horse" not in text and "scrypt$" in text
    assert audit(store)[-1] == ("Set-CsAdminCredential", "litwareinc\\kenmyer",
                                f"password set; SSH key added {ED25519_FP}")


def test_keys_are_added_once_and_clearing_runs_first(store: Store) -> None:
    book, ken = store.directory.admin_accounts, store.directory.resolve_one("Ken Myer")
    book.set_credentials(ken, CredentialChange(keys=(parse_public_key(ED25519),)))
    book.set_credentials(ken, CredentialChange(keys=(parse_public_key(ED25519.rsplit(" ", 1)[0] + " other"),
                                                     parse_public_key(RSA))))
    assert book.for_user(ken).fingerprints() == [ED25519_FP, RSA_FP]
    book.set_credentials(ken, CredentialChange(keys=(parse_public_key(RSA),), clear_keys=True))
    assert book.for_user(ken).ssh_public_keys == (RSA,)
    assert audit(store)[-1] == ("Set-CsAdminCredential", "litwareinc\\kenmyer",
                                f"SSH keys cleared; SSH key added {RSA_FP}")


def test_clearing_everything_deletes_the_account(store: Store) -> None:
    book, ken = store.directory.admin_accounts, store.directory.resolve_one("Ken Myer")
    book.set_credentials(ken, CredentialChange(password="correct horse"))
    assert book.set_credentials(ken, CredentialChange(clear_password=True, clear_keys=True)) is None
    assert store.table(schema.ADMIN_ACCOUNTS).all() == []
    assert audit(store)[-1][2] == "password cleared; SSH keys cleared"


@pytest.mark.parametrize(("change", "error_id", "parameter"), [
    (CredentialChange(), "NoCredentialChange", "Password"),
    (CredentialChange(password="correct horse", clear_password=True), "CredentialConflict", "ClearPassword"),
    (CredentialChange(password="short"), "InvalidPassword", "Password")])
def test_refused_changes_write_nothing(store: Store, change: CredentialChange, error_id: str, parameter: str) -> None:
    ken = store.directory.resolve_one("Ken Myer")
    with pytest.raises(CredentialError) as info:
        store.directory.admin_accounts.set_credentials(ken, change)
    assert (info.value.error_id, info.value.parameter) == (error_id, parameter)
    assert store.directory.admin_accounts.all() == [] and audit(store) == []


@pytest.mark.parametrize("login", ["kenmyer", "KENMYER", "kenmyer@litwareinc.com", "litwareinc\\KenMyer"])
def test_login_names_for_the_remote_server(store: Store, login: str) -> None:
    directory = store.directory
    ken = directory.resolve_one("Ken Myer")
    directory.admin_accounts.grant(ken, "CsHelpDesk")
    directory.admin_accounts.set_credentials(ken, CredentialChange("correct horse", (parse_public_key(ED25519),)))
    assert directory.admin_roles(login) == ["CsHelpDesk"]
    assert directory.verify_admin_password(login, "correct horse")
    assert directory.admin_authorized_keys(login) == [ED25519]


@pytest.mark.parametrize("login", ["", "Ken Myer", "sip:kenmyer@litwareinc.com", "nobody", "kenmyers"])
def test_other_names_sign_in_nobody(store: Store, login: str) -> None:
    directory = store.directory
    directory.admin_accounts.grant(directory.resolve_one("Ken Myer"), "CsHelpDesk")
    directory.admin_accounts.set_credentials(directory.resolve_one("Ken Myer"), CredentialChange("correct horse"))
    assert directory.admin_roles(login) == [] and not directory.verify_admin_password(login, "correct horse")
    assert directory.admin_authorized_keys(login) == []


def test_a_user_who_left_the_directory_keeps_the_account_but_cannot_sign_in(store: Store, tmp_path: Path) -> None:
    directory = store.directory
    directory.admin_accounts.grant(directory.resolve_one("Ken Myer"), "CsHelpDesk")
    directory.admin_accounts.set_credentials(directory.resolve_one("Ken Myer"), CredentialChange("correct horse"))
    seeds = [s for s in read_directory_file(str(Path(__file__).parents[2] / "examples" / "directory.csv"))
             if s.doc["SamAccountName"] != "kenmyer"]
    directory.import_users(seeds, "test")
    [account] = directory.admin_accounts.all()
    assert account.logon == "litwareinc\\kenmyer" and account.roles == ("CsHelpDesk",)
    assert directory.admin_roles("kenmyer") == [] and not directory.verify_admin_password("kenmyer", "correct horse")


def test_a_store_without_the_table_still_opens(tmp_path: Path, seeded_store_file: Path) -> None:
    data = json.loads(seeded_store_file.read_text())
    data.pop(schema.ADMIN_ACCOUNTS, None)
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    with open_store(str(path)) as old:
        assert old.directory.admin_accounts.all() == [] and old.directory.admin_roles("kenmyer") == []
        old.directory.admin_accounts.grant(old.directory.resolve_one("Ken Myer"), "CsHelpDesk")
    with open_store(str(path)) as again:
        assert again.directory.admin_roles("kenmyer") == ["CsHelpDesk"]


def test_hand_damaged_documents_read_safely(store: Store) -> None:
    store.table(schema.ADMIN_ACCOUNTS).insert({"DistinguishedName": "CN=Ghost,DC=x", "Roles": ["Bogus", "cshelpdesk"],
                                               "SshPublicKeys": ["ssh-ed25519 AAAA"]})
    [ghost] = store.directory.admin_accounts.all()
    assert ghost.roles == ("CsHelpDesk",) and ghost.fingerprints() == ["(invalid key)"] and not ghost.has_password
    assert not accounts.verify_password(None, "x") and accounts.authorized_keys(None) == []

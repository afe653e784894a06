"""A refused store says why in terms that help the admin who reads it.

Another user's file: chmod cannot help (only the owner may change the mode), so the message names
the owner. A folder given as the store: say it is a folder, not "check its permissions".
"""
from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

import pytest

from csshell.store import StoreError, open_store, storage
from csshell.store.storage import check_writable, other_owner
from csshell.store.store import lock_advice


@pytest.fixture
def store_path(tmp_path: Path, seeded_store_file: Path) -> Path:
    path = tmp_path / "data" / "store.json"
    path.parent.mkdir()
    shutil.copyfile(seeded_store_file, path)
    os.chmod(path, 0o644)
    return path


@pytest.fixture
def someone_else(monkeypatch):
    """We run as a user who owns nothing here and may not write what is not ours (not root)."""
    owner_uid = os.stat(os.getcwd()).st_uid
    monkeypatch.setattr(storage.os, "geteuid", lambda: owner_uid + 4242, raising=False)
    real_access = os.access

    def access(path, mode):
        return False if mode & os.W_OK else real_access(path, mode)
    monkeypatch.setattr(storage.os, "access", access)


def owner_name(path: Path) -> str:
    return pwd.getpwuid(os.stat(path).st_uid).pw_name


def test_another_users_store_names_the_owner_not_chmod(store_path, someone_else):
    with pytest.raises(StoreError) as caught:
        check_writable(str(store_path))
    message = caught.value.message
    assert f"belongs to another user ('{owner_name(store_path)}', mode 644)" in message
    assert f"Ask {owner_name(store_path)} or an administrator" in message
    assert "chmod u+w" not in message and "nothing was changed" in message
    assert caught.value.error_id == "StoreReadOnly"


def test_another_users_read_only_store_is_refused_through_a_statement(store_path, someone_else):
    store = open_store(str(store_path))
    try:
        with pytest.raises(StoreError, match="belongs to another user"), store.statement():
            store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    finally:
        store.close()


def test_our_own_read_only_store_still_gets_chmod(store_path):
    os.chmod(store_path, 0o444)
    try:
        with pytest.raises(StoreError) as caught:
            check_writable(str(store_path))
    finally:
        os.chmod(store_path, 0o644)
    assert "is read-only (mode 444)" in caught.value.message and "chmod u+w" in caught.value.message
    assert "another user" not in caught.value.message


def test_other_owner_is_none_for_our_files_and_for_root(store_path, monkeypatch):
    assert other_owner(str(store_path)) is None          # we created it: ours
    monkeypatch.setattr(storage.os, "geteuid", lambda: 0, raising=False)
    assert other_owner(str(store_path)) is None          # root can chmod anything: the chmod advice fits


def test_lock_advice_names_the_owner(store_path, someone_else):
    assert f"belongs to the user '{owner_name(store_path.parent)}'" in lock_advice(str(store_path) + ".lock")


def test_a_folder_as_the_store_says_it_is_a_folder(tmp_path):
    folder = tmp_path / "stores"
    folder.mkdir()
    with pytest.raises(StoreError) as caught:
        open_store(str(folder))
    message = caught.value.message
    assert f"The store path '{folder}' is a folder, not a store file." in message
    assert f"--store '{folder / 'store.json'}'" in message
    assert "chmod" not in message and "permissions" not in message
    assert caught.value.error_id == "StoreIsFolder"


def test_check_writable_on_a_folder_says_folder(tmp_path):
    with pytest.raises(StoreError, match="is a folder, not a store file") as caught:
        check_writable(str(tmp_path))
    assert "chmod" not in caught.value.message


def test_an_unreadable_store_of_another_user_names_the_owner(store_path, someone_else, monkeypatch):
    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)
    monkeypatch.setattr("builtins.open", denied)
    with pytest.raises(StoreError) as caught:
        storage._read(str(store_path))
    monkeypatch.undo()
    message = caught.value.message
    assert f"It belongs to the user '{owner_name(store_path)}' (mode 644)" in message
    assert "chmod u+r" not in message and caught.value.error_id == "StoreUnreadable"

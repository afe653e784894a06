"""The store file as the admin set it up: symbolic links, permissions, owners and read-only files."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from csshell.store import StoreError, open_store, storage


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def lock_ken(path: Path) -> None:
    store = open_store(str(path), lock_timeout=2)
    try:
        store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    finally:
        store.close()


def ken_is_locked(path: Path) -> bool:
    store = open_store(str(path), lock_timeout=2)
    try:
        return store.directory.resolve_one("Ken Myer").is_locked_out
    finally:
        store.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- symbolic links --------------------------------------------------------------------------------

def test_write_through_symlink_updates_the_real_file_and_keeps_the_link(store_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(store_path.name)
    lock_ken(link)
    assert link.is_symlink() and os.readlink(link) == store_path.name
    assert ken_is_locked(store_path)
    assert leftovers(tmp_path) == []


def test_symlink_into_another_folder_puts_the_temp_file_beside_the_real_file(store_path: Path,
                                                                             tmp_path: Path, monkeypatch) -> None:
    links = tmp_path / "links"
    links.mkdir()
    link = links / "store.json"
    link.symlink_to(store_path)
    folders: list[str] = []
    real_mkstemp = storage.tempfile.mkstemp
    monkeypatch.setattr(storage.tempfile, "mkstemp",
                        lambda **kw: (folders.append(kw["dir"]), real_mkstemp(**kw))[1])
    lock_ken(link)
    assert folders == [str(store_path.parent)]
    assert link.is_symlink() and ken_is_locked(store_path)


def test_two_links_to_one_store_share_the_lock_beside_the_real_file(store_path: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.symlink_to(store_path)
    second.symlink_to(store_path)
    one, two = open_store(str(first)), open_store(str(second))
    try:
        assert one.lock_path == two.lock_path == str(store_path) + ".lock"
        assert one.path == str(first)                  # messages name the path the admin gave
    finally:
        one.close()
        two.close()


def test_dangling_symlink_creates_the_store_where_it_points(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "data" / "real.json")
    open_store(str(link)).close()
    assert link.is_symlink() and (tmp_path / "data" / "real.json").is_file()


# --- permissions and ownership ---------------------------------------------------------------------

def test_write_keeps_the_file_mode(store_path: Path) -> None:
    os.chmod(store_path, 0o664)
    lock_ken(store_path)
    assert mode_of(store_path) == 0o664


def test_new_store_is_private(tmp_path: Path) -> None:
    open_store(str(tmp_path / "new.json")).close()
    assert mode_of(tmp_path / "new.json") == 0o600


def test_write_gives_the_new_file_the_old_owner_and_group(store_path: Path, monkeypatch) -> None:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(storage.os, "fchown", lambda fd, uid, gid: calls.append((uid, gid)))
    old = os.stat(store_path)
    lock_ken(store_path)
    assert calls == [(old.st_uid, old.st_gid)]


def test_owner_kept_for_real_when_permitted(store_path: Path) -> None:
    if os.geteuid() != 0:
        os.chown(store_path, -1, os.getegid())     # a user may always set a group they belong to
        expected = (os.geteuid(), os.getegid())
    else:
        os.chown(store_path, 65534, 65534)        # root may give the file away, as an admin would
        expected = (65534, 65534)
    lock_ken(store_path)
    st = os.stat(store_path)
    assert (st.st_uid, st.st_gid) == expected


def test_not_permitted_to_give_the_file_away_keeps_at_least_the_group(store_path: Path, monkeypatch) -> None:
    calls: list[tuple[int, int]] = []

    def fchown(fd: int, uid: int, gid: int) -> None:
        calls.append((uid, gid))
        if uid != -1:
            raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(storage.os, "fchown", fchown)
    os.chmod(store_path, 0o640)
    lock_ken(store_path)
    old_gid = os.stat(store_path).st_gid
    assert calls[-1] == (-1, old_gid) and len(calls) == 2
    assert mode_of(store_path) == 0o640 and ken_is_locked(store_path)


# --- read-only stores ------------------------------------------------------------------------------

def assert_refused(path: Path, shown: Path) -> StoreError:
    before = path.read_bytes()
    store = open_store(str(shown), lock_timeout=2)
    try:
        ken = store.directory.resolve_one("Ken Myer")
        with pytest.raises(StoreError) as caught:
            store.directory.lock_pin(ken)
        assert not store.directory.resolve_one("Ken Myer").is_locked_out   # memory unchanged too
    finally:
        store.close()
    assert path.read_bytes() == before
    assert caught.value.error_id == "StoreReadOnly" and caught.value.category == "PermissionDenied"
    assert str(shown) in caught.value.message and "nothing was changed" in caught.value.message
    return caught.value


def test_read_only_file_is_refused_and_never_overwritten(store_path: Path) -> None:
    os.chmod(store_path, 0o444)
    error = assert_refused(store_path, store_path)
    assert "is read-only (mode 444)" in error.message and "chmod u+w" in error.message
    assert mode_of(store_path) == 0o444 and leftovers(store_path.parent) == []


def test_read_only_file_behind_a_link_names_the_link_and_the_real_file(store_path: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(store_path)
    os.chmod(store_path, 0o444)
    error = assert_refused(store_path, link)
    assert f"chmod u+w '{store_path}'" in error.message


def test_file_the_system_will_not_let_us_write_is_refused(store_path: Path, monkeypatch) -> None:
    real_access = os.access
    monkeypatch.setattr(storage.os, "access",
                        lambda p, mode: False if p == str(store_path) else real_access(p, mode))
    assert_refused(store_path, store_path)


def test_read_only_folder_is_refused(store_path: Path) -> None:
    folder = store_path.parent
    os.chmod(folder, 0o555)
    try:
        error = assert_refused(store_path, store_path)
    finally:
        os.chmod(folder, 0o755)
    assert f"The folder '{folder}'" in error.message and "read-only" in error.message
    assert leftovers(folder) == []


def test_read_only_store_can_still_be_read(store_path: Path) -> None:
    os.chmod(store_path, 0o444)
    assert not ken_is_locked(store_path)


def test_file_made_read_only_during_a_statement_is_not_overwritten(store_path: Path) -> None:
    before = store_path.read_bytes()
    store = open_store(str(store_path), lock_timeout=2)
    try:
        with pytest.raises(StoreError) as caught, store.statement():
            store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
            os.chmod(store_path, 0o444)
        assert caught.value.error_id == "StoreReadOnly"
        assert not store.directory.resolve_one("Ken Myer").is_locked_out    # reloaded from disk
    finally:
        store.close()
    assert store_path.read_bytes() == before

"""The engine and the store: one file write per top-level statement, partial work kept, bad stores reported."""
from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from csshell.store import storage

from test_interpreter_support import (UNLOCKED, Shell, make_shell, shell,  # noqa: F401
                                      store_file)


@pytest.fixture
def writes(monkeypatch) -> list[str]:
    """Store files written durably: a journal record appended or a file replaced (one per statement)."""
    done: list[str] = []
    real_append, real_write = storage.journal.append, storage.atomic_write

    def appending(path, *args):
        done.append(str(path))
        return real_append(path, *args)

    def replacing(path, *args, **kwargs):
        done.append(str(path))
        return real_write(path, *args, **kwargs)

    monkeypatch.setattr(storage.journal, "append", appending)
    monkeypatch.setattr(storage, "atomic_write", replacing)
    return done


def test_a_loop_that_locks_five_users_writes_the_store_once(shell: Shell, writes) -> None:
    users = ", ".join(f'"{sip}"' for sip in UNLOCKED)
    assert shell.run(f"foreach ($u in @({users})) {{ Lock-CsClientPin -Identity $u }}")
    assert writes == [str(shell.store_path) + ".journal"]     # one record appended (the journal: docs/store.md)
    assert set(UNLOCKED) <= set(shell.locked())


def test_each_top_level_statement_writes_once(shell: Shell, writes) -> None:
    assert shell.run(f'Lock-CsClientPin "{UNLOCKED[0]}"; Get-CsUser | Out-Null; Lock-CsClientPin "{UNLOCKED[1]}"')
    assert len(writes) == 2                     # the read-only statement writes nothing


def test_a_script_file_writes_once_per_top_level_statement(shell: Shell, writes, tmp_path: Path) -> None:
    script = tmp_path / "lock.ps1"
    script.write_text("\n".join(f'Lock-CsClientPin "{sip}"' for sip in UNLOCKED[:3]) + "\n", encoding="utf-8")
    assert shell.engine.run_file(str(script)) == 0
    assert len(writes) == 3


def test_a_statement_that_fails_halfway_keeps_what_completed(shell: Shell) -> None:
    script = f'"{UNLOCKED[0]}", "Nobody Here", "{UNLOCKED[1]}" | Lock-CsClientPin -ErrorAction Stop'
    assert not shell.run(script)
    locked = shell.locked()
    assert UNLOCKED[0] in locked and UNLOCKED[1] not in locked
    assert 'Management object not found for identity "Nobody Here".' in shell.err


def test_non_terminating_failure_in_the_middle_keeps_the_rest(shell: Shell) -> None:
    assert not shell.run(f'"{UNLOCKED[0]}", "Nobody Here", "{UNLOCKED[1]}" | Lock-CsClientPin')
    assert {UNLOCKED[0], UNLOCKED[1]} <= set(shell.locked())


def test_a_corrupt_store_is_reported_with_its_name_and_not_overwritten(tmp_path: Path) -> None:
    bad = tmp_path / "store.json"
    bad.write_text("{ not json", encoding="utf-8")
    shell = make_shell(bad)
    assert not shell.run('Lock-CsClientPin "Ken Myer"')
    assert f"The store file '{bad}' is damaged or truncated" in shell.err
    assert "FullyQualifiedErrorId : StoreCorrupt" in shell.err
    assert "Traceback" not in shell.err
    assert bad.read_text(encoding="utf-8") == "{ not json"
    shell.engine.close()


def test_a_store_path_that_is_a_directory_is_an_error_record(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    shell = make_shell(folder)
    assert not shell.run("Get-CsUser")
    assert f"'{folder}'" in shell.err and "+ CategoryInfo" in shell.err
    assert "Traceback" not in shell.err
    shell.engine.close()


def test_a_store_that_cannot_be_created_is_an_error_record(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    shell = make_shell(blocker / "store.json")          # its folder is a regular file
    assert not shell.run("Get-CsUser")
    assert f"{blocker / 'store.json'}" in shell.err
    assert "FullyQualifiedErrorId : StoreCreateFailed" in shell.err
    shell.engine.close()


def test_a_failed_write_is_reported_and_the_old_file_kept(shell: Shell) -> None:
    before = shell.store_path.read_bytes()
    with mock.patch.object(storage.os, "replace", side_effect=OSError(28, "No space left on device")):
        shell.run(f'Lock-CsClientPin "{UNLOCKED[0]}"')
    assert "could not be written" in shell.err and "Traceback" not in shell.err
    assert shell.store_path.read_bytes() == before


def test_commands_that_need_no_store_never_open_it(tmp_path: Path) -> None:
    missing = tmp_path / "never" / "store.json"
    shell = make_shell(missing)
    assert shell.run('"hello"; 1 + 1')
    assert shell.out.split() == ["hello", "2"]
    assert not missing.exists()

"""Shared fixtures for the end-to-end interpreter tests: a real Engine on a BufferHost and a seeded store.

Other ``test_interpreter_*`` modules import the fixtures from here. PIN hashing is deliberately
slow, so the store is seeded once per test session and copied for every test.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from csshell.engine import Engine
from csshell.runtime.host import BufferHost
from csshell.store import open_store

# Users of examples/directory.csv whose PIN is set and not locked out.
UNLOCKED = ["sip:kenmyer@litwareinc.com", "sip:jhaas@litwareinc.com", "sip:aokafor@litwareinc.com",
            "sip:ytanaka@litwareinc.com", "sip:ohaddad@litwareinc.com"]


@dataclass
class Shell:
    """An engine, its host and the store file it works on."""
    engine: Engine
    host: BufferHost
    store_path: Path

    def run(self, text: str) -> bool:
        """Run ``-Command``-style text; returns ``$?``."""
        return self.engine.run_command_text(text)

    @property
    def out(self) -> str:
        return self.host.stdout

    @property
    def err(self) -> str:
        return self.host.stderr

    def clear(self) -> None:
        self.host.out.clear()
        self.host.err.clear()

    def locked(self) -> list[str]:
        """Sip addresses locked out, read from the file by a second store (what another process sees)."""
        store = open_store(str(self.store_path))
        try:
            directory = store.directory
            return sorted(u.sip_address for u in directory.users() if directory.pin_info(u).is_locked_out)
        finally:
            store.close()


@pytest.fixture
def store_file(seeded_store_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    shutil.copyfile(seeded_store_file, path)
    return path


def make_shell(store_file: Path, *, interactive: bool = False, answers: list[str] | None = None,
               cwd: str | None = None) -> Shell:
    host = BufferHost(interactive=interactive, answers=answers)
    engine = Engine(host, lambda: open_store(str(store_file), lock_timeout=2), cwd=cwd)
    return Shell(engine, host, store_file)


@pytest.fixture
def shell(store_file: Path, tmp_path: Path):
    made = make_shell(store_file, cwd=str(tmp_path))
    yield made
    made.engine.close()


def test_seeded_store_has_the_example_users(shell: Shell) -> None:
    assert shell.run("(Get-CsUser).Count")
    assert shell.out.strip() == "18"
    assert shell.err == ""


def test_five_example_users_start_unlocked(shell: Shell) -> None:
    locked = shell.locked()
    assert locked and not set(UNLOCKED) & set(locked)

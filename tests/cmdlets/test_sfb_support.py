"""Shared helpers for the Skype for Business cmdlet tests (no tests here).

The real pipeline is not ready, so :class:`FakeContext` implements the part of CommandContext the
cmdlets use, and :func:`run` drives begin/process/end inside one store statement, as the engine will.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any
from types import SimpleNamespace

import pytest

import cmdlets.clientpin  # noqa: F401  (registers the cmdlets)
import cmdlets.directory_import  # noqa: F401
import cmdlets.pinpolicy  # noqa: F401
import cmdlets.users  # noqa: F401
from csshell.runtime.cmdlet import CommandContext, find_cmdlet
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.store import open_store

DIRECTORY_CSV = Path(__file__).resolve().parents[1] / "store" / "data" / "directory.csv"


class FakeSession:
    def __init__(self, store: Any, actor: str | None = None, origin: str | None = None,
                 variables: dict[str, Any] | None = None) -> None:
        self.store = store
        if actor:
            self.actor = actor
        if origin:
            self.origin = origin
        self._variables = variables or {}

    def get_variable(self, name: str) -> Any:
        return self._variables.get(name.lower())


class FakeContext(CommandContext):
    def __init__(self, session: FakeSession, whatif: bool = False, command_name: str = "") -> None:
        self._session = session
        self.whatif = whatif
        self.binding = SimpleNamespace(common={"WhatIf": whatif})     # what should_process.what_if reads
        self.command_name = command_name
        self.output: list[Any] = []
        self.errors: list[ErrorRecord] = []
        self.should_process_calls: list[tuple[str, str | None]] = []

    @property
    def session(self) -> FakeSession:
        return self._session

    def write_object(self, value: Any, enumerate_collection: bool = False) -> None:
        self.output.append(value)

    def write_error(self, record: ErrorRecord) -> None:
        self.errors.append(record)

    def throw_error(self, record: ErrorRecord) -> None:
        raise PSError(record)

    def error(self, message: str, error_id: str, category: str, target: Any = None,
              target_type: str | None = None, reason: str = "RuntimeException",
              terminating: bool = False) -> None:
        record = ErrorRecord(message, error_id, category, target, target_type, reason,
                             command_name=self.command_name)
        if terminating:
            self.throw_error(record)
        self.write_error(record)

    def should_process(self, target: str, action: str | None = None) -> bool:
        self.should_process_calls.append((target, action))
        return not self.whatif

    def resolve_path(self, path: str) -> str:
        return os.path.abspath(path)


def run(session: FakeSession, name: str, inputs: list[Any] | None = None, whatif: bool = False,
        **params: Any) -> FakeContext:
    """Run a cmdlet once per input (or once); the Identity of each input binds like the pipeline."""
    cls = find_cmdlet(name)
    assert cls is not None, name
    ctx = FakeContext(session, whatif=whatif, command_name=cls.name)
    with session.store.statement():
        for item in inputs if inputs is not None else [None]:
            command = cls()
            bound = dict(params)
            if item is not None:
                bound["Identity"] = item
            for key, value in bound.items():
                setattr(command, key, value)
            command.bound = bound
            command.begin(ctx)
            command.process(ctx)
            command.end(ctx)
    return ctx


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sfb") / "store.json"
    store = open_store(str(path))
    store.directory.import_file(str(DIRECTORY_CSV))
    store.close()
    return path


@pytest.fixture
def store_path(seeded_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "store.json"
    shutil.copyfile(seeded_file, path)
    return path


@pytest.fixture
def session(store_path: Path):
    store = open_store(str(store_path), lock_timeout=2)
    yield FakeSession(store, actor="tester", origin="pytest")
    store.close()

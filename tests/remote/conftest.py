"""Fixtures for the remote-session tests: one prepared store and one server per test module.

A module's tests share a server (starting one costs about a second); a test that must change the
server's life (SIGTERM, limits) starts its own with :func:`start_server`.
"""
from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from remote_support import Fixture, ServerProcess, copy_fixture, prepare_store

if shutil.which("ssh") is None or shutil.which("ssh-keygen") is None:     # .ci/run installs openssh-client
    raise RuntimeError("the remote-session tests need the OpenSSH client (apt-get install openssh-client)")


@pytest.fixture(scope="session")
def remote_template(tmp_path_factory: pytest.TempPathFactory, seeded_store_file: Path) -> Fixture:
    """The seeded store with four admin accounts and their keys, made once (hashing is slow on purpose)."""
    return prepare_store(seeded_store_file, tmp_path_factory.mktemp("remote-template"))


@pytest.fixture(scope="module")
def remote(tmp_path_factory: pytest.TempPathFactory, remote_template: Fixture) -> Fixture:
    """A module's own copy of the prepared store (the keys are shared, read-only)."""
    return copy_fixture(remote_template, tmp_path_factory.mktemp("remote"))


@pytest.fixture(scope="module")
def server(remote: Fixture) -> Iterator[ServerProcess]:
    process = ServerProcess(remote.store)
    try:
        yield process
    finally:
        process.terminate()


@pytest.fixture
def start_server() -> Iterator[Callable[..., ServerProcess]]:
    """Start servers of one's own; each is stopped (killed if need be) after the test."""
    started: list[ServerProcess] = []

    def start(store: Path, *extra: str) -> ServerProcess:
        process = ServerProcess(store, *extra)
        started.append(process)
        return process
    yield start
    for process in started:
        try:
            process.terminate(timeout=20)
        finally:
            process.kill()

"""Fixtures every test folder shares."""
from __future__ import annotations

from pathlib import Path

import pytest

from csshell.store import open_store

EXAMPLE_DIRECTORY = Path(__file__).resolve().parents[1] / "examples" / "directory.csv"


@pytest.fixture(scope="session")
def seeded_store_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store imported once from examples/directory.csv (PIN hashing is slow on purpose); copy it, never write it."""
    path = tmp_path_factory.mktemp("seed") / "store.json"
    store = open_store(str(path))
    try:
        with store.statement():
            store.directory.import_file(str(EXAMPLE_DIRECTORY))
    finally:
        store.close()
    return path

"""Fixtures for store tests: a store seeded from the acceptance directory, copied per test."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csshell.store import open_store

DIRECTORY_CSV = Path(__file__).parent / "data" / "directory.csv"


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One import per test session (PIN hashing is deliberately slow); tests get copies."""
    path = tmp_path_factory.mktemp("seed") / "store.json"
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
def store(store_path: Path):
    opened = open_store(str(store_path), lock_timeout=2)
    yield opened
    opened.close()

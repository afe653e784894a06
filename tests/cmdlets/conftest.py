"""Shared fixtures for cmdlet tests that run text through a real engine."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest

from engine_support import RunText, engine_runner


@pytest.fixture
def run(tmp_path: Path) -> Iterator[RunText]:
    """Run ``-Command``-style text on a fresh engine (empty store in tmp_path); returns (stdout, stderr)."""
    run_text, engine = engine_runner(tmp_path)
    yield run_text
    engine.close()


@pytest.fixture(name="shell")
def seeded_shell(tmp_path: Path, seeded_store_file: Path) -> Iterator[RunText]:
    """Text run on a copy of the store seeded from examples/directory.csv (wide output: no wrapped errors).

    A test module that needs more (a cheap PIN hash, a fixed clock) defines its own ``shell``."""
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    run_text, engine = engine_runner(tmp_path, width=400)
    yield run_text
    engine.close()


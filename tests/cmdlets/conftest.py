"""Shared fixtures for cmdlet tests that run text through a real engine."""
from __future__ import annotations

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

"""Fixtures for the command-line tests: the installed ``csshell`` run as a subprocess on a temporary store.

Every run gets ``XDG_DATA_HOME`` in a temporary folder and no ``CSSHELL_STORE`` unless a test sets
one, so the user's real store is never touched.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cli_support import Cli



@pytest.fixture
def cli(tmp_path: Path, seeded_store_file: Path) -> Cli:
    work = tmp_path / "work"
    work.mkdir()
    store = tmp_path / "store.json"
    shutil.copyfile(seeded_store_file, store)
    env = {k: v for k, v in os.environ.items() if k not in ("CSSHELL_STORE", "COLUMNS")}
    env.update(XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path / "home"), NO_COLOR="1")
    return Cli(work, env, store)

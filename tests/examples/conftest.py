"""The runbooks are run through ``python -m csshell`` against a store seeded from examples/directory.csv."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from runbook_support import EXAMPLES


@pytest.fixture()
def shell(tmp_path):
    """Runs csshell on a fresh seeded store; returns (code, stdout, stderr)."""
    store = tmp_path / "store.json"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), NO_COLOR="1", COLUMNS="120")

    def run(*args: str) -> tuple[int, str, str]:
        proc = subprocess.run([sys.executable, "-m", "csshell", "--store", str(store), *args], cwd=tmp_path,
                              env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        return proc.returncode, proc.stdout, proc.stderr

    code, _, err = run("-Command", f"Import-CsDirectory -Path '{EXAMPLES / 'directory.csv'}'")
    assert code == 0, err
    return run

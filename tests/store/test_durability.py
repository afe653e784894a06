"""A process killed with SIGKILL in the middle of writing never leaves a broken store, and every
statement it reported as finished is on disk."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from csshell.store import open_store

WRITER = """
import sys
from csshell.store import open_store
store = open_store(sys.argv[1])
directory = store.directory
users = directory.users()
n = 0
while True:
    with store.statement():
        for user in users:                       # many changes, one write per statement
            (directory.lock_pin if n % 2 == 0 else directory.unlock_pin)(user, "writer", "test")
    n += 1
    print(n, flush=True)                         # reported only after the write completed
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
@pytest.mark.parametrize("delay", [0.4, 0.9, 1.5])
def test_sigkill_mid_write_leaves_valid_store_with_completed_statements(store_path: Path, delay: float) -> None:
    users = len(open_store(str(store_path)).directory.users())
    audit_before = len(open_store(str(store_path)).directory.audit_entries())
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store_path)], stdout=subprocess.PIPE,
                            text=True, env=env)
    completed = 0
    deadline = time.monotonic() + delay
    os.set_blocking(proc.stdout.fileno(), False)
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.strip():
            completed = int(line)
        else:
            time.sleep(0.001)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    os.set_blocking(proc.stdout.fileno(), True)
    for line in proc.stdout.read().split():
        completed = max(completed, int(line))
    assert completed > 0, "the writer finished no statement; raise the delay"

    json.loads(store_path.read_text(encoding="utf-8"))          # always parses
    store = open_store(str(store_path))
    statements_on_disk = (len(store.directory.audit_entries()) - audit_before) // users
    assert statements_on_disk >= completed
    assert statements_on_disk <= completed + 1                   # at most the one being reported
    locked = all(u.is_locked_out for u in store.directory.users())
    unlocked = not any(u.is_locked_out for u in store.directory.users())
    assert locked if statements_on_disk % 2 == 1 else unlocked
    leftovers = [p.name for p in store_path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 1                                   # at most the killed write's temp file

"""A process killed with SIGKILL in the middle of writing never leaves a broken store, and every
statement it reported as finished is on disk."""
from __future__ import annotations

import json
import os
import select
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


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.3, 0.9])
def test_sigkill_mid_write_leaves_valid_store_with_completed_statements(store_path: Path, delay: float) -> None:
    users = len(open_store(str(store_path)).directory.users())
    audit_before = len(open_store(str(store_path)).directory.audit_entries())
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root))
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(store_path)], stdout=subprocess.PIPE,
                            text=True, env=env)
    try:
        # The kill delay starts after the first completed statement, so a slow, loaded machine
        # still kills the writer in the middle of a stream of writes (no timing assumption).
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "the writer reported no completed statement within 120 s"
        completed = int(proc.stdout.readline())
        time.sleep(delay)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    for line in proc.stdout.read().split():
        completed = max(completed, int(line))

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

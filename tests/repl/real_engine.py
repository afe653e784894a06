"""Helpers for the REPL tests that run against the real ``csshell.engine.Engine``.

A store seeded with ``Import-CsDirectory`` from ``examples/directory.csv`` in a temporary folder,
as an admin would create it; nothing outside the test's temporary folder is touched.
"""
from __future__ import annotations

from pathlib import Path

from csshell.engine import Engine
from csshell.runtime.host import BufferHost, Host
from csshell.store import open_store

EXAMPLE_DIRECTORY = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"


def seed_store(path: Path) -> None:
    """Create a store at ``path`` the way an admin would: ``Import-CsDirectory`` on the examples."""
    host = BufferHost()
    engine = Engine(host, lambda: open_store(str(path)))
    try:
        ok = engine.run_command_text(f"Import-CsDirectory -Path '{EXAMPLE_DIRECTORY}'")
    finally:
        engine.close()
    assert ok, host.stderr


def make_engine(store_path: Path, host: Host | None = None) -> Engine:
    return Engine(host or BufferHost(), lambda: open_store(str(store_path)))

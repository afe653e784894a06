"""Helpers for the REPL tests that run against the real ``csshell.engine.Engine``.

A store seeded with ``Import-CsDirectory`` from ``examples/directory.csv`` in a temporary folder,
and the ``Directory.complete`` contract the prompt needs for ``-Identity`` completion: until the
store provides that method, :func:`ensure_directory_complete` installs this reference version for
the duration of a test, so the tests pin the same behaviour before and after the store adopts it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from csshell.engine import Engine
from csshell.runtime.host import BufferHost, Host
from csshell.store import open_store
from csshell.store.directory import Directory

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


def reference_directory_complete(self: Directory, prefix: str, limit: int = 100) -> list[str]:
    """What the prompt needs from ``Directory.complete(prefix)`` (requested from the store owner).

    Enabled users only (the PIN cmdlets act on nobody else): display names starting with
    ``prefix``, case-insensitive, then SIP addresses when ``prefix`` starts with ``sip:``; each
    value once, sorted case-insensitively; nothing for a wildcard prefix; at most ``limit``.
    """
    self._fresh()
    if "*" in prefix:
        return []
    low = prefix.lower()
    users = [u for u in self._records.values() if u.enabled]
    names = {u.display_name for u in users if u.display_name and u.display_name.lower().startswith(low)}
    sips = {u.sip_address for u in users if low.startswith("sip:") and u.sip_address.lower().startswith(low)}
    return (sorted(names, key=str.lower) + sorted(sips, key=str.lower))[:limit]


def ensure_directory_complete(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install the reference ``Directory.complete`` unless the store already has one."""
    if not hasattr(Directory, "complete"):
        monkeypatch.setattr(Directory, "complete", reference_directory_complete, raising=False)

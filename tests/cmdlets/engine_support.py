"""Runs text through a real engine on an empty store (shared by the cmdlet tests)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from csshell.engine import Engine
from csshell.runtime.host import BufferHost
from csshell.store import open_store

RunText = Callable[[str], tuple[str, str]]


def engine_runner(tmp_path: Path, width: int = 120) -> tuple[RunText, Engine]:
    """A fresh engine on an empty store in ``tmp_path``; ``run(text)`` returns (stdout, stderr) of that text."""
    host = BufferHost(width=width)
    store = str(tmp_path / "store.json")
    engine = Engine(host, lambda: open_store(store, lock_timeout=2), cwd=str(tmp_path), store_path=store)

    def run_text(text: str) -> tuple[str, str]:
        host.out.clear()
        host.err.clear()
        engine.run_command_text(text)
        return host.stdout, host.stderr

    return run_text, engine


def error_ids(err: str) -> list[str]:
    """The FullyQualifiedErrorId of every error record in ``err`` (without the command class)."""
    return re.findall(r"FullyQualifiedErrorId : ([^,\s]+)", err)


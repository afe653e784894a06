"""A writer killed between writing its temporary file and renaming it leaves the file behind; the next
writer (holding the lock, so no one else can be using it) removes it, and nothing else."""
from __future__ import annotations

from pathlib import Path

from csshell.store import journal, open_store
from csshell.store.storage import DurableStorage


def test_leftover_temporaries_of_this_store_are_removed_by_the_next_write(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "store.json"
    open_store(str(path)).close()
    base_leftover = tmp_path / ".store.json.k3j_9x0a.tmp"
    journal_leftover = tmp_path / ".store.json.journal.abcd1234.tmp"
    others = [tmp_path / ".store.json.x.abcd1234.tmp",      # another store named store.json.x
              tmp_path / ".store.json.abc.tmp",              # not mkstemp's shape
              tmp_path / "store.json.abcd1234.tmp"]          # no leading dot
    for leftover in (base_leftover, journal_leftover, *others):
        leftover.write_bytes(b"half a store")
    store = open_store(str(path))
    try:
        with store.statement():                          # the first change creates the journal
            store.directory.create_pin_policy("tag:Temp", {})
    finally:
        store.close()
    assert Path(journal.journal_path(str(path))).exists()
    assert not journal_leftover.exists()
    assert base_leftover.exists()                        # only a write of the base removes the base's
    monkeypatch.setattr(DurableStorage, "_compact_limit", lambda self: 0)   # every write compacts now
    store = open_store(str(path))
    try:
        with store.statement():
            store.directory.create_pin_policy("tag:Big", {})
    finally:
        store.close()
    assert not base_leftover.exists()
    assert all(other.read_bytes() == b"half a store" for other in others)

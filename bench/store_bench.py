"""Store-side measurements (issue 5), as functions returning seconds (or bytes) that any runner can call.

    .venv/bin/python bench/store_bench.py STORE_FILE [--name "Ken Myer"]    # a quick table for one store

``bench/run.py`` measures every scenario itself; it would use a ``bench_<scenario>(setup)`` defined
here instead, and none is defined, so these functions never replace its figures. They exist for
quick, store-only checks (no prompt_toolkit, no generator): each takes a store file, works on a copy
in a temporary folder (base and journal), and leaves the original untouched.

- :func:`warm_change`         median of (Lock + Unlock) / 2 of one user at a warm engine, each durable
- :func:`fsync_append`        median of an fsync'd 1 KB append in the store's folder (warm_change's reference)
- :func:`cold_lock_oneliner`  median wall time of ``csshell -c 'Lock-CsClientPin -Identity "<name>"'``
- :func:`json_load`           median wall time of a python process loading the file (orjson if installed)
- :func:`bulk_unlock`         wall time of the documented bulk pipeline on a copy where ``locked`` users are locked
- :func:`completion`          median of Directory.complete(prefix) once the index is built
- :func:`peak_rss`            peak RSS (bytes) of a process holding the store after a look-up and a completion
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BULK_PIPELINE = "Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin"


def median_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def store_copy(store_path: str) -> Iterator[str]:
    """A private copy of the store (its journal too) in a temporary folder."""
    from csshell.store.journal import journal_path
    with tempfile.TemporaryDirectory(prefix="csshell-store-bench-") as folder:
        copy = os.path.join(folder, "store.json")
        shutil.copyfile(store_path, copy)
        if os.path.exists(journal_path(os.path.realpath(store_path))):
            shutil.copyfile(journal_path(os.path.realpath(store_path)), journal_path(copy))
        yield copy


def _engine(path: str):
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    from csshell.store import open_store
    return Engine(BufferHost(), lambda: open_store(path))


def _run(engine, text: str) -> None:
    if not engine.run_command_text(text):
        raise RuntimeError(f"{text!r} failed: {engine.host.stderr}")


def warm_change(store_path: str, name: str, repeat: int = 11) -> float:
    """Seconds per durable change: Lock then Unlock ``name`` at an open engine, halved, median."""
    with store_copy(store_path) as path:
        engine = _engine(path)
        _run(engine, f'Get-CsClientPinInfo -Identity "{name}" | Out-Null')

        def lock_unlock() -> None:
            _run(engine, f'Lock-CsClientPin -Identity "{name}"')
            _run(engine, f'Unlock-CsClientPin -Identity "{name}"')
        lock_unlock()
        try:
            return median_of(lock_unlock, repeat) / 2
        finally:
            engine.close()


def fsync_append(store_path: str, repeat: int = 11) -> float:
    """Seconds for an fsync'd 1 KB append to a file in the store's folder (median)."""
    target = os.path.join(os.path.dirname(os.path.abspath(store_path)), ".store-bench-append")

    def append() -> None:
        with open(target, "ab") as handle:
            handle.write(b"x" * 1024)
            handle.flush()
            os.fsync(handle.fileno())
    try:
        return median_of(append, repeat)
    finally:
        os.unlink(target)


def cold_lock_oneliner(store_path: str, name: str, repeat: int = 3) -> float:
    """Seconds for a fresh ``csshell -c`` locking then (next run) unlocking ``name`` (median)."""
    with store_copy(store_path) as path:
        shell = [sys.executable, "-m", "csshell", "--store", path, "-c"]
        subprocess.run(shell + ["$null"], check=True, capture_output=True)
        verbs = iter(["Lock", "Unlock"] * repeat)
        return median_of(lambda: subprocess.run(shell + [f'{next(verbs)}-CsClientPin -Identity "{name}"'],
                                                check=True, capture_output=True), repeat)


LOAD = """import sys
try:
    import orjson as codec
except ImportError:
    import json as codec
with open(sys.argv[1], "rb") as handle:
    codec.loads(handle.read())
"""


def json_load(store_path: str, repeat: int = 3) -> float:
    """Seconds for a python process loading the store file with the fastest parser installed (median)."""
    return median_of(lambda: subprocess.run([sys.executable, "-c", LOAD, store_path], check=True), repeat)


def bulk_unlock(store_path: str, locked: int = 10_000) -> tuple[float, int]:
    """(seconds, users unlocked) for the bulk pipeline on a copy where the first ``locked`` users are locked."""
    from csshell.store import open_store, schema
    with store_copy(store_path) as path:
        store = open_store(path)
        with store.statement(), store.change():
            table = store.table(schema.USERS)
            enabled = [doc.doc_id for doc in table.all() if doc.get("SipAddress")]
            table.update({"IsLockedOut": False}, doc_ids=enabled[locked:])
            table.update({"IsLockedOut": True}, doc_ids=enabled[:locked])
        store.close()
        engine = _engine(path)
        _run(engine, "$null")
        start = time.perf_counter()
        _run(engine, BULK_PIPELINE)
        seconds = time.perf_counter() - start
        engine.close()
        return seconds, min(locked, len(enabled))


def completion(store_path: str, prefixes: tuple[str, ...] = ("Ken", "Chr", "Mar", "Ann", "Dav")) -> float:
    """Median seconds of Directory.complete(prefix) after the first completion built the index."""
    from csshell.store import open_store
    store = open_store(store_path)
    try:
        store.directory.complete(prefixes[0])
        return statistics.median(median_of(lambda p=p: store.directory.complete(p), 5) for p in prefixes)
    finally:
        store.close()


PROBE = """import sys
from csshell.store import open_store
store = open_store(sys.argv[1])
store.directory.resolve(sys.argv[2])
store.directory.complete("Ken")
store.directory.users()
print(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) * 1024)
"""


def peak_rss(store_path: str, name: str) -> int:
    """Peak RSS in bytes of a process holding the store with every record, the index and the completion."""
    out = subprocess.run([sys.executable, "-c", PROBE, store_path, name], check=True, capture_output=True,
                         text=True, cwd=str(ROOT)).stdout
    return int(out.split()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--name", default="Ken Myer", help="a display name that names exactly one user")
    parser.add_argument("--locked", type=int, default=10_000)
    args = parser.parse_args(argv)
    warm, append = warm_change(args.store, args.name), fsync_append(args.store)
    cold, load = cold_lock_oneliner(args.store, args.name), json_load(args.store)
    bulk, unlocked = bulk_unlock(args.store, args.locked)
    print(f"warm change          {warm * 1000:9.1f} ms   fsync'd 1 KB append {append * 1000:7.1f} ms   "
          f"ratio {warm / append:5.1f}")
    print(f"cold lock one-liner  {cold * 1000:9.1f} ms   python loading file {load * 1000:7.1f} ms   "
          f"ratio {cold / load:5.1f}")
    print(f"bulk unlock          {bulk * 1000:9.1f} ms   ({unlocked:,} users)")
    print(f"completion           {completion(args.store) * 1000:9.2f} ms")
    print(f"peak RSS             {peak_rss(args.store, args.name) / 2**20:9.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

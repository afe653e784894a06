"""Start-Sleep stops at once when its statement is stopped, also in a worker thread (a remote session),
where the stop arrives as a KeyboardInterrupt raised in the thread rather than as SIGINT."""
from __future__ import annotations

import ctypes
import threading
import time

from csshell.engine import Engine
from csshell.runtime.host import BufferHost


def test_start_sleep_in_a_worker_thread_stops_at_once():
    engine = Engine(BufferHost())
    outcome: list[str] = []

    def run() -> None:
        try:
            engine.run_command_text("Start-Sleep -Seconds 5; 'not reached'")
            outcome.append("finished")
        except KeyboardInterrupt:
            outcome.append("stopped")
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert worker.ident is not None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(KeyboardInterrupt))
    worker.join(3)
    assert not worker.is_alive() and time.monotonic() - started < 1.5
    assert outcome == ["stopped"] and "not reached" not in engine.host.stdout      # type: ignore[attr-defined]
    engine.close()

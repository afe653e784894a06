"""Faults and bad files: each gives a clear error naming the file and the remedy, and never overwrites data.

Every fault is tried through the Store API and through the ``csshell`` command line (a real
subprocess: the message on stderr, exit code 1, no Python traceback):

- disk full: ``os.write``/``pwrite``/``fsync``/``fdatasync`` raising ENOSPC in-process; on the command line a real tiny tmpfs when this
  machine allows one (root in a private mount namespace, ``unshare -m``), else the same ENOSPC
  injected into the csshell process;
- a read-only folder;
- permission denied (mode 000): as root, whom modes do not stop, the check runs in a child process
  without the DAC-override capabilities (``setpriv``), so the kernel really refuses;
- a lock left behind: a stale ``.lock`` file and a lock holder killed with SIGKILL;
- a store that is busy (another process holds the lock): "store busy", never a hang;
- truncated and garbage store files, and a store from a newer schema version.
"""
from __future__ import annotations

import errno
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bench.soak import subprocess_env
from csshell.store import StoreError, open_store

KEN = "Ken Myer"


# --- helpers -------------------------------------------------------------------------------------

def run_cli(tmp_path: Path, store: Path, text: str, prefix: tuple[str, ...] = (),
            python: tuple[str, ...] = ("-m", "csshell")) -> subprocess.CompletedProcess:
    """``csshell --store STORE -NonInteractive -c TEXT`` in a subprocess (optionally under a wrapper)."""
    command = [*prefix, sys.executable, *python, "--store", str(store), "-NonInteractive", "-c", text]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, env=subprocess_env(tmp_path),
                          cwd=str(tmp_path), check=False)


def assert_cli_refused(result: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit code 1, an error record on stderr containing every needle, no traceback."""
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    flat = " ".join(result.stderr.split())                  # the error view wraps long messages
    for needle in needles:
        assert " ".join(needle.split()) in flat, f"{needle!r} not in stderr:\n{result.stderr}"
    return flat


def is_locked(store: Path, name: str = KEN) -> bool:
    opened = open_store(str(store), lock_timeout=5)
    try:
        return opened.directory.resolve_one(name).is_locked_out
    finally:
        opened.close()


def lock(store: Path, name: str = KEN, lock_timeout: float = 5) -> None:
    opened = open_store(str(store), lock_timeout=lock_timeout)
    try:
        opened.directory.lock_pin(opened.directory.resolve_one(name))
    finally:
        opened.close()


def stray_files(folder: Path, store: Path) -> list[str]:
    keep = {store.name + suffix for suffix in ("", ".lock", ".journal", ".bak", ".bak.journal")}
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


@pytest.fixture
def store(seeded_store_file: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "store.json"
    shutil.copyfile(seeded_store_file, path)
    return path


# --- disk full -----------------------------------------------------------------------------------

DISK_CALLS = ("write", "pwrite", "fsync", "fdatasync")


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_keeps_the_file_and_says_what_to_do(store: Path, monkeypatch) -> None:
    before = store.read_bytes()
    opened = open_store(str(store), lock_timeout=5)
    try:
        ken = opened.directory.resolve_one(KEN)
        with monkeypatch.context() as patch:
            for name in DISK_CALLS:              # whichever the storage uses: all fail as on a full disk
                patch.setattr(os, name, no_space)
            with pytest.raises(StoreError) as caught:
                opened.directory.lock_pin(ken)
        assert not opened.directory.resolve_one(KEN).is_locked_out       # the failed change is not kept
        error = caught.value
        assert str(store) in error.message and "No space left on device" in error.message
        assert "try again" in error.message.lower()                      # the remedy
        assert store.read_bytes() == before
        assert stray_files(store.parent, store) == []
        opened.directory.lock_pin(opened.directory.resolve_one(KEN))      # space again: it works
    finally:
        opened.close()
    assert is_locked(store)


def tiny_file_system_available() -> bool:
    """Can this process mount a tmpfs in a private mount namespace (root, unshare, no seccomp ban)?"""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt && umount /mnt"],
                           capture_output=True, timeout=20, check=False)
    return probe.returncode == 0


FULL_DISK_SCRIPT = r"""
set -u
mount -t tmpfs -o size=256k tmpfs "$DIR"
cp "$SEED" "$DIR/store.json"
dd if=/dev/zero of="$DIR/filler" bs=4k 2>/dev/null
sha256sum "$DIR/store.json" > "$OUT/before"
"$PY" -m csshell --store "$DIR/store.json" -NonInteractive -c 'Lock-CsClientPin -Identity "Ken Myer"' \
    >"$OUT/stdout" 2>"$OUT/stderr"
echo $? > "$OUT/rc"
sha256sum "$DIR/store.json" > "$OUT/after"
ls -A "$DIR" > "$OUT/files"
rm "$DIR/filler"
"$PY" -m csshell --store "$DIR/store.json" -NonInteractive -c 'Lock-CsClientPin -Identity "Ken Myer"' \
    >/dev/null 2>"$OUT/retry-stderr"
echo $? > "$OUT/retry-rc"
cp "$DIR"/store.json* "$OUT/"
"""

INJECTED_NO_SPACE = ("-c", (
    "import errno, os, sys\n"
    "def no_space(*a):\n    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
    "for name in ('write', 'pwrite', 'fsync', 'fdatasync'):\n    setattr(os, name, no_space)\n"
    "from csshell.cli import main\nsys.exit(main(sys.argv[1:]))"))


def test_disk_full_on_the_command_line(store: Path, tmp_path: Path) -> None:
    """A real full file system when the machine allows one; otherwise ENOSPC injected into csshell."""
    before = store.read_bytes()
    if tiny_file_system_available():
        out, mount = tmp_path / "out", tmp_path / "mnt"
        out.mkdir()
        mount.mkdir()
        env = dict(subprocess_env(tmp_path), DIR=str(mount), SEED=str(store), OUT=str(out), PY=sys.executable)
        subprocess.run(["unshare", "-m", "sh", "-c", FULL_DISK_SCRIPT], env=env, timeout=120, check=True)
        result = subprocess.CompletedProcess([], int((out / "rc").read_text()), (out / "stdout").read_text(),
                                             (out / "stderr").read_text())
        assert (out / "before").read_text().split()[0] == (out / "after").read_text().split()[0]
        assert (out / "files").read_text().split() in (["filler", "store.json"],
                                                       ["filler", "store.json", "store.json.lock"])
        assert (out / "retry-rc").read_text().strip() == "0", (out / "retry-stderr").read_text()
        assert is_locked(out / "store.json")
        shown = str(mount / "store.json")
    else:
        result = run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Ken Myer"', python=INJECTED_NO_SPACE)
        assert store.read_bytes() == before and stray_files(store.parent, store) == []
        shown = str(store)
    message = assert_cli_refused(result, shown, "No space left on device")
    assert "try again" in message.lower()


# --- read-only folder ------------------------------------------------------------------------------

def test_read_only_folder_refuses_changes_on_the_command_line(store: Path, tmp_path: Path) -> None:
    before = store.read_bytes()
    os.chmod(store.parent, 0o555)
    try:
        result = run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Ken Myer"')
        reading = run_cli(tmp_path, store, '(Get-CsClientPinInfo -Identity "Ken Myer").IsLockedOut')
    finally:
        os.chmod(store.parent, 0o755)
    assert_cli_refused(result, f"The folder '{store.parent}'", "read-only", "chmod u+w", "nothing was changed")
    assert reading.returncode == 0 and reading.stdout.strip() == "False"     # reading still works
    assert store.read_bytes() == before and stray_files(store.parent, store) == []


def test_read_only_folder_refuses_changes_through_the_api(store: Path) -> None:
    before = store.read_bytes()
    os.chmod(store.parent, 0o555)
    try:
        with pytest.raises(StoreError) as caught:
            lock(store)
    finally:
        os.chmod(store.parent, 0o755)
    assert caught.value.error_id == "StoreReadOnly" and str(store.parent) in caught.value.message
    assert "chmod u+w" in caught.value.message
    assert store.read_bytes() == before


# --- permission denied -------------------------------------------------------------------------------

def without_file_override() -> tuple[str, ...]:
    """A command prefix under which file modes apply: nothing for a normal user; for root, setpriv
    dropping CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (root otherwise reads a mode-000 file)."""
    if os.geteuid() != 0:
        return ()
    assert shutil.which("setpriv"), "running as root needs setpriv (util-linux) to drop the override"
    caps = "-dac_override,-dac_read_search"
    return ("setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}")


API_PROBE = """
import json, sys
from csshell.store import StoreError, open_store
try:
    store = open_store(sys.argv[1], lock_timeout=2)
    store.directory.lock_pin(store.directory.resolve_one("Ken Myer"))
    print(json.dumps({"ok": True}))
except StoreError as exc:
    print(json.dumps({"ok": False, "id": exc.error_id, "message": exc.message, "path": exc.path}))
"""


def api_in_child(tmp_path: Path, store: Path) -> dict:
    result = subprocess.run([*without_file_override(), sys.executable, "-c", API_PROBE, str(store)],
                            capture_output=True, text=True, timeout=60, env=subprocess_env(tmp_path), check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_store_file_without_read_permission(store: Path, tmp_path: Path) -> None:
    before = store.read_bytes()
    os.chmod(store, 0o000)
    try:
        api = api_in_child(tmp_path, store)
        result = run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Ken Myer"', prefix=without_file_override())
    finally:
        os.chmod(store, 0o600)
    assert api["ok"] is False and api["path"] == str(store) and "Permission denied" in api["message"]
    assert any(word in api["message"] for word in ("chmod", "chown", "ls -l")), api["message"]   # the remedy
    assert_cli_refused(result, str(store), "Permission denied")
    assert store.read_bytes() == before


def test_lock_file_without_write_permission(store: Path, tmp_path: Path) -> None:
    lock_file = Path(str(store) + ".lock")
    lock_file.touch()
    os.chmod(lock_file, 0o444)
    before = store.read_bytes()
    api = api_in_child(tmp_path, store)
    result = run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Ken Myer"', prefix=without_file_override())
    assert api["ok"] is False and str(lock_file) in api["message"] and "Permission denied" in api["message"]
    assert any(word in api["message"] for word in ("chmod", "chown", "ls -l")), api["message"]
    assert_cli_refused(result, str(lock_file), "Permission denied")
    assert store.read_bytes() == before


# --- locks left behind, and a busy store ------------------------------------------------------------------

def test_stale_lock_file_does_not_block(store: Path, tmp_path: Path) -> None:
    Path(str(store) + ".lock").write_text("12345 left here by a process that is long gone\n")
    lock(store, lock_timeout=1)
    assert is_locked(store)
    result = run_cli(tmp_path, store, 'Unlock-CsClientPin -Identity "Ken Myer"')
    assert result.returncode == 0, result.stderr
    assert not is_locked(store)


HOLDER = """
import sys, time
from csshell.store import open_store
store = open_store(sys.argv[1])
with store.statement():
    store.directory.lock_pin(store.directory.resolve_one("Aidan Delaney"))   # takes the lock, not yet written
    print("holding", flush=True)
    time.sleep(120)
"""


@pytest.fixture
def holder(store: Path, tmp_path: Path):
    """A process holding the store's lock in the middle of a statement."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(store)], stdout=subprocess.PIPE, text=True,
                            env=subprocess_env(tmp_path))
    assert proc.stdout.readline().strip() == "holding"
    yield proc
    proc.kill()
    proc.wait()
    proc.stdout.close()


def test_busy_store_gives_store_busy_not_a_hang(store: Path, holder) -> None:
    before = store.read_bytes()
    opened = open_store(str(store), lock_timeout=0.5)
    try:
        assert not opened.directory.resolve_one(KEN).is_locked_out              # reading never waits
        with pytest.raises(StoreError) as caught:
            opened.directory.lock_pin(opened.directory.resolve_one(KEN))
        assert not opened.directory.resolve_one(KEN).is_locked_out
    finally:
        opened.close()
    error = caught.value
    assert error.error_id == "StoreBusy" and error.category == "ResourceBusy"
    assert str(store) in error.message and "busy" in error.message and "try again" in error.message
    assert store.read_bytes() == before


def test_busy_store_on_the_command_line(store: Path, holder, monkeypatch, capsys) -> None:
    """The real command line in this process, with a short lock timeout (the default is 10 s)."""
    import csshell.store
    from csshell.cli import main
    monkeypatch.setattr(csshell.store, "open_store", functools.partial(open_store, lock_timeout=0.5))
    before = store.read_bytes()
    code = main(["--store", str(store), "-NonInteractive", "-c", 'Lock-CsClientPin -Identity "Ken Myer"'])
    err = " ".join(capsys.readouterr().err.split())
    assert code == 1
    assert "StoreBusy" in err and str(store) in err and "try again" in err and "Traceback" not in err
    assert store.read_bytes() == before


def test_lock_of_a_killed_holder_is_released_and_its_change_is_not_half_applied(store: Path, holder,
                                                                                tmp_path: Path) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert Path(str(store) + ".lock").exists()                                # the file stays behind ...
    lock(store, lock_timeout=1)                                               # ... and blocks nobody
    assert is_locked(store) and not is_locked(store, "Aidan Delaney")        # the killed change is not there
    result = run_cli(tmp_path, store, 'Unlock-CsClientPin -Identity "Ken Myer"')
    assert result.returncode == 0, result.stderr


# --- damaged files ---------------------------------------------------------------------------------

def truncated(seed: bytes) -> bytes:
    return seed[: len(seed) // 2]


DAMAGE = {
    "empty": lambda seed: b"",
    "truncated": truncated,
    "cut after the first byte": lambda seed: seed[:1],
    "zero-filled": lambda seed: b"\0" * len(seed),
    "random bytes": lambda seed: bytes((i * 193 + 7) % 256 for i in range(len(seed))),
    "not an object": lambda seed: b"[1, 2, 3]",
    "not a csshell store": lambda seed: b'{"users": {}}',
    "a table that is not an object": lambda seed: b'{"_meta": {"1": {"schema": 1}}, "users": []}',
    "a user that is not an object": lambda seed: b'{"_meta": {"1": {"schema": 1}}, "users": {"1": "x"}}',
    "a document id that is not a number": lambda seed: b'{"_meta": {"1": {"schema": 1}}, '
                                                       b'"users": {"x": {"SipAddress": "sip:a@b"}}}',
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_store_is_refused_and_never_overwritten(store: Path, tmp_path: Path, damage: str) -> None:
    store.write_bytes(DAMAGE[damage](store.read_bytes()))
    before = store.read_bytes()
    with pytest.raises(StoreError) as caught:
        lock(store)
    assert caught.value.error_id == "StoreCorrupt" and str(store) in caught.value.message
    assert "Restore-CsStore" in caught.value.message                          # the documented way back
    example = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"
    result = run_cli(tmp_path, store, f"Get-CsUser; Lock-CsClientPin -Identity 'Ken Myer'; "
                                      f"Import-CsDirectory -Path '{example}'")          # a read and two writes
    flat = assert_cli_refused(result, str(store), "StoreCorrupt", "Restore-CsStore")
    assert flat.count("FullyQualifiedErrorId : StoreCorrupt") == 3
    assert store.read_bytes() == before
    assert stray_files(store.parent, store) == []


def test_store_from_a_newer_schema_is_refused_and_never_overwritten(store: Path, tmp_path: Path) -> None:
    data = json.loads(store.read_text(encoding="utf-8"))
    next(iter(data["_meta"].values()))["schema"] = 99
    store.write_text(json.dumps(data), encoding="utf-8")
    before = store.read_bytes()
    with pytest.raises(StoreError) as caught:
        lock(store)
    assert caught.value.error_id == "StoreSchemaTooNew" and str(store) in caught.value.message
    assert "version 99" in caught.value.message and "Upgrade csshell" in caught.value.message
    result = run_cli(tmp_path, store, 'Lock-CsClientPin -Identity "Ken Myer"')
    assert_cli_refused(result, str(store), "schema version 99", "Upgrade csshell", "StoreSchemaTooNew")
    assert store.read_bytes() == before

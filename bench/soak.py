"""Crash soak: kill csshell with SIGKILL at random moments of a stream of committed changes, then check the store.

Run: .venv/bin/python bench/soak.py --trials 500 [--seed N] [--store FILE]

Each trial writes a csshell script of single-statement changes (``Lock-CsClientPin`` or
``Unlock-CsClientPin`` on one user, or two or three users piped into one statement), each followed
by a statement that prints ``done <k>``. The engine commits every top-level statement before the
next one starts, so ``done k`` on stdout means statement k is durable. The script runs in a real
``csshell -File`` process, killed with SIGKILL at a random moment: in three trials out of four a
random time after the first marker (mid-stream), otherwise a random time after the start (often
during start-up, before any change).

A trial passes when the store opens again through the public API and:

- the audit trail keeps every earlier entry, and its new entries are exactly the changes of the
  first ``s`` statements (a statement with three targets is all there or not at all);
- ``s`` is the last marker printed, or one more (the kill came after a commit, before its marker);
- every user's lock state is the one those ``s`` statements give.

Trials run one after the other on the same store, so each one also starts from what the previous
kill left (its lock file, any temporary file). ``tests/store/test_crash.py`` runs the same trials in
the normal test run; this command runs as many as asked and prints a summary. Figures, never timing
asserts.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from csshell.store import open_store

Change = tuple[str, str]          # (audit action, target) as the audit trail records it
KNOWN_FILES = {".ps1"}


@dataclass(frozen=True)
class Statement:
    """One top-level statement of the script: lock or unlock one to three users."""
    lock: bool
    targets: tuple[str, ...]

    @property
    def cmdlet(self) -> str:
        return "Lock-CsClientPin" if self.lock else "Unlock-CsClientPin"

    def text(self) -> str:
        if len(self.targets) == 1:
            return f'{self.cmdlet} -Identity "{self.targets[0]}"'
        return ", ".join(f'"{t}"' for t in self.targets) + f" | {self.cmdlet}"

    def changes(self) -> list[Change]:
        return [(self.cmdlet, target) for target in self.targets]


@dataclass
class Snapshot:
    """What a trial compares: enabled users' lock states and the audit trail, in order."""
    locked: dict[str, bool]
    audit: list[Change]


@dataclass
class Trial:
    """The outcome of one kill."""
    number: int
    planned: int
    markers: int          # the last "done k" the process printed
    on_disk: int          # statements found committed after the kill
    phase: str            # "start-up" (no marker yet), "stream" or "finished" (ran to the end)
    leftovers: list[str] = field(default_factory=list)   # unknown files beside the store
    after: Snapshot | None = None                        # the store as the next trial starts from it


class TrialFailure(AssertionError):
    """The store lost a completed statement, holds half of one, or cannot be opened."""


def make_plan(rng: random.Random, targets: list[str], length: int) -> list[Statement]:
    """A random stream of statements over ``targets`` (about one in four changes several users)."""
    plan = []
    for _ in range(length):
        count = 1 if rng.random() < 0.75 else rng.choice((2, 3))
        plan.append(Statement(rng.random() < 0.5, tuple(rng.sample(targets, min(count, len(targets))))))
    return plan


def script_text(plan: list[Statement]) -> str:
    """The csshell script: each change statement, then its marker (a failed change stops the script)."""
    lines = []
    for number, statement in enumerate(plan, 1):
        lines.append(statement.text())
        lines.append(f'if ($?) {{ Write-Host "done {number}" }} else {{ Write-Host "failed {number}"; exit 3 }}')
    return "\n".join(lines) + "\n"


def read_snapshot(path: Path) -> Snapshot:
    """Open the store through the public API (as the next admin would) and read what a trial checks."""
    store = open_store(str(path), lock_timeout=5)
    try:
        users = store.directory.users()
        audit = [(e.get("action"), e.get("target")) for e in store.directory.audit_entries()]
    finally:
        store.close()
    return Snapshot({u.sip_address: u.is_locked_out for u in users}, audit)


def apply(locked: dict[str, bool], plan: list[Statement]) -> dict[str, bool]:
    state = dict(locked)
    for statement in plan:
        for target in statement.targets:
            state[target] = statement.lock
    return state


def subprocess_env(home: Path) -> dict[str, str]:
    """No CSSHELL_STORE and a private HOME/XDG folder: the user's own store is never touched."""
    env = {k: v for k, v in os.environ.items() if k not in ("CSSHELL_STORE", "COLUMNS")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "xdg"), NO_COLOR="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    return env


class MarkerReader(threading.Thread):
    """Reads the child's stdout; remembers the last ``done k`` and whether a statement failed."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.last = 0
        self.failed: str | None = None
        self.first = threading.Event()

    def run(self) -> None:
        for line in self.stream:
            word, _, number = line.strip().partition(" ")
            if word == "done" and number.isdigit():
                self.last = max(self.last, int(number))
                self.first.set()
            elif word == "failed":
                self.failed = line.strip()
                self.first.set()


def run_trial(store_path: Path, rng: random.Random, number: int, home: Path, length: int = 400,
              before: Snapshot | None = None) -> Trial:
    """One trial: start a writer, SIGKILL it at a random moment, check the store. Raises TrialFailure.

    ``before`` is the store's state if the caller knows it (the previous trial's ``after``).
    """
    before = before or read_snapshot(store_path)
    plan = make_plan(rng, sorted(before.locked), length)
    script = store_path.parent / f"soak-{number}.ps1"
    script.write_text(script_text(plan), encoding="utf-8")
    command = [sys.executable, "-m", "csshell", "--store", str(store_path), "-NonInteractive", "-File", str(script)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=subprocess_env(home), cwd=str(store_path.parent))
    reader = MarkerReader(proc.stdout)
    reader.start()
    if rng.random() < 0.75:
        reader.first.wait(60)                    # mid-stream: the clock starts at the first commit
        time.sleep(rng.uniform(0, 0.25))
    else:
        time.sleep(rng.uniform(0, 0.5))          # from the start: often during start-up
    finished = proc.poll() is not None
    proc.kill()
    proc.wait()
    reader.join(10)
    stderr = proc.stderr.read()
    proc.stderr.close()
    script.unlink()
    if reader.failed:
        raise TrialFailure(f"trial {number}: a statement failed before the kill ({reader.failed}): {stderr[-2000:]}")
    if finished and (proc.returncode != 0 or reader.last != len(plan)):
        raise TrialFailure(f"trial {number}: the writer ended by itself (exit {proc.returncode}) after "
                           f"{reader.last} of {len(plan)} statements: {stderr[-2000:]}")
    on_disk, after = check_after_kill(store_path, before, plan, reader.last, number)
    phase = "finished" if finished else ("stream" if reader.first.is_set() else "start-up")
    return Trial(number, len(plan), reader.last, on_disk, phase, leftovers(store_path), after)


def check_after_kill(store_path: Path, before: Snapshot, plan: list[Statement], markers: int,
                     number: int) -> tuple[int, Snapshot]:
    """Statements on disk and the state; TrialFailure if a completed statement is missing or one is half there."""
    try:
        after = read_snapshot(store_path)
    except Exception as exc:  # a StoreError here is exactly what this soak exists to catch
        raise TrialFailure(f"trial {number}: the store does not open after the kill: {exc}") from exc
    if after.audit[:len(before.audit)] != before.audit:
        raise TrialFailure(f"trial {number}: audit entries from before the trial changed")
    new = after.audit[len(before.audit):]
    boundaries = [0]
    for statement in plan:
        boundaries.append(boundaries[-1] + len(statement.targets))
    if len(new) not in boundaries:
        raise TrialFailure(f"trial {number}: {len(new)} new audit entries is not a statement boundary "
                           "(half a statement was committed)")
    on_disk = boundaries.index(len(new))
    expected = [change for statement in plan[:on_disk] for change in statement.changes()]
    if new != expected:
        raise TrialFailure(f"trial {number}: the audit trail is not the script's changes in order")
    if not markers <= on_disk <= markers + 1:
        raise TrialFailure(f"trial {number}: {markers} statements reported done but {on_disk} on disk")
    if after.locked != apply(before.locked, plan[:on_disk]):
        raise TrialFailure(f"trial {number}: the users' lock states are not those of the {on_disk} "
                           "committed statements")
    return on_disk, after


def leftovers(store_path: Path) -> list[str]:
    """Files beside the store other than the store, its journal, lock and backup (e.g. killed writes' temp files)."""
    name = store_path.name
    known = {name + suffix for suffix in ("", ".lock", ".journal", ".bak", ".bak.journal")}
    return sorted(p.name for p in store_path.parent.iterdir()
                  if p.name not in known and p.suffix not in KNOWN_FILES and p.is_file())


def seed_store(path: Path) -> None:
    """A store with the bundled example directory."""
    store = open_store(str(path))
    try:
        with store.statement():
            store.directory.import_file(str(ROOT / "examples" / "directory.csv"))
    finally:
        store.close()


def summary(trials: list[Trial], seconds: float, failures: int = 0) -> str:
    phases = Counter(t.phase for t in trials)
    in_flight = sum(1 for t in trials if t.on_disk == t.markers + 1)
    rows = [
        ("trials", len(trials)),
        ("killed during start-up", phases["start-up"]),
        ("killed mid-stream", phases["stream"]),
        ("ran to the end before the kill", phases["finished"]),
        ("statements committed (total)", sum(t.on_disk for t in trials)),
        ("kills after a commit, before its marker", in_flight),
        ("stray files beside the store at the end", len(trials[-1].leftovers) if trials else 0),
        ("failures", failures),
        ("seconds", round(seconds, 1)),
    ]
    return "\n".join(f"{name:42} {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=500)
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random, printed)")
    parser.add_argument("--store", type=Path, default=None,
                        help="store file to torture (copied; default: the example directory)")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    print(f"crash soak: {args.trials} trials, seed {seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="csshell-soak-") as folder:
        store_path = Path(folder) / "data" / "store.json"
        store_path.parent.mkdir()
        if args.store:
            shutil.copyfile(args.store, store_path)
        else:
            seed_store(store_path)
        trials: list[Trial] = []
        start = time.perf_counter()
        try:
            for number in range(1, args.trials + 1):
                trials.append(run_trial(store_path, rng, number, Path(folder),
                                        before=trials[-1].after if trials else None))
                if number % 50 == 0:
                    print(f"  {number} trials passed", flush=True)
        except TrialFailure as failure:
            print(f"FAILED (seed {seed}): {failure}", flush=True)
            print(summary(trials, time.perf_counter() - start, failures=1))
            return 1
        print(summary(trials, time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())

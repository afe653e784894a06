"""Crash safety: csshell killed with SIGKILL at random moments loses no statement it reported done.

The trials are ``bench/soak.py``'s (a real ``csshell -File`` process running a stream of one-statement
changes, each followed by a printed marker); the soak runs 500 of them, this file 24 in the normal
test run, plus kills in the middle of a bulk ``Import-CsDirectory``.
"""
from __future__ import annotations

import csv
import io
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import soak
from csshell.store import open_store

TRIALS = 24
EXAMPLE_CSV = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"


def test_sigkill_at_random_moments_keeps_every_completed_statement(seeded_store_file: Path, tmp_path: Path) -> None:
    store = tmp_path / "data" / "store.json"
    store.parent.mkdir()
    shutil.copyfile(seeded_store_file, store)
    seed = random.SystemRandom().randrange(2**32)
    rng = random.Random(seed)
    trials = []
    for number in range(1, TRIALS + 1):
        try:
            trials.append(soak.run_trial(store, rng, number, tmp_path, before=trials[-1].after if trials else None))
        except soak.TrialFailure as failure:
            raise AssertionError(f"{failure} (reproduce: bench/soak.py --seed {seed})") from None
    assert len(trials) == TRIALS
    assert any(t.phase == "stream" for t in trials)          # the kills did land among commits
    assert sum(t.on_disk for t in trials) > 0
    final = soak.read_snapshot(store)
    assert len(final.audit) >= sum(t.on_disk for t in trials)


def test_soak_command_runs_trials_and_prints_a_summary(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(soak.ROOT / "bench" / "soak.py"), "--trials", "2", "--seed", "7"],
                            capture_output=True, text=True, timeout=120, cwd=str(tmp_path), check=False,
                            env=soak.subprocess_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seed 7" in result.stdout
    assert "trials                                     2" in result.stdout
    assert "failures                                   0" in result.stdout


# --- a bulk statement: Import-CsDirectory replaces every user at once --------------------------------

def retitled_directory(path: Path, title: str) -> None:
    """The example directory with every user's Title set to ``title`` (the marker of the new version)."""
    rows = list(csv.DictReader(io.StringIO(EXAMPLE_CSV.read_text(encoding="utf-8"))))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(row, Title=title))


def titles(store: Path) -> set[str]:
    opened = open_store(str(store), lock_timeout=5)
    try:
        return {u.get("Title") for u in opened.directory.users(enabled_only=False)}
    finally:
        opened.close()


def test_sigkill_during_a_bulk_import_leaves_the_old_or_the_new_directory(seeded_store_file: Path,
                                                                          tmp_path: Path) -> None:
    store = tmp_path / "store.json"
    shutil.copyfile(seeded_store_file, store)
    rng = random.Random()
    outcomes = []
    for number in range(4):
        title = f"Version {number}"
        source = tmp_path / f"v{number}.csv"
        retitled_directory(source, title)
        before = titles(store)
        proc = subprocess.Popen([sys.executable, "-m", "csshell", "--store", str(store), "-NonInteractive", "-c",
                                 f"Import-CsDirectory -Path '{source}'; Write-Host imported"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                env=soak.subprocess_env(tmp_path))
        time.sleep(rng.uniform(0.2, 0.8))
        proc.kill()
        out, _ = proc.communicate()
        after = titles(store)
        assert after in (before, {title}), f"a mix of versions after the kill: {sorted(after)}"
        if "imported" in out:
            assert after == {title}
        outcomes.append(after == {title})
    assert len(outcomes) == 4

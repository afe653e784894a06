"""Concurrency: four csshell processes change overlapping users while a fifth process keeps reading.

Each writer is a real ``csshell -File`` process running 500 random one-statement changes (lock,
unlock, and now and then an explicit Set-CsClientPin: scrypt is slow on purpose) on the same six
users, printing ``ok k`` / ``fail k`` after each. A reader process loads the store over and over
(the raw file and through the public API) and checks every state it sees. Afterwards:

- no lost update: the audit trail holds exactly the changes the writers reported done, each
  writer's in its own order, and replaying it in order gives the final lock states and PINs;
- the order is the commit order: every PIN change in the trail finds its user unlocked there
  (a PIN change on a locked user is refused, so a misordered trail shows up);
- no duplicate document ids, no reader ever saw a half-written or inconsistent state;
- waiting for the lock is bounded: a change either gets the lock or fails with a clear "store busy"
  after the 10 s timeout (none does on an idle machine), and every process ends (the test gives up
  on a hang instead of waiting forever).
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from csshell.store import journal, open_store, pins
from csshell.store.storage import load_state

WRITERS = 4
OPERATIONS = 500
SET_PIN_SHARE = 0.03
TARGETS = ("sip:kenmyer@litwareinc.com", "sip:kenmyers@litwareinc.com", "sip:pilar@litwareinc.com",
           "sip:aidan@litwareinc.com", "sip:davidl@litwareinc.com", "sip:jhaas@litwareinc.com")
LOCK, UNLOCK, SET = "Lock-CsClientPin", "Unlock-CsClientPin", "Set-CsClientPin"

READER = r'''
import json, os, sys, time
from csshell.store import StoreError, journal, open_store
from csshell.store.storage import load_state

path, stop, baseline_file = sys.argv[1], sys.argv[2], sys.argv[3]
baseline = json.load(open(baseline_file))
journal_file = journal.journal_path(os.path.realpath(path))
violations, raw_checked, api_checked = [], 0, 0

def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        violations.append(f"duplicate keys {sorted(k for k in keys if keys.count(k) > 1)[:5]}")
    return dict(pairs)

def replay(audit):
    state = dict(baseline["locked"])
    for action, target in audit[baseline["audit"]:]:
        if action in ("Lock-CsClientPin", "Unlock-CsClientPin"):
            state[target] = action == "Lock-CsClientPin"
        elif action == "Set-CsClientPin" and state.get(target):
            violations.append(f"a PIN change on locked {target} in the trail")
    return state

def check(users, audit, where):
    locked = {u["SipAddress"]: bool(u.get("IsLockedOut")) for u in users if u.get("SipAddress")}
    if len(users) != baseline["users"]:
        violations.append(f"{where}: {len(users)} users instead of {baseline['users']}")
    if replay(audit) != locked:
        violations.append(f"{where}: lock states differ from the audit trail replayed ({len(audit)} entries)")

def check_files():
    # the base file always parses, without duplicate keys, with a schema this csshell understands
    data = json.loads(open(path, "rb").read(), object_pairs_hook=no_duplicates)
    meta = next(iter(data.get("_meta", {}).values()), {})
    if not isinstance(meta.get("schema"), int) or not all(isinstance(data.get(t), dict)
                                                          for t in ("users", "audit", "pin_policies")):
        violations.append("base file without a valid schema")
    journal.read(journal_file, None)            # raises on a damaged record that is not the torn last one
    state = load_state(path)                    # what csshell sees: base plus journal, in one read
    ids = [int(k) for k in state["audit"]]
    if ids != sorted(ids):
        violations.append("audit document ids out of order")
    check(list(state["users"].values()), [(e["action"], e["target"]) for e in state["audit"].values()], "files")

previous = []
store = open_store(path, lock_timeout=30)
while not os.path.exists(stop) or raw_checked < 3:
    try:
        check_files()
    except (StoreError, ValueError) as exc:
        violations.append(f"the files do not read: {exc}")
        break
    raw_checked += 1
    first = store.directory.audit_entries()
    users = [dict(u.doc) for u in store.directory.users(enabled_only=False)]
    second = store.directory.audit_entries()
    if len(first) == len(second):               # no commit in between: one consistent snapshot
        audit = [(e["action"], e["target"]) for e in first]
        check(users, audit, "public API")
        if audit[:len(previous)] != previous:
            violations.append("an audit entry changed or disappeared")
        previous = audit
        api_checked += 1
    time.sleep(0.02)
print(json.dumps({"violations": violations[:20], "raw_checked": raw_checked, "api_checked": api_checked}))
'''


def random_pin(rng: random.Random, policy, line_uri: str | None) -> str:
    while True:
        pin = "".join(rng.choice("0123456789") for _ in range(max(policy.min_password_length, 7)))
        try:
            pins.check_pin(pin, policy, line_uri)
            return pin
        except ValueError:
            continue


def writer_plan(rng: random.Random, policies: dict[str, tuple]) -> list[tuple[str, str, str | None]]:
    plan = []
    for _ in range(OPERATIONS):
        target = rng.choice(TARGETS)
        if rng.random() < SET_PIN_SHARE:
            plan.append((SET, target, random_pin(rng, *policies[target])))
        else:
            plan.append((rng.choice((LOCK, UNLOCK)), target, None))
    return plan


def writer_script(plan: list[tuple[str, str, str | None]]) -> str:
    lines = []
    for number, (action, target, pin) in enumerate(plan, 1):
        lines.append(f'{action} -Identity "{target}"' + (f" -Pin {pin}" if pin else ""))
        lines.append(f'if ($?) {{ Write-Host "ok {number}" }} else {{ Write-Host "fail {number}" }}')
    return "\n".join(lines) + "\n"


def storage_token(base: dict) -> str | None:
    """The base file's token: which journal belongs to it (storage.py)."""
    return next(iter(base["_meta"].values())).get("base_id")


def subprocess_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CSSHELL_STORE", "COLUMNS")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "xdg"), NO_COLOR="1")
    return env


def results(stdout: str) -> dict[int, bool]:
    outcome = {}
    for line in stdout.splitlines():
        word, _, number = line.partition(" ")
        if word in ("ok", "fail") and number.isdigit():
            outcome[int(number)] = word == "ok"
    return outcome


def test_four_writers_and_a_reader_lose_nothing_and_never_see_half_a_change(seeded_store_file: Path,
                                                                           tmp_path: Path) -> None:
    path = tmp_path / "store.json"
    shutil.copyfile(seeded_store_file, path)
    store = open_store(str(path))
    users = {u.sip_address: u for u in store.directory.users(enabled_only=False) if u.sip_address}
    policies = {t: (store.directory.effective_pin_policy(users[t]), users[t].get("LineURI")) for t in TARGETS}
    baseline = {"locked": {s: u.is_locked_out for s, u in users.items()},
                "users": len(store.directory.users(enabled_only=False)),
                "audit": len(store.directory.audit_entries())}
    hashes_before = {t: users[t].get("PinHash") for t in TARGETS}
    data_users_before = list(load_state(str(path))["users"])
    store.close()
    (tmp_path / "baseline.json").write_text(json.dumps(baseline))
    rng = random.Random()
    plans = [writer_plan(rng, policies) for _ in range(WRITERS)]
    scripts = []
    for number, plan in enumerate(plans):
        scripts.append(tmp_path / f"writer{number}.ps1")
        scripts[-1].write_text(writer_script(plan), encoding="utf-8")

    env = subprocess_env(tmp_path)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path), str(stop), str(tmp_path / "baseline.json")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    writers = [subprocess.Popen([sys.executable, "-m", "csshell", "--store", str(path), "-NonInteractive",
                                 "-File", str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env, cwd=str(tmp_path)) for script in scripts]
    try:
        outputs = [w.communicate(timeout=600) for w in writers]      # a hang fails here, it never blocks CI
    finally:
        stop.touch()
        for w in writers:
            w.kill()
    reader_out, reader_err = reader.communicate(timeout=60)

    # every writer ended normally; only PIN changes on a locked user were refused
    done: list[list[tuple[str, str, str | None]]] = []
    for number, ((out, err), writer, plan) in enumerate(zip(outputs, writers, plans)):
        assert writer.returncode == 0, err[-2000:]
        outcome = results(out)
        assert sorted(outcome) == list(range(1, OPERATIONS + 1)), f"writer {number} did not report every change"
        refused = [plan[i - 1] for i, ok in sorted(outcome.items()) if not ok]
        reasons = re.findall(r"FullyQualifiedErrorId : (\w+),", " ".join(err.split()))
        assert len(reasons) == len(refused) and "Traceback" not in err, err[-2000:]
        for (action, _, _), reason in zip(refused, reasons):
            # a PIN change on a locked user is refused; under a heavily loaded machine a writer may also
            # wait out the 10 s lock timeout: then a clear "store busy", never a hang or a lost change
            assert reason == "StoreBusy" or (action == SET and reason == "PinLocked"), err[-2000:]
        done.append([op for i, op in enumerate(plan, 1) if outcome[i]])

    # no lost update: the trail is exactly the reported changes, each writer's in its own order
    final = open_store(str(path))
    audit = final.directory.audit_entries()[baseline["audit"]:]
    by_origin: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for entry in audit:
        by_origin[entry["origin"]].append((entry["action"], entry["target"]))
    assert len(audit) == sum(len(d) for d in done)
    for script, ops in zip(scripts, done):
        assert by_origin[f"script {script}"] == [(action, target) for action, target, _ in ops]

    # replaying the trail in order gives the final state; PIN changes only ever hit unlocked users
    locked = dict(baseline["locked"])
    last_pin: dict[str, str] = {}
    pins_left = {f"script {s}": [op for op in ops if op[0] == SET] for s, ops in zip(scripts, done)}
    for entry in audit:
        target = entry["target"]
        if entry["action"] == SET:
            assert not locked[target], "a PIN change on a locked user: the trail is not in commit order"
            last_pin[target] = pins_left[entry["origin"]].pop(0)[2]
        else:
            locked[target] = entry["action"] == LOCK
    now = {u.sip_address: u for u in final.directory.users(enabled_only=False) if u.sip_address}
    assert {s: u.is_locked_out for s, u in now.items()} == locked
    for target in TARGETS:
        if target in last_pin:
            assert final.directory.verify_pin(now[target], last_pin[target])
        else:
            assert now[target].get("PinHash") == hashes_before[target]
    final.close()

    # no duplicate document ids: none in the base file, and the journal never inserts an audit entry twice
    def unique(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), "duplicate keys in the store file"
        return dict(pairs)
    base = json.loads(path.read_bytes(), object_pairs_hook=unique)
    opened = journal.read(journal.journal_path(os.path.realpath(path)), None)
    records = opened.tail.records if opened and opened.token == storage_token(base) else []
    inserted = [key for record in records for key in record.get("audit", {})]
    assert len(inserted) == len(set(inserted)) and not set(inserted) & set(base["audit"])
    state = load_state(str(path))
    assert sorted(state["users"], key=int) == sorted(data_users_before, key=int)
    assert len(state["audit"]) == baseline["audit"] + len(audit)

    # the reader never saw a half-written or inconsistent state
    report = json.loads(reader_out.strip().splitlines()[-1]) if reader_out.strip() else {}
    assert report.get("violations") == [], reader_err[-2000:] or report
    assert report["raw_checked"] > 0 and report["api_checked"] > 0

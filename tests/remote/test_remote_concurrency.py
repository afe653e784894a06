"""Many admins at once: 20 concurrent SSH sessions of mixed commands lose no update and audit every change.

Each session is one connection signed in with a key; each command is one exec channel, run in turn.
Changes are Lock-/Unlock-CsClientPin (every role here may run them) and Set-CsClientPin (user
administrators, on users nobody locks). Afterwards the store must equal the audit trail replayed in
order, every change must have exactly one audit entry naming the session's account and address, and
no command may have failed. (20 x 100, as the issue asks; bench/remote_bench.py runs the same load and times it.)
"""
from __future__ import annotations

import asyncio
import random
from collections import Counter

from remote_support import audit, connect, local_run

from csshell.store import open_store, pins

SESSIONS = 20
COMMANDS = 100
LOCKABLE = ["sip:kenmyer@litwareinc.com", "sip:kenmyers@litwareinc.com", "sip:pilar@litwareinc.com",
            "sip:chris.cannon@litwareinc.com", "sip:aokafor@litwareinc.com", "sip:ytanaka@litwareinc.com"]
PIN_TARGETS = ["sip:ohaddad@litwareinc.com", "sip:srossi@litwareinc.com"]


def valid_pins(store, count: int, seed: int) -> list[str]:
    """Distinct PINs the global policy accepts (no common patterns), for Set-CsClientPin."""
    rng = random.Random(seed)
    with open_store(str(store)) as opened:
        policy = opened.directory.pin_policy("Global")
    found: list[str] = []
    while len(found) < count:
        pin = "".join(rng.choice("0123456789") for _ in range(7))
        try:
            pins.check_pin(pin, policy)
        except Exception:  # noqa: BLE001 — a PIN the policy refuses is simply skipped
            continue
        if pin not in found:
            found.append(pin)
    return found


def plan(session: int, pin_pool: list[str]) -> list[tuple[str, str | None, str]]:
    """(command text, changed user or None for a read, action) for one session, reproducibly."""
    rng = random.Random(session)
    can_set = session % 4 == 1                    # the user administrators' sessions
    steps = []
    for _ in range(COMMANDS):
        roll = rng.random()
        user = rng.choice(LOCKABLE)
        if roll < 0.35:
            steps.append((f'Lock-CsClientPin -Identity "{user}"', user, "Lock-CsClientPin"))
        elif roll < 0.70:
            steps.append((f'Unlock-CsClientPin -Identity "{user}"', user, "Unlock-CsClientPin"))
        elif roll < 0.80 and can_set and pin_pool:
            target = rng.choice(PIN_TARGETS)
            steps.append((f'Set-CsClientPin -Identity "{target}" -Pin {pin_pool.pop()}', target, "Set-CsClientPin"))
        elif roll < 0.90:
            steps.append((f'Get-CsClientPinInfo -Identity "{user}" | Format-List IsLockedOut', None, "read"))
        else:
            steps.append(('(Get-CsUser | Measure-Object).Count', None, "read"))
    return steps


async def run_session(server, account, steps) -> list[tuple[int, str]]:
    results = []
    async with await connect(server, account) as conn:
        for text, _, _ in steps:
            result = await conn.run(text)
            results.append((result.exit_status, str(result.stderr)))
    return results


def replay(entries: list[dict]) -> dict[str, bool]:
    """The lock state of every LOCKABLE user the audit trail says it must have, from the start state."""
    state: dict[str, bool] = {}
    for entry in entries:
        if entry["action"] == "Lock-CsClientPin":
            state[entry["target"]] = True
        elif entry["action"] == "Unlock-CsClientPin":
            state[entry["target"]] = False
    return state


def test_twenty_sessions_lose_no_update_and_audit_every_change(remote, server):
    local_run(remote.store, " ; ".join(f'Unlock-CsClientPin -Identity "{u}"' for u in LOCKABLE + PIN_TARGETS))
    before = len(audit(remote.store))
    roles = ["helpdesk", "useradmin", "admin", "helpdesk"]
    pool = valid_pins(remote.store, SESSIONS * COMMANDS // 4, seed=6)
    sessions = [(remote.accounts[roles[i % 4]], plan(i, pool)) for i in range(SESSIONS)]

    async def all_sessions():
        return await asyncio.gather(*(run_session(server, account, steps) for account, steps in sessions))
    outcomes = asyncio.run(all_sessions())

    failures = [(text, code, err) for (_, steps), results in zip(sessions, outcomes)
                for (text, _, _), (code, err) in zip(steps, results) if code != 0]
    assert failures == []
    entries = audit(remote.store)[before:]
    expected = Counter((account.logon, action) for account, steps in sessions for _, _, action in steps
                       if action != "read")
    assert Counter((e["actor"], e["action"]) for e in entries) == expected
    assert all(e["origin"].startswith("ssh 127.0.0.1:") for e in entries)
    assert len({e["origin"] for e in entries}) == SESSIONS        # one client port per session
    for user, locked in replay(entries).items():
        out, err = local_run(remote.store, f'(Get-CsClientPinInfo -Identity "{user}").IsLockedOut')
        assert (out.strip(), err) == (str(locked), ""), user
    with open_store(str(remote.store)) as opened:                 # no duplicate document ids, file intact
        ids = [doc.doc_id for doc in opened.table("audit").all()]
        assert len(ids) == len(set(ids)) == before + len(entries)

"""Remote-session benchmark: commands per second and latency per command across concurrent SSH sessions.

    .venv/bin/python bench/remote_bench.py [--sessions 20] [--commands 100]

Starts ``csshell serve`` on loopback with a store made from examples/directory.csv, signs in
``--sessions`` admins with SSH keys (asyncssh clients, one connection each) and has each run
``--commands`` mixed commands (lock, unlock, PIN info, user count; ~70 % changes), one exec channel
per command, all sessions at once. Prints throughput and the p50/p99 latency of one command as a
client sees it (channel open, engine, store statement, exit status), beside a reference measured in
the same run: the same commands run one after another by a single local engine (no SSH, no other
writers). Figures, never asserts.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

USERS = ["sip:kenmyer@litwareinc.com", "sip:kenmyers@litwareinc.com", "sip:pilar@litwareinc.com",
         "sip:chris.cannon@litwareinc.com", "sip:aokafor@litwareinc.com", "sip:ytanaka@litwareinc.com",
         "sip:ohaddad@litwareinc.com", "sip:srossi@litwareinc.com"]
CSSHELL = [sys.executable, "-c", "import sys; from csshell.cli import main; sys.exit(main())"]
ADMINS = [("Lisa Jacobson", "lisaj", "CsAdministrator"), ("Jonathan Haas", "jhaas", "CsHelpDesk"),
          ("Mariana Ortega", "mortega", "CsUserAdministrator")]


def commands(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        roll, user = rng.random(), rng.choice(USERS)
        if roll < 0.35:
            out.append(f'Lock-CsClientPin -Identity "{user}"')
        elif roll < 0.70:
            out.append(f'Unlock-CsClientPin -Identity "{user}"')
        elif roll < 0.90:
            out.append(f'(Get-CsClientPinInfo -Identity "{user}").IsLockedOut')
        else:
            out.append("(Get-CsUser | Measure-Object).Count")
    return out


def local_engine(store: Path):
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    from csshell.store import open_store
    return Engine(BufferHost(), lambda: open_store(str(store)), cwd=str(store.parent))


def prepare(folder: Path) -> dict[str, Path]:
    """Store from the example directory; each admin gets a role and an ed25519 key made by ssh-keygen."""
    store = folder / "store.json"
    engine = local_engine(store)
    script = [f'Import-CsDirectory -Path "{ROOT / "examples" / "directory.csv"}" | Out-Null']
    keys = {}
    for display, login, role in ADMINS:
        key = folder / f"{login}_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
        keys[login] = key
        public = key.with_suffix(".pub").read_text().strip()
        script += [f'Grant-CsAdminRole -Identity "{display}" -Role {role}',
                   f'Set-CsAdminCredential -Identity "{display}" -SshPublicKey "{public}"']
    engine.run_command_text("\n".join(script))
    if engine.host.stderr:
        raise SystemExit(engine.host.stderr)
    engine.close()
    return keys


def start_server(store: Path) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([*CSSHELL, "serve", "--listen", "127.0.0.1:0", "--store",
                             str(store), "--max-sessions", "256"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, cwd=ROOT)
    line = proc.stdout.readline() if proc.stdout else ""
    match = re.search(r":(\d+)\s*$", line)
    if not match:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, int(match.group(1))


async def one_session(port: int, login: str, key: Path, texts: list[str], latencies: list[float],
                      failures: list[str]) -> None:
    import asyncssh
    async with asyncssh.connect("127.0.0.1", port, username=login, client_keys=[str(key)], known_hosts=None,
                                agent_path=None) as conn:
        for text in texts:
            start = time.perf_counter()
            result = await conn.run(text)
            latencies.append(time.perf_counter() - start)
            if result.exit_status != 0:
                failures.append(f"{text}: {result.stderr}")


async def remote_run(port: int, keys: dict[str, Path], sessions: int, count: int) -> tuple[float, list[float], list]:
    latencies: list[float] = []
    failures: list[str] = []
    logins = [login for _, login, _ in ADMINS]
    start = time.perf_counter()
    await asyncio.gather(*(one_session(port, logins[i % len(logins)], keys[logins[i % len(logins)]],
                                       commands(i, count), latencies, failures) for i in range(sessions)))
    return time.perf_counter() - start, latencies, failures


def local_run(store: Path, total: int) -> tuple[float, list[float]]:
    engine = local_engine(store)
    latencies = []
    start = time.perf_counter()
    for text in commands(12345, total):
        began = time.perf_counter()
        engine.run_command_text(text)
        latencies.append(time.perf_counter() - began)
    elapsed = time.perf_counter() - start
    engine.close()
    return elapsed, latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--commands", type=int, default=100)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="csshell-remote-bench-"))
    try:
        keys = prepare(folder)
        proc, port = start_server(folder / "store.json")
        try:
            elapsed, latencies, failures = asyncio.run(remote_run(port, keys, args.sessions, args.commands))
        finally:
            proc.terminate()
            proc.wait(60)
        local_elapsed, local_latencies = local_run(folder / "store.json", min(len(latencies), 500))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    total = len(latencies)
    print(f"remote: {args.sessions} sessions x {args.commands} commands = {total} commands, "
          f"{len(failures)} failed, {elapsed:.1f} s")
    print(f"{'scenario':<34}{'commands/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
    print(f"{'remote, ' + str(args.sessions) + ' concurrent SSH sessions':<34}{total / elapsed:>12.1f}"
          f"{percentile(latencies, .5) * 1000:>10.1f}{percentile(latencies, .99) * 1000:>10.1f}")
    print(f"{'reference: 1 local engine':<34}{len(local_latencies) / local_elapsed:>12.1f}"
          f"{statistics.median(local_latencies) * 1000:>10.1f}{percentile(local_latencies, .99) * 1000:>10.1f}")
    for failure in failures[:5]:
        print("failed:", failure.strip())


if __name__ == "__main__":
    main()

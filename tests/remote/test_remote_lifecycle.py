"""The server's life: host key, killed clients, SIGTERM with statements running, bad start-up settings."""
from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import time

from remote_support import CSSHELL, PROMPT, SSH_OPTIONS, TerminalReader, audit, connect, is_locked, local_run, ssh

from csshell.store import open_store

SLOW_LOCK_ALL = ('Get-CsUser | ForEach-Object { Lock-CsClientPin -Identity $_.SipAddress; '
                 'Start-Sleep -Milliseconds 60 }; "done"')


def wait_until(check, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


def enabled_users(store) -> list[str]:
    out, _ = local_run(store, "Get-CsUser | ForEach-Object { $_.SipAddress }")
    return out.split()


def lock_entries(store, actor: str) -> int:
    return sum(1 for e in audit(store) if e["action"] == "Lock-CsClientPin" and e["actor"] == actor)


def test_host_key_is_made_once_kept_beside_the_store_and_private(remote, start_server):
    first = start_server(remote.store)
    key = remote.store.parent / "csshell_host_key"
    assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600
    fingerprint = re.search(r"SHA256:\S+\)", first.log or first.wait_log("SHA256:")).group(0)
    assert first.terminate() == 0
    second = start_server(remote.store)
    assert fingerprint in second.wait_log("SHA256:")


def test_a_host_key_others_can_read_is_refused(remote, tmp_path):
    key = tmp_path / "key"
    key.write_text("not even a key")
    key.chmod(0o644)
    result = subprocess.run([*CSSHELL, "serve", "--listen", "127.0.0.1:0", "--store", str(remote.store),
                             "--host-key", str(key)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert f"The host key '{key}' can be read by other users (mode 0644). Run 'chmod 600 {key}'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_listen_address_is_a_usage_error():
    result = subprocess.run([*CSSHELL, "serve", "--listen", "127.0.0.1:http"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 64
    assert "'http' is not a port number" in result.stderr


def test_killing_an_exec_client_mid_statement_leaves_the_store_consistent(remote, server):
    local_run(remote.store, "Get-CsUser | Unlock-CsClientPin")
    account = remote.accounts["admin"]
    before = lock_entries(remote.store, account.logon)
    client = subprocess.Popen(["ssh", *SSH_OPTIONS, "-T", "-p", str(server.port), "-i", str(account.key_file),
                               f"{account.login}@127.0.0.1", SLOW_LOCK_ALL], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    time.sleep(0.8)
    client.send_signal(signal.SIGKILL)
    client.wait(10)
    # The statement is stopped as Ctrl-C stops it (docs/remote.md): what it changed stays, each change
    # with its audit entry, and no more changes follow.
    assert_stopped_consistently(remote.store, account.logon, before)
    with open_store(str(remote.store), lock_timeout=2) as opened:       # the lock was released
        with opened.statement():
            opened.directory.unlock_pin(opened.directory.users()[0])


def assert_stopped_consistently(store, logon: str, before: int) -> None:
    """The stopped statement's locks are written with one audit entry each, and it does not go on."""
    counts = [lock_entries(store, logon)]

    def settled() -> bool:
        counts.append(lock_entries(store, logon))
        return len(counts) > 5 and counts[-1] == counts[-6]         # no new entry for half a second
    wait_until(settled)
    users = enabled_users(store)
    locked = [sip for sip in users if is_locked(store, sip)]
    assert counts[-1] - before == len(locked) < len(users)


def test_killing_a_terminal_client_mid_statement_leaves_the_store_consistent(remote, server):
    local_run(remote.store, "Get-CsUser | Unlock-CsClientPin")
    account = remote.accounts["useradmin"]
    before = lock_entries(remote.store, account.logon)

    async def start_and_abort():
        conn = await connect(server, account)
        stdin, stdout, _ = await conn.open_session(term_type="xterm", term_size=(200, 30))
        reader = TerminalReader(stdout)
        await reader.until(PROMPT)
        stdin.write(SLOW_LOCK_ALL + "\r")
        await asyncio.sleep(0.6)
        conn.abort()                    # the connection drops without any goodbye
    asyncio.run(start_and_abort())
    assert_stopped_consistently(remote.store, account.logon, before)
    server.wait_log(r"signed in: account 'mortega'")
    assert ssh(server, account, '"still serving"').stdout.strip() == "still serving"


def test_sigterm_lets_running_statements_finish_then_stops(remote, start_server):
    server = start_server(remote.store)
    local_run(remote.store, 'Unlock-CsClientPin -Identity "Ken Myer"')
    helpdesk = remote.accounts["helpdesk"]

    async def scenario():
        idle = await connect(server, helpdesk)
        _, idle_out, _ = await idle.open_session(term_type="xterm", term_size=(120, 30))
        idle_reader = TerminalReader(idle_out)
        await idle_reader.until(PROMPT)
        busy = await connect(server, helpdesk)
        running = asyncio.create_task(busy.run('Start-Sleep -Seconds 2; Lock-CsClientPin -Identity "Ken Myer"; '
                                               '"finished"'))
        await asyncio.sleep(0.7)
        server.proc.send_signal(signal.SIGTERM)
        result = await asyncio.wait_for(running, 30)
        notice = await idle_reader.until(r"shutting down")
        await asyncio.wait_for(idle_out.channel.wait_closed(), 30)
        return result, notice
    result, notice = asyncio.run(scenario())
    assert (result.exit_status, result.stdout.strip()) == (0, "finished")
    assert "The csshell server is shutting down" in notice
    assert server.proc.wait(30) == 0
    assert is_locked(remote.store, "Ken Myer")
    assert re.search(r"shutting down: 2 open session\(s\)[\s\S]*stopped", server.log)
    refused = ssh(server, helpdesk, '"too late"')
    assert refused.returncode == 255


def test_the_session_limit_refuses_extra_channels_with_a_message(remote, start_server):
    server = start_server(remote.store, "--max-sessions", "1")

    async def scenario():
        async with await connect(server, remote.accounts["helpdesk"]) as conn:
            first = await conn.create_process(term_type="xterm", term_size=(120, 30))
            await TerminalReader(first.stdout).until(PROMPT)
            second = await conn.run('"second"')
            first.stdin.write("exit\r")
            await first.wait_closed()
            third = await conn.run('"third"')
            return second, third
    second, third = asyncio.run(scenario())
    assert second.exit_status == 1 and "session limit (1)" in second.stderr
    assert (third.exit_status, third.stdout.strip()) == (0, "third")


def test_a_damaged_store_stops_the_server_with_a_message(tmp_path):
    store = tmp_path / "store.json"
    store.write_text("{}")
    result = subprocess.run([*CSSHELL, "serve", "--listen", "127.0.0.1:0", "--store", str(store)],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith(f"csshell serve: cannot start: The store file '{store}'")
    assert "Traceback" not in result.stderr

"""Defects a user found in remote sessions: a client that goes away must stop its statement (as Ctrl-C
does), Ctrl-C must cut a remote Start-Sleep short, a second Ctrl-C in Enter-PSSession must not break the
session, and the sign-in password must not echo anything."""
from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from client_support import home, trust  # noqa: F401  (fixtures)
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from pty_shell import PtyShell
from remote_support import (
    ANSI,
    PROMPT,
    ROOT,
    SSH_OPTIONS,
    TerminalReader,
    connect,
    is_locked,
    local_run,
    ssh,
)

from csshell.remote.client import SESSION_BROKE, RemoteSession, RemotingService
from csshell.remote.client_transport import Questions, Target
from csshell.repl.host import ReplHost
from csshell.runtime.host import BufferHost
from csshell.store import open_store

SLEEP = 3                  # seconds the remote statements wait before their last change
AFTER = SLEEP + 2.5        # seconds to wait before looking: the change would have happened by then


def unlocked(store: Path, *names: str) -> None:
    """Start with these users' PINs unlocked."""
    for name in names:
        local_run(store, f'Unlock-CsClientPin -Identity "{name}"')
        assert not is_locked(store, name)


# --- 1. a client that goes away stops its statement -------------------------------------------------

def test_killing_an_exec_client_stops_the_command_and_runs_nothing_after(remote, server):
    unlocked(remote.store, "Yuki Tanaka", "Amara Okafor")
    account = remote.accounts["admin"]
    command = (f'Lock-CsClientPin -Identity "Amara Okafor"; Start-Sleep {SLEEP}; '
               'Lock-CsClientPin -Identity "Yuki Tanaka"')
    client = subprocess.Popen(["ssh", *SSH_OPTIONS, "-T", "-p", str(server.port), "-i", str(account.key_file),
                               f"{account.login}@127.0.0.1", command], stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for(lambda: is_locked(remote.store, "Amara Okafor"))
    client.send_signal(signal.SIGKILL)
    client.wait(10)
    time.sleep(AFTER)
    assert is_locked(remote.store, "Amara Okafor")            # committed before the client went away: stays
    assert not is_locked(remote.store, "Yuki Tanaka")         # after it: never runs
    with open_store(str(remote.store), lock_timeout=2) as opened:       # the store lock was released
        with opened.statement():
            opened.directory.unlock_pin(opened.directory.users()[0])


def test_a_terminal_client_that_drops_stops_the_statement_and_typed_ahead_lines(remote, server):
    unlocked(remote.store, "Priya Raman", "Omar Haddad")

    async def scenario() -> None:
        conn = await connect(server, remote.accounts["useradmin"])
        stdin, stdout, _ = await conn.open_session(term_type="xterm", term_size=(200, 30))
        await TerminalReader(stdout).until(PROMPT)
        stdin.write(f'Start-Sleep {SLEEP}; Lock-CsClientPin -Identity "Priya Raman"\r'
                    'Lock-CsClientPin -Identity "Omar Haddad"\r')
        await asyncio.sleep(0.8)
        conn.abort()                    # the connection drops without any goodbye
    asyncio.run(scenario())
    time.sleep(AFTER)
    assert not is_locked(remote.store, "Priya Raman")
    assert not is_locked(remote.store, "Omar Haddad")
    assert ssh(server, remote.accounts["useradmin"], '"still serving"').stdout.strip() == "still serving"


def test_an_objects_client_that_goes_away_stops_the_request_and_its_queue(remote, server):
    unlocked(remote.store, "David Longmuir", "Ken Myerson")

    async def scenario() -> None:
        conn, process = await _objects_channel(server, remote.accounts["admin"])
        process.stdin.write(_invoke(1, f'Start-Sleep {SLEEP}; Lock-CsClientPin -Identity "David Longmuir"')
                            + _invoke(2, 'Lock-CsClientPin -Identity "Ken Myerson"'))
        await asyncio.sleep(0.8)
        conn.abort()
    asyncio.run(scenario())
    time.sleep(AFTER)
    assert not is_locked(remote.store, "David Longmuir")
    assert not is_locked(remote.store, "Ken Myerson")


# --- 2. Ctrl-C cuts Start-Sleep short ---------------------------------------------------------------

def test_a_stop_ends_a_remote_start_sleep_at_once(remote, server):
    async def scenario() -> tuple[float, dict]:
        conn, process = await _objects_channel(server, remote.accounts["helpdesk"])
        try:
            process.stdin.write(_invoke(1, "Start-Sleep 20; 'late'"))
            await asyncio.sleep(0.5)
            started = time.monotonic()
            process.stdin.write(json.dumps({"op": "stop", "id": 1}) + "\n")
            while True:
                reply = json.loads(await asyncio.wait_for(process.stdout.readline(), 8))
                if reply["t"] == "done":
                    return time.monotonic() - started, reply
        finally:
            conn.close()
    took, done = asyncio.run(scenario())
    assert done["stopped"] is True and took < 3


def test_ctrl_c_ends_start_sleep_at_the_remote_prompt(remote, server):
    async def scenario() -> float:
        conn = await connect(server, remote.accounts["helpdesk"])
        async with conn:
            stdin, stdout, _ = await conn.open_session(term_type="xterm", term_size=(120, 30))
            reader = TerminalReader(stdout)
            await reader.until(PROMPT)
            stdin.write("Start-Sleep 20\r")
            await asyncio.sleep(0.7)
            started = time.monotonic()
            stdin.write("\x03")
            await reader.until(r"The pipeline has been stopped\.", timeout=8)
            took = time.monotonic() - started
            stdin.write("exit\r")
            await stdout.channel.wait_closed()
            return took
    assert asyncio.run(scenario()) < 3


# --- 3. a second Ctrl-C in Enter-PSSession ----------------------------------------------------------

class FakeChannel:
    """An objects channel whose replies are scripted: a reply, or an exception (Ctrl-C) to raise."""

    def __init__(self, script: list[Any]) -> None:
        self.hello = {"prompt": "PS /srv> "}
        self.script = script
        self.sent: list[dict] = []
        self.closed = False
        self.stderr = ""

    def send(self, message: dict) -> None:
        self.sent.append(message)

    def next_message(self) -> dict | None:
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item

    def close(self) -> None:
        self.closed = True


def test_a_second_ctrl_c_while_the_stop_is_pending_keeps_the_session():
    done = {"t": "done", "id": 1, "success": False, "exit": None, "stopped": True, "prompt": "PS /srv> "}
    channel = FakeChannel([KeyboardInterrupt(), KeyboardInterrupt(), KeyboardInterrupt(), done])
    service = RemotingService(BufferHost())
    session = RemoteSession(service, 1, "Runspace1", Target("sfb01", 22, "jhaas"), channel)  # type: ignore[arg-type]
    try:
        session.run_interactive("Start-Sleep 5")
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("the stopped request must end in KeyboardInterrupt")
    assert [m for m in channel.sent if m["op"] == "stop"] == [{"op": "stop", "id": 1}]
    assert session.is_open and not channel.closed


def test_double_ctrl_c_in_enter_pssession_at_a_real_terminal(home, server, remote, tmp_path):  # noqa: F811
    trust(server, remote.store)
    account = remote.accounts["helpdesk"]
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CSSHELL_STORE", "SSH_AUTH_SOCK")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(tmp_path / "data"), TERM="xterm", PYTHONPATH=str(ROOT))
    shell = PtyShell(tmp_path / "client-store.json", env, columns=120)
    try:
        assert shell.read_until("PS ", timeout=20), shell.text
        shell.type(f"Enter-PSSession -HostName 127.0.0.1 -Port {server.port} -UserName {account.login} "
                   f"-KeyFilePath '{account.key_file}'\r")
        assert shell.read_until("[127.0.0.1]: PS ", timeout=20), shell.text
        shell.type("Start-Sleep 5\r")
        time.sleep(0.8)
        shell.type("\x03")
        time.sleep(0.05)
        shell.type("\x03", mark=False)          # the prompt may come back before or after the second one
        assert shell.read_until("[127.0.0.1]: PS ", timeout=10), shell.text
        shell.type("'still ' + $env:COMPUTERNAME\r")
        assert shell.read_until("still SFB01", timeout=20), shell.text
        assert SESSION_BROKE not in shell.text
    finally:
        shell.close()


# --- 5. the sign-in password echoes nothing ---------------------------------------------------------

class Screen(io.StringIO):
    encoding = "utf-8"


def test_the_password_question_shows_no_asterisks_and_no_length():
    """The sign-in password is asked as the SSH layer asks it (Questions, answered by the prompt's host)."""
    screen = Screen()
    loop = asyncio.new_event_loop()
    runner = threading.Thread(target=loop.run_forever, daemon=True)
    runner.start()
    try:
        with create_pipe_input() as pipe:
            output = Vt100_Output(screen, lambda: Size(rows=24, columns=100), term="xterm", enable_cpr=False)
            host = ReplHost(out=io.StringIO(), err=io.StringIO(), prompt_input=pipe, prompt_output=output)
            pipe.send_text("hunter2-secret\r")
            questions = Questions(loop)
            answer = questions.wait(questions.ask("jhaas@127.0.0.1's password: ", True), host)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        runner.join(5)
        loop.close()
    shown = ANSI.sub("", screen.getvalue())
    assert answer == "hunter2-secret"
    assert "jhaas@127.0.0.1's password:" in shown
    assert "*" not in shown and "hunter2" not in shown


# --- helpers -------------------------------------------------------------------------------------------

def _wait_for(check, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.1)


def _invoke(request_id: int, script: str) -> str:
    return json.dumps({"op": "invoke", "id": request_id, "script": script, "mode": "objects"}) + "\n"


async def _objects_channel(server, account) -> tuple[Any, Any]:
    conn = await connect(server, account)
    process = await conn.create_process(subsystem="csshell-objects", encoding="utf-8")
    hello = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
    assert hello["t"] == "hello"
    return conn, process

"""The shell channel: the interactive prompt over SSH (OpenSSH ``ssh -tt`` and an asyncssh terminal client)."""
from __future__ import annotations

import asyncio
import re
import subprocess
import threading
import time

from remote_support import PROMPT, SSH_OPTIONS, TerminalReader, audit, connect, is_locked, local_run, plain


class OpenSshTerminal:
    """``ssh -tt``: a terminal session driven line by line, its output collected by a thread."""

    def __init__(self, server, account) -> None:
        self.proc = subprocess.Popen(["ssh", *SSH_OPTIONS, "-tt", "-p", str(server.port), "-i", str(account.key_file),
                                      f"{account.login}@127.0.0.1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.output = b""
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := self.proc.stdout.read1(4096):
            self.output += chunk

    def text(self) -> str:
        return plain(self.output.decode("utf-8", "replace"))

    def wait_for(self, pattern: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.text()):
                return self.text()
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} in {self.text()!r}")

    def type(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()


def test_openssh_terminal_runs_the_prompt_continuation_and_exit_status(remote, server):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myer"')
    term = OpenSshTerminal(server, remote.accounts["helpdesk"])
    try:
        term.wait_for(PROMPT)
        term.type('Get-CsClientPinInfo -Identity "Ken Myer" |')
        term.wait_for(r"\n>>")
        term.type("Unlock-CsClientPin")
        term.wait_for(r"Unlock-CsClientPin\n[\s\S]*" + PROMPT)
        term.type("(Get-CsClientPinInfo 'Ken Myer').IsLockedOut")
        term.wait_for(r"IsLockedOut\nFalse\n")
        term.type("exit 3")
        assert term.proc.wait(20) == 3
    finally:
        term.proc.kill()
    assert "[sfb01]: PS " in term.text()
    assert not is_locked(remote.store, "Ken Myer")
    entry = audit(remote.store)[-1]
    assert (entry["action"], entry["actor"]) == ("Unlock-CsClientPin", "litwareinc\\jhaas")


async def _terminal(server, account, width: int = 100):
    conn = await connect(server, account)
    stdin, stdout, _ = await conn.open_session(term_type="xterm-256color", term_size=(width, 30))
    reader = TerminalReader(stdout)
    await reader.until(PROMPT)
    return conn, stdin, stdout, reader


def test_colour_completion_and_roles_in_the_prompt(remote, server):
    async def scenario():
        conn, stdin, stdout, reader = await _terminal(server, remote.accounts["helpdesk"])
        async with conn:
            stdin.write("Unlock-CsCl\t")
            raw = await reader.until(r"Unlock-CsClientPin")
            assert "\x1b[" in raw                   # coloured by the PowerShell lexer
            stdin.write("\x03")                     # drop the line
            stdin.write("Set-CsPinPolicy -Identity Global -MinPasswordLength 7\r")
            text = plain(await reader.until(r"CommandNotFoundException\n[\s\S]*" + PROMPT))
            assert "The term 'Set-CsPinPolicy' is not recognized" in text
            stdin.write("exit\r")
            await stdout.channel.wait_closed()
            return stdout.channel.get_exit_status()
    assert asyncio.run(scenario()) == 0


def test_ctrl_c_stops_a_running_statement_and_the_session_goes_on(remote, server):
    async def scenario():
        conn, stdin, stdout, reader = await _terminal(server, remote.accounts["helpdesk"])
        async with conn:
            stdin.write("$n = 0; while ($true) { $n++ }\r")
            await asyncio.sleep(1.0)
            stdin.write("\x03")
            text = plain(await reader.until(r"The pipeline has been stopped\.\n[\s\S]*" + PROMPT))
            stdin.write('"n=$($n -gt 0)"\r')
            text = plain(await reader.until(r"n=True\n"))
            stdin.write("exit 2\r")
            await stdout.channel.wait_closed()
            return stdout.channel.get_exit_status(), text
    status, _ = asyncio.run(scenario())
    assert status == 2


def test_a_missing_mandatory_parameter_is_asked_for_over_ssh(remote, server):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myers"')

    async def scenario():
        conn, stdin, stdout, reader = await _terminal(server, remote.accounts["helpdesk"])
        async with conn:
            stdin.write("Unlock-CsClientPin\r")
            await reader.until(r"\nIdentity:")
            stdin.write("Ken Myers\r")
            await reader.until(PROMPT)
            stdin.write("exit\r")
            await stdout.channel.wait_closed()
    asyncio.run(scenario())
    assert not is_locked(remote.store, "Ken Myers")


def test_each_account_has_its_own_history_beside_the_store_without_pins(remote, server):
    async def scenario():
        conn, stdin, stdout, reader = await _terminal(server, remote.accounts["useradmin"])
        async with conn:
            stdin.write('Set-CsClientPin -Identity "Aidan Delaney" -Pin 5813906\r')
            await reader.until(r"PinReset[\s\S]*" + PROMPT)
            stdin.write("exit\r")
            await stdout.channel.wait_closed()
    asyncio.run(scenario())
    history = remote.store.parent / "csshell_history" / "litwareinc_mortega.txt"
    text = history.read_text()
    assert 'Set-CsClientPin -Identity "Aidan Delaney" -Pin ****' in text
    assert "5813906" not in text
    assert (history.parent.stat().st_mode & 0o077) == 0


def test_the_client_closing_its_side_ends_the_session(remote, server):
    async def scenario():
        conn, stdin, stdout, _ = await _terminal(server, remote.accounts["helpdesk"])
        async with conn:
            stdin.write_eof()
            try:
                await asyncio.wait_for(stdout.channel.wait_closed(), 20)
            except asyncio.TimeoutError:
                raise AssertionError(server.log) from None
            return stdout.channel.get_exit_status()
    assert asyncio.run(scenario()) == 0


def test_ctrl_c_stops_a_loop_holding_the_store_lock_and_the_lock_is_released(remote, server):
    async def scenario():
        conn, stdin, stdout, reader = await _terminal(server, remote.accounts["helpdesk"])
        async with conn:
            stdin.write('while ($true) { Lock-CsClientPin -Identity "Ken Myer"; Unlock-CsClientPin "Ken Myer" }\r')
            await asyncio.sleep(1.5)
            stdin.write("\x03")
            await reader.until(r"The pipeline has been stopped\.\n[\s\S]*" + PROMPT)
            other = await connect(server, remote.accounts["admin"])
            async with other:
                result = await other.run('Lock-CsClientPin -Identity "Ken Myers"; "locked"')
            stdin.write("exit\r")
            await stdout.channel.wait_closed()
            return result
    result = asyncio.run(scenario())
    assert (result.exit_status, result.stdout.strip(), result.stderr) == (0, "locked", "")
    assert is_locked(remote.store, "Ken Myers")

"""An exec request that came with a terminal (``ssh -t host 'Unlock-CsClientPin ... -Confirm'``) is
interactive, as ``csshell -Command`` at a terminal is; without a terminal it still never asks."""
from __future__ import annotations

import asyncio

from remote_support import TerminalReader, connect, is_locked, local_run, plain


def test_exec_with_a_terminal_asks_the_confirm_question_and_reads_the_answer(remote, server):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myer"')

    async def scenario():
        conn = await connect(server, remote.accounts["helpdesk"])
        async with conn:
            stdin, stdout, _ = await conn.open_session('Unlock-CsClientPin "Ken Myer" -Confirm', term_type="xterm",
                                                       term_size=(120, 30))
            reader = TerminalReader(stdout)
            text = plain(await reader.until(r"\[Y\] Yes"))
            stdin.write("y\r")
            await stdout.channel.wait_closed()
            return text, stdout.channel.get_exit_status()
    text, status = asyncio.run(scenario())
    assert "Are you sure you want to perform this action?" in text
    assert "NonInteractive" not in text
    assert status == 0
    assert not is_locked(remote.store, "Ken Myer")


def test_exec_with_a_terminal_asks_for_a_missing_mandatory_parameter(remote, server):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myers"')

    async def scenario():
        conn = await connect(server, remote.accounts["helpdesk"])
        async with conn:
            stdin, stdout, _ = await conn.open_session("Unlock-CsClientPin", term_type="xterm", term_size=(120, 30))
            reader = TerminalReader(stdout)
            await reader.until(r"Identity:")
            stdin.write("Ken Myers\r")
            await stdout.channel.wait_closed()
            return stdout.channel.get_exit_status()
    assert asyncio.run(scenario()) == 0
    assert not is_locked(remote.store, "Ken Myers")


def test_exec_without_a_terminal_still_never_asks(remote, server):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myer"')

    async def scenario():
        conn = await connect(server, remote.accounts["helpdesk"])
        async with conn:
            result = await conn.run('Unlock-CsClientPin "Ken Myer" -Confirm', timeout=20)
            return result.stderr, result.exit_status
    err, status = asyncio.run(scenario())
    assert "NonInteractive" in err
    assert status == 1
    assert is_locked(remote.store, "Ken Myer")

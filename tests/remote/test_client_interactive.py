"""Enter-PSSession / Exit-PSSession at the interactive prompt, and the csshell-objects subsystem itself."""
from __future__ import annotations

import asyncio
import io
import json

import asyncssh
import pytest
from client_support import InteractiveBuffer, Typist, connect_args, home, interactive_shell, shell, trust  # noqa: F401
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from remote_support import connect

from csshell.engine import Engine
from csshell.repl import run_repl
from csshell.repl.host import ReplHost

PROMPT = "[127.0.0.1]: PS "


class Screen(io.StringIO):
    encoding = "utf-8"


def test_enter_pssession_at_the_prompt_then_exit(home, server, remote):   # noqa: F811
    """The REPL sends each line to the remote session, shows its prompt, asks its questions, and comes back."""
    trust(server, remote.store)
    args = connect_args(server, remote.accounts["helpdesk"])
    screen, out, err = Screen(), io.StringIO(), io.StringIO()
    with create_pipe_input() as pipe:
        output = Vt100_Output(screen, lambda: Size(rows=24, columns=120), term="xterm")
        host = ReplHost(out=out, err=err, prompt_input=pipe, prompt_output=output)
        typist = Typist(pipe)

        def shown(text: str, count: int = 1):
            return lambda: screen.getvalue().count(text) >= count
        typist.type(f"Enter-PSSession {args}\r", shown(PROMPT),
                    "$env:COMPUTERNAME; Get-CsClientPinInfo -Identity 'Ken Myer' | Format-List Identity\r",
                    shown(PROMPT, 2), "Set-CsPinPolicy -Identity Global -MinPasswordLength 6\r", shown(PROMPT, 3),
                    "Read-Host 'Ticket'\r", shown("Ticket: "), "HD-1234\r", shown(PROMPT, 4),
                    "exit\r", lambda: out.getvalue().count("HD-1234") >= 1 and "PS /" in screen.getvalue()[-200:],
                    "'local ' + (Get-PSSession).Count\r", lambda: "local 0" in out.getvalue(),
                    f"Enter-PSSession {args}\r", shown(PROMPT, 5), "Exit-PSSession\r",
                    lambda: "PS /" in screen.getvalue()[-200:], "exit 3\r")
        try:
            code = run_repl(Engine, history_path=None, input=pipe, output=output, host=host)
        finally:
            typist.wait()
    assert code == 3
    text = out.getvalue()
    assert "SFB01\n" in text and "Identity : sip:kenmyer@litwareinc.com" in text
    assert "HD-1234\n" in text and "local 0\n" in text
    assert "[127.0.0.1]: PS " + str(remote.folder) + "> " in screen.getvalue()
    errors = err.getvalue()
    assert "Set-CsPinPolicy : The term 'Set-CsPinPolicy' is not recognized" in errors
    assert "At line:" not in errors                 # errors in an interactive session show no position


def test_enter_pssession_in_a_script_is_an_error(shell, server, remote):   # noqa: F811
    out, err = shell.run(f"Enter-PSSession {connect_args(server, remote.accounts['helpdesk'])}; 'still here'")
    assert out == "still here\n"
    assert err.startswith("Enter-PSSession : The host does not support Enter-PSSession and Exit-PSSession.\n")
    assert "    + CategoryInfo          : InvalidArgument: (:) [Enter-PSSession], ArgumentException" in err
    assert "HostDoesNotSupportPushRunspace,Microsoft.PowerShell.Commands.EnterPSSessionCommand" in err
    _, err = shell.run("Exit-PSSession")
    assert "HostDoesNotSupportPushRunspace,Microsoft.PowerShell.Commands.ExitPSSessionCommand" in err


def test_an_entered_new_pssession_stays_open_after_exit(interactive_shell, server, remote):   # noqa: F811
    trust(server, remote.store)
    client = interactive_shell
    client.run(f"$s = New-PSSession {connect_args(server, remote.accounts['helpdesk'])}")
    client.run("Enter-PSSession -Session $s")
    assert client.engine.prompt_text().startswith(PROMPT)
    client.run("$kept = 'set remotely'")
    client.run("exit")
    assert client.engine.prompt_text().startswith("PS ")
    out, err = client.run("$s.State; Invoke-Command -Session $s { $kept }")
    assert (out.split("\n")[:2], err) == (["Opened", "set remotely"], "")
    client.run("Enter-PSSession -Id 1")
    out, _ = client.run("$kept")
    assert out == "set remotely\n"
    client.run("Exit-PSSession")
    _, err = client.run("Remove-PSSession $s; Enter-PSSession -Session $s")
    assert "Enter-PSSession : Session must be open." in err


# --- the subsystem, spoken directly --------------------------------------------------------------------

async def _objects_channel(server, account):
    conn = await connect(server, account)
    process = await conn.create_process(subsystem="csshell-objects", encoding="utf-8")
    hello = json.loads(await process.stdout.readline())
    return conn, process, hello


async def _until_done(process) -> list[dict]:
    replies = []
    while True:
        reply = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
        replies.append(reply)
        if reply["t"] == "done":
            return replies


def test_stop_ends_the_running_statement_and_the_session_goes_on(server, remote):
    async def scenario() -> tuple[dict, list[dict], list[dict]]:
        conn, process, hello = await _objects_channel(server, remote.accounts["helpdesk"])
        try:
            process.stdin.write(json.dumps({"op": "invoke", "id": 1, "script": "'started'; while ($true) { $i++ }",
                                            "mode": "objects"}) + "\n")
            first = json.loads(await asyncio.wait_for(process.stdout.readline(), 30))
            assert first == {"t": "output", "id": 1, "value": "started"}
            process.stdin.write(json.dumps({"op": "stop", "id": 1}) + "\n")
            stopped = await _until_done(process)
            process.stdin.write(json.dumps({"op": "invoke", "id": 2, "script": "'still here'", "mode": "objects"}) + "\n")
            after = await _until_done(process)
            return hello, stopped, after
        finally:
            conn.close()
    hello, stopped, after = asyncio.run(scenario())
    assert hello["t"] == "hello" and hello["computer"] == "sfb01" and hello["prompt"] == f"PS {remote.folder}> "
    assert stopped[-1]["stopped"] is True and stopped[-1]["success"] is False
    assert after == [{"t": "output", "id": 2, "value": "still here"},
                     {"t": "done", "id": 2, "success": True, "exit": None, "stopped": False,
                      "prompt": f"PS {remote.folder}> "}]


def test_a_broken_request_ends_the_session_with_a_reason(server, remote):
    async def scenario() -> tuple[str, str]:
        conn, process, _ = await _objects_channel(server, remote.accounts["helpdesk"])
        try:
            process.stdin.write("this is not json\n")
            rest = await asyncio.wait_for(process.stdout.read(), 30)
            return rest, await asyncio.wait_for(process.stderr.read(), 30)
        finally:
            conn.close()
    rest, reason = asyncio.run(scenario())
    assert rest == "" and reason.startswith("The request could not be read")


def test_other_subsystems_are_still_refused(server, remote):
    async def scenario() -> None:
        conn = await connect(server, remote.accounts["helpdesk"])
        try:
            with pytest.raises(asyncssh.ChannelOpenError):
                await conn.create_process(subsystem="sftp")
        finally:
            conn.close()
    asyncio.run(scenario())


class CtrlCAtTheQuestion(InteractiveBuffer):
    """A person who answers a remote question with Ctrl-C."""

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        raise KeyboardInterrupt


def test_ctrl_c_at_a_remote_question_stops_the_command_not_the_session(home, server, remote):   # noqa: F811
    trust(server, remote.store)
    host = CtrlCAtTheQuestion(interactive=True)
    engine = Engine(host)
    try:
        engine.run_command_text(f"$s = New-PSSession {connect_args(server, remote.accounts['helpdesk'])}")
        with pytest.raises(KeyboardInterrupt):
            engine.run_command_text("Invoke-Command -Session $s { Read-Host 'Ticket'; 'not reached' }")
        host.out.clear()
        assert engine.run_command_text("Invoke-Command -Session $s { 'next' }; $s.State")
        assert host.stdout.split() == ["next", "Opened"]
    finally:
        engine.close()

"""Fixes from a review of remote sessions: hostile input that must not crash or leak, exact errors, usage checks.

Each test fails without its fix. The server runs as a real ``csshell serve`` on loopback; clients are the
Debian OpenSSH ``ssh`` (subsystem and exec requests) or a confined engine built as an SSH channel builds it.
"""
from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from client_support import home, shell  # noqa: F401  (fixtures)
from remote_support import CSSHELL, HOSTNAME, SSH_OPTIONS, ServerProcess, ssh

from csshell.engine import Engine
from csshell.jsondepth import MAX_DEPTH
from csshell.remote.client_transport import ObjectChannel
from csshell.remote.config import ServerConfig
from csshell.remote.session_engine import Identity, build_engine
from csshell.remote.wire import SUBSYSTEM, WireError, decode_message, encode_message
from csshell.runtime.host import BufferHost

DEEP = "[" * 100_000 + "]" * 100_000


# --- helpers -----------------------------------------------------------------------------------

class Confined:
    """A remote session's engine (as an SSH channel builds it), run from a process folder outside its folder."""

    def __init__(self, store: Path) -> None:
        self.config = ServerConfig(str(store), hostname=HOSTNAME)
        self.folder = Path(self.config.files_folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "ok.csv").write_text("a,b\n1,2\n")
        self.host = BufferHost()
        self.engine = build_engine(self.host, self.config,
                                   Identity("litwareinc\\lisaj", ("CsAdministrator",), "127.0.0.1", 50000))

    def run(self, text: str) -> tuple[str, str, bool]:
        self.host.out.clear()
        self.host.err.clear()
        ok = self.engine.run_command_text(text)
        return self.host.stdout, self.host.stderr, ok


@pytest.fixture
def confined(remote):
    session = Confined(remote.store)
    yield session
    session.engine.close()


def objects_channel(server: ServerProcess, account: Any) -> subprocess.Popen:
    """``ssh -s csshell-objects``: the raw subsystem, stdin kept open by the caller."""
    return subprocess.Popen(["ssh", *SSH_OPTIONS, "-p", str(server.port), "-i", str(account.key_file), "-T",
                             "-s", f"{account.login}@127.0.0.1", SUBSYSTEM],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def serve(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*CSSHELL, "serve", *args], capture_output=True, text=True, timeout=timeout, check=False)


# --- 1. JSON nesting on the object channel --------------------------------------------------------

def test_decode_message_refuses_over_deep_nesting_with_a_protocol_error():
    with pytest.raises(WireError, match=f"deeper than {MAX_DEPTH} levels"):
        decode_message(DEEP)
    with pytest.raises(WireError):
        decode_message('{"op": ' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}")
    nested = "[" * 50 + "]" * 50
    assert decode_message(encode_message({"t": "output", "value": [[1]], "text": nested})) == \
        {"t": "output", "value": [[1]], "text": nested}


def test_an_over_deep_request_ends_only_its_session_and_the_server_keeps_serving(remote, server):
    channel = objects_channel(server, remote.accounts["admin"])
    out, err = channel.communicate((DEEP + "\n").encode(), timeout=60)
    assert channel.returncode == 1
    assert b"The request could not be read (the message nests deeper than" in err
    assert b"Traceback" not in err and b"RecursionError" not in err
    assert server.proc.poll() is None                          # no segfault
    again = ssh(server, remote.accounts["admin"], '"still serving"')
    assert (again.returncode, again.stdout.strip()) == (0, "still serving")


def test_the_client_refuses_an_over_deep_reply_of_the_server():
    class Stream:
        def __init__(self, lines: list[str]) -> None:
            self.lines = lines

        async def readline(self) -> str:
            return self.lines.pop(0) if self.lines else ""

        async def read(self) -> str:
            return ""

    class Process:
        stdout = Stream([encode_message({"t": "text", "id": 1, "text": "ok"}), DEEP + "\n",
                         encode_message({"t": "done", "id": 1})])
        stderr = Stream([])

    class Connection:
        closed = False

        def close(self) -> None:
            self.closed = True

    async def pump() -> ObjectChannel:
        channel = ObjectChannel(asyncio.get_running_loop(), Connection(), Process(), {"t": "hello"})  # type: ignore[arg-type]
        await channel._pump()
        return channel
    channel = asyncio.run(pump())
    assert channel.messages.get_nowait() == {"t": "text", "id": 1, "text": "ok"}
    assert channel.messages.get_nowait() is None               # the channel closed there: nothing after it
    assert channel.closed and channel._conn.closed             # type: ignore[attr-defined]
    assert "not of the csshell remoting protocol (the message nests deeper than" in channel.stderr


# --- 2. no server environment or folder through .NET static members ----------------------------------

def test_static_members_read_the_private_environment_not_the_servers(confined, monkeypatch):
    monkeypatch.setenv("CSSHELL_TEST_SECRET", "server-secret")
    out, err, ok = confined.run("[Environment]::GetEnvironmentVariable('PATH'); "
                                "[Environment]::GetEnvironmentVariable('CSSHELL_TEST_SECRET', 'Machine'); "
                                "'--'; [Environment]::GetEnvironmentVariable('username'); [Environment]::UserName; "
                                "[Environment]::MachineName; [Environment]::CurrentDirectory; "
                                "[IO.Path]::GetTempPath()")
    assert (err, ok) == ("", True)
    folder = str(confined.folder)
    assert out.split("\n")[:-1] == ["--", "lisaj", "lisaj", HOSTNAME.upper(), folder, folder + "/"]
    assert "server-secret" not in out and os.environ["PATH"] not in out


def test_getfullpath_resolves_in_the_folder_and_refuses_outside_it(confined, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                                # the server process's own folder
    out, err, ok = confined.run("[System.IO.Path]::GetFullPath('users.csv')")
    assert (out.strip(), err, ok) == (str(confined.folder / "users.csv"), "", True)
    out, err, ok = confined.run("[System.IO.Path]::GetFullPath('..')")
    assert not ok and out == "" and str(tmp_path) not in err
    record = confined.engine.session.errors[0]
    assert record.message == ('Exception calling "GetFullPath" with "1" argument(s): '
                              f"\"Access to the path '{confined.folder.parent}' is denied.\"")
    assert record.category == "NotSpecified" and record.reason == "MethodInvocationException"


def test_home_in_a_path_is_the_sessions_home_not_the_server_accounts(confined):
    out, err, ok = confined.run("Get-Content ~/ok.csv")
    assert (out, err, ok) == ("a,b\n1,2\n", "", True)


# --- 4. NUL in a path ----------------------------------------------------------------------------

NUL_PATH = 'Get-Content -Path "ok.csv`0/etc/passwd"'


def _illegal_characters(record: Any, command: str) -> None:
    assert record.message == "Illegal characters in path."
    assert record.fully_qualified_error_id == f"ItemExistsArgumentError,Microsoft.PowerShell.Commands.{command}"
    assert (record.category, record.reason) == ("InvalidArgument", "ArgumentException")


def test_a_nul_in_a_path_is_illegal_characters_at_the_console(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.csv").write_text("a,b\n1,2\n")
    host = BufferHost()
    engine = Engine(host, cwd=str(tmp_path))
    try:
        for text, command in ((NUL_PATH, "GetContentCommand"), ('Import-Csv "ok`0.csv"', "ImportCsvCommand"),
                              ('Test-Path "ok`0.csv"', "TestPathCommand")):
            host.err.clear()
            assert not engine.run_command_text(text)
            _illegal_characters(engine.session.errors[0], command)
            assert "null byte" not in host.stderr and "ValueError" not in host.stderr
        host.out.clear()
        engine.run_command_text('Get-Content ok.csv,"x`0y",ok.csv')       # non-terminating: the others are read
        assert host.stdout == "a,b\n1,2\na,b\n1,2\n"
    finally:
        engine.close()


def test_a_nul_in_a_path_is_illegal_characters_in_a_remote_session(confined):
    out, err, ok = confined.run(NUL_PATH)
    assert not ok and out == "" and "null byte" not in err
    _illegal_characters(confined.engine.session.errors[0], "GetContentCommand")


# --- 5. a refused path is one non-terminating error ---------------------------------------------------

def test_a_path_outside_the_folder_does_not_stop_the_other_paths(confined):
    out, err, ok = confined.run("Get-Content ok.csv,/etc/passwd,ok.csv")
    assert not ok and out == "a,b\n1,2\na,b\n1,2\n"
    assert err.count("Access to the path '/etc/passwd' is denied.") == 1
    assert confined.engine.session.errors[0].fully_qualified_error_id == \
        "UnauthorizedAccess,Microsoft.PowerShell.Commands.GetContentCommand"


def test_a_refused_path_end_to_end_through_ssh(remote, server):
    (remote.folder / "ok.csv").write_text("a,b\n1,2\n")
    result = ssh(server, remote.accounts["admin"], "Get-Content ok.csv,/etc/passwd,ok.csv; 'after'")
    assert result.stdout.split() == ["a,b", "1,2", "a,b", "1,2", "after"]
    assert "Access to the path '/etc/passwd' is denied." in result.stderr and "root:" not in result.stdout


# --- 3. csshell serve's command line -----------------------------------------------------------------

@pytest.mark.parametrize("args, message", [
    (["--listen", "127.0.0.1"], "--listen: '127.0.0.1' has no port (expected ADDR:PORT"),
    (["--listen", "[::1]"], "--listen: '[::1]' has no port"),
    (["--max-auth-failures", "0"], "--max-auth-failures: '0' is not allowed; it must be a whole number of at least 1."),
    (["--max-auth-failures", "-3"], "--max-auth-failures: '-3' is not allowed"),
    (["--lockout", "-1"], "--lockout: '-1' is not allowed; it must be a number of seconds of at least 0."),
    (["--failure-window", "0"], "--failure-window: '0' is not allowed; it must be a number of seconds greater than 0."),
    (["--failure-delay", "-5"], "--failure-delay: '-5' is not allowed"),
    (["--max-sessions", "0"], "--max-sessions: '0' is not allowed"),
    (["--shutdown-grace", "nan"], "--shutdown-grace: 'nan' is not allowed"),
])
def test_unusable_serve_options_exit_64(tmp_path, args, message):
    result = serve("--store", str(tmp_path / "s.json"), *args)
    assert result.returncode == 64
    assert f"csshell serve: {message}" in result.stderr and "usage: csshell serve" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "s.json").exists()


# --- 6. Get-PSSession / Remove-PSSession of sessions that do not exist --------------------------------

@pytest.mark.parametrize("text, message, error_id, command", [
    ("Get-PSSession -Id 99", "The remote session with the session ID 99 is not available.",
     "RemoteRunspaceNotAvailableForSpecifiedSessionId", "GetPSSessionCommand"),
    ("Remove-PSSession -Id 99", "The remote session with the session ID 99 is not available.",
     "RemoteRunspaceNotAvailableForSpecifiedSessionId", "RemovePSSessionCommand"),
    ("Remove-PSSession -Name nope", "The remote session with the name nope is not available.",
     "RemoteRunspaceNotAvailableForSpecifiedName", "RemovePSSessionCommand"),
    ("Get-PSSession -Name nope", "The remote session with the name nope is not available.",
     "RemoteRunspaceNotAvailableForSpecifiedName", "GetPSSessionCommand"),
])
def test_sessions_that_do_not_exist_are_non_terminating_errors(shell, text, message, error_id,  # noqa: F811
                                                                command):
    out, err = shell.run(f"{text}; 'after'")
    assert out.strip() == "after"
    record = shell.engine.session.errors[0]
    assert record.message == message and record.category == "InvalidArgument"
    assert record.fully_qualified_error_id == f"{error_id},Microsoft.PowerShell.Commands.{command}"
    assert err.startswith(f"{text.split()[0]} : {message}")


def test_a_wildcard_name_that_matches_nothing_is_no_error(shell):  # noqa: F811
    assert shell.run("Get-PSSession -Name no*; Remove-PSSession -Name no*") == ("", "")


# --- 7. logging and protocol wording -------------------------------------------------------------------

def test_a_valid_key_of_an_account_without_a_role_is_logged_as_such(remote, start_server):
    server = start_server(remote.store)
    result = ssh(server, remote.accounts["norole"], '"no"')
    assert result.returncode == 255 and "Permission denied" in result.stderr
    log = server.wait_log(r"sign-in failed: account 'tnowak' from 127\.0\.0\.1:\d+ \(")
    assert "(the account holds no admin role)" in log and "no offered public key" not in log


def test_malformed_input_ends_the_object_session_at_once(remote, server):
    channel = objects_channel(server, remote.accounts["admin"])
    assert channel.stdin is not None and channel.stdout is not None
    channel.stdin.write(b"not json\n" + encode_message({"op": "invoke", "id": 1, "script": "'ran'",
                                                         "mode": "objects"}).encode())
    channel.stdin.flush()                                      # stdin stays open: the server ends the session
    try:
        assert channel.wait(timeout=60) == 1
    finally:
        channel.kill()
        channel.stdin.close()
    out = channel.stdout.read()
    err = channel.stderr.read() if channel.stderr else b""
    assert b'"t":"hello"' in out and b"ran" not in out
    assert b"The request could not be read (not a JSON message" in err and b"the session ends" in err


def test_an_exec_command_that_is_not_utf8_gets_an_error_record(remote, server):
    account = remote.accounts["admin"]
    result = subprocess.run(["ssh", *SSH_OPTIONS, "-p", str(server.port), "-i", str(account.key_file), "-T",
                             f"{account.login}@127.0.0.1", b"'caf\xe9'"], capture_output=True, timeout=60, check=False)
    assert result.returncode == 1 and result.stdout == b""
    err = result.stderr.decode()
    assert "The command sent with the SSH exec request is not valid UTF-8 text" in err
    assert "FullyQualifiedErrorId : CommandTextNotUtf8" in err and "exec request failed" not in err
    assert ssh(server, account, '"fine"').stdout.strip() == "fine"

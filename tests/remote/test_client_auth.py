"""Signing in from the client: key files, the password asked through the host, known hosts, and the errors."""
from __future__ import annotations

from collections.abc import Iterator

import asyncssh
import pytest
from client_support import ClientShell, connect_args, home, trust  # noqa: F401  (fixtures)
from remote_support import ServerProcess

NON_INTERACTIVE = "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."
TROUBLESHOOTING = "For more information, see the about_Remote_Troubleshooting Help topic."


@pytest.fixture(scope="module")
def lenient_server(remote) -> Iterator[ServerProcess]:
    """This module signs in wrongly on purpose: a server that never locks the loopback address out."""
    process = ServerProcess(remote.store, "--max-auth-failures", "1000")
    try:
        yield process
    finally:
        process.terminate()


@pytest.fixture
def client(home, lenient_server, remote) -> Iterator[ClientShell]:   # noqa: F811
    """An interactive client shell that already trusts the server."""
    trust(lenient_server, remote.store)
    shell = ClientShell(interactive=True)
    yield shell
    shell.close()


@pytest.fixture
def script(home, lenient_server, remote) -> Iterator[ClientShell]:   # noqa: F811
    """A non-interactive client (a script, -NonInteractive) that already trusts the server."""
    trust(lenient_server, remote.store)
    shell = ClientShell(interactive=False)
    yield shell
    shell.close()


def test_without_a_key_the_password_is_asked_through_the_host(client, lenient_server, remote):
    admin = remote.accounts["admin"]
    client.answer(admin.password)
    out, err = client.run(f"Invoke-Command {connect_args(lenient_server, admin, key=False)} "
                          "{ (Get-CsPinPolicy -Identity Global).Identity }")
    assert err == ""
    assert out == f"{admin.login}@127.0.0.1's password: Global\n"
    assert "(password)" in lenient_server.wait_log(f"signed in: account '{admin.login}'.*password")


def test_a_refused_key_falls_back_to_the_password(client, lenient_server, remote):
    helpdesk = remote.accounts["helpdesk"]
    client.answer(helpdesk.password)
    out, err = client.run(f"$s = New-PSSession -HostName 127.0.0.1 -Port {lenient_server.port} -UserName "
                          f"{helpdesk.login} -KeyFilePath '{remote.stranger_key}'; $s.State")
    assert (out, err) == (f"{helpdesk.login}@127.0.0.1's password: Opened\n", "")


def test_a_wrong_password_is_asked_three_times_then_access_is_denied(client, lenient_server, remote):
    helpdesk = remote.accounts["helpdesk"]
    client.answer("wrong-1", "wrong-2", "wrong-3", "never asked")
    out, err = client.run(f"New-PSSession {connect_args(lenient_server, helpdesk, key=False)}")
    assert out == f"{helpdesk.login}@127.0.0.1's password: " * 3
    assert err.startswith(f"New-PSSession : [127.0.0.1] Connecting to remote server 127.0.0.1 failed with the "
                          f"following error message : Access is denied. {TROUBLESHOOTING}\n")
    assert "    + CategoryInfo          : OpenError: (System.Manageme....RemoteRunspace:RemoteRunspace) " \
           "[New-PSSession], PSRemotingTransportException" in err
    assert "    + FullyQualifiedErrorId : AccessDenied,PSSessionOpenFailed" in err
    assert client.host.answers == ["never asked"]


def test_non_interactive_a_needed_password_is_the_5_1_non_interactive_error(script, lenient_server, remote):
    helpdesk = remote.accounts["helpdesk"]
    out, err = script.run(f"Invoke-Command {connect_args(lenient_server, helpdesk, key=False)} {{ 1 }}")
    assert out == ""                                   # nothing was asked
    assert err == (f"[127.0.0.1] Connecting to remote server 127.0.0.1 failed with the following error message : "
                   f"{NON_INTERACTIVE} {TROUBLESHOOTING}\n"
                   "    + CategoryInfo          : OpenError: (127.0.0.1:String) [], PSRemotingTransportException\n"
                   "    + FullyQualifiedErrorId : AccessDenied,PSSessionStateBroken\n")


def test_a_key_file_signs_in_without_a_question(script, lenient_server, remote):
    out, err = script.run(f"Invoke-Command {connect_args(lenient_server, remote.accounts['useradmin'])} "
                          "{ $env:USERNAME }")
    assert (out.strip(), err) == ("mortega", "")


def test_a_missing_key_file_is_path_not_found(script, lenient_server, remote, tmp_path):
    missing = tmp_path / "no_such_key"
    out, err = script.run(f"New-PSSession -HostName 127.0.0.1 -Port {lenient_server.port} -UserName jhaas "
                          f"-KeyFilePath '{missing}'")
    assert out == "" and f"Cannot find path '{missing}' because it does not exist." in err
    assert "FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.NewPSSessionCommand" in err


def test_an_account_without_a_role_is_refused(client, lenient_server, remote):
    norole = remote.accounts["norole"]
    client.answer(norole.password, norole.password, norole.password)
    _, err = client.run(f"New-PSSession {connect_args(lenient_server, norole)}")
    assert "Access is denied." in err and "AccessDenied,PSSessionOpenFailed" in err


def test_enter_pssession_reports_a_failed_sign_in_as_5_1_does(client, lenient_server, remote):
    client.answer("wrong", "wrong", "wrong")
    _, err = client.run(f"Enter-PSSession {connect_args(lenient_server, remote.accounts['helpdesk'], key=False)}")
    assert err.startswith("Enter-PSSession : Connecting to remote server 127.0.0.1 failed with the following error "
                          f"message : Access is denied. {TROUBLESHOOTING}\n")
    assert "    + CategoryInfo          : InvalidArgument: (127.0.0.1:String) [Enter-PSSession], " \
           "PSRemotingTransportException" in err
    assert "    + FullyQualifiedErrorId : CreateRemoteRunspaceFailed\n" in err
    assert client.engine.prompt_text().startswith("PS ")


def test_a_server_that_is_not_there(script, remote):
    out, err = script.run(f"Invoke-Command -HostName 127.0.0.1 -Port 1 -UserName jhaas "
                          f"-KeyFilePath '{remote.accounts['helpdesk'].key_file}' {{ 1 }}")
    assert out == ""
    assert err.startswith("[127.0.0.1] Connecting to remote server 127.0.0.1 failed with the following error message "
                          ": The SSH connection to 127.0.0.1 port 1 was refused.")
    assert "FullyQualifiedErrorId : CannotConnect,PSSessionStateBroken" in err


# --- known hosts ---------------------------------------------------------------------------------------

def test_first_contact_asks_as_openssh_and_yes_records_the_key(home, lenient_server, remote):   # noqa: F811
    shell = ClientShell(interactive=True, answers=["yes"])
    try:
        out, err = shell.run(f"Invoke-Command {connect_args(lenient_server, remote.accounts['helpdesk'])} {{ 'in' }}")
    finally:
        shell.close()
    name = f"[127.0.0.1]:{lenient_server.port}"
    assert out.startswith(f"The authenticity of host '{name} ({name})' can't be established.\n"
                          "ED25519 key fingerprint is SHA256:")
    assert out.endswith("Are you sure you want to continue connecting (yes/no)? in\n")
    assert err == f"Warning: Permanently added '{name}' (ED25519) to the list of known hosts.\n"
    recorded = (home / ".ssh" / "known_hosts").read_text()
    assert recorded.startswith(f"{name} ssh-ed25519 ")


def test_first_contact_answered_no_or_in_a_script_connects_nowhere(home, lenient_server, remote):   # noqa: F811
    for shell in (ClientShell(interactive=True, answers=["no"]), ClientShell(interactive=False)):
        try:
            _, err = shell.run(f"Invoke-Command {connect_args(lenient_server, remote.accounts['helpdesk'])} {{ 1 }}")
        finally:
            shell.close()
        assert "failed with the following error message : Host key verification failed. " in err
    assert not (home / ".ssh" / "known_hosts").exists()


def test_a_changed_host_key_is_refused_whatever_the_answer(home, lenient_server, remote):   # noqa: F811
    other = asyncssh.generate_private_key("ssh-ed25519")
    (home / ".ssh").mkdir()
    (home / ".ssh" / "known_hosts").write_text(f"[127.0.0.1]:{lenient_server.port} "
                                               f"{other.export_public_key().decode()}")
    shell = ClientShell(interactive=True, answers=["yes"])
    try:
        out, err = shell.run(f"Invoke-Command {connect_args(lenient_server, remote.accounts['helpdesk'])} {{ 1 }}")
    finally:
        shell.close()
    assert out == "" and shell.host.answers == ["yes"]       # nothing was asked
    assert "Host key verification failed: the host key of" in err and "REMOTE HOST IDENTIFICATION HAS CHANGED" in err

"""Signing in: keys and passwords from the store, refusals, throttling per account and per address, logging."""
from __future__ import annotations

import asyncio

import asyncssh
import pytest
from remote_support import ssh


def run(coro):
    return asyncio.run(coro)


async def _password_run(server, account, command: str, password: str | None = None, source: str = "127.0.0.1"):
    conn = await asyncssh.connect("127.0.0.1", server.port, username=account.login, known_hosts=None,
                                  agent_path=None, client_keys=None, preferred_auth=("password",),
                                  password=password or account.password, local_addr=(source, 0))
    async with conn:
        return await conn.run(command)


def test_a_key_signs_in_with_the_openssh_client(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], '"signed in as $env:USERDOMAIN\\$env:USERNAME"')
    assert (result.returncode, result.stdout.strip()) == (0, "signed in as LITWAREINC\\jhaas")
    assert "signed in: account 'jhaas' (litwareinc\\jhaas) from 127.0.0.1:" in server.log


def test_a_password_signs_in(remote, server):
    result = run(_password_run(server, remote.accounts["admin"], '"hello"'))
    assert (result.exit_status, result.stdout.strip()) == (0, "hello")


@pytest.mark.parametrize("login", ["lisaj@litwareinc.com", "litwareinc\\lisaj", "LISAJ"])
def test_every_login_name_of_the_account_signs_in(remote, server, login):
    result = ssh(server, remote.accounts["admin"], "$env:USERNAME", login=login)
    assert (result.returncode, result.stdout.strip()) == (0, "lisaj")


def test_a_wrong_password_is_refused_and_logged(remote, server):
    with pytest.raises(asyncssh.PermissionDenied):
        run(_password_run(server, remote.accounts["helpdesk"], '"no"', password="not-the-password"))
    server.wait_log(r"sign-in failed: account 'jhaas' from 127\.0\.0\.1:\d+ \(wrong password or unknown account\)")


def test_an_unknown_key_is_refused_and_logged(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], '"no"', key=remote.stranger_key)
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    assert result.stdout == ""
    server.wait_log(r"sign-in failed: account 'jhaas' from 127\.0\.0\.1:\d+ \(no offered public key is authorized\)")


def test_an_unknown_account_is_refused(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], '"no"', login="nosuchuser")
    assert result.returncode == 255 and "Permission denied" in result.stderr


def test_an_account_without_a_role_is_refused(remote, server):
    result = ssh(server, remote.accounts["norole"], '"no"')
    assert result.returncode == 255 and "Permission denied" in result.stderr
    with pytest.raises(asyncssh.PermissionDenied):
        run(_password_run(server, remote.accounts["norole"], '"no"'))
    server.wait_log(r"sign-in failed: account 'tnowak' .*\(the account holds no admin role\)")


def test_nothing_works_without_authenticating(remote, server):
    async def anonymous():
        conn = await asyncssh.connect("127.0.0.1", server.port, username="jhaas", known_hosts=None, agent_path=None,
                                      client_keys=None, password=None)
        async with conn:
            return await conn.run('"should not run"')
    with pytest.raises(asyncssh.PermissionDenied):
        run(anonymous())


def test_failures_lock_out_the_account_whatever_the_address_or_name(remote, start_server):
    server = start_server(remote.store, "--max-auth-failures", "3", "--lockout", "600")
    helpdesk, admin = remote.accounts["helpdesk"], remote.accounts["admin"]
    for source, login in (("127.0.0.2", "jhaas"), ("127.0.0.3", "JHAAS@litwareinc.com"), ("127.0.0.4", "jhaas")):
        with pytest.raises(asyncssh.PermissionDenied):
            run(_login_password(server, login, "wrong-password", source))
    with pytest.raises(asyncssh.PermissionDenied):       # the right password, from a fresh address: still refused
        run(_password_run(server, helpdesk, '"no"', source="127.0.0.5"))
    assert ssh(server, helpdesk, '"no"').returncode == 255         # keys too
    assert run(_password_run(server, admin, '"yes"', source="127.0.0.5")).stdout.strip() == "yes"
    log = server.wait_log(r"sign-in refused: account 'jhaas' .*too many failed sign-ins for the account")
    assert "locked out for 600 s after 3 failed sign-ins: account:litwareinc\\jhaas" in log


def test_failures_lock_out_the_address_for_every_account(remote, start_server):
    server = start_server(remote.store, "--max-auth-failures", "3", "--lockout", "600")
    for login in ("lisaj", "mortega", "nosuchuser"):
        with pytest.raises(asyncssh.PermissionDenied):
            run(_login_password(server, login, "wrong-password", "127.0.0.7"))
    with pytest.raises(asyncssh.PermissionDenied):
        run(_password_run(server, remote.accounts["helpdesk"], '"no"', source="127.0.0.7"))
    ok = run(_password_run(server, remote.accounts["helpdesk"], '"yes"', source="127.0.0.8"))
    assert ok.stdout.strip() == "yes"
    server.wait_log(r"sign-in refused: account 'jhaas' from 127\.0\.0\.7.*too many failed sign-ins for the address")


async def _login_password(server, login: str, password: str, source: str):
    conn = await asyncssh.connect("127.0.0.1", server.port, username=login, known_hosts=None, agent_path=None,
                                  client_keys=None, preferred_auth=("password",), password=password,
                                  local_addr=(source, 0))
    async with conn:
        return await conn.run('"unreachable"')

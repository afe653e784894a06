"""Signing in: password (checked against the stored hash) or public key, throttled and logged.

Nothing works without authenticating: ``begin_auth`` always asks for it (prompt_toolkit's contrib
server lets everyone in by default). An account signs in only if it holds at least one admin role,
as the product gives a user without a role no remote session. Every failure is logged with the
account and the client's address and counts toward the per-account and per-address throttles
(:mod:`throttle`); while either is locked out, every attempt is refused without being checked.
Password hashes are slow on purpose, so checks run in a worker thread and never stall other clients.

What counts as one failed sign-in: each wrong password, and a connection that offered public keys
only and closed without any of them being accepted (an OpenSSH client offers several keys in turn;
each refused key alone is not a failure, or normal users would lock themselves out).
"""
from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

import asyncssh

from csshell.remote.accounts import key_matches
from csshell.remote.channels import CsshellSession, accept_any_exec_command
from csshell.remote.session_engine import Identity
from csshell.remote.throttle import account_key, address_key

if TYPE_CHECKING:
    from csshell.remote.server import ServerState

log = logging.getLogger("csshell.remote")


class CsshellServer(asyncssh.SSHServer):
    """One client connection's authentication; afterwards it hands out session channels."""

    def __init__(self, state: ServerState) -> None:
        self._state = state
        self._address = "?"
        self._port = 0
        self._account: str | None = None
        self._roles: tuple[str, ...] = ()
        self._method = ""
        self._keys_refused = False
        self._key_without_role = False         # a valid key was offered, but its account holds no admin role
        self._signed_in = False
        self._conn: Any = None
        self._logon: str | None = None

    # --- connection ---------------------------------------------------------------------------
    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        peer = conn.get_extra_info("peername") or ("?", 0)
        self._address, self._port = str(peer[0]), int(peer[1])
        self._conn = conn
        self._state.connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        self._state.connections.discard(self._conn)
        if not self._signed_in and self._keys_refused and self._account is not None:
            self._failed(self._account, "the account holds no admin role" if self._key_without_role
                         else "no offered public key is authorized")

    def begin_auth(self, username: str) -> bool:
        self._account = username
        self._logon = None  # asyncssh calls again if the client switches user names
        return True         # always authenticate

    def auth_completed(self) -> None:
        self._signed_in = True
        self._state.throttle.succeeded(account_key(self._logon or self._account or ""))
        log.info("signed in: account '%s' (%s) from %s:%d (%s)", self._account, self._logon, self._address,
                 self._port, self._method)

    # --- password -----------------------------------------------------------------------------
    def password_auth_supported(self) -> bool:
        return True

    async def validate_password(self, username: str, password: str) -> bool:
        if await self._refused(username):
            return False
        accounts = self._state.accounts
        ok = await self._in_thread(lambda: accounts.verify_password(username, password))
        if ok and await self._has_role(username):
            self._method = "password"
            return True
        self._failed(username, "wrong password or unknown account" if not ok else "the account holds no admin role")
        await asyncio.sleep(self._state.config.limits.failure_delay)
        return False

    # --- public key ---------------------------------------------------------------------------
    def public_key_auth_supported(self) -> bool:
        return True

    async def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        if await self._refused(username):
            return False
        accounts = self._state.accounts
        keys = await self._in_thread(lambda: accounts.authorized_keys(username))
        if key_matches(key, keys):
            if await self._has_role(username):
                self._method = "publickey " + key.get_fingerprint()
                return True
            self._key_without_role = True
        self._keys_refused = True
        return False

    # --- sessions -----------------------------------------------------------------------------
    def session_requested(self) -> tuple[Any, CsshellSession]:
        who = Identity(self._logon or self._account or "", self._roles, self._address, self._port)
        session = CsshellSession(self._state, who)
        chan = self._conn.create_server_channel()
        accept_any_exec_command(chan, session)
        return chan, session

    # --- helpers ------------------------------------------------------------------------------
    async def _has_role(self, username: str) -> bool:
        """Read the account's roles for the sessions to come; False without a role."""
        accounts = self._state.accounts
        self._roles = tuple(await self._in_thread(lambda: accounts.roles(username)))
        return bool(self._roles)

    async def _refused(self, username: str) -> bool:
        """While the account or this address is locked out, refuse without checking anything.

        The account is counted under its canonical name, so ``jhaas``, ``JHaas@litwareinc.com`` and
        ``litwareinc\\jhaas`` share one count.
        """
        if self._logon is None:
            accounts = self._state.accounts
            self._logon = await self._in_thread(lambda: accounts.logon(username))
        key = self._state.throttle.refused(account_key(self._logon), address_key(self._address))
        if key is None:
            return False
        log.warning("sign-in refused: account '%s' from %s:%d (too many failed sign-ins for the %s)",
                    username, self._address, self._port, key.split(":")[0])
        return True

    def _failed(self, username: str, why: str) -> None:
        log.warning("sign-in failed: account '%s' from %s:%d (%s)", username, self._address, self._port, why)
        for key in self._state.throttle.failed(account_key(self._logon or username), address_key(self._address)):
            log.warning("locked out for %g s after %d failed sign-ins: %s", self._state.config.limits.lockout,
                        self._state.config.limits.max_auth_failures, key)

    @staticmethod
    async def _in_thread(call: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(None, call)

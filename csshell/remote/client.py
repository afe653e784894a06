"""The client side of remote sessions: what New-PSSession, Invoke-Command and Enter-PSSession use.

The remoting cmdlets (cmdlets/remoting.py) know no socket: the front end installs a
:class:`RemotingService` in the shell's runtime session (csshell/engine.py), and the cmdlets call it.
It opens SSH connections to ``csshell serve`` (client_transport.py) on the ``csshell-objects``
subsystem, keeps this shell's PSSessions, and turns the server's replies into PowerShell results:

* objects mode (Invoke-Command): deserialized property bags with ``PSComputerName``, ``RunspaceId``
  and ``PSShowComputerName``, and error records that name their computer (wire.py);
* text mode (Enter-PSSession): the server formats, this side prints; typed lines go to the entered
  session until ``Exit-PSSession`` or ``exit``, with the prompt ``[computer]: PS <folder>>``.

Server questions (``Read-Host``, mandatory parameters, ``-Confirm``) and sign-in questions (the
password, a key's passphrase, an unknown host key) are asked through the shell's host.
"""
from __future__ import annotations

import getpass
import re
import socket
import uuid
from collections.abc import Callable
from typing import Any

import asyncssh

from cmdlets.remoting import PSSESSION_TYPE, RemotingFailure
from csshell.remote import known_hosts
from csshell.remote.client_transport import (
    ObjectChannel,
    Questions,
    SessionRefused,
    SshClient,
    Target,
    ask,
    event_loop,
)
from csshell.remote.wire import SUBSYSTEM, WireError, decode_error, decode_value, encode_value, with_origin
from csshell.runtime.dotnet_types import Guid
from csshell.runtime.values import PSObject

PSSESSION_VIEW = ["Id", "Name", "ComputerName", "ComputerType", "State", "ConfigurationName", "Availability"]
NON_INTERACTIVE = "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."
SESSION_BROKE = "An error has occurred which Windows PowerShell cannot handle. A remote session might have ended."
EXIT_LINE = re.compile(r"\s*(exit-pssession|exsn)\s*;?\s*", re.IGNORECASE)


def parse_target(host_name: str, port: int | None, user: str | None) -> Target:
    """``-HostName`` as PowerShell 7 reads it: ``host``, ``user@host``, ``host:port``, ``[::1]:port``.
    An explicit ``-UserName``/``-Port`` wins; the user defaults to this machine's account, the port to 22."""
    text = host_name.strip()
    named_user, at, rest = text.rpartition("@")
    if at:
        text = rest
    named_port: int | None = None
    if text.startswith("["):
        host, _, tail = text[1:].partition("]")
        if tail.startswith(":") and tail[1:].isdigit():
            named_port = int(tail[1:])
        text = host
    elif text.count(":") == 1 and text.rpartition(":")[2].isdigit():
        text, _, digits = text.rpartition(":")
        named_port = int(digits)
    return Target(text, port or named_port or 22, user or (named_user if at else "") or _local_user())


def _local_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no passwd entry and no LOGNAME
        return "admin"


class RemoteSession:
    """One open remote session; :attr:`view` is its PSSession object (Id, Name, State...)."""

    def __init__(self, service: RemotingService, session_id: int, name: str, target: Target,
                 channel: ObjectChannel) -> None:
        self.service = service
        self.target = target
        self.channel = channel
        self.instance_id = Guid(uuid.uuid4())
        self.remote_prompt = str(channel.hello.get("prompt") or "PS> ")
        self._requests = 0
        self.view = PSObject([("Id", session_id), ("Name", name), ("ComputerName", target.computer),
                              ("ComputerType", "RemoteMachine"), ("State", "Opened"),
                              ("ConfigurationName", "DefaultShell"), ("Availability", "Available"),
                              ("InstanceId", self.instance_id), ("Transport", "SSH")],
                             [PSSESSION_TYPE, "System.Object"], list(PSSESSION_VIEW), f"[PSSession]{name}")

    @property
    def computer(self) -> str:
        return self.target.computer

    @property
    def is_open(self) -> bool:
        return self.view.get("State") == "Opened"

    # --- running ------------------------------------------------------------------------------
    def invoke(self, script: str, args: list[Any], *, output: Callable[[Any], None],
               error: Callable[[Any], None], show_computer_name: bool = True) -> bool:
        """Invoke-Command: run ``script`` (with ``args``) there; results and errors come back as data."""
        def handle(message: dict[str, Any]) -> None:
            kind = message.get("t")
            if kind == "output":
                output(with_origin(decode_value(message.get("value")), self.computer, self.instance_id,
                                   show_computer_name))
            elif kind == "error":
                value = message.get("value")
                error(decode_error(value if isinstance(value, dict) else {}, self.computer))
            else:
                self._host_message(message)
        done = self._exchange({"op": "invoke", "script": script, "args": [encode_value(a) for a in args],
                               "mode": "objects"}, handle)
        return bool(done.get("success"))

    def run_interactive(self, text: str) -> bool:
        """A line typed after Enter-PSSession: run there, formatted there, printed here.
        ``Exit-PSSession`` (and ``exit`` there) leaves the session."""
        if EXIT_LINE.fullmatch(text):
            self.service.exit()
            return True
        try:
            done = self._exchange({"op": "invoke", "script": text, "args": [], "mode": "text"}, self._host_message)
        except RemotingFailure as failure:
            self.service.host.write_error(failure.message + "\n")
            self.service.exit()
            return False
        if done.get("exit") is not None:
            self.service.exit()
        return bool(done.get("success"))

    def prompt_text(self) -> str:
        return f"[{self.computer}]: {self.remote_prompt}"

    def _exchange(self, request: dict[str, Any], handle: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
        """Send one request and handle its replies until ``done``. Ctrl-C asks the server to stop it, and is
        raised again once it has; further Ctrl-Cs while the stop is on its way change nothing (the session
        stays open, as a pressed-twice Ctrl-C must not break it); only a closed channel breaks the session.
        When the local pipeline gives up on the results (``Select-Object -First``, an error), the server is
        told to stop too."""
        host = self.service.host
        self._requests += 1
        request.update(id=self._requests, width=host.width, interactive=bool(host.interactive))
        self.channel.send(request)
        stopping = False
        while True:
            try:
                done = self._next_reply(request, handle)
                if done is not None:
                    break
            except KeyboardInterrupt:
                if not stopping:
                    stopping = True
                    self.channel.send({"op": "stop", "id": request["id"]})
        self.remote_prompt = str(done.get("prompt") or self.remote_prompt)
        if stopping:
            raise KeyboardInterrupt
        return done

    def _next_reply(self, request: dict[str, Any],
                    handle: Callable[[dict[str, Any]], None]) -> dict[str, Any] | None:
        """Read and handle one reply to ``request``; the ``done`` message when it is that."""
        message = self.channel.next_message()
        if message is None:
            raise self._broken()
        if message.get("id") != request["id"]:
            return None                          # a late reply to a request given up on
        if message.get("t") == "done":
            return message
        try:
            if message.get("t") == "read":
                self._answer(message)
            else:
                handle(message)
        except WireError:
            raise self._broken() from None
        except KeyboardInterrupt:
            raise
        except BaseException:
            self.channel.send({"op": "stop", "id": request["id"]})
            raise
        return None

    def _answer(self, message: dict[str, Any]) -> None:
        """A question of the remote command, asked here; Ctrl-C answers nothing and stops the command."""
        answer = None
        try:
            answer = self.service.host.read_line(str(message.get("prompt") or ""), bool(message.get("secret")))
        finally:
            self.channel.send({"op": "answer", "id": message.get("id"), "text": answer})

    def _host_message(self, message: dict[str, Any]) -> None:
        host = self.service.host
        kind = message.get("t")
        text = str(message.get("text") or "")
        if kind == "text":
            (host.write_error if message.get("stream") == "err" else host.write)(text)
        elif kind == "host":
            host.write_host(text, message.get("fg"), message.get("bg"), bool(message.get("nl", True)))

    # --- ending -------------------------------------------------------------------------------
    def close(self, state: str = "Closed") -> None:
        if self.view.get("State") == "Opened":
            self.view.set("State", state)
            self.view.set("Availability", "None")
        self.channel.close()

    def _broken(self) -> RemotingFailure:
        detail = self.channel.stderr
        self.close("Broken")
        message = SESSION_BROKE + (f" {detail}" if detail else "")
        return RemotingFailure(self.computer, "PSSessionStateBroken", message, broken=True)


class RemotingService:
    """A shell's remote sessions: those New-PSSession keeps, and the one Enter-PSSession entered."""

    def __init__(self, host: Any) -> None:
        self.host = host
        self._kept: list[RemoteSession] = []
        self._next_id = 1
        self.entered: RemoteSession | None = None
        self._entered_temporary = False

    # --- sessions -----------------------------------------------------------------------------
    def open(self, host_name: str, *, port: int | None = None, user: str | None = None,
             key_file: str | None = None, name: str | None = None, keep: bool = True) -> RemoteSession:
        """Connect and start a session (New-PSSession keeps it; Invoke-Command -HostName does not).
        Raises :class:`RemotingFailure` with PowerShell's wording when it cannot."""
        target = parse_target(host_name, port, user)
        session_id, self._next_id = self._next_id, self._next_id + 1
        channel = self._connect(target, key_file)
        session = RemoteSession(self, session_id, name or f"Runspace{session_id}", target, channel)
        if keep:
            self._kept.append(session)
        return session

    def sessions(self) -> list[RemoteSession]:
        return list(self._kept)

    def find(self, instance_id: Any) -> RemoteSession | None:
        wanted = str(instance_id)
        candidates = self._kept + ([self.entered] if self.entered is not None else [])
        return next((s for s in candidates if str(s.instance_id) == wanted), None)

    def remove(self, session: RemoteSession) -> None:
        """Remove-PSSession: close it and forget it (its PSSession object keeps State Closed)."""
        if session in self._kept:
            self._kept.remove(session)
        if self.entered is session:
            self.entered, self._entered_temporary = None, False
        session.close()

    # --- interactive --------------------------------------------------------------------------
    def enter(self, session: RemoteSession, *, temporary: bool) -> None:
        """Enter-PSSession: typed lines go to ``session`` from the next prompt on."""
        self.entered, self._entered_temporary = session, temporary

    def exit(self) -> None:
        """Exit-PSSession: back to the local prompt; a session Enter-PSSession opened itself is closed."""
        session, temporary = self.entered, self._entered_temporary
        self.entered, self._entered_temporary = None, False
        if session is not None and temporary:
            session.close()

    def close(self) -> None:
        """The shell ends: every session it opened ends too."""
        sessions = self._kept + ([self.entered] if self.entered is not None else [])
        self._kept, self.entered = [], None
        for session in sessions:
            session.close()

    # --- connecting ---------------------------------------------------------------------------
    def _connect(self, target: Target, key_file: str | None) -> ObjectChannel:
        options = self._key_options(target, key_file)
        for first_try in (True, False):
            questions = Questions(event_loop())
            client = SshClient(target, questions, can_ask=bool(self.host.interactive))
            options["known_hosts"] = known_hosts.load()
            try:
                return questions.wait(ObjectChannel.open(target, client, options), self.host)
            except asyncssh.HostKeyNotVerifiable:
                if not (first_try and self._trust_new_host(target, client)):
                    raise self._host_key_failure(target, client) from None
            except asyncssh.PermissionDenied:
                detail = NON_INTERACTIVE if client.password_unavailable and client.password_tries == 1 \
                    else "Access is denied."
                raise connect_failure(target, "AccessDenied", detail) from None
            except SessionRefused as exc:
                raise connect_failure(target, "CannotConnect", str(exc)) from None
            except WireError as exc:
                raise connect_failure(target, "CannotConnect", "The server's first reply is not of the csshell "
                                      f"remoting protocol ({exc}).") from None
            except asyncssh.ChannelOpenError:
                raise connect_failure(target, "CannotConnect", "The server does not offer csshell remote "
                                      f"sessions (it refused the SSH subsystem {SUBSYSTEM}).") from None
            except (OSError, asyncssh.Error, TimeoutError) as exc:
                raise connect_failure(target, "CannotConnect", transport_detail(target, exc)) from None
        raise connect_failure(target, "CannotConnect", "Host key verification failed.")

    def _key_options(self, target: Target, key_file: str | None) -> dict[str, Any]:
        """``-KeyFilePath``: that key only (asked for its passphrase if it has one); else, as ``ssh``
        does, the user's default keys and agent."""
        if key_file is None:
            return {}
        try:
            key = asyncssh.read_private_key(key_file)
        except asyncssh.KeyEncryptionError:
            key = self._read_encrypted_key(target, key_file)
        except (asyncssh.KeyImportError, OSError) as exc:
            raise connect_failure(target, "InvalidKeyFile", f"The key file '{key_file}' cannot be used: "
                                  f"{getattr(exc, 'strerror', None) or exc}.") from None
        return {"client_keys": [key], "agent_path": None}

    def _read_encrypted_key(self, target: Target, key_file: str) -> asyncssh.SSHKey:
        passphrase = ask(self.host, f"Enter passphrase for key '{key_file}': ", True)
        if passphrase is None:
            raise connect_failure(target, "AccessDenied", NON_INTERACTIVE)
        try:
            return asyncssh.read_private_key(key_file, passphrase)
        except (asyncssh.KeyEncryptionError, asyncssh.KeyImportError):
            raise connect_failure(target, "AccessDenied", f"The passphrase of the key file '{key_file}' is "
                                  "not correct.") from None

    def _trust_new_host(self, target: Target, client: SshClient) -> bool:
        """First contact: ask as OpenSSH does; ``yes`` records the key. A changed key is never accepted."""
        if client.offered_key is None or not self.host.interactive:
            return False
        addr, key = client.offered_key
        if known_hosts.is_recorded(target.computer, addr, target.port):
            return False
        notice, question = known_hosts.first_contact_question(target.computer, addr, target.port, key)
        self.host.write(notice)
        answer = self.host.read_line(question, False)
        if (answer or "").strip().lower() not in ("yes", key.get_fingerprint().lower()):
            return False
        known_hosts.remember(target.computer, target.port, key)
        self.host.write_error(known_hosts.added_notice(target.computer, target.port, key))
        return True

    def _host_key_failure(self, target: Target, client: SshClient) -> RemotingFailure:
        if client.offered_key is not None:
            addr, key = client.offered_key
            if known_hosts.is_recorded(target.computer, addr, target.port):
                return connect_failure(target, "CannotConnect", "Host key verification failed: the host key of "
                                       f"'{known_hosts.entry_name(target.computer, target.port)}' is not the one "
                                       f"recorded in {known_hosts.known_hosts_path()} (REMOTE HOST IDENTIFICATION "
                                       f"HAS CHANGED; the server offered {key.get_fingerprint()}).")
        return connect_failure(target, "CannotConnect", "Host key verification failed.")



def connect_failure(target: Target, reason: str, detail: str) -> RemotingFailure:
    """WinRM's sentence, as 5.1 words every failed connection, with the SSH reason inside."""
    return RemotingFailure(target.computer, reason,
                           f"Connecting to remote server {target.computer} failed with the following error message "
                           f": {detail} For more information, see the about_Remote_Troubleshooting Help topic.")


def transport_detail(target: Target, exc: BaseException) -> str:
    """Why the connection could not be made, in a sentence."""
    if isinstance(exc, socket.gaierror):
        return f"The remote computer name {target.computer} could not be resolved."
    if isinstance(exc, TimeoutError):
        return f"The connection to {target.computer} port {target.port} timed out."
    if isinstance(exc, ConnectionRefusedError):
        return f"The SSH connection to {target.computer} port {target.port} was refused."
    reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return f"The SSH connection to {target.computer} port {target.port} failed: {str(reason).rstrip('.')}."

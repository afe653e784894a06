"""Remote sessions: New-PSSession, Get-PSSession, Remove-PSSession, Invoke-Command, Enter-PSSession, Exit-PSSession.

PowerShell 7's SSH remoting syntax (``-HostName``, ``-UserName``, ``-KeyFilePath``, ``-Port``) against a
``csshell serve`` server; 5.1's ``-ComputerName`` is accepted as another name for ``-HostName`` (the
transport is SSH either way). Results come back deserialized, with ``PSComputerName``; errors carry
the computer they came from and are worded as 5.1 words them (docs/remote.md).

Cmdlets know no socket: the connection work is the *remoting service* the front end installs in the
runtime session (``Session.start_remoting``; csshell/remote/client.py). This module defines only what
both sides must agree on: :class:`RemotingFailure`, which the service raises when a session cannot be
opened or breaks, and the PSSession object's type name. The remoting cmdlets are local-only in the
role matrix: a remote admin cannot open sessions onward from the server.
"""
from __future__ import annotations

import os
from typing import Any

from cmdlets.object_properties import has_wildcard
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_OPERATION, ErrorRecord
from csshell.runtime.regex import wildcard_match
from csshell.runtime.values import PSObject, ScriptBlock, enumerate_value, to_string, type_name

PSSESSION_TYPE = "System.Management.Automation.Runspaces.PSSession"
OPEN_ERROR = "OpenError"
TRANSPORT_EXCEPTION = "PSRemotingTransportException"
REMOTE_RUNSPACE = "System.Manageme....RemoteRunspace"    # how 5.1's CategoryInfo shortens the RemoteRunspace


class RemotingFailure(Exception):
    """A remote session could not be opened (``broken`` False) or broke under a command (``broken`` True).

    ``reason`` is the transport's error id (``AccessDenied``, ``CannotConnect``...); ``message`` the whole
    sentence, without the ``[computer]`` prefix that some commands put in front of it.
    """

    def __init__(self, computer: str, reason: str, message: str, *, broken: bool = False) -> None:
        super().__init__(message)
        self.computer = computer
        self.reason = reason
        self.message = message
        self.broken = broken


# --- shared -----------------------------------------------------------------------------------

def remoting_of(ctx: CommandContext) -> Any:
    """The shell's remoting service; an error where the front end offers none."""
    session = ctx.session
    start = getattr(session, "start_remoting", None)
    service = start() if start is not None else None
    if service is None:
        ctx.error("Remote sessions are not available in this session.", "RemotingNotAvailable", INVALID_OPERATION,
                  reason="PSInvalidOperationException", terminating=True)
    return service


def is_pssession(value: Any) -> bool:
    return isinstance(value, PSObject) and bool(value.type_names) and value.type_names[0] == PSSESSION_TYPE


def session_views(ctx: CommandContext, values: Any, parameter: str = "Session") -> list[PSObject]:
    """The PSSession objects given; anything else (a deserialized PSSession too) fails binding, as in 5.1."""
    views = []
    for value in enumerate_value(values):
        if not is_pssession(value):
            ctx.error(f"Cannot bind parameter '{parameter}'. Cannot convert the \"{to_string(value)}\" value of type "
                      f"\"{type_name(value)}\" to type \"{PSSESSION_TYPE}\".", "CannotConvertArgumentNoMessage",
                      INVALID_ARGUMENT, reason="ParameterBindingException", terminating=True)
        views.append(value)
    return views


def invalid_state(view: PSObject) -> ErrorRecord:
    """5.1's ICMInvalidSessionState: the session was removed, or broke."""
    message = (f"Because the session state for session {view.get('Name')}, {view.get('InstanceId')}, "
               f"{view.get('ComputerName')} is not equal to Open, you cannot run a command  in the session.  "
               f"The session state is {view.get('State')}.")
    return ErrorRecord(message, "InvokeCommandCommandInvalidSessionState", INVALID_OPERATION, target=view,
                       target_type="PSSession", reason="InvalidRunspaceStateException")


def transport_record(failure: RemotingFailure) -> ErrorRecord:
    """How Invoke-Command reports a computer it could not reach (or lost): no command prefix, no position."""
    reason = failure.reason if failure.broken else f"{failure.reason},PSSessionStateBroken"
    return ErrorRecord(f"[{failure.computer}] {failure.message}", reason, OPEN_ERROR, target=failure.computer,
                       target_type="String", reason=TRANSPORT_EXCEPTION, activity="", command_class="",
                       computer_name="")


def live_session(ctx: CommandContext, service: Any, view: PSObject) -> Any:
    """The open session behind a PSSession object, or None after writing 5.1's error."""
    session = service.find(view.get("InstanceId")) if view.get("State") == "Opened" else None
    if session is None or not session.is_open:
        ctx.write_error(invalid_state(view))
        return None
    return session


def not_available(ctx: CommandContext, found: list[PSObject], *, ids: Any = None, names: Any = None,
                  instance_ids: Any = None, computers: Any = None) -> None:
    """5.1's non-terminating error for each asked-for session id, name (without wildcards) or instance id that
    matched no session of this shell: ``The remote session with the session ID 99 is not available.``"""
    asked: list[tuple[str, str, Any, bool]] = []
    for value in enumerate_value(ids) if ids is not None else ():
        asked.append(("session ID", "SessionId", value, any(v.get("Id") == int(value) for v in found)))
    for value in enumerate_value(names) if names is not None else ():
        text = to_string(value)
        if not has_wildcard(text):
            asked.append(("name", "Name", text, any(to_string(v.get("Name")).lower() == text.lower() for v in found)))
    for value in enumerate_value(instance_ids) if instance_ids is not None else ():
        text = to_string(value).strip("{}").lower()
        asked.append(("instance ID", "RunspaceId", value, any(str(v.get("InstanceId")) == text for v in found)))
    for value in enumerate_value(computers) if computers is not None else ():
        # PSRunspaceCmdlet.GetMatchingRunspacesByComputerName: a wildcard pattern that matches nothing errs too
        text = to_string(value)
        asked.append(("computer name", "Computer", text,
                      any(wildcard_match(text, to_string(v.get("ComputerName"))) for v in found)))
    for what, suffix, value, matched in asked:
        if not matched:
            message = (f"Remote session is not available for {to_string(value)}." if suffix == "RunspaceId" else
                       f"The remote session with the {what} {to_string(value)} is not available.")
            ctx.write_error(ErrorRecord(message, f"RemoteRunspaceNotAvailableForSpecified{suffix}", INVALID_ARGUMENT,
                                        target=value, reason="ArgumentException"))


def _ssh_parameters(sets: tuple[str, ...]) -> dict[str, Parameter]:
    return {
        "Port": Parameter("int", sets=sets, validate_range=(1, 65535),
                          help="The server's SSH port (default 22, or the one in the host name)."),
        "UserName": Parameter("string", sets=sets, help="The account to sign in as (default: yours)."),
        "KeyFilePath": Parameter("string", sets=sets, aliases=("IdentityFilePath",),
                                 help="A private key file to sign in with; without it your default keys and "
                                      "agent are offered, then the password is asked."),
    }


def _declare_ssh(sets: tuple[str, ...]) -> Any:
    def attach(cls: type) -> type:
        for name, param in _ssh_parameters(sets).items():
            setattr(cls, name, param)
            param.__set_name__(cls, name)
        return cls
    return attach


def _key_path(ctx: CommandContext, path: Any) -> str | None:
    if path is None:
        return None
    full = ctx.resolve_path(to_string(path))
    if not os.path.isfile(full):
        ctx.error(f"Cannot find path '{full}' because it does not exist.", "PathNotFound", "ObjectNotFound",
                  target=full, reason="ItemNotFoundException", terminating=True)
    return full


def _open(ctx: CommandContext, cmd: Any, name: str, *, keep: bool, session_name: str | None = None) -> Any:
    service = remoting_of(ctx)
    return service.open(name, port=cmd.Port, user=cmd.UserName, key_file=_key_path(ctx, cmd.KeyFilePath),
                        name=session_name, keep=keep)


# --- New / Get / Remove ------------------------------------------------------------------------

@cmdlet("New-PSSession", aliases=("nsn",), default_set="SSHHost", outputs=PSSESSION_TYPE,
        synopsis="Creates a persistent connection to a csshell server (SSH).",
        description="Opens a remote session over SSH to a `csshell serve` server and returns its PSSession; "
                    "the session keeps its variables between Invoke-Command calls. -ComputerName is accepted "
                    "as another name for -HostName.",
        examples=(('$s = New-PSSession -HostName sfb01 -Port 2222 -UserName jhaas', "Asks for the password."),
                  ('$s = New-PSSession sfb01 -UserName jhaas -KeyFilePath ~/.ssh/id_ed25519', "Signs in with a key.")))
@_declare_ssh(("SSHHost",))
class NewPSSession(Cmdlet):
    HostName = Parameter("string[]", position=0, mandatory=True, aliases=("ComputerName", "Cn"), sets=("SSHHost",),
                         help="The server: host, user@host or host:port.")
    Name = Parameter("string[]", help="Friendly names of the new sessions (default Runspace<Id>).")

    def process(self, ctx: CommandContext) -> None:
        names = [to_string(n) for n in enumerate_value(self.Name)]
        for index, host in enumerate(to_string(h) for h in enumerate_value(self.HostName)):
            try:
                session = _open(ctx, self, host, keep=True, session_name=names[index] if index < len(names) else None)
            except RemotingFailure as failure:
                ctx.write_error(ErrorRecord(f"[{failure.computer}] {failure.message}", failure.reason, OPEN_ERROR,
                                            target=REMOTE_RUNSPACE, target_type="RemoteRunspace",
                                            reason=TRANSPORT_EXCEPTION, command_class="PSSessionOpenFailed"))
                continue
            ctx.write_object(session.view)


@cmdlet("Get-PSSession", aliases=("gsn",), default_set="Name", outputs=PSSESSION_TYPE,
        synopsis="Gets the remote sessions opened in this shell.",
        examples=(("Get-PSSession", "Every open session of this shell."),
                  ("Get-PSSession -Name Run*", "Sessions by name (wildcards allowed).")))
class GetPSSession(Cmdlet):
    Id = Parameter("int[]", position=0, mandatory=True, sets=("Id",), help="Session ids.")
    Name = Parameter("string[]", sets=("Name",), help="Session names; wildcards allowed.")
    InstanceId = Parameter("Guid[]", sets=("InstanceId",), help="Session instance ids.")

    def process(self, ctx: CommandContext) -> None:
        views = [session.view for session in remoting_of(ctx).sessions() if self._wanted(session.view)]
        for view in views:
            ctx.write_object(view)
        not_available(ctx, views, ids=self.Id, names=self.Name, instance_ids=self.InstanceId)

    def _wanted(self, view: PSObject) -> bool:
        if self.Id is not None:
            return view.get("Id") in [int(i) for i in enumerate_value(self.Id)]
        if self.InstanceId is not None:
            return str(view.get("InstanceId")) in [to_string(i).strip("{}").lower() for i in
                                                   enumerate_value(self.InstanceId)]
        if self.Name is not None:
            return any(wildcard_match(to_string(p), to_string(view.get("Name"))) for p in enumerate_value(self.Name))
        return True


@cmdlet("Remove-PSSession", aliases=("rsn",), default_set="Id",
        synopsis="Closes remote sessions and removes them from this shell.",
        examples=(("Get-PSSession | Remove-PSSession", "Closes every session."),
                  ("Remove-PSSession -Session $s", "Closes one; $s.State is then Closed.")))
class RemovePSSession(Cmdlet):
    Session = Parameter("PSSession[]", position=0, mandatory=True, from_pipeline=True, sets=("Session",),
                        help="The PSSession objects to close.")
    Id = Parameter("int[]", position=0, mandatory=True, sets=("Id",), help="Session ids.")
    Name = Parameter("string[]", mandatory=True, sets=("Name",), help="Session names; wildcards allowed.")
    HostName = Parameter("string[]", mandatory=True, sets=("ComputerName",), aliases=("ComputerName", "Cn"),
                         help="Closes every session to these servers.")

    def process(self, ctx: CommandContext) -> None:
        service = remoting_of(ctx)
        if self.Session is not None:
            for view in session_views(ctx, self.Session):
                session = service.find(view.get("InstanceId"))
                if session is not None:
                    service.remove(session)
            return
        removed = [session for session in service.sessions() if self._matches(session.view)]
        for session in removed:
            service.remove(session)
        not_available(ctx, [session.view for session in removed], ids=self.Id, names=self.Name,
                      computers=self.HostName)

    def _matches(self, view: PSObject) -> bool:
        if self.Id is not None:
            return view.get("Id") in [int(i) for i in enumerate_value(self.Id)]
        if self.Name is not None:
            return any(wildcard_match(to_string(p), to_string(view.get("Name"))) for p in enumerate_value(self.Name))
        return any(wildcard_match(to_string(h), to_string(view.get("ComputerName")))
                   for h in enumerate_value(self.HostName))


# --- Invoke-Command --------------------------------------------------------------------------------

@cmdlet("Invoke-Command", aliases=("icm",), default_set="InProcess",
        synopsis="Runs commands on a csshell server (or here) and returns their results.",
        description="With -Session or -HostName the script block runs on the server; results come back as "
                    "deserialized objects (type names prefixed 'Deserialized.') with PSComputerName, RunspaceId "
                    "and PSShowComputerName, and errors show the computer they came from. Without either, the "
                    "script block runs here in a child scope.",
        examples=(('Invoke-Command -Session $s -ScriptBlock { Get-CsClientPinInfo -Identity "Ken Myer" }',
                   "Runs in the session $s."),
                  ('Invoke-Command -HostName sfb01 -Port 2222 -UserName jhaas { Unlock-CsClientPin "Ken Myer" }',
                   "Opens a session for this command only."),
                  ('Invoke-Command $s { param($who) Get-CsUser $who } -ArgumentList "Ken Myer"',
                   "Passes a value to the script block's param() block.")))
@_declare_ssh(("SSHHost",))
class InvokeCommand(Cmdlet):
    ScriptBlock = Parameter("scriptblock", position=0, mandatory=True, aliases=("Command",), set_positions={"Session": 1},
                            help="The commands to run.")
    Session = Parameter("PSSession[]", position=0, mandatory=True, sets=("Session",),
                        help="Sessions made by New-PSSession.")
    HostName = Parameter("string[]", mandatory=True, aliases=("ComputerName", "Cn"), sets=("SSHHost",),
                         help="Servers to open a session to for this command only.")
    ArgumentList = Parameter("object[]", aliases=("Args",), help="Values for the script block's parameters.")
    HideComputerName = Parameter("switch", aliases=("HCN",), sets=("Session", "SSHHost"),
                                 help="Results do not show PSComputerName.")
    NoNewScope = Parameter("switch", sets=("InProcess",), help="Runs a local script block in the current scope.")

    def process(self, ctx: CommandContext) -> None:
        args = list(enumerate_value(self.ArgumentList))
        if self.set_name == "InProcess":
            for item in ctx.invoke_script_block(self.ScriptBlock, args=args, use_new_scope=not self.NoNewScope):
                ctx.write_object(item)
            return
        service = remoting_of(ctx)
        if self.set_name == "Session":
            for view in session_views(ctx, self.Session):
                session = live_session(ctx, service, view)
                if session is not None:
                    self._run(ctx, session, args)
            return
        for host in (to_string(h) for h in enumerate_value(self.HostName)):
            try:
                session = _open(ctx, self, host, keep=False)
            except RemotingFailure as failure:
                ctx.write_error(transport_record(failure))
                continue
            try:
                self._run(ctx, session, args)
            finally:
                session.close()

    def _run(self, ctx: CommandContext, session: Any, args: list[Any]) -> None:
        text = self.ScriptBlock.text if isinstance(self.ScriptBlock, ScriptBlock) else to_string(self.ScriptBlock)
        try:
            session.invoke(text, args, output=ctx.write_object, error=ctx.write_error,
                           show_computer_name=not self.HideComputerName)
        except RemotingFailure as failure:
            ctx.write_error(transport_record(failure))


# --- Enter / Exit --------------------------------------------------------------------------------

def _no_interactive_host(ctx: CommandContext) -> bool:
    """5.1's HostDoesNotSupportPushRunspace: only the interactive prompt can enter a session."""
    if getattr(getattr(ctx.session, "host", None), "supports_interactive_session", False):
        return False
    ctx.error("The host does not support Enter-PSSession and Exit-PSSession.", "HostDoesNotSupportPushRunspace",
              INVALID_ARGUMENT, reason="ArgumentException")
    return True


@cmdlet("Enter-PSSession", aliases=("etsn",), default_set="SSHHost",
        synopsis="Starts an interactive session with a csshell server.",
        description="From the next prompt on, what you type runs on the server, with the prompt "
                    "[server]: PS <folder>>; Exit-PSSession (or exit) comes back. Only the interactive prompt "
                    "can enter a session: in a script or with -Command it is an error, as in a 5.1 host "
                    "without interactive sessions.",
        examples=(("Enter-PSSession -HostName sfb01 -Port 2222 -UserName jhaas", "Opens and enters a session."),
                  ("Enter-PSSession -Session $s", "Enters a session made by New-PSSession.")))
@_declare_ssh(("SSHHost",))
class EnterPSSession(Cmdlet):
    HostName = Parameter("string", position=0, mandatory=True, aliases=("ComputerName", "Cn"), sets=("SSHHost",),
                         help="The server: host, user@host or host:port.")
    Session = Parameter("PSSession", mandatory=True, from_pipeline=True, sets=("Session",),
                        help="A session made by New-PSSession.")
    Id = Parameter("int", mandatory=True, sets=("Id",), help="The Id of a session made by New-PSSession.")
    Name = Parameter("string", mandatory=True, sets=("Name",), help="The name of a session made by New-PSSession.")

    def process(self, ctx: CommandContext) -> None:
        if _no_interactive_host(ctx):
            return
        service = remoting_of(ctx)
        if self.set_name == "SSHHost":
            try:
                session = _open(ctx, self, to_string(self.HostName), keep=False)
            except RemotingFailure as failure:     # 5.1's id has no command class: CreateRemoteRunspaceFailed
                ctx.write_error(ErrorRecord(failure.message, "CreateRemoteRunspaceFailed", INVALID_ARGUMENT,
                                            target=failure.computer, target_type="String", reason=TRANSPORT_EXCEPTION,
                                            command_class=""))
                return
            service.enter(session, temporary=True)
            return
        session = self._existing(ctx, service)
        if session is not None:
            service.enter(session, temporary=False)

    def _existing(self, ctx: CommandContext, service: Any) -> Any:
        if self.set_name == "Session":
            view = session_views(ctx, self.Session)[0]
        else:
            found = [s.view for s in service.sessions()
                     if (self.set_name == "Id" and s.view.get("Id") == self.Id)
                     or (self.set_name == "Name" and to_string(s.view.get("Name")).lower() == to_string(self.Name).lower())]
            if not found:
                what = f"session ID {self.Id}" if self.set_name == "Id" else f"name {self.Name}"
                ctx.error(f"The remote session with the {what} is not available.", "RemoteRunspaceNotAvailable",
                          INVALID_ARGUMENT, reason="ArgumentException")
                return None
            view = found[0]
        session = service.find(view.get("InstanceId")) if view.get("State") == "Opened" else None
        if session is None:
            ctx.error("Session must be open.", "PushedRunspaceMustBeOpen", INVALID_ARGUMENT, target=view,
                      target_type="PSSession", reason="ArgumentException")
        return session


@cmdlet("Exit-PSSession", aliases=("exsn",), synopsis="Ends the interactive session with a csshell server.",
        examples=(("Exit-PSSession", "Back to the local prompt (typing exit there does the same)."),))
class ExitPSSession(Cmdlet):
    def process(self, ctx: CommandContext) -> None:
        if _no_interactive_host(ctx):
            return
        service = getattr(ctx.session, "remoting", None)
        if service is not None:
            service.exit()

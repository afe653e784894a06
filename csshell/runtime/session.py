"""Session state: variable scopes, functions, preferences, the error list and the services a session uses.

One :class:`Session` per shell (a prompt, a script run, a remote session). Variables live in a chain of
:class:`Scope` objects (global → script → function/script block), looked up case-insensitively as
PowerShell does. The store is opened lazily: ``csshell -c '$null'`` never reads it.
"""
from __future__ import annotations

import os
from typing import Any, Callable

from csshell.runtime.dotnet_types import PSList
from csshell.runtime.host import Host

AUTOMATIC_CONSTANTS = {"true": True, "false": False, "null": None}
PREFERENCE_DEFAULTS = {
    "ErrorActionPreference": "Continue",
    "WarningPreference": "Continue",
    "VerbosePreference": "SilentlyContinue",
    "DebugPreference": "SilentlyContinue",
    "InformationPreference": "SilentlyContinue",
    "ConfirmPreference": "High",
    "ProgressPreference": "Continue",
    "WhatIfPreference": False,
    "FormatEnumerationLimit": 4,
    "OFS": " ",
    "PSVersionTable": None,
}


def _windows_fallbacks() -> dict[str, Callable[[], str]]:
    import getpass
    import socket
    import tempfile
    return {"username": getpass.getuser, "computername": lambda: socket.gethostname().split(".")[0].upper(),
            "temp": tempfile.gettempdir, "tmp": tempfile.gettempdir,
            "userprofile": lambda: os.path.expanduser("~")}


def environment_variable(name: str) -> str | None:
    """``$env:NAME`` as on Windows: names are case-insensitive, and the variables every Windows admin
    script reads (USERNAME, COMPUTERNAME, TEMP, USERPROFILE) have their Linux equivalents when unset."""
    if name in os.environ:
        return os.environ[name]
    low = name.lower()
    for key, value in os.environ.items():
        if key.lower() == low:
            return value
    fallback = _windows_fallbacks().get(low)
    if fallback is None:
        return None
    try:
        return fallback()
    except Exception:   # getpass fails without a passwd entry: then the variable is simply unset
        return None


def illegal_path_characters(path: str) -> Any:
    """.NET's ``Illegal characters in path.`` (an ArgumentException), as 5.1's providers report a path holding
    a NUL: the ItemExistsArgumentError record, category InvalidArgument."""
    from csshell.runtime.errors import INVALID_ARGUMENT, ErrorRecord
    return ErrorRecord("Illegal characters in path.", "ItemExistsArgumentError", INVALID_ARGUMENT, target=path,
                       target_type="String", reason="ArgumentException", exception_type="System.ArgumentException")


def local_account() -> str:
    """The OS account running this shell: the audit trail's actor for changes made at this machine.

    ``local`` when the account has no name (no passwd entry and no LOGNAME/USER), so an audit entry
    always names someone."""
    import getpass
    try:
        return getpass.getuser() or "local"
    except Exception:      # getpass raises KeyError/OSError without a passwd entry
        return "local"


class Scope:
    """One variable scope. ``lookup`` walks to the parents; ``assign`` writes here."""

    def __init__(self, parent: "Scope | None" = None, kind: str = "local") -> None:
        self.parent = parent
        self.kind = kind            # 'global', 'script', 'function', 'local'
        self.vars: dict[str, tuple[str, Any]] = {}

    def find(self, name: str) -> "Scope | None":
        key = name.lower()
        scope: Scope | None = self
        while scope is not None:
            if key in scope.vars:
                return scope
            scope = scope.parent
        return None

    def lookup(self, name: str, default: Any = None) -> Any:
        scope = self.find(name)
        return scope.vars[name.lower()][1] if scope else default

    def assign(self, name: str, value: Any) -> None:
        key = name.lower()
        original = self.vars[key][0] if key in self.vars else name
        self.vars[key] = (original, value)

    def remove(self, name: str) -> None:
        self.vars.pop(name.lower(), None)

    def nearest(self, kind: str) -> "Scope":
        scope: Scope = self
        while scope.kind != kind and scope.parent is not None:
            scope = scope.parent
        return scope


class Variables:
    """A read view of the current scope chain (what cmdlets see as ``session.variables``)."""

    def __init__(self, session: "Session") -> None:
        self._session = session

    def get(self, name: str, default: Any = None) -> Any:
        return self._session.get_variable(name, default)

    def set(self, name: str, value: Any) -> None:
        self._session.set_variable(name, value)


class Session:
    """Everything a running shell keeps between statements."""

    def __init__(self, host: Host, store_opener: Callable[[], Any] | None = None, *,
                 actor: str | None = None, origin: str = "console", cwd: str | None = None,
                 store_path: str | None = None) -> None:
        self.host = host
        self.store_path = store_path                # the store the opener opens, known before it is opened
        self.global_scope = Scope(kind="global")
        self.scope = self.global_scope
        self.functions: dict[str, Any] = {}
        self.errors: list[Any] = PSList()           # $Error, newest first: an ArrayList ($Error.Clear() works)
        self.last_success = True                    # $?
        self.actor = actor or local_account()     # who changes are audited as (a remote session: its user)
        self.origin = origin                     # console, command, "script <path>", "ssh <address>:<port>"
        self.cwd = cwd or os.getcwd()
        self.variables = Variables(self)
        self._store_opener = store_opener
        self._store: Any = None
        self.script_stack: list[str] = []          # paths of running scripts ($PSScriptRoot)
        # A remote session (csshell/remote) confines itself: ``path_guard`` sees every path a command
        # resolves and raises PSError for one it refuses; ``environment`` is a private ``$env:`` in place
        # of the server process's own environment. Both stay None at the local console.
        self.path_guard: Callable[[str], None] | None = None
        self.environment: dict[str, str] | None = None
        # Remote sessions (New-PSSession, Invoke-Command, Enter-PSSession): the runtime and the cmdlets know
        # no socket, so a front end installs a factory (csshell/engine.py) and the service is made on first
        # use; a remote session (csshell/remote/sandbox.py) has none, so nobody hops on from it.
        self.remoting_factory: Callable[["Session"], Any] | None = None
        self.remoting: Any = None
        for name, value in PREFERENCE_DEFAULTS.items():
            self.global_scope.assign(name, value)
        self.global_scope.assign("HOME", os.path.expanduser("~"))
        self.global_scope.assign("PID", os.getpid())

    # --- services -----------------------------------------------------------------------------
    @property
    def store(self) -> Any:
        """The directory store, opened on first use."""
        if self._store is None:
            if self._store_opener is None:
                raise RuntimeError("this session has no store")
            self._store = self._store_opener()
        return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    def store_file_refusal(self, path: str) -> Any:
        """The PathIsStoreFile record for a write to ``path`` when it is one of this session's store files
        (base, journal, backup pair, lock; csshell/store/recovery.py knows them), else None. Every writer
        asks it: the file-writing cmdlets (which add their name) and ``>`` redirection. Does not open the
        store."""
        store_path = getattr(self._store, "path", None) or self.store_path
        if not store_path:
            return None
        from csshell.store.recovery import store_file_role
        role = store_file_role(store_path, path)
        if role is None:
            return None
        from csshell.runtime.errors import INVALID_ARGUMENT, ErrorRecord
        return ErrorRecord(f"Cannot write to '{path}' because it is {role}: writing it would damage the csshell "
                           "store. Choose another file; nothing was written.", "PathIsStoreFile", INVALID_ARGUMENT,
                           target=path, reason="ArgumentException")

    def start_remoting(self) -> Any:
        """The remote-session service, made on first use; ``None`` where the front end offers none."""
        if self.remoting is None and self.remoting_factory is not None:
            self.remoting = self.remoting_factory(self)
        return self.remoting

    def close(self) -> None:
        remoting, self.remoting = self.remoting, None
        try:
            if remoting is not None:
                remoting.close()        # the remote sessions this shell opened end with it
        finally:
            if self._store is not None:
                self._store.close()
                self._store = None

    # --- variables ----------------------------------------------------------------------------
    def get_variable(self, name: str, default: Any = None) -> Any:
        scope_name, _, bare = name.rpartition(":")
        low = bare.lower()
        qualifier = scope_name.lower()
        if qualifier == "env":
            if self.environment is not None:
                return next((v for k, v in self.environment.items() if k.lower() == low), None)
            return environment_variable(bare)
        if not qualifier and low in AUTOMATIC_CONSTANTS:
            return AUTOMATIC_CONSTANTS[low]
        if not qualifier and low == "?":
            return self.last_success
        if not qualifier and low == "error":
            return self.errors
        if not qualifier and low == "pwd":
            return self.cwd
        if not qualifier and low in ("psscriptroot", "pscommandpath"):
            if not self.script_stack:
                return ""
            path = self.script_stack[-1]
            return os.path.dirname(path) if low == "psscriptroot" else path
        scope = self._qualified_scope(qualifier)
        if qualifier in ("global", "script"):
            return scope.vars.get(low, (None, default))[1]
        return scope.lookup(bare, default)

    def set_variable(self, name: str, value: Any) -> None:
        scope_name, _, bare = name.rpartition(":")
        qualifier = scope_name.lower()
        if qualifier == "env" and self.environment is not None:
            self._set_private_environment(bare, value)
            return
        if qualifier == "env":
            if value is None:
                os.environ.pop(bare, None)
            else:
                from csshell.runtime.values import to_string
                os.environ[bare] = to_string(value)
            return
        target = self._qualified_scope(qualifier)
        if target is self.global_scope and bare.lower() == "confirmpreference":   # 5.1 types it [ConfirmImpact]
            from csshell.runtime.should_process import convert_confirm_impact
            value = convert_confirm_impact(value)
        target.assign(bare, value)

    def _qualified_scope(self, qualifier: str) -> Scope:
        if qualifier == "global":
            return self.global_scope
        if qualifier == "script":
            return self.scope.nearest("script") if self.scope.nearest("script").kind == "script" else self.global_scope
        return self.scope

    def push_scope(self, kind: str = "local") -> Scope:
        self.scope = Scope(self.scope, kind)
        return self.scope

    def pop_scope(self, scope: Scope) -> None:
        self.scope = scope.parent or self.global_scope

    def filesystem_path(self, path: str) -> str:
        """A path as a script wrote it, made absolute against the current location.

        Scripts written on Windows join paths with ``\\`` (``"$PSScriptRoot\\lib\\x.ps1"``); pwsh on
        Linux accepts both separators, and so do we, so such scripts run unchanged.
        """
        if "\0" in path:             # the OS cannot take it; .NET refuses it before asking (ArgumentException)
            from csshell.runtime.errors import PSError
            raise PSError(illegal_path_characters(path))
        if os.sep == "/":
            path = path.replace("\\", "/")
        if self.path_guard is not None and (path == "~" or path.startswith("~/")):
            # ``~`` is the provider's home, $HOME: in a confined session its folder, never the server account's
            path = str(self.get_variable("HOME") or self.cwd) + path[1:]
        full = os.path.normpath(os.path.join(self.cwd, os.path.expanduser(path)))
        if self.path_guard is not None:
            self.path_guard(full)
        return full

    def _set_private_environment(self, name: str, value: Any) -> None:
        """``$env:X = v`` in a confined session: names stay case-insensitive, ``$null`` removes."""
        from csshell.runtime.values import to_string
        env = self.environment
        assert env is not None
        for key in [k for k in env if k.lower() == name.lower()]:
            del env[key]
        if value is not None:
            env[name] = to_string(value)

    def preference(self, name: str) -> Any:
        return self.get_variable(name, PREFERENCE_DEFAULTS.get(name))

    def record_error(self, record: Any) -> None:
        """Add to ``$Error`` (newest first, capped like $MaximumErrorCount = 256); the newest entry is
        never added twice (a caught error re-thrown with ``throw``), as ExecutionContext.AppendDollarError."""
        if self.errors and self.errors[0] is record:
            return
        self.errors.insert(0, record)
        del self.errors[256:]

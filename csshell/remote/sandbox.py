"""What confines a remote session: the commands its roles allow, one folder of files, a private ``$env:``.

A remote admin must never reach the server's operating system. The runtime already runs no native
program; a remote session additionally gets, through hooks on :class:`~csshell.runtime.session.Session`:

* a **command filter**: the cmdlets of the account's roles (csshell/store/roles.py: the roles' Cs
  cmdlets and the common language cmdlets) plus the file cmdlets, which the path guard confines.
  Everything else, and every script file or program path, is "not recognized"
  (``CommandNotFoundException``), as in a restricted remote PowerShell endpoint. A cmdlet added to
  csshell later gets no role unless the role rules give it one, so a new way out cannot appear by
  accident;
* a **path guard**: every path a command resolves (``Get-Content``, ``Import-Csv``, ``Out-File``,
  ``>``, ``Import-CsDirectory``...) must lie inside the served folder after symbolic links are
  followed; any other is refused with .NET's "Access to the path ... is denied." record;
* a **private environment**: ``$env:X`` reads and writes a per-session table, never the server's.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from csshell.runtime import errors as E
from csshell.runtime.errors import ErrorRecord, PSError


def command_filter(role_cmdlets: Iterable[str]) -> Callable[[str], bool]:
    """``allowed(cmdlet_name)`` for a session whose roles grant ``role_cmdlets``."""
    allowed = {name.lower() for name in role_cmdlets}

    def allows(name: str) -> bool:
        return name.lower() in allowed
    return allows


def path_guard(folder: str) -> Callable[[str], None]:
    """A guard that lets through only paths inside ``folder`` (symbolic links resolved)."""
    root = os.path.realpath(folder)

    def guard(path: str) -> None:
        real = os.path.realpath(path)
        if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
            raise PSError(access_denied(path))
    return guard


def access_denied(path: str) -> ErrorRecord:
    """.NET's UnauthorizedAccessException, as PowerShell shows a path the account may not use."""
    return ErrorRecord(f"Access to the path '{path}' is denied.", "UnauthorizedAccess", E.PERMISSION_DENIED,
                       target=path, target_type="String", reason="UnauthorizedAccessException",
                       exception_type="System.UnauthorizedAccessException")


def private_environment(account: str, hostname: str, folder: str) -> dict[str, str]:
    """The ``$env:`` a remote session starts with: who and where it is, nothing of the server's.

    ``account`` is ``domain\\logon``; as on Windows, USERNAME holds the logon and USERDOMAIN the domain.
    """
    domain, _, user = account.rpartition("\\")
    env = {"USERNAME": user, "COMPUTERNAME": hostname.upper(), "HOME": folder, "USERPROFILE": folder,
           "TEMP": folder, "TMP": folder}
    if domain:
        env["USERDOMAIN"] = domain.upper()
    return env


def confine(session: object, *, role_cmdlets: Iterable[str], folder: str, account: str, hostname: str) -> None:
    """Apply all three restrictions to a runtime session (before it runs anything)."""
    session.command_filter = command_filter(role_cmdlets)   # type: ignore[attr-defined]
    session.path_guard = path_guard(folder)                  # type: ignore[attr-defined]
    session.environment = private_environment(account, hostname, folder)   # type: ignore[attr-defined]
    session.global_scope.assign("HOME", folder)              # type: ignore[attr-defined]
    session.remoting_factory = None                          # type: ignore[attr-defined]  # no hop onward

"""What can go wrong in the store, as exceptions the upper layers turn into ErrorRecords.

The store is the bottom layer: it knows nothing of ErrorRecord or PowerShell output. Each exception
carries the pieces an ErrorRecord needs (message, error id, category name), so the engine and the
cmdlets can report it without re-wording it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class StoreError(Exception):
    """The store file cannot be used: corrupt, too new, busy, unwritable.

    ``message`` is the text shown to the admin (it names the file), ``error_id`` the
    FullyQualifiedErrorId, ``category`` an ErrorCategory name, ``path`` the store file.
    """

    def __init__(self, message: str, error_id: str, path: str | None = None,
                 category: str = "ResourceUnavailable") -> None:
        super().__init__(message)
        self.message = message
        self.error_id = error_id
        self.path = path
        self.category = category


class IdentityNotFound(LookupError):
    """No (enabled) user matches the identity; cmdlets report the real product's wording."""

    def __init__(self, identity: Any) -> None:
        super().__init__(f'Management object not found for identity "{identity}".')
        self.identity = identity


class AmbiguousIdentity(LookupError):
    """A non-wildcard identity (a shared display name) matches several users."""

    def __init__(self, identity: Any, sip_addresses: list[str]) -> None:
        self.identity = identity
        self.sip_addresses = sip_addresses
        listed = ", ".join(sip_addresses)
        super().__init__(
            f'Multiple management objects found for identity "{identity}" ({listed}). '
            "Use the SIP address, user principal name, domain\\logon name or distinguished name "
            "to choose one user.")


class PinPolicyViolation(ValueError):
    """An explicit PIN breaks the user's effective PIN policy. ``rule`` names the broken rule."""

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule


class PinLocked(Exception):
    """Setting a PIN on a locked PIN is refused (the Control Panel's rule: unlock first)."""

    def __init__(self, sip_address: str) -> None:
        super().__init__(
            f'The PIN for "{sip_address}" is locked. Unlock it with Unlock-CsClientPin before '
            "setting a new PIN.")
        self.sip_address = sip_address


class FilterError(ValueError):
    """A -Filter or -LdapFilter text that cannot be parsed or names an unknown property."""

    def __init__(self, message: str, text: str, position: int | None = None) -> None:
        where = f" at position {position + 1}" if position is not None else ""
        super().__init__(f'Invalid filter "{text}": {message}{where}.')
        self.text = text
        self.position = position


class InvalidOrganizationalUnit(ValueError):
    """An -OU value that is not a distinguished name: a binding error, as for any bad conversion.

    Carries ``message``/``error_id``/``category`` like :class:`StoreError`, so an uncaught one still
    becomes the right terminating error record.
    """

    TYPE_NAME = "Microsoft.Rtc.Management.AD.OUIdParameter"

    def __init__(self, text: str) -> None:
        self.text = text
        self.message = (
            f"Cannot bind parameter 'OU'. Cannot convert value \"{text}\" to type \"{self.TYPE_NAME}\". "
            f'Error: "The value "{text}" is not a distinguished name. Use the distinguished name of an '
            'OU or container, such as "OU=Finance,DC=litwareinc,DC=com"."')
        self.error_id = "CannotConvertArgumentNoMessage"
        self.category = "InvalidArgument"
        super().__init__(self.message)


@dataclass(frozen=True)
class RowProblem:
    """One bad row of a directory file (``line`` None: the file as a whole) and what is wrong."""
    path: str
    line: int | None
    problem: str

    def __str__(self) -> str:
        where = f", line {self.line}" if self.line is not None else ""
        return f'Cannot import "{self.path}"{where}: {self.problem}'


class DirectoryImportError(ValueError):
    """A directory file with bad rows; nothing of it was imported."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

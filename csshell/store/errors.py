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


@dataclass(frozen=True)
class RowProblem:
    """One bad row of a directory file: where it is and what is wrong."""
    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f'Cannot import "{self.path}", line {self.line}: {self.problem}'


class DirectoryImportError(ValueError):
    """A directory file with bad rows; nothing of it was imported."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

"""The PIN policy model (Get-CsPinPolicy's UserPinPolicy) and its scopes.

Scopes as in the product (reference/sfb-cmdlets.md §4.2): ``Global``, ``site:<Name>`` and per-user
``tag:<Name>``; a user's effective policy is the per-user one assigned to them, else their site's,
else the global one. Defaults are the documented global defaults (MinPasswordLength 5, no history,
no common patterns, no expiry, MaximumLogonAttempts automatic).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

GLOBAL = "Global"

# (store field, PowerShell property) in Get-CsPinPolicy's display order
PROPERTIES: tuple[tuple[str, str], ...] = (
    ("identity", "Identity"),
    ("description", "Description"),
    ("min_password_length", "MinPasswordLength"),
    ("pin_history_count", "PINHistoryCount"),
    ("allow_common_patterns", "AllowCommonPatterns"),
    ("pin_lifetime", "PINLifetime"),
    ("maximum_logon_attempts", "MaximumLogonAttempts"),
)
TYPE_NAME = "Microsoft.Rtc.Management.WritableConfig.Policy.UserPin.UserPinPolicy"
MAX_PIN_LENGTH = 24     # MinPasswordLength's documented upper bound; longer PINs are refused too


@dataclass(frozen=True)
class PinPolicy:
    """One PIN policy. ``identity`` is normalised: ``Global``, ``site:X`` or ``tag:X``."""
    identity: str = GLOBAL
    description: str | None = None
    min_password_length: int = 5
    pin_history_count: int = 0
    allow_common_patterns: bool = False
    pin_lifetime: int = 0                      # days; 0 = never expires
    maximum_logon_attempts: int | None = None  # None = computed from the PIN length

    @property
    def scope(self) -> str:
        """``global``, ``site`` or ``tag``."""
        return "global" if self.identity == GLOBAL else self.identity.split(":", 1)[0]

    @property
    def name(self) -> str:
        """The name without scope prefix: what Grant-CsPinPolicy and Get-CsUser show."""
        return self.identity.split(":", 1)[1] if ":" in self.identity else self.identity

    def to_document(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> "PinPolicy":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in doc.items() if k in known})

    def properties(self) -> list[tuple[str, Any]]:
        """(PowerShell name, value) pairs in display order."""
        return [(ps, getattr(self, attr)) for attr, ps in PROPERTIES]


def normalize_identity(identity: str) -> str:
    """``global`` -> ``Global``; ``site:x`` kept; a bare name is per-user: ``tag:<name>``."""
    text = identity.strip()
    if text.lower() == "global":
        return GLOBAL
    scope, sep, name = text.partition(":")
    if sep and scope.lower() in ("site", "tag", "service"):
        return f"{scope.lower()}:{name}"
    return f"tag:{text}"

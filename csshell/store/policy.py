"""The PIN policy model (Get-CsPinPolicy's UserPinPolicy) and its scopes.

Scopes as in the product (reference/sfb-cmdlets.md §4.2): ``Global``, ``site:<Name>`` and per-user
``tag:<Name>``; a user's effective policy is the per-user one assigned to them, else their site's,
else the global one. Defaults are the documented global defaults (MinPasswordLength 5, no history,
no common patterns, no expiry, MaximumLogonAttempts automatic).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from csshell.store.schema import PIN_POLICIES
from csshell.store.stored_values import FIELD_KINDS, DamagedValue

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

    def changed(self, **values: Any) -> PinPolicy:
        """A copy with some store fields replaced (Set-CsPinPolicy); the identity never changes."""
        return replace(self, **{k: v for k, v in values.items() if k != "identity"})

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> PinPolicy:
        """The stored policy; :class:`DamagedValue` for a field of the wrong kind (an edited file), which
        would otherwise surface later as a Python error in a PIN check."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in doc.items() if k in known}
        for name, (fits, expected) in FIELD_KINDS[PIN_POLICIES].items():
            if name in values and not fits(values[name]):
                raise DamagedValue(name, values[name], expected, f"PIN policy {values.get('identity')!s}")
        return cls(**values)

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


# --- validation and scope rules (New/Set/Remove/Grant-CsPinPolicy) ----------------------------

# store field -> (parameter, minimum, maximum): the documented ranges (reference/sfb-cmdlets.md §4.2)
RANGES: dict[str, tuple[str, int, int]] = {
    "min_password_length": ("MinPasswordLength", 4, MAX_PIN_LENGTH),
    "pin_history_count": ("PINHistoryCount", 0, 20),
    "pin_lifetime": ("PINLifetime", 0, 999),
    "maximum_logon_attempts": ("MaximumLogonAttempts", 1, 999),
}
FIELD_OF_PARAMETER = {ps.lower(): attr for attr, ps in PROPERTIES if attr != "identity"}


class PinPolicyError(Exception):
    """A refused policy change; ``parameter`` names the offending parameter (``Identity`` for scope rules)."""

    def __init__(self, message: str, parameter: str = "Identity") -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter


class PolicyValueError(PinPolicyError):
    """A property outside its documented range, or PINLifetime without PIN history."""


class PolicyExists(PinPolicyError):
    """New-CsPinPolicy on an identity that already exists (or a second global policy)."""


class PolicyNotFound(PinPolicyError, LookupError):
    """Set/Remove/Grant naming a policy that does not exist."""


def validate_policy(policy: PinPolicy) -> None:
    """Raise :class:`PolicyValueError` unless every property is in range and the lifetime rule holds.

    The lifetime rule (PINLifetime > 0 needs PINHistoryCount > 0) is documented without wording;
    ours names both parameters so the administrator knows which two values clash.
    """
    for attr, (parameter, low, high) in RANGES.items():
        value = getattr(policy, attr)
        if value is None and attr == "maximum_logon_attempts":
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise PolicyValueError(range_message(parameter, value, low, high), parameter)
    if policy.pin_lifetime > 0 and policy.pin_history_count == 0:
        raise PolicyValueError(
            f"PINLifetime {policy.pin_lifetime} requires PIN history: when PINLifetime is greater than 0, "
            "PINHistoryCount must be between 1 and 20. Set PINHistoryCount too, or set PINLifetime to 0.",
            "PINLifetime")


def range_message(parameter: str, value: object, low: int, high: int) -> str:
    """ValidateRange's wording, naming the parameter and its allowed range."""
    shown = "$null" if value is None else str(value)
    if isinstance(value, int) and not isinstance(value, bool) and value < low:
        detail = (f"The {shown} argument is less than the minimum allowed range of {low}. Supply an argument "
                  f"that is greater than or equal to {low} and then try the command again.")
    elif isinstance(value, int) and not isinstance(value, bool):
        detail = (f"The {shown} argument is greater than the maximum allowed range of {high}. Supply an "
                  f"argument that is less than or equal to {high} and then try the command again.")
    else:
        detail = f"The value \"{shown}\" is not a whole number between {low} and {high}."
    return f"Cannot validate argument on parameter '{parameter}'. {detail}"


def new_policy_identity(identity: str) -> str:
    """The normalised identity New-CsPinPolicy may create, or :class:`PinPolicyError`.

    Only ``site:<name>`` and per-user ``tag:<name>`` (a bare name) can be created: the global
    policy always exists, and the service scope is not used for PIN policies. The name must follow
    :func:`name_problem`'s rule.
    """
    normalized = normalize_identity(identity)
    if normalized == GLOBAL:
        raise PolicyExists('Cannot create "PinPolicy" "Global": the global policy always exists and there '
                           "can be only one. Use Set-CsPinPolicy to change it.")
    scope, _, name = normalized.partition(":")
    if scope not in ("site", "tag") or not name.strip():
        raise PinPolicyError(f'"{shown_identity(identity)}" is not a valid PIN policy identity: use '
                             "site:<SiteName> or tag:<PolicyName> (a name without prefix means tag:).")
    problem = name_problem(name)
    if problem:
        raise PinPolicyError(f'"{shown_identity(identity)}" is not a valid PIN policy identity: {problem} '
                             f"{NAME_RULE}")
    return normalized


# The policy-name rule (ours: the product documents none). Names end up in Get-CsUser's PinPolicy, in
# Grant-CsPinPolicy -PolicyName and in exported CSV files, so they stay short and plain.
MAX_NAME_LENGTH = 64
NAME_RULE = (f"A policy name has 1 to {MAX_NAME_LENGTH} characters: letters, digits, spaces, hyphens (-), "
             "underscores (_) and periods (.), beginning with a letter or a digit.")
_NAME_PUNCTUATION = frozenset(" -_.")


def name_problem(name: str) -> str | None:
    """Why ``name`` (without scope prefix) cannot name a new policy, or ``None`` when it can."""
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is {len(name)} characters long."
    if not name or not name[0].isalnum() or name != name.strip():
        return "the name must begin with a letter or a digit and must not end with a space."
    bad = next((c for c in name if not (c.isalnum() or c in _NAME_PUNCTUATION)), None)
    if bad is not None:
        return f'the name contains "{bad}".'
    return None


def shown_identity(identity: str, limit: int = 80) -> str:
    """An identity as error messages quote it: cut short when it is very long (a pasted 5000-character name)."""
    return identity if len(identity) <= limit else identity[:limit - 3] + "..."

"""The built-in RBAC roles as data: who may run which cmdlet in a remote session.

Facts (reference/sfb-cmdlets.md §5): each built-in role maps to an AD group of the same name;
CsAdministrator may do everything; CsUserAdministrator enables, disables and moves users and assigns
existing policies but cannot modify policies; CsHelpDesk views users and policies and runs a few
troubleshooting cmdlets, Lock-CsClientPin and Unlock-CsClientPin among them; CsViewOnlyAdministrator
only views. **RBAC applies only to remote sessions**: someone at the machine is never restricted.

The per-role cmdlet lists of the product were not found, so the matrix is *rule based* (verb and
noun patterns, first matching rule wins; see :data:`RULES`), and a cmdlet added later lands in a
sensible role without anyone editing a list. CsAdministrator holds every Cs cmdlet. Non-Cs cmdlets
are either *common* (language and formatting cmdlets that touch neither files nor the OS, open to
every role) or *local only* (file and path cmdlets: no role gets them until remote file access is
designed). docs/roles.md shows the matrix; a test keeps it in step with this data.

The store is the bottom layer and does not know which cmdlets exist: callers pass a *catalogue*
(``(name, is_extension)`` pairs; tests do), or the cmdlet layer installs a provider with
:func:`use_catalogue` when it is imported (``cmdlets/__init__.py``: the shipped cmdlets).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase

ADMINISTRATOR = "CsAdministrator"
USER_ADMINISTRATOR = "CsUserAdministrator"
VOICE_ADMINISTRATOR = "CsVoiceAdministrator"
SERVER_ADMINISTRATOR = "CsServerAdministrator"
VIEW_ONLY_ADMINISTRATOR = "CsViewOnlyAdministrator"
HELP_DESK = "CsHelpDesk"


@dataclass(frozen=True)
class Role:
    """A built-in role: its Identity (the AD group's SamAccountName) and what it is for."""
    identity: str
    description: str


STANDARD_ROLES: tuple[Role, ...] = (
    Role(ADMINISTRATOR, "Can perform all administrative tasks and modify all settings, including "
                        "assigning roles to users."),
    Role(USER_ADMINISTRATOR, "Can enable, disable and modify users, manage their dial-in PINs and assign "
                             "existing policies to them. Cannot create, modify or remove policies."),
    Role(VOICE_ADMINISTRATOR, "Can manage voice settings and policies and assign them to users."),
    Role(SERVER_ADMINISTRATOR, "Can manage, monitor and troubleshoot servers and services. Cannot make "
                               "changes with global impact."),
    Role(VIEW_ONLY_ADMINISTRATOR, "Can view the deployment, including user and policy information, to "
                                  "monitor its health. Cannot change anything."),
    Role(HELP_DESK, "Can view user properties and policies and perform specific troubleshooting tasks, "
                    "such as locking and unlocking dial-in PINs. Cannot change user properties, policies "
                    "or configuration."),
)
ROLE_NAMES: tuple[str, ...] = tuple(r.identity for r in STANDARD_ROLES)
_ROLE_BY_LOWER = {r.identity.lower(): r for r in STANDARD_ROLES}
_ALL = frozenset(ROLE_NAMES)

# Open to every role: language, object and formatting cmdlets that touch neither files nor the OS.
COMMON_CMDLETS: frozenset[str] = frozenset({
    "Clear-Host", "ConvertFrom-Json", "ConvertTo-Csv", "ConvertTo-Json", "ForEach-Object", "Format-List",
    "Format-Table", "Get-Command", "Get-Date", "Get-Help", "Get-Member", "Get-Random", "Group-Object",
    "Measure-Object", "New-Object", "Out-Default", "Out-Host", "Out-Null", "Out-String", "Read-Host",
    "Select-Object", "Sort-Object", "Start-Sleep", "Where-Object", "Write-Error", "Write-Host",
    "Write-Output", "Write-Progress", "Write-Verbose", "Write-Warning", "Write-Debug", "Write-Information",
})
# Read or write files or resolve paths: no role holds them; the server grants them to every signed-in
# admin confined to its files folder (csshell/remote/session_engine.py).
FILE_CMDLETS: frozenset[str] = frozenset({
    "Add-Content", "Export-Csv", "Get-Content", "Import-Csv", "Join-Path", "Out-File", "Set-Content",
    "Split-Path", "Tee-Object", "Test-Path",
})
# Open remote sessions from this shell: never in a remote session, so a remote admin cannot hop on to
# another server with the server's network position.
REMOTING_CMDLETS: frozenset[str] = frozenset({
    "Enter-PSSession", "Exit-PSSession", "Get-PSSession", "Invoke-Command", "New-PSSession", "Remove-PSSession",
})
# Local sessions only: no role holds them.
LOCAL_ONLY_CMDLETS: frozenset[str] = FILE_CMDLETS | REMOTING_CMDLETS


@dataclass(frozen=True)
class Rule:
    """Cmdlets whose verb and noun match get ``roles`` (CsAdministrator always has every Cs cmdlet).

    ``verbs`` and ``nouns`` are case-insensitive wildcard patterns; ``extension`` says whether the rule
    applies to emulator extensions (True) or to the product's cmdlets (False).
    """
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    roles: frozenset[str]
    why: str
    extension: bool = False

    def matches(self, verb: str, noun: str, extension: bool) -> bool:
        return (self.extension == extension
                and any(fnmatchcase(verb.lower(), v.lower()) for v in self.verbs)
                and any(fnmatchcase(noun.lower(), n.lower()) for n in self.nouns))


_VOICE_NOUNS = ("CsVoice*", "CsDialPlan", "CsPstnUsage", "CsTrunk*", "CsLocationPolicy")
RULES: tuple[Rule, ...] = (
    Rule(("*",), ("*",), frozenset(), "Emulator extensions change the directory or reveal credentials: "
                                      "administrators only.", extension=True),
    Rule(("Get",), ("Cs*",), _ALL, "Every role may read users, PINs, policies and roles."),
    Rule(("Lock", "Unlock"), ("CsClientPin",), frozenset({USER_ADMINISTRATOR, HELP_DESK}),
         "Locking and unlocking PINs is a help-desk task (documented for CsHelpDesk)."),
    Rule(("Set",), ("CsClientPin",), frozenset({USER_ADMINISTRATOR}),
         "Setting a PIN changes a user property: not for the help desk."),
    Rule(("Enable", "Disable", "Move"), ("CsUser",), frozenset({USER_ADMINISTRATOR}),
         "Enabling, disabling and moving users is user administration."),
    Rule(("Set",), ("CsUser",), frozenset({USER_ADMINISTRATOR, VOICE_ADMINISTRATOR}),
         "User settings include voice settings (LineURI, EnterpriseVoiceEnabled)."),
    Rule(("Grant",), ("Cs*",), frozenset({USER_ADMINISTRATOR, VOICE_ADMINISTRATOR}),
         "Assigning existing policies; only CsAdministrator may create or change them."),
    Rule(("New", "Set", "Remove"), _VOICE_NOUNS, frozenset({VOICE_ADMINISTRATOR}),
         "Voice settings and policies belong to the voice administrators."),
    Rule(("Test",), ("Cs*",), frozenset({SERVER_ADMINISTRATOR, HELP_DESK}),
         "Tests are troubleshooting: server administrators and the help desk."),
    Rule(("*",), ("*",), frozenset(), "Everything else (policy changes, exports...): administrators only."),
)

Catalogue = Iterable[tuple[str, bool]]          # (cmdlet name, is an emulator extension)
_provider: Callable[[], Catalogue] | None = None


class UnknownRole(ValueError):
    """A role name that is not one of :data:`ROLE_NAMES`."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f'The role "{name}" does not exist. Valid roles: {", ".join(ROLE_NAMES)}.')


def use_catalogue(provider: Callable[[], Catalogue] | None) -> Callable[[], Catalogue] | None:
    """Install what :func:`allowed_cmdlets` and :func:`may_run` read when no catalogue is given;
    returns the provider it replaces (so a test can put it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def find_role(name: str) -> Role | None:
    """The built-in role named ``name`` (case-insensitive), or None."""
    return _ROLE_BY_LOWER.get(str(name).strip().lower())


def canonical_role(name: str) -> str:
    """``name`` spelled as the role's Identity; :class:`UnknownRole` if there is no such role."""
    role = find_role(name)
    if role is None:
        raise UnknownRole(str(name))
    return role.identity


def is_cs_cmdlet(name: str) -> bool:
    """``Verb-CsNoun``: a Skype for Business (or emulator) cmdlet, as opposed to a language cmdlet."""
    _, _, noun = name.partition("-")
    return len(noun) > 2 and noun.startswith("Cs") and noun[2].isupper()


def matching_rule(name: str, extension: bool) -> Rule:
    """The first rule that matches a Cs cmdlet (the last rule of each kind matches everything)."""
    verb, _, noun = name.partition("-")
    return next(rule for rule in RULES if rule.matches(verb, noun, extension))


def roles_for(name: str, extension: bool = False) -> frozenset[str]:
    """The roles that may run ``name`` in a remote session (empty for local-only cmdlets)."""
    if not is_cs_cmdlet(name):
        return _ALL if name in COMMON_CMDLETS else frozenset()
    return matching_rule(name, extension).roles | {ADMINISTRATOR}


def role_cmdlets(role: str, catalogue: Catalogue | None = None) -> list[str]:
    """The Cs cmdlets ``role`` holds, sorted: the role's ``Cmdlets`` property."""
    identity = canonical_role(role)
    return sorted((name for name, ext in _entries(catalogue) if is_cs_cmdlet(name)
                   and identity in roles_for(name, ext)), key=str.lower)


def allowed_cmdlets(roles: Iterable[str], catalogue: Catalogue | None = None) -> set[str]:
    """Every cmdlet a holder of ``roles`` may run remotely: the roles' Cs cmdlets plus the common ones.

    Unknown role names are ignored; without any known role nothing is allowed (the product gives a
    user without a role no remote session at all).
    """
    held = {r.identity for r in (find_role(name) for name in roles) if r is not None}
    if not held:
        return set()
    return {name for name, ext in _entries(catalogue) if held & roles_for(name, ext)}


def may_run(roles: Iterable[str], cmdlet_name: str, catalogue: Catalogue | None = None) -> bool:
    """May a holder of ``roles`` run ``cmdlet_name`` (case-insensitive) remotely? False if it is unknown."""
    wanted = cmdlet_name.strip().lower()
    entry = next(((n, ext) for n, ext in _entries(catalogue) if n.lower() == wanted), None)
    if entry is None:
        return False
    held = {r.identity for r in (find_role(name) for name in roles) if r is not None}
    return bool(held & roles_for(*entry))


def _entries(catalogue: Catalogue | None) -> list[tuple[str, bool]]:
    if catalogue is None:
        if _provider is None:
            raise RuntimeError("No cmdlet catalogue: import the cmdlets package (it installs one) or pass one.")
        catalogue = _provider()
    return [(str(name), bool(ext)) for name, ext in catalogue]


# --- the matrix as documentation -----------------------------------------------------------------

def matrix_markdown(catalogue: Catalogue | None = None) -> str:
    """docs/roles.md's cmdlet table: one row per Cs cmdlet, Y where the role may run it."""
    header = "| Cmdlet | " + " | ".join(ROLE_NAMES) + " |"
    lines = [header, "|---|" + "---|" * len(ROLE_NAMES)]
    for name, ext in sorted(_entries(catalogue), key=lambda e: (e[0].split("-", 1)[-1].lower(), e[0].lower())):
        if not is_cs_cmdlet(name):
            continue
        roles = roles_for(name, ext)
        label = f"{name} (extension)" if ext else name
        lines.append(f"| {label} | " + " | ".join("Y" if r in roles else "" for r in ROLE_NAMES) + " |")
    return "\n".join(lines)


def roles_markdown() -> str:
    """docs/roles.md's table of the built-in roles and what they are for."""
    lines = ["| Role | Description |", "|---|---|"]
    lines += [f"| {role.identity} | {role.description} |" for role in STANDARD_ROLES]
    return "\n".join(lines)


def rules_markdown() -> str:
    """docs/roles.md's rule table, in the order the rules are tried."""
    lines = ["| # | Applies to | Verbs | Nouns | Roles besides CsAdministrator | Why |", "|---|---|---|---|---|---|"]
    for number, rule in enumerate(RULES, 1):
        roles = ", ".join(r for r in ROLE_NAMES if r in rule.roles and r != ADMINISTRATOR) or "(none)"
        kind = "extensions" if rule.extension else "product cmdlets"
        lines.append(f"| {number} | {kind} | {', '.join(rule.verbs)} | {', '.join(rule.nouns)} | {roles} | "
                     f"{rule.why} |")
    return "\n".join(lines)


def common_markdown() -> str:
    """docs/roles.md's lists of common and local-only cmdlets."""
    return ("Common (every role): " + ", ".join(sorted(COMMON_CMDLETS, key=str.lower)) + ".\n\n"
            "Local only (no role): " + ", ".join(sorted(LOCAL_ONLY_CMDLETS, key=str.lower)) + ".")

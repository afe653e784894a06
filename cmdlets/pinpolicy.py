"""Get/New/Set/Remove/Grant-CsPinPolicy: the PIN policies (global, site and per-user scopes).

Syntax and rules follow reference/sfb-cmdlets.md §4. ``-Identity`` takes no wildcards (as in the
product); ``-Filter`` matches policy identities with wildcards (``site:*``, ``tag:*``). Ranges and
scope rules live in the store (csshell/store/policy.py) so every route to a change is checked;
every change asks ``ShouldProcess`` first and is audited by the Directory.
"""
from __future__ import annotations

from typing import Any

from cmdlets.clientpin import UserTargetCmdlet
from cmdlets.pinpolicy_objects import PinPolicyObject, instance_problem, null_instance_error
from cmdlets.users import acting, cs_user_object, directory_of, report_lookup_error
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.conversions import is_ad_user
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_DATA, OBJECT_NOT_FOUND, RESOURCE_EXISTS
from csshell.runtime.values import PSObject, to_string
from csshell.store.policy import (
    FIELD_OF_PARAMETER,
    RANGES,
    TYPE_NAME,
    PinPolicy,
    PinPolicyError,
    PolicyExists,
    PolicyNotFound,
    PolicyValueError,
    new_policy_identity,
    normalize_identity,
    range_message,
    shown_identity,
    validate_policy,
)
from csshell.store.wildcard import like

_POLICY_TYPES = {"Description": "string", "MinPasswordLength": "UInt32", "PINHistoryCount": "UInt64",
                 "PINLifetime": "UInt64", "MaximumLogonAttempts": "UInt32", "AllowCommonPatterns": "Boolean"}
_POLICY_HELP = {"Description": "Free text describing the policy.",
                "MinPasswordLength": "Minimum PIN length, 4..24 (default 5).",
                "PINHistoryCount": "How many previous PINs cannot be reused, 0..20 (default 0).",
                "PINLifetime": "Days before a PIN expires, 0..999; 0 = never. Needs PINHistoryCount > 0.",
                "MaximumLogonAttempts": "Failed logons before a temporary lockout, 1..999; $null (the "
                                        "default) means automatic, by PIN length.",
                "AllowCommonPatterns": "Whether PINs like 1234 or 1111 are allowed (default False)."}
_RANGE_OF = {parameter: (low, high) for parameter, low, high in RANGES.values()}


# Nullable in the product (Nullable<UInt32>): $null restores the automatic, length-based limit, so the binder's
# [ValidateRange] (which refuses $null) is not declared for it; the store checks its range on every route.
_NULLABLE = ("MaximumLogonAttempts",)


def _policy_parameters() -> dict[str, Parameter]:
    """The property parameters New- and Set-CsPinPolicy share (ranges also checked by the binder)."""
    return {name: Parameter(kind, help=_POLICY_HELP[name], allow_null=name in _NULLABLE,
                            validate_range=None if name in _NULLABLE else _RANGE_OF.get(name))
            for name, kind in _POLICY_TYPES.items()}


def _declare(cls: type) -> type:
    """Attach the shared property parameters before @cmdlet collects the declarations."""
    for name, param in _policy_parameters().items():
        setattr(cls, name, param)
        param.__set_name__(cls, name)
    return cls


def policy_values(cmd: Cmdlet, source: Any = None) -> dict[str, Any]:
    """Store field -> value for the property parameters given (or, with ``source``, its properties).

    With ``source`` (an -Instance object), only the properties it has and that no parameter on the
    command line overrides are read: an explicit parameter wins, so a value it replaces is never checked.
    Raises :class:`PolicyValueError` for a value that is not a number/boolean of the right kind.
    """
    values: dict[str, Any] = {}
    bound = {k.lower() for k in cmd.bound}
    for name, kind in _POLICY_TYPES.items():
        if source is not None:
            if name.lower() in bound or not source.has(name):
                continue
            value = source.get(name)
        elif name.lower() in bound:
            value = getattr(cmd, name)
        else:
            continue
        values[FIELD_OF_PARAMETER[name.lower()]] = _convert(name, kind, value)
    if source is None:
        _check_nullable_ranges(values)
    return values


def _check_nullable_ranges(values: dict[str, Any]) -> None:
    """The range of a nullable parameter given on the command line (the binder checks the others), so that
    the refusal comes before ShouldProcess, as the binder's would."""
    for name in _NULLABLE:
        field = FIELD_OF_PARAMETER[name.lower()]
        value = values.get(field)
        parameter, low, high = RANGES[field]
        if value is not None and not low <= value <= high:
            raise PolicyValueError(range_message(parameter, value, low, high), parameter)


def _convert(name: str, kind: str, value: Any) -> Any:
    if kind == "string":
        return None if value is None else to_string(value)
    if kind == "Boolean":
        return bool(value) if not isinstance(value, str) else value.strip().lower() in ("true", "1", "$true")
    if value is None and name == "MaximumLogonAttempts":
        return None
    try:
        return int(to_string(value).strip()) if not isinstance(value, int) else int(value)
    except (TypeError, ValueError):
        low, high = _RANGE_OF[name]
        raise PolicyValueError(f"Cannot validate argument on parameter '{name}'. The value "
                               f'"{to_string(value)}" is not a whole number between {low} and {high}.',
                               name) from None


def report_policy_error(ctx: CommandContext, exc: PinPolicyError, target: Any) -> None:
    """A refused policy change as a non-terminating error naming the offending parameter."""
    if isinstance(exc, PolicyNotFound):
        error_id, category, reason = "ItemNotFound", OBJECT_NOT_FOUND, "KeyNotFoundException"
    elif isinstance(exc, PolicyExists):
        error_id, category, reason = "ItemAlreadyExists", RESOURCE_EXISTS, "InvalidOperationException"
    elif isinstance(exc, PolicyValueError):
        error_id, category, reason = "InvalidPolicyValue", INVALID_DATA, "ArgumentOutOfRangeException"
    else:
        error_id, category, reason = "InvalidIdentity", INVALID_ARGUMENT, "ArgumentException"
    ctx.error(exc.message, error_id, category, target=target,
              target_type="XdsIdentity", reason=reason)


def pin_policy_object(policy: PinPolicy) -> PinPolicyObject:
    """UserPinPolicy as Get-CsPinPolicy shows it (an empty Description shows blank); its properties are typed."""
    props = [(name, value if value != "" else None) for name, value in policy.properties()]
    return PinPolicyObject(props, type_names=[TYPE_NAME])


@cmdlet("Get-CsPinPolicy", default_set="Identity", outputs=TYPE_NAME,
        class_name="Microsoft.Rtc.Management.Internal.GetPinPolicyCmdlet",
        synopsis="Returns the dial-in conferencing PIN policies.",
        examples=(("Get-CsPinPolicy", "Returns all PIN policies."),
                  ("Get-CsPinPolicy -Identity Global", "Returns the global PIN policy."),
                  ('Get-CsPinPolicy -Filter "site:*"', "Returns the site-scoped PIN policies.")))
class GetCsPinPolicy(Cmdlet):
    Identity = Parameter("XdsIdentity", position=0, sets=("Identity",),
                         help="Global, site:<name>, or the name of a per-user policy. No wildcards.")
    Filter = Parameter("string", sets=("Filter",), help="Wildcard match on policy identities, e.g. site:*.")
    LocalStore = Parameter("switch", help="Accepted: the emulator has one store.")
    Tenant = Parameter("Guid", help="Accepted and ignored (on-premises only).")

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        if self.Identity is not None and self.Filter is not None:
            ctx.error("Parameter set cannot be resolved using the specified named parameters.",
                      "AmbiguousParameterSet", INVALID_ARGUMENT, reason="ParameterBindingException",
                      terminating=True)
            return
        if self.Identity is not None:
            self._one(ctx, to_string(self.Identity))
            return
        pattern = None if self.Filter is None else to_string(self.Filter)
        for policy in directory.pin_policies():
            if pattern is None or like(policy.identity, pattern):
                ctx.write_object(pin_policy_object(policy))

    def _one(self, ctx: CommandContext, identity: str) -> None:
        if "*" in identity or "?" in identity:
            ctx.error(f'Wildcard characters are not allowed in Identity "{identity}". Use the Filter '
                      "parameter instead.", "WildcardNotAllowed", INVALID_ARGUMENT, target=identity,
                      target_type="XdsIdentity", reason="ArgumentException", terminating=True)
            return
        policy = directory_of(ctx).pin_policy(identity)
        if policy is None:
            ctx.error(f'Cannot get "PinPolicy" "{normalize_identity(identity)}" because it does not exist.',
                      "ItemNotFound", OBJECT_NOT_FOUND, target=identity, target_type="XdsIdentity",
                      reason="KeyNotFoundException")
            return
        ctx.write_object(pin_policy_object(policy))


def _policy_identity(value: Any) -> str:
    """The identity text of ``-Identity``: the binder makes it a string; a policy object gives its Identity."""
    if isinstance(value, PSObject):
        return to_string(value.get("Identity") or "")
    return to_string(value) if value is not None else ""


@cmdlet("New-CsPinPolicy", supports_should_process=True, outputs=TYPE_NAME,
        class_name="Microsoft.Rtc.Management.Internal.NewPinPolicyCmdlet",
        synopsis="Creates a site or per-user dial-in conferencing PIN policy.",
        examples=(('New-CsPinPolicy -Identity site:Redmond -MinPasswordLength 7', "A site policy."),
                  ('New-CsPinPolicy -Identity RedmondUsersPinPolicy -PINHistoryCount 5 -PINLifetime 60',
                   "A per-user policy (tag:RedmondUsersPinPolicy) with PIN expiry.")))
@_declare
class NewCsPinPolicy(Cmdlet):
    Identity = Parameter("XdsIdentity", position=0, mandatory=True,
                         help="site:<SiteName>, or the name of a per-user policy (tag:<Name>).")
    InMemory = Parameter("switch", help="Return the object without saving it; commit it with "
                                        "Set-CsPinPolicy -Instance.")
    Force = Parameter("switch", help="Suppresses confirmation prompts (-WhatIf still applies).")
    Tenant = Parameter("Guid", help="Accepted and ignored (on-premises only).")

    def process(self, ctx: CommandContext) -> None:
        given = _policy_identity(self.Identity)
        actor, origin = acting(ctx)
        try:
            values = policy_values(self)
            if self.InMemory:
                policy = PinPolicy(identity=new_policy_identity(given)).changed(**values)
                validate_policy(policy)
            else:
                target = new_policy_identity(given)
                if not ctx.should_process(target, self.name):
                    return
                policy = directory_of(ctx).create_pin_policy(given, values, actor, origin)
        except PinPolicyError as exc:
            report_policy_error(ctx, exc, shown_identity(given))
            return
        ctx.write_object(pin_policy_object(policy))


@cmdlet("Set-CsPinPolicy", supports_should_process=True, default_set="Identity",
        class_name="Microsoft.Rtc.Management.Internal.SetPinPolicyCmdlet",
        synopsis="Changes a dial-in conferencing PIN policy (the global one when -Identity is omitted).",
        examples=(("Set-CsPinPolicy -MinPasswordLength 7", "Changes the global policy."),
                  ("Get-CsPinPolicy -Filter site:* | Set-CsPinPolicy -AllowCommonPatterns $True",
                   "Changes every site policy.")))
@_declare
class SetCsPinPolicy(Cmdlet):
    Identity = Parameter("XdsIdentity", position=0, sets=("Identity",),
                         help="Global (the default), site:<SiteName> or a per-user policy name.")
    Instance = Parameter("PSObject", from_pipeline=True, sets=("Instance",),
                         help="A policy object (Get-CsPinPolicy, New-CsPinPolicy -InMemory) to save.")
    Force = Parameter("switch", help="Suppresses confirmation prompts (-WhatIf still applies).")
    Tenant = Parameter("Guid", help="Accepted and ignored (on-premises only).")

    def process(self, ctx: CommandContext) -> None:
        if self.Instance is not None and self.Identity is not None:
            ctx.error("Parameter set cannot be resolved using the specified named parameters.",
                      "AmbiguousParameterSet", INVALID_ARGUMENT, reason="ParameterBindingException",
                      terminating=True)
            return
        if self.Instance is None and any(k.lower() == "instance" for k in self.bound):
            null_instance_error(ctx)
            return
        if self.Instance is not None:
            if instance_problem(ctx, self.Instance):
                return
            self._save_instance(ctx)
            return
        given = "Global" if self.Identity is None else _policy_identity(self.Identity)
        actor, origin = acting(ctx)
        try:
            values = policy_values(self)
            if ctx.should_process(normalize_identity(given), self.name):
                directory_of(ctx).update_pin_policy(given, values, actor, origin)
        except PinPolicyError as exc:
            report_policy_error(ctx, exc, given)

    def _save_instance(self, ctx: CommandContext) -> None:
        """Commit a (possibly in-memory) policy object, with any property parameters applied on top."""
        given = _policy_identity(self.Instance)
        actor, origin = acting(ctx)
        try:
            existing = directory_of(ctx).pin_policy(given) if given.strip() else None
            identity = existing.identity if existing is not None else new_policy_identity(given)
            policy = PinPolicy(identity=identity).changed(**policy_values(self, self.Instance))
            policy = policy.changed(**policy_values(self))
            if ctx.should_process(identity, self.name):
                directory_of(ctx).save_pin_policy(policy, actor, origin)
        except PinPolicyError as exc:
            report_policy_error(ctx, exc, given)


@cmdlet("Remove-CsPinPolicy", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.Internal.RemovePinPolicyCmdlet",
        synopsis="Deletes a site or per-user PIN policy; the global policy is reset to its defaults.",
        examples=(("Remove-CsPinPolicy -Identity site:Redmond", "Deletes the Redmond site policy."),
                  ("Get-CsPinPolicy | Remove-CsPinPolicy", "Deletes all but global, and resets global.")))
class RemoveCsPinPolicy(Cmdlet):
    Identity = Parameter("XdsIdentity", position=0, mandatory=True, from_pipeline_by_property=True,
                         help="Global, site:<SiteName> or a per-user policy name. No wildcards.")
    Force = Parameter("switch", help="Suppresses confirmation prompts (-WhatIf still applies).")
    Tenant = Parameter("Guid", help="Accepted and ignored (on-premises only).")

    def process(self, ctx: CommandContext) -> None:
        given = _policy_identity(self.Identity)
        actor, origin = acting(ctx)
        if "*" in given or "?" in given:
            report_policy_error(ctx, PinPolicyError(f'Wildcard characters are not allowed in Identity '
                                                    f'"{given}".'), given)
            return
        if directory_of(ctx).pin_policy(given) is None:        # before ShouldProcess: -WhatIf names no phantom
            report_policy_error(ctx, self._not_found(ctx, given), shown_identity(given))
            return
        if not ctx.should_process(normalize_identity(given), self.name):
            return
        try:
            directory_of(ctx).remove_pin_policy(given, actor, origin)
        except PinPolicyError as exc:
            report_policy_error(ctx, exc, given)

    @staticmethod
    def _not_found(ctx: CommandContext, given: str) -> PolicyNotFound:
        """Not found; for a piped user (whose Identity is a DN, bound ByPropertyName) say what happened."""
        message = (f'Cannot remove "PinPolicy" "{shown_identity(normalize_identity(given))}" because it does '
                   "not exist.")
        if is_ad_user(ctx.input_object):
            message += (" The piped object is a user: its Identity is the user's distinguished name, not a PIN "
                        "policy. To take a per-user PIN policy away from users, use Grant-CsPinPolicy "
                        "-PolicyName $null.")
        return PolicyNotFound(message)


@cmdlet("Grant-CsPinPolicy", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.AD.Cmdlets.GrantPinPolicyCmdlet",
        synopsis="Assigns a per-user PIN policy to users (-PolicyName $null unassigns it).",
        examples=(('Grant-CsPinPolicy -Identity "kenmyer@litwareinc.com" -PolicyName RedmondUsersPinPolicy',
                   "Assigns tag:RedmondUsersPinPolicy to Ken Myer."),
                  ('Grant-CsPinPolicy -Identity "Ken Myer" -PolicyName $null', "Unassigns it.")))
class GrantCsPinPolicy(UserTargetCmdlet):
    Identity = Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                         from_pipeline_by_property=True, help="The user (as for Get-CsUser).")
    PolicyName = Parameter("string", position=1, allow_null=True,
                           help="The per-user policy name without tag:; $null unassigns.")
    PassThru = Parameter("switch", help="Output the changed user object.")
    DomainController = Parameter("Fqdn", help="Accepted and ignored: the emulator has one directory.")

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        name = None if self.PolicyName in (None, "") else to_string(self.PolicyName)
        if name is not None and directory.pin_policy(f"tag:{name.removeprefix('tag:')}") is None:
            report_policy_error(ctx, PolicyNotFound(
                f'Cannot grant PinPolicy "{name}": there is no per-user PIN policy '
                f'"tag:{name.removeprefix("tag:")}".', "PolicyName"), name)
            return
        actor, origin = acting(ctx)
        for target, user in self.targets(ctx):
            if not ctx.should_process(target, self.name):
                continue
            try:
                changed = directory.grant_pin_policy(user, name, actor, origin)
            except PinPolicyError as exc:
                report_policy_error(ctx, exc, name)
                continue
            except LookupError as exc:
                report_lookup_error(ctx, exc)
                continue
            if self.PassThru:
                ctx.write_object(cs_user_object(changed))

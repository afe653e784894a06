"""Get-CsPinPolicy: the PIN policies (global, site and per-user scopes).

Only Get- exists for now; New/Set/Remove/Grant come later and will use
``Directory.save_pin_policy``. ``-Identity`` takes no wildcards (as in the product); ``-Filter``
matches policy identities with wildcards (``site:*``, ``tag:*``).
"""
from __future__ import annotations

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, OBJECT_NOT_FOUND
from csshell.runtime.values import PSObject, to_string
from csshell.store.policy import TYPE_NAME, PinPolicy, normalize_identity
from csshell.store.wildcard import like

from cmdlets.users import directory_of


def pin_policy_object(policy: PinPolicy) -> PSObject:
    """UserPinPolicy as Get-CsPinPolicy shows it (an empty Description shows blank)."""
    props = [(name, value if value != "" else None) for name, value in policy.properties()]
    return PSObject(props, type_names=[TYPE_NAME])


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

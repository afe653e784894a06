"""The UserPinPolicy object Get-/New-CsPinPolicy write, and what Set-CsPinPolicy -Instance accepts.

In the product the object is a .NET class with typed properties, so ``$p.MinPasswordLength = "abc"``
fails at once with ``Exception setting "MinPasswordLength": "Cannot convert value "abc" to type
"System.UInt32". ..."`` and ``$p.MinPasswordLength = "7"`` stores the number 7.
:class:`PinPolicyObject` gives our property bag the same typed setters.

``-Instance`` is declared ``PSObject`` (as documented), so PowerShell's binder takes anything; the
product's cmdlet then needs a UserPinPolicy. We refuse anything else with the binder's own wording,
as if the parameter were typed: a command-line value gets ``Cannot bind parameter 'Instance'. Cannot
convert the "X" value of type "T" to type "...UserPinPolicy".`` (terminating), a piped one the
pipeline's ``The input object cannot be bound ...`` (non-terminating, the next object still runs).
A policy copied from a remote session (``Deserialized.`` type name) is accepted.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.binder import _INPUT_NOT_BOUND as INPUT_NOT_BOUND  # the binder's wording, kept in one place
from csshell.runtime.cmdlet import CommandContext
from csshell.runtime.conversions import ConversionError, convert_to
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_DATA, NOT_SPECIFIED, ErrorRecord, PSError
from csshell.runtime.values import PSObject, to_string, type_name
from csshell.store.policy import TYPE_NAME

# property (lower case) -> (.NET type the setter converts to, whether $null is kept as null)
_PROPERTY_TYPES: dict[str, tuple[str, bool]] = {
    "description": ("string", True),
    "minpasswordlength": ("UInt32", False),
    "pinhistorycount": ("UInt64", False),
    "pinlifetime": ("UInt64", False),
    "maximumlogonattempts": ("UInt32", True),       # Nullable<UInt32>: $null means "by PIN length"
    "allowcommonpatterns": ("Boolean", False),
}
_POLICY_TYPE_NAMES = frozenset((TYPE_NAME.lower(), "deserialized." + TYPE_NAME.lower()))


class PinPolicyObject(PSObject):
    """A UserPinPolicy whose typed properties convert on assignment, or refuse as the .NET setter would."""

    __slots__ = ()

    def set(self, name: str, value: Any) -> None:
        typed = _PROPERTY_TYPES.get(name.lower())
        if typed is not None and self.has(name):
            value = _converted(name, value, *typed)
        super().set(name, value)


def _converted(name: str, value: Any, kind: str, nullable: bool) -> Any:
    """``value`` as the property's type (PowerShell's conversion, as for a cast); $null stays null if nullable."""
    if value is None and nullable:
        return None
    try:
        return to_string(value) if kind == "string" else convert_to(value, kind)
    except ConversionError as exc:
        raise PSError(ErrorRecord(f'Exception setting "{name}": "{exc.message}"', "ExceptionWhenSetting",
                                  NOT_SPECIFIED, reason="SetValueInvocationException",
                                  exception_type="System.Management.Automation.SetValueInvocationException")
                      ) from None


def is_pin_policy(value: Any) -> bool:
    """A UserPinPolicy object (from Get-/New-CsPinPolicy, here or through a remote session)."""
    return isinstance(value, PSObject) and any(t.lower() in _POLICY_TYPE_NAMES for t in value.type_names)


def instance_problem(ctx: CommandContext, value: Any) -> bool:
    """Report an -Instance that is not a PIN policy object (as a binding error); ``True`` when reported."""
    if is_pin_policy(value):
        return False
    if value is ctx.input_object:
        ctx.error(INPUT_NOT_BOUND, "InputObjectNotBound", INVALID_ARGUMENT, target=value,
                  reason="ParameterBindingException")
    elif isinstance(value, list):
        ctx.error(f"Cannot convert '{type_name(value)}' to the type '{TYPE_NAME}' required by parameter 'Instance'. "
                  "Specified method is not supported.", "CannotConvertArgument", INVALID_ARGUMENT,
                  reason="ParameterBindingException", terminating=True)
    else:
        ctx.error(f'Cannot bind parameter \'Instance\'. Cannot convert the "{to_string(value)}" value of type '
                  f'"{type_name(value)}" to type "{TYPE_NAME}".', "CannotConvertArgumentNoMessage",
                  INVALID_ARGUMENT, reason="ParameterBindingException", terminating=True)
    return True


def null_instance_error(ctx: CommandContext) -> None:
    """``-Instance $null``: the product's parameter refuses null, as the binder says for such parameters."""
    ctx.error("Cannot bind argument to parameter 'Instance' because it is null.",
              "ParameterArgumentValidationErrorNullNotAllowed", INVALID_DATA,
              reason="ParameterBindingValidationException", terminating=True)

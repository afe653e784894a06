""".NET exception types as scripts see them: ``$_.Exception.GetType()``, ``-is [Exception]``, ``catch [T]``.

An error record carries its exception's full type name (``ErrorRecord.exception_type``); this module
knows where each name sits in the .NET hierarchy, so ``catch [System.ArithmeticException]`` catches a
``DivideByZeroException`` and ``catch [System.Management.Automation.RuntimeException]`` catches a
``ParameterBindingException`` but not a ``Microsoft.Rtc.Management.ManagementException``. A type we do
not model derives from ``System.Exception``, so ``catch [Exception]`` still catches everything.
"""
from __future__ import annotations

SMA = "System.Management.Automation."
EXCEPTION = "System.Exception"
SYSTEM_EXCEPTION = "System.SystemException"
RUNTIME_EXCEPTION = SMA + "RuntimeException"

# full name → base type (System.Exception has none)
_PARENTS: dict[str, str | None] = {
    EXCEPTION: None,
    SYSTEM_EXCEPTION: EXCEPTION,
    "System.ApplicationException": EXCEPTION,
    "System.ArithmeticException": SYSTEM_EXCEPTION,
    "System.DivideByZeroException": "System.ArithmeticException",
    "System.OverflowException": "System.ArithmeticException",
    "System.ArgumentException": SYSTEM_EXCEPTION,
    "System.ArgumentNullException": "System.ArgumentException",
    "System.ArgumentOutOfRangeException": "System.ArgumentException",
    "System.FormatException": SYSTEM_EXCEPTION,
    "System.InvalidCastException": SYSTEM_EXCEPTION,
    "System.InvalidOperationException": SYSTEM_EXCEPTION,
    "System.NotSupportedException": SYSTEM_EXCEPTION,
    "System.NotImplementedException": SYSTEM_EXCEPTION,
    "System.NullReferenceException": SYSTEM_EXCEPTION,
    "System.IndexOutOfRangeException": SYSTEM_EXCEPTION,
    "System.UnauthorizedAccessException": SYSTEM_EXCEPTION,
    "System.IO.IOException": SYSTEM_EXCEPTION,
    "System.IO.FileNotFoundException": "System.IO.IOException",
    "System.IO.DirectoryNotFoundException": "System.IO.IOException",
    "System.Text.DecoderFallbackException": "System.ArgumentException",
    RUNTIME_EXCEPTION: SYSTEM_EXCEPTION,
    SMA + "ScriptCallDepthException": SYSTEM_EXCEPTION,
    SMA + "ParentContainsErrorRecordException": SYSTEM_EXCEPTION,
    SMA + "ParameterBindingException": RUNTIME_EXCEPTION,
    SMA + "ParameterBindingValidationException": SMA + "ParameterBindingException",
    SMA + "ParameterBindingArgumentTransformationException": SMA + "ParameterBindingException",
    SMA + "CommandNotFoundException": RUNTIME_EXCEPTION,
    SMA + "WildcardPatternException": RUNTIME_EXCEPTION,
    SMA + "ActionPreferenceStopException": RUNTIME_EXCEPTION,
    SMA + "PipelineStoppedException": RUNTIME_EXCEPTION,
    SMA + "CmdletInvocationException": RUNTIME_EXCEPTION,
    SMA + "ParseException": RUNTIME_EXCEPTION,
    SMA + "IncompleteParseException": SMA + "ParseException",
    SMA + "MethodException": RUNTIME_EXCEPTION,
    SMA + "MethodInvocationException": SMA + "MethodException",
    SMA + "ExtendedTypeSystemException": RUNTIME_EXCEPTION,
    SMA + "PropertyNotFoundException": SMA + "ExtendedTypeSystemException",
    SMA + "SetValueException": SMA + "ExtendedTypeSystemException",
    SMA + "SetValueInvocationException": SMA + "SetValueException",
    SMA + "MetadataException": RUNTIME_EXCEPTION,
    SMA + "ValidationMetadataException": SMA + "MetadataException",
    SMA + "ArgumentTransformationMetadataException": SMA + "MetadataException",
    SMA + "SessionStateException": RUNTIME_EXCEPTION,
    SMA + "ItemNotFoundException": SMA + "SessionStateException",
    SMA + "DriveNotFoundException": SMA + "SessionStateException",
    SMA + "PSArgumentException": "System.ArgumentException",
    SMA + "PSInvalidOperationException": "System.InvalidOperationException",
    SMA + "PSNotSupportedException": "System.NotSupportedException",
    SMA + "Host.HostException": RUNTIME_EXCEPTION,
    "Microsoft.PowerShell.Commands.WriteErrorException": SYSTEM_EXCEPTION,
}
_BY_LOWER = {name.lower(): name for name in _PARENTS}
_BY_SHORT = {name.rsplit(".", 1)[-1].lower(): name for name in _PARENTS}


def is_exception_type(name: str) -> bool:
    """Whether ``name`` (full, ``System.``-less or short) is an exception type this module models."""
    return canonical(name) is not None


def canonical(name: str) -> str | None:
    """The full name of a modelled exception type: ``DivideByZeroException`` → ``System.DivideByZeroException``."""
    low = name.strip().strip("[]").lower()
    return _BY_LOWER.get(low) or _BY_LOWER.get("system." + low) or _BY_SHORT.get(low)


def full_name_for_reason(reason: str) -> str | None:
    """The full exception type whose short name is a record's CategoryInfo reason, if modelled."""
    return _BY_SHORT.get(reason.lower())


def lineage(full_name: str) -> list[str]:
    """``full_name`` and every base type up to ``System.Exception`` (unknown types derive from it)."""
    chain: list[str] = []
    current: str | None = canonical(full_name) or full_name
    while current is not None and current not in chain:
        chain.append(current)
        current = _PARENTS.get(current, EXCEPTION) if current != EXCEPTION else None
    return chain


def derives_from(full_name: str, base: str) -> bool:
    """``[full_name]`` is a ``[base]`` (names compared case-insensitively; ``base`` may be short)."""
    wanted = (canonical(base) or base.strip().strip("[]")).lower()
    return any(name.lower() == wanted or name.lower().endswith("." + wanted) for name in lineage(full_name))

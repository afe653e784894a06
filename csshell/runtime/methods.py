""".NET members on PowerShell values: the one entry point the evaluator calls for ``$x.Name(...)``,
``[Type]::Name``, ``[Type]::Name(...)`` and ``New-Object``/``[Type]::new(...)``.

PowerShell scripts reach into .NET constantly (``$s.Trim()``, ``(Get-Date).AddDays(-7)``,
``[math]::Round($x, 2)``, ``[string]::IsNullOrEmpty($p)``). We cannot host .NET, so the members admins
use are modelled with .NET's semantics and PowerShell's error wording:

* unknown member → ``Method invocation failed because [System.String] does not contain a method named 'Foo'.``
* wrong argument count → ``Cannot find an overload for "Substring" and the argument count: "3".``
* .NET exception → ``Exception calling "Substring" with "1" argument(s): "<message>"``
* unknown type → ``Unable to find type [Foo].``

This module is the facade; the pieces live in one module per concept:

==========================  ===================================================================
``dotnet_types.py``         type literals, ``GetType()``, casts (:class:`PSType`), Guid, ArrayList
``member_calls.py``         argument conversion, overload arity, .NET exceptions → error records
``instance_methods.py``     string, array, list, hashtable, DateTime, TimeSpan and number methods
``static_members.py``       ``[math]``, ``[string]``, ``[datetime]``, ``[IO.Path]``, ``[regex]``...
``regex.py``                .NET regular expressions and Match objects
==========================  ===================================================================
"""
from __future__ import annotations

import datetime as _dt
from functools import partial
from typing import Any, Callable

from csshell.runtime.dotnet_types import (CHAR_TYPE, INT64_TYPE, Guid, PSList, PSType,  # noqa: F401 (re-exported)
                                          resolve_type, runtime_error, to_array, to_guid, type_of)
from csshell.runtime.errors import INVALID_OPERATION, PSError
from csshell.runtime.instance_methods import COMMON_METHODS, method_table
from csshell.runtime.member_calls import arg_error, call_member, int_arg, lookup_member
from csshell.runtime.static_members import SESSION_METHODS, STATIC_METHODS, session_properties, static_properties
from csshell.runtime.values import PSHashtable, PSObject, type_name


def _method_not_found(type_full_name: str, name: str) -> PSError:
    return runtime_error(f"Method invocation failed because [{type_full_name}] does not contain a method named "
                         f"'{name}'.", "MethodNotFound")


def invoke_method(obj: Any, name: str, args: list) -> Any:
    """``$obj.Name(args)``. Script-block ``Invoke`` and ``.ForEach``/``.Where`` belong to the evaluator.

    Objects may expose their own members with ``ps_invoke(name, args)`` (return ``NotImplemented`` when
    they do not have the method).
    """
    if obj is None:
        raise runtime_error("You cannot call a method on a null-valued expression.", "InvokeMethodOnNull")
    hook = getattr(obj, "ps_invoke", None)
    if callable(hook):
        result = hook(name, list(args))
        if result is not NotImplemented:
            return result
    found = lookup_member(method_table(obj), name) or lookup_member(COMMON_METHODS, name)
    if found is None:
        raise _method_not_found(type_name(obj), name)
    return call_member(found[0], found[1], (obj, *args), len(args))


def get_static(type_spec: Any, name: str, session: Any = None) -> Any:
    """``[Type]::Name`` for a property; an unknown static property is ``$null`` as in PowerShell.
    ``session`` (the running one) answers the members a confined session must not read from the process."""
    full_name = resolve_type(type_spec).full_name
    found = (lookup_member(session_properties(full_name, session), name) if session is not None else None) \
        or lookup_member(static_properties(full_name), name)
    return found[1]() if found else None


def invoke_static(type_spec: Any, name: str, args: list, session: Any = None) -> Any:
    """``[Type]::Name(args)``, including ``[Type]::new(args)``."""
    kind = resolve_type(type_spec)
    if name.lower() == "new":
        return new_object(kind, args)
    found = lookup_member(SESSION_METHODS.get(kind.full_name, {}), name) if session is not None else None
    if found is not None:
        return call_member(found[0], partial(found[1], session), tuple(args), len(args))
    found = lookup_member(STATIC_METHODS.get(kind.full_name, {}), name)
    if found is None:
        raise _method_not_found(kind.full_name, name)
    return call_member(found[0], found[1], tuple(args), len(args))


def _new_datetime(*parts: Any) -> _dt.datetime:
    """``[datetime]::new(y, m, d[, h, mi, s[, ms]])``."""
    numbers = [int_arg(p) for p in parts]
    try:
        return _dt.datetime(*numbers[:6], numbers[6] * 1000 if len(numbers) > 6 else 0)
    except (ValueError, TypeError):
        raise arg_error("Year, Month, and Day parameters describe an un-representable DateTime.", "") from None


def _new_timespan(*parts: Any) -> _dt.timedelta:
    """``[timespan]::new(ticks)``, ``(h, m, s)`` or ``(d, h, m, s[, ms])``."""
    numbers = [INT64_TYPE.convert(p) for p in parts]
    if len(numbers) == 1:
        return _dt.timedelta(microseconds=numbers[0] // 10)
    if len(numbers) == 3:
        return _dt.timedelta(hours=numbers[0], minutes=numbers[1], seconds=numbers[2])
    return _dt.timedelta(days=numbers[0], hours=numbers[1], minutes=numbers[2], seconds=numbers[3],
                         milliseconds=numbers[4] if len(numbers) > 4 else 0)


_CONSTRUCTORS: dict[str, Callable] = {
    "System.Collections.ArrayList": lambda *a: PSList(to_array(a[0]) or [] if a and isinstance(a[0], list) else []),
    "System.Collections.Hashtable": lambda *a: PSHashtable(),
    "System.Management.Automation.PSObject": lambda *a: PSObject(),
    "System.Object": lambda: PSObject(), "System.DateTime": _new_datetime, "System.TimeSpan": _new_timespan,
    "System.String": lambda c, n: CHAR_TYPE.convert(c) * int_arg(n), "System.Guid": lambda s: to_guid(s),
}


def new_object(type_spec: Any, args: list) -> Any:
    """``New-Object Type args`` and ``[Type]::new(args)`` for the types scripts construct."""
    kind = resolve_type(type_spec)
    if kind.full_name.startswith("System.Collections.Generic.List"):
        return kind.convert(args[0] if args else [])
    ctor = _CONSTRUCTORS.get(kind.full_name)
    if ctor is None:
        raise runtime_error(f"A constructor was not found. Cannot find an appropriate constructor for type "
                            f"{kind.full_name}.", "CannotFindAppropriateCtor", INVALID_OPERATION,
                            "PSArgumentException")
    return call_member("new", ctor, tuple(args), len(args))

"""Calling a modelled .NET member: argument conversion, overload arity and .NET exceptions.

Every instance method and static member we model is a plain Python function; this module is what makes
calling one feel like .NET to a script: arguments are converted to the parameter types
(``'1.5'`` to a Double), a wrong argument count is ``Cannot find an overload for "Substring" and the
argument count: "3".`` and a .NET exception raised inside becomes ``Exception calling "Substring" with
"1" argument(s): "<message>"`` (FullyQualifiedErrorId: the exception's short type name).
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

from csshell.runtime import dotnet_format
from csshell.runtime.dotnet_types import DOUBLE_TYPE, INT32_TYPE, is_int, runtime_error
from csshell.runtime.errors import NOT_SPECIFIED, PSError
from csshell.runtime.values import PSHashtable, PSObject, to_string


class DotNetException(Exception):
    """A .NET exception raised inside a modelled member: short type name plus .NET message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def arg_error(message: str, param: str) -> DotNetException:
    """.NET's ArgumentOutOfRangeException, whose message names the parameter on a second line."""
    return DotNetException("ArgumentOutOfRangeException", f"{message}\nParameter name: {param}")


def int_arg(value: Any) -> int:
    """An ``int`` parameter: the argument converted as PowerShell's method binder converts it."""
    return INT32_TYPE.convert(value)


def num_arg(value: Any) -> float:
    """A ``double`` parameter."""
    return DOUBLE_TYPE.convert(value)


def char_set(args: tuple) -> str:
    """``Trim('ab')`` and ``Split(',;')``: a string argument becomes a char[] of its characters."""
    out = []
    for arg in args:
        for item in (arg if isinstance(arg, list) else [arg]):
            out.append(to_string(item) if not is_int(item) else chr(item))
    return "".join(out)


def ignore_case(arg: Any) -> bool:
    """A StringComparison (``'OrdinalIgnoreCase'``, 5) or ignoreCase bool argument."""
    if isinstance(arg, bool):
        return arg
    if is_int(arg):
        return arg in (1, 3, 5)
    return "ignorecase" in to_string(arg).lower()


def net_equals(a: Any, b: Any) -> bool:
    """.NET ``Object.Equals``: same type and value, ordinal strings (``@(1).Contains('1')`` is False)."""
    if a is None or b is None:
        return a is None and b is None
    if type(a) is not type(b) and not (is_int(a) and is_int(b)):
        return False
    if isinstance(a, (PSObject, PSHashtable, list)):
        return a is b
    return bool(a == b)


def spread(args: tuple) -> list:
    """``params object[]``: one array argument supplies all the values."""
    return list(args[0]) if len(args) == 1 and isinstance(args[0], list) else list(args)


def lookup_member(table: dict[str, Callable], name: str) -> tuple[str, Callable] | None:
    """Member names are case-insensitive; the table's spelling is kept for error messages."""
    low = name.lower()
    return next(((key, fn) for key, fn in table.items() if key.lower() == low), None)


def _run_member(fn: Callable, call_args: tuple) -> Any:
    """Translate Python failures inside a modelled member into the .NET exceptions they stand for."""
    try:
        return fn(*call_args)
    except dotnet_format.FormatError as exc:
        raise DotNetException("FormatException", str(exc)) from None
    except IndexError:
        raise DotNetException("IndexOutOfRangeException", "Index was outside the bounds of the array.") from None
    except OverflowError:
        raise DotNetException("OverflowException", "Arithmetic operation resulted in an overflow.") from None
    except ValueError:
        raise DotNetException("ArgumentException", "Value does not fall within the expected range.") from None


def call_member(name: str, fn: Callable, call_args: tuple, count: int) -> Any:
    """Run a modelled member, turning arity mismatches and .NET exceptions into PowerShell errors."""
    try:
        inspect.signature(fn).bind(*call_args)
    except TypeError:
        raise runtime_error(f'Cannot find an overload for "{name}" and the argument count: "{count}".',
                            "MethodCountCouldNotFindBest", NOT_SPECIFIED, "MethodException") from None
    try:
        return _run_member(fn, call_args)
    except DotNetException as exc:
        raise runtime_error(f'Exception calling "{name}" with "{count}" argument(s): "{exc.message}"', exc.kind,
                            NOT_SPECIFIED, "MethodInvocationException") from None
    except PSError as exc:
        raise runtime_error(f'Exception calling "{name}" with "{count}" argument(s): "{exc.record.message}"',
                            exc.record.error_id, NOT_SPECIFIED, "MethodInvocationException") from None


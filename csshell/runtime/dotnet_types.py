""".NET types as PowerShell scripts see them: type literals, ``GetType()``, ``-is``/``-as`` and casts.

A type literal (``[int]``, ``[System.Collections.ArrayList]``, ``[string[]]``) resolves to a
:class:`PSType`; :meth:`PSType.convert` is PowerShell's cast, shared by ``[int]$x``, ``-as`` and the
method binder (arguments are converted to the parameter types). The cast rules themselves live in
``conversions.py`` (LanguagePrimitives); this module only names the types and maps values to them.
The few .NET values we model beyond the plain Python ones are here too: ``System.Guid`` and the
growable lists (``ArrayList``, ``List[T]``).
"""
from __future__ import annotations

import datetime as _dt
import re
import uuid
from typing import Any, Callable

from csshell.runtime import conversions, exception_types
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_OPERATION, ErrorRecord, PSError
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock, to_string, type_name


def runtime_error(message: str, error_id: str, category: str = INVALID_OPERATION, reason: str = "RuntimeException",
                  target: Any = None, target_type: str | None = None) -> PSError:
    """A PSError carrying PowerShell's wording and FullyQualifiedErrorId (callers raise it)."""
    return PSError(ErrorRecord(message=message, error_id=error_id, category=category, reason=reason,
                               target=target, target_type=target_type))


class PSType:
    """A .NET type as PowerShell scripts see it: ``[int]``, ``$x.GetType()``, ``-is``, ``-as``."""

    ps_type_name = "System.RuntimeType"      # what ``[int].GetType()`` reports

    def __init__(self, full_name: str, check: Callable[[Any], bool],
                 convert: Callable[[Any], Any] | None = None) -> None:
        self.full_name = full_name
        self._check = check
        self._convert = convert

    @property
    def name(self) -> str:
        return self.full_name.rsplit(".", 1)[-1]

    def is_instance(self, value: Any) -> bool:
        return value is not None and self._check(value)

    def convert(self, value: Any) -> Any:
        """PowerShell's cast ``[Type]value``; raises the PSError PowerShell shows on failure."""
        if self._convert is not None:
            return self._convert(value)
        if value is None or self.is_instance(value):
            return value
        raise invalid_cast(value, self.full_name)

    def ps_property(self, name: str) -> Any:
        low = name.lower()
        return {"name": self.name, "fullname": self.full_name,
                "namespace": self.full_name.rsplit(".", 1)[0] if "." in self.full_name else "",
                "isarray": self.full_name.endswith("[]")}.get(low)

    def __str__(self) -> str:
        return self.full_name

    __repr__ = __str__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PSType) and other.full_name.lower() == self.full_name.lower()

    def __hash__(self) -> int:
        return hash(self.full_name.lower())


def invalid_cast(value: Any, target: str) -> PSError:
    """``Cannot convert the "x" value of type "System.String" to type "System.Collections.Hashtable".``"""
    return runtime_error(f'Cannot convert the "{to_string(value)}" value of type "{type_name(value)}" to type '
                         f'"{target}".', "ConvertToFinalInvalidCastException", INVALID_ARGUMENT)


def is_int(value: Any) -> bool:
    """An Int32/Int64 value (Python's bool is an int, PowerShell's is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _cast_error_id(message: str, key: str, value: Any) -> str:
    """The FullyQualifiedErrorId PowerShell gives a failed cast, from the shape of the failure."""
    if message.startswith("Cannot convert the"):
        return "ConvertToFinalInvalidCastException"
    if isinstance(value, str) and key in ("int", "long", "uint", "ulong", "byte") and "correct format" in message:
        return "InvalidCastFromStringToInteger"
    if "too large or too small" in message:
        return "InvalidCastIConvertible"
    return "InvalidCastParseTargetInvocation"


def _cast_via(key: str) -> Callable[[Any], Any]:
    """PowerShell's cast for a type key, using the shared LanguagePrimitives model in conversions.py."""
    def convert(value: Any) -> Any:
        if value is None and key == "datetime":
            raise runtime_error('Cannot convert null to type "System.DateTime".', "nullToObjectInvalidCast",
                                INVALID_ARGUMENT)
        try:
            return conversions.convert_to(value, key)
        except conversions.ConversionError as exc:
            raise runtime_error(exc.message, _cast_error_id(exc.message, key, value), INVALID_ARGUMENT) from None
    return convert


def to_array(value: Any) -> list | None:
    """``[object[]]value``: a scalar becomes a one-element array, ``$null`` stays ``$null``."""
    if value is None:
        return None
    return list(value) if isinstance(value, (list, tuple)) else [value]


class Guid:
    """``System.Guid``: prints as the lower-case 8-4-4-4-12 text."""

    ps_type_name = "System.Guid"

    def __init__(self, value: uuid.UUID) -> None:
        self.value = value

    def __str__(self) -> str:
        return str(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Guid) and other.value == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def ps_property(self, name: str) -> Any:
        return str(self.value) if name.lower() == "guid" else None


def to_guid(value: Any) -> Guid:
    """``[guid]'...'``: braces and parentheses around the 8-4-4-4-12 text are accepted, as .NET does."""
    if isinstance(value, Guid):
        return value
    try:
        return Guid(uuid.UUID(to_string(value).strip("{}() ")))
    except ValueError:
        raise runtime_error(f'Cannot convert value "{to_string(value)}" to type "System.Guid". Error: "Guid '
                            f'should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)."',
                            "InvalidCastParseTargetInvocation", INVALID_ARGUMENT) from None


class PSList(list):
    """``System.Collections.ArrayList`` / ``List[T]``: a growable list (PowerShell arrays are fixed-size).

    ``full_name`` is the .NET type name (``System.Collections.Generic.List`1[System.String]`` for a
    ``List[string]``): ``GetType()``, ``ToString()`` and error messages all report it.
    """

    def __init__(self, items: Any = (), full_name: str = "System.Collections.ArrayList") -> None:
        super().__init__(items)
        self.full_name = full_name

    @property
    def ps_type_name(self) -> str:
        return self.full_name


def _static_type(full_name: str) -> PSType:
    """Types used only for their static members (``[math]``); nothing is an instance of them."""
    return PSType(full_name, lambda v: False)


def _simple(full_name: str, check: Callable[[Any], bool], key: str | None = None) -> PSType:
    return PSType(full_name, check, _cast_via(key) if key else None)


OBJECT_TYPE = PSType("System.Object", lambda v: True, lambda v: v)
INT32_TYPE = _simple("System.Int32", lambda v: is_int(v) and -2**31 <= v < 2**31, "int")
INT64_TYPE = _simple("System.Int64", lambda v: is_int(v) and -2**63 <= v < 2**63, "long")
DOUBLE_TYPE = _simple("System.Double", lambda v: isinstance(v, float), "double")
STRING_TYPE = _simple("System.String", lambda v: isinstance(v, str), "string")
BOOL_TYPE = _simple("System.Boolean", lambda v: isinstance(v, bool), "bool")
CHAR_TYPE = _simple("System.Char", lambda v: False, "char")
DATETIME_TYPE = _simple("System.DateTime", lambda v: isinstance(v, _dt.datetime), "datetime")
TIMESPAN_TYPE = _simple("System.TimeSpan", lambda v: isinstance(v, _dt.timedelta), "timespan")
ARRAY_TYPE = PSType("System.Object[]", lambda v: isinstance(v, list), to_array)
HASHTABLE_TYPE = _simple("System.Collections.Hashtable", lambda v: isinstance(v, PSHashtable), "hashtable")
PSOBJECT_TYPE = _simple("System.Management.Automation.PSObject", lambda v: isinstance(v, PSObject), "pscustomobject")

TYPES: dict[str, PSType] = {
    "object": OBJECT_TYPE, "int": INT32_TYPE, "int32": INT32_TYPE, "long": INT64_TYPE, "int64": INT64_TYPE,
    "byte": _simple("System.Byte", lambda v: False, "byte"),
    "uint32": _simple("System.UInt32", lambda v: False, "uint"),
    "double": DOUBLE_TYPE, "float": DOUBLE_TYPE, "single": DOUBLE_TYPE, "decimal": DOUBLE_TYPE,
    "string": STRING_TYPE, "char": CHAR_TYPE, "bool": BOOL_TYPE, "boolean": BOOL_TYPE,
    "switch": _simple("System.Management.Automation.SwitchParameter", lambda v: isinstance(v, bool), "bool"),
    "datetime": DATETIME_TYPE, "timespan": TIMESPAN_TYPE,
    "array": PSType("System.Array", lambda v: isinstance(v, list), to_array), "object[]": ARRAY_TYPE,
    "hashtable": HASHTABLE_TYPE, "collections.hashtable": HASHTABLE_TYPE,
    "collections.specialized.ordereddictionary": PSType("System.Collections.Specialized.OrderedDictionary",
                                                        lambda v: isinstance(v, PSHashtable) and v.ordered),
    "psobject": PSOBJECT_TYPE, "management.automation.psobject": PSOBJECT_TYPE,
    "pscustomobject": PSOBJECT_TYPE, "management.automation.pscustomobject": PSOBJECT_TYPE,
    "scriptblock": _simple("System.Management.Automation.ScriptBlock", lambda v: isinstance(v, ScriptBlock),
                           "scriptblock"),
    "management.automation.scriptblock": _simple("System.Management.Automation.ScriptBlock",
                                                 lambda v: isinstance(v, ScriptBlock), "scriptblock"),
    "guid": PSType("System.Guid", lambda v: isinstance(v, Guid), lambda v: to_guid(v)),
    "collections.arraylist": PSType("System.Collections.ArrayList", lambda v: isinstance(v, PSList),
                                    lambda v: PSList(to_array(v) or [])),
    "void": PSType("System.Void", lambda v: False, lambda v: None),
    "management.automation.errorrecord": PSType("System.Management.Automation.ErrorRecord",
                                                lambda v: isinstance(v, ErrorRecord)),
    "math": _static_type("System.Math"), "environment": _static_type("System.Environment"),
    "io.path": _static_type("System.IO.Path"), "convert": _static_type("System.Convert"),
    "regex": _static_type("System.Text.RegularExpressions.Regex"),
    "text.regularexpressions.regex": _static_type("System.Text.RegularExpressions.Regex"),
    "stringsplitoptions": _static_type("System.StringSplitOptions"),
}


def _type_key(spec: str) -> str:
    """``'[System.String[]]'`` → ``'string[]'``: one pair of brackets, spaces and ``System.`` dropped."""
    key = spec.strip().replace(" ", "").lower()
    if key.startswith("[") and key.endswith("]"):
        key = key[1:-1]
    return key[len("system."):] if key.startswith("system.") else key


def resolve_type(spec: Any) -> PSType:
    """``'int'``, ``'System.Int32'``, ``'[string[]]'`` or a :class:`PSType` → the type; else TypeNotFound."""
    if isinstance(spec, PSType):
        return spec
    text = to_string(spec)
    key = _type_key(text)
    if key in TYPES:
        return TYPES[key]
    if key.endswith("[]") and key[:-2] in TYPES:
        element = TYPES[key[:-2]]
        return PSType(element.full_name + "[]", lambda v: isinstance(v, list),
                      lambda v: None if v is None else [element.convert(x) for x in to_array(v)])
    generic = re.match(r"^collections\.generic\.list\[(.+)\]$", key)
    if generic:
        element = resolve_type(generic.group(1))
        full = f"System.Collections.Generic.List`1[{element.full_name}]"
        return PSType(full, lambda v: isinstance(v, PSList) and v.full_name == full,
                      lambda v: PSList([element.convert(x) for x in (to_array(v) or [])], full))
    exception = exception_type(key)
    if exception is not None:
        return exception
    name = text.strip()[1:-1] if text.strip().startswith("[") else text.strip()
    raise runtime_error(f"Unable to find type [{name}].", "TypeNotFound", target=name, target_type="TypeName")


def exception_type(key: str) -> PSType | None:
    """``[System.DivideByZeroException]`` and friends: ``-is`` follows the .NET hierarchy."""
    full = exception_types.canonical(key)
    if full is None:
        return None

    def check(value: Any) -> bool:
        lineage = getattr(value, "type_lineage", None)
        return callable(lineage) and exception_types.derives_from(lineage()[0], full)
    return PSType(full, check)


def type_of(value: Any) -> PSType:
    """What ``$value.GetType()`` returns."""
    full = type_name(value)
    for candidate in TYPES.values():
        if candidate.full_name == full:
            return candidate
    return PSType(full, lambda v, f=full: type_name(v) == f)


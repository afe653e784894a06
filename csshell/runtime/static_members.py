"""Static members of the .NET types scripts use: ``[math]::Round``, ``[string]::Join``, ``[datetime]::Now``...

:data:`STATIC_METHODS` maps a type's full name to its static methods; :func:`static_properties` gives its
static properties, computed on access because some change (``[datetime]::Now``). ``methods.py`` looks
both up and calls through ``member_calls.call_member``, so wrong argument counts and .NET exceptions read
as they do in PowerShell. Semantics follow .NET Framework: ``Math.Round`` rounds half to even unless
told ``'AwayFromZero'``, ``String.Compare`` orders by culture, ``Path.Combine`` restarts at a rooted part.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import uuid
from typing import Any, Callable

from csshell.runtime import clock, dotnet_format
from csshell.runtime.dotnet_types import (CHAR_TYPE, DATETIME_TYPE, DOUBLE_TYPE, INT32_TYPE, INT64_TYPE, TIMESPAN_TYPE,
                                          Guid, PSType, is_int, to_guid)
from csshell.runtime.errors import PSError
from csshell.runtime.instance_methods import days_in_month
from csshell.runtime.member_calls import DotNetException, arg_error, ignore_case, int_arg, net_equals, num_arg, spread
from csshell.runtime.operators import compare_values
from csshell.runtime.regex import compile_regex, expand_replacement, match_object, net_escape
from csshell.runtime.values import parse_number, to_bool, to_string


def _math_round(value: Any, *rest: Any) -> Any:
    """``Math.Round``: banker's rounding unless ``'AwayFromZero'`` is given (``Round(2.5)`` is 2)."""
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
    digits = int_arg(rest[0]) if rest and not isinstance(rest[0], str) else 0
    mode = to_string(rest[-1]).lower() if rest and isinstance(rest[-1], str) else "toeven"
    if not 0 <= digits <= 15:
        raise arg_error("Rounding digits must be between 0 and 15, inclusive.", "digits")
    if is_int(value):
        return value
    number = num_arg(value)
    if number != number or number in (math.inf, -math.inf):
        return number
    rounding = ROUND_HALF_UP if mode == "awayfromzero" else ROUND_HALF_EVEN
    return float(Decimal(number).quantize(Decimal(1).scaleb(-digits), rounding=rounding))


def _integral(fn: Callable[[float], float]) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        return value if is_int(value) else float(fn(num_arg(value)))
    return run


def _min_max(pick: Callable) -> Callable[[Any, Any], Any]:
    def run(a: Any, b: Any) -> Any:
        if is_int(a) and is_int(b):
            return pick(a, b)
        return float(pick(num_arg(a), num_arg(b)))
    return run


def _sqrt(value: Any) -> float:
    number = num_arg(value)
    return math.sqrt(number) if number >= 0 else math.nan


def _log(value: Any, base: Any = None) -> float:
    number = num_arg(value)
    if number <= 0:
        return -math.inf if number == 0 else math.nan
    return math.log(number) if base is None else math.log(number, num_arg(base))


def _pow(x: Any, y: Any) -> float:
    try:
        return math.pow(num_arg(x), num_arg(y))
    except (OverflowError, ValueError):
        return math.inf if num_arg(x) > 0 else math.nan


MATH: dict[str, Callable] = {
    "Round": _math_round, "Floor": _integral(math.floor), "Ceiling": _integral(math.ceil),
    "Truncate": _integral(math.trunc), "Abs": lambda v: abs(v) if is_int(v) else abs(num_arg(v)),
    "Max": _min_max(max), "Min": _min_max(min), "Pow": _pow, "Sqrt": _sqrt,
    "Sign": lambda v: (lambda n: (n > 0) - (n < 0))(num_arg(v)), "Log": _log,
    "Log10": lambda v: _log(v, 10), "Exp": lambda v: math.exp(num_arg(v)),
}


def _string_format(fmt: Any, *args: Any) -> str:
    try:
        return dotnet_format.composite_format(to_string(fmt), spread(args))
    except dotnet_format.FormatError as exc:
        raise DotNetException("FormatException", str(exc)) from None


def _string_compare(a: Any, b: Any, *rest: Any) -> int:
    if a is None or b is None:
        return (a is not None) - (b is not None)
    ignore = bool(rest) and ignore_case(rest[0])
    return compare_values(to_string(a), to_string(b), not ignore)


STRING_STATICS: dict[str, Callable] = {
    "IsNullOrEmpty": lambda v: v is None or to_string(v) == "",
    "IsNullOrWhiteSpace": lambda v: v is None or to_string(v).strip() == "",
    "Join": lambda sep, *values: to_string(sep).join(to_string(v) for v in spread(values)),
    "Format": _string_format, "Concat": lambda *values: "".join(to_string(v) for v in spread(values)),
    "Compare": _string_compare, "Equals": lambda a, b: net_equals(a, b),
}


def _date_parse(text: Any, provider: Any = None) -> _dt.datetime:
    parsed = dotnet_format.parse_datetime(to_string(text))
    if parsed is None:
        raise DotNetException("FormatException", "String was not recognized as a valid DateTime.")
    return parsed


def _date_parse_exact(text: Any, formats: Any, provider: Any = None, style: Any = None) -> _dt.datetime:
    for fmt in (formats if isinstance(formats, list) else [formats]):
        parsed = dotnet_format.parse_exact(to_string(text), to_string(fmt))
        if parsed is not None:
            return parsed
    raise DotNetException("FormatException", "String was not recognized as a valid DateTime.")


DATETIME_STATICS: dict[str, Callable] = {
    "Parse": _date_parse, "ParseExact": _date_parse_exact,
    "DaysInMonth": lambda y, m: days_in_month(int_arg(y), int_arg(m)),
    "IsLeapYear": lambda y: days_in_month(int_arg(y), 2) == 29,
    "Compare": lambda a, b: compare_values(DATETIME_TYPE.convert(a), DATETIME_TYPE.convert(b)),
}


def _number_parse(kind: PSType, integral: bool) -> Callable[..., Any]:
    def parse(text: Any, *rest: Any) -> Any:
        s = to_string(text).strip()
        if integral and not re.fullmatch(r"[+-]?\d+", s) or not integral and parse_number(s) is None or s == "":
            raise DotNetException("FormatException", "Input string was not in a correct format.")
        if not integral:
            return float(s)
        try:
            return kind.convert(int(s))
        except PSError:
            raise DotNetException("OverflowException", f"Value was either too large or too small for an "
                                                       f"{kind.name}.") from None
    return parse


def _convert_to_int(value: Any, base: Any = None) -> int:
    if base is None:
        return INT32_TYPE.convert(value)
    try:
        number = int(to_string(value), int_arg(base))
    except ValueError:
        raise DotNetException("FormatException", "Could not find any recognizable digits.") from None
    return number - 2**32 if number >= 2**31 else number


def _convert_to_string(value: Any, base: Any = None) -> str:
    if base is None:
        return to_string(value)
    number, radix = INT64_TYPE.convert(value), int_arg(base)
    if radix not in (2, 8, 10, 16):
        raise DotNetException("ArgumentException", "Invalid Base.")
    if number < 0 and radix != 10:
        number &= 2**32 - 1 if number >= -2**31 else 2**64 - 1
    return {2: format(number, "b"), 8: format(number, "o"), 10: str(number), 16: format(number, "x")}[radix]


CONVERT_STATICS: dict[str, Callable] = {
    "ToInt32": _convert_to_int, "ToInt64": lambda v: INT64_TYPE.convert(v), "ToDouble": lambda v: num_arg(v),
    "ToBoolean": lambda v: to_bool(v) if not isinstance(v, str) else _parse_bool(v),
    "ToString": _convert_to_string, "ToDateTime": lambda v: DATETIME_TYPE.convert(v),
}


def _parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low not in ("true", "false"):
        raise DotNetException("FormatException", "String was not recognized as a valid Boolean.")
    return low == "true"


def _path_separator(parts: list[str]) -> str:
    return "\\" if any("\\" in p for p in parts) else "/"


def _is_rooted(path: str) -> bool:
    return path.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", path))


def _path_combine(*parts: Any) -> str:
    texts = [to_string(p) for p in spread(parts)]
    if any(p is None for p in spread(parts)):
        raise DotNetException("ArgumentNullException", "Value cannot be null.\nParameter name: paths")
    sep, result = _path_separator(texts), ""
    for part in texts:
        if part == "":
            continue
        if _is_rooted(part) or not result:
            result = part
        else:
            result = result + ("" if result.endswith(("/", "\\", ":")) else sep) + part
    return result


def _file_name(path: Any) -> str:
    return re.split(r"[\\/]", to_string(path))[-1]


def _extension(path: Any) -> str:
    name = _file_name(path)
    return name[name.rfind("."):] if "." in name and not name.endswith(".") else ""


def _directory_name(path: Any) -> str | None:
    text = to_string(path)
    index = max(text.rfind("/"), text.rfind("\\"))
    if index < 0:
        return ""
    if re.fullmatch(r"[A-Za-z]:[\\/]?|[\\/]", text[:index + 1]) and index == len(text) - 1:
        return None
    return text[:index] if index > 0 and not re.fullmatch(r"[A-Za-z]:", text[:index]) else text[:index + 1]


PATH_STATICS: dict[str, Callable] = {
    "Combine": _path_combine, "GetFileName": _file_name, "GetExtension": _extension,
    "GetFileNameWithoutExtension": lambda p: _file_name(p)[:len(_file_name(p)) - len(_extension(p))],
    "GetDirectoryName": _directory_name, "IsPathRooted": lambda p: _is_rooted(to_string(p)),
    "GetTempPath": lambda: __import__("tempfile").gettempdir() + "/",
    "GetFullPath": lambda p: __import__("os").path.abspath(to_string(p)),
    "HasExtension": lambda p: _extension(p) != "",
}


def _regex_options(options: Any) -> tuple[bool, bool]:
    if options is None:
        return False, False
    if is_int(options):
        return bool(options & 1), bool(options & 2)
    low = to_string(options).lower()
    return "ignorecase" in low, "multiline" in low


def _regex(pattern: Any, options: Any = None) -> re.Pattern:
    ignore, multi = _regex_options(options)
    try:
        return compile_regex(to_string(pattern), ignore_case=ignore, multiline=multi)
    except PSError:
        raise DotNetException("ArgumentException", f'parsing "{to_string(pattern)}" - Invalid pattern.') from None


def _regex_replace(text: Any, pattern: Any, replacement: Any, options: Any = None) -> str:
    return _regex(pattern, options).sub(lambda m: expand_replacement(m, to_string(replacement)), to_string(text))


REGEX_STATICS: dict[str, Callable] = {
    "Escape": lambda s: net_escape(to_string(s)),
    "Unescape": lambda s: re.sub(r"\\(.)", r"\1", to_string(s)),
    "IsMatch": lambda s, p, o=None: _regex(p, o).search(to_string(s)) is not None,
    "Match": lambda s, p, o=None: match_object(_regex(p, o).search(to_string(s))),
    "Matches": lambda s, p, o=None: [match_object(m) for m in _regex(p, o).finditer(to_string(s))],
    "Replace": _regex_replace,
    "Split": lambda s, p, o=None: ["" if x is None else x for x in _regex(p, o).split(to_string(s))],
}


def _char_test(test: Callable[[str], bool]) -> Callable[..., bool]:
    def run(value: Any, index: Any = None) -> bool:
        text = to_string(value) if index is not None else CHAR_TYPE.convert(value)
        return test(text[int_arg(index)] if index is not None else text)
    return run


CHAR_STATICS: dict[str, Callable] = {
    "IsDigit": _char_test(str.isdigit), "IsLetter": _char_test(str.isalpha),
    "IsWhiteSpace": _char_test(str.isspace), "IsUpper": _char_test(str.isupper),
    "IsLower": _char_test(str.islower), "IsLetterOrDigit": _char_test(str.isalnum),
    "IsPunctuation": _char_test(lambda c: not c.isalnum() and not c.isspace() and c.isprintable()),
    "ToUpper": lambda c: CHAR_TYPE.convert(c).upper(), "ToLower": lambda c: CHAR_TYPE.convert(c).lower(),
}


def _environment_variable(name: Any, target: Any = None) -> str | None:
    import os
    return os.environ.get(to_string(name))


# --- members that read the process's surroundings -------------------------------------------------------
# A session may be confined (a remote session, csshell/remote/sandbox.py): then it has a private
# ``environment`` (its ``$env:``) and a ``path_guard``, and the members below answer from those instead of
# from the server process (its environment, its account, its working folder), exactly as ``$env:`` and the
# file cmdlets do. The runtime knows only these two session hooks, nothing of remoting.

def _private(session: Any) -> dict[str, str] | None:
    return getattr(session, "environment", None)


def _private_value(env: dict[str, str], name: str) -> str | None:
    low = name.lower()
    return next((value for key, value in env.items() if key.lower() == low), None)


def _session_environment_variable(session: Any, name: Any, target: Any = None) -> str | None:
    """``[Environment]::GetEnvironmentVariable(name[, target])``: a confined session's own ``$env:`` only."""
    env = _private(session)
    if env is None:
        return _environment_variable(name, target)
    return _private_value(env, to_string(name))


def _session_full_path(session: Any, path: Any) -> str:
    """``[IO.Path]::GetFullPath(p)``: .NET resolves against the process's folder; a confined session resolves
    against its own location, and a result outside its folder is refused as its file cmdlets refuse it."""
    import os
    text = to_string(path)
    if "\0" in text:
        raise DotNetException("ArgumentException", "Illegal characters in path.")
    if getattr(session, "path_guard", None) is None:
        return os.path.abspath(text)
    return session.filesystem_path(text)        # PSError "Access to the path ... is denied." outside the folder


def _session_temp_path(session: Any) -> str:
    env = _private(session)
    if env is None:
        return __import__("tempfile").gettempdir() + "/"
    return (_private_value(env, "TEMP") or session.cwd).rstrip("/") + "/"


SESSION_METHODS: dict[str, dict[str, Callable]] = {
    "System.Environment": {"GetEnvironmentVariable": _session_environment_variable},
    "System.IO.Path": {"GetFullPath": _session_full_path, "GetTempPath": _session_temp_path},
}


def session_properties(full_name: str, session: Any) -> dict[str, Callable[[], Any]]:
    """The static properties a confined session answers itself (see above); empty for any other session."""
    env = _private(session)
    if env is None or full_name != "System.Environment":
        return {}
    computer = _private_value(env, "COMPUTERNAME") or ""
    return {"UserName": lambda: _private_value(env, "USERNAME") or "",
            "MachineName": lambda: computer,
            "UserDomainName": lambda: _private_value(env, "USERDOMAIN") or computer,
            "CurrentDirectory": lambda: session.cwd}


STATIC_METHODS: dict[str, dict[str, Callable]] = {
    "System.Math": MATH, "System.String": STRING_STATICS, "System.DateTime": DATETIME_STATICS,
    "System.Int32": {"Parse": _number_parse(INT32_TYPE, True)},
    "System.Int64": {"Parse": _number_parse(INT64_TYPE, True)},
    "System.Double": {"Parse": _number_parse(DOUBLE_TYPE, False), "IsNaN": lambda v: num_arg(v) != num_arg(v)},
    "System.Guid": {"NewGuid": lambda: Guid(uuid.uuid4()), "Parse": to_guid},
    "System.Environment": {"GetEnvironmentVariable": _environment_variable},
    "System.IO.Path": PATH_STATICS, "System.Text.RegularExpressions.Regex": REGEX_STATICS,
    "System.Char": CHAR_STATICS, "System.Convert": CONVERT_STATICS,
    "System.TimeSpan": {"FromDays": lambda n: _dt.timedelta(days=num_arg(n)),
                        "FromHours": lambda n: _dt.timedelta(hours=num_arg(n)),
                        "FromMinutes": lambda n: _dt.timedelta(minutes=num_arg(n)),
                        "FromSeconds": lambda n: _dt.timedelta(seconds=num_arg(n)),
                        "Parse": lambda s: TIMESPAN_TYPE.convert(to_string(s))},
}


def static_properties(full_name: str) -> dict[str, Callable[[], Any]]:
    """Static properties are computed on access (``[datetime]::Now`` changes)."""
    import getpass
    import os
    import platform
    return {
        "System.Math": {"PI": lambda: math.pi, "E": lambda: math.e},
        "System.Int32": {"MaxValue": lambda: 2**31 - 1, "MinValue": lambda: -2**31},
        "System.Int64": {"MaxValue": lambda: 2**63 - 1, "MinValue": lambda: -2**63},
        "System.Byte": {"MaxValue": lambda: 255, "MinValue": lambda: 0},
        "System.Double": {"MaxValue": lambda: 1.7976931348623157e308, "MinValue": lambda: -1.7976931348623157e308,
                          "NaN": lambda: math.nan, "PositiveInfinity": lambda: math.inf,
                          "NegativeInfinity": lambda: -math.inf, "Epsilon": lambda: 5e-324},
        "System.String": {"Empty": lambda: ""},
        "System.DateTime": {"Now": clock.now,
                            "Today": lambda: clock.now().replace(hour=0, minute=0, second=0, microsecond=0),
                            "UtcNow": lambda: _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None),
                            "MinValue": lambda: _dt.datetime.min, "MaxValue": lambda: _dt.datetime.max},
        "System.TimeSpan": {"Zero": lambda: _dt.timedelta(0)},
        "System.Guid": {"Empty": lambda: Guid(uuid.UUID(int=0))},
        "System.Boolean": {"TrueString": lambda: "True", "FalseString": lambda: "False"},
        "System.Environment": {"NewLine": lambda: "\n", "MachineName": lambda: platform.node().split(".")[0].upper(),
                               "UserName": getpass.getuser, "CurrentDirectory": os.getcwd,
                               "UserDomainName": lambda: platform.node().split(".")[0].upper(),
                               "ProcessorCount": lambda: os.cpu_count() or 1, "Is64BitProcess": lambda: True},
        "System.IO.Path": {"DirectorySeparatorChar": lambda: os.sep, "PathSeparator": lambda: os.pathsep},
        "System.StringSplitOptions": {"None": lambda: 0, "RemoveEmptyEntries": lambda: 1},
    }.get(full_name, {})

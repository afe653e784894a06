"""PowerShell 5.1 operators: arithmetic, comparison, pattern, string and type operators.

The evaluator calls :func:`binary_op` / :func:`unary_op` with already-evaluated operands
(``-and``/``-or`` short-circuit, so the evaluator handles them itself). The rules that surprise
people are the ones implemented most carefully here:

* the **right operand is converted to the type of the left** (``'1.0' -eq 1`` is False,
  ``1 -eq '1.0'`` is True, ``$true -eq 'false'`` is True);
* a **collection on the left** turns comparison operators into *filters* that return the matching
  elements, which is why ``$null`` belongs on the left (``@() -eq $null`` is an empty array);
* ``$null`` orders below everything except negative numbers (verify-ps51 §6);
* ``-match`` on a scalar sets ``$Matches``: use :func:`match_op`, which returns that hashtable.

Errors raise :class:`PSError` with PowerShell's wording and FullyQualifiedErrorId.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

from csshell.runtime import dotnet_format
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_OPERATION, NOT_SPECIFIED, ErrorRecord, PSError
from csshell.runtime.values import PSHashtable, PSObject, parse_number, to_bool, to_string, type_name

INT32 = (-2**31, 2**31 - 1)
INT64 = (-2**63, 2**63 - 1)

COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
               "contains", "notcontains", "in", "notin", "replace", "split"}
_CASELESS = {"join", "is", "isnot", "as", "f", "band", "bor", "bxor", "shl", "shr", "and", "or", "xor"}


# =============================================================================================
# Errors
# =============================================================================================

def _error(message: str, error_id: str, category: str = INVALID_OPERATION, reason: str = "RuntimeException",
           target: Any = None) -> PSError:
    return PSError(ErrorRecord(message=message, error_id=error_id, category=category, reason=reason,
                               target=target))


def _missing_operator(left: Any, method: str) -> PSError:
    return _error(f"Method invocation failed because [{type_name(left)}] does not contain a method "
                  f"named '{method}'.", "MethodNotFound")


def cast_error(value: Any, target: str, detail: str = "Input string was not in a correct format.") -> PSError:
    """``Cannot convert value "a" to type "System.Int32". Error: "..."`` (InvalidCastFromStringToInteger)."""
    return _error(f'Cannot convert value "{to_string(value)}" to type "{target}". Error: "{detail}"',
                  "InvalidCastFromStringToInteger", INVALID_ARGUMENT)


def divide_by_zero() -> PSError:
    return _error("Attempted to divide by zero.", "RuntimeException", NOT_SPECIFIED)


# =============================================================================================
# Dispatch
# =============================================================================================

def split_operator(op: str) -> tuple[str, bool]:
    """``'ceq'`` → ``('eq', True)``; ``'ilike'`` → ``('like', False)``; ``'eq'`` → ``('eq', False)``."""
    low = op.lower().lstrip("-")
    if low in COMPARISONS or low in _CASELESS:
        return low, False
    if low[:1] in ("c", "i") and low[1:] in COMPARISONS:
        return low[1:], low[0] == "c"
    return low, False


def binary_op(op: str, left: Any, right: Any) -> Any:
    """Apply a binary operator (symbol or word without the dash) the way PowerShell 5.1 does.

    For ``-match``/``-notmatch`` this returns only the result; call :func:`match_op` to also get
    the ``$Matches`` table.
    """
    if op in _ARITHMETIC:
        return _ARITHMETIC[op](left, right)
    name, cs = split_operator(op)
    if name in ("match", "notmatch"):
        return match_op(left, right, name == "notmatch", cs)[0]
    handler = _WORD_OPERATORS.get(name)
    if handler is None:
        raise _error(f"Unexpected token '-{op}' in expression or statement.", "UnexpectedToken")
    return handler(left, right, cs)


def unary_op(op: str, operand: Any) -> Any:
    """``-x``, ``+x``, ``-not x``/``!x``, ``-bnot x``, ``,x``, ``-join x``, ``-split x``."""
    low = op.lower().lstrip("-") if op not in ("-", "+") else op
    if low in ("not", "!"):
        return not to_bool(operand)
    if low == ",":
        return [operand]
    if low == "join":
        return "".join(to_string(v) for v in _as_list(operand))
    if low == "split":
        return [part for item in _as_list(operand)
                for part in re.split(r"\s+", to_string(item).strip())]
    if low == "bnot":
        return _widen(~_to_integer(operand, "bnot"))
    if low in ("-", "+"):
        number = _operand_number(operand, "op_UnaryNegation" if low == "-" else "op_UnaryPlus")
        return _widen(-number) if low == "-" and isinstance(number, int) else (-number if low == "-" else number)
    raise _error(f"Unexpected token '{op}' in expression or statement.", "UnexpectedToken")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


# =============================================================================================
# Arithmetic
# =============================================================================================

def _widen(value: int | float) -> int | float:
    """Integer overflow beyond Int64 widens to Double, as PowerShell's arithmetic binder does."""
    if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
        return float(value)
    return value


def _operand_number(value: Any, method: str, left_text: bool = False) -> int | float:
    """The number an operand stands for; strings are parsed, anything else has no such operator."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        number = parse_number(value)
        if number is None:
            raise cast_error(value, "System.Int32")
        return number
    raise _missing_operator(value, method)


def add(left: Any, right: Any) -> Any:
    """``+``: numbers add, strings concatenate, arrays append, hashtables merge, dates shift."""
    if left is None:
        return list(right) if isinstance(right, list) else right
    if isinstance(left, str):
        return left + to_string(right)
    if isinstance(left, list):
        return left + list(right) if isinstance(right, list) else left + [right]
    if isinstance(left, PSHashtable):
        return _merge_hashtables(left, right)
    if isinstance(left, _dt.datetime):
        if isinstance(right, _dt.timedelta):
            return _shift_date(left, right)
        raise _missing_operator(left, "op_Addition")
    if isinstance(left, _dt.timedelta):
        if isinstance(right, _dt.timedelta):
            return left + right
        if isinstance(right, _dt.datetime):
            return _shift_date(right, left)
        raise _missing_operator(left, "op_Addition")
    if isinstance(right, (list, PSHashtable, _dt.datetime, _dt.timedelta, PSObject)):
        raise _missing_operator(left, "op_Addition")
    return _widen(_operand_number(left, "op_Addition") + _operand_number(right, "op_Addition"))


def _shift_date(value: _dt.datetime, delta: _dt.timedelta) -> _dt.datetime:
    try:
        return value + delta
    except OverflowError:
        raise _error("The added or subtracted value results in an un-representable DateTime.\n"
                     "Parameter name: value", "System.ArgumentOutOfRangeException", "OperationStopped",
                     "ArgumentOutOfRangeException") from None


def _merge_hashtables(left: PSHashtable, right: Any) -> PSHashtable:
    if not isinstance(right, PSHashtable):
        raise _error("A hash table can only be added to another hash table.", "AddHashTableToNonHashTable")
    merged = PSHashtable(left.items(), ordered=left.ordered)
    for key, value in right.items():
        if key in merged:
            existing = next(k for k in merged if k == key or (isinstance(k, str) and isinstance(key, str)
                                                               and k.lower() == key.lower()))
            raise _error(f"Item has already been added. Key in dictionary: '{to_string(existing)}'  "
                         f"Key being added: '{to_string(key)}'", "System.ArgumentException",
                         "OperationStopped", "ArgumentException")
        merged[key] = value
    return merged


def subtract(left: Any, right: Any) -> Any:
    """``-``: numbers, dates (date − date = TimeSpan, date − TimeSpan = date), TimeSpans."""
    if isinstance(left, _dt.datetime):
        if isinstance(right, _dt.datetime):
            return left - right
        if isinstance(right, _dt.timedelta):
            return _shift_date(left, -right)
        raise _missing_operator(left, "op_Subtraction")
    if isinstance(left, _dt.timedelta):
        if isinstance(right, _dt.timedelta):
            return left - right
        raise _missing_operator(left, "op_Subtraction")
    if isinstance(left, (list, PSHashtable, PSObject)) or isinstance(right, (list, PSHashtable, PSObject)):
        raise _missing_operator(left if not isinstance(right, (list, PSHashtable, PSObject)) or
                                isinstance(left, (list, PSHashtable, PSObject)) else right, "op_Subtraction")
    return _widen(_operand_number(left, "op_Subtraction") - _operand_number(right, "op_Subtraction"))


def multiply(left: Any, right: Any) -> Any:
    """``*``: numbers multiply; a string or array is repeated."""
    if isinstance(left, str):
        return left * _repeat_count(right)
    if isinstance(left, list):
        return left * _repeat_count(right)
    if left is None:
        return None
    if isinstance(right, (list, PSHashtable, PSObject)):
        raise _missing_operator(right, "op_Multiply")
    return _widen(_operand_number(left, "op_Multiply") * _operand_number(right, "op_Multiply"))


def _repeat_count(value: Any) -> int:
    number = _operand_number(value, "op_Multiply")
    return max(0, round(number) if isinstance(number, float) else number)


def divide(left: Any, right: Any) -> Any:
    """``/``: an exact integer quotient stays an integer, otherwise a double (``7/2`` is 3.5)."""
    a = _operand_number(left, "op_Division")
    b = _operand_number(right, "op_Division")
    if b == 0:
        if isinstance(a, int) and isinstance(b, int):
            raise divide_by_zero()
        return math.nan if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b)
    if isinstance(a, int) and isinstance(b, int):
        return a // b if a % b == 0 else a / b
    return a / b


def remainder(left: Any, right: Any) -> Any:
    """``%``: .NET remainder, whose sign follows the dividend (``-7 % 3`` is -1)."""
    a = _operand_number(left, "op_Modulus")
    b = _operand_number(right, "op_Modulus")
    if b == 0:
        if isinstance(a, int) and isinstance(b, int):
            raise divide_by_zero()
        return math.nan
    if isinstance(a, int) and isinstance(b, int):
        return int(math.copysign(abs(a) % abs(b), a)) if a % b else 0
    return math.fmod(a, b)


_ARITHMETIC = {"+": add, "-": subtract, "*": multiply, "/": divide, "%": remainder}


# =============================================================================================
# Equality and ordering
# =============================================================================================

def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _convert_right(left: Any, right: Any) -> Any:
    """Convert ``right`` to the type of ``left``; raises ``ValueError`` when impossible."""
    if isinstance(left, str):
        return to_string(right)
    if isinstance(left, bool):
        return to_bool(right)
    if _is_number(left):
        if _is_number(right):
            return right
        if isinstance(right, bool) or right is None:
            return int(bool(right))
        if isinstance(right, str):
            number = parse_number(right)
            if number is None:
                raise ValueError(right)
            if isinstance(left, int) and isinstance(number, float):
                return round(number)          # [int]'1.5' is 2 (banker's rounding)
            return number
        raise ValueError(right)
    if isinstance(left, _dt.datetime):
        if isinstance(right, _dt.datetime):
            return right
        parsed = dotnet_format.parse_datetime(right) if isinstance(right, str) else None
        if parsed is None:
            raise ValueError(right)
        return parsed
    if isinstance(left, _dt.timedelta):
        if isinstance(right, _dt.timedelta):
            return right
        raise ValueError(right)
    return right


def equals(a: Any, b: Any, case_sensitive: bool = False) -> bool:
    """PowerShell ``-eq`` on scalars: only ``$null`` equals ``$null``; the right side takes the left's type."""
    if a is None or b is None:
        return a is None and b is None
    try:
        converted = _convert_right(a, b)
    except ValueError:
        return False
    if isinstance(a, str):
        return a == converted if case_sensitive else a.lower() == converted.lower()
    if isinstance(a, (PSObject, PSHashtable, list)):
        return a is b
    if isinstance(a, _dt.datetime) and isinstance(converted, _dt.datetime):
        return _naive(a) == _naive(converted)
    try:
        return bool(a == converted)
    except TypeError:
        return False


def _naive(value: _dt.datetime) -> _dt.datetime:
    return value.astimezone().replace(tzinfo=None) if value.tzinfo else value


def _compare_null(other: Any) -> int:
    """How ``$null`` orders against ``other`` (LanguagePrimitives.CompareObjectToNull)."""
    if other is None:
        return 0
    if _is_number(other) or isinstance(other, bool):
        return 1 if other < 0 else -1
    return -1


def compare_values(a: Any, b: Any, case_sensitive: bool = False) -> int:
    """Order two values as Sort-Object does: -1, 0 or 1. Incomparable values fall back to text."""
    try:
        return _compare_strict(a, b, case_sensitive)
    except ValueError:
        return _compare_text(to_string(a), to_string(b), case_sensitive)


def _compare_strict(a: Any, b: Any, case_sensitive: bool) -> int:
    """Order like ``-lt``/``-gt``; raises ``ValueError`` when ``b`` cannot become ``a``'s type."""
    if a is None:
        return _compare_null(b)
    if b is None:
        return -_compare_null(a)
    converted = _convert_right(a, b)
    if isinstance(a, str):
        return _compare_text(a, converted, case_sensitive)
    if isinstance(a, _dt.datetime):
        a, converted = _naive(a), _naive(converted)
    if isinstance(a, (PSObject, PSHashtable, list)) or not _orderable(a, converted):
        raise ValueError(b)
    return (a > converted) - (a < converted)


def _orderable(a: Any, b: Any) -> bool:
    try:
        a < b  # noqa: B015 - probing whether Python can order them
        return True
    except TypeError:
        return False


def _culture_key(text: str) -> list[tuple[int, str]]:
    """Rough en-US culture order: punctuation and spaces < digits < letters, case ignored."""
    key = []
    for ch in text:
        folded = ch.casefold()
        rank = 2 if ch.isalpha() else (1 if ch.isdigit() else 0)
        key.append((rank, folded))
    return key


def _compare_text(a: str, b: str, case_sensitive: bool) -> int:
    ka, kb = _culture_key(a), _culture_key(b)
    if ka != kb:
        return -1 if ka < kb else 1
    if not case_sensitive or a == b:
        return 0
    for x, y in zip(a, b):     # culture order puts lower case before upper case
        if x != y:
            return -1 if x.islower() else 1
    return 0


def _comparison(op: str, left: Any, right: Any, cs: bool) -> bool:
    if op == "eq":
        return equals(left, right, cs)
    if op == "ne":
        return not equals(left, right, cs)
    try:
        result = _compare_strict(left, right, cs)
    except ValueError:
        raise _error(f'Could not compare "{to_string(left)}" to "{to_string(right)}". Error: "Cannot convert '
                     f'value "{to_string(right)}" to type "{type_name(left)}". Error: "Input string was not in '
                     f'a correct format.""', "ComparisonFailure", NOT_SPECIFIED, "ExtendedTypeSystemException")
    return {"gt": result > 0, "ge": result >= 0, "lt": result < 0, "le": result <= 0}[op]


def _filtering(test: Any) -> Any:
    """Make a scalar test a PowerShell operator: a list on the left filters its elements."""
    def run(left: Any, right: Any, cs: bool) -> Any:
        if isinstance(left, (list, tuple)):
            return [item for item in left if test(item, right, cs)]
        return test(left, right, cs)
    return run


# =============================================================================================
# Wildcards, regex and the string operators
# =============================================================================================

def wildcard_to_regex(pattern: str, case_sensitive: bool = False) -> re.Pattern:
    """Translate a PowerShell wildcard (``*``, ``?``, ``[a-z]``, backtick escapes) to an anchored regex."""
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "`" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise _error(f"The specified wildcard character pattern is not valid: {pattern}",
                             "RuntimeException", NOT_SPECIFIED, "WildcardPatternException")
            body = pattern[i + 1:end].replace("\\", "\\\\").replace("^", "\\^")
            out.append(f"[{body}]")
            i = end
        else:
            out.append(re.escape(ch))
        i += 1
    flags = re.DOTALL | (0 if case_sensitive else re.IGNORECASE)
    return re.compile("^" + "".join(out) + "$", flags)


def wildcard_match(pattern: str, text: str, case_sensitive: bool = False) -> bool:
    """``text -like pattern``."""
    return wildcard_to_regex(pattern, case_sensitive).match(text) is not None


# =============================================================================================
# .NET regular expressions on Python's re
# =============================================================================================

_NET_SYNTAX = re.compile(r"\\k<(\w+)>|\\[zZ]|\\.|\(\?<(?![=!])(\w+)>|\(\?'(\w+)'|\[(?:\\.|[^\]])*\]", re.S)


def _translate_net_regex(pattern: str) -> str:
    """Rewrite the .NET-only syntax (``(?<name>..)``, ``\\k<name>``, ``\\z``) into Python's."""
    def fix(m: re.Match) -> str:
        text = m.group(0)
        if m.group(1):
            return f"(?P={m.group(1)})"
        if text == "\\z":
            return "\\Z"
        if text == "\\Z":
            return "(?=\\n?\\Z)"
        if m.group(2) or m.group(3):
            return f"(?P<{m.group(2) or m.group(3)}>"
        return text
    return _NET_SYNTAX.sub(fix, pattern)


def compile_regex(pattern: str, ignore_case: bool = True, multiline: bool = False) -> re.Pattern:
    """Compile a .NET pattern; an invalid one is PowerShell's InvalidRegularExpression error."""
    flags = (re.IGNORECASE if ignore_case else 0) | (re.MULTILINE if multiline else 0)
    try:
        return re.compile(_translate_net_regex(pattern), flags)
    except (re.error, OverflowError):
        raise _error(f"The regular expression pattern {pattern} is not valid.", "InvalidRegularExpression",
                     target=pattern) from None


def expand_replacement(m: re.Match, replacement: str) -> str:
    """Expand .NET substitutions: ``$1``, ``${name}``, ``$0``/``$&``, ``$$``, ``$` ``, ``$'``, ``$+``, ``$_``."""
    out, i, n = [], 0, len(replacement)
    while i < n:
        ch = replacement[i]
        if ch != "$" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = replacement[i + 1]
        text, used = _substitution(m, replacement, i, nxt)
        out.append(text)
        i += used
    return "".join(out)


def _substitution(m: re.Match, replacement: str, i: int, nxt: str) -> tuple[str, int]:
    simple = {"$": "$", "&": m.group(0), "`": m.string[:m.start()], "'": m.string[m.end():],
              "_": m.string}
    if nxt in simple:
        return simple[nxt], 2
    if nxt == "+":
        last = m.lastindex
        return (m.group(last) or "") if last else "", 2
    groups = dict(net_groups(m.re))
    if nxt == "{":
        end = replacement.find("}", i + 2)
        name = replacement[i + 2:end] if end > 0 else ""
        key: Any = int(name) if name.isdigit() else name
        lookup = next((index for k, index in groups.items() if str(k).lower() == str(key).lower()), None)
        if end > 0 and lookup is not None:
            return m.group(lookup) or "", end - i + 1
        return "$", 1
    digits = re.match(r"\d+", replacement[i + 1:])
    if digits:
        text = digits.group(0)
        while text and int(text) not in groups:
            text = text[:-1]
        if text:
            return m.group(groups[int(text)]) or "", len(text) + 1
    return "$", 1



def _like(left: Any, right: Any, cs: bool) -> bool:
    return wildcard_match(to_string(right), to_string(left), cs)


def _regex(pattern: Any, cs: bool) -> re.Pattern:
    return compile_regex(to_string(pattern), ignore_case=not cs)


def match_op(left: Any, pattern: Any, negate: bool, case_sensitive: bool) -> tuple[Any, PSHashtable | None]:
    """``-match``/``-notmatch``: (result, new ``$Matches`` or ``None`` when it must stay unchanged).

    A collection on the left filters and leaves ``$Matches`` alone; a scalar that matches produces the
    table of groups (named groups first, then numbered groups from the highest, as PowerShell lists them).
    """
    regex = _regex(pattern, case_sensitive)
    if isinstance(left, (list, tuple)):
        return [item for item in left if (regex.search(to_string(item)) is None) == negate], None
    m = regex.search(to_string(left))
    if m is None:
        return negate, None
    return (not negate), (None if negate else matches_table(m))


def net_groups(regex: re.Pattern) -> list[tuple[Any, int]]:
    """.NET group keys in .NET order, each with its Python group index.

    .NET numbers unnamed groups first (1, 2, ...) and names the named ones, so in
    ``(?<first>\\w+) (\\w+)`` group 1 is the *second* parenthesis; Python numbers by position.
    """
    named = {index: name for name, index in regex.groupindex.items()}
    unnamed = [i for i in range(1, regex.groups + 1) if i not in named]
    return [(0, 0)] + [(n, i) for n, i in enumerate(unnamed, 1)] + sorted(
        ((name, i) for i, name in named.items()), key=lambda pair: pair[1])


def matches_table(m: re.Match) -> PSHashtable:
    """The ``$Matches`` hashtable: named groups first, then numbers from the highest (PowerShell's order)."""
    table = PSHashtable()
    keys = net_groups(m.re)
    for key, index in [k for k in keys if isinstance(k[0], str)] + sorted(
            (k for k in keys if isinstance(k[0], int)), key=lambda pair: -pair[0]):
        if m.group(index) is not None:
            table[key] = m.group(index)
    return table


def _replace(left: Any, right: Any, cs: bool) -> Any:
    parts = list(right) if isinstance(right, (list, tuple)) else [right]
    if len(parts) > 2:
        raise _error(f"The -replace operator allows only two elements to follow it, not {len(parts)}.",
                     "BadReplaceArgument")
    regex = _regex(parts[0], cs)
    replacement = to_string(parts[1]) if len(parts) == 2 else ""
    def one(value: Any) -> str:
        return regex.sub(lambda m: expand_replacement(m, replacement), to_string(value))
    if isinstance(left, (list, tuple)):
        return [one(item) for item in left]
    return one(left)


def _split(left: Any, right: Any, cs: bool) -> list[str]:
    parts = list(right) if isinstance(right, (list, tuple)) else [right]
    pattern = to_string(parts[0])
    limit = int(_operand_number(parts[1], "op_Split")) if len(parts) > 1 else 0
    options = to_string(parts[2]).lower() if len(parts) > 2 else ""
    if "simplematch" in options:
        pattern = re.escape(pattern)
    ignore = not cs or "ignorecase" in options
    regex = compile_regex(pattern, ignore_case=ignore, multiline="multiline" in options)
    out: list[str] = []
    for item in _as_list(left):
        pieces = regex.split(to_string(item), maxsplit=max(limit - 1, 0)) if limit != 1 else [to_string(item)]
        out.extend("" if p is None else p for p in pieces)
    return out


def _join(left: Any, right: Any, cs: bool) -> str:
    return to_string(right).join(to_string(v) for v in _as_list(left))


def _contains(left: Any, right: Any, cs: bool) -> bool:
    return any(equals(item, right, cs) for item in _as_list(left))


def _in(left: Any, right: Any, cs: bool) -> bool:
    return any(equals(item, left, cs) for item in _as_list(right))


# =============================================================================================
# Bitwise, type and format operators
# =============================================================================================

def _to_integer(value: Any, op: str) -> int:
    number = _operand_number(value, op)
    return round(number) if isinstance(number, float) else number


def _bitwise(fn: Any) -> Any:
    def run(left: Any, right: Any, cs: bool) -> int:
        return fn(_to_integer(left, "bitwise"), _to_integer(right, "bitwise"))
    return run


def _type_test(negate: bool) -> Any:
    def run(left: Any, right: Any, cs: bool) -> bool:
        from csshell.runtime.methods import resolve_type
        return resolve_type(right).is_instance(left) != negate
    return run


def _as(left: Any, right: Any, cs: bool) -> Any:
    from csshell.runtime.methods import resolve_type
    try:
        return resolve_type(right).convert(left)
    except PSError:
        return None


def format_operator(fmt: Any, args: Any) -> str:
    """``fmt -f args``: .NET composite formatting; a single array argument spreads into the list."""
    text = to_string(fmt)
    values = list(args) if isinstance(args, (list, tuple)) else [args]
    try:
        return dotnet_format.composite_format(text, values)
    except dotnet_format.FormatError as exc:
        raise _error(f"Error formatting a string: {exc}.", "FormatError", target=text) from None


def _logical(fn: Any) -> Any:
    def run(left: Any, right: Any, cs: bool) -> bool:
        return fn(to_bool(left), to_bool(right))
    return run


_WORD_OPERATORS = {
    **{name: _filtering(lambda a, b, cs, n=name: _comparison(n, a, b, cs))
       for name in ("eq", "ne", "gt", "ge", "lt", "le")},
    "like": _filtering(_like),
    "notlike": _filtering(lambda a, b, cs: not _like(a, b, cs)),
    "contains": _contains,
    "notcontains": lambda a, b, cs: not _contains(a, b, cs),
    "in": _in,
    "notin": lambda a, b, cs: not _in(a, b, cs),
    "replace": _replace,
    "split": _split,
    "join": _join,
    "is": _type_test(False),
    "isnot": _type_test(True),
    "as": _as,
    "f": lambda a, b, cs: format_operator(a, b),
    "band": _bitwise(lambda a, b: a & b),
    "bor": _bitwise(lambda a, b: a | b),
    "bxor": _bitwise(lambda a, b: a ^ b),
    "shl": _bitwise(lambda a, b: _widen(a << (b & 63))),
    "shr": _bitwise(lambda a, b: a >> (b & 63)),
    "and": _logical(lambda a, b: a and b),
    "or": _logical(lambda a, b: a or b),
    "xor": _logical(lambda a, b: a != b),
}

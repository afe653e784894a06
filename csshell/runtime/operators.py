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

The patterns themselves (.NET regular expressions, PowerShell wildcards) are compiled in ``regex.py``.

Errors raise :class:`PSError` with PowerShell's wording and FullyQualifiedErrorId.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Callable

from csshell.runtime import dotnet_format
from csshell.runtime.dotnet_types import resolve_type
from csshell.runtime.dotnet_types import runtime_error as _error     # one builder for every runtime error record
from csshell.runtime.errors import INVALID_ARGUMENT, NOT_SPECIFIED, PSError
# compile_regex, matches_table and the wildcard functions are re-exported: statements.py (switch -Regex,
# -Wildcard) and the cmdlets reach them through this module.
from csshell.runtime.regex import (compile_regex, expand_replacement, matches_table,  # noqa: F401
                                   split_options, split_regex, wildcard_match, wildcard_to_regex)
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, parse_number, to_bool, to_number,
                                    to_string, type_name)

INT32 = (-2**31, 2**31 - 1)
INT64 = (-2**63, 2**63 - 1)
DECIMAL_MAX = 79228162514264337593543950335

COMPARISONS = {"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
               "contains", "notcontains", "in", "notin", "replace", "split"}
_CASELESS = {"join", "is", "isnot", "as", "f", "band", "bor", "bxor", "shl", "shr", "and", "or", "xor"}


# =============================================================================================
# Errors
# =============================================================================================

def _missing_operator(left: Any, method: str) -> PSError:
    return _error(f"Method invocation failed because [{type_name(left)}] does not contain a method "
                  f"named '{method}'.", "MethodNotFound")


def cast_error(value: Any, target: str, detail: str = "Input string was not in a correct format.") -> PSError:
    """``Cannot convert value "a" to type "System.Int32". Error: "..."`` (InvalidCastFromStringToInteger)."""
    return _error(f'Cannot convert value "{to_string(value)}" to type "{target}". Error: "{detail}"',
                  "InvalidCastFromStringToInteger", INVALID_ARGUMENT)


def too_large(value: Any, target: str, article: str, error_id: str = "InvalidCastIConvertible") -> PSError:
    """``Cannot convert value "1E+300" to type "System.Int32". Error: "Value was either too large ..."``."""
    return _error(f'Cannot convert value "{to_string(value)}" to type "{target}". Error: "Value was either too '
                  f'large or too small for {article}."', error_id, INVALID_ARGUMENT)


def decimal_overflow() -> PSError:
    """Decimal arithmetic that overflows: 5.1's DecimalOps rethrow the OverflowException as a RuntimeException."""
    err = _error("Value was either too large or too small for a Decimal.", "RuntimeException", NOT_SPECIFIED)
    err.record.inner_exception_type = "System.OverflowException"
    return err


def divide_by_zero() -> PSError:
    """As in PowerShell: a RuntimeException whose InnerException is the DivideByZeroException."""
    err = _error("Attempted to divide by zero.", "RuntimeException", NOT_SPECIFIED)
    err.record.inner_exception_type = "System.DivideByZeroException"
    return err


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


def binary_function(op: str) -> Callable[[Any, Any], Any] | None:
    """``binary_op`` with the operator looked up once: ``f(left, right)``; ``None`` for ``-match``/``-notmatch``
    (they also set ``$Matches``) and for operators that do not exist. Compiled script blocks use it."""
    if op in _ARITHMETIC:
        return _ARITHMETIC[op]
    name, cs = split_operator(op)
    handler = _WORD_OPERATORS.get(name)
    if handler is None or name in ("match", "notmatch"):
        return None
    return lambda left, right: handler(left, right, cs)


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
        return _integer_result(0, number, -number) if low == "-" else number
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


def _integer_result(a: int | float, b: int | float, result: int | float) -> int | float:
    """The type 5.1 gives ``a op b`` for integers: the wider operand's type, widened on overflow.

    Int32 and Int64 overflow to Double (``IntOps``/``LongOps``: ``[int]::MaxValue + 1`` is a
    Double); a Decimal stays Decimal and overflows with an error (``DecimalOps``). Types are
    read from magnitudes, the only thing a Python int carries.
    """
    if not isinstance(result, int):
        return result
    width = max(_integer_width(a), _integer_width(b))
    if width == 32:
        return result if INT32[0] <= result <= INT32[1] else float(result)
    if width == 64:
        return result if INT64[0] <= result <= INT64[1] else float(result)
    if abs(result) > DECIMAL_MAX:
        raise decimal_overflow()
    return result


def _integer_width(value: int | float) -> int:
    """32, 64 or 128 (an integral Decimal) bits for an integer; floats do not reach here with an int result."""
    if INT32[0] <= value <= INT32[1]:
        return 32
    return 64 if INT64[0] <= value <= INT64[1] else 128


def _operand_number(value: Any, method: str) -> int | float:
    """The number an operand stands for; strings are parsed, anything else has no such operator.

    A string too large for any number type fails as 5.1's fallback conversion to Int32 does.
    """
    number = to_number(value)
    if number is not None:
        if isinstance(value, str) and math.isinf(number):
            raise too_large(value, "System.Int32", "an Int32", "InvalidCastFromStringToInteger")
        return number
    if isinstance(value, str):
        raise cast_error(value, "System.Int32")
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
    a, b = _operand_number(left, "op_Addition"), _operand_number(right, "op_Addition")
    return _integer_result(a, b, a + b)


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
    a, b = _operand_number(left, "op_Subtraction"), _operand_number(right, "op_Subtraction")
    return _integer_result(a, b, a - b)


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
    a, b = _operand_number(left, "op_Multiply"), _operand_number(right, "op_Multiply")
    return _integer_result(a, b, a * b)


def _repeat_count(value: Any) -> int:
    """``"ab" * n``: n converts to Int32, so a larger count is an error, not a giant string."""
    number = _operand_number(value, "op_Multiply")
    if isinstance(number, float):
        if not math.isfinite(number):
            raise too_large(value, "System.Int32", "an Int32")
        number = round(number)
    if not INT32[0] <= number <= INT32[1]:
        raise too_large(value, "System.Int32", "an Int32")
    return max(0, number)


def divide(left: Any, right: Any) -> Any:
    """``/``: an exact integer quotient stays an integer, otherwise a double (``7/2`` is 3.5)."""
    a = _operand_number(left, "op_Division")
    b = _operand_number(right, "op_Division")
    if b == 0:
        if isinstance(a, int) and isinstance(b, int):
            raise divide_by_zero()
        return math.nan if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b)
    if isinstance(a, int) and isinstance(b, int):
        return _integer_result(a, b, a // b) if a % b == 0 else a / b
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
                if not math.isfinite(number):
                    raise ValueError(right)   # too large for the left operand's integer type
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
# Pattern and string operators (the patterns themselves are compiled in regex.py)
# =============================================================================================

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
    """``left -split pattern[, count[, options]]``; a negative count means "all" in 5.1 (7.x splits from the right)."""
    parts = list(right) if isinstance(right, (list, tuple)) else [right]
    if isinstance(parts[0], ScriptBlock):
        raise _error("-split with a script-block delimiter is not supported yet.", "BadOperatorArgument")
    limit = max(_split_limit(parts), 0)
    options = split_options(parts[2]) if len(parts) > 2 and parts[2] not in (None, "") else set()
    if not cs:
        options.add("ignorecase")
    regex = split_regex(to_string(parts[0]), options)
    out: list[str] = []
    for item in _as_list(left):
        pieces = regex.split(to_string(item), maxsplit=max(limit - 1, 0)) if limit != 1 else [to_string(item)]
        out.extend("" if p is None else p for p in pieces)
    return out


def _split_limit(parts: list[Any]) -> int:
    return int(_operand_number(parts[1], "op_Split")) if len(parts) > 1 else 0


def split_uses_predicate(right: Any) -> bool:
    """True for ``-split {script block}[, count]``, which the evaluator runs through :func:`split_by_predicate`."""
    first = right[0] if isinstance(right, (list, tuple)) and right else right
    return isinstance(first, ScriptBlock)


def split_by_predicate(left: Any, right: Any, is_delimiter: Callable[[ScriptBlock, str, str, int], Any]) -> list[str]:
    """``-split {$_ -eq "b"}, count``: every character for which the block is true ends a piece.

    ``is_delimiter(block, char, text, index)`` runs the block with ``$_`` = the character and ``$args`` =
    (text, index), as 5.1's SplitWithPredicate does; options are not allowed with a block.
    """
    parts = list(right) if isinstance(right, (list, tuple)) else [right]
    if len(parts) > 2 and parts[2] not in (None, ""):
        raise _error("Cannot use the specified option with a script block delimiter.",
                     "InvalidSplitOptionWithPredicate")
    block, limit = parts[0], _split_limit(parts)
    out: list[str] = []
    for item in _as_list(left):
        text = to_string(item)
        out.extend([text] if limit == 1 else _pieces_by_predicate(text, limit, lambda c, i: to_bool(
            is_delimiter(block, c, text, i))))
    return out


def _pieces_by_predicate(text: str, limit: int, is_delimiter: Callable[[str, int], bool]) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    for i, char in enumerate(text):
        if not is_delimiter(char, i):
            current.append(char)
            continue
        pieces.append("".join(current))
        current = []
        if limit > 0 and len(pieces) >= limit - 1:
            pieces.append(text[i + 1:])
            return pieces
        if i == len(text) - 1:
            pieces.append("")
    if current and (limit <= 0 or len(pieces) < limit):
        pieces.append("".join(current))
    return pieces


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
    """A bitwise operand: an integer of at most 64 bits (Infinity or 1E+300 do not convert)."""
    number = _operand_number(value, op)
    if isinstance(number, float):
        if not math.isfinite(number):
            raise too_large(value, "System.Int64", "an Int64")
        number = round(number)
    if not INT64[0] <= number <= 2**64 - 1:
        raise too_large(value, "System.Int64", "an Int64")
    return number


def _bitwise(fn: Any) -> Any:
    def run(left: Any, right: Any, cs: bool) -> int:
        return fn(_to_integer(left, "bitwise"), _to_integer(right, "bitwise"))
    return run


def _type_test(negate: bool) -> Any:
    def run(left: Any, right: Any, cs: bool) -> bool:
        return resolve_type(right).is_instance(left) != negate
    return run


def _as(left: Any, right: Any, cs: bool) -> Any:
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

"""ConvertTo-Json and ConvertFrom-Json with Windows PowerShell 5.1's output and quirks.

5.1 serializes with .NET's JavaScriptSerializer and then re-indents the text itself, which gives its
recognisable layout: four spaces per level, two spaces after each colon, and nested objects and arrays
indented under the column of their opening bracket; empty ones print on three lines. Dates are
``"\\/Date(ms)\\/"`` (milliseconds since 1970 UTC); ``<``, ``>``, ``&`` and ``'`` are escaped as
``\\u003c``...; objects deeper than ``-Depth`` (default 2) become their ``ToString()`` text.
ConvertFrom-Json writes a JSON array as ONE object (5.1 does not enumerate it) and turns
``"\\/Date(ms)\\/"`` strings back into dates (shown in UTC, as 5.1 does). Line ends are ``\\n``.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
import math
import re
from typing import Any

from cmdlets.object_properties import record_for, was_bound
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.jsondepth import MAX_DEPTH, too_deep
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock, to_string

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_DATE_STRING = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"}
_COMMANDS = "Microsoft.PowerShell.Commands."


class JsonValue:
    """An already-serialized scalar (a number, ``true``, a quoted string) inside the value tree."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


# ---------------------------------------------------------------------------------------------
# Values → a tree of dict / list / JsonValue (ProcessValue in 5.1)
# ---------------------------------------------------------------------------------------------

def quote(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def date_text(value: _dt.datetime) -> str:
    """``\\/Date(ms)\\/``; naive dates are local time, as the emulator's dates are."""
    aware = value if value.tzinfo else value.astimezone()
    ms = int((aware - _EPOCH).total_seconds() * 1000)
    return f'"\\/Date({ms})\\/"'


def to_tree(value: Any, depth: int, max_depth: int) -> Any:
    """The JSON shape of ``value`` at nesting ``depth`` (0 = the input object itself)."""
    if value is None:
        return JsonValue("null")
    if isinstance(value, bool):
        return JsonValue("true" if value else "false")
    if isinstance(value, (int, float)):
        return JsonValue(_number(value))
    if isinstance(value, str):
        return JsonValue(quote(value))
    if isinstance(value, _dt.datetime):
        return JsonValue(date_text(value))
    if depth > max_depth:
        return JsonValue(quote(to_string(value)))
    if isinstance(value, (PSHashtable, dict)):
        return {to_string(k): to_tree(value[k], depth + 1, max_depth) for k in value}
    if isinstance(value, PSObject):
        return {name: to_tree(item, depth + 1, max_depth) for name, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_tree(item, depth + 1, max_depth) for item in value]
    if isinstance(value, _dt.timedelta):
        return _timespan(value)
    if isinstance(value, ScriptBlock):
        return JsonValue(quote(value.text))
    return JsonValue(quote(to_string(value)))


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    if math.isnan(value) or math.isinf(value):
        return quote(to_string(value))
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(value).replace("e", "E")


def _timespan(value: _dt.timedelta) -> dict[str, Any]:
    total = value.total_seconds()
    ticks = round(total * 10_000_000)
    whole = int(total)
    return {"Ticks": JsonValue(str(ticks)), "Days": JsonValue(str(int(total / 86400))),
            "Hours": JsonValue(str(int(total / 3600) % 24)), "Milliseconds": JsonValue(str(value.microseconds // 1000)),
            "Minutes": JsonValue(str((whole // 60) % 60)), "Seconds": JsonValue(str(whole % 60)),
            "TotalDays": JsonValue(_number(total / 86400)), "TotalHours": JsonValue(_number(total / 3600)),
            "TotalMilliseconds": JsonValue(_number(total * 1000)), "TotalMinutes": JsonValue(_number(total / 60)),
            "TotalSeconds": JsonValue(_number(total))}


# ---------------------------------------------------------------------------------------------
# Tree → text
# ---------------------------------------------------------------------------------------------

def compact(tree: Any) -> str:
    if isinstance(tree, JsonValue):
        return tree.text
    if isinstance(tree, dict):
        return "{" + ",".join(f"{quote(k)}:{compact(v)}" for k, v in tree.items()) + "}"
    return "[" + ",".join(compact(v) for v in tree) + "]"


def pretty(tree: Any, pad: str = "") -> str:
    """5.1's layout: children at ``pad`` + 4 spaces, closing bracket at ``pad`` (the opening one's column)."""
    if isinstance(tree, JsonValue):
        return tree.text
    inner = pad + "    "
    if isinstance(tree, dict):
        opening, closing = "{", "}"
        items = []
        for key, value in tree.items():
            head = f"{inner}{quote(key)}:  "
            items.append(head + pretty(value, " " * len(head)))
    else:
        opening, closing = "[", "]"
        items = [inner + pretty(value, inner) for value in tree]
    if not items:
        return f"{opening}\n\n{pad}{closing}"
    return opening + "\n" + ",\n".join(items) + "\n" + pad + closing


def convert_to_json(value: Any, depth: int = 2, compress: bool = False) -> str:
    tree = to_tree(value, 0, depth)
    return compact(tree) if compress else pretty(tree)


@cmdlet("ConvertTo-Json", class_name=_COMMANDS + "ConvertToJsonCommand",
        synopsis="Converts an object to a JSON-formatted string.",
        description="Serializes the input the way Windows PowerShell 5.1 does. Several piped objects become one "
                    "JSON array; properties nested deeper than -Depth become their text.",
        examples=[("Get-CsClientPinInfo \"Ken Myer\" | ConvertTo-Json", "The PIN state of one user as JSON."),
                  ("Get-CsUser | Select-Object DisplayName, SipAddress | ConvertTo-Json -Compress",
                   "Every user on one line.")])
class ConvertToJson(Cmdlet):
    """``ConvertTo-Json``: collects the input; writes one string at the end."""

    InputObject = Parameter("object", position=0, mandatory=True, from_pipeline=True, allow_null=True,
                            help="The objects to convert.")
    Depth = Parameter("int", default=2, help="How many levels of contained objects are serialized (default 2).")
    Compress = Parameter("switch", help="Omits white space and indentation.")

    def begin(self, ctx: CommandContext) -> None:
        self.collected: list[Any] = []
        if self.Depth is not None and not 1 <= self.Depth <= 100:
            bound = "less than the minimum allowed range of 1" if self.Depth < 1 else \
                "greater than the maximum allowed range of 100"
            ctx.throw_error(record_for(self, f"Cannot validate argument on parameter 'Depth'. The {self.Depth} "
                                             f"argument is {bound}. Supply an argument that is "
                                             f"{'greater' if self.Depth < 1 else 'less'} than or equal to "
                                             f"{1 if self.Depth < 1 else 100} and then try the command again.",
                                       "ParameterArgumentValidationError", "InvalidData",
                                       reason="ParameterBindingValidationException"))

    def process(self, ctx: CommandContext) -> None:
        if was_bound(self, "InputObject"):
            self.collected.append(self.InputObject)

    def end(self, ctx: CommandContext) -> None:
        if not self.collected:
            return
        value = self.collected[0] if len(self.collected) == 1 else self.collected
        ctx.write_object(convert_to_json(value, self.Depth if self.Depth is not None else 2, bool(self.Compress)))


# ---------------------------------------------------------------------------------------------
# ConvertFrom-Json
# ---------------------------------------------------------------------------------------------

def from_python(value: Any) -> Any:
    """Parsed JSON → PowerShell values: objects are PSCustomObjects, arrays lists, date strings dates."""
    if isinstance(value, dict):
        return PSObject([(k, from_python(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [from_python(v) for v in value]
    if isinstance(value, str):
        match = _DATE_STRING.match(value)
        if match:
            return _EPOCH.replace(tzinfo=None) + _dt.timedelta(milliseconds=int(match.group(1)))
    return value


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    return dict(pairs)


def parse_json(text: str) -> Any:
    """Parse JSON text; raises ``ValueError`` with 5.1's JavaScriptSerializer wording."""
    stripped = text.strip()
    if not stripped:
        return None
    if too_deep(stripped, MAX_DEPTH) is not None:      # 5.1's JavaScriptSerializer.RecursionLimit
        raise ValueError("RecursionLimit exceeded.")
    try:
        return from_python(_json.loads(stripped, object_pairs_hook=_pairs))
    except _json.JSONDecodeError as exc:
        if exc.msg == "Expecting value" and exc.pos < len(stripped):
            token = re.match(r"[^\s,:\]}]+", stripped[exc.pos:])
            raise ValueError(f"Invalid JSON primitive: {token.group(0) if token else stripped[exc.pos]}.") from None
        raise ValueError(f"Invalid object passed in, ':' or '}}' expected. ({exc.pos}): {stripped}") from None


@cmdlet("ConvertFrom-Json", class_name=_COMMANDS + "ConvertFromJsonCommand",
        synopsis="Converts a JSON-formatted string to a custom object.",
        description="Each JSON object becomes a PSCustomObject with one NoteProperty per key. A JSON array is "
                    "written as one object (an array), as in Windows PowerShell 5.1; pipe it on or wrap the "
                    "call in parentheses to enumerate it. Several piped lines are joined into one text when the "
                    "first one is not complete JSON (Get-Content without -Raw).",
        examples=[("Get-Content .\\users.json -Raw | ConvertFrom-Json", "Reads a JSON file into objects."),
                  ("'{\"DisplayName\":\"Ken Myer\"}' | ConvertFrom-Json", "One object with a DisplayName property.")])
class ConvertFromJson(Cmdlet):
    """``ConvertFrom-Json``: buffers its input and converts it at the end, as 5.1 does."""

    InputObject = Parameter("string", position=0, mandatory=True, from_pipeline=True, allow_null=True,
                            help="The JSON text.")

    def begin(self, ctx: CommandContext) -> None:
        self.buffer: list[str] = []

    def process(self, ctx: CommandContext) -> None:
        if was_bound(self, "InputObject") and self.InputObject is not None:
            self.buffer.append(to_string(self.InputObject))

    def end(self, ctx: CommandContext) -> None:
        if not self.buffer:
            return
        if len(self.buffer) == 1:
            self._convert(ctx, self.buffer[0])
            return
        try:
            first = parse_json(self.buffer[0])
        except ValueError:
            self._convert(ctx, "\n".join(self.buffer))
            return
        ctx.write_object(first)
        for text in self.buffer[1:]:
            self._convert(ctx, text)

    def _convert(self, ctx: CommandContext, text: str) -> None:
        try:
            value = parse_json(text)
        except ValueError as exc:
            ctx.throw_error(record_for(self, str(exc), "System.ArgumentException", "NotSpecified",
                                       reason="ArgumentException"))
            return
        ctx.write_object(value)

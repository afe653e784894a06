"""The object wire format of remote sessions: PowerShell values and error records as JSON lines.

Both ends of the ``csshell-objects`` SSH subsystem use this module: the server serializes what a
remote pipeline outputs, the client deserializes it (and the server deserializes ``-ArgumentList``
values the same way). It plays the part of PowerShell's CLIXML serializer, with its rules:

* primitive values round-trip exactly: ``$null``, booleans, integers, doubles (NaN and infinities
  too), strings, DateTime, TimeSpan and Guid;
* arrays stay arrays, hashtables stay hashtables (``[ordered]`` ones stay ordered);
* an object becomes a *property bag*: its properties are copied as a snapshot and its type names
  get the ``Deserialized.`` prefix (``Deserialized.Microsoft.Rtc.Management.ADConnect.Schema.OCSUserOrAppContact``);
  its ``ToString()`` text and display property set travel with it. As with PowerShell's default
  serialization depth of 1, an object *inside* an object's property arrives as its ``ToString()`` text;
* a script block arrives as its text (PowerShell deserializes script blocks to strings), Format-Table
  output as its text, a SecureString as a SecureString (the SSH channel encrypts it);
* error records keep message, error id, category, target, reason and activity.

Every JSON object on the wire is a *tagged* value (``{"$t": "datetime", ...}``), so a plain JSON
string is always a PowerShell string. One message is one line: ``encode_message`` / ``decode_message``.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import uuid
from typing import Any

from csshell.jsondepth import MAX_DEPTH, too_deep
from csshell.runtime.errors import ErrorRecord
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock, to_string, type_name

SUBSYSTEM = "csshell-objects"       # the SSH subsystem that speaks this protocol (object_channel.py, client.py)
PROTOCOL_VERSION = 1
DESERIALIZED = "Deserialized."
PSCUSTOMOBJECT = "System.Management.Automation.PSCustomObject"
OBJECT_DEPTH = 1          # PowerShell's default serialization depth: an object's own properties, no deeper
TAG = "$t"


class WireError(ValueError):
    """A line that is not a message of this protocol (a broken or hostile peer)."""


# --- messages ---------------------------------------------------------------------------------

def encode_message(message: dict[str, Any]) -> str:
    """One protocol message as one line of JSON (values inside must already be encoded)."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def decode_message(line: str) -> dict[str, Any]:
    """The message on one line; :class:`WireError` for anything else.

    Nesting deeper than :data:`~csshell.jsondepth.MAX_DEPTH` is refused before parsing: json's C decoder
    recurses on the C stack and, under the engine's raised recursion limit, would crash the process (a
    hostile client must not take the server down, nor a hostile server the client)."""
    if too_deep(line) is not None:
        raise WireError(f"the message nests deeper than {MAX_DEPTH} levels")
    try:
        message = json.loads(line)
    except (ValueError, RecursionError) as exc:
        raise WireError(f"not a JSON message: {exc}") from None
    if not isinstance(message, dict):
        raise WireError("a message must be a JSON object")
    return message


# --- values: to the wire ---------------------------------------------------------------------

def encode_value(value: Any, level: int = 0) -> Any:
    """A PowerShell value as JSON data; ``level`` counts the objects around it (see OBJECT_DEPTH)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {TAG: "double", "v": repr(value)}
    if isinstance(value, _dt.datetime):
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, _dt.timedelta):
        return {TAG: "timespan", "us": (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds}
    if isinstance(value, ErrorRecord):
        return encode_error(value)
    if isinstance(value, (list, tuple)):
        return [encode_value(item, level) for item in value]
    if isinstance(value, (PSHashtable, dict)):
        return {TAG: "hashtable", "ordered": bool(getattr(value, "ordered", False)),
                "items": [[encode_value(k, level + 1), encode_value(v, level + 1)] for k, v in value.items()]}
    if isinstance(value, PSObject):
        return _encode_object(value, level)
    return _encode_other(value)


def _encode_object(obj: PSObject, level: int) -> Any:
    if level >= OBJECT_DEPTH:
        return to_string(obj)
    return {TAG: "object", "types": list(obj.type_names),
            "props": [[name, encode_value(value, level + 1)] for name, value in obj.items()],
            "display": list(obj.display) if obj.display else None, "tostring": obj.tostring}


def _encode_other(value: Any) -> Any:
    """Values modelled by their own classes: Guid, SecureString, Format-* output; anything else as text."""
    kind = type_name(value)
    if kind == "System.Guid":
        return {TAG: "guid", "v": str(value)}
    if kind == "System.Security.SecureString" and hasattr(value, "reveal"):
        return {TAG: "securestring", "v": value.reveal()}
    if type(value).__name__ == "FormattedText":
        return {TAG: "formatted", "text": str(value)}
    if isinstance(value, ScriptBlock):
        return value.text
    return to_string(value)


def encode_error(record: ErrorRecord) -> dict[str, Any]:
    """An error record as the client needs it to show and handle it."""
    activity = record.activity if record.activity is not None else (record.command_name or "")
    target_type = record.target_type
    if target_type is None and record.target is not None:
        target_type = type_name(record.target).rsplit(".", 1)[-1]
    return {TAG: "error", "message": record.message, "id": record.error_id, "class": record.command_class,
            "category": record.category, "target": encode_value(record.target, OBJECT_DEPTH),
            "target_type": target_type, "reason": record.reason, "activity": activity,
            "exception": record.exception_full_name}


# --- values: from the wire -------------------------------------------------------------------

def decode_value(data: Any) -> Any:
    """A value sent with :func:`encode_value`, rehydrated (objects as ``Deserialized.`` property bags)."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode_value(item) for item in data]
    if not isinstance(data, dict):
        raise WireError(f"unexpected value {data!r}")
    decoder = _DECODERS.get(str(data.get(TAG)))
    if decoder is None:
        raise WireError(f"unknown value tag {data.get(TAG)!r}")
    try:
        return decoder(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise WireError(f"malformed {data.get(TAG)} value: {exc}") from None


def _decode_object(data: dict[str, Any]) -> PSObject:
    types = [t if t.startswith(DESERIALIZED) else DESERIALIZED + t for t in data.get("types") or [PSCUSTOMOBJECT]]
    props = [(str(name), decode_value(value)) for name, value in data["props"]]
    display = data.get("display")
    return PSObject(props, types, list(display) if display else None, data.get("tostring"))


def _decode_hashtable(data: dict[str, Any]) -> PSHashtable:
    return PSHashtable(((decode_value(k), decode_value(v)) for k, v in data["items"]), ordered=bool(data["ordered"]))


def _decode_guid(data: dict[str, Any]) -> Any:
    from csshell.runtime.dotnet_types import Guid
    return Guid(uuid.UUID(data["v"]))


def _decode_secure(data: dict[str, Any]) -> Any:
    from cmdlets.host_io import SecureString
    return SecureString(str(data["v"]))


def _decode_formatted(data: dict[str, Any]) -> Any:
    from csshell.runtime.formatting import FormattedText
    return FormattedText(str(data["text"]))


def decode_error(data: dict[str, Any], computer_name: str | None = None) -> ErrorRecord:
    """An error record from the wire. It has no invocation of its own on this side (no ``Cmd :`` prefix, no
    position), its FullyQualifiedErrorId is complete (``command_class`` is ``""`` when the remote one had
    none, so no local command adds its own), and it names the computer it came from."""
    try:
        return ErrorRecord(str(data["message"]), str(data["id"]), str(data["category"]),
                           target=decode_value(data.get("target")), target_type=data.get("target_type"),
                           reason=str(data["reason"]), command_class=data.get("class") or "",
                           activity=str(data.get("activity") or ""),
                           exception_type="System.Management.Automation.RemoteException",
                           computer_name=computer_name)
    except (KeyError, TypeError, AttributeError) as exc:
        raise WireError(f"malformed error record: {exc!r}") from None


_DECODERS = {
    "double": lambda d: float(d["v"]),
    "datetime": lambda d: _dt.datetime.fromisoformat(d["v"]),
    "timespan": lambda d: _dt.timedelta(microseconds=int(d["us"])),
    "guid": _decode_guid,
    "securestring": _decode_secure,
    "formatted": _decode_formatted,
    "hashtable": _decode_hashtable,
    "object": _decode_object,
    "error": decode_error,
}


# --- what the client adds -------------------------------------------------------------------

def with_origin(value: Any, computer_name: str, runspace_id: Any, show_computer_name: bool = True) -> Any:
    """What Invoke-Command adds to each remote result: PSComputerName, RunspaceId and PSShowComputerName
    note properties on objects; the origin computer on error records. Other values are returned as they are
    (a string cannot carry note properties here; see docs/remote.md)."""
    if isinstance(value, PSObject):
        value.set("PSComputerName", computer_name)
        value.set("RunspaceId", runspace_id)
        value.set("PSShowComputerName", show_computer_name)
    elif isinstance(value, ErrorRecord):
        value.computer_name = computer_name
    return value

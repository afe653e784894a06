"""The list view: what ``Format-List`` and Out-Default print for objects with ≥ 5 properties.

Each object is a block of ``Name : value`` lines, names padded to the longest name of that object,
followed by one blank line. A whole list starts with two blank lines (format start + group start)
and ends with two more (group end + format end), per the 5.1 ``OutCommandInner`` (verify-ps51 §5).
Values too long for the console continue on the next lines, indented under the value column, as do
values that contain line breaks.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.format_groups import group_header, group_runs
from csshell.runtime.format_properties import (DEFAULT_ENUMERATION_LIMIT, PropertySpec, default_specs,
                                               format_items, expand_properties, is_scalar,
                                               parse_property_items, LIST_KEYS)
from csshell.runtime.values import to_string

LIST_START = "\n\n"     # format start + group start
LIST_END = "\n\n"       # group end + format end
MIN_VALUE_WIDTH = 10    # below this, long values are not wrapped (they would be unreadable)


def render_list(objects: Any, properties: list[Any] | None = None, ctx: Any = None, width: int = 120,
                limit: int = DEFAULT_ENUMERATION_LIMIT, group_by: PropertySpec | None = None) -> str:
    """The whole list text, framed by its blank lines; ``''`` when there is nothing to show.

    ``properties`` are ``-Property`` items; ``*`` (or any wildcard) is expanded per object, so
    objects of different types each show their own properties. ``group_by`` splits the objects
    into groups, each under its own header (format_groups.py). Raises ``PSError`` for bad items.
    """
    items = format_items(objects)
    if not items:
        return ""
    parsed = parse_property_items(list(properties), LIST_KEYS) if properties is not None else None
    body = []
    for item in items:
        if is_scalar(item) and parsed is None:
            body.append(to_string(item) + "\n")
            continue
        specs = expand_properties(parsed, item) if parsed is not None else default_specs(item)
        body.append(list_entry(item, specs, ctx, width, limit))
    if group_by is None:
        return LIST_START + "".join(body) + LIST_END
    text = "\n"                                   # format start; each group: header, group start, end
    for key, members in group_runs(items, lambda item: group_by.value(item, ctx)):
        text += group_header(group_by, key, limit) + "\n" + "".join(body[i] for i in members) + "\n"
    return text + "\n"


def list_entry(obj: Any, specs: list[PropertySpec], ctx: Any = None, width: int = 120,
               limit: int = DEFAULT_ENUMERATION_LIMIT) -> str:
    """One object's ``Name : value`` lines and the blank line after them ('' without properties)."""
    if not specs:
        return ""
    label_width = max(len(spec.label) for spec in specs)
    lines: list[str] = []
    for spec in specs:
        lines.extend(_entry_lines(spec.label.ljust(label_width) + " : ", spec.text(obj, ctx, limit), width))
    return "".join(line + "\n" for line in lines) + "\n"


def _entry_lines(prefix: str, value: str, width: int) -> list[str]:
    """``prefix + value``, broken at line breaks and at the console edge, continuations indented."""
    indent = " " * len(prefix)
    room = width - 1 - len(prefix)
    chunks: list[str] = []
    for part in value.replace("\r", "").split("\n"):
        if room >= MIN_VALUE_WIDTH and len(part) > room:
            chunks.extend(part[i:i + room] for i in range(0, len(part), room))
        else:
            chunks.append(part)
    return [(prefix if n == 0 else indent) + chunk for n, chunk in enumerate(chunks)]

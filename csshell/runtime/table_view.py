"""The table view: what ``Format-Table`` and Out-Default print for objects with ≤ 4 properties.

Layout (Windows PowerShell 5.1): one blank line, the header, a line of dashes as long as each
header, the rows, then two blank lines (``OutCommandInner``: format start, group end, format end;
see verify-ps51 §5). Every column is as wide as its header or its widest cell, columns are separated
by one space, numbers are right-aligned (their header and dashes too), the last column is not
padded, and a table wider than the console is narrowed with ``...`` marking cut text.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from csshell.runtime.format_groups import group_header, group_runs
from csshell.runtime.format_properties import (DEFAULT_ENUMERATION_LIMIT, DICTIONARY_ENTRY, PropertySpec,
                                               default_specs, format_items, expand_properties,
                                               is_right_aligned, is_scalar, parse_property_items)
from csshell.runtime.values import PSObject, to_string

HASHTABLE_NAME_WIDTH = 30      # the Name column of PowerShell's DictionaryEntry table view
MIN_COLUMN_WIDTH = 4           # narrowest a column gets before columns are dropped ("a...")
ELLIPSIS = "..."


@dataclass
class Column:
    """A laid-out column: its spec, width and alignment."""
    spec: PropertySpec
    width: int
    align: str


def render_table(objects: Any, properties: list[Any] | None = None, autosize: bool = False, width: int = 120,
                 hide_headers: bool = False, ctx: Any = None, wrap: bool = False,
                 limit: int = DEFAULT_ENUMERATION_LIMIT, group_by: PropertySpec | None = None) -> str:
    """The whole table text, framed by its blank lines; ``''`` when there is nothing to show.

    ``properties`` are ``-Property`` items (names, wildcards, script blocks, calculated-property
    hashtables) and are expanded against the first object; without them the first object's display
    properties are used. ``autosize`` is accepted for symmetry: widths are always measured from all
    rows (what 5.1 does for the rows it buffers). ``group_by`` splits the rows into groups
    (format_groups.py), each under its own header, the columns shared. Raises ``PSError`` for
    invalid ``properties``.
    """
    items = format_items(objects)
    if not items:
        return ""
    specs = _specs_for(items, properties)
    head: list[str] = []
    if not specs:
        rows = [[to_string(item)] for item in items]
    else:
        values = [_row_values(item, specs, ctx, properties is not None) for item in items]
        cells = [row if isinstance(row, str) else [s.render(v, limit) for s, v in zip(specs, row)]
                 for row in values]
        columns = _layout(specs, values, cells, width)
        if not hide_headers:
            head.append(_join([_fit(c.spec.label, c) for c in columns]))
            head.append(_join([_fit("-" * min(len(c.spec.label), c.width), c) for c in columns]))
        rows = [[row] if isinstance(row, str) else _row_lines(row, columns, wrap) for row in cells]
    if group_by is None:
        return "\n" + _lines(head + [line for row in rows for line in row]) + "\n\n"
    text = "\n"
    for key, members in group_runs(items, lambda item: group_by.value(item, ctx)):
        body = head + [line for i in members for line in rows[i]]
        text += group_header(group_by, key, limit) + _lines(body) + "\n"
    return text + "\n"


def _lines(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _specs_for(items: list[Any], properties: list[Any] | None) -> list[PropertySpec]:
    first = next((item for item in items if not is_scalar(item)), items[0])
    if properties is not None:
        return expand_properties(parse_property_items(list(properties)), first)
    if all(isinstance(i, PSObject) and i.type_names[:1] == [DICTIONARY_ENTRY] for i in items):
        return [PropertySpec("Name", "Name", width=HASHTABLE_NAME_WIDTH, alignment="left"),
                PropertySpec("Value", "Value", alignment="left")]
    return default_specs(first)


def _row_values(item: Any, specs: list[PropertySpec], ctx: Any, explicit: bool) -> list[Any] | str:
    """The values of one row (each expression evaluated once); a scalar in a default table is
    printed as its own line instead."""
    if is_scalar(item) and not explicit:
        return to_string(item)
    return [spec.value(item, ctx) for spec in specs]


# ---------------------------------------------------------------------------------------------
# Column widths
# ---------------------------------------------------------------------------------------------

def _layout(specs: list[PropertySpec], values: list[Any], cells: list[Any], width: int) -> list[Column]:
    rows = [row for row in cells if not isinstance(row, str)]
    value_rows = [row for row in values if not isinstance(row, str)]
    columns = []
    for i, spec in enumerate(specs):
        natural = max([len(spec.label)] + [len(_first_line(row[i])) for row in rows])
        align = spec.alignment or _alignment([row[i] for row in value_rows])
        columns.append(Column(spec, spec.width or natural, align))
    _fit_to_console(columns, width - 1)
    return columns


def _alignment(column_values: list[Any]) -> str:
    """PowerShell's ComputeDefaultAlignment: the FIRST row decides; right for scalar non-string types
    (numbers and booleans, DefaultScalarTypes), left for strings, dates, objects and ``$null``."""
    first = column_values[0] if column_values else None
    return "right" if is_right_aligned(first) else "left"


def _fit_to_console(columns: list[Column], available: int) -> None:
    """Narrow the widest free column until the table fits; drop right-hand columns if it cannot.

    The last character cell of the console is left unused, as the console host does (no auto-wrap).
    """
    def total() -> int:
        return sum(c.width for c in columns) + len(columns) - 1

    while total() > available:
        free = [c for c in columns if c.width > MIN_COLUMN_WIDTH and c.spec.width is None]
        if not free:
            break
        widest = max(free, key=lambda c: c.width)
        widest.width -= min(widest.width - MIN_COLUMN_WIDTH, total() - available)
    while total() > available and len(columns) > 1:
        columns.pop()
    if total() > available:
        columns[0].width = max(available, 1)


# ---------------------------------------------------------------------------------------------
# Lines
# ---------------------------------------------------------------------------------------------

def _first_line(text: str) -> str:
    """A cell shows one line unless -Wrap: more lines are marked as cut text."""
    if "\n" not in text:
        return text
    return text.replace("\r", "").split("\n", 1)[0] + ELLIPSIS


def _truncate(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    return text[: width - len(ELLIPSIS)] + ELLIPSIS if width > len(ELLIPSIS) else text[:width]


def _align(text: str, column: Column) -> str:
    if column.align == "right":
        return text.rjust(column.width)
    if column.align == "center":
        return text.center(column.width)
    return text.ljust(column.width)


def _fit(text: str, column: Column) -> str:
    return _align(_truncate(_first_line(text), column.width), column)


def _join(parts: list[str]) -> str:
    """Columns joined by one space; trailing padding dropped (the last column is not padded)."""
    return " ".join(parts).rstrip()


def _row_lines(row: list[str], columns: list[Column], wrap: bool) -> list[str]:
    if not wrap:
        return [_join([_fit(row[i], c) for i, c in enumerate(columns)])]
    pieces = [_wrap_cell(row[i], c.width) for i, c in enumerate(columns)]
    height = max(len(p) for p in pieces)
    return [_join([_align(p[n] if n < len(p) else "", columns[i]) for i, p in enumerate(pieces)])
            for n in range(height)]


def _wrap_cell(text: str, width: int) -> list[str]:
    """-Wrap: split on line breaks, then at word boundaries (long words are cut) to the width."""
    out: list[str] = []
    for part in text.replace("\r", "").split("\n"):
        out.extend(textwrap.wrap(part, width, break_long_words=True, drop_whitespace=True) or [""])
    return out

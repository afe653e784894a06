"""Out-Default: how a stream of output objects becomes console text (Windows PowerShell 5.1 style).

The engine feeds every object that reaches the end of a pipeline to one :class:`OutputFormatter`
and prints what it returns; at the end of a script (or of an interactive line) it calls
:meth:`OutputFormatter.flush`. The rules (powershell-language.md §2.1):

* ``$null`` prints nothing; arrays are enumerated element by element;
* scalars (strings, numbers, booleans, dates, time spans) print one per line via ``ToString()``;
* a PSObject with ≤ 4 displayed properties joins a table, one with ≥ 5 is printed as a list;
  consecutive objects of the same type and properties share one table, so table rows are buffered
  until the shape changes or the stream ends (column widths are measured over all of them);
* a hashtable prints as the Name/Value table; an ErrorRecord in its NormalView form;
* ``Format-Table`` / ``Format-List`` output (:class:`FormattedText`) prints verbatim.

The views themselves live in ``table_view.py`` and ``list_view.py``; what a single cell shows, in
``format_properties.py``. This module re-exports their public functions.
"""
from __future__ import annotations

from typing import Any, Callable

from csshell.runtime.errors import ErrorRecord, render_error
from csshell.runtime.format_properties import (DEFAULT_ENUMERATION_LIMIT, PropertySpec, apply_format_string,
                                               cell_text, default_specs, display_properties, shape_property_count)
from csshell.runtime.list_view import LIST_END, LIST_START, list_entry, render_list
from csshell.runtime.table_view import render_table
from csshell.runtime.values import PSHashtable, PSObject, is_enumerable, to_string

__all__ = ["FormattedText", "OutputFormatter", "render_table", "render_list", "display_properties",
           "cell_text", "apply_format_string", "PropertySpec", "DEFAULT_ENUMERATION_LIMIT", "render_stream",
           "session_format_settings"]

TABLE_MAX_PROPERTIES = 4      # PropertyCountForTable: ≤ 4 → table, ≥ 5 → list
# Types whose 5.1 format view is a table of more than four columns (PowerShellCore.format.ps1xml); as in 5.1,
# the view also applies to their deserialized copies.
TABLE_VIEW_TYPES = frozenset({"system.management.automation.runspaces.pssession"})
DESERIALIZED = "deserialized."


class FormattedText:
    """Finished console text, as ``Format-Table`` / ``Format-List`` emit it.

    PowerShell's Format-* cmdlets emit format records that only Out-* cmdlets understand; here they
    emit their text rendered for the console's ``width``, and ``rerender`` renders it again for an
    Out-* cmdlet of another width (``| Format-Table -AutoSize | Out-String -Width 250``).
    """

    __slots__ = ("text", "width", "rerender")

    def __init__(self, text: str, width: int | None = None, rerender: Callable[[int], str] | None = None) -> None:
        self.text = text
        self.width = width
        self.rerender = rerender

    def text_at(self, width: int) -> str:
        """The text as an Out-* cmdlet ``width`` characters wide prints it."""
        if self.rerender is None or width == self.width:
            return self.text
        return self.rerender(width)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"FormattedText({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FormattedText) and other.text == self.text

    __hash__ = object.__hash__


MEMBER_DEFINITION = "microsoft.powershell.commands.memberdefinition"


class OutputFormatter:
    """Out-Default: turns a stream of objects into text, Windows PowerShell 5.1 style.

    ``ctx`` (optional) is a command context, needed only to evaluate script blocks; ``enumeration_limit``
    is ``$FormatEnumerationLimit``.
    """

    def __init__(self, width: int = 120, enumeration_limit: int = DEFAULT_ENUMERATION_LIMIT,
                 ctx: Any = None) -> None:
        self.width = width
        self.enumeration_limit = enumeration_limit
        self.ctx = ctx
        self._shape: tuple | None = None      # the open group: ("table", ...) or ("list", ...)
        self._rows: list[Any] = []            # buffered table rows of the open group

    def feed(self, obj: Any) -> str:
        """Text to print now ('' while it buffers table rows)."""
        if obj is None:
            return ""
        if isinstance(obj, (list, tuple)) or is_enumerable(obj):
            return "".join(self.feed(item) for item in obj)
        shape = self._shape_of(obj)
        out = self._close() if shape != self._shape else ""
        if shape is None:
            return out + self._text_of(obj)
        opening = self._shape is None
        self._shape = shape
        if shape[0] in ("table", "members"):
            self._rows.append(obj)
            return out
        specs = default_specs(obj)
        return out + (LIST_START if opening else "") + list_entry(obj, specs, self.ctx, self.width,
                                                                   self.enumeration_limit)

    def flush(self) -> str:
        """End of the output stream (end of a script / of an interactive line): close the open view."""
        return self._close()

    # -----------------------------------------------------------------------------------------

    def _shape_of(self, obj: Any) -> tuple | None:
        """Which group an object joins; ``None`` for objects printed on their own."""
        if isinstance(obj, (PSHashtable, dict)):
            return ("table", "hashtable")
        if not isinstance(obj, PSObject):
            return None
        names = display_properties(obj)
        if not names:
            return None
        type_key = obj.type_names[0].lower() if obj.type_names else ""
        if type_key == MEMBER_DEFINITION:
            return ("members", to_string(obj.get("TypeName")))   # Get-Member: one table per TypeName
        view_key = type_key.removeprefix(DESERIALIZED)
        kind = "table" if shape_property_count(obj) <= TABLE_MAX_PROPERTIES or view_key in TABLE_VIEW_TYPES \
            else "list"
        return (kind, type_key, tuple(n.lower() for n in names))

    def _text_of(self, obj: Any) -> str:
        if isinstance(obj, FormattedText):
            return obj.text_at(self.width)
        if isinstance(obj, ErrorRecord):
            return render_error(obj) + "\n"
        if isinstance(obj, PSObject):        # no properties to show
            return ""
        return to_string(obj) + "\n"

    def _close(self) -> str:
        shape, rows = self._shape, self._rows
        self._shape, self._rows = None, []
        if shape is None:
            return ""
        if shape[0] == "table":
            return render_table(rows, width=self.width, ctx=self.ctx, limit=self.enumeration_limit)
        if shape[0] == "members":
            # 5.1's MemberDefinition view groups by TypeName: "   TypeName: System.String" above each table
            return f"\n   TypeName: {shape[1]}\n" + render_table(rows, width=self.width, ctx=self.ctx,
                                                                  limit=self.enumeration_limit)
        return LIST_END


def render_stream(objects: Any, width: int = 120, enumeration_limit: int = DEFAULT_ENUMERATION_LIMIT,
                  ctx: Any = None) -> str:
    """Everything Out-Default would print for ``objects`` (what ``Out-String`` returns)."""
    formatter = OutputFormatter(width, enumeration_limit, ctx)
    items = objects if isinstance(objects, (list, tuple)) else [objects]
    return "".join(formatter.feed(obj) for obj in items) + formatter.flush()


def session_format_settings(session: Any) -> tuple[int, int]:
    """``(console width, $FormatEnumerationLimit)`` for a session, with 5.1's defaults when unknown.

    Reads ``session.host.width`` and the variable through ``session.variables.get(name)``; any
    session that lacks them (tests, a bare context) gets 120 and 4.
    """
    width = getattr(getattr(session, "host", None), "width", None)
    limit: Any = None
    getter = getattr(getattr(session, "variables", None), "get", None)
    if callable(getter):
        for name in ("FormatEnumerationLimit", "formatenumerationlimit"):
            try:
                limit = getter(name)
            except (KeyError, TypeError, ValueError):
                limit = None
            if limit is not None:
                break
    limit = getattr(limit, "value", limit)          # a variable object rather than its value
    return (width if isinstance(width, int) and width > 0 else 120,
            limit if isinstance(limit, int) and not isinstance(limit, bool) else DEFAULT_ENUMERATION_LIMIT)

"""What a table column or a list line shows: property selection and cell text.

Both views (``table_view.py``, ``list_view.py``) and the Format-* cmdlets share this module: which
properties an object displays, how ``-Property`` items (names, wildcards, script blocks and
calculated-property hashtables) become :class:`PropertySpec` objects, and how one value is written
inside a cell. It depends only on ``values`` and ``errors`` so the views can import it freely.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from csshell.runtime.regex import wildcard_match
from csshell.runtime.errors import INVALID_ARGUMENT, ErrorRecord, FlowControl, PSError
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, format_number, get_property,
                                    to_string, type_name)

DEFAULT_ENUMERATION_LIMIT = 4          # $FormatEnumerationLimit's default (about_Preference_Variables)
DICTIONARY_ENTRY = "System.Collections.DictionaryEntry"

# Keys a calculated property may use, per view (PowerShell matches them by unambiguous prefix).
TABLE_KEYS = ("name", "label", "expression", "formatstring", "width", "alignment")
LIST_KEYS = ("name", "label", "expression", "formatstring")
_ALIGNMENTS = {"left": "left", "right": "right", "center": "center"}


@dataclass
class PropertySpec:
    """One displayed column / list line: its label and how to get its value from an object.

    ``name`` is set for a plain property (so wildcards can be expanded per object); ``block`` for a
    script-block expression, evaluated through the command context.
    """
    label: str
    name: str | None = None
    block: ScriptBlock | None = None
    width: int | None = None
    alignment: str | None = None          # "left" / "right" / "center"; None = by value type
    format_string: str | None = None

    def value(self, obj: Any, ctx: Any = None) -> Any:
        """The raw value this spec shows for ``obj``."""
        if self.block is not None:
            return _invoke(self.block, obj, ctx)
        return get_property(obj, self.name or self.label)

    def text(self, obj: Any, ctx: Any = None, limit: int = DEFAULT_ENUMERATION_LIMIT) -> str:
        """The cell text for ``obj`` (FormatString applied when given)."""
        return self.render(self.value(obj, ctx), limit)

    def render(self, value: Any, limit: int = DEFAULT_ENUMERATION_LIMIT) -> str:
        """The cell text of a value already read with :meth:`value`."""
        if self.format_string and value is not None:
            return apply_format_string(value, self.format_string)
        return cell_text(value, limit)


def _invoke(block: ScriptBlock, obj: Any, ctx: Any) -> Any:
    """Run an Expression block with ``$_`` = obj. Errors inside leave the cell empty, as in PS."""
    if ctx is None:
        return None
    try:
        out = ctx.invoke_script_block(block, dollar_under=obj)
    except FlowControl:
        raise
    except PSError:
        return None
    out = list(out or [])
    if not out:
        return None
    return out[0] if len(out) == 1 else out


# ---------------------------------------------------------------------------------------------
# Which properties an object shows
# ---------------------------------------------------------------------------------------------

def display_properties(obj: Any) -> list[str]:
    """The DefaultDisplayPropertySet (``PSObject.display``) if the object has one, else all properties.

    A result of Invoke-Command (``PSShowComputerName`` set) shows as 5.1 shows it: a display set gains a
    PSComputerName column; otherwise PSShowComputerName is hidden, and PSComputerName too under
    ``-HideComputerName`` (``AssociationManager.HandleComputerNameProperties``).
    """
    if isinstance(obj, PSObject):
        if obj.display:
            names = list(obj.display)
            if shows_computer_name(obj) and not any(n.lower() == "pscomputername" for n in names):
                names.append("PSComputerName")
            return names
        if not obj.has(SHOW_COMPUTER_NAME):
            return obj.names()
        hidden = {"psshowcomputername"} | (set() if shows_computer_name(obj) else {"pscomputername"})
        return [name for name in obj.names() if name.lower() not in hidden]
    if isinstance(obj, (PSHashtable, dict)):
        return ["Name", "Value"]
    return []


SHOW_COMPUTER_NAME = "PSShowComputerName"


def shows_computer_name(obj: PSObject) -> bool:
    """``PSObjectHelper.ShouldShowComputerNameProperty``: a remote result whose PSComputerName is shown."""
    return obj.has("PSComputerName") and bool(obj.get(SHOW_COMPUTER_NAME))


def shape_property_count(obj: Any) -> int:
    """How many properties decide table (≤ 4) versus list (≥ 5) in Out-Default (``GetShapeFromPropertyCount``):
    the display set, else *all* properties, counted before the remoting ones are hidden, as 5.1 counts."""
    if isinstance(obj, PSObject):
        return len(obj.display) if obj.display else len(obj.names())
    return len(display_properties(obj))


def dictionary_entries(table: PSHashtable | dict) -> list[PSObject]:
    """A hashtable as PowerShell formats it: one DictionaryEntry (Name, Value) per key."""
    return [PSObject([("Name", key), ("Value", table[key])], [DICTIONARY_ENTRY]) for key in table]


def format_items(objects: Any) -> list[Any]:
    """The objects a view shows, one per row/block: hashtables become their DictionaryEntry items
    (as PowerShell's formatter enumerates them) and nulls vanish."""
    if objects is None:
        return []
    source = objects if isinstance(objects, (list, tuple)) else [objects]
    items: list[Any] = []
    for obj in source:
        if obj is None:
            continue
        if isinstance(obj, (PSHashtable, dict)):
            items.extend(dictionary_entries(obj))
        else:
            items.append(obj)
    return items


def is_scalar(value: Any) -> bool:
    """Values Out-Default prints as one line of text rather than as a table or list."""
    return not isinstance(value, (PSObject, PSHashtable, dict))


# ---------------------------------------------------------------------------------------------
# Cell text
# ---------------------------------------------------------------------------------------------

def cell_text(value: Any, limit: int = DEFAULT_ENUMERATION_LIMIT) -> str:
    """A value inside a table cell or after ``Name : `` in a list.

    Collections show as ``{a, b, c, d...}`` cut after ``$FormatEnumerationLimit`` items (a negative
    limit means no limit); a nested PSObject as ``@{a=1; b=2}``; a hashtable by its type name.
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return _collection_text(value, limit)
    if isinstance(value, PSHashtable):
        return to_string(value)
    if isinstance(value, dict):
        return "System.Collections.Hashtable"
    return to_string(value)


def _collection_text(items: list | tuple, limit: int) -> str:
    shown = list(items) if limit < 0 else list(items)[:limit]
    more = "..." if 0 <= limit < len(items) else ""
    return "{" + ", ".join(_element_text(item) for item in shown) + more + "}"


def _element_text(item: Any) -> str:
    if isinstance(item, (list, tuple)):
        return "System.Object[]"
    return cell_text(item)


def is_numeric(value: Any) -> bool:
    """A number (booleans are not numbers here)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_right_aligned(value: Any) -> bool:
    """Numbers and booleans are right-aligned in tables (PowerShell's DefaultScalarTypes minus String)."""
    return isinstance(value, (int, float))


# ---------------------------------------------------------------------------------------------
# FormatString (the calculated-property key): the common .NET standard formats
# ---------------------------------------------------------------------------------------------

def apply_format_string(value: Any, fmt: str) -> str:
    """``String.Format("{0:fmt}", value)`` for the standard numeric and date formats admins use.

    Supported: N, F, D, P, X, E, G (numbers) and d, D, t, T, g, G, s (dates). Anything else is
    returned as the value's plain text rather than guessed.
    """
    code, digits = fmt[:1], fmt[1:]
    if digits and not digits.isdigit():
        return _custom_date(value, fmt) if isinstance(value, _dt.datetime) else to_string(value)
    precision = int(digits) if digits else None
    if isinstance(value, _dt.datetime):
        return _date_format(value, fmt)
    if not is_numeric(value):
        return to_string(value)
    return _number_format(value, code, precision)


def _number_format(value: int | float, code: str, precision: int | None) -> str:
    upper = code.upper()
    if upper == "N":
        return f"{value:,.{2 if precision is None else precision}f}"
    if upper == "F":
        return f"{value:.{2 if precision is None else precision}f}"
    if upper == "P":
        return f"{value * 100:,.{2 if precision is None else precision}f} %"
    if upper == "D" and isinstance(value, int):
        return f"{value:0{precision or 1}d}"
    if upper == "X" and isinstance(value, int):
        text = f"{value:0{precision or 1}x}"
        return text.upper() if code == "X" else text
    if upper == "E":
        mantissa, exp = f"{value:.{6 if precision is None else precision}e}".split("e")
        return f"{mantissa}{code}{exp[0]}{abs(int(exp)):03d}"
    return format_number(float(value)) if isinstance(value, float) else str(value)


def _date_format(value: _dt.datetime, fmt: str) -> str:
    hour = value.hour % 12 or 12
    tt = "AM" if value.hour < 12 else "PM"
    short_date = f"{value.month}/{value.day}/{value.year:04d}"
    patterns = {
        "d": short_date,
        "D": value.strftime("%A, %B ") + f"{value.day}, {value.year:04d}",
        "t": f"{hour}:{value.minute:02d} {tt}",
        "T": f"{hour}:{value.minute:02d}:{value.second:02d} {tt}",
        "g": f"{short_date} {hour}:{value.minute:02d} {tt}",
        "G": f"{short_date} {hour}:{value.minute:02d}:{value.second:02d} {tt}",
        "s": value.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    return patterns.get(fmt, _custom_date(value, fmt))


_DATE_TOKENS = [("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S")]


def _custom_date(value: _dt.datetime, fmt: str) -> str:
    """The common custom date patterns (``yyyy-MM-dd HH:mm:ss``)."""
    out = fmt
    for token, code in _DATE_TOKENS:
        out = out.replace(token, value.strftime(code))
    return out


# ---------------------------------------------------------------------------------------------
# -Property items → PropertySpec
# ---------------------------------------------------------------------------------------------

def parse_property_items(items: list[Any], allowed_keys: tuple[str, ...] = TABLE_KEYS) -> list[Any]:
    """Validate ``-Property`` items once: names stay strings (wildcards expand per object later),
    script blocks and hashtables become :class:`PropertySpec`. Raises :class:`PSError` on bad input.
    """
    out: list[Any] = []
    for item in items:
        if isinstance(item, str):
            if item == "":
                raise _format_error("An empty string value is not allowed.", "MshExEmptyString")
            out.append(item)
        elif isinstance(item, ScriptBlock):
            out.append(PropertySpec(label=item.text.strip(), block=item))
        elif isinstance(item, (PSHashtable, dict)):
            out.append(_calculated_property(item, allowed_keys))
        else:
            raise _format_error(
                f"Cannot convert {type_name(item)} to one of the following types "
                "{System.String, System.Management.Automation.ScriptBlock}.", "DictionaryKeyUnknownType")
    return out


def expand_properties(parsed: list[Any], obj: Any) -> list[PropertySpec]:
    """The specs for one object: wildcard names matched (case-insensitively) against its properties.

    A plain name the object lacks still gets a column (empty cells), as in PowerShell.
    """
    names = _all_names(obj)
    specs: list[PropertySpec] = []
    seen: set[str] = set()
    for item in parsed:
        if isinstance(item, PropertySpec):
            specs.append(item)
            continue
        matched = [n for n in names if wildcard_match(item, n)] if _is_wildcard(item) else [item]
        for name in matched:
            if name.lower() not in seen:
                seen.add(name.lower())
                specs.append(PropertySpec(label=_real_name(obj, name), name=name))
    return specs


def default_specs(obj: Any) -> list[PropertySpec]:
    """The specs Out-Default uses: one per displayed property."""
    return [PropertySpec(label=name, name=name) for name in display_properties(obj)]


def _all_names(obj: Any) -> list[str]:
    if isinstance(obj, PSObject):
        return obj.names()
    return display_properties(obj)


def _real_name(obj: Any, name: str) -> str:
    """The property's own spelling (``displayname`` → ``DisplayName``) when the object has it."""
    for real in _all_names(obj):
        if real.lower() == name.lower():
            return real
    return name


def _is_wildcard(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def _calculated_property(table: PSHashtable | dict, allowed: tuple[str, ...]) -> PropertySpec:
    entries = _match_keys(table, allowed)
    if "expression" not in entries:
        raise _format_error("A mandatory entry for expression is missing.", "DictionaryKeyMandatoryEntry")
    expression = entries["expression"]
    label = entries.get("name", entries.get("label"))
    spec = PropertySpec(label="")
    if isinstance(expression, ScriptBlock):
        spec.block = expression
        spec.label = to_string(label) if label is not None else expression.text.strip()
    elif isinstance(expression, str):
        spec.name = expression
        spec.label = to_string(label) if label is not None else expression
    else:
        raise _format_error(
            f'The "expression" key has a type, {type_name(expression)}, that is not valid; expected types '
            "are {System.String, System.Management.Automation.ScriptBlock}.", "DictionaryKeyIllegalValue")
    _apply_table_keys(spec, entries)
    return spec


def _apply_table_keys(spec: PropertySpec, entries: dict[str, Any]) -> None:
    if "formatstring" in entries:
        fmt = to_string(entries["formatstring"])
        if fmt == "":
            raise _format_error('Cannot have an empty formatting string for key "formatstring".',
                                "DictionaryKeyIllegalValue")
        spec.format_string = fmt
    if "width" in entries:
        width = entries["width"]
        if not is_numeric(width) or int(width) <= 0:
            raise _format_error(f'The value "{to_string(width)}" for key "width" should be greater than 0.',
                                "DictionaryKeyIllegalValue")
        spec.width = int(width)
    if "alignment" in entries:
        align = _ALIGNMENTS.get(to_string(entries["alignment"]).lower())
        if align is None:
            raise _format_error(
                f'The value "{to_string(entries["alignment"])}" for key "alignment" is not valid; valid values '
                "are Left, Center, Right.", "DictionaryKeyIllegalValue")
        spec.alignment = align


def _match_keys(table: PSHashtable | dict, allowed: tuple[str, ...]) -> dict[str, Any]:
    """Map each key to its full name by prefix (``n`` → name, ``e`` → expression); name/label clash."""
    entries: dict[str, Any] = {}
    original: dict[str, str] = {}
    for key in table:
        if not isinstance(key, str):
            raise _format_error(f"The {to_string(key)} key type is not valid. The key must be a string.",
                                "DictionaryKeyNonString")
        low = key.lower()
        matches = [k for k in allowed if k.startswith(low)] if low else []
        if len(matches) != 1:
            raise _format_error(f"The {key} key is not valid.", "DictionaryKeyIllegal")
        full = "name" if matches[0] == "label" else matches[0]
        if full in entries:
            raise _format_error(f'The duplicated key "{key}" conflicts with "{original[full]}".',
                                "DictionaryKeyDuplicate")
        entries[full] = table[key]
        original[full] = key
    return entries


def _format_error(message: str, error_id: str) -> PSError:
    """A formatting parameter error; the cmdlet fills in its own name before throwing it."""
    return PSError(ErrorRecord(message=message, error_id=error_id, category=INVALID_ARGUMENT,
                               reason="NotSupportedException",
                               exception_type="System.NotSupportedException"))

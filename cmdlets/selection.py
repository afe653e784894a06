"""Select-, Sort-, Measure- and Group-Object: picking, ordering, counting and grouping pipeline objects.

Windows PowerShell 5.1 semantics: Select-Object streams (and stops the upstream pipeline once
``-First`` is satisfied), Sort-Object is stable and collects its whole input, Measure-Object returns
GenericMeasureInfo or TextMeasureInfo, Group-Object keeps groups in order of first appearance.
Ordering and equality come from :mod:`csshell.runtime.operators` (``compare_values``, ``equals``), so
these cmdlets order and group exactly as ``-lt`` and ``-eq`` compare.
"""
from __future__ import annotations

import functools
from typing import Any

from cmdlets.object_properties import (PSCUSTOMOBJECT, PropertySpec, has_property, has_wildcard, matching_names,
                                       parse_property_specs, property_names, read_property, record_for, was_bound)
from csshell.runtime import operators
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import PipelineStopped, PSError
from csshell.runtime.values import PSHashtable, PSObject, enumerate_value, to_number, to_string, type_name


# ---------------------------------------------------------------------------------------------
# Select-Object
# ---------------------------------------------------------------------------------------------

@cmdlet("Select-Object", aliases=("select",), default_set="DefaultParameter",
        synopsis="Selects objects or object properties.",
        examples=[("Get-CsClientPinInfo | Select-Object Identity, IsLockedOut", "Two columns per user."),
                  ("Get-CsUser | Select-Object -ExpandProperty SipAddress", "Just the SIP addresses.")])
class SelectObject(Cmdlet):
    """``Select-Object``: pick objects (First/Last/Skip/Index/Unique) and project their properties."""

    InputObject = Parameter("psobject", from_pipeline=True)
    Property = Parameter("object[]", position=0, sets=("DefaultParameter", "SkipLastParameter"))
    ExcludeProperty = Parameter("string[]", sets=("DefaultParameter", "SkipLastParameter"))
    ExpandProperty = Parameter("string", sets=("DefaultParameter", "SkipLastParameter"))
    Unique = Parameter("switch")
    Last = Parameter("int", sets=("DefaultParameter",), validate_range=(0, 2147483647))
    First = Parameter("int", sets=("DefaultParameter",), validate_range=(0, 2147483647))
    Skip = Parameter("int", sets=("DefaultParameter",), validate_range=(0, 2147483647))
    SkipLast = Parameter("int", sets=("SkipLastParameter",), validate_range=(0, 2147483647))
    Wait = Parameter("switch", sets=("DefaultParameter", "IndexParameter"))
    Index = Parameter("int[]", sets=("IndexParameter",))

    def begin(self, ctx: CommandContext) -> None:
        self._specs = parse_property_specs(self, self.Property) if self.Property is not None else None
        self._seen = 0                     # input objects received
        self._buffer: list[Any] = []       # for -Last / -SkipLast / -Unique
        self._emitted_unique: list[Any] = []
        self._indexes = sorted(set(enumerate_value(self.Index))) if self.Index is not None else None
        self._streaming = self.Last is None and self.SkipLast is None and not self.Unique

    def process(self, ctx: CommandContext) -> None:
        if not was_bound(self, "InputObject"):
            return
        position = self._seen
        self._seen += 1
        if self._indexes is not None:
            if position in self._indexes:
                self._output(ctx, self.InputObject)
            if self._indexes and position >= self._indexes[-1] and self._streaming:
                raise PipelineStopped()
            return
        skip = self.Skip or 0
        if self._streaming:
            if position < skip:
                return
            if self.First is not None and position >= skip + self.First:
                raise PipelineStopped()
            self._output(ctx, self.InputObject)
            if self.First is not None and position + 1 >= skip + self.First:
                raise PipelineStopped()
            return
        self._buffer.append(self.InputObject)

    def end(self, ctx: CommandContext) -> None:
        if self._streaming:
            return
        items = self._buffer
        if self._indexes is None:
            skip = self.Skip or 0
            items = items[skip:]
            if self.First is not None:
                items = items[:self.First]
            if self.Last is not None:
                items = items[-self.Last:] if self.Last > 0 else []
            if self.SkipLast is not None:
                items = items[:-self.SkipLast] if self.SkipLast > 0 else items
        for item in items:
            self._output(ctx, item)
        for item in self._emitted_unique:
            ctx.write_object(item)

    def _output(self, ctx: CommandContext, obj: Any) -> None:
        for result in self._project(ctx, obj):
            if self.Unique:
                if not any(_same_value(result, seen) for seen in self._emitted_unique):
                    self._emitted_unique.append(result)
            else:
                ctx.write_object(result)

    def _project(self, ctx: CommandContext, obj: Any) -> list[Any]:
        selected = self._select_properties(ctx, obj) if self._specs is not None else None
        if self.ExpandProperty is None:
            return [selected if selected is not None else obj]
        names = matching_names(obj, self.ExpandProperty) if has_wildcard(self.ExpandProperty) else (
            [self.ExpandProperty] if has_property(obj, self.ExpandProperty) else [])
        if not names:
            ctx.write_error(record_for(self, f'Property "{self.ExpandProperty}" cannot be found.',
                                       "ExpandPropertyNotFound", "InvalidArgument", target=obj,
                                       reason="PSArgumentException"))
            return []
        out = []
        for value in enumerate_value(read_property(obj, names[0])):
            if isinstance(value, PSObject) and selected is not None:
                value = value.copy()
                for name, extra in selected.items():
                    value.set(name, extra)
            out.append(value)
        return out

    def _select_properties(self, ctx: CommandContext, obj: Any) -> PSObject:
        excluded = [to_string(e) for e in enumerate_value(self.ExcludeProperty)]
        props: list[tuple[str, Any]] = []
        for spec in self._specs or []:
            if spec.is_calculated:
                props.append((spec.name, spec.value(ctx, obj)))
                continue
            pattern = spec.expression
            names = matching_names(obj, pattern) if has_wildcard(pattern) else [
                next((n for n in property_names(obj) if n.lower() == pattern.lower()), pattern)]
            for name in names:
                if any(operators.wildcard_match(e, name) for e in excluded):
                    continue
                if not any(p[0].lower() == name.lower() for p in props):
                    props.append((name, read_property(obj, name)))
        return PSObject(props, type_names=["Selected." + type_name(obj), PSCUSTOMOBJECT])


def _same_value(a: Any, b: Any) -> bool:
    """-Unique's equality: property-wise for PSObjects (not PowerShell 5.1's ToString quirk)."""
    if isinstance(a, PSObject) and isinstance(b, PSObject):
        if [n.lower() for n in a.names()] != [n.lower() for n in b.names()]:
            return False
        return all(_same_value(a.get(n), b.get(n)) for n in a.names())
    if isinstance(a, PSObject) or isinstance(b, PSObject):
        return False
    return operators.equals(a, b, case_sensitive=True)


# ---------------------------------------------------------------------------------------------
# Sort-Object
# ---------------------------------------------------------------------------------------------

@cmdlet("Sort-Object", aliases=("sort",), default_set="Default",
        synopsis="Sorts objects by property values.",
        examples=[("Get-CsUser | Sort-Object DisplayName", "Users in display-name order.")])
class SortObject(Cmdlet):
    """``Sort-Object``: a stable sort over the whole input, collected until the end."""

    InputObject = Parameter("psobject", from_pipeline=True)
    Property = Parameter("object[]", position=0)
    Descending = Parameter("switch")
    Unique = Parameter("switch")
    CaseSensitive = Parameter("switch")
    Culture = Parameter("string")

    def begin(self, ctx: CommandContext) -> None:
        self._items: list[Any] = []

    def process(self, ctx: CommandContext) -> None:
        if was_bound(self, "InputObject"):
            self._items.append(self.InputObject)

    def end(self, ctx: CommandContext) -> None:
        specs = parse_property_specs(self, self.Property, allow_order=True) if self.Property else []
        keyed = [(self._keys(ctx, specs, item), item) for item in self._items]
        orders = [spec.descending if spec.descending is not None else bool(self.Descending) for spec in specs]
        if not specs:
            orders = [bool(self.Descending)]

        def compare(a: tuple[list[Any], Any], b: tuple[list[Any], Any]) -> int:
            for ka, kb, descending in zip(a[0], b[0], orders):
                result = operators.compare_values(ka, kb, case_sensitive=bool(self.CaseSensitive))
                if result:
                    return -result if descending else result
            return 0

        ordered = sorted(keyed, key=functools.cmp_to_key(compare))
        previous: tuple[list[Any], Any] | None = None
        for entry in ordered:
            if self.Unique and previous is not None and compare(previous, entry) == 0:
                continue
            previous = entry
            ctx.write_object(entry[1])

    def _keys(self, ctx: CommandContext, specs: list[PropertySpec], item: Any) -> list[Any]:
        if not specs:
            return [item if not isinstance(item, PSObject) else to_string(item)]
        return [spec.value(ctx, item) for spec in specs]


# ---------------------------------------------------------------------------------------------
# Measure-Object
# ---------------------------------------------------------------------------------------------

@cmdlet("Measure-Object", aliases=("measure",), default_set="GenericMeasure",
        synopsis="Calculates the numeric properties of objects, and the characters, words, and lines "
                 "in string objects.",
        examples=[("(Get-CsUser -OU \"OU=Finance,DC=litwareinc,DC=com\" | Measure-Object).Count",
                   "How many users the OU holds.")])
class MeasureObject(Cmdlet):
    """``Measure-Object``: counts and statistics (GenericMeasureInfo) or text sizes (TextMeasureInfo)."""

    InputObject = Parameter("psobject", from_pipeline=True)
    Property = Parameter("string[]", position=0)
    Sum = Parameter("switch", sets=("GenericMeasure",))
    Average = Parameter("switch", sets=("GenericMeasure",))
    Maximum = Parameter("switch", sets=("GenericMeasure",))
    Minimum = Parameter("switch", sets=("GenericMeasure",))
    Line = Parameter("switch", sets=("TextMeasure",))
    Word = Parameter("switch", sets=("TextMeasure",))
    Character = Parameter("switch", sets=("TextMeasure",))
    IgnoreWhiteSpace = Parameter("switch", sets=("TextMeasure",))

    def begin(self, ctx: CommandContext) -> None:
        names = [to_string(p) for p in enumerate_value(self.Property)] or [None]
        self._stats = {name: _Stats() for name in names}

    def process(self, ctx: CommandContext) -> None:
        if not was_bound(self, "InputObject"):
            return
        obj = self.InputObject
        for name, stats in self._stats.items():
            if name is not None and not has_property(obj, name):
                continue
            value = obj if name is None else read_property(obj, name)
            if self._is_text():
                stats.add_text(to_string(value), bool(self.IgnoreWhiteSpace))
            else:
                self._add_number(ctx, stats, value)

    def _is_text(self) -> bool:
        return bool(self.Line or self.Word or self.Character)

    def _add_number(self, ctx: CommandContext, stats: "_Stats", value: Any) -> None:
        stats.count += 1
        if not (self.Sum or self.Average or self.Maximum or self.Minimum) or value is None:
            return
        number = to_number(value) if not isinstance(value, (PSObject, list)) else None
        if number is None:
            raise PSError(record_for(self, f'Input object "{to_string(value)}" is not numeric.',
                                     "NonNumericInputObject", "InvalidType", target=value,
                                     reason="PSInvalidOperationException"))
        stats.add_number(float(number))

    def end(self, ctx: CommandContext) -> None:
        for name, stats in self._stats.items():
            if name is not None and stats.count == 0 and not stats.text_seen:
                ctx.write_error(record_for(self, f'The property "{name}" cannot be found in the input for '
                                           "any objects.", "GenericMeasurePropertyNotFound", "InvalidArgument",
                                           target=name, reason="PSArgumentException"))
                continue
            ctx.write_object(self._text_info(stats, name) if self._is_text() else self._generic_info(stats, name))

    def _generic_info(self, stats: "_Stats", name: str | None) -> PSObject:
        average = stats.total / stats.numbers if stats.numbers else None
        return PSObject([("Count", stats.count),
                         ("Average", average if self.Average else None),
                         ("Sum", stats.total if self.Sum else None),
                         ("Maximum", stats.maximum if self.Maximum else None),
                         ("Minimum", stats.minimum if self.Minimum else None),
                         ("Property", name)],
                        type_names=["Microsoft.PowerShell.Commands.GenericMeasureInfo"])

    def _text_info(self, stats: "_Stats", name: str | None) -> PSObject:
        return PSObject([("Lines", stats.lines if self.Line else None),
                         ("Words", stats.words if self.Word else None),
                         ("Characters", stats.characters if self.Character else None),
                         ("Property", name)],
                        type_names=["Microsoft.PowerShell.Commands.TextMeasureInfo"])


class _Stats:
    """Running totals for one measured property."""

    def __init__(self) -> None:
        self.count = 0
        self.numbers = 0
        self.total = 0.0
        self.maximum: float | None = None
        self.minimum: float | None = None
        self.lines = self.words = self.characters = 0
        self.text_seen = False

    def add_number(self, number: float) -> None:
        self.numbers += 1
        self.total += number
        self.maximum = number if self.maximum is None else max(self.maximum, number)
        self.minimum = number if self.minimum is None else min(self.minimum, number)

    def add_text(self, text: str, ignore_whitespace: bool) -> None:
        self.text_seen = True
        self.lines += len(text.splitlines()) if text else 0
        self.words += len(text.split())
        self.characters += len([c for c in text if not c.isspace()]) if ignore_whitespace else len(text)


# ---------------------------------------------------------------------------------------------
# Group-Object
# ---------------------------------------------------------------------------------------------

@cmdlet("Group-Object", aliases=("group",), default_set="Default",
        synopsis="Groups objects that contain the same value for specified properties.",
        examples=[("Get-CsClientPinInfo | Group-Object IsLockedOut -NoElement", "Locked vs unlocked counts.")])
class GroupObject(Cmdlet):
    """``Group-Object``: GroupInfo objects (Count, Name, Group) in order of first appearance."""

    InputObject = Parameter("psobject", from_pipeline=True)
    Property = Parameter("object[]", position=0)
    NoElement = Parameter("switch")
    AsHashTable = Parameter("switch", aliases=("AHT",), sets=("HashTable",))
    AsString = Parameter("switch", sets=("HashTable",))
    CaseSensitive = Parameter("switch")
    Culture = Parameter("string")

    def begin(self, ctx: CommandContext) -> None:
        self._specs = parse_property_specs(self, self.Property) if self.Property else []
        self._groups: list[tuple[list[Any], list[Any]]] = []

    def process(self, ctx: CommandContext) -> None:
        if not was_bound(self, "InputObject"):
            return
        obj = self.InputObject
        values = [spec.value(ctx, obj) for spec in self._specs] if self._specs else [obj]
        for key, members in self._groups:
            if all(operators.equals(a, b, case_sensitive=bool(self.CaseSensitive)) for a, b in zip(key, values)):
                members.append(obj)
                return
        self._groups.append((values, [obj]))

    def end(self, ctx: CommandContext) -> None:
        if self.AsHashTable:
            table = PSHashtable()
            for key, members in self._groups:
                name = ", ".join(to_string(v) for v in key)
                table[name if (self.AsString or len(key) > 1) else key[0]] = members
            ctx.write_object(table)
            return
        for key, members in self._groups:
            props = [("Count", len(members)), ("Name", ", ".join(to_string(v) for v in key)),
                     ("Group", None if self.NoElement else members), ("Values", key)]
            info = PSObject(props, type_names=["Microsoft.PowerShell.Commands.GroupInfo"],
                            display=["Count", "Name"] if self.NoElement else ["Count", "Name", "Group"])
            ctx.write_object(info)

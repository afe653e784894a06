"""The object-pipeline utilities admin scripts lean on: Where-, ForEach-, Select-, Sort-, Measure-
and Group-Object, with Windows PowerShell 5.1 semantics.

These cmdlets know nothing about PINs: they filter, project, order and count whatever flows
through the pipeline. Comparisons are delegated to :mod:`csshell.runtime.operators` so that
``Where-Object IsLockedOut -eq $true`` and ``$_.IsLockedOut -eq $true`` can never disagree.
"""
from __future__ import annotations

import datetime as _dt
import functools
from typing import Any

from csshell.runtime import operators
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord, PipelineStopped, PSError
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, enumerate_value, get_property,
                                    to_bool, to_number, to_string, type_name)

PSCUSTOMOBJECT = "System.Management.Automation.PSCustomObject"
_WILDCARD_CHARS = set("*?[")
_DATETIME_PROPERTIES = ["DisplayHint", "DateTime", "Date", "Day", "DayOfWeek", "DayOfYear", "Hour", "Kind",
                        "Millisecond", "Minute", "Month", "Second", "Ticks", "TimeOfDay", "Year"]
_HASHTABLE_PROPERTIES = ["IsReadOnly", "IsFixedSize", "IsSynchronized", "Keys", "Values", "SyncRoot", "Count"]


# ---------------------------------------------------------------------------------------------
# Shared helpers (also used by files.py for Export-Csv)
# ---------------------------------------------------------------------------------------------

def property_names(value: Any) -> list[str]:
    """The property names PowerShell would list for ``value`` (Select-Object *, Export-Csv header)."""
    if isinstance(value, PSObject):
        return value.names()
    if isinstance(value, PSHashtable):
        return list(_HASHTABLE_PROPERTIES)
    if isinstance(value, str):
        return ["Length"]
    if isinstance(value, _dt.datetime):
        return list(_DATETIME_PROPERTIES)
    return []


def read_property(value: Any, name: str) -> Any:
    """A property value, with the .NET-only members Export-Csv and Select-Object can reach."""
    if isinstance(value, PSHashtable) and name.lower() in ("isreadonly", "isfixedsize", "issynchronized"):
        return False
    return get_property(value, name)


def has_property(value: Any, name: str) -> bool:
    """Whether ``name`` exists on ``value`` (a property holding $null still exists)."""
    if isinstance(value, PSObject):
        return value.has(name)
    if isinstance(value, PSHashtable) and name in value:
        return True
    low = name.lower()
    return any(n.lower() == low for n in property_names(value)) or get_property(value, name) is not None


def has_wildcard(text: str) -> bool:
    return any(ch in _WILDCARD_CHARS for ch in text)


def matching_names(value: Any, pattern: str) -> list[str]:
    """Property names of ``value`` selected by a name or wildcard pattern (case-insensitive)."""
    names = property_names(value)
    if has_wildcard(pattern):
        return [n for n in names if operators.wildcard_match(pattern, n)]
    for n in names:
        if n.lower() == pattern.lower():
            return [n]
    return []


def single_or_list(results: list[Any]) -> Any:
    """How a script block's output becomes one value: nothing → $null, one → it, more → array."""
    if not results:
        return None
    return results[0] if len(results) == 1 else list(results)


def was_bound(command: Cmdlet, name: str) -> bool:
    """Whether the binder bound ``name`` for this record (``$PSBoundParameters.ContainsKey``)."""
    low = name.lower()
    return any(str(k).lower() == low for k in command.bound)


def record_for(command: Cmdlet, message: str, error_id: str, category: str, target: Any = None,
               reason: str = "RuntimeException", target_type: str | None = None) -> ErrorRecord:
    """An ErrorRecord attributed to ``command`` (name prefix and FullyQualifiedErrorId class)."""
    return ErrorRecord(message=message, error_id=error_id, category=category, target=target,
                       target_type=target_type, reason=reason, command_name=command.name,
                       command_class=command.class_name)


# ---------------------------------------------------------------------------------------------
# Calculated properties: @{Name='X'; Expression={...}} and friends
# ---------------------------------------------------------------------------------------------

class PropertySpec:
    """One entry of ``-Property``: a name/wildcard, a script block, or a calculated-property hashtable."""

    def __init__(self, name: str, expression: Any, descending: bool | None = None,
                 calculated: bool = False) -> None:
        self.name = name
        self.expression = expression          # str (property name or wildcard) or ScriptBlock
        self.descending = descending          # Sort-Object's per-key Ascending/Descending
        # a script block or a hashtable: one property under ``name``, no wildcard expansion
        self.is_calculated = calculated or isinstance(expression, ScriptBlock)

    def value(self, ctx: CommandContext, obj: Any) -> Any:
        if isinstance(self.expression, ScriptBlock):
            return single_or_list(ctx.invoke_script_block(self.expression, dollar_under=obj))
        return read_property(obj, self.expression)


_NAME_KEYS = ("name", "label")
_EXPRESSION_KEY = "expression"


def _key_matches(key: str, full: str) -> bool:
    """Hashtable keys may be abbreviated to any prefix (``n``, ``e``, ``Desc``)."""
    return bool(key) and full.startswith(key.lower())


def parse_property_specs(command: Cmdlet, items: Any, allow_order: bool = False) -> list[PropertySpec]:
    """Turn ``-Property`` arguments into specs; a malformed hashtable is a terminating error."""
    specs: list[PropertySpec] = []
    for item in enumerate_value(items):
        if isinstance(item, ScriptBlock):
            specs.append(PropertySpec(item.text, item))
        elif isinstance(item, PSHashtable):
            specs.append(_spec_from_hashtable(command, item, allow_order))
        else:
            text = to_string(item)
            specs.append(PropertySpec(text, text))
    return specs


def _spec_from_hashtable(command: Cmdlet, table: PSHashtable, allow_order: bool) -> PropertySpec:
    name: str | None = None
    expression: Any = None
    descending: bool | None = None
    for key in table:
        low = str(key).lower()
        value = table[key]
        if any(_key_matches(low, k) for k in _NAME_KEYS):
            name = to_string(value)
        elif _key_matches(low, _EXPRESSION_KEY):
            expression = value if isinstance(value, ScriptBlock) else to_string(value)
        elif allow_order and _key_matches(low, "descending"):
            descending = to_bool(value)
        elif allow_order and _key_matches(low, "ascending"):
            descending = not to_bool(value)
        else:
            raise PSError(record_for(command, f"The {key} key is not valid.", "DictionaryKeyIllegal",
                                     "InvalidArgument", reason="NotSupportedException"))
    if expression is None:
        raise PSError(record_for(command, "Missing mandatory key: Expression.", "DictionaryKeyMandatoryEntry",
                                 "InvalidArgument", reason="NotSupportedException"))
    if name is None:
        name = expression.text if isinstance(expression, ScriptBlock) else expression
    return PropertySpec(name, expression, descending, calculated=True)


# ---------------------------------------------------------------------------------------------
# Where-Object
# ---------------------------------------------------------------------------------------------

# (switch parameter, parameter set, operator word for operators.binary_op)
_WHERE_OPERATORS: list[tuple[str, str, str]] = [
    ("EQ", "EqualSet", "eq"), ("CEQ", "CaseSensitiveEqualSet", "ceq"),
    ("NE", "NotEqualSet", "ne"), ("CNE", "CaseSensitiveNotEqualSet", "cne"),
    ("GT", "GreaterThanSet", "gt"), ("CGT", "CaseSensitiveGreaterThanSet", "cgt"),
    ("LT", "LessThanSet", "lt"), ("CLT", "CaseSensitiveLessThanSet", "clt"),
    ("GE", "GreaterOrEqualSet", "ge"), ("CGE", "CaseSensitiveGreaterOrEqualSet", "cge"),
    ("LE", "LessOrEqualSet", "le"), ("CLE", "CaseSensitiveLessOrEqualSet", "cle"),
    ("Like", "LikeSet", "like"), ("CLike", "CaseSensitiveLikeSet", "clike"),
    ("NotLike", "NotLikeSet", "notlike"), ("CNotLike", "CaseSensitiveNotLikeSet", "cnotlike"),
    ("Match", "MatchSet", "match"), ("CMatch", "CaseSensitiveMatchSet", "cmatch"),
    ("NotMatch", "NotMatchSet", "notmatch"), ("CNotMatch", "CaseSensitiveNotMatchSet", "cnotmatch"),
    ("Contains", "ContainsSet", "contains"), ("CContains", "CaseSensitiveContainsSet", "ccontains"),
    ("NotContains", "NotContainsSet", "notcontains"),
    ("CNotContains", "CaseSensitiveNotContainsSet", "cnotcontains"),
    ("In", "InSet", "in"), ("CIn", "CaseSensitiveInSet", "cin"),
    ("NotIn", "NotInSet", "notin"), ("CNotIn", "CaseSensitiveNotInSet", "cnotin"),
    ("Is", "IsSet", "is"), ("IsNot", "IsNotSet", "isnot"),
]
_OPERATOR_SETS = tuple(s for _, s, _ in _WHERE_OPERATORS)
_OPERATOR_BY_SET = {s.lower(): op for _, s, op in _WHERE_OPERATORS}


class WhereObject(Cmdlet):
    """``Where-Object``: keep the pipeline objects a script block or a comparison accepts."""

    InputObject = Parameter("psobject", from_pipeline=True, help="The object to test.")
    FilterScript = Parameter("scriptblock", position=0, mandatory=True, sets=("ScriptBlockSet",),
                             help="A script block evaluated with $_ set to each object.")
    Property = Parameter("string", position=0, mandatory=True, sets=_OPERATOR_SETS,
                         help="The property to compare (simplified syntax).")
    Value = Parameter("object", position=1, sets=_OPERATOR_SETS, help="The value to compare with.")

    def process(self, ctx: CommandContext) -> None:
        if not was_bound(self, "InputObject"):
            return
        obj = self.InputObject
        if self.set_name == "ScriptBlockSet" or (self.FilterScript is not None and self.Property is None):
            keep = to_bool(ctx.invoke_script_block(self.FilterScript, dollar_under=obj))
        else:
            keep = self._compare(obj)
        if keep:
            ctx.write_object(obj)

    def _compare(self, obj: Any) -> bool:
        op = _OPERATOR_BY_SET.get((self.set_name or "EqualSet").lower(), "eq")
        actual = get_property(obj, self.Property)
        if not was_bound(self, "Value"):
            if op != "eq":
                raise PSError(record_for(
                    self, "The specified operator requires both the -Property and -Value parameters. "
                    "Provide values for both parameters, and then try the command again.",
                    "ValueNotSpecifiedForWhereObject", "InvalidOperation", reason="PSArgumentException"))
            return to_bool(actual)
        return to_bool(operators.binary_op(op, actual, self.Value))


for _switch, _set, _op in _WHERE_OPERATORS:
    setattr(WhereObject, _switch, Parameter("switch", mandatory=_switch != "EQ", sets=(_set,), name=_switch,
                                            help=f"Compare with -{_op}."))
WhereObject = cmdlet("Where-Object", aliases=("where", "?"), default_set="EqualSet",
                     synopsis="Selects objects from a collection based on their property values.",
                     examples=[("Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut -eq $True}",
                                "Keeps the users whose PIN is locked."),
                               ("Get-CsClientPinInfo | Where IsPinSet -eq $false",
                                "The simplified syntax: users without a PIN.")])(WhereObject)


# ---------------------------------------------------------------------------------------------
# ForEach-Object
# ---------------------------------------------------------------------------------------------

@cmdlet("ForEach-Object", aliases=("foreach", "%"), default_set="ScriptBlockSet",
        synopsis="Performs an operation against each item in a collection of input objects.",
        examples=[("Get-CsUser | ForEach-Object { $_.DisplayName }", "Prints every display name."),
                  ("Get-CsUser | % SipAddress", "The simplified syntax: reads one property.")])
class ForEachObject(Cmdlet):
    """``ForEach-Object``: run blocks per object (or read a member), streaming their output."""

    InputObject = Parameter("psobject", from_pipeline=True)
    Begin = Parameter("scriptblock", sets=("ScriptBlockSet",))
    Process = Parameter("scriptblock[]", position=0, mandatory=True, remaining_arguments=True,
                        sets=("ScriptBlockSet",))
    End = Parameter("scriptblock", sets=("ScriptBlockSet",))
    RemainingScripts = Parameter("scriptblock[]", sets=("ScriptBlockSet",))
    MemberName = Parameter("string", position=0, mandatory=True, sets=("PropertyAndMethodSet",))
    ArgumentList = Parameter("object[]", aliases=("Args",), sets=("PropertyAndMethodSet",))

    def begin(self, ctx: CommandContext) -> None:
        self._begin, self._process, self._end = self._split_blocks()
        if self._begin is not None:
            self._emit(ctx, ctx.invoke_script_block(self._begin, dollar_under=None))

    def _split_blocks(self) -> tuple[Any, list[Any], Any]:
        """PowerShell's rule: with several -Process blocks and no -Begin/-End, the first is the
        begin block and (when three or more) the last is the end block."""
        blocks = [b for b in enumerate_value(self.Process) if b is not None]
        blocks += [b for b in enumerate_value(self.RemainingScripts) if b is not None]
        begin, end = self.Begin, self.End
        if begin is None and len(blocks) > 1:
            begin, blocks = blocks[0], blocks[1:]
        if end is None and len(blocks) > 1:
            end, blocks = blocks[-1], blocks[:-1]
        return begin, blocks, end

    def process(self, ctx: CommandContext) -> None:
        obj = self.InputObject if was_bound(self, "InputObject") else None
        if self.MemberName is not None and self.set_name == "PropertyAndMethodSet":
            self._member(ctx, obj)
            return
        for block in self._process:
            self._emit(ctx, ctx.invoke_script_block(block, dollar_under=obj))

    def end(self, ctx: CommandContext) -> None:
        if self._end is not None:
            self._emit(ctx, ctx.invoke_script_block(self._end, dollar_under=None))

    @staticmethod
    def _emit(ctx: CommandContext, results: list[Any]) -> None:
        for item in results:
            ctx.write_object(item, enumerate_collection=True)

    def _member(self, ctx: CommandContext, obj: Any) -> None:
        if obj is None:
            return
        if has_property(obj, self.MemberName):
            ctx.write_object(read_property(obj, self.MemberName), enumerate_collection=True)
            return
        method = _METHODS.get(self.MemberName.lower())
        if method is not None and (self.MemberName.lower() == "tostring" or isinstance(obj, str)):
            ctx.write_object(method(obj, *enumerate_value(self.ArgumentList)), enumerate_collection=True)
            return
        ctx.write_error(record_for(self, f'Input name "{self.MemberName}" cannot be resolved to a member.',
                                   "PropertyOrMethodNotFound", "InvalidArgument", target=obj,
                                   reason="PSArgumentException"))


# The few .NET methods `% MethodName` reaches without the evaluator's method binder.
_METHODS = {
    "tostring": lambda o, *a: to_string(o),
    "toupper": lambda o, *a: o.upper(),
    "tolower": lambda o, *a: o.lower(),
    "trim": lambda o, *a: o.strip(*[to_string(x) for x in a]),
    "trimstart": lambda o, *a: o.lstrip(*[to_string(x) for x in a]),
    "trimend": lambda o, *a: o.rstrip(*[to_string(x) for x in a]),
}


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
    Last = Parameter("int", sets=("DefaultParameter",))
    First = Parameter("int", sets=("DefaultParameter",))
    Skip = Parameter("int", sets=("DefaultParameter",))
    SkipLast = Parameter("int", sets=("SkipLastParameter",))
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

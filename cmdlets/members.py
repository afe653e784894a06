"""Get-Member: what properties and methods an object has, as Windows PowerShell 5.1 lists them.

Admin scripts use it to read a CSV's columns (``Get-Member -MemberType NoteProperty | Select-Object
-ExpandProperty Name``) and to discover what Get-CsUser returns. Each member is a MemberDefinition
object (TypeName, Name, MemberType, Definition); one block per distinct type, sorted by member type
then name, as 5.1 does. Property bags list NoteProperties (``string Name=Ken``); objects a cmdlet emits
for a .NET type list Properties. For strings, dates, numbers and hashtables the tables below are the
commonly used subset of the .NET members (one overload shown per method).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any

from cmdlets.object_properties import record_for, was_bound
from csshell.runtime import operators
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.values import (
    PSHashtable,
    PSObject,
    ScriptBlock,
    enumerate_value,
    to_string,
    type_name,
)

MEMBER_DEFINITION = "Microsoft.PowerShell.Commands.MemberDefinition"
PSCUSTOMOBJECT = "System.Management.Automation.PSCustomObject"
MEMBER_TYPES = ("AliasProperty", "CodeProperty", "Property", "NoteProperty", "ScriptProperty", "Properties",
                "PropertySet", "Method", "CodeMethod", "ScriptMethod", "Methods", "ParameterizedProperty",
                "MemberSet", "Event", "Dynamic", "All")
_GROUPS = {"properties": {"AliasProperty", "CodeProperty", "Property", "NoteProperty", "ScriptProperty"},
           "methods": {"Method", "CodeMethod", "ScriptMethod"}}
# ToStringCodeMethods.Type(dropNamespaces: true): the short names 5.1 prints in definitions
SHORT_TYPES = {"System.String": "string", "System.Int32": "int", "System.Int64": "long", "System.Boolean": "bool",
               "System.Double": "double", "System.DateTime": "datetime", "System.TimeSpan": "timespan",
               "System.Object": "System.Object", "System.Collections.Hashtable": "hashtable",
               "System.Management.Automation.ScriptBlock": "scriptblock", "System.Char": "char",
               "System.Object[]": "Object[]", "System.Decimal": "decimal"}
OBJECT_METHODS = [("Equals", "bool Equals(System.Object obj)"), ("GetHashCode", "int GetHashCode()"),
                  ("GetType", "type GetType()"), ("ToString", "string ToString()")]
_STRING_METHODS = [
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("CompareTo", "int CompareTo(System.Object value), int CompareTo(string strB)"),
    ("Contains", "bool Contains(string value)"),
    ("CopyTo", "void CopyTo(int sourceIndex, char[] destination, int destinationIndex, int count)"),
    ("EndsWith", "bool EndsWith(string value)"), ("GetEnumerator", "System.CharEnumerator GetEnumerator()"),
    ("GetTypeCode", "System.TypeCode GetTypeCode()"), ("IndexOf", "int IndexOf(char value), int IndexOf(string value)"),
    ("IndexOfAny", "int IndexOfAny(char[] anyOf)"), ("Insert", "string Insert(int startIndex, string value)"),
    ("IsNormalized", "bool IsNormalized()"),
    ("LastIndexOf", "int LastIndexOf(char value), int LastIndexOf(string value)"),
    ("LastIndexOfAny", "int LastIndexOfAny(char[] anyOf)"), ("Normalize", "string Normalize()"),
    ("PadLeft", "string PadLeft(int totalWidth), string PadLeft(int totalWidth, char paddingChar)"),
    ("PadRight", "string PadRight(int totalWidth), string PadRight(int totalWidth, char paddingChar)"),
    ("Remove", "string Remove(int startIndex, int count), string Remove(int startIndex)"),
    ("Replace", "string Replace(char oldChar, char newChar), string Replace(string oldValue, string newValue)"),
    ("Split", "string[] Split(Params char[] separator), string[] Split(char[] separator, int count)"),
    ("StartsWith", "bool StartsWith(string value)"),
    ("Substring", "string Substring(int startIndex), string Substring(int startIndex, int length)"),
    ("ToCharArray", "char[] ToCharArray()"), ("ToLower", "string ToLower()"),
    ("ToLowerInvariant", "string ToLowerInvariant()"), ("ToUpper", "string ToUpper()"),
    ("ToUpperInvariant", "string ToUpperInvariant()"), ("Trim", "string Trim(Params char[] trimChars), string Trim()"),
    ("TrimEnd", "string TrimEnd(Params char[] trimChars)"), ("TrimStart", "string TrimStart(Params char[] trimChars)")]
_NUMBER_METHODS = [("CompareTo", "int CompareTo(System.Object value)"),
                   ("GetTypeCode", "System.TypeCode GetTypeCode()")]
_DATE_METHODS = [(f"Add{unit}", f"datetime Add{unit}(double value)") for unit in
                 ("Days", "Hours", "Milliseconds", "Minutes", "Seconds")] + [
    ("Add", "datetime Add(timespan value)"), ("AddMonths", "datetime AddMonths(int months)"),
    ("AddTicks", "datetime AddTicks(long value)"), ("AddYears", "datetime AddYears(int value)"),
    ("CompareTo", "int CompareTo(System.Object value), int CompareTo(datetime value)"),
    ("GetTypeCode", "System.TypeCode GetTypeCode()"), ("IsDaylightSavingTime", "bool IsDaylightSavingTime()"),
    ("Subtract", "timespan Subtract(datetime value), datetime Subtract(timespan value)"),
    ("ToLocalTime", "datetime ToLocalTime()"), ("ToLongDateString", "string ToLongDateString()"),
    ("ToLongTimeString", "string ToLongTimeString()"), ("ToShortDateString", "string ToShortDateString()"),
    ("ToShortTimeString", "string ToShortTimeString()"), ("ToUniversalTime", "datetime ToUniversalTime()")]
_DATE_PROPERTIES = [("Date", "datetime"), ("Day", "int"), ("DayOfWeek", "System.DayOfWeek"), ("DayOfYear", "int"),
                    ("Hour", "int"), ("Kind", "System.DateTimeKind"), ("Millisecond", "int"), ("Minute", "int"),
                    ("Month", "int"), ("Second", "int"), ("Ticks", "long"), ("TimeOfDay", "timespan"), ("Year", "int")]
_HASHTABLE_METHODS = [
    ("Add", ("void Add(System.Object key, System.Object value), "
             "void IDictionary.Add(System.Object key, System.Object value)")),
    ("Clear", "void Clear(), void IDictionary.Clear()"),
    ("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
    ("Contains", "bool Contains(System.Object key), bool IDictionary.Contains(System.Object key)"),
    ("ContainsKey", "bool ContainsKey(System.Object key)"),
    ("ContainsValue", "bool ContainsValue(System.Object value)"),
    ("CopyTo", "void CopyTo(array array, int arrayIndex), void ICollection.CopyTo(array array, int index)"),
    ("GetEnumerator", "System.Collections.IDictionaryEnumerator GetEnumerator()"),
    ("Remove", "void Remove(System.Object key), void IDictionary.Remove(System.Object key)")]
_HASHTABLE_PROPERTIES = [("Count", "int Count {get;}"), ("IsFixedSize", "bool IsFixedSize {get;}"),
                         ("IsReadOnly", "bool IsReadOnly {get;}"), ("IsSynchronized", "bool IsSynchronized {get;}"),
                         ("Keys", "System.Collections.ICollection Keys {get;}"),
                         ("SyncRoot", "System.Object SyncRoot {get;}"),
                         ("Values", "System.Collections.ICollection Values {get;}")]
_ARRAY_METHODS = [("Clone", "System.Object Clone(), System.Object ICloneable.Clone()"),
                  ("CopyTo", "void CopyTo(array array, int index)"), ("Get", "System.Object Get(int )"),
                  ("GetEnumerator", "System.Collections.IEnumerator GetEnumerator()"),
                  ("GetLength", "int GetLength(int dimension)"), ("Set", "void Set(int , System.Object )")]
_ARRAY_PROPERTIES = [("Count", "int Count {get;}"), ("IsFixedSize", "bool IsFixedSize {get;}"),
                     ("IsReadOnly", "bool IsReadOnly {get;}"), ("IsSynchronized", "bool IsSynchronized {get;}"),
                     ("Length", "int Length {get;}"), ("LongLength", "long LongLength {get;}"),
                     ("Rank", "int Rank {get;}"), ("SyncRoot", "System.Object SyncRoot {get;}")]
_STATIC = {
    "System.String": [("Method", "Compare", "static int Compare(string strA, string strB)"),
                      ("Method", "Concat", "static string Concat(Params string[] values)"),
                      ("Method", "Equals", "static bool Equals(string a, string b)"),
                      ("Method", "Format", "static string Format(string format, Params System.Object[] args)"),
                      ("Method", "IsNullOrEmpty", "static bool IsNullOrEmpty(string value)"),
                      ("Method", "IsNullOrWhiteSpace", "static bool IsNullOrWhiteSpace(string value)"),
                      ("Method", "Join", "static string Join(string separator, Params string[] value)"),
                      ("Property", "Empty", "static string Empty {get;}")],
    "System.DateTime": [("Method", "DaysInMonth", "static int DaysInMonth(int year, int month)"),
                        ("Method", "IsLeapYear", "static bool IsLeapYear(int year)"),
                        ("Method", "Parse", "static datetime Parse(string s)"),
                        ("Method", "ParseExact", ("static datetime ParseExact(string s, string format, "
                                                  "System.IFormatProvider provider)")),
                        ("Property", "MaxValue", "static datetime MaxValue {get;}"),
                        ("Property", "MinValue", "static datetime MinValue {get;}"),
                        ("Property", "Now", "datetime Now {get;}"), ("Property", "Today", "datetime Today {get;}"),
                        ("Property", "UtcNow", "datetime UtcNow {get;}")],
    "System.Int32": [("Method", "Parse", "static int Parse(string s)"),
                     ("Method", "TryParse", "static bool TryParse(string s, [ref] int result)"),
                     ("Property", "MaxValue", "static int MaxValue {get;}"),
                     ("Property", "MinValue", "static int MinValue {get;}")],
}
_DATETIME_SCRIPT = ("System.Object DateTime {get=if ((& { Set-StrictMode -Version 1; $this.DisplayHint }) -ieq  "
                    "\"Date\")...}")
_INVOKE = "System.Collections.ObjectModel.Collection[psobject] Invoke(Params System.Object[] args)"
_STATIC_COMMON = [("Method", "Equals", "static bool Equals(System.Object objA, System.Object objB)"),
                  ("Method", "ReferenceEquals", "static bool ReferenceEquals(System.Object objA, System.Object objB)")]


def short_type(value: Any) -> str:
    """The type name a NoteProperty definition shows: ``string``, ``int``, ``Object[]``, ``object`` for $null."""
    if value is None:
        return "object"
    if isinstance(value, PSObject):
        return value.type_names[0] if value.type_names else PSCUSTOMOBJECT
    full = type_name(value)
    return SHORT_TYPES.get(full, full.rsplit(".", 1)[-1])


def value_text(value: Any) -> str:
    """``ToString()`` as a definition shows it (``null``, ``System.Object[]`` for arrays)."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "System.Object[]"
    return to_string(value)


def members_of(value: Any) -> list[tuple[str, str, str]]:
    """(MemberType, Name, Definition) of ``value``'s instance members."""
    if isinstance(value, PSObject):
        return _psobject_members(value)
    if isinstance(value, str):
        return (_methods(OBJECT_METHODS + _STRING_METHODS)
                + [("ParameterizedProperty", "Chars", "char Chars(int index) {get;}"),
                   ("Property", "Length", "int Length {get;}")])
    if isinstance(value, bool):
        return _methods(OBJECT_METHODS + _NUMBER_METHODS)
    if isinstance(value, (int, float)):
        return _methods(OBJECT_METHODS + _NUMBER_METHODS)
    if isinstance(value, _dt.datetime):
        return (_methods(OBJECT_METHODS + _DATE_METHODS)
                + [("NoteProperty", "DisplayHint", "DisplayHintType DisplayHint=DateTime")]
                + [("Property", n, f"{t} {n} {{get;}}") for n, t in _DATE_PROPERTIES]
                + [("ScriptProperty", "DateTime", _DATETIME_SCRIPT)])
    if isinstance(value, PSHashtable):
        return (_methods(OBJECT_METHODS + _HASHTABLE_METHODS)
                + [("ParameterizedProperty", "Item", "System.Object Item(System.Object key) {get;set;}")]
                + [("Property", n, d) for n, d in _HASHTABLE_PROPERTIES])
    if isinstance(value, list):
        return (_methods(OBJECT_METHODS + _ARRAY_METHODS) + [("Property", n, d) for n, d in _ARRAY_PROPERTIES]
                + [("AliasProperty", "Count", "Count = Length")])
    if isinstance(value, ScriptBlock):
        return _methods(OBJECT_METHODS + [("Invoke", _INVOKE)]) + [
            ("Property", "File", "string File {get;}"), ("Property", "Module", "psmoduleinfo Module {get;}")]
    return _methods(OBJECT_METHODS)


def _methods(pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    return [("Method", name, definition) for name, definition in pairs]


def _psobject_members(value: PSObject) -> list[tuple[str, str, str]]:
    """A property bag's NoteProperties; an object standing for a .NET type (a cmdlet's output) has Properties."""
    custom = not value.type_names or value.type_names[0] == PSCUSTOMOBJECT or value.type_names[0].startswith(
        "Selected.")
    members = _methods(OBJECT_METHODS)
    for name, item in value.items():
        if custom:
            members.append(("NoteProperty", name, f"{short_type(item)} {name}={value_text(item)}"))
        else:
            members.append(("Property", name, f"{short_type(item)} {name} {{get;set;}}"))
    return members


def static_members_of(value: Any) -> list[tuple[str, str, str]]:
    return _STATIC.get(type_name(value), []) + _STATIC_COMMON


def member_definition(type_name_: str, member: tuple[str, str, str]) -> PSObject:
    kind, name, definition = member
    return PSObject([("TypeName", type_name_), ("Name", name), ("MemberType", kind), ("Definition", definition)],
                    type_names=[MEMBER_DEFINITION], display=["Name", "MemberType", "Definition"], tostring=definition)


@cmdlet("Get-Member", aliases=("gm",), class_name="Microsoft.PowerShell.Commands.GetMemberCommand",
        outputs=MEMBER_DEFINITION,
        synopsis="Gets the properties and methods of objects.",
        description="Lists the members of each distinct type among the input objects: a header with the type "
                    "name, then Name, MemberType and Definition of each member.",
        examples=[("Get-CsUser | Get-Member", "What a user object carries."),
                  (("Import-Csv .\\users.csv | Get-Member -MemberType NoteProperty | Select-Object -ExpandProperty "
                    "Name"), "The column names of a CSV file.")])
class GetMember(Cmdlet):
    """``Get-Member``: MemberDefinition objects, one block per type seen (each type listed once)."""

    InputObject = Parameter("psobject", from_pipeline=True, allow_null=True,
                            help="The object whose members are listed; piped collections are enumerated.")
    Name = Parameter("string[]", position=0, help="Member names to list; wildcards allowed.")
    MemberType = Parameter("PSMemberTypes", aliases=("Type",),
                           help="Kinds of members: Property, NoteProperty, Method, Properties, Methods, All...")
    Static = Parameter("switch", help="Lists the static members of the type instead.")
    Force = Parameter("switch", help="Accepted; intrinsic members are not listed.")
    View = Parameter("PSMemberViewTypes", validate_set=("Extended", "Adapted", "Base", "All"),
                     help="Accepted for compatibility.")

    def begin(self, ctx: CommandContext) -> None:
        self.seen: set[str] = set()
        self.any_input = False
        self.kinds = self._member_kinds(ctx)

    def process(self, ctx: CommandContext) -> None:
        value = self.InputObject if was_bound(self, "InputObject") else ctx.input_object
        if value is None:
            return
        self.any_input = True
        tname = type_name(value)
        if tname in self.seen:
            return
        self.seen.add(tname)
        members = static_members_of(value) if self.Static else members_of(value)
        for member in sorted(members, key=lambda m: (m[0].lower(), m[1].lower())):
            if self._wanted(member):
                ctx.write_object(member_definition(tname, member))

    def end(self, ctx: CommandContext) -> None:
        if not self.any_input:
            ctx.throw_error(record_for(self, "You must specify an object for the Get-Member cmdlet.",
                                       "NoObjectInGetMember", "CloseError", reason="InvalidOperationException"))

    def _wanted(self, member: tuple[str, str, str]) -> bool:
        kind, name, _ = member
        if self.kinds is not None and kind not in self.kinds:
            return False
        if self.Name is None:
            return True
        return any(operators.wildcard_match(to_string(p), name) for p in enumerate_value(self.Name))

    def _member_kinds(self, ctx: CommandContext) -> set[str] | None:
        """The member types ``-MemberType`` selects (a flags enum: ``Property,NoteProperty``)."""
        if self.MemberType is None:
            return None
        kinds: set[str] = set()
        for item in enumerate_value(self.MemberType):
            for part in to_string(item).split(","):
                match = next((t for t in MEMBER_TYPES if t.lower() == part.strip().lower()), None)
                if match is None:
                    ctx.throw_error(record_for(
                        self, f"Cannot bind parameter 'MemberType'. Cannot convert value \"{part.strip()}\" to type "
                              "\"System.Management.Automation.PSMemberTypes\". Error: \"Unable to match the "
                              f"identifier name {part.strip()} to a valid enumerator name. Specify one of the "
                              "following enumerator names and try again:\n" + ", ".join(MEMBER_TYPES) + "\"",
                        "CannotConvertArgumentNoMessage", "InvalidArgument", reason="ParameterBindingException"))
                if match == "All":
                    return None
                kinds |= _GROUPS.get(match.lower(), {match})
        return kinds

"""Where-Object and ForEach-Object, with Windows PowerShell 5.1 semantics.

These cmdlets know nothing about PINs: they filter and transform whatever flows through the
pipeline. Comparisons are delegated to :mod:`csshell.runtime.operators` so that
``Where-Object IsLockedOut -eq $true`` and ``$_.IsLockedOut -eq $true`` can never disagree, and
``ForEach-Object MethodName`` calls the same method binder as ``$_.MethodName()``. Select-, Sort-,
Measure- and Group-Object are in ``selection.py``; the property helpers they share in
``object_properties.py``.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cmdlets.object_properties import has_property, read_property, record_for, was_bound
from csshell.runtime import compiled, methods, operators
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.fusion import FusedStage, ObjectStream
from csshell.runtime.values import PSHashtable, enumerate_value, get_property, to_bool, to_string


def _input_bound(command: Cmdlet) -> bool:
    """``was_bound(command, "InputObject")``, asked once per pipeline object: the binder's own spelling first."""
    return "InputObject" in command.bound or was_bound(command, "InputObject")


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
        if not _input_bound(self):
            return
        obj = self.InputObject
        if self.set_name == "ScriptBlockSet" or (self.FilterScript is not None and self.Property is None):
            keep = to_bool(ctx.invoke_script_block(self.FilterScript, dollar_under=obj))
        else:
            keep = self._compare(obj)
        if keep:
            ctx.write_object(obj)

    def fuse_upstream(self, ctx: CommandContext, upstream: ObjectStream, stage: FusedStage) -> ObjectStream | None:
        """The upstream items whose properties pass the filter, tested without making the objects (fusion.py).

        Only a filter that reads nothing of ``$_`` but properties the stream can read from its items
        fuses; an item whose test raises goes the ordinary way (the interpreter reports the error).
        """
        if "InputObject" in self.bound or not upstream.properties:
            return None
        test = self._item_test(ctx, upstream.properties)
        if test is None:
            return None

        def kept() -> Iterator[Any]:
            for item in upstream.items:
                try:
                    keep = test(item)
                except Exception:
                    stage.ordinary(upstream.make(item))
                    continue
                if keep:
                    yield item
        return upstream.derive(kept())

    def _item_test(self, ctx: CommandContext, properties: Any) -> Callable[[Any], bool] | None:
        """``item -> keep?`` for a fused stream, as :meth:`process` decides for the item's object."""
        session = ctx.session
        if self.set_name == "ScriptBlockSet" or (self.FilterScript is not None and self.Property is None):
            value = compiled.compile_item_filter(self.FilterScript.ast, properties)
            if value is None:
                return None

            def passes(item: Any) -> bool:
                keep = to_bool(value(session, item))
                session.last_success = True          # as the block's own statement would leave $?
                return keep
            return passes
        read = properties.get(to_string(self.Property).lower())
        op = _OPERATOR_BY_SET.get((self.set_name or "EqualSet").lower(), "eq")
        if read is None:
            return None
        if not was_bound(self, "Value"):
            return (lambda item: to_bool(read(item))) if op == "eq" else None
        value = self.Value
        return lambda item: to_bool(operators.binary_op(op, read(item), value))

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
    ArgumentList = Parameter("object[]", aliases=("Args",), remaining_arguments=True,
                             sets=("PropertyAndMethodSet",))

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
        obj = self.InputObject if _input_bound(self) else None
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
        if isinstance(obj, PSHashtable) and self.MemberName in obj:
            ctx.write_object(obj[self.MemberName], enumerate_collection=True)     # a key first, as 5.1 does
            return
        if has_property(obj, self.MemberName):
            ctx.write_object(read_property(obj, self.MemberName), enumerate_collection=True)
            return
        try:
            result = methods.invoke_method(obj, self.MemberName, list(enumerate_value(self.ArgumentList)))
        except PSError as exc:
            ctx.write_error(self._member_error(exc, obj))
            return
        if result is not None:              # a void method (``% Clear``) outputs nothing
            ctx.write_object(result, enumerate_collection=True)

    def _member_error(self, exc: PSError, obj: Any) -> ErrorRecord:
        """No such member, or the method threw: either way a non-terminating error for this object."""
        if exc.record.error_id == "MethodNotFound":
            return record_for(self, f'Input name "{self.MemberName}" cannot be resolved to a member.',
                              "PropertyOrMethodNotFound", "InvalidArgument", target=obj,
                              reason="PSArgumentException")
        return record_for(self, exc.record.message, "MethodInvocationError", "InvalidOperation", target=obj,
                          reason=exc.record.reason)

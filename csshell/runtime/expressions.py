"""Expression evaluation: one function per AST expression type, dispatched by :func:`evaluate`.

Expressions never write to the pipeline; sub-statements (``$( )``, ``@( )``, ``( )``) run through the
interpreter and their output is collected. Operators, conversions and .NET members are delegated to
``operators.py``, ``methods.py`` and ``conversions.py``. ``compiled.py`` turns the pure expressions of
simple script blocks into closures that compute exactly what these handlers compute: keep the two in step.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csshell.language import ast as A
from csshell.runtime import methods, operators
from csshell.runtime.errors import ErrorRecord, PSError, INVALID_OPERATION
from csshell.runtime.intrinsics import INTRINSIC_NAMES, MemberCollection, intrinsic_member
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, get_property, is_enumerable,
                                    to_bool, to_string)

if TYPE_CHECKING:
    from csshell.runtime.interpreter import Interpreter


def evaluate(interp: "Interpreter", node: A.Node) -> Any:
    handler = _HANDLERS.get(type(node))
    if handler is None:
        raise PSError(ErrorRecord(f"Unsupported expression: {type(node).__name__}", "UnsupportedExpression",
                                  INVALID_OPERATION, extent=node.extent))
    try:
        return handler(interp, node)
    except PSError as err:
        if err.record.extent is None:
            err.record.extent = node.extent
        raise


def unwrap(items: list[Any]) -> Any:
    """Collected pipeline output as a value: nothing → $null, one → that object, more → an array."""
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def _constant(interp, node: A.Constant) -> Any:
    return node.value


def _expandable(interp, node: A.ExpandableString) -> str:
    ofs = interp.session.get_variable("OFS", " ")
    ofs = " " if ofs is None else to_string(ofs)
    out = []
    for part in node.parts:
        if isinstance(part, str):
            out.append(part)
        else:
            value = evaluate(interp, part)
            out.append(to_string(value, ofs))
    return "".join(out)


def _variable(interp, node: A.VariableExpr) -> Any:
    return interp.session.get_variable(node.name)


def _array_literal(interp, node: A.ArrayLiteral) -> list:
    return [evaluate(interp, item) for item in node.items]


def _array_expression(interp, node: A.ArrayExpression) -> list:
    return interp.collect_statements(node.body.statements)


def _subexpression(interp, node: A.SubExpression) -> Any:
    return unwrap(interp.collect_statements(node.body.statements))


def _paren(interp, node: A.ParenExpression) -> Any:
    if node.pipeline is None:
        return None
    return interp.value_of_statement(node.pipeline)


def _hash(interp, node: A.HashLiteral) -> PSHashtable:
    table = PSHashtable()
    for key_node, value_stmt in node.pairs:
        key = evaluate(interp, key_node)
        if key in table:
            raise PSError(ErrorRecord(
                f"Duplicate keys '{to_string(key)}' are not allowed in hash literals.", "DuplicateKeyInHashLiteral",
                "ParserError", extent=key_node.extent, reason="ParseException"))
        table[key] = interp.value_of_statement(value_stmt)
    return table


def _script_block(interp, node: A.ScriptBlockExpr) -> ScriptBlock:
    return ScriptBlock(node.text, node.body, node.extent.file)


def _type_literal(interp, node: A.TypeLiteral) -> Any:
    return methods.resolve_type(node.type_name)


def _convert(interp, node: A.ConvertExpr) -> Any:
    name = node.type_name.lower().removeprefix("system.")
    if name == "ordered" and isinstance(node.operand, A.HashLiteral):
        table = _hash(interp, node.operand)
        table.ordered = True
        return table
    if name in ("pscustomobject", "management.automation.pscustomobject") and isinstance(node.operand, A.HashLiteral):
        return PSObject(list(_hash(interp, node.operand).items()))
    value = evaluate(interp, node.operand)
    if name == "void":
        return None
    return methods.resolve_type(node.type_name).convert(value)


def _binary(interp, node: A.BinaryExpr) -> Any:
    op = node.op
    if op in ("and", "or"):
        left = to_bool(evaluate(interp, node.left))
        if op == "and" and not left:
            return False
        if op == "or" and left:
            return True
        return to_bool(evaluate(interp, node.right))
    left = evaluate(interp, node.left)
    right = evaluate(interp, node.right)
    if op == "..":
        return _range(left, right, node)
    base, case_sensitive = operators.split_operator(op)
    if base in ("match", "notmatch"):
        result, matches = operators.match_op(left, right, base == "notmatch", case_sensitive)
        if matches is not None:
            interp.session.set_variable("Matches", matches)
        return result
    if base == "split" and operators.split_uses_predicate(right):
        # a script-block delimiter runs once per character: only the interpreter can run it
        return operators.split_by_predicate(left, right, lambda block, char, text, index: interp.invoke_block(
            block, dollar_under=char, args=[text, index], new_scope=False))
    return operators.binary_op(op, left, right)


def _range(left: Any, right: Any, node: A.Node) -> list[int]:
    return list(_range_of(left, right, node))


def _range_of(left: Any, right: Any, node: A.Node) -> range:
    from csshell.runtime.conversions import ConversionError, convert_to
    try:
        start, end = int(convert_to(left, "int")), int(convert_to(right, "int"))
    except ConversionError as exc:
        raise PSError(ErrorRecord(exc.message, "InvalidCastFromStringToInteger", "InvalidArgument",
                                  extent=node.extent)) from None
    step = 1 if end >= start else -1
    return range(start, end + step, step)


def lazy_items(interp, node: A.Node) -> Any:
    """The items an expression sends down a pipeline, without building a range first.

    ``1..1000000000 | Select-Object -First 3`` (and ``foreach ($i in 1..N)``) must not build a billion
    element list before the first item flows; any other expression is evaluated as usual (a list is
    enumerated, anything else is one item).
    """
    if isinstance(node, A.BinaryExpr) and node.op == "..":
        try:
            return _range_of(evaluate(interp, node.left), evaluate(interp, node.right), node)
        except PSError as err:
            if err.record.extent is None:
                err.record.extent = node.extent
            raise
    value = evaluate(interp, node)
    return value if isinstance(value, list) else [value]


def _unary(interp, node: A.UnaryExpr) -> Any:
    op = node.op
    if op in ("++", "--"):
        return _increment(interp, node)
    operand = evaluate(interp, node.operand)
    if op == "not":
        return not to_bool(operand)
    if op == ",":
        return [operand]
    return operators.unary_op(op, operand)


def _increment(interp, node: A.UnaryExpr) -> Any:
    old = evaluate(interp, node.operand)
    new = operators.binary_op("+" if node.op == "++" else "-", 0 if old is None else old, 1)
    interp.assign_to(node.operand, new)
    return old if node.postfix else new


def _member_name(interp, member: A.Node) -> str:
    if isinstance(member, A.Constant):
        return to_string(member.value)
    return to_string(evaluate(interp, member))


def _member(interp, node: A.MemberExpr) -> Any:
    target = evaluate(interp, node.obj)
    name = _member_name(interp, node.member)
    if node.static:
        return methods.get_static(target, name, interp.session)
    return member_value(target, name)


def member_value(target: Any, name: str) -> Any:
    """``$x.Name``: properties, then PowerShell's extra members (``Count``/``Length`` on anything,
    ``PSObject`` and ``pstypenames`` on anything but ``$null``: see ``intrinsics.py``)."""
    if (len(name) == 8 or len(name) == 11) and target is not None and name.lower() in INTRINSIC_NAMES:
        return intrinsic_member(target, name)
    return get_property(target, name)


def _invoke_member(interp, node: A.InvokeMemberExpr) -> Any:
    target = evaluate(interp, node.obj)
    name = _member_name(interp, node.member)
    args = [evaluate(interp, a) for a in node.arguments]
    if node.static:
        return methods.invoke_static(target, name, args, interp.session)
    if isinstance(target, ScriptBlock) and name.lower() in ("invoke", "invokereturnasis"):
        return unwrap(interp.invoke_block(target, args=args))
    special = interp.special_method(target, name, args)
    if special is not NotImplemented:
        return special
    return methods.invoke_method(target, name, args)


def _index(interp, node: A.IndexExpr) -> Any:
    target = evaluate(interp, node.obj)
    index = evaluate(interp, node.index)
    return index_value(target, index)


def index_value(target: Any, index: Any) -> Any:
    """``$a[i]``: negative indexes from the end, arrays of indexes slice, missing → ``$null``."""
    if target is None:
        raise PSError(ErrorRecord("Cannot index into a null array.", "NullArray", INVALID_OPERATION,
                                  reason="RuntimeException"))
    if isinstance(target, PSHashtable):
        if isinstance(index, list):
            return [target.get(k) for k in index]
        return target.get(index)
    if isinstance(target, MemberCollection) and isinstance(index, str):
        return target.find(index)
    if isinstance(index, list):
        return [v for v in (index_value(target, i) for i in index) if v is not None]
    if isinstance(target, PSObject):
        return target.get(to_string(index))
    sequence = target if isinstance(target, (list, str)) else ([target] if not is_enumerable(target) else list(target))
    try:
        i = int(index)
    except (TypeError, ValueError):
        return None
    if -len(sequence) <= i < len(sequence):
        return sequence[i]
    return None


_HANDLERS = {
    A.Constant: _constant,
    A.ExpandableString: _expandable,
    A.VariableExpr: _variable,
    A.ArrayLiteral: _array_literal,
    A.ArrayExpression: _array_expression,
    A.SubExpression: _subexpression,
    A.ParenExpression: _paren,
    A.HashLiteral: _hash,
    A.ScriptBlockExpr: _script_block,
    A.TypeLiteral: _type_literal,
    A.ConvertExpr: _convert,
    A.BinaryExpr: _binary,
    A.UnaryExpr: _unary,
    A.MemberExpr: _member,
    A.InvokeMemberExpr: _invoke_member,
    A.IndexExpr: _index,
}

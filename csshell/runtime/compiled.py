"""Script blocks compiled to Python closures: the filters of a pipeline, run without the interpreter.

``Where-Object {$_.IsLockedOut}`` and ``ForEach-Object {$_ * 2}`` run their block once per pipeline
object. Interpreting it costs a statement, a scope, variable bookkeeping and error plumbing each time;
for 100,000 objects that is most of the pipeline. A block whose whole body is one *pure expression*
(no assignment, no command, no call, nothing that writes a variable) is compiled here, once per AST
node, into ``run(session, dollar_under) -> output list``, the list the interpreter would return.

Compiled: constants, variables (``$_``/``$PSItem`` are the object; ``$true``/``$false``/``$null``
constants; others read from the session as the interpreter does), ``$x.Name`` (a literal name),
``$x[i]``, ``( expression )``, ``a, b``, unary operators (not ``++``/``--``) and binary operators
except ``..``, ``-match``/``-notmatch`` (they set ``$Matches``) and ``-split`` (its script-block form
invokes a block). Anything else is left to the interpreter (``compile_block`` returns ``None``).

Errors are the interpreter's business: when a compiled block raises, the caller runs the block again
through the interpreter, which reports exactly what it always does. That is safe because every
compiled expression is free of side effects, so evaluating it twice is evaluating it once.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from csshell.language import ast as A
from csshell.runtime import operators
from csshell.runtime.expressions import index_value, member_value
from csshell.runtime.values import to_bool, to_string

Evaluator = Callable[[Any, Any], Any]             # (session, dollar_under) -> value
CompiledBlock = Callable[[Any, Any], list[Any]]   # (session, dollar_under) -> the block's output
Properties = Mapping[str, Callable[[Any], Any]]   # lower-case property name -> its value read from a stream item

_CACHE_ATTRIBUTE = "_compiled_block"              # on the ScriptBlockAst: compiled once, run many times
_NOT_COMPILED = object()
_DOLLAR_UNDER = ("_", "psitem")
_BLOCK_VARIABLES = ("args", "input")              # set by the invocation itself: the interpreter's business
_CONSTANTS = {"true": True, "false": False, "null": None}
_IMPURE_OPERATORS = ("..", "match", "notmatch", "split")


class NotCompilable(Exception):
    """The expression needs the interpreter."""


def compile_block(ast: Any) -> CompiledBlock | None:
    """The compiled form of a script block's AST, or ``None`` when it must be interpreted (cached on the node)."""
    cached = getattr(ast, _CACHE_ATTRIBUTE, None)
    if cached is None:
        try:
            cached = _compile_body(ast)
        except NotCompilable:
            cached = _NOT_COMPILED
        except RecursionError:           # an absurdly deep expression: the interpreter copes
            cached = _NOT_COMPILED
        if isinstance(ast, A.ScriptBlockAst):
            setattr(ast, _CACHE_ATTRIBUTE, cached)
    return None if cached is _NOT_COMPILED else cached


def compile_item_filter(ast: Any, props: Properties) -> Evaluator | None:
    """A filter block compiled for the items of a fused stream (fusion.py): ``$_.Name`` reads
    ``props[name.lower()](item)``. ``None`` when it reads anything else of ``$_`` or needs the interpreter.

    It returns the block's one expression's value, not the output list: ``to_bool`` of either is
    the same, and that is all a filter asks. Not cached: it is compiled once per pipeline run,
    against that run's properties.
    """
    try:
        return _body_expression(ast, props)
    except (NotCompilable, RecursionError):
        return None


def _compile_body(ast: Any) -> CompiledBlock:
    value = _body_expression(ast, None)

    def run(session: Any, dollar_under: Any) -> list[Any]:
        result = value(session, dollar_under)
        return list(result) if isinstance(result, list) else [result]   # as an expression pipeline outputs
    return run


def _body_expression(ast: Any, props: Properties | None) -> Evaluator:
    """One expression statement and nothing else: no param block, named blocks, attributes or #requires."""
    if not isinstance(ast, A.ScriptBlockAst) or ast.param_block is not None or ast.named_blocks \
            or ast.attributes or ast.requires or len(ast.statements) != 1:
        raise NotCompilable
    statement = ast.statements[0]
    if not isinstance(statement, A.PipelineStatement) or statement.background or len(statement.elements) != 1:
        raise NotCompilable
    element = statement.elements[0]
    if not isinstance(element, A.CommandExpression) or element.redirections:
        raise NotCompilable
    return compile_expression(element.expression, props)


def compile_expression(node: A.Node, props: Properties | None = None) -> Evaluator:
    """``f(session, dollar_under)`` computing what ``expressions.evaluate`` computes; raises :class:`NotCompilable`.

    With ``props``, ``dollar_under`` is a stream item (fusion.py), not an object: ``$_.Name`` is
    ``props[name](item)`` and any other use of ``$_`` is not compilable.
    """
    compiler = _COMPILERS.get(type(node))
    if compiler is None:
        raise NotCompilable
    return compiler(node, props)


def _constant(node: A.Constant, props: Properties | None) -> Evaluator:
    value = node.value
    return lambda session, item: value


def _variable(node: A.VariableExpr, props: Properties | None) -> Evaluator:
    if node.splat:
        raise NotCompilable
    name = node.name
    qualifier, _, bare = name.rpartition(":")
    low = bare.lower()
    if low in _BLOCK_VARIABLES or (qualifier and low in _DOLLAR_UNDER):
        raise NotCompilable              # `$args`, `$global:_`: they depend on how and where the block runs
    if low in _DOLLAR_UNDER:
        if props is not None:
            raise NotCompilable          # the object itself: a stream item is not that object
        return lambda session, item: item
    if not qualifier and low in _CONSTANTS:
        value = _CONSTANTS[low]
        return lambda session, item: value
    return lambda session, item: session.get_variable(name)


def _member(node: A.MemberExpr, props: Properties | None) -> Evaluator:
    if node.static or not isinstance(node.member, A.Constant):
        raise NotCompilable
    name = to_string(node.member.value)
    if props is not None and _is_dollar_under(node.obj):
        read = props.get(name.lower())
        if read is None:
            raise NotCompilable
        return lambda session, item: read(item)
    target = compile_expression(node.obj, props)
    return lambda session, item: member_value(target(session, item), name)


def _is_dollar_under(node: A.Node) -> bool:
    if not isinstance(node, A.VariableExpr) or node.splat:
        return False
    qualifier, _, bare = node.name.rpartition(":")
    return not qualifier and bare.lower() in _DOLLAR_UNDER


def _index(node: A.IndexExpr, props: Properties | None) -> Evaluator:
    target, index = compile_expression(node.obj, props), compile_expression(node.index, props)
    return lambda session, item: index_value(target(session, item), index(session, item))


def _paren(node: A.ParenExpression, props: Properties | None) -> Evaluator:
    """``( expression )``: only the form ``value_of_statement`` evaluates directly."""
    inner = node.pipeline
    if inner is None:
        return lambda session, item: None
    if not isinstance(inner, A.PipelineStatement) or len(inner.elements) != 1:
        raise NotCompilable
    element = inner.elements[0]
    if not isinstance(element, A.CommandExpression) or element.redirections:
        raise NotCompilable
    return compile_expression(element.expression, props)


def _array(node: A.ArrayLiteral, props: Properties | None) -> Evaluator:
    items = [compile_expression(item, props) for item in node.items]
    return lambda session, item: [each(session, item) for each in items]


def _unary(node: A.UnaryExpr, props: Properties | None) -> Evaluator:
    op = node.op
    if op in ("++", "--"):
        raise NotCompilable
    operand = compile_expression(node.operand, props)
    if op == "not":
        return lambda session, item: not to_bool(operand(session, item))
    if op == ",":
        return lambda session, item: [operand(session, item)]
    return lambda session, item: operators.unary_op(op, operand(session, item))


def _binary(node: A.BinaryExpr, props: Properties | None) -> Evaluator:
    op = node.op
    left, right = compile_expression(node.left, props), compile_expression(node.right, props)
    if op == "and":
        return lambda session, item: to_bool(left(session, item)) and to_bool(right(session, item))
    if op == "or":
        return lambda session, item: to_bool(left(session, item)) or to_bool(right(session, item))
    if op in _IMPURE_OPERATORS or operators.split_operator(op)[0] in _IMPURE_OPERATORS:
        raise NotCompilable
    function = operators.binary_function(op)
    if function is None:
        raise NotCompilable              # an unknown operator: the interpreter reports it
    return lambda session, item: function(left(session, item), right(session, item))


_COMPILERS: dict[type, Callable[[Any], Evaluator]] = {
    A.Constant: _constant,
    A.VariableExpr: _variable,
    A.MemberExpr: _member,
    A.IndexExpr: _index,
    A.ParenExpression: _paren,
    A.ArrayLiteral: _array,
    A.UnaryExpr: _unary,
    A.BinaryExpr: _binary,
}

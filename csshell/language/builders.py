"""Builders: turn the tokens a grammar rule matched into AST nodes (with extents).

Two signatures, matching the two wrapping elements in ``elements.py``: ``fn(extent, tokens)`` for
:class:`~csshell.language.elements.Build` and ``fn(open_start, inner_start, inner_end, end, body)``
for :class:`~csshell.language.elements.Braced` (a bracketed construct whose inner span matters:
``ScriptBlockExpr.text`` is exactly the source between the braces). ``node_token`` callbacks take
``(extent, match)``. Builders raise :class:`ParseFatal` for errors only visible once a rule matched
(``InvalidLeftHandSide``, ``MissingCatchOrFinally``, ``ControlLeavingFinally``).
"""
from __future__ import annotations

import re

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.parse_errors import fatal
from csshell.language.semantics import check_finally


def _span(first: A.Node, last: A.Node) -> A.Extent:
    return A.Extent(first.extent.source, first.extent.start, last.extent.end)


def operator_name(text: str) -> str:
    """Normalise an operator's spelling: ``-EQ`` → ``eq``, en dash → dash, symbols unchanged."""
    if text and text[0] in T.DASHES and len(text) > 1 and text[1:2].isalpha():
        return text[1:].lower()
    if text and text[0] in T.DASHES:
        return "-" + text[1:]
    return text.lower() if text.isalpha() else text


def build_binary(ext, toks):
    node = toks[0]
    for i in range(1, len(toks), 2):
        right = toks[i + 1]
        node = A.BinaryExpr(_span(node, right), operator_name(toks[i]), node, right)
    return node


def build_array(ext, toks):
    items = [t for t in toks if not isinstance(t, str)]
    return items[0] if len(items) == 1 else A.ArrayLiteral(ext, items)


def build_argument(ext, toks):
    """One command argument: a value or a comma list, which must not hold a splat (``@h, 1``)."""
    node = build_array(ext, toks)
    if isinstance(node, A.ArrayLiteral):
        for item in node.items:
            if isinstance(item, A.SplatExpr):
                raise splatting_error(item, "SplattingNotPermittedInArgumentList")
    return node


def splatting_error(node: A.SplatExpr, error_id: str = "SplattingNotPermitted"):
    """``@h`` used where only a whole command argument may stand (PowerShell reports the ``@h`` token)."""
    s = node.extent.source.text
    return fatal(s, node.extent.start, error_id, node.name, start=node.extent.start, end=node.extent.end,
                 incomplete=False)


def build_misplaced_expression(ext, toks):
    """An expression after ``|`` (``Get-CsUser | "x"``, ``1|1``): only a command may follow a pipe."""
    s = ext.source.text
    raise fatal(s, ext.start, "ExpressionsMustBeFirstInPipeline", start=ext.start, end=ext.end, incomplete=False)


def build_splat_in_expression(ext, m):
    """``@h`` in expression mode is never valid: SplattingNotPermitted."""
    raise splatting_error(A.SplatExpr(ext, m.group("name")))


def build_unary(ext, toks):
    op = operator_name(toks[0])
    if op == "!":
        op = "not"
    return A.UnaryExpr(ext, op, toks[1])


def build_cast(ext, toks):
    return A.ConvertExpr(ext, toks[0].type_name, toks[1])


def build_postfix(ext, toks):
    node = toks[0]
    if isinstance(node, A.SplatExpr) and len(toks) > 1:
        raise splatting_error(node)          # @h.Name, @h[0]: a splat is not a value
    for op in toks[1:]:
        kind = op[0]
        end_ext = A.Extent(ext.source, node.extent.start, op[-1])
        if kind in (".", "::"):
            node = A.MemberExpr(end_ext, node, op[1], static=(kind == "::"))
        elif kind in (".()", "::()"):
            node = A.InvokeMemberExpr(end_ext, node, op[1], op[2], static=(kind == "::()"))
        elif kind == "[]":
            node = A.IndexExpr(end_ext, node, op[1])
        else:
            node = A.UnaryExpr(end_ext, op[1], node, postfix=True)
    return node


def build_pipeline(ext, toks):
    return A.PipelineStatement(ext, toks)


def build_command(ext, toks):
    invocation = None
    if isinstance(toks[0], str):
        invocation, toks = toks[0], toks[1:]
    name, elements = toks[0], toks[1:]
    redirs = [e for e in elements if isinstance(e, A.Redirection)]
    elements = [e for e in elements if not isinstance(e, A.Redirection)]
    return A.CommandAst(ext, name, elements, invocation, redirs)


def build_command_expression(ext, toks):
    return A.CommandExpression(ext, toks[0], [t for t in toks[1:] if isinstance(t, A.Redirection)])


_ASSIGNABLE = (A.VariableExpr, A.MemberExpr, A.IndexExpr)


def _assignable(node) -> bool:
    if isinstance(node, _ASSIGNABLE):
        return True
    if isinstance(node, A.ConvertExpr):
        return _assignable(node.operand)
    if isinstance(node, A.ArrayLiteral):
        return all(_assignable(i) for i in node.items)
    return False


def build_assignment(ext, toks):
    target, op, value = toks
    # `$a, $b += 1, 2`: only plain `=` spreads a value over several targets
    if not _assignable(target) or (isinstance(target, A.ArrayLiteral) and op != "="):
        s = ext.source.text
        raise fatal(s, target.extent.start, "InvalidLeftHandSide", start=target.extent.start,
                    end=target.extent.end, incomplete=False)
    return A.AssignmentStatement(ext, target, operator_name(op).replace("–", "-"), value)


def _statements(toks) -> list:
    return [t for t in toks if isinstance(t, A.Node)]


def build_block(open_start, inner_start, inner_end, end, body):
    ext = T.extent(open_start, end)
    if body and isinstance(body[0], A.ScriptBlockAst):
        sb = body[0]
        return A.ScriptBlockAst(ext, sb.statements, sb.param_block, sb.named_blocks, sb.attributes)
    return A.ScriptBlockAst(ext, _statements(body))


def build_script_block_expr(open_start, inner_start, inner_end, end, body):
    sb = body[0]
    ext = T.extent(open_start, end)
    text = ext.source.text[inner_start:inner_end]
    inner = A.ScriptBlockAst(T.extent(inner_start, inner_end), sb.statements, sb.param_block,
                             sb.named_blocks, sb.attributes)
    return A.ScriptBlockExpr(ext, inner, text)


def build_sb_body(ext, toks):
    attributes, param_block, named, statements = [], None, {}, []
    for t in toks:
        if isinstance(t, A.ParamBlock):
            param_block = t
        elif isinstance(t, list) and t and t[0] == "named":
            for name, block in t[1:]:
                named[name.lower()] = block.statements
        elif isinstance(t, list) and t and t[0] == "attributes":
            attributes = t[1:]
        elif isinstance(t, A.Statement):
            statements.append(t)
    if param_block is not None:
        param_block.attributes = attributes
    return A.ScriptBlockAst(ext, statements, param_block, named, attributes)


def build_paren(open_start, inner_start, inner_end, end, body):
    return A.ParenExpression(T.extent(open_start, end), body[0] if body else None)


def build_subexpr(open_start, inner_start, inner_end, end, body):
    inner = A.ScriptBlockAst(T.extent(inner_start, inner_end), _statements(body))
    return A.SubExpression(T.extent(open_start, end), inner)


def build_array_expr(open_start, inner_start, inner_end, end, body):
    inner = A.ScriptBlockAst(T.extent(inner_start, inner_end), _statements(body))
    return A.ArrayExpression(T.extent(open_start, end), inner)


def build_hash(open_start, inner_start, inner_end, end, body):
    pairs = [(body[i], body[i + 1]) for i in range(0, len(body) - 1, 2)]
    return A.HashLiteral(T.extent(open_start, end), pairs)


def build_variable(ext, m):
    name = m.group("braced") if m.group("braced") is not None else m.group("name")
    return A.VariableExpr(ext, name)


def build_number(ext, m):
    return A.Constant(ext, T.number_value(m))


def build_bare_number(ext, m):
    return A.Constant(ext, T.number_value(m), bare=True)


def build_type_literal(ext, m):
    return A.TypeLiteral(ext, re.sub(r"\s+", "", m.group("type")))


def first_or_none(group: list):
    return group[0] if group else None


def build_if(ext, toks):
    clauses, else_body = [], None
    for t in toks:
        if len(t) == 2:
            clauses.append((t[0], t[1]))
        elif len(t) == 1:
            else_body = t[0]
    return A.IfStatement(ext, clauses, else_body)


def build_switch(ext, toks):
    flags = [t[1] for t in toks if isinstance(t, tuple) and t[0] == "flag"]
    rest = [t for t in toks if not (isinstance(t, tuple) and t[0] == "flag")]
    subject, (_, clauses) = rest[0], rest[1]
    pairs, default = [], None
    for pattern, body in clauses:
        if isinstance(pattern, str) and pattern.lower() == "default":
            default = body
        else:
            pairs.append((pattern, body))
    return A.SwitchStatement(ext, subject, pairs, default, flags)


def build_try(ext, toks):
    body, catches, final = toks[0], [], None
    for t in toks[1:]:
        if t and isinstance(t[0], str) and t[0].lower() == "finally":
            final = t[1]
        else:
            catches.append(([ty.type_name for ty in t[0]], t[1]))
    if not catches and final is None:
        s = ext.source.text
        raise fatal(s, ext.end, "MissingCatchOrFinally", start=ext.end, end=ext.end)
    if final is not None:
        check_finally(final)
    return A.TryStatement(ext, body, catches, final)


def build_trap(ext, toks):
    type_name = toks[1].type_name if len(toks) > 2 else None
    return A.TrapStatement(ext, type_name, toks[-1])


def build_attribute(ext, toks):
    name, positional, named = toks[0], [], []
    for t in toks[1:]:
        if isinstance(t, list):
            named.append((t[0], t[1] if len(t) > 1 else None))
        else:
            positional.append(t)
    return A.AttributeAst(ext, name, positional, named)


def build_parameter(ext, toks):
    attrs = [t for t in toks if isinstance(t, A.AttributeAst)]
    var = next(t for t in toks if isinstance(t, A.VariableExpr))
    rest = toks[toks.index(var) + 1:]
    return A.ParameterAst(ext, var.name, attrs, rest[0] if rest else None)


def build_function(ext, toks):
    kind, name = toks[0], toks[1]
    params = toks[2] if len(toks) == 4 else []
    body = toks[-1]
    return A.FunctionDefinition(ext, name, body, kind.lower() == "filter", params)


def build_flow(ext, toks):
    keyword = toks[0].lower()
    if keyword in ("break", "continue"):
        return A.FlowStatement(ext, keyword, None, toks[1].value if len(toks) > 1 else None)
    return A.FlowStatement(ext, keyword, toks[1] if len(toks) > 1 else None)

"""The PowerShell 5.1 grammar in pyparsing: statements, pipelines, both parsing modes, expressions.

Reading guide (top-down, as in the language spec chapter 15):

* ``script``      – a script block body: optional ``[CmdletBinding()] param(...)``, then either
                    ``begin/process/end`` blocks or a statement list;
* ``statement``   – keywords (``if foreach for while do switch try function return ...``) or a
                    pipeline statement (assignment or pipeline);
* ``pipeline``    – an expression or a command first, then ``| command`` elements;
* ``command``     – *argument mode*: bare words are strings, ``-Name`` is a parameter;
* ``expression``  – *expression mode*, one level per precedence rung of about_Operator_Precedence.

Terminals live in ``tokens.py`` and ``strings.py``. Builders (``build_*``) turn matched tokens into AST
nodes with extents. Error handling: where PowerShell reports a specific parse error, an
:class:`Expect` / :class:`Braced` element raises :class:`ParseFatal` with that error id.
"""
from __future__ import annotations

import re
from typing import Any, Callable

import pyparsing as pp

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.parse_errors import MESSAGES, ParseFatal, fatal
from csshell.language.strings import BareWord, DoubleQuoted, Expander, HereString, SingleQuoted

MESSAGES.update({
    "UnexpectedToken": "Unexpected token '{0}' in expression or statement.",
    "ExpectedValueExpression": "You must provide a value expression following the '{0}' operator.",
    "MissingExpressionAfterOperator": "Missing expression after unary operator '{0}'.",
    "MissingExpressionAfterToken": "Missing expression after '{0}'.",
    "MissingOpenParenthesisInIfStatement": "Missing '(' after '{0}' in if statement.",
    "IfStatementMissingCondition": "Missing condition in if statement after '{0} ('.",
    "MissingEndParenthesisAfterStatement": "Missing closing ')' after expression in '{0}' statement.",
    "MissingStatementBlock": "Missing statement block after {0} ( condition ).",
    "MissingOpenParenthesisAfterKeyword": "Missing opening '(' after keyword '{0}'.",
    "MissingForeachExpression": "Missing expression after 'in' in foreach loop.",
    "MissingEndParenthesisAfterForeach": "Missing closing ')' after expression in 'foreach' statement.",
    "MissingArgument": "Missing argument in parameter list.",
    "MissingPropertyName": "Missing property name after reference operator.",
    "MissingLoopStatement": "Missing statement body in {0} loop.",
    "MissingExpressionInRedirection": "Missing file specification after redirection operator.",
    "MissingExpression": "An expression was expected after '('.",
})

_TOKEN_AT = re.compile(r"\"[^\"\n]*\"?|'[^'\n]*'?|\$?[\w\-]+|.", re.S)


def unexpected_token(s: str, loc: int) -> ParseFatal:
    """PowerShell's ``UnexpectedToken`` for whatever token starts at ``loc``."""
    m = _TOKEN_AT.match(s, loc)
    text = m.group(0) if m else s[loc:loc + 1]
    return fatal(s, loc, "UnexpectedToken", text, start=loc, end=loc + len(text), incomplete=False)


def _skip_lines(s: str, loc: int) -> int:
    """Skip trivia and newlines (used to look past the end of a body)."""
    while True:
        loc = T.skip_trivia(s, loc)
        if loc < len(s) and s[loc] in "\r\n;":
            loc += 1
            continue
        return loc


# ---------------------------------------------------------------------------------------------
# Element helpers
# ---------------------------------------------------------------------------------------------

class Build(pp.ParseElementEnhance):
    """Match ``expr`` and turn its tokens into one node: ``fn(extent, tokens)``."""

    def __init__(self, expr: pp.ParserElement, fn: Callable[[A.Extent, list], Any]) -> None:
        super().__init__(expr)
        self.fn = fn

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        start = T.skip_trivia(instring, loc)
        end, toks = self.expr._parse(instring, loc, do_actions)
        if not do_actions:
            return end, []
        node = self.fn(T.extent(start, end), toks.as_list())
        return end, ([] if node is None else [node])


class Expect(pp.ParseElementEnhance):
    """``expr``, or PowerShell's parse error ``error_id`` at the current position."""

    def __init__(self, expr: pp.ParserElement, error_id: str, *fmt: str) -> None:
        super().__init__(expr)
        self.error_id = error_id
        self.fmt = fmt

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        try:
            return self.expr._parse(instring, loc, do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            here = T.skip_trivia(instring, loc)
            raise fatal(instring, here, self.error_id, *self.fmt,
                        start=max(here - 1, 0) if here >= len(instring) else here)


class Braced(pp.ParserElement):
    """``open body close`` with PowerShell's errors for a missing closer.

    ``build(open_start, inner_start, inner_end, end, body_tokens)`` makes the node. When the closer is
    missing at the end of the text the error is ``error_id`` (marked at the opener when ``mark_open``);
    when something else stands there, it is ``UnexpectedToken``.
    """

    def __init__(self, opener: pp.ParserElement, body: pp.ParserElement, closer: pp.ParserElement,
                 error_id: str, build: Callable, mark_open: bool = True) -> None:
        super().__init__()
        self.opener, self.body, self.closer = opener, body, closer
        self.error_id, self.build, self.mark_open = error_id, build, mark_open
        self.mayReturnEmpty = False
        self.mayIndexError = False
        self.set_name(f"{opener}...")

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring, loc):  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        open_start = T.skip_trivia(instring, loc)
        inner_start, _ = self.opener._parse(instring, loc, do_actions)
        body_end, body = self.body._parse(instring, inner_start, do_actions)
        close_start = _skip_lines(instring, body_end)
        try:
            end, _ = self.closer._parse(instring, close_start, do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            if close_start >= len(instring):
                if self.mark_open:
                    raise fatal(instring, len(instring), self.error_id, start=open_start,
                                end=inner_start, incomplete=True)
                raise fatal(instring, len(instring), self.error_id, start=max(len(instring) - 1, 0),
                            end=len(instring), incomplete=True)
            raise unexpected_token(instring, close_start)
        if not do_actions:
            return end, []
        node = self.build(open_start, inner_start, close_start, end, body.as_list())
        return end, [node]


class OpOperand(pp.ParserElement):
    """``op NLs operand`` where a missing operand is PowerShell's ExpectedValueExpression."""

    def __init__(self, op: pp.ParserElement, operand: pp.ParserElement, unary: bool = False,
                 newlines: bool = True) -> None:
        super().__init__()
        self.op, self.operand, self.unary, self.newlines = op, operand, unary, newlines
        self.mayReturnEmpty = False
        self.mayIndexError = False
        self.set_name(str(op))

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring, loc):  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        op_start = T.skip_trivia(instring, loc)
        op_end, op_toks = self.op._parse(instring, loc, do_actions)
        op_text = instring[op_start:op_end]
        here = _skip_lines(instring, op_end) if self.newlines else op_end
        try:
            end, toks = self.operand._parse(instring, here, do_actions)
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            at = T.skip_trivia(instring, here)
            error_id = "MissingExpressionAfterOperator" if self.unary else "ExpectedValueExpression"
            if op_text == ",":
                error_id = "MissingExpressionAfterToken"
            raise fatal(instring, at, error_id, op_text, start=op_end if at >= len(instring) else at,
                        end=(op_end + 1) if at >= len(instring) else at + 1)
        return end, [op_text] + toks.as_list()


class AtBodyEnd(pp.ParserElement):
    """Succeeds (consuming nothing) when only newlines stand before ``}`` or the end of the text."""

    def __init__(self) -> None:
        super().__init__()
        self.mayReturnEmpty = True
        self.set_name("end of body")

    def _generateDefaultName(self) -> str:  # noqa: N802 (pyparsing API)
        return type(self).__name__

    def preParse(self, instring, loc):  # noqa: N802
        return loc

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802
        here = _skip_lines(instring, loc)
        if here >= len(instring) or instring[here] == "}":
            return loc, []
        raise pp.ParseException(instring, loc, "not at end of body", self)


class Parameter(T.Custom):
    """``-Name`` / ``-Name:value`` (argument mode)."""

    value: pp.ParserElement | None = None
    _re = re.compile(T.PARAMETER_RE)

    def scan(self, s, loc):
        m = self._re.match(s, loc)
        if not m:
            return None
        name = m.group("name")
        if not m.group("colon"):
            return m.end(), A.CommandParameter(T.extent(loc, m.end()), name)
        try:
            end, toks = self.value._parse(s, m.end())
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise fatal(s, m.end(), "MissingArgument", start=loc, end=m.end())
        return end, A.CommandParameter(T.extent(loc, end), name, toks[0], colon=True)


class Redirect(T.Custom):
    """``> file``, ``>> file``, ``2>&1``, ``2> $null``."""

    target: pp.ParserElement | None = None
    _re = re.compile(T.REDIRECTION_RE)

    def scan(self, s, loc):
        m = self._re.match(s, loc)
        if not m:
            return None
        stream = m.group("stream") or "1"
        if m.group("merge"):
            return m.end(), A.Redirection(T.extent(loc, m.end()), stream, False, None, m.group("merge"))
        try:
            end, toks = self.target._parse(s, m.end())
        except pp.ParseFatalException:
            raise
        except pp.ParseException:
            raise fatal(s, m.end(), "MissingExpressionInRedirection", start=loc, end=m.end())
        return end, A.Redirection(T.extent(loc, end), stream, m.group("op") == ">>", toks[0])


class GluedSingle(SingleQuoted):
    glued = True


class GluedDouble(DoubleQuoted):
    glued = True


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------

def _span(first: A.Node, last: A.Node) -> A.Extent:
    return A.Extent(first.extent.source, first.extent.start, last.extent.end)


def _op_name(text: str) -> str:
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
        node = A.BinaryExpr(_span(node, right), _op_name(toks[i]), node, right)
    return node


def build_array(ext, toks):
    items = [t for t in toks if not isinstance(t, str)]
    return items[0] if len(items) == 1 else A.ArrayLiteral(ext, items)


def build_unary(ext, toks):
    op = _op_name(toks[0])
    if op == "!":
        op = "not"
    return A.UnaryExpr(ext, op, toks[1])


def build_cast(ext, toks):
    return A.ConvertExpr(ext, toks[0].type_name, toks[1])


def build_postfix(ext, toks):
    node = toks[0]
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
    if not _assignable(target):
        s = ext.source.text
        raise fatal(s, target.extent.start, "InvalidLeftHandSide", start=target.extent.start,
                    end=target.extent.end, incomplete=False)
    return A.AssignmentStatement(ext, target, _op_name(op).replace("–", "-"), value)


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


# ---------------------------------------------------------------------------------------------
# Grammar
# ---------------------------------------------------------------------------------------------

def _tok(pattern: str, fn: Callable[[A.Extent, re.Match], Any], flags: int = 0, name: str = "") -> pp.ParserElement:
    """A regex terminal whose match becomes a node."""
    rx = re.compile(pattern, flags)
    tok = T.Tok(pattern, flags, name=name or pattern)

    def action(s, loc, toks):
        start = T.skip_trivia(s, loc)
        m = rx.match(s, start)
        return fn(T.extent(start, m.end()), m)

    return tok.set_parse_action(action)


def _glued(pattern: str, fn, flags: int = 0, name: str = "") -> pp.ParserElement:
    rx = re.compile(pattern, flags)
    tok = T.Glued(pattern, flags, name=name or pattern)

    def action(s, loc, toks):
        m = rx.match(s, loc)
        return fn(T.extent(loc, m.end()), m)

    return tok.set_parse_action(action)


def _variable(ext, m):
    name = m.group("braced") if m.group("braced") is not None else m.group("name")
    return A.VariableExpr(ext, name)


def _number(ext, m):
    return A.Constant(ext, T.number_value(m))


def _bare_number(ext, m):
    return A.Constant(ext, T.number_value(m), bare=True)


def _type_literal(ext, m):
    return A.TypeLiteral(ext, re.sub(r"\s+", "", m.group("type")))


NLS = pp.ZeroOrMore(T.NL).suppress()
TERMS = pp.OneOrMore(T.NL | T.SEMI).suppress()


def _kw(text: str) -> pp.ParserElement:
    return T.word(text).suppress()


def _make_grammar() -> dict[str, pp.ParserElement]:
    statement = pp.Forward().set_name("statement")
    pipeline_statement = pp.Forward().set_name("pipeline")
    statement_list = pp.Forward().set_name("statement list")
    sb_body = pp.Forward().set_name("script block body")
    expression = pp.Forward().set_name("expression")
    expression_nc = pp.Forward().set_name("expression")   # no top-level comma (method/attribute args)
    split_join_level = pp.Forward()
    arg_value = pp.Forward().set_name("argument")

    # --- primaries --------------------------------------------------------------------------
    variable = _tok(T.VARIABLE_RE, _variable, name="variable")
    number = _tok(T.NUMBER_RE + r"(?![\w])", _number, name="number")
    type_literal = _tok(T.TYPE_LITERAL_RE, _type_literal, name="type literal")
    single, double, here = SingleQuoted("string"), DoubleQuoted("string"), HereString("here-string")
    string = here | single | double

    paren = Braced(T.LPAREN, pp.Opt(NLS + pipeline_statement + NLS), T.RPAREN,
                   "MissingEndParenthesisInExpression", build_paren, mark_open=False)
    subexpr = Braced(T.DOLLAR_PAREN, statement_list, T.RPAREN,
                     "MissingEndParenthesisInSubexpression", build_subexpr, mark_open=False)
    array_expr = Braced(T.AT_PAREN, statement_list, T.RPAREN,
                        "MissingEndParenthesisInSubexpression", build_array_expr, mark_open=False)
    hash_key = (string | variable | number | paren
                | _tok(r"[A-Za-z_][\w\-.]*", lambda e, m: A.Constant(e, m.group(0), bare=True), name="key"))
    hash_entry = hash_key + Expect(T.EQUALS.suppress(), "MissingEqualsInHashLiteral") + NLS + \
        Expect(statement, "ExpectedValueExpression", "=")
    hash_body = pp.Opt(TERMS) + pp.Opt(hash_entry + pp.ZeroOrMore(TERMS + hash_entry)) + pp.Opt(TERMS)
    hash_literal = Braced(T.AT_BRACE, hash_body, T.RBRACE, "IncompleteHashLiteral", build_hash)
    script_block = Braced(T.LBRACE, sb_body, T.RBRACE, "MissingEndCurlyBrace", build_script_block_expr)
    Expander.subexpression = subexpr

    primary = (here | single | double | subexpr | array_expr | hash_literal | variable | number
               | paren | script_block | type_literal)

    # --- postfix: member access, method calls, indexing, ++/-- -------------------------------
    member_name = (_glued(r"[A-Za-z_]\w*", lambda e, m: A.Constant(e, m.group(0), bare=True), name="name")
                   | GluedSingle("string") | GluedDouble("string")
                   | _glued(T.VARIABLE_RE, _variable, name="variable")
                   | paren)
    call_args = pp.Group(T.glued_sym("(").suppress() + NLS
                         + pp.Opt(expression_nc + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS
                                                                + Expect(expression_nc, "MissingExpressionAfterToken", ",")))
                         + NLS + Expect(T.RPAREN.suppress(), "MissingEndParenthesisInMethodCall"))

    def member_op(kind: str) -> pp.ParserElement:
        dot = T.glued_sym(".", r"\.") if kind == "." else T.glued_sym("::")

        def act(s, loc, toks):
            items = toks.as_list()
            if len(items) == 2:
                return [[kind + "()", items[0], items[1], _end(s, loc, toks)]]
            return [[kind, items[0], _end(s, loc, toks)]]
        return (dot.suppress() + Expect(member_name, "MissingPropertyName") + pp.Opt(call_args)).set_parse_action(act)

    index_op = (T.glued_sym("[").suppress() + NLS + Expect(expression, "MissingArrayIndexExpression") + NLS
                + Expect(T.RBRACKET.suppress(), "MissingEndSquareBracket")).set_parse_action(
        lambda s, l, t: [["[]", t[0], _end(s, l, t)]])
    postfix_incdec = T.Glued(r"\+\+|[-\u2013\u2014\u2015]{2}").set_parse_action(
        lambda s, l, t: [["++", "++" if t[0] == "++" else "--", l + 2]])
    postfix = Build(primary + pp.ZeroOrMore(member_op(".") | member_op("::") | index_op | postfix_incdec),
                    build_postfix)

    # --- unary and binary levels --------------------------------------------------------------
    cast = Build(type_literal + ~T.glued_sym("::") + split_join_level, build_cast)
    prefix_incdec = Build(OpOperand(T.INCDEC, split_join_level, unary=True), build_unary)
    unary_split_join = Build(OpOperand(T.UNARY_SPLIT_JOIN, split_join_level, unary=True), build_unary)
    split_join_level <<= unary_split_join | prefix_incdec | cast | postfix
    comma_level = Build(split_join_level + pp.ZeroOrMore(OpOperand(T.COMMA, split_join_level)), build_array)

    def chain(operand: pp.ParserElement) -> pp.ParserElement:
        not_level = pp.Forward()
        not_level <<= Build(OpOperand(T.NOT_OP | T.BNOT_OP, not_level, unary=True), build_unary) | operand
        range_level = Build(not_level + pp.Opt(OpOperand(T.RANGE, not_level)), build_binary)
        format_level = Build(range_level + pp.ZeroOrMore(OpOperand(T.FORMAT_OP, range_level)), build_binary)
        neg_level = pp.Forward()
        neg_level <<= Build(OpOperand(T.MINUS | T.PLUS, neg_level, unary=True), build_unary) | format_level
        mult_level = Build(neg_level + pp.ZeroOrMore(OpOperand(T.MUL_OP, neg_level)), build_binary)
        add_level = Build(mult_level + pp.ZeroOrMore(OpOperand(T.PLUS | T.MINUS, mult_level)), build_binary)
        cmp_level = Build(add_level + pp.ZeroOrMore(OpOperand(T.CMP_OP, add_level)), build_binary)
        return Build(cmp_level + pp.ZeroOrMore(OpOperand(T.LOGIC_OP, cmp_level)), build_binary)

    expression <<= chain(comma_level)
    expression_nc <<= chain(split_join_level)

    # --- argument mode ------------------------------------------------------------------------
    parameter = Parameter("parameter")
    parameter.value = arg_value
    redirection = Redirect("redirection")
    redirection.target = arg_value
    bare_number = _tok(T.NUMBER_RE + T.ARG_END, _bare_number, name="number")
    bare_word = BareWord("argument")
    splat = _tok(T.SPLAT_RE, lambda e, m: A.SplatExpr(e, m.group("name")), name="splat")
    arg_primary = (here | single | double | subexpr | array_expr | hash_literal | splat | variable
                   | paren | script_block | bare_number | bare_word)
    arg_value <<= Build(arg_primary + pp.ZeroOrMore(member_op(".") | member_op("::") | index_op), build_postfix)
    arg_item = Build(arg_value + pp.ZeroOrMore(OpOperand(T.COMMA, arg_value)), build_array)
    command_element = redirection | parameter | arg_item
    command_name = BareWord("command name")
    command = Build((T.AMP | T.DOT_SOURCE) + arg_value + pp.ZeroOrMore(command_element)
                    | command_name + pp.ZeroOrMore(command_element), build_command)

    # --- pipelines and assignments -----------------------------------------------------------
    expr_element = Build(expression + pp.ZeroOrMore(redirection), build_command_expression)
    pipe_tail = T.PIPE.suppress() + NLS + Expect(command, "EmptyPipeElement")
    pipeline = Build((expr_element | command) + pp.ZeroOrMore(pipe_tail), build_pipeline)
    assignment = Build(comma_level + T.ASSIGN_OP + NLS + Expect(statement, "ExpectedValueExpression", "="),
                       build_assignment)
    pipeline_statement <<= assignment | pipeline

    # --- blocks and statements -----------------------------------------------------------------
    statement_list <<= pp.Opt(TERMS) + pp.Opt(statement + pp.ZeroOrMore(TERMS + statement)) + pp.Opt(TERMS)
    block = Braced(T.LBRACE, statement_list, T.RBRACE, "MissingEndCurlyBrace", build_block)
    body_block = Braced(T.LBRACE, sb_body, T.RBRACE, "MissingEndCurlyBrace", build_block)

    def condition(keyword: str) -> pp.ParserElement:
        return (NLS + Expect(T.LPAREN, "MissingOpenParenthesisInIfStatement" if keyword in ("if", "elseif")
                             else "MissingOpenParenthesisAfterKeyword", keyword).suppress()
                + NLS + Expect(pipeline_statement, "IfStatementMissingCondition", keyword) + NLS
                + Expect(T.RPAREN, "MissingEndParenthesisAfterStatement", keyword).suppress())

    if_clause = lambda kw: pp.Group(condition(kw) + NLS + Expect(block, "MissingStatementBlock", kw))  # noqa: E731
    else_clause = pp.Group(NLS + _kw("else") + NLS + Expect(block, "MissingStatementBlockAfterElse"))
    if_statement = Build(_kw("if") + if_clause("if") + pp.ZeroOrMore(NLS + _kw("elseif") + if_clause("elseif"))
                         + pp.Opt(else_clause), _build_if)

    label = pp.Opt(_tok(r":[A-Za-z_]\w*", lambda e, m: A.Constant(e, m.group(0)[1:]), name="label"))
    foreach_statement = Build(
        _kw("foreach") + NLS + Expect(T.LPAREN, "MissingOpenParenthesisAfterKeyword", "foreach").suppress() + NLS
        + Expect(variable, "MissingVariableNameAfterForeach") + NLS + Expect(_kw("in"), "MissingInInForeach")
        + NLS + Expect(pipeline_statement, "MissingForeachExpression") + NLS
        + Expect(T.RPAREN, "MissingEndParenthesisAfterForeach").suppress() + NLS
        + Expect(block, "MissingForeachStatement"),
        lambda e, t: A.ForeachStatement(e, t[0], t[1], t[2]))
    opt_part = pp.Group(pp.Opt(pipeline_statement))
    for_statement = Build(
        _kw("for") + NLS + Expect(T.LPAREN, "MissingOpenParenthesisAfterKeyword", "for").suppress() + NLS
        + opt_part + NLS + pp.Opt(T.SEMI | T.NL).suppress() + NLS + opt_part + NLS
        + pp.Opt(T.SEMI | T.NL).suppress() + NLS + opt_part + NLS
        + Expect(T.RPAREN, "MissingEndParenthesisAfterStatement", "for").suppress() + NLS
        + Expect(block, "MissingLoopStatement", "for"),
        lambda e, t: A.ForStatement(e, _first(t[0]), _first(t[1]), _first(t[2]), t[3]))
    while_statement = Build(
        _kw("while") + condition("while") + NLS + Expect(block, "MissingLoopStatement", "while"),
        lambda e, t: A.WhileStatement(e, t[0], t[1]))
    do_statement = Build(
        _kw("do") + NLS + Expect(block, "MissingLoopStatement", "do") + NLS
        + Expect(T.word("while") | T.word("until"), "MissingWhileOrUntilInDoWhile") + condition("do"),
        lambda e, t: A.DoStatement(e, t[0], t[2], until=t[1].lower() == "until"))
    switch_flag = _tok(r"(?i)[-\u2013\u2014](?P<f>regex|wildcard|exact|casesensitive|file)(?![\w-])",
                       lambda e, m: ("flag", m.group("f").lower()), name="switch option")
    switch_clause = pp.Group(((T.word("default") + ~T.glued_sym("(")) | arg_value) + NLS
                             + Expect(block, "MissingSwitchStatementClause"))
    switch_body = pp.Opt(TERMS) + pp.ZeroOrMore(switch_clause + pp.Opt(TERMS))
    switch_statement = Build(
        _kw("switch") + pp.ZeroOrMore(switch_flag) + condition("switch") + NLS
        + Expect(Braced(T.LBRACE, switch_body, T.RBRACE, "MissingEndCurlyBrace",
                        lambda o, i, ie, e, body: ("clauses", body)), "MissingCurlyBraceInSwitchStatement"),
        _build_switch)
    catch_types = pp.Group(pp.Opt(type_literal + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS + type_literal)))
    catch = pp.Group(NLS + _kw("catch") + catch_types + NLS + Expect(block, "MissingCatchHandlerBlock"))
    finally_ = pp.Group(NLS + T.word("finally") + NLS + Expect(block, "MissingFinallyStatementBlock"))
    try_statement = Build(_kw("try") + NLS + Expect(block, "MissingTryStatementBlock")
                          + pp.ZeroOrMore(catch) + pp.Opt(finally_), _build_try)

    attribute_arg = pp.Group(_tok(r"[A-Za-z_]\w*(?=\s*=(?!=))", lambda e, m: m.group(0), name="name")
                             + NLS + T.EQUALS.suppress() + NLS + expression_nc) | \
        pp.Group(_tok(r"[A-Za-z_]\w*(?=\s*[,)])", lambda e, m: m.group(0), name="name")) | expression_nc
    attribute = Build(_tok(r"\[\s*(?P<name>[A-Za-z_][\w.]*)\s*\(", lambda e, m: m.group("name"), name="attribute")
                      + NLS + pp.Opt(attribute_arg + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS + attribute_arg))
                      + NLS + Expect(T.RPAREN, "MissingEndParenthesisInExpression").suppress()
                      + Expect(T.Tok(r"\s*\]"), "MissingEndSquareBracketInAttribute").suppress(), _build_attribute)
    type_constraint = Build(type_literal, lambda e, t: A.AttributeAst(e, t[0].type_name, is_type=True))
    parameter_decl = Build(pp.ZeroOrMore((attribute | type_constraint) + NLS) + variable
                           + pp.Opt(NLS + T.EQUALS.suppress() + NLS + expression_nc), _build_parameter)
    parameter_list = pp.Opt(parameter_decl + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS + parameter_decl))
    param_block = Build(_kw("param") + NLS + Expect(T.LPAREN, "MissingOpenParenthesisAfterKeyword", "param").suppress()
                        + NLS + parameter_list + NLS
                        + Expect(T.RPAREN, "MissingEndParenthesisInFunctionParameterList").suppress(),
                        lambda e, t: A.ParamBlock(e, t))
    function_name = _tok(r"[^\s{}();,|&'\"`]+", lambda e, m: m.group(0), name="function name")
    function_statement = Build(
        (T.word("function") | T.word("filter"))
        + Expect(function_name, "MissingNameAfterKeyword")
        + pp.Opt(pp.Group(T.LPAREN.suppress() + NLS + parameter_list + NLS
                          + Expect(T.RPAREN, "MissingEndParenthesisInFunctionParameterList").suppress()))
        + NLS + Expect(body_block, "MissingFunctionBody"), _build_function)
    flow_value = pp.Opt(pipeline_statement)
    flow_statement = Build((T.word("return") | T.word("throw") | T.word("exit")) + flow_value
                           | (T.word("break") | T.word("continue")) + pp.Opt(
                               _tok(r"[A-Za-z_]\w*", lambda e, m: A.Constant(e, m.group(0)), name="label")),
                           _build_flow)

    statement <<= (if_statement | foreach_statement | for_statement | while_statement | do_statement
                   | switch_statement | try_statement | function_statement | flow_statement | pipeline_statement)

    named_block = pp.Group((T.word("begin") | T.word("process") | T.word("end") | T.word("dynamicparam"))
                           + NLS + block) + pp.Opt(TERMS)
    named_blocks = pp.Group(pp.Empty().set_parse_action(lambda: "named") + pp.OneOrMore(named_block)) + AtBodyEnd()
    header = pp.Opt(pp.Group(pp.Empty().set_parse_action(lambda: "attributes")
                             + pp.ZeroOrMore(attribute + pp.Opt(TERMS))) + param_block)
    sb_body <<= Build(pp.Opt(TERMS) + header + pp.Opt(TERMS) + (named_blocks | statement_list), build_sb_body)
    del label
    return {"script": sb_body, "statement": statement, "expression": expression}


def _end(s, loc, toks) -> int:
    """End offset of the last token (parse actions only know the start)."""
    last = toks.as_list()[-1] if len(toks) else None
    while isinstance(last, list) and last:
        last = last[-1]
    if isinstance(last, A.Node):
        return last.extent.end
    if isinstance(last, int):
        return last
    return loc + 1


def _first(group: list):
    return group[0] if group else None


def _build_if(ext, toks):
    clauses, else_body = [], None
    for t in toks:
        if len(t) == 2:
            clauses.append((t[0], t[1]))
        elif len(t) == 1:
            else_body = t[0]
    return A.IfStatement(ext, clauses, else_body)


def _build_switch(ext, toks):
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


def _build_try(ext, toks):
    body, catches, final = toks[0], [], None
    for t in toks[1:]:
        if t and isinstance(t[0], str) and t[0].lower() == "finally":
            final = t[1]
        else:
            catches.append(([ty.type_name for ty in t[0]], t[1]))
    if not catches and final is None:
        s = ext.source.text
        raise fatal(s, ext.end, "MissingCatchOrFinally", start=ext.end - 1, end=ext.end)
    return A.TryStatement(ext, body, catches, final)


def _build_attribute(ext, toks):
    name, positional, named = toks[0], [], []
    for t in toks[1:]:
        if isinstance(t, list):
            named.append((t[0], t[1] if len(t) > 1 else None))
        else:
            positional.append(t)
    return A.AttributeAst(ext, name, positional, named)


def _build_parameter(ext, toks):
    attrs = [t for t in toks if isinstance(t, A.AttributeAst)]
    var = next(t for t in toks if isinstance(t, A.VariableExpr))
    rest = toks[toks.index(var) + 1:]
    return A.ParameterAst(ext, var.name, attrs, rest[0] if rest else None)


def _build_function(ext, toks):
    kind, name = toks[0], toks[1]
    params = toks[2] if len(toks) == 4 else []
    body = toks[-1]
    return A.FunctionDefinition(ext, name, body, kind.lower() == "filter", params)


def _build_flow(ext, toks):
    keyword = toks[0].lower()
    if keyword in ("break", "continue"):
        return A.FlowStatement(ext, keyword, None, toks[1].value if len(toks) > 1 else None)
    return A.FlowStatement(ext, keyword, toks[1] if len(toks) > 1 else None)


pp.ParserElement.enable_packrat(cache_size_limit=None)
GRAMMAR = _make_grammar()
pp.ParserElement.set_default_whitespace_chars(" \n\t\r")

"""The PowerShell 5.1 grammar in pyparsing: statements, pipelines, both parsing modes, expressions.

Reading guide (top-down, as in the language spec chapter 15):

* ``script``      – a script block body: optional ``[CmdletBinding()] param(...)``, then either
                    ``begin/process/end`` blocks or a statement list;
* ``statement``   – keywords (``if foreach for while do switch try function return ...``) or a
                    pipeline statement (assignment or pipeline);
* ``pipeline``    – an expression or a command first, then ``| command`` elements;
* ``command``     – *argument mode*: bare words are strings, ``-Name`` is a parameter;
* ``expression``  – *expression mode*: one :class:`~csshell.language.precedence.OperatorChain` over the
                    rungs of :func:`operator_rungs` (about_Operator_Precedence).

Terminals live in ``tokens.py`` and ``strings.py``; the error-reporting elements (``Expect``,
``Braced``, ``OpOperand``, ``Build``) in ``elements.py``; the builders that turn matched tokens into
AST nodes in ``builders.py``. This module only says which tokens make which construct.

Speed: alternatives are chosen by their first character or keyword (``dispatch.py``), the hottest
constructs are single loops (``constructs.py``), terminals skip the packrat cache and the rules
above them are memoized, so parsing is linear in the text and no alternative that cannot start with
the next character is ever tried. Each choice keeps ``MatchFirst``'s order and meaning.
"""
from __future__ import annotations

import pyparsing as pp

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.builders import (
    build_argument,
    build_array,
    build_array_expr,
    build_assignment,
    build_attribute,
    build_bare_number,
    build_block,
    build_cast,
    build_command,
    build_command_expression,
    build_flow,
    build_function,
    build_hash,
    build_if,
    build_misplaced_expression,
    build_number,
    build_parameter,
    build_paren,
    build_pipeline,
    build_postfix,
    build_sb_body,
    build_script_block_expr,
    build_splat_in_expression,
    build_subexpr,
    build_switch,
    build_trap,
    build_try,
    build_type_literal,
    build_unary,
    build_variable,
    first_or_none,
)
from csshell.language.constructs import Assignment, MemberOperation, Pipeline, Trailed
from csshell.language.dispatch import (
    FirstChar,
    KeywordFirst,
    Newlines,
    StatementList,
    Terms,
)
from csshell.language.elements import (
    AtBodyEnd,
    Braced,
    Build,
    Expect,
    GluedDouble,
    GluedSingle,
    OpOperand,
    Parameter,
    Reject,
    Redirect,
    WithEnd,
    glued_token,
    node_token,
)
from csshell.language.precedence import CommaList, OperatorChain, Rung
from csshell.language.strings import (
    BareWord,
    DoubleQuoted,
    Expander,
    HereString,
    SingleQuoted,
)

NLS = Newlines()
TERMS = Terms()


def _kw(text: str) -> pp.ParserElement:
    return T.word(text).suppress()


# First characters (one-character regexes) for the first-character dispatch of alternatives.
AT, DOLLAR, LPAREN, LBRACE, LBRACKET = "@", r"\$", r"\(", r"\{", r"\["
SQUOTE, DQUOTE, DASH = f"[{T.SINGLE_QUOTES}]", f"[{T.DOUBLE_QUOTES}]", f"[{T.DASHES}]"
NUMBER_FIRST = rf"[{T.DASHES}\d.]"          # sign, digit or the dot of .5
BARE_FIRST = rf"{T.BARE_START}|`"
ANY = r"[\s\S]"
HERE_AT = f"@[{T.DOUBLE_QUOTES}{T.SINGLE_QUOTES}]"


def any_of(*firsts: str) -> str:
    return "|".join(f"(?:{first})" for first in firsts)


def operator_rungs() -> list[Rung]:
    """Expression mode's precedence, loosest first (about_Operator_Precedence, as 5.1 parses it).

    ``-and -or -xor`` < comparison (``-eq -like -match -replace -split -join -is -as -band ...``) <
    ``+ -`` < ``* / %`` < prefix ``- +`` < ``-f`` < ``..`` (one only) < prefix ``-not ! -bnot``; the
    comma list (and the casts and prefix operators of ``split_join_level``) bind tighter than all.
    """
    return [
        Rung("logical", binary=[T.LOGIC_OP]),
        Rung("comparison", binary=[T.CMP_OP]),
        Rung("additive", binary=[T.PLUS, T.MINUS]),
        Rung("multiplicative", binary=[T.MUL_OP]),
        Rung("negation", prefix=[T.MINUS, T.PLUS]),
        Rung("format", binary=[T.FORMAT_OP]),
        Rung("range", binary=[T.RANGE], repeats=False),
        Rung("not", prefix=[T.NOT_OP, T.BNOT_OP]),
    ]


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
    variable = node_token(T.VARIABLE_RE, build_variable, name="variable")
    number = node_token(T.NUMBER_RE + r"(?![\w])", build_number, name="number")
    type_literal = node_token(T.TYPE_LITERAL_RE, build_type_literal, name="type literal")
    single, double, here = SingleQuoted("string"), DoubleQuoted("string"), HereString("here-string")
    string = here | single | double

    paren = Braced(T.LPAREN, pp.Opt(NLS + pipeline_statement + NLS), T.RPAREN,
                   "MissingEndParenthesisInExpression", build_paren, mark_open=False)
    subexpr = Braced(T.DOLLAR_PAREN, statement_list, T.RPAREN,
                     "MissingEndParenthesisInSubexpression", build_subexpr, mark_open=False)
    array_expr = Braced(T.AT_PAREN, statement_list, T.RPAREN,
                        "MissingEndParenthesisInSubexpression", build_array_expr, mark_open=False)
    hash_key = (string | variable | number | paren
                | node_token(r"[A-Za-z_][\w\-.]*", lambda e, m: A.Constant(e, m.group(0), bare=True), name="key"))
    hash_entry = hash_key + Expect(T.EQUALS.suppress(), "MissingEqualsInHashLiteral", incomplete=False) + NLS + \
        Expect(statement, "ExpectedValueExpression", "=")
    hash_body = pp.Opt(TERMS) + pp.Opt(hash_entry + pp.ZeroOrMore(TERMS + hash_entry)) + pp.Opt(TERMS)
    hash_literal = Braced(T.AT_BRACE, hash_body, T.RBRACE, "IncompleteHashLiteral", build_hash)
    script_block = Braced(T.LBRACE, sb_body, T.RBRACE, "MissingEndCurlyBrace", build_script_block_expr)
    Expander.subexpression = subexpr

    splat_in_expression = node_token(T.SPLAT_RE, build_splat_in_expression, name="splat")
    primary_alternatives = [
        (here, AT, HERE_AT), (single, SQUOTE), (double, DQUOTE), (subexpr, DOLLAR, T.DOLLAR_PAREN),
        (array_expr, AT, T.AT_PAREN), (hash_literal, AT, T.AT_BRACE), (splat_in_expression, AT, T.SPLAT_RE),
        (variable, DOLLAR), (number, NUMBER_FIRST), (paren, LPAREN), (script_block, LBRACE),
        (type_literal, LBRACKET)]
    primary = FirstChar(primary_alternatives, "primary")
    primary_first = any_of(*(alt[1] for alt in primary_alternatives))

    # --- postfix: member access, method calls, indexing, ++/-- -------------------------------
    member_name = FirstChar([
        (glued_token(r"[A-Za-z_]\w*", lambda e, m: A.Constant(e, m.group(0), bare=True), name="name"), "[A-Za-z_]"),
        (GluedSingle("string"), SQUOTE), (GluedDouble("string"), DQUOTE),
        (glued_token(T.VARIABLE_RE, build_variable, name="variable"), DOLLAR),
        (paren, ANY)], "member name", glued=True)     # `$a. (name)`: the parenthesis may follow trivia
    next_call_arg = NLS + T.COMMA.suppress() + NLS + Expect(expression_nc, "MissingExpressionAfterToken", ",")
    call_args = pp.Group(T.glued_sym("(").suppress() + NLS
                         + pp.Opt(expression_nc + pp.ZeroOrMore(next_call_arg))
                         + NLS + Expect(T.RPAREN.suppress(), "MissingEndParenthesisInMethodCall"))

    def member_op(kind: str) -> pp.ParserElement:
        return MemberOperation(kind, member_name, call_args)

    index_op = WithEnd(T.glued_sym("[").suppress() + NLS + Expect(expression, "MissingArrayIndexExpression") + NLS
                       + Expect(T.RBRACKET.suppress(), "MissingEndSquareBracket")).set_parse_action(
        lambda s, loc, t: [["[]", t[0], t[-1]]])
    postfix_incdec = T.Glued(r"\+\+|[-\u2013\u2014\u2015]{2}").set_parse_action(
        lambda s, loc, t: [["++", "++" if t[0] == "++" else "--", loc + 2]])
    member_dot, member_static = member_op("."), member_op("::")
    postfix_op = FirstChar([(member_dot, r"\."), (member_static, ":"), (index_op, LBRACKET),
                            (postfix_incdec, rf"[{T.DASHES}+]")], "postfix operator", glued=True)
    postfix = Trailed(primary, postfix_op, build_postfix, "value")

    # --- unary and binary levels --------------------------------------------------------------
    cast = Build(type_literal + ~T.glued_sym("::") + split_join_level, build_cast)
    prefix_incdec = Build(OpOperand(T.INCDEC, split_join_level, unary=True), build_unary)
    unary_split_join = Build(OpOperand(T.UNARY_SPLIT_JOIN, split_join_level, unary=True), build_unary)
    unary_comma = Build(OpOperand(T.COMMA, split_join_level, unary=True), build_unary)
    value_alternatives = [(unary_comma, ","), (unary_split_join, DASH, T.UNARY_SPLIT_JOIN),
                          (prefix_incdec, rf"[{T.DASHES}+]", T.INCDEC), (cast, LBRACKET), (postfix, primary_first)]
    split_join_level <<= FirstChar(value_alternatives, "value")
    value_first = any_of(*(alt[1] for alt in value_alternatives))
    comma_level = CommaList(split_join_level, build_array, "array")

    expression <<= OperatorChain(comma_level, operator_rungs())
    expression_nc <<= OperatorChain(split_join_level, operator_rungs())

    # --- argument mode ------------------------------------------------------------------------
    parameter = Parameter("parameter")
    parameter.value = arg_value
    redirection = Redirect("redirection")
    redirection.target = arg_value
    bare_number = node_token(T.NUMBER_RE + T.ARG_END, build_bare_number, name="number")
    bare_word = BareWord("argument")
    splat = node_token(T.SPLAT_RE, lambda e, m: A.SplatExpr(e, m.group("name")), name="splat")
    arg_alternatives = [
        (here, AT, HERE_AT), (single, SQUOTE), (double, DQUOTE), (subexpr, DOLLAR, T.DOLLAR_PAREN),
        (array_expr, AT, T.AT_PAREN), (hash_literal, AT, T.AT_BRACE), (splat, AT, T.SPLAT_RE), (variable, DOLLAR),
        (paren, LPAREN), (script_block, LBRACE), (bare_number, NUMBER_FIRST), (bare_word, BARE_FIRST)]
    arg_primary = FirstChar(arg_alternatives, "argument")
    arg_first = any_of(*(alt[1] for alt in arg_alternatives))
    arg_postfix_op = FirstChar([(member_dot, r"\."), (member_static, ":"), (index_op, LBRACKET)],
                               "member or index", glued=True)
    arg_value <<= Trailed(arg_primary, arg_postfix_op, build_postfix, "argument")
    arg_item = CommaList(arg_value, build_argument, "argument")
    command_element = FirstChar([(redirection, r"[*1-6>]"), (parameter, DASH), (arg_item, arg_first),
                                 (Reject(",", "MissingArgument"), ",")], "command element")
    command_name = BareWord("command name")
    invoked_command = Trailed((T.AMP | T.DOT_SOURCE) + arg_value, command_element, build_command, "command")
    named_command = Trailed(command_name, command_element, build_command, "command")
    command_first = any_of("[&.]", BARE_FIRST)
    command = FirstChar([(invoked_command, "[&.]", rf"(?:{T.AMP.re.pattern})|(?:{T.DOT_SOURCE.re.pattern})"),
                         (named_command, BARE_FIRST)], "command")

    # --- pipelines and assignments -----------------------------------------------------------
    expr_element = Trailed(expression, redirection, build_command_expression, "expression")
    expression_start = T.Tok(r"(?=[$(\"'@\[\u2018-\u201e]|(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"
                             r"[lLdD]?(?:[kKmMgGtTpP][bB])?" + T.ARG_END + ")", name="expression")
    misplaced_expression = Build(expression_start + expression, build_misplaced_expression)
    expression_first = any_of(value_first, rf"[{T.DASHES}+!]")     # a value or a prefix operator
    pipeline = Pipeline(FirstChar([(expr_element, expression_first), (command, command_first)], "pipeline element"),
                        Expect(misplaced_expression | command, "EmptyPipeElement"), build_pipeline)
    assignment = Assignment(comma_level, Expect(statement, "ExpectedValueExpression", "="), build_assignment)
    pipeline_statement <<= FirstChar([(assignment, value_first), (pipeline, any_of(expression_first, command_first))],
                                     "pipeline")

    # --- blocks and statements -----------------------------------------------------------------
    statement_list <<= StatementList(statement)
    block = Braced(T.LBRACE, statement_list, T.RBRACE, "MissingEndCurlyBrace", build_block)
    body_block = Braced(T.LBRACE, sb_body, T.RBRACE, "MissingEndCurlyBrace", build_block)

    def condition(keyword: str) -> pp.ParserElement:
        return (NLS + Expect(T.LPAREN, "MissingOpenParenthesisInIfStatement" if keyword in ("if", "elseif")
                             else "MissingOpenParenthesisAfterKeyword", keyword).suppress()
                + NLS + Expect(pipeline_statement, "IfStatementMissingCondition" if keyword in ("if", "elseif")
                                else "MissingExpressionAfterKeyword", keyword) + NLS
                + Expect(T.RPAREN, "MissingEndParenthesisAfterStatement", keyword).suppress())

    if_clause = lambda kw: pp.Group(condition(kw) + NLS + Expect(block, "MissingStatementBlock", kw))  # noqa: E731
    else_clause = pp.Group(NLS + _kw("else") + NLS + Expect(block, "MissingStatementBlockAfterElse"))
    if_statement = Build(_kw("if") + if_clause("if") + pp.ZeroOrMore(NLS + _kw("elseif") + if_clause("elseif"))
                         + pp.Opt(else_clause), build_if)

    # the label is required here: unlabelled loops are found by their keyword, and an optional label in
    # the fallback made every other statement try five loop rules first (parse time doubled)
    label_token = node_token(r":[A-Za-z_]\w*", lambda e, m: A.Constant(e, m.group(0)[1:]), name="label")
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
        lambda e, t: A.ForStatement(e, first_or_none(t[0]), first_or_none(t[1]), first_or_none(t[2]), t[3]))
    while_statement = Build(
        _kw("while") + condition("while") + NLS + Expect(block, "MissingLoopStatement", "while"),
        lambda e, t: A.WhileStatement(e, t[0], t[1]))
    do_statement = Build(
        _kw("do") + NLS + Expect(block, "MissingLoopStatement", "do") + NLS
        + Expect(T.word("while") | T.word("until"), "MissingWhileOrUntilInDoWhile") + condition("do"),
        lambda e, t: A.DoStatement(e, t[0], t[2], until=t[1].lower() == "until"))
    switch_flag = node_token(r"(?i)[-\u2013\u2014](?P<f>regex|wildcard|exact|casesensitive|file)(?![\w-])",
                       lambda e, m: ("flag", m.group("f").lower()), name="switch option")
    switch_clause = pp.Group(((T.word("default") + ~T.glued_sym("(")) | arg_value) + NLS
                             + Expect(block, "MissingSwitchStatementClause"))
    switch_body = pp.Opt(TERMS) + pp.ZeroOrMore(switch_clause + pp.Opt(TERMS))
    switch_statement = Build(
        _kw("switch") + pp.ZeroOrMore(switch_flag) + condition("switch") + NLS
        + Expect(Braced(T.LBRACE, switch_body, T.RBRACE, "MissingEndCurlyBrace",
                        lambda o, i, ie, e, body: ("clauses", body)), "MissingCurlyBraceInSwitchStatement"),
        build_switch)
    catch_types = pp.Group(pp.Opt(type_literal + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS + type_literal)))
    catch = pp.Group(NLS + _kw("catch") + catch_types + NLS + Expect(block, "MissingCatchHandlerBlock"))
    finally_ = pp.Group(NLS + T.word("finally") + NLS + Expect(block, "MissingFinallyStatementBlock"))
    try_statement = Build(_kw("try") + NLS + Expect(block, "MissingTryStatementBlock")
                          + pp.ZeroOrMore(catch) + pp.Opt(finally_), build_try)
    trap_statement = Build(T.word("trap") + pp.Opt(NLS + type_literal) + NLS
                           + Expect(block, "MissingTrapStatement"), build_trap)

    attribute_arg = pp.Group(node_token(r"[A-Za-z_]\w*(?=\s*=(?!=))", lambda e, m: m.group(0), name="name")
                             + NLS + T.EQUALS.suppress() + NLS + expression_nc) | \
        pp.Group(node_token(r"[A-Za-z_]\w*(?=\s*[,)])", lambda e, m: m.group(0), name="name")) | expression_nc
    attribute = Build(node_token(r"\[\s*(?P<name>[A-Za-z_][\w.]*)\s*\(", lambda e, m: m.group("name"), name="attribute")
                      + NLS + pp.Opt(attribute_arg + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS + attribute_arg))
                      + NLS + Expect(T.RPAREN, "MissingEndParenthesisInExpression").suppress()
                      + Expect(T.Tok(r"\s*\]"), "MissingEndSquareBracketInAttribute").suppress(), build_attribute)
    type_constraint = Build(type_literal, lambda e, t: A.AttributeAst(e, t[0].type_name, is_type=True))
    parameter_decl = Build(pp.ZeroOrMore((attribute | type_constraint) + NLS) + variable
                           + pp.Opt(NLS + T.EQUALS.suppress() + NLS + expression_nc), build_parameter)
    parameter_list = pp.Opt(parameter_decl + pp.ZeroOrMore(NLS + T.COMMA.suppress() + NLS + parameter_decl))
    param_block = Build(_kw("param") + NLS + Expect(T.LPAREN, "MissingOpenParenthesisAfterKeyword", "param").suppress()
                        + NLS + parameter_list + NLS
                        + Expect(T.RPAREN, "MissingEndParenthesisInFunctionParameterList").suppress(),
                        lambda e, t: A.ParamBlock(e, t))
    function_name = node_token(r"[^\s{}();,|&'\"`]+", lambda e, m: m.group(0), name="function name")
    function_statement = Build(
        (T.word("function") | T.word("filter"))
        + Expect(function_name, "MissingNameAfterKeyword")
        + pp.Opt(pp.Group(T.LPAREN.suppress() + NLS + parameter_list + NLS
                          + Expect(T.RPAREN, "MissingEndParenthesisInFunctionParameterList").suppress()))
        + NLS + Expect(body_block, "MissingFunctionBody"), build_function)
    flow_value = pp.Opt(pipeline_statement)
    flow_statement = Build((T.word("return") | T.word("throw") | T.word("exit")) + flow_value
                           | (T.word("break") | T.word("continue")) + pp.Opt(
                               node_token(r"[A-Za-z_]\w*", lambda e, m: A.Constant(e, m.group(0)), name="label")),
                           build_flow)

    # ":outer foreach (...) {}": a label names the loop (or switch) that `break outer` / `continue outer` leave.
    labeled_loop = Build(label_token + (foreach_statement | for_statement | while_statement | do_statement
                                  | switch_statement), _labeled)
    statement <<= KeywordFirst(
        [("if", if_statement), ("foreach", foreach_statement), ("for", for_statement), ("while", while_statement),
         ("do", do_statement), ("switch", switch_statement), ("try", try_statement),
         ("trap", trap_statement),
         ("function", function_statement), ("filter", function_statement),
         *((word, flow_statement) for word in ("return", "throw", "exit", "break", "continue"))],
        labeled_loop | pipeline_statement, "statement")

    named_block = pp.Group((T.word("begin") | T.word("process") | T.word("end") | T.word("dynamicparam"))
                           + NLS + block) + pp.Opt(TERMS)
    # after named blocks only the body's end may follow: `begin {} Hi` is UnexpectedToken at `Hi` (5.1)
    named_blocks = (pp.Group(pp.Empty().set_parse_action(lambda: "named") + pp.OneOrMore(named_block))
                    + AtBodyEnd(strict=True))
    header = pp.Opt(pp.Group(pp.Empty().set_parse_action(lambda: "attributes")
                             + pp.ZeroOrMore(attribute + pp.Opt(TERMS))) + param_block)
    sb_body <<= Build(pp.Opt(TERMS) + header + pp.Opt(TERMS) + (named_blocks | statement_list), build_sb_body)
    return {"script": sb_body, "statement": statement, "expression": expression}


def _labeled(extent: A.Extent, toks: pp.ParseResults) -> A.Statement:
    """The loop after a ``:label``, carrying the label; its extent starts at the label, as PowerShell's does."""
    loop = toks[1]
    loop.label = toks[0].value
    loop.extent = extent
    return loop


pp.ParserElement.enable_packrat(cache_size_limit=None)
GRAMMAR = _make_grammar()
pp.ParserElement.set_default_whitespace_chars(" \n\t\r")

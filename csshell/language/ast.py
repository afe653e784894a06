"""The syntax tree. Every node carries its :class:`Extent` (PowerShell's ``IScriptExtent``).

Error markers (``+ ~~~~``), ``ScriptBlock.ToString()`` and completion are all computed from extents;
nothing re-scans the source. Nodes are plain dataclasses: the runtime walks them, the parser builds them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """One parsed text: the script file (or ``None`` for typed input) and its full text."""
    text: str
    file: str | None = None

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of an offset."""
        line = self.text.count("\n", 0, offset) + 1
        start = self.text.rfind("\n", 0, offset) + 1
        return line, offset - start + 1

    def line_text(self, line: int) -> str:
        lines = self.text.split("\n")
        return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


@dataclass(frozen=True)
class Extent:
    """A span of source: offsets ``[start, end)`` into ``source.text``."""
    source: Source
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.source.text[self.start:self.end]

    @property
    def start_line(self) -> int:
        return self.source.line_col(self.start)[0]

    @property
    def start_column(self) -> int:
        return self.source.line_col(self.start)[1]

    @property
    def file(self) -> str | None:
        return self.source.file


# ------------------------------------------------------------------------------------------
# Base
# ------------------------------------------------------------------------------------------

@dataclass
class Node:
    extent: Extent = field(repr=False)


# ------------------------------------------------------------------------------------------
# Statements
# ------------------------------------------------------------------------------------------

@dataclass
class ScriptBlockAst(Node):
    """A whole script or the body of ``{ ... }``.

    ``param_block`` is ``None`` or a :class:`ParamBlock`; when the body uses ``begin``/``process``/
    ``end`` blocks they are in ``named_blocks`` and ``statements`` is empty.
    """
    statements: list["Statement"]
    param_block: "ParamBlock | None" = None
    named_blocks: dict[str, list["Statement"]] = field(default_factory=dict)
    attributes: list["AttributeAst"] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.statements = with_traps(self.statements)
        for name, block in self.named_blocks.items():
            self.named_blocks[name] = with_traps(block)


class TrapList(list):
    """A statement list that declares ``trap`` handlers: ``traps`` are active for every statement in it,
    wherever they appear (PowerShell hoists them). The trap statements stay in the list (running one does
    nothing); the interpreter sees the type and runs the list with the handlers in place."""

    traps: list["TrapStatement"]


def with_traps(statements: list) -> list:
    """``statements`` as a :class:`TrapList` when it holds trap statements, else unchanged."""
    if type(statements) is TrapList or not any(isinstance(s, TrapStatement) for s in statements):
        return statements
    out = TrapList(statements)
    out.traps = [s for s in statements if isinstance(s, TrapStatement)]
    return out


class Statement(Node):
    pass


@dataclass
class PipelineStatement(Statement):
    """``a | b | c``: the first element may be an expression, the rest are commands."""
    elements: list["Node"]          # CommandAst or ExpressionStatementElement (first only)
    background: bool = False


@dataclass
class AssignmentStatement(Statement):
    target: "Expression"            # VariableExpr, MemberExpr, IndexExpr, ArrayLiteral (multi), ConvertExpr
    operator: str                   # '=', '+=', '-=', '*=', '/=', '%='
    value: "Statement"              # a pipeline or another assignment


@dataclass
class IfStatement(Statement):
    clauses: list[tuple["Statement", "ScriptBlockAst"]]  # (condition pipeline, body)
    else_body: "ScriptBlockAst | None" = None


@dataclass
class ForeachStatement(Statement):
    variable: "VariableExpr"
    iterable: "Statement"
    body: "ScriptBlockAst"
    label: str | None = None


@dataclass
class ForStatement(Statement):
    init: "Statement | None"
    condition: "Statement | None"
    step: "Statement | None"
    body: "ScriptBlockAst"
    label: str | None = None


@dataclass
class WhileStatement(Statement):
    condition: "Statement"
    body: "ScriptBlockAst"
    label: str | None = None


@dataclass
class DoStatement(Statement):
    body: "ScriptBlockAst"
    condition: "Statement"
    until: bool = False             # do { } until (...)  vs  do { } while (...)
    label: str | None = None


@dataclass
class SwitchStatement(Statement):
    subject: "Statement"
    clauses: list[tuple["Node", "ScriptBlockAst"]]  # (pattern expression or scriptblock, body)
    default: "ScriptBlockAst | None" = None
    flags: list[str] = field(default_factory=list)   # wildcard, regex, exact, casesensitive, file
    label: str | None = None


@dataclass
class TryStatement(Statement):
    body: "ScriptBlockAst"
    catches: list[tuple[list[str], "ScriptBlockAst"]]  # ([type names], body); [] = catch all
    finally_body: "ScriptBlockAst | None" = None


@dataclass
class TrapStatement(Statement):
    """``trap [Type] { ... }``: a handler for the terminating errors of the statement list it is in."""
    type_name: str | None
    body: "ScriptBlockAst"


@dataclass
class FlowStatement(Statement):
    """``break`` / ``continue`` (with optional label), ``return``/``throw``/``exit`` (with optional value)."""
    keyword: str
    value: "Statement | None" = None
    label: str | None = None


@dataclass
class FunctionDefinition(Statement):
    name: str
    body: "ScriptBlockAst"
    is_filter: bool = False
    parameters: list["ParameterAst"] = field(default_factory=list)  # `function f($a, $b) {}` form


@dataclass
class ParamBlock(Node):
    parameters: list["ParameterAst"]
    attributes: list["AttributeAst"] = field(default_factory=list)


@dataclass
class ParameterAst(Node):
    name: str
    attributes: list["AttributeAst"]   # [Parameter(...)], [ValidateSet(...)], type constraints
    default: "Expression | None" = None


@dataclass
class AttributeAst(Node):
    """``[Name(positional, Named=value)]`` or a bare type constraint ``[string]`` (is_type=True)."""
    name: str
    positional: list["Expression"] = field(default_factory=list)
    named: list[tuple[str, "Expression | None"]] = field(default_factory=list)
    is_type: bool = False


# ------------------------------------------------------------------------------------------
# Commands
# ------------------------------------------------------------------------------------------

@dataclass
class CommandParameter(Node):
    """``-Name`` or ``-Name:value`` inside a command. ``argument`` is set only for the colon form."""
    name: str
    argument: "Expression | None" = None
    colon: bool = False


@dataclass
class Redirection(Node):
    """``>``, ``>>``, ``2>``, ``2>&1``, ``*>$null``..."""
    stream: str            # '1', '2', '*', ...
    append: bool
    target: "Expression | None"   # None for merging redirections (2>&1)
    merge_to: str | None = None


@dataclass
class CommandAst(Node):
    """A command invocation in argument mode.

    ``name`` is the command-name element (a bare word StringConstant, or any expression after ``&``/``.``).
    ``elements`` are the arguments in order: expressions, :class:`CommandParameter`, :class:`SplatExpr`.
    """
    name: "Expression"
    elements: list[Node]
    invocation: str | None = None   # None, '&' or '.'
    redirections: list[Redirection] = field(default_factory=list)


@dataclass
class CommandExpression(Node):
    """An expression standing as a pipeline element (only first in a pipeline)."""
    expression: "Expression"
    redirections: list[Redirection] = field(default_factory=list)


# ------------------------------------------------------------------------------------------
# Expressions
# ------------------------------------------------------------------------------------------

class Expression(Node):
    pass


@dataclass
class Constant(Expression):
    """Numbers, ``$true``-style literals are variables; this is for number and verbatim string literals.

    ``bare`` marks a bare word in argument mode (command names, unquoted arguments).
    """
    value: Any
    bare: bool = False


@dataclass
class ExpandableString(Expression):
    """A double-quoted string or here-string: literal text parts and embedded expressions.

    ``parts`` mixes ``str`` (already unescaped) and :class:`Expression` (variables, ``$(...)``).
    """
    parts: list[Any]
    bare: bool = False


@dataclass
class VariableExpr(Expression):
    """``$name``, ``$scope:name``, ``${any name}``. ``name`` keeps the scope prefix as written."""
    name: str
    splat: bool = False


@dataclass
class SplatExpr(Expression):
    """``@name`` in argument mode."""
    name: str


@dataclass
class ArrayLiteral(Expression):
    """``a, b, c`` (the comma operator)."""
    items: list[Expression]


@dataclass
class ArrayExpression(Expression):
    """``@( statements )``."""
    body: ScriptBlockAst


@dataclass
class SubExpression(Expression):
    """``$( statements )``."""
    body: ScriptBlockAst


@dataclass
class ParenExpression(Expression):
    """``( pipeline )``."""
    pipeline: Statement


@dataclass
class HashLiteral(Expression):
    pairs: list[tuple[Expression, Statement]]


@dataclass
class ScriptBlockExpr(Expression):
    """``{ ... }`` as a value. ``text`` is the exact source between the braces."""
    body: ScriptBlockAst
    text: str


@dataclass
class TypeLiteral(Expression):
    """``[type]`` standing alone (``[math]``)."""
    type_name: str


@dataclass
class ConvertExpr(Expression):
    """``[type] expr`` (a cast)."""
    type_name: str
    operand: Expression


@dataclass
class BinaryExpr(Expression):
    """Binary operators. ``op`` is normalised lower-case without the dash for word operators
    (``eq``, ``ceq``, ``like``, ``and``, ``f``, ``join``...) and the symbol for ``+ - * / % ..``."""
    op: str
    left: Expression
    right: Expression
    op_extent: Extent | None = field(default=None, repr=False)


@dataclass
class UnaryExpr(Expression):
    """Prefix ``-not ! - + , -join -split`` and ``++``/``--`` (prefix or postfix)."""
    op: str
    operand: Expression
    postfix: bool = False


@dataclass
class MemberExpr(Expression):
    """``obj.Name`` (``static`` for ``[type]::Name``). ``member`` is a Constant or an expression."""
    obj: Expression
    member: Expression
    static: bool = False


@dataclass
class InvokeMemberExpr(Expression):
    """``obj.Method(args)`` / ``[type]::Method(args)``."""
    obj: Expression
    member: Expression
    arguments: list[Expression]
    static: bool = False


@dataclass
class IndexExpr(Expression):
    """``obj[index]``."""
    obj: Expression
    index: Expression

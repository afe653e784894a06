"""One normalised shape for a parsed script, read from csshell's AST or from a tree-sitter-pwsh tree.

The shape is what both parsers must agree on: every command in source order, as
``(name, (element, ...))`` where an element is ``-param``, ``-param:`` (colon form, its argument follows),
``arg``, ``{}`` (a script block argument) or ``@splat``. Redirections are not arguments and are left out.
Names and parameters are lower-cased: PowerShell is case-insensitive, and spelling is not structure.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import tree_sitter
import tree_sitter_pwsh

from csshell.language import ast as A
from csshell.language.parser import ParseErrors, parse

Shape = tuple[tuple[str, tuple[str, ...]], ...]
_TS_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))


# --- csshell -------------------------------------------------------------------------------------

def csshell_shape(text: str) -> Shape | None:
    """The commands csshell reads in ``text``; ``None`` when csshell rejects it."""
    try:
        script = parse(text)
    except ParseErrors:
        return None
    commands = sorted(_csshell_commands(script), key=lambda c: c.extent.start)
    return tuple((_csshell_name(c), tuple(_csshell_elements(c))) for c in commands)


def _csshell_commands(node: Any) -> Iterator[A.CommandAst]:
    if isinstance(node, A.CommandAst):
        yield node
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            if f.name != "extent":
                yield from _csshell_commands(getattr(node, f.name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _csshell_commands(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _csshell_commands(item)


def _csshell_name(command: A.CommandAst) -> str:
    prefix = f"{command.invocation} " if command.invocation else ""
    return (prefix + command.name.extent.text).lower()


def _csshell_elements(command: A.CommandAst) -> Iterator[str]:
    for element in command.elements:
        if isinstance(element, A.CommandParameter):
            yield f"-{element.name.lower()}" + (":" if element.colon else "")
            if element.argument is not None:
                yield _csshell_kind(element.argument)
        else:
            yield _csshell_kind(element)


def _csshell_kind(node: A.Node) -> str:
    if isinstance(node, A.SplatExpr):
        return "@splat"
    if isinstance(node, A.ScriptBlockExpr):
        return "{}"
    return "arg"


# --- tree-sitter-pwsh ----------------------------------------------------------------------------

def tree_sitter_shape(text: str) -> Shape | None:
    """The commands tree-sitter-pwsh reads in ``text``; ``None`` when its tree has an error node."""
    root = _TS_PARSER.parse(text.encode("utf-8")).root_node
    if root.has_error:
        return None
    commands = sorted(_ts_nodes(root, "command"), key=lambda n: n.start_byte)
    return tuple((_ts_name(c), tuple(_ts_elements(c))) for c in commands)


def _ts_nodes(node: tree_sitter.Node, kind: str) -> Iterator[tree_sitter.Node]:
    if node.type == kind:
        yield node
    for child in node.children:
        yield from _ts_nodes(child, kind)


def _ts_text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8")


def _ts_name(command: tree_sitter.Node) -> str:
    prefix = ""
    for child in command.children:
        if child.type == "command_invocation_operator":
            prefix = _ts_text(child) + " "
        elif child.type in ("command_name", "command_name_expr"):
            return (prefix + _ts_text(child)).lower()
    return prefix.lower()


def _ts_elements(command: tree_sitter.Node) -> Iterator[str]:
    elements = next((c for c in command.children if c.type == "command_elements"), None)
    if elements is None:
        return
    children = list(elements.children)
    for i, child in enumerate(children):
        if child.type in ("command_argument_sep", "redirection", "comment"):
            continue
        if child.type == "command_parameter":
            colon = i + 1 < len(children) and _ts_text(children[i + 1]).startswith(":")
            yield "-" + _ts_text(child).lstrip("-\u2013\u2014\u2015").rstrip(":").lower() + (":" if colon else "")
        else:
            yield _ts_kind(child)


def _ts_kind(node: tree_sitter.Node) -> str:
    inner = node.children[0] if node.type == "unary_expression" and node.child_count == 1 else node
    if inner.type == "script_block_expression":
        return "{}"
    if inner.type == "variable" and _ts_text(inner).startswith("@"):
        return "@splat"
    return "arg"

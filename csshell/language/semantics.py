"""Semantic checks PowerShell's parser makes after building the tree (SemanticChecks.cs).

These are parse errors that no grammar rule can see because they depend on what encloses a statement:
``return``, ``break`` and ``continue`` may not leave a ``finally`` block (``ControlLeavingFinally``),
because .NET cannot jump out of a finally handler. A script block or function inside the finally is a
new scope, so flow inside it is allowed; a loop or ``switch`` inside the finally is a target that
``break``/``continue`` stop at (a labelled one only when its label matches).
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from csshell.language import ast as A
from csshell.language.parse_errors import fatal

_LOOPS = (A.ForeachStatement, A.ForStatement, A.WhileStatement, A.DoStatement, A.SwitchStatement)
_NEW_SCOPE = (A.ScriptBlockExpr, A.FunctionDefinition)


def check_finally(body: A.ScriptBlockAst) -> None:
    """Raise ``ControlLeavingFinally`` for the first flow statement that would leave ``body``."""
    for flow in _leaving_flows(body, ()):
        start = flow.extent.start
        raise fatal(flow.extent.source.text, start, "ControlLeavingFinally", start=start,
                    end=flow.extent.end, incomplete=False)


def _leaving_flows(node: object, loops: tuple[str | None, ...]) -> Iterator[A.FlowStatement]:
    """Flow statements under ``node`` whose target lies outside it; ``loops`` are the enclosing loops' labels."""
    if isinstance(node, _NEW_SCOPE):
        return
    if isinstance(node, A.FlowStatement) and _leaves(node, loops):
        yield node
    if isinstance(node, _LOOPS):
        loops = loops + ((node.label or "").lower(),)
    for child in _children(node):
        yield from _leaving_flows(child, loops)


def _leaves(flow: A.FlowStatement, loops: tuple[str | None, ...]) -> bool:
    if flow.keyword == "return":
        return True
    if flow.keyword not in ("break", "continue"):
        return False            # throw and exit are allowed in a finally block
    if flow.label is None:
        return not loops
    return flow.label.lower() not in loops


def _children(node: object) -> Iterator[object]:
    """The nodes directly inside ``node`` (through lists, tuples and dicts of its fields)."""
    if isinstance(node, (list, tuple)):
        yield from node
    elif isinstance(node, dict):
        yield from node.values()
    elif dataclasses.is_dataclass(node) and isinstance(node, A.Node):
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if isinstance(value, (A.Node, list, tuple, dict)):
                yield value

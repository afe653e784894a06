"""Small readers over the parser's output, so each test states PowerShell's rule and nothing else."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from csshell.language import ast as A
from csshell.language.parser import ParseErrors, parse


@dataclass(frozen=True)
class Marker:
    """What the ``+ ~~~`` block shows for the first parse error: 1-based line/column, width in characters."""
    error_id: str
    message: str
    line: int
    column: int
    width: int
    incomplete: bool


def first_error(text: str) -> Marker:
    """The first parse error of ``text``; fails the test when ``text`` parses."""
    with pytest.raises(ParseErrors) as caught:
        parse(text)
    error = caught.value.errors[0]
    ext = error.extent
    return Marker(error.error_id, error.message, ext.start_line, ext.start_column, ext.end - ext.start,
                  error.incomplete)


def statement(text: str) -> A.Statement:
    """The only statement of ``text``."""
    script = parse(text)
    assert len(script.statements) == 1, script.statements
    return script.statements[0]


def expression(text: str) -> A.Expression:
    """The expression of a one-statement, one-element expression pipeline."""
    stmt = statement(text)
    assert isinstance(stmt, A.PipelineStatement) and len(stmt.elements) == 1, stmt
    element = stmt.elements[0]
    assert isinstance(element, A.CommandExpression), element
    return element.expression


def command(text: str, index: int = 0) -> A.CommandAst:
    """The ``index``-th command of a one-statement pipeline."""
    stmt = statement(text)
    assert isinstance(stmt, A.PipelineStatement), stmt
    element = stmt.elements[index]
    assert isinstance(element, A.CommandAst), element
    return element


def arguments(text: str) -> list[A.Node]:
    """The elements (parameters and arguments) of a one-command statement."""
    return command(text).elements

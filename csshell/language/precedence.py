"""Expression mode's operators as one precedence-climbing element, and comma lists.

The grammar used to be one pyparsing level per precedence rung (``Build`` + ``ZeroOrMore(OpOperand)``
ten deep), so every operand cost some forty element calls before the first operator was even looked
at. :class:`OperatorChain` reads an operand, then operators, from one table of :class:`Rung` s; the
rules are exactly the nested levels' (see ``grammar.py`` for the table):

* a binary operator's right operand is an expression of the rungs *above* it (left associative);
* a rung with ``repeats=False`` takes one operator only (``1..2..3`` leaves ``..3`` unread);
* a prefix operator's operand is an expression of its own rung and above (``-$a -f 1`` is
  ``-($a -f 1)``), and a prefix operator is only read where an operand of its rung may stand
  (``1..-$x`` has no operand after ``..``).

Operators continue over newlines; a missing operand is PowerShell's error, marked right after the
operator, exactly as :class:`~csshell.language.elements.OpOperand` reports it.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyparsing as pp

from csshell.language import ast as A
from csshell.language import tokens as T
from csshell.language.builders import build_unary, operator_name
from csshell.language.dispatch import _NO_MATCH, _Element
from csshell.language.elements import missing_operand, skip_newlines


_SIGNED_NUMBER = re.compile(rf"[{T.DASHES}](?:\d|\.\d)")


def _patterns(tokens: Sequence[pp.Regex]) -> list[re.Pattern]:
    """A rung's operator tokens as compiled regexes (tried in order, as ``a | b`` would)."""
    return [tok.re for tok in tokens]


@dataclass(frozen=True)
class Rung:
    """One precedence level: its infix operators, its prefix operators, whether its infix operator chains."""
    name: str
    binary: Sequence[pp.Regex] = ()
    prefix: Sequence[pp.Regex] = ()
    repeats: bool = True


class OperatorChain(_Element):
    """An expression: ``operand`` elements joined by the operators of ``rungs`` (loosest rung first)."""

    _parse = pp.ParserElement._parseNoCache   # always reached through a memoized Forward

    def __init__(self, operand: pp.ParserElement, rungs: Sequence[Rung], name: str = "expression") -> None:
        super().__init__(name)
        self.operand = operand
        self.rungs = list(rungs)
        self._binary = [(i, rx, rung.repeats) for i, rung in enumerate(rungs) for rx in _patterns(rung.binary)]
        self._prefix = [(i, rx) for i, rung in enumerate(rungs) for rx in _patterns(rung.prefix)]
        # only these characters can start an operator: a cheap test before any regex
        self._starts = frozenset("+*/%.!" + T.DASHES)

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        end, node = self._expression(instring, loc, 0, do_actions)
        return end, ([node] if do_actions else [])

    def _expression(self, s: str, loc: int, lowest: int, do_actions: bool):
        """An operand (maybe prefixed), then every infix operator of rung ``lowest`` or above."""
        end, node = self._prefixed(s, loc, lowest, do_actions)
        ceiling = len(self.rungs) - 1
        while True:
            op_start = T.skip_trivia(s, end)
            found = self._infix_at(s, op_start, lowest, ceiling)
            if found is None:
                return end, node
            level, op_end, repeats = found
            op_text = s[op_start:op_end]
            end, right = self._operand_after(s, op_end, op_text, level + 1, unary=False, do_actions=do_actions)
            if do_actions:
                node = A.BinaryExpr(A.Extent(node.extent.source, node.extent.start, right.extent.end),
                                    operator_name(op_text), node, right)
            ceiling = level if repeats else level - 1

    def _infix_at(self, s: str, at: int, lowest: int, ceiling: int) -> tuple[int, int, bool] | None:
        """The infix operator at ``at`` when its rung lies in ``[lowest, ceiling]``: (rung, end, repeats)."""
        if at >= len(s) or s[at] not in self._starts:
            return None
        for level, rx, repeats in self._binary:
            m = rx.match(s, at)
            if m:
                return (level, m.end(), repeats) if lowest <= level <= ceiling else None
        return None

    def _prefixed(self, s: str, loc: int, lowest: int, do_actions: bool):
        """A prefix operator of rung ``lowest`` or above with its operand, else a plain operand."""
        here = T.skip_trivia(s, loc)
        if _SIGNED_NUMBER.match(s, here):
            # PowerShell's tokenizer reads "-8" at an operand as one number token: ``-8..-5`` is a range of
            # negatives, while unary minus (below ``..`` in about_Operator_Precedence) would negate the range.
            try:
                end, toks = self.operand._parse(s, here, do_actions)
                return end, (toks[0] if do_actions else None)
            except _NO_MATCH:
                pass
        if here < len(s) and s[here] in self._starts:
            for level, rx in self._prefix:
                if level < lowest:
                    continue
                m = rx.match(s, here)
                if m:
                    op_text = m.group(0)
                    end, operand = self._operand_after(s, m.end(), op_text, level, unary=True, do_actions=do_actions)
                    node = build_unary(T.extent(here, end), [op_text, operand]) if do_actions else None
                    return end, node
        end, toks = self.operand._parse(s, loc, do_actions)
        return end, (toks[0] if do_actions else None)

    def _operand_after(self, s: str, op_end: int, op_text: str, lowest: int, unary: bool, do_actions: bool):
        """The operand after an operator (newlines allowed between), or PowerShell's missing-operand error."""
        here = skip_newlines(s, op_end)
        try:
            return self._expression(s, here, lowest, do_actions)
        except _NO_MATCH:
            raise missing_operand(s, here, op_text, op_end, unary) from None


class CommaList(_Element):
    """``item (, item)*`` built by ``build(extent, tokens)``; a ``,`` without an item after it is an error."""

    def __init__(self, item: pp.ParserElement, build: Callable, name: str) -> None:
        super().__init__(name)
        self.item = item
        self.build = build

    def parseImpl(self, instring, loc, do_actions=True):  # noqa: N802 (pyparsing API)
        start = T.skip_trivia(instring, loc)
        end, toks = self.item._parse(instring, loc, do_actions)
        items = toks.as_list()
        while True:
            comma = T.skip_trivia(instring, end)
            if not instring.startswith(",", comma):
                break
            here = skip_newlines(instring, comma + 1)
            try:
                end, toks = self.item._parse(instring, here, do_actions)
            except _NO_MATCH:
                raise missing_operand(instring, here, ",", comma + 1, unary=False) from None
            items.append(",")
            items.extend(toks.as_list())
        if not do_actions:
            return end, []
        node = self.build(T.extent(start, end), items)
        return end, ([] if node is None else [node])

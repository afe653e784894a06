"""Statement execution: pipelines, assignments, if/loops/switch, try/catch/finally, flow control.

Each ``_run_*`` function takes the interpreter, the statement and the output sink. Loops translate
:class:`BreakSignal`/:class:`ContinueSignal` (with optional labels) the way PowerShell does.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from csshell.language import ast as A
from csshell.runtime import errors as E
from csshell.runtime import operators
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.values import enumerate_value, to_bool, to_string

if TYPE_CHECKING:
    from csshell.runtime.interpreter import Interpreter, Sink


def execute(interp: "Interpreter", stmt: A.Node, sink: "Sink") -> None:
    handler = _HANDLERS.get(type(stmt))
    if handler is None:
        raise PSError(ErrorRecord(f"Unsupported statement: {type(stmt).__name__}", "UnsupportedStatement",
                                  E.INVALID_OPERATION, extent=stmt.extent))
    handler(interp, stmt, sink)


def _pipeline(interp, stmt: A.PipelineStatement, sink) -> None:
    from csshell.runtime.pipeline import run_pipeline
    run_pipeline(interp, stmt, sink)


def _assignment(interp, stmt: A.AssignmentStatement, sink) -> None:
    value = interp.value_of_statement(stmt.value)
    if stmt.operator != "=":
        current = interp.eval(stmt.target)
        value = operators.binary_op(stmt.operator[0], current, value)
    try:
        interp.assign_to(stmt.target, value)
    except PSError as err:
        if err.record.error_id == "PropertyAssignmentException" or (
                err.record.extent is None and err.record.reason == "ArgumentTransformationMetadataException"):
            err.record.extent = stmt.extent     # PowerShell marks the whole assignment
        raise


def _condition(interp, stmt: A.Node) -> bool:
    return to_bool(interp.value_of_statement(stmt))


def _if(interp, stmt: A.IfStatement, sink) -> None:
    for condition, body in stmt.clauses:
        if _condition(interp, condition):
            interp.run_statements(body.statements, sink)
            return
    if stmt.else_body is not None:
        interp.run_statements(stmt.else_body.statements, sink)


def _loop_body(interp, body: A.ScriptBlockAst, sink, label: str | None) -> bool:
    """Run a loop body once; False means break out of the loop."""
    try:
        interp.run_statements(body.statements, sink)
    except E.BreakSignal as sig:
        if sig.label and (label is None or sig.label.lower() != label.lower()):
            raise
        return False
    except E.ContinueSignal as sig:
        if sig.label and (label is None or sig.label.lower() != label.lower()):
            raise
    return True


def _foreach(interp, stmt: A.ForeachStatement, sink) -> None:
    for item in _foreach_items(interp, stmt.iterable):
        interp.session.set_variable(stmt.variable.name, item)
        if not _loop_body(interp, stmt.body, sink, stmt.label):
            break


def _foreach_items(interp, iterable: A.Node) -> Any:
    """What ``foreach`` walks; ``foreach ($i in 1..N)`` counts without building the range first."""
    if isinstance(iterable, A.PipelineStatement) and len(iterable.elements) == 1 and \
            isinstance(iterable.elements[0], A.CommandExpression) and not iterable.elements[0].redirections:
        expression = iterable.elements[0].expression
        if isinstance(expression, A.BinaryExpr) and expression.op == "..":
            from csshell.runtime.expressions import lazy_items
            return lazy_items(interp, expression)
    items = interp.value_of_statement(iterable)
    return enumerate_value(items) if items is not None else []


def _for(interp, stmt: A.ForStatement, sink) -> None:
    if stmt.init is not None:
        interp.value_of_statement(stmt.init) if not isinstance(stmt.init, A.AssignmentStatement) \
            else execute(interp, stmt.init, sink)
    while stmt.condition is None or _condition(interp, stmt.condition):
        if not _loop_body(interp, stmt.body, sink, stmt.label):
            break
        if stmt.step is not None:
            if isinstance(stmt.step, A.AssignmentStatement):
                execute(interp, stmt.step, sink)
            else:
                interp.value_of_statement(stmt.step)


def _while(interp, stmt: A.WhileStatement, sink) -> None:
    while _condition(interp, stmt.condition):
        if not _loop_body(interp, stmt.body, sink, stmt.label):
            break


def _do(interp, stmt: A.DoStatement, sink) -> None:
    while True:
        if not _loop_body(interp, stmt.body, sink, stmt.label):
            break
        result = _condition(interp, stmt.condition)
        if result == stmt.until:
            break


def _switch(interp, stmt: A.SwitchStatement, sink) -> None:
    subject = interp.value_of_statement(stmt.subject)
    items = enumerate_value(subject) if isinstance(subject, list) else [subject]
    flags = set(stmt.flags)
    cs = "casesensitive" in flags
    for item in items:
        matched = False
        try:
            for pattern, body in stmt.clauses:
                if _switch_matches(interp, pattern, item, flags, cs):
                    matched = True
                    _switch_body(interp, body, item, sink)
            if not matched and stmt.default is not None:
                _switch_body(interp, stmt.default, item, sink)
        except E.BreakSignal as sig:
            if sig.label:
                raise
            return
        except E.ContinueSignal as sig:
            if sig.label:
                raise
            continue


def _switch_body(interp, body: A.ScriptBlockAst, item: Any, sink) -> None:
    interp.session.set_variable("_", item)
    interp.session.set_variable("PSItem", item)
    interp.run_statements(body.statements, sink)


def _switch_matches(interp, pattern: A.Node, item: Any, flags: set[str], cs: bool) -> bool:
    if isinstance(pattern, A.ScriptBlockExpr):
        from csshell.runtime.values import ScriptBlock
        block = ScriptBlock(pattern.text, pattern.body)
        return to_bool(interp.invoke_block(block, dollar_under=item, new_scope=False))
    value = interp.eval(pattern)
    if "regex" in flags:
        m = operators.compile_regex(to_string(value), ignore_case=not cs).search(to_string(item))
        if m:
            interp.session.set_variable("Matches", operators.matches_table(m))
        return m is not None
    if "wildcard" in flags:
        return operators.wildcard_match(to_string(value), to_string(item), cs)
    return operators.equals(item, value, cs) if not isinstance(item, str) else \
        (item == to_string(value) if cs else item.lower() == to_string(value).lower())


def _try(interp, stmt: A.TryStatement, sink) -> None:
    try:
        interp.try_depth += 1
        try:
            interp.run_statements(stmt.body.statements, sink)
        finally:
            interp.try_depth -= 1
    except PSError as err:
        handler = _catch_for(stmt, err)
        if handler is None:
            _finally(interp, stmt, sink)
            raise
        interp.session.record_error(err.record)      # a caught error is still in $Error, as in PowerShell
        try:
            _run_catch(interp, handler, err, sink)
        finally:
            _finally(interp, stmt, sink)
        return
    except BaseException:
        _finally(interp, stmt, sink)
        raise
    _finally(interp, stmt, sink)


def _finally(interp, stmt: A.TryStatement, sink) -> None:
    if stmt.finally_body is not None:
        interp.run_statements(stmt.finally_body.statements, sink)


def _run_catch(interp, handler: A.ScriptBlockAst, err: PSError, sink) -> None:
    """Run a catch block with ``$_`` (and ``$PSItem``) set to the error record."""
    scope = interp.session.scope
    saved = {n: scope.vars.get(n) for n in ("_", "psitem")}
    scope.assign("_", err.record)
    scope.assign("PSItem", err.record)
    interp.caught.append((err, interp.call_depth))
    try:
        interp.run_statements(handler.statements, sink)
    finally:
        interp.caught.pop()
        for name, entry in saved.items():
            if entry is None:
                scope.vars.pop(name, None)
            else:
                scope.vars[name] = entry


def _catch_for(stmt: A.TryStatement, err: PSError) -> A.ScriptBlockAst | None:
    """The first catch clause whose types match the error's exception (no types: catch all).

    As in PowerShell, a type matches the exception's own type or any base type, and then the inner
    exception's: ``catch [DivideByZeroException]`` catches ``1/0`` (a RuntimeException wrapping one).
    """
    from csshell.runtime.errors import ExceptionView
    from csshell.runtime.exception_types import derives_from
    thrown = ExceptionView(err.record).type_lineage()
    for types, body in stmt.catches:
        if not types:
            return body
        if any(derives_from(actual, wanted) for wanted in types for actual in thrown):
            return body
    return None


def _trap_declaration(interp, stmt: A.TrapStatement, sink) -> None:
    """Reaching a ``trap`` statement does nothing: its list runs with it in place (:func:`run_trapped`)."""


def run_trapped(interp, statements: A.TrapList, sink, wrap) -> None:
    """Run a statement list that declares traps (about_Trap, PowerShell 5.1).

    While the list runs, its traps are the handlers of the current function context: a terminating error
    in any statement of the list or of a block nested in it (not inside a ``try`` or another function)
    runs the best-matching trap (:func:`handle_with_trap`, called by ``Interpreter.run_statement``). A
    command the list calls rethrows its errors to us, as it would for a ``try`` (``try_depth``).
    """
    interp.try_depth += 1
    interp.trap_frames.append((statements.traps, interp.call_depth, interp.try_depth))
    try:
        for stmt in statements:
            if wrap is None:
                interp.run_statement(stmt, sink)
            else:
                with wrap():
                    interp.run_statement(stmt, sink)
    finally:
        interp.trap_frames.pop()
        interp.try_depth -= 1


def handle_with_trap(interp, err: PSError, sink) -> bool:
    """Let the traps of the current function context handle a terminating error; False when none applies.

    The trap runs in a child scope with ``$_`` set to the error record. Then: it ends normally → the
    error is written and execution goes on with the statement after the failing one; ``continue`` → the
    error is not written (it is still in ``$Error``) and execution goes on; ``break`` → the error leaves
    this function context, script-terminating (a caller's trap or try may still handle it).
    """
    if getattr(err, "trap_skip_depth", None) is not None and err.trap_skip_depth <= interp.call_depth:
        return False
    expected = interp.try_depth
    for traps, call_depth, try_depth in reversed(interp.trap_frames):
        if call_depth != interp.call_depth or try_depth != expected:
            return False
        trap = _trap_for(traps, err)
        if trap is not None:
            _run_trap(interp, trap, err, sink, try_depth - 1)
            return True
        expected -= 1
    return False


def _run_trap(interp, trap: A.TrapStatement, err: PSError, sink, outer_try_depth: int) -> None:
    """Run ``trap``'s body as if outside its statement list (an error in it is not trapped again)."""
    from csshell.runtime.interpreter import script_terminating
    session = interp.session
    saved_depth = interp.try_depth
    interp.try_depth = outer_try_depth
    scope = session.push_scope("local")
    try:
        scope.assign("_", err.record)
        scope.assign("PSItem", err.record)
        interp.run_statements(trap.body.statements, sink)
    except E.BreakSignal as sig:
        if sig.label:
            raise
        err.trap_skip_depth = interp.call_depth  # type: ignore[attr-defined]
        raise script_terminating(err) from None
    except E.ContinueSignal as sig:
        if sig.label:
            raise
        interp.error_count += 1
        session.last_success = False
        session.record_error(err.record)
        return
    finally:
        session.pop_scope(scope)
        interp.try_depth = saved_depth
    err.script_terminating = False  # type: ignore[attr-defined]  (handled: written, then execution goes on)
    interp.statement_failed(err)


def _trap_for(traps: list[A.TrapStatement], err: PSError) -> A.TrapStatement | None:
    """The trap whose type is nearest the error's exception type (then its inner exception's); an
    untyped trap takes what no typed one matches."""
    from csshell.runtime.errors import ExceptionView
    from csshell.runtime.exception_types import canonical, lineage
    thrown = ExceptionView(err.record).type_lineage()
    best, best_rank = None, None
    for trap in traps:
        if trap.type_name is None:
            rank = 1_000_000
        else:
            wanted = (canonical(trap.type_name) or trap.type_name.strip().strip("[]")).lower()
            ranks = [depth * 1000 + i for depth, actual in enumerate(thrown)
                     for i, name in enumerate(lineage(actual))
                     if name.lower() == wanted or name.lower().endswith("." + wanted)]
            if not ranks:
                continue
            rank = min(ranks)
        if best_rank is None or rank < best_rank:
            best, best_rank = trap, rank
    return best


def _flow(interp, stmt: A.FlowStatement, sink) -> None:
    keyword = stmt.keyword
    if keyword == "break":
        raise E.BreakSignal(stmt.label)
    if keyword == "continue":
        raise E.ContinueSignal(stmt.label)
    if keyword == "return":
        if stmt.value is not None:
            execute(interp, stmt.value, sink)
        raise E.ReturnSignal()
    if keyword == "exit":
        value = interp.value_of_statement(stmt.value) if stmt.value is not None else 0
        try:
            code = int(value or 0)
        except (TypeError, ValueError):
            code = 0
        raise E.ExitSignal(code)
    if keyword == "throw":
        raise _throw(interp, stmt)


def _throw(interp, stmt: A.FlowStatement) -> PSError:
    from csshell.runtime.interpreter import script_terminating
    if stmt.value is None and interp.caught and interp.caught[-1][1] == interp.call_depth:
        return script_terminating(interp.caught[-1][0])     # `throw` alone in a catch block re-throws
    value = interp.value_of_statement(stmt.value) if stmt.value is not None else None
    if isinstance(value, ErrorRecord):
        return script_terminating(PSError(value))
    if value is None:
        record = ErrorRecord("ScriptHalted", "ScriptHalted", E.OPERATION_STOPPED, extent=stmt.extent)
    else:
        message = to_string(value)
        record = ErrorRecord(message, message, E.OPERATION_STOPPED, target=value if not isinstance(value, str) else
                             message, extent=stmt.extent)
        record.target_type = "String" if isinstance(value, str) else None
    return script_terminating(PSError(record))


def _function(interp, stmt: A.FunctionDefinition, sink) -> None:
    from csshell.runtime.functions import define_function
    define_function(interp, stmt)


_HANDLERS = {
    A.PipelineStatement: _pipeline,
    A.AssignmentStatement: _assignment,
    A.IfStatement: _if,
    A.ForeachStatement: _foreach,
    A.ForStatement: _for,
    A.WhileStatement: _while,
    A.DoStatement: _do,
    A.SwitchStatement: _switch,
    A.TryStatement: _try,
    A.TrapStatement: _trap_declaration,
    A.FlowStatement: _flow,
    A.FunctionDefinition: _function,
}
